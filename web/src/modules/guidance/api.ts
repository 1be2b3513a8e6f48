/** "Få vejledning" (the public form) and the leads it makes (Henvendelser): types and API calls. */
import { qs, request } from '../../shared/api.ts';
import type { PublicCompany } from '#server/modules/companies/schemas.ts';
import type { ConfirmedLead, GuidanceReceipt, GuidanceRequest, Lead, LeadPage, LeadSort, LeadSortDirection, LeadStatus } from '#server/modules/guidance/schemas.ts';
import { SELF_ASSESSMENT_STORAGE_KEY, type StoredSelfAssessment } from '../offers/self-assessment/api.ts';

export type { GuidanceReceipt, Lead, LeadPage, LeadSort, LeadSortDirection, LeadStatus } from '#server/modules/guidance/schemas.ts';
export type { StoredSelfAssessment } from '../offers/self-assessment/api.ts';

/** What the form learns from a CVR number without a session: the register's name and municipality. */
export type CompanyLookup = PublicCompany;

/** What the form sends; a self-assessment goes as its answers only (the server scores them itself). */
export type GuidanceRequestInput = GuidanceRequest;

export const LEAD_STATUSES = ['new', 'in_progress', 'closed'] as const satisfies readonly LeadStatus[];

export const guidanceApi = {
  company: (cvr: string) => request<CompanyLookup>('GET', `/public/companies/${encodeURIComponent(cvr)}`),
  /** The key is required: the server refuses a request without one (400). */
  submit: (input: GuidanceRequestInput, idempotencyKey: string) =>
    request<GuidanceReceipt>('POST', '/public/guidance-requests', input, { 'Idempotency-Key': idempotencyKey }),
};

/** The columns the list sorts by (GET /guidance-requests?sort=…). */
export const LEAD_SORTS = ['deadline', 'company', 'received', 'status'] as const satisfies readonly LeadSort[];

export interface LeadListParams {
  status?: LeadStatus | '';
  overdue?: boolean;
  municipality?: number | null;
  theme?: string;
  sort?: LeadSort;
  dir?: LeadSortDirection;
  page?: number;
}

const path = (id: string) => `/guidance-requests/${encodeURIComponent(id)}`;

export const leadsApi = {
  list: (p: LeadListParams) =>
    request<LeadPage>(
      'GET',
      `/guidance-requests${qs({
        status: p.status,
        overdue: p.overdue ? 'true' : undefined,
        municipality: p.municipality,
        theme: p.theme,
        sort: p.sort,
        dir: p.dir,
        page: p.page && p.page > 1 ? p.page : undefined,
      })}`,
    ),
  get: (id: string) => request<Lead>('GET', path(id)),
  /** Take it or reopen it (in_progress), or close it with its outcome. */
  setStatus: (id: string, change: { status: 'in_progress'; version: number } | { status: 'closed'; outcome: string; version: number }) =>
    request<Lead>('POST', `${path(id)}/status`, change),
  confirmConsents: (id: string) => request<ConfirmedLead>('POST', `${path(id)}/confirm-consents`, {}),
  /** "Opret som iværksætter": a request without CVR becomes a prospect of the caller's organisation. */
  createProspect: (id: string) => request<Lead>('POST', `${path(id)}/prospect`, {}),
};

/** The cache key of one lead: its page and the engagement form opened from it share it. */
export const leadQueryKey = (id: string) => ['leads', 'detail', id] as const;

/** The web's page of one lead (the link in the mail about it). */
export const leadPath = (id: string) => `/henvendelser/${encodeURIComponent(id)}`;

/** One key per form fill, so that a retry or a double click never creates a second request. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a plain-http intranet address still needs a key.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isSelfAssessment(v: unknown): v is StoredSelfAssessment {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.key === 'string' && typeof o.title === 'string' && typeof o.level === 'string';
}

/** The latest result the self-assessment pages left for this form, if any. */
export function readSelfAssessment(): StoredSelfAssessment | null {
  try {
    const raw = sessionStorage.getItem(SELF_ASSESSMENT_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isSelfAssessment(parsed) ? parsed : null;
  } catch {
    // Storage disabled or a corrupt value: the form simply has no result to send.
    return null;
  }
}

export function clearSelfAssessment(): void {
  try {
    sessionStorage.removeItem(SELF_ASSESSMENT_STORAGE_KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
}
