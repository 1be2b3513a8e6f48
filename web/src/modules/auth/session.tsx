import { useCallback, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import { onUnauthorized, setCsrfToken, type Session } from '../../shared/api.ts';
import { authApi } from './api.ts';
import { ErrorAlert, Loading } from '../../shared/components/Feedback.tsx';

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  return useQuery<Session | null>({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const s = await authApi.getSession();
      setCsrfToken(s?.csrfToken ?? null);
      return s;
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Store a fresh session (after login) or clear it (after logout / 401). */
export function useSetSession() {
  const qc = useQueryClient();
  return useCallback(
    (s: Session | null) => {
      setCsrfToken(s?.csrfToken ?? null);
      if (s === null) {
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      }
      qc.setQueryData(SESSION_KEY, s);
    },
    [qc],
  );
}

/** When any API call answers 401 the session has ended: forget it (the guard then redirects to /login). */
export function UnauthorizedWatcher() {
  const setSession = useSetSession();
  useEffect(() => {
    onUnauthorized(() => setSession(null));
    return () => onUnauthorized(null);
  }, [setSession]);
  return null;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorAlert error={session.error} />;
  if (!session.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}
