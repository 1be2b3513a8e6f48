import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.ts';
import { abilitiesOf, actorFromUser } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { findUser, findUserForLogin, normaliseEmail } from '../users/service.ts';
import { userSchema } from '../users/routes.ts';
import { verifyPassword } from './passwords.ts';
import { createSession, deleteSession } from './sessions.ts';
import { actorOf, SESSION_COOKIE } from './plugin.ts';

const flags = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.boolean()])) as Record<K, z.ZodBoolean>);
const abilitiesSchema = z.object({
  sections: flags(['myWork', 'search', 'leads', 'referrals', 'evaluation', 'contracts', 'prospects', 'catalogue', 'offers', 'users', 'audit'] as const),
  create: flags(['engagement', 'prospect', 'consent', 'offer', 'list'] as const),
});
const sessionResponse = z.object({ user: userSchema, csrfToken: z.string(), abilities: abilitiesSchema });

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
        summary: 'Sign in; sets the session cookie and returns the CSRF token',
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: sessionResponse },
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
    { schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token', response: { 200: sessionResponse } } },
    async (request) => {
      const actor = actorOf(request);
      const user = await findUser(app.database.db, actor.userId);
      return { user: user!, csrfToken: request.session!.csrfToken, abilities: abilitiesOf(actor) };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteSession(app.database.db, request.session!.tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
};
