import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { sql } from 'drizzle-orm';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { problemErrorHandler, sendProblem } from './http/problem.ts';
import { refuseNul } from './http/nul.ts';
import { addSecurityHeaders } from './http/security-headers.ts';
import { PUBLIC_PAGES_DIR } from './http/public-shell.ts';
import { loggingOptions, type LogDestination } from './http/logging.ts';
import { parseJsonAsStrictUtf8 } from './http/utf8.ts';
import { openApiDocument, openApiTransform, refuseUndeclaredStatus } from './http/openapi.ts';
import { pickLanguage } from './http/i18n.ts';
import { authPlugin } from './modules/auth/plugin.ts';
import type { SessionPolicy } from './modules/auth/sessions.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { companyRoutes } from './modules/companies/routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { prospectRoutes } from './modules/prospects/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import { savedFilterRoutes } from './modules/saved-filters/routes.ts';
import { activityRoutes } from './modules/activities/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { consentRoutes } from './modules/consents/routes.ts';
import { contactRoutes } from './modules/contacts/routes.ts';
import { engagementRoutes } from './modules/engagements/routes.ts';
import { listRoutes } from './modules/lists/routes.ts';
import { referralRoutes } from './modules/referrals/routes.ts';
import { statisticsRoutes } from './modules/statistics/routes.ts';
import { timelineRoutes } from './modules/timeline/routes.ts';
import { workRoutes } from './modules/work/routes.ts';
import { actionPlanRoutes } from './modules/action-plans/routes.ts';
import { matchRegisterRoutes } from './modules/match-register/routes.ts';
import { taskRoutes } from './modules/tasks/routes.ts';
import { searchRoutes } from './modules/search/routes.ts';
import { evaluationRoutes } from './modules/evaluations/routes.ts';
import { contractRoutes } from './modules/contracts/routes.ts';
import { offerRoutes } from './modules/offers/routes.ts';
import { caseRoutes } from './modules/cases/routes.ts';
import { guidanceRoutes } from './modules/guidance/routes.ts';
import { evaluationPublicRoutes } from './modules/evaluations/public-routes.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { surveyPublicRoutes, surveyRoutes } from './modules/surveys/routes.ts';
import { matchmakingRoutes } from './modules/matchmaking/routes.ts';
import { databaseRateLimitStore } from './modules/system/rate-limits.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    config: Config;
    sessionPolicy: SessionPolicy;
    /** The clock; tests move it to exercise session expiry. */
    now(): Date;
  }
}

export interface AppOptions {
  database: Database;
  config: Config;
  now?: () => Date;
  /** JSON log lines on stdout (`true`) or into the given destination; none by default (tests stay quiet). */
  logger?: boolean | LogDestination;
  /** Serve the built web app from this folder (default: dist/web when it exists). */
  webRoot?: string | null;
  /** Refuse (500) a 2xx answer whose status the route's schema does not declare; the tests run with it, so the API description cannot drift. */
  checkDeclaredStatus?: boolean;
}

