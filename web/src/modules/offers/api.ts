import { request } from '../../shared/api.ts';
import type { NewOffer, Offer, OfferChange, OfferStatus } from '#server/modules/offers/schemas.ts';

export type { Offer, OfferChange, OfferStatus } from '#server/modules/offers/schemas.ts';

export const OFFER_STATUSES = ['draft', 'published', 'archived'] as const satisfies readonly OfferStatus[];

/** What the form sends: every field, empty optional texts as null so that the server clears them. */
export type OfferInput = Required<NewOffer>;

export const OFFERS_KEY = ['offers'] as const;

const path = (id: string, action = '') => `/offers/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const offersApi = {
  list: () => request<{ items: Offer[] }>('GET', '/offers'),
  create: (body: NewOffer) => request<Offer>('POST', '/offers', body),
  update: (id: string, body: OfferChange) => request<Offer>('PATCH', path(id), body),
  publish: (id: string) => request<Offer>('POST', path(id, 'publish')),
  archive: (id: string) => request<Offer>('POST', path(id, 'archive')),
};
