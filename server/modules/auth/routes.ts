import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.ts';
import { abilitiesOf, actorFromUser } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { findUser, findUserForLogin, normaliseEmail } from '../users/service.ts';
import { loginBody, sessionSchema } from './schemas.ts';
import { verifyPassword } from './passwords.ts';
import { createSession, deleteSession } from './sessions.ts';
import { actorOf, SESSION_COOKIE } from './plugin.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
    maxAge: Math.floor(app.sessionPolicy.absoluteMs / 1000),
  };

  app.post(
    '/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: app.config.loginRateLimit,
          timeWindow: '1 minute',
          // Per address and account: stops guessing one account without locking out a shared office network.
          // The account is keyed exactly as it is looked up, so padding or re-casing it gives no fresh attempts.
          keyGenerator: (request) => `${request.ip}|${normaliseEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`,
        },
      },
      schema: {
        tags: ['auth'],
        operationId: 'signIn',
        summary: 'Sign in; sets the session cookie and returns the CSRF token',
        body: loginBody,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const { db } = app.database;
      const candidate = await findUserForLogin(db, request.body.email);
      const ok = await verifyPassword(candidate?.passwordHash, request.body.password);
      if (!candidate || !ok) {
        await audit(db, null, { action: 'auth.login_failed', entity: 'user', details: { email: normaliseEmail(request.body.email), ip: request.ip } });
        throw new HttpProblem(401, 'auth.invalidCredentials');
      }
      const { token, csrfToken } = await createSession(db, candidate.id, app.now(), app.sessionPolicy);
      const user = await findUser(db, candidate.id);
      await audit(db, null, { action: 'auth.login', entity: 'user', entityId: candidate.id, details: { ip: request.ip } });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return { user: user!, csrfToken, abilities: abilitiesOf(actorFromUser(user!)) };
    },
  );

  app.get(
    '/auth/session',
    { schema: { tags: ['auth'], operationId: 'getSession', summary: 'The signed-in user, the CSRF token and what the user may do', response: { 200: sessionSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const user = await findUser(app.database.db, actor.userId);
      return { user: user!, csrfToken: request.session!.csrfToken, abilities: abilitiesOf(actor) };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], operationId: 'signOut', summary: 'Sign out: ends the session', response: { 204: z.null().describe('Signed out') } } },
    async (request, reply) => {
      await deleteSession(app.database.db, request.session!.tokenHash);
      app.sessionCache.forgetSession(request.session!.tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
};
