/** Matchmaking: needs and offers of cooperation, suggested matches and matches, with the server's own shapes. */
import { qs, request, type ItemList } from '../../shared/api.ts';
import type { Agreement, Cooperation, CooperationChange, Match, NewCooperation, NewMatch, Suggestions } from '#server/modules/matchmaking/schemas.ts';

export type { Agreement, Cooperation, Counterpart, Match, MatchSide, NewCooperation, Reason, Suggestion, Suggestions } from '#server/modules/matchmaking/schemas.ts';

export const matchmakingApi = {
  ofCompany: (cvr: string) => request<ItemList<Cooperation> & { abilities: { create: boolean } }>('GET', `/companies/${encodeURIComponent(cvr)}/cooperation`),
  create: (cvr: string, body: NewCooperation) => request<Cooperation>('POST', `/companies/${encodeURIComponent(cvr)}/cooperation`, body),
  own: () => request<ItemList<Cooperation>>('GET', '/cooperation'),
  change: (id: string, body: CooperationChange) => request<Cooperation>('PATCH', `/cooperation/${id}`, body),
  suggestions: (id: string) => request<Suggestions>('GET', `/cooperation/${id}/suggestions`),
  matches: (p: { cvr?: string } = {}) => request<ItemList<Match>>('GET', `/matches${qs(p)}`),
  match: (id: string) => request<Match>('GET', `/matches/${id}`),
  propose: (body: NewMatch) => request<Match>('POST', '/matches', body),
  accept: (id: string, side: 'a' | 'b') => request<Match>('POST', `/matches/${id}/accept`, { side }),
  agree: (id: string, body: Agreement) => request<Match>('POST', `/matches/${id}/agreements`, body),
  introduce: (id: string) => request<Match>('POST', `/matches/${id}/introduce`, {}),
  decline: (id: string) => request<Match>('POST', `/matches/${id}/decline`, {}),
};
