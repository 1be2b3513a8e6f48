import { qs, request } from '../../shared/api.ts';
import type { CaseChange, CaseImage, CaseStory, NewCase, PublicCase, PublicCasePage, SendCases, SentCases } from '#server/modules/cases/schemas.ts';

export type { CaseStory, CaseImage, PublicCase, PublicCasePage, CaseStatus } from '#server/modules/cases/schemas.ts';

/** The library's filters as the page keeps them in its address (the server checks each value). */
export interface LibraryFilters {
  q?: string;
  industry?: string;
  region?: string;
  municipality?: string;
  jobContent?: string;
  companySize?: string;
  benefit?: string;
  offer?: string;
  page?: number;
}

export const LIBRARY_PAGE_SIZE = 20;
export const CASES_KEY = ['cases'] as const;

const path = (id: string, action = '') => `/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const casesApi = {
  list: () => request<{ items: CaseStory[] }>('GET', '/cases'),
  get: (id: string) => request<CaseStory>('GET', path(id)),
  create: (body: NewCase) => request<CaseStory>('POST', '/cases', body),
  update: (id: string, body: CaseChange) => request<CaseStory>('PATCH', path(id), body),
  publish: (id: string) => request<CaseStory>('POST', path(id, 'publish')),
  archive: (id: string) => request<CaseStory>('POST', path(id, 'archive')),
  addImage: (id: string, body: { alt: string; data: string }) => request<CaseImage>('POST', path(id, 'images'), body),
  removeImage: (id: string, imageId: string) => request<null>('DELETE', `${path(id, 'images')}/${encodeURIComponent(imageId)}`),
  send: (body: SendCases) => request<SentCases>('POST', '/cases/send', body),
  imageUrl: (id: string, imageId: string) => `/api/v1${path(id, 'images')}/${encodeURIComponent(imageId)}`,
};

export const libraryApi = {
  search: (f: LibraryFilters, pageSize = LIBRARY_PAGE_SIZE) =>
    request<PublicCasePage>(
      'GET',
      `/public/cases${qs({
        q: f.q,
        industry: f.industry,
        region: f.region,
        municipality: f.municipality,
        jobContent: f.jobContent,
        companySize: f.companySize,
        benefit: f.benefit,
        offer: f.offer,
        page: f.page && f.page > 1 ? f.page : undefined,
        pageSize,
      })}`,
    ),
  get: (id: string) => request<PublicCase>('GET', `/public/cases/${encodeURIComponent(id)}`),
  imageUrl: (id: string, imageId: string) => `/api/v1/public/cases/${encodeURIComponent(id)}/images/${encodeURIComponent(imageId)}`,
};
