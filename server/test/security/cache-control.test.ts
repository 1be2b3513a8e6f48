import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { importCvrFile } from '../../modules/companies/import.ts';
import { cvrFixture } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgKeys, TEST_PASSWORD, type Session, type TestContext } from '../helpers.ts';

/**
 * Issue 10, hole 10: API answers carry personal data, so no browser cache (a shared office PC, the
 * back button after signing out) or proxy may keep them — errors included.
 */
describe('Cache-Control on API responses', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;

  beforeAll(async () => {
    t = await createTestApp({ loginRateLimit: 2 });
    await importCvrFile(t.database, cvrFixture);
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'limited@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    adviser = await login(t.app, 'adviser@syd.dk');
  });

  const inject = (options: InjectOptions) => t.app.inject(options);

  it.each([
    ['the signed-in user', '/api/v1/auth/session', 200],
    ['a company', '/api/v1/companies/42611433', 200],
    ['the audit log refused', '/api/v1/audit', 403],
    ['users refused', '/api/v1/users', 403],
    ['a validation error', '/api/v1/companies/123', 400],
    ['an unknown API path', '/api/v1/no-such-thing', 404],
  ])('marks %s no-store', async (_what, url, status) => {
    const response = await inject({ url, headers: adviser.headers });
    expect(response.statusCode).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('marks sign-in, its failures and the rate limit no-store', async () => {
    const ok = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'adviser@syd.dk', password: TEST_PASSWORD } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const statuses: [number, unknown][] = [];
    for (let i = 0; i < 3; i++) {
      const r = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'limited@syd.dk', password: 'wrong-wrong-wrong' } });
      statuses.push([r.statusCode, r.headers['cache-control']]);
    }
    expect(statuses).toEqual([[401, 'no-store'], [401, 'no-store'], [429, 'no-store']]);
  });

  it('marks answers without a session no-store', async () => {
    const response = await inject({ url: '/api/v1/companies/42611433' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['cache-control']).toBe('no-store');
    const guidance = await inject({ method: 'POST', url: '/api/v1/public/guidance-requests', payload: {} });
    expect(guidance.statusCode).toBe(400);
    expect(guidance.headers['cache-control']).toBe('no-store');
    const catalogue = await inject({ url: '/api/v1/public/offers' });
    expect(catalogue.statusCode).toBe(200);
    expect(catalogue.headers['cache-control']).toBe('no-store');
  });
});

describe('Cache-Control on the web app', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let web: Awaited<ReturnType<typeof buildApp>>;
  afterAll(() => web.close());

  beforeAll(async () => {
    t = await createTestApp();
    const root = mkdtempSync(path.join(tmpdir(), 'kp-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Knudepunkt</title>');
    writeFileSync(path.join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    web = await buildApp({ database: t.database, config: t.config, webRoot: root });
    await web.ready();
  });

  it('leaves static assets and the app shell their own caching', async () => {
    const asset = await web.inject({ url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).not.toContain('no-store');
    const shell = await web.inject({ url: '/virksomheder/42611433' });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['cache-control']).not.toContain('no-store');
    expect((await web.inject({ url: '/api/v1/auth/session' })).headers['cache-control']).toBe('no-store');
  });
});
