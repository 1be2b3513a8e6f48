import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestApp, createUser, createTestDatabase, orgKeys, TEST_PASSWORD, type TestContext } from '../test/helpers.ts';
import type { Database } from '../db/client.ts';
import { helmetOptions } from './security-headers.ts';
import { SHELL_GUARD_CSP_SOURCE } from './public-shell.ts';

/**
 * What @fastify/helmet set on every answer before the headers were computed once (captured from it,
 * issue 17), plus the hash that allows the pre-rendered public pages' one inline script.
 */
const csp = (production: boolean) =>
  `default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self' ${SHELL_GUARD_CSP_SOURCE};script-src-attr 'none';style-src 'self' 'unsafe-inline';` +
  (production ? 'upgrade-insecure-requests;' : '') +
  "connect-src 'self'";
const expected = (production: boolean) => ({
  'content-security-policy': csp(production),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  ...(production ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** The headers @fastify/helmet adds to a bare answer with the same options: the reference the precomputed set must equal. */
async function fastifyHelmetHeaders(production: boolean) {
  const bare = Fastify();
  bare.get('/', async () => ({}));
  const without = await bare.inject({ url: '/' });
  await bare.close();
  const reference = Fastify();
  // @fastify/helmet bundles its own copy of helmet's types; the options are the same object.
  await reference.register(fastifyHelmet, helmetOptions(production) as FastifyHelmetOptions);
  reference.get('/', async () => ({}));
  const withHelmet = await reference.inject({ url: '/' });
  await reference.close();
  return Object.fromEntries(Object.entries(withHelmet.headers).filter(([name]) => !(name in without.headers)));
}

const securityPart = (headers: Record<string, unknown>, names: string[]) => Object.fromEntries(names.filter((n) => n in headers).map((n) => [n, headers[n]]));
const allNames = Object.keys(expected(true));

describe.each([false, true])('security headers (production %s)', (production) => {
  let t: TestContext;
  let session: string;
  beforeAll(async () => {
    t = await createTestApp({ production });
    await createUser(t.database, { email: 'headers@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  });
  afterAll(() => t.close());

  it('are exactly the ones @fastify/helmet sets with the same options', async () => {
    expect(await fastifyHelmetHeaders(production)).toEqual(expected(production));
  });

  it('are on every kind of answer: success, sign-in, refusal, validation error, unknown paths', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'headers@test.dk', password: TEST_PASSWORD } });
    session = `kp_session=${login.cookies.find((c) => c.name === 'kp_session')!.value}`;
    const answers = [
      login,
      await t.app.inject({ url: '/api/health' }),
      await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session } }),
      await t.app.inject({ url: '/api/v1/companies' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@y.dk' } }),
      await t.app.inject({ url: '/api/nope' }),
      await t.app.inject({ url: '/nope' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 401, 400, 404, 404]);
    for (const answer of answers) expect(securityPart(answer.headers, allNames), answer.raw.req.url).toEqual(expected(production));
  });
});

describe('security headers on the web app', () => {
  let database: Database;
  let webRoot: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    webRoot = mkdtempSync(path.join(tmpdir(), 'kp-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Knudepunkt</title>');
  });
  afterAll(async () => {
    await database.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('are on the page and on client-side routes', async () => {
    const app = await buildApp({ database, config: loadConfig({}), webRoot });
    try {
      for (const url of ['/', '/virksomheder/12345678']) {
        const page = await app.inject({ url });
        expect(page.statusCode, url).toBe(200);
        expect(securityPart(page.headers, allNames), url).toEqual(expected(false));
      }
    } finally {
      await app.close();
    }
  });
});
