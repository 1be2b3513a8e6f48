/** "Få vejledning" (the public form) and the leads it makes (Henvendelser): types and API calls. */
import { qs, request } from '../../shared/api.ts';
import type { PublicCompany } from '#server/modules/companies/schemas.ts';
import type { ConfirmedLead, GuidanceReceipt, GuidanceRequest, Lead, LeadPage, LeadStatus } from '#server/modules/guidance/schemas.ts';
import { SELF_ASSESSMENT_STORAGE_KEY, type StoredSelfAssessment } from '../offers/self-assessment/api.ts';

export type { GuidanceReceipt, Lead, LeadStatus } from '#server/modules/guidance/schemas.ts';
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

export const leadsApi = {
  list: (status: LeadStatus | '', page = 1) => request<LeadPage>('GET', `/guidance-requests${qs({ status, page: page > 1 ? page : undefined })}`),
  setStatus: (id: string, status: Exclude<LeadStatus, 'new'>, version: number) =>
    request<Lead>('POST', `/guidance-requests/${encodeURIComponent(id)}/status`, { status, version }),
  confirmConsents: (id: string) => request<ConfirmedLead>('POST', `/guidance-requests/${encodeURIComponent(id)}/confirm-consents`, {}),
};

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