/** Trusts the nearest `hops` proxies, as Fastify does for a number (which its types do not admit). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

const defaultWebRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/web');

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    ...loggingOptions(options.logger),
    // Only the configured proxies may name the client (KNUDEPUNKT_TRUST_PROXY); by default nobody,
    // so a client cannot pick a fresh address for the rate limits with a forged X-Forwarded-For.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1 << 20,
    // A request must arrive whole within this (KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS, default 30 s, generous
    // for 1 MiB on a slow line): a client stalling its body is answered 408 and let go, instead of
    // holding a connection (and a shutdown) for good.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Measured on Node 20 and 24: with the default headers timeout (60 s), a stalled body was answered after
    // 60 s even with a 2 s request timeout; and Node looks for expired requests only every
    // connectionsCheckingInterval (30 s by default). Both are brought within the request timeout.
    http: { headersTimeout: Math.min(60_000, config.requestTimeoutSeconds * 1000), connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutSeconds * 500) },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('database', options.database);
  app.decorate('config', config);
  app.decorate('now', options.now ?? (() => new Date()));
  app.decorate('sessionPolicy', { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionAbsoluteHours * 3_600_000 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  // The id a user can quote: in a header on every answer, and in every problem+json body.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // PostgreSQL cannot store NUL: refused as a field error everywhere, before validation.
  app.addHook('preValidation', refuseNul);
  parseJsonAsStrictUtf8(app);
  // API answers carry personal data: no browser or proxy may keep them, errors included. Static assets
  // (not under /api) keep their own caching.
  app.addHook('onSend', async (request, reply) => {
    if (/^\/api(\/|\?|$)/.test(request.url)) reply.header('cache-control', 'no-store');
  });

  if (options.checkDeclaredStatus) app.addHook('onSend', async (request, reply, payload) => refuseUndeclaredStatus(request, reply.statusCode, payload));

  await app.register(cookie);
  addSecurityHeaders(app, config.production);
  await app.register(rateLimit, {
    global: false,
    // After body parsing, so sign-in can be limited per account and address.
    hook: 'preHandler',
    // In the database, not in this process: several app servers share one count.
    store: databaseRateLimitStore(options.database),
    errorResponseBuilder: (_request, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode }),
  });
  await app.register(swagger, { openapi: openApiDocument(config.publicUrl), transform: openApiTransform });
  await app.register(authPlugin);

  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/ready', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    try {
      await options.database.db.execute(sql`SELECT 1`);
      return { status: 'ready', database: options.database.kind };
    } catch {
      return sendProblem(reply, pickLanguage(request.headers['accept-language']), 503, 'problem.503');
    }
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(organisationRoutes);
      await api.register(userRoutes);
      await api.register(savedFilterRoutes);
      await api.register(companyRoutes);
      await api.register(prospectRoutes);
      await api.register(contactRoutes);
      await api.register(consentRoutes);
      await api.register(engagementRoutes);
      await api.register(activityRoutes);
      await api.register(referralRoutes);
      await api.register(timelineRoutes);
      await api.register(workRoutes);
      await api.register(taskRoutes);
      await api.register(searchRoutes);
      await api.register(listRoutes);
      await api.register(statisticsRoutes);
      await api.register(auditRoutes);
      await api.register(evaluationRoutes);
      await api.register(contractRoutes);
      await api.register(offerRoutes);
      await api.register(caseRoutes);
      await api.register(guidanceRoutes);
      await api.register(evaluationPublicRoutes);
      await api.register(eventRoutes);
      await api.register(actionPlanRoutes);
      await api.register(matchRegisterRoutes);
      await api.register(surveyRoutes);
      await api.register(surveyPublicRoutes);
      await api.register(matchmakingRoutes);
    },
    { prefix: '/api/v1' },
  );

  const webRoot = options.webRoot === undefined ? defaultWebRoot : options.webRoot;
  const serveWeb = webRoot !== null && existsSync(path.join(webRoot, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each file (vite.config.ts); the best one the client accepts is sent.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        // Files under assets/ carry a content hash in their name, so they never change: cached for a
        // year without revalidation. index.html names the current hashes, so it is always revalidated.
        const hashed = path.relative(webRoot, file).split(path.sep)[0] === 'assets';
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  const prerendered = serveWeb ? prerenderedPages(webRoot) : new Map<string, string>();

  app.setNotFoundHandler((request, reply) => {
    const lang = pickLanguage(request.headers['accept-language']);
    if (serveWeb && request.method === 'GET' && !request.url.startsWith('/api')) {
      const file = request.url.split('?')[0]!;
      // Missing static assets are real 404s; everything else is a client-side route.
      if (!file.startsWith('/assets/')) {
        // A public page's pre-rendered HTML paints before the script runs; it shows the page without
        // a search, so a URL with a query string gets the plain shell.
        const page = request.url.includes('?') ? undefined : prerendered.get(file.replace(/(.)\/$/, '$1'));
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile(page ?? 'index.html');
      }
    }
    return sendProblem(reply, lang, 404, 'problem.404');
  });

  return app;
}

/**
 * The public pages the build pre-rendered (scripts/prerender-public-pages.ts): route path →
 * file under the web root, e.g. /arrangementer/kalender → public-pages/arrangementer/kalender.html.
 */
function prerenderedPages(webRoot: string): Map<string, string> {
  const pages = new Map<string, string>();
  const dir = path.join(webRoot, PUBLIC_PAGES_DIR);
  if (!existsSync(dir)) return pages;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.relative(webRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    pages.set(`/${file.slice(PUBLIC_PAGES_DIR.length + 1, -'.html'.length)}`, file);
  }
  return pages;
}
