import type { ManagedUser, NewUser, UserChange } from '#server/modules/users/schemas.ts';
import { request, type ItemList } from '../../shared/api.ts';

export type { ManagedUser, Role } from '#server/modules/users/schemas.ts';

export const usersApi = {
  list: () => request<ItemList<ManagedUser>>('GET', '/users'),
  create: (body: NewUser) => request<ManagedUser>('POST', '/users', body),
  change: (id: string, body: UserChange) => request<ManagedUser>('PATCH', `/users/${encodeURIComponent(id)}`, body),
};
