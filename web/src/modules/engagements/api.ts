/** Engagements (vejledningsforløb): API calls, with the server's own shapes. */
import { qs, request, type ItemList } from '../../shared/api.ts';
import type {
  ClosedEngagement,
  ClosePreview,
  Engagement,
  EngagementChange,
  EngagementClosing,
  EngagementDetail,
  EngagementListQuery,
  EngagementPage,
  NewEngagement,
} from '#server/modules/engagements/schemas.ts';

export type {
  ClosedEngagement,
  ClosePreview,
  Engagement,
  EngagementAbilities,
  EngagementChange,
  EngagementClosing,
  EngagementDetail,
  EngagementLevel,
  EngagementStatus,
  NewEngagement,
} from '#server/modules/engagements/schemas.ts';

const path = (id: string) => `/engagements/${encodeURIComponent(id)}`;

export const engagementsApi = {
  list: (p: EngagementListQuery) => request<EngagementPage>('GET', `/engagements${qs(p)}`),
  get: (id: string) => request<EngagementDetail>('GET', path(id)),
  create: (body: NewEngagement) => request<Engagement>('POST', '/engagements', body),
  change: (id: string, body: EngagementChange) => request<Engagement>('PATCH', path(id), body),
  /** What closing would do about the evaluation invitation (to whom, or why none): the server's decision. */
  closePreview: (id: string) => request<ClosePreview>('GET', `${path(id)}/close-preview`),
  close: (id: string, body: EngagementClosing) => request<ClosedEngagement>('POST', `${path(id)}/close`, body),
  ofCompany: (cvr: string) => request<ItemList<Engagement>>('GET', `/companies/${encodeURIComponent(cvr)}/engagements`),
};
