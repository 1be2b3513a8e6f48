import { qs, request, type Paged } from '../../shared/api.ts';

export const LEAD_STATUSES = ['new', 'in_progress', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A company's "Få vejledning" request, as its local business service and hub see it. */
export interface Lead {
  id: string;
  company: { cvr: string; name: string | null } | null;
  companyName: string | null;
  municipality: { code: number; name: string };
  organisation: { id: string; name: string };
  contact: { name: string; email: string; phone: string | null };
  need: string;
  themes: string[];
  /** What the company ticked; `awaitingConfirmation`: not in force until an adviser confirms it. */
  consents: { sharing: boolean; evaluation: boolean; awaitingConfirmation: boolean };
  selfAssessment: { key: string; title: string; level: string; score: number; maxScore: number } | null;
  offer: { id: string; title: string } | null;
  status: LeadStatus;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
  /** Who last took or closed the lead. */
  handledBy?: { name: string; at: string | null } | null;
  version: number;
}

export const leadsApi = {
  list: (status: LeadStatus | '', page = 1) =>
    request<Paged<Lead>>('GET', `/guidance-requests${qs({ status, page: page > 1 ? page : undefined })}`),
  setStatus: (id: string, status: Exclude<LeadStatus, 'new'>, version: number) =>
    request<Lead>('POST', `/guidance-requests/${encodeURIComponent(id)}/status`, { status, version }),
  confirmConsents: (id: string) => request<Lead>('POST', `/guidance-requests/${encodeURIComponent(id)}/confirm-consents`, {}),
};
