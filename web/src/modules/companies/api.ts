/** Companies: search, register data with what the caller may do on the page, and the cross-organisation timeline; the server's own shapes. */
import { qs, request, type ItemList } from '../../shared/api.ts';
import type { Company, CompanySearchQuery, CompanySearchResult } from '#server/modules/companies/schemas.ts';
import type { TimelineItem } from '#server/modules/timeline/schemas.ts';

export type { Company, CompanyAbilities, CompanySearchQuery, CompanySearchResult, CompanySummary, ProductionUnit } from '#server/modules/companies/schemas.ts';
export type { TimelineItem } from '#server/modules/timeline/schemas.ts';

export const companiesApi = {
  search: (p: CompanySearchQuery) => request<CompanySearchResult>('GET', `/companies${qs(p)}`),
  company: (cvr: string) => request<Company>('GET', `/companies/${encodeURIComponent(cvr)}`),
  timeline: (cvr: string) => request<ItemList<TimelineItem>>('GET', `/companies/${encodeURIComponent(cvr)}/timeline`),
};
