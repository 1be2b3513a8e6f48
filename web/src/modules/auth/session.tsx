import { useCallback, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import { onUnauthorized, setCsrfToken, type Session } from '../../shared/api.ts';
import { authApi } from './api.ts';
import { ErrorAlert, Loading } from '../../shared/components/Feedback.tsx';

export const SESSION_KEY = ['session'] as const;

/**
 * A note in this browser that someone signed in here (the session cookie itself is HttpOnly). Public
 * pages ask for the session only when it is set, so a visitor's page view makes no /auth/session
 * call. It only decides whether to ask: the server's answer is what counts, and it clears the note.
 */
const SIGNED_IN_HINT_KEY = 'kp-signed-in';

function hasSignedInHint(): boolean {
  try {
    return globalThis.localStorage?.getItem(SIGNED_IN_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberSession(s: Session | null): void {
  setCsrfToken(s?.csrfToken ?? null);
  try {
    if (s) localStorage.setItem(SIGNED_IN_HINT_KEY, '1');
    else localStorage.removeItem(SIGNED_IN_HINT_KEY);
  } catch {
    // storage unavailable: public pages then show the public header to a signed-in user too
  }
}

const sessionQuery = {
  queryKey: SESSION_KEY,
  queryFn: async () => {
    const s = await authApi.getSession();
    rememberSession(s);
    return s;
  },
  staleTime: 5 * 60_000,
  retry: false,
};

export function useSession() {
  return useQuery<Session | null>(sessionQuery);
}

/** The session on a public page: asked for only when someone has signed in in this browser. */
export function useSessionIfSignedIn() {
  return useQuery<Session | null>({ ...sessionQuery, enabled: hasSignedInHint() });
}

/** Store a fresh session (after login) or clear it (after logout / 401). */
export function useSetSession() {
  const qc = useQueryClient();
  return useCallback(
    (s: Session | null) => {
      rememberSession(s);
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
