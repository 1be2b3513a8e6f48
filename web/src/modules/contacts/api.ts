/** Contact persons: API calls and queries, with the server's own shapes. */
import { useQuery } from '@tanstack/react-query';
import { request, type ItemList } from '../../shared/api.ts';
import type { Contact, NewContact } from '#server/modules/contacts/schemas.ts';

export type { Contact, ContactAbilities, NewContact } from '#server/modules/contacts/schemas.ts';

export const contactsApi = {
  ofCompany: (cvr: string) => request<ItemList<Contact>>('GET', `/companies/${encodeURIComponent(cvr)}/contacts`),
  create: (cvr: string, body: NewContact) => request<Contact>('POST', `/companies/${encodeURIComponent(cvr)}/contacts`, body),
};

/** The company's contact persons the user may see. */
export function useCompanyContacts(cvr: string, enabled = true) {
  return useQuery({
    queryKey: ['company', cvr, 'contacts'],
    queryFn: () => contactsApi.ofCompany(cvr),
    enabled: enabled && !!cvr,
  });
}
