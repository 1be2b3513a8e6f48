/** Performance contracts (resultatkontrakter): types and API calls. */
import { request, type Ref, type User } from '../../shared/api.ts';

export type GoalGroup = 'national' | 'joint' | 'regional';
export const GOAL_GROUPS: readonly GoalGroup[] = ['national', 'joint', 'regional'];
export type Reporting = 'quarterly' | 'annual';
export type ReportFormat = 'docx' | 'pdf' | 'xlsx';
export const REPORT_FORMATS: readonly ReportFormat[] = ['docx', 'pdf', 'xlsx'];

export interface ContractSummary {
  id: string;
  title: string;
  hub: Ref;
  kkr: Ref;
  periodStart: string;
  periodEnd: string;
  status: string;
  goals: number;
}

export interface Deliverable {
  title: string;
  done: boolean;
}

export interface ManualIndicator {
  type: 'manual';
  scale: { type: 'manual' };
  deliverables: Deliverable[];
  fulfilment: number | null;
  justification: string | null;
}

/** Computed indicators are shown, not edited here: their shape is kept as the server sends it. */
export type Indicator = ManualIndicator | ({ type: Exclude<string, 'manual'> } & Record<string, unknown>);

export interface Goal {
  id: string;
  number: number;
  group: GoalGroup;
  title: string;
  description: string;
  method: string;
  reporting: Reporting;
  indicator: Indicator;
}

export interface Contract {
  id: string;
  title: string;
  /** The server answers with ids (hubId/kkrId); names come from the list. */
  hubId: string;
  kkrId: string;
  hub?: Ref;
  kkr?: Ref;
  periodStart: string;
  periodEnd: string;
  status: string;
  createdAt?: string;
  goals: Goal[];
}

/**
 * Why the server withheld a figure from a KKR or national reader: it rests on fewer than 5
 * companies, or it would give such a figure away.
 */
export type Withheld = 'fewer_than_5' | 'suppressed' | null;

export interface Breakdown {
  label: string;
  /** Null when withheld. */
  value: number | null;
  target: number | null;
  withheld?: Withheld;
}

export interface GoalReport {
  number: number;
  group: GoalGroup;
  title: string;
  reporting: Reporting;
  indicatorType: string;
  value: number | null;
  target: number | null;
  fulfilment: number | null;
  unit: string;
  breakdown: Breakdown[];
  trend: number | null;
  /** Set by the server for KKR and national readers: the value rests on fewer than 5 companies and is not shown. */
  withheld?: Withheld;
  suppressed?: boolean;
}

export interface ContractReport {
  contractId: string;
  /** Figures read under disclosure control (month ends, small figures withheld), as the server decided. */
  disclosureControl: boolean;
  asOf: string;
  goals: GoalReport[];
}

export interface IntentDeclaration {
  municipalityCode: number;
  municipality: string;
  signedOn: string | null;
  evaluationMeetingOn: string | null;
  keyAccountManager: string | null;
  notes: string | null;
}

export interface IntentDeclarationInput {
  signedOn?: string | null;
  evaluationMeetingOn?: string | null;
  keyAccountManager?: string | null;
  notes?: string | null;
}

export type StatusReportStatus = 'draft' | 'published';

export interface StatusReport {
  id: string;
  contractId: string;
  asOf: string;
  version: number;
  status: StatusReportStatus;
  snapshot: { asOf: string; goals: GoalReport[] };
  directorComment: string | null;
  goalComments: Record<string, string>;
  createdAt: string;
  publishedAt: string | null;
}

export interface StatusReportPatch {
  directorComment?: string | null;
  goalComments?: Record<string, string>;
  refresh?: true;
}

/** The import format (e.g. the shipped 2020 template). */
export interface ContractTemplate {
  title: string;
  kkr: string;
  hub: string;
  periodStart: string;
  periodEnd: string;
  goals: unknown[];
  [key: string]: unknown;
}

export interface ImportOverride {
  periodStart?: string;
  periodEnd?: string;
  title?: string;
}

const enc = encodeURIComponent;

export const contractsApi = {
  list: () => request<{ items: ContractSummary[] }>('GET', '/contracts'),
  get: (id: string) => request<Contract>('GET', `/contracts/${enc(id)}`),
  template: () => request<ContractTemplate>('GET', '/contracts/template'),
  import: (body: Record<string, unknown>) => request<{ id: string }>('POST', '/contracts/import', body),
  report: (id: string, at?: string) => request<ContractReport>('GET', `/contracts/${enc(id)}/report${at ? `?at=${enc(at)}` : ''}`),
  saveIndicator: (id: string, number: number, indicator: ManualIndicator) =>
    request<{ number: number; indicator: ManualIndicator }>('PUT', `/contracts/${enc(id)}/goals/${number}/indicator`, indicator),
  intentDeclarations: (id: string) => request<{ year: number; items: IntentDeclaration[] }>('GET', `/contracts/${enc(id)}/intent-declarations`),
  saveIntentDeclaration: (id: string, municipalityCode: number, body: IntentDeclarationInput) =>
    request<{ ok: true }>('PUT', `/contracts/${enc(id)}/intent-declarations/${municipalityCode}`, body),
  statusReports: (id: string) => request<{ items: StatusReport[] }>('GET', `/contracts/${enc(id)}/status-reports`),
  createStatusReport: (id: string, asOf: string) => request<StatusReport>('POST', `/contracts/${enc(id)}/status-reports`, { asOf }),
  statusReport: (id: string) => request<StatusReport>('GET', `/status-reports/${enc(id)}`),
  updateStatusReport: (id: string, body: StatusReportPatch) => request<StatusReport>('PATCH', `/status-reports/${enc(id)}`, body),
  publishStatusReport: (id: string) => request<StatusReport>('POST', `/status-reports/${enc(id)}/publish`),
};

/** Download links (the browser sends the session cookie). */
export function contractReportUrl(id: string, at: string, format: ReportFormat): string {
  return `/api/v1/contracts/${enc(id)}/report?at=${enc(at)}&format=${format}`;
}

export function statusReportUrl(id: string, format: ReportFormat): string {
  return `/api/v1/status-reports/${enc(id)}?format=${format}`;
}

function isManagerRole(user: User): boolean {
  return user.systemAdmin || user.role === 'admin' || user.role === 'manager';
}

/** May import contracts: admins and managers of a business hub or a KKR (mirrors the server policy). */
export function canImportContracts(user: User | undefined): boolean {
  if (!user) return false;
  if (user.systemAdmin) return true;
  return (user.role === 'admin' || user.role === 'manager') && (user.organisation.type === 'business_hub' || user.organisation.type === 'kkr');
}

/** May edit the contract (manual goals, intent declarations): the parties' admins and managers. */
export function canManageContract(user: User | undefined, contract: { hubId: string; kkrId: string } | undefined): boolean {
  if (!user || !contract) return false;
  if (user.systemAdmin) return true;
  return isManagerRole(user) && (user.organisation.id === contract.hubId || user.organisation.id === contract.kkrId);
}

/** May write and publish status reports: the hub's admins and managers. */
export function canReport(user: User | undefined, contract: { hubId: string } | undefined): boolean {
  if (!user || !contract) return false;
  if (user.systemAdmin) return true;
  return isManagerRole(user) && user.organisation.id === contract.hubId;
}

export function isManualIndicator(i: Indicator): i is ManualIndicator {
  return i.type === 'manual';
}
