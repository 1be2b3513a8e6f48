import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy, type Config } from '../../config.ts';
import { count, createTestApp, createUser, orgKeys, problem, type TestContext } from '../helpers.ts';

/** Issue 10, hole 3: a client must not escape the rate limits by naming itself in X-Forwarded-For. */

async function appWithVictim(overrides: Partial<Config>) {
  const t = await createTestApp({ loginRateLimit: 3, ...overrides });
  await createUser(t.database, { email: 'victim@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  return t;
}

const attempt = (t: TestContext, headers: Record<string, string> = {}, remoteAddress?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, remoteAddress, payload: { email: 'victim@test.dk', password: 'wrong-wrong-wrong' } });

const failures = (t: TestContext) => count(t.database, "audit_log WHERE action = 'auth.login_failed'");

describe('a forged X-Forwarded-For in production, with no proxy configured', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    // Production as loaded from an environment that does not name a proxy.
    t = await appWithVictim({ production: true, trustProxy: loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://knudepunkt.example.dk' }).trustProxy });
  });

  it('gives no fresh sign-in attempts', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(t, { 'x-forwarded-for': `203.0.113.${i + 1}` })).statusCode).toBe(401);
    const before = await failures(t);
    for (const forged of ['198.51.100.9', '10.0.0.1, 198.51.100.10', '2001:db8::1']) {
      const response = await attempt(t, { 'x-forwarded-for': forged });
      expect(problem(response), forged).toMatchObject({ status: 429, type: expect.stringContaining('application/problem+json') });
    }
    // The refused attempts never reached the password check.
    expect(await failures(t)).toBe(before);
  });

  it('logs the real peer address, not the forged one', async () => {
    const [row] = await t.database.rows<{ ip: string }>(sql`SELECT DISTINCT details->>'ip' AS ip FROM audit_log WHERE action = 'auth.login_failed'`);
    expect(row).toEqual({ ip: '127.0.0.1' });
  });
});

describe('a configured proxy', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await appWithVictim({ production: true, trustProxy: loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://knudepunkt.example.dk', KNUDEPUNKT_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy });
  });

  it('is honoured: the client it names is limited on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(t, { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(401);
    expect((await attempt(t, { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(429);
    // Through a chain of trusted proxies, the first untrusted address is the client.
    expect((await attempt(t, { 'x-forwarded-for': '203.0.113.1, 10.1.2.3' })).statusCode).toBe(429);
    // Another client behind the same proxy has its own attempts.
    expect((await attempt(t, { 'x-forwarded-for': '203.0.113.2' })).statusCode).toBe(401);
  });

  it('is not honoured from an address that is not the proxy', async () => {
    const outsider = '198.51.100.77';
    for (let i = 0; i < 3; i++) expect((await attempt(t, { 'x-forwarded-for': `192.0.2.${i + 1}` }, outsider)).statusCode).toBe(401);
    expect((await attempt(t, { 'x-forwarded-for': '192.0.2.200' }, outsider)).statusCode).toBe(429);
  });
});

describe('a proxy hop count', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await appWithVictim({ trustProxy: loadConfig({ KNUDEPUNKT_TRUST_PROXY: '1' }).trustProxy });
  });

  it('trusts exactly that many hops: only the last address the proxy added counts', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(t, { 'x-forwarded-for': `192.0.2.${i + 1}, 203.0.113.5` })).statusCode).toBe(401);
    expect((await attempt(t, { 'x-forwarded-for': '192.0.2.99, 203.0.113.5' })).statusCode).toBe(429);
  });
});

describe('KNUDEPUNKT_TRUST_PROXY', () => {
  it('trusts nobody unless told', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://knudepunkt.example.dk' }).trustProxy).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
  });

  it('reads a hop count or a list of addresses and CIDRs', () => {
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy(' 10.0.0.1 , 192.168.0.0/16,fd00::/8, loopback')).toEqual(['10.0.0.1', '192.168.0.0/16', 'fd00::/8', 'loopback']);
  });

  it.each(['true', '*', '10.0.0.0/33', '::1/129', '10.0.0.1,', 'proxy.example.dk', '-1', '1.5'])('refuses %j', (raw) => {
    expect(() => loadConfig({ KNUDEPUNKT_TRUST_PROXY: raw })).toThrow(/KNUDEPUNKT_TRUST_PROXY/);
  });
});
