import { request } from '../../shared/api.ts';
import type { OfferFields, PublicOffer } from './catalogue/api.ts';

export const OFFER_STATUSES = ['draft', 'published', 'archived'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** An offer as its operator sees it in the back office (every status). */
export interface Offer extends PublicOffer {
  status: OfferStatus;
  version: number;
}

/** What the form sends; empty optional texts go as null so that the server clears them. */
export type OfferInput = OfferFields;

export type OfferChange = Partial<OfferInput> & { version: number };

export const OFFERS_KEY = ['offers'] as const;

const path = (id: string, action = '') => `/offers/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const offersApi = {
  list: () => request<{ items: Offer[] }>('GET', '/offers'),
  create: (body: OfferInput) => request<Offer>('POST', '/offers', body),
  update: (id: string, body: OfferChange) => request<Offer>('PATCH', path(id), body),
  publish: (id: string) => request<Offer>('POST', path(id, 'publish')),
  archive: (id: string) => request<Offer>('POST', path(id, 'archive')),
};
