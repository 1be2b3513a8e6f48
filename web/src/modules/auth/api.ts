import type { Session } from '#server/modules/auth/schemas.ts';
import { ApiError, request } from '../../shared/api.ts';

export const authApi = {
  /** The signed-in session, or null when there is none. */
  getSession: async (): Promise<Session | null> => {
    try {
      return await request<Session>('GET', '/auth/session');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: (email: string, password: string) => request<Session>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
};
