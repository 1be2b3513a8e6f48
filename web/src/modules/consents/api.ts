/** Consents: API calls and queries, with the server's own shapes. */
import { useQuery } from '@tanstack/react-query';
import { request, type ItemList } from '../../shared/api.ts';
import type { Consent, ConsentChannel, ConsentInput } from '#server/modules/consents/schemas.ts';

export type { Consent, ConsentAbilities, ConsentChannel, ConsentInput, ConsentPurpose, ConsentScope } from '#server/modules/consents/schemas.ts';

/** The channels a consent can be given through, in the order the form offers them. */
export const CONSENT_CHANNELS = ['meeting', 'phone', 'email', 'web', 'letter'] as const satisfies readonly ConsentChannel[];
// A channel the server adds breaks the type check here until the form offers it.
const _everyChannel: Exclude<ConsentChannel, (typeof CONSENT_CHANNELS)[number]> extends never ? true : never = true;

export const consentsApi = {
  ofCompany: (cvr: string) => request<ItemList<Consent>>('GET', `/companies/${encodeURIComponent(cvr)}/consents`),
  record: (cvr: string, body: ConsentInput) => request<Consent>('POST', `/companies/${encodeURIComponent(cvr)}/consents`, body),
  withdraw: (id: string, note?: string) => request<Consent>('POST', `/consents/${encodeURIComponent(id)}/withdraw`, note ? { note } : {}),
};

/** The company's consents the user may know of. */
export function useCompanyConsents(cvr: string, enabled = true) {
  return useQuery({
    queryKey: ['company', cvr, 'consents'],
    queryFn: () => consentsApi.ofCompany(cvr),
    enabled: enabled && !!cvr,
  });
}
