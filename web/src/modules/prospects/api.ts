/** Prospects (potentielle iværksættere): API calls, with the server's own shapes. */
import { request, type ItemList } from '../../shared/api.ts';
import type { NewProspect, Prospect } from '#server/modules/prospects/schemas.ts';

export type { NewProspect, Prospect, ProspectAbilities } from '#server/modules/prospects/schemas.ts';

export const prospectsApi = {
  list: () => request<ItemList<Prospect>>('GET', '/prospects'),
  create: (body: NewProspect) => request<Prospect>('POST', '/prospects', body),
  link: (id: string, cvr: string) => request<Prospect>('POST', `/prospects/${encodeURIComponent(id)}/link`, { cvr }),
};
