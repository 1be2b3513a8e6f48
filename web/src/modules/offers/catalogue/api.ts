import { qs, request } from '../../../shared/api.ts';
import type { PublicOffer, PublicOfferPage } from '#server/modules/offers/schemas.ts';

export type { PublicOffer, PublicOfferPage } from '#server/modules/offers/schemas.ts';

/** The catalogue's filters as the page keeps them in its address (the server checks each value). */
export interface CatalogueFilters {
  q?: string;
  theme?: string;
  targetGroup?: string;
  phase?: string;
  municipality?: string;
  page?: number;
}

export const CATALOGUE_PAGE_SIZE = 20;

export const catalogueApi = {
  search: (f: CatalogueFilters) =>
    request<PublicOfferPage>(
      'GET',
      `/public/offers${qs({
        q: f.q,
        theme: f.theme,
        targetGroup: f.targetGroup,
        phase: f.phase,
        municipality: f.municipality,
        page: f.page && f.page > 1 ? f.page : undefined,
        pageSize: CATALOGUE_PAGE_SIZE,
      })}`,
    ),
  offer: (id: string) => request<PublicOffer>('GET', `/public/offers/${encodeURIComponent(id)}`),
};
