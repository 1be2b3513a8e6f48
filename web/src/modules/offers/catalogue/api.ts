import { qs, request } from '../../../shared/api.ts';
import type { CatalogueFormat, CataloguePhase, CatalogueTargetGroup, CatalogueTheme } from './options.ts';

/** An offer's own fields, as its operator writes them. */
export interface OfferFields {
  title: string;
  summary: string;
  description: string;
  themes: (CatalogueTheme | string)[];
  targetGroups: (CatalogueTargetGroup | string)[];
  phases: (CataloguePhase | string)[];
  format: CatalogueFormat | string;
  price: 'free' | 'paid';
  funding: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  municipalityCodes: number[];
  contactName: string | null;
  contactEmail: string | null;
  link: string | null;
}

/** A published offer, as the public catalogue shows it. */
export interface PublicOffer extends OfferFields {
  id: string;
  operator: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface PublicOfferPage {
  items: PublicOffer[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

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
