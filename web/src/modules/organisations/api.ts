/** Organisations and the reference data around them: actors, municipalities, themes, colleagues, delivery categories. */
import { request, type ItemList } from '../../shared/api.ts';
import type { CodeName, Colleague, DeliveryCategory, Municipality, Organisation, Theme } from '#server/modules/organisations/schemas.ts';

export type { CodeName, Colleague, DeliveryCategory, Municipality, Organisation, Theme } from '#server/modules/organisations/schemas.ts';

export const organisationsApi = {
  organisations: () => request<ItemList<Organisation>>('GET', '/organisations'),
  municipalities: () => request<ItemList<Municipality>>('GET', '/municipalities'),
  /** Without a session (the public pages). */
  publicMunicipalities: () => request<ItemList<CodeName>>('GET', '/public/municipalities'),
  themes: () => request<ItemList<Theme>>('GET', '/themes'),
  colleagues: () => request<ItemList<Colleague>>('GET', '/colleagues'),
  /** Each with `abilities.choose`: whether the caller may put an engagement in it. */
  deliveryCategories: (organisationId: string) =>
    request<ItemList<DeliveryCategory>>('GET', `/organisations/${encodeURIComponent(organisationId)}/delivery-categories`),
};
