import type { ManagedUser, MySettings, MySettingsChange, NewUser, UserChange } from '#server/modules/users/schemas.ts';
import { request, type ItemList } from '../../shared/api.ts';

export type { ManagedUser, MySettings, MySettingsChange, Role } from '#server/modules/users/schemas.ts';

export const usersApi = {
  list: () => request<ItemList<ManagedUser>>('GET', '/users'),
  create: (body: NewUser) => request<ManagedUser>('POST', '/users', body),
  change: (id: string, body: UserChange) => request<ManagedUser>('PATCH', `/users/${encodeURIComponent(id)}`, body),
};

/** The signed-in user's own settings (there is no way to anyone else's). */
export const mySettingsApi = {
  get: () => request<MySettings>('GET', '/me/settings'),
  put: (body: MySettingsChange) => request<MySettings>('PUT', '/me/settings', body),
};
