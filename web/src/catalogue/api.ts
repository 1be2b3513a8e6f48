import { request } from '../api.ts';
import type { CatalogueFormat, CataloguePhase, CatalogueTargetGroup, CatalogueTheme } from './options.ts';

export interface PublicOffer {
  id: string;
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

function qs(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

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
