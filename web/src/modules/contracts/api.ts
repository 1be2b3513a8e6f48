/** Performance contracts (resultatkontrakter): API calls, with the server's own shapes. */
import { request, type ItemList } from '../../shared/api.ts';
import type {
  Contract,
  ContractImport,
  ContractReport,
  ContractSummary,
  ContractTemplate,
  Created,
  GoalGroup,
  IndicatorChange,
  IndicatorInput,
  IntentDeclarationChange,
  IntentDeclarations,
  NewStatusReport,
  Ok,
  ReportFormat,
  StatusReport,
  StatusReportChange,
} from '#server/modules/contracts/schemas.ts';

export type {
  Contract,
  ContractImport,
  ContractReport,
  ContractSummary,
  ContractTemplate,
  Goal,
  GoalFigures,
  GoalGroup,
  Indicator,
  IntentDeclaration,
  ManualIndicator,
  StatusReport,
  StatusReportChange,
  Withheld,
} from '#server/modules/contracts/schemas.ts';

/** The order the contract's groups are shown in. */
export const GOAL_GROUPS: readonly GoalGroup[] = ['national', 'joint', 'regional'];
/** The files a report is downloaded as (the API also answers `json`). */
export type DownloadFormat = Exclude<ReportFormat, 'json'>;
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ['docx', 'pdf', 'xlsx'];

const enc = encodeURIComponent;

export const contractsApi = {
  list: () => request<ItemList<ContractSummary>>('GET', '/contracts'),
  get: (id: string) => request<Contract>('GET', `/contracts/${enc(id)}`),
  template: () => request<ContractTemplate>('GET', '/contracts/template'),
  import: (body: ContractImport) => request<Created>('POST', '/contracts/import', body),
  report: (id: string, at?: string) => request<ContractReport>('GET', `/contracts/${enc(id)}/report${at ? `?at=${enc(at)}` : ''}`),
  saveIndicator: (id: string, number: number, indicator: IndicatorInput) =>
    request<IndicatorChange>('PUT', `/contracts/${enc(id)}/goals/${number}/indicator`, indicator),
  intentDeclarations: (id: string) => request<IntentDeclarations>('GET', `/contracts/${enc(id)}/intent-declarations`),
  saveIntentDeclaration: (id: string, municipalityCode: number, body: IntentDeclarationChange) =>
    request<Ok>('PUT', `/contracts/${enc(id)}/intent-declarations/${municipalityCode}`, body),
  statusReports: (id: string) => request<ItemList<StatusReport>>('GET', `/contracts/${enc(id)}/status-reports`),
  createStatusReport: (id: string, body: NewStatusReport) => request<StatusReport>('POST', `/contracts/${enc(id)}/status-reports`, body),
  statusReport: (id: string) => request<StatusReport>('GET', `/status-reports/${enc(id)}`),
  updateStatusReport: (id: string, body: StatusReportChange) => request<StatusReport>('PATCH', `/status-reports/${enc(id)}`, body),
  publishStatusReport: (id: string) => request<StatusReport>('POST', `/status-reports/${enc(id)}/publish`),
};

/** Download links (the browser sends the session cookie). */
export function contractReportUrl(id: string, at: string, format: DownloadFormat): string {
  return `/api/v1/contracts/${enc(id)}/report?at=${enc(at)}&format=${format}`;
}

export function statusReportUrl(id: string, format: DownloadFormat): string {
  return `/api/v1/status-reports/${enc(id)}?format=${format}`;
}
