/** The header's global search: the API call, with the server's own shapes. */
import { request } from '../../shared/api.ts';
import type { GlobalSearchResult } from '#server/modules/search/schemas.ts';

export type { GlobalSearchResult, SearchCompany, SearchEngagement, SearchProspect } from '#server/modules/search/schemas.ts';

export const searchApi = {
  /** `q` must already be trimmed (1–100 characters): the server refuses padded text. */
  search: (q: string) => request<GlobalSearchResult>('GET', `/search?q=${encodeURIComponent(q)}`),
};
