import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../../http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { SessionCache } from './session-cache.ts';
import { resolveSession, type ResolvedSession, type SessionRow } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
  }
  interface FastifyInstance {
    /** Sessions this server has looked up recently; routes that end sessions tell it at once. */
    sessionCache: SessionCache<SessionRow>;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (sign-in, health, the public entry point). */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'kp_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in actor; routes call this instead of reading the session themselves. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.session) throw new HttpProblem(401, 'problem.401');
  return request.session.actor;
}

/**
 * Resolves the session cookie on every /api request, refuses non-public routes without one (401)
 * and state-changing requests without the session's CSRF token (403).
 */
export const authPlugin = fp(async (app) => {
  const cache = new SessionCache<SessionRow>(app.config.sessionCacheSeconds * 1000);
  await cache.start(app.database);
  app.addHook('onClose', () => cache.close());
  app.decorate('sessionCache', cache);
  app.decorateRequest('session', null);
  app.addHook('preHandler', async (request) => {
    // Unmatched paths fall through to the 404 handler; static files need no session.
    if (!request.url.startsWith('/api/') || !request.routeOptions.url) return;
    const token = request.cookies[SESSION_COOKIE];
    request.session = token ? await resolveSession(app.database, token, app.now(), app.sessionPolicy, cache) : null;
    if (request.routeOptions.config.public) return;
    if (!request.session) throw new HttpProblem(401, token ? 'auth.sessionExpired' : 'problem.401');
    if (SAFE_METHODS.has(request.method)) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameToken(sent, request.session.csrfToken)) throw new HttpProblem(403, 'auth.csrf');
  });
});
