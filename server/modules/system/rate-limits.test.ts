import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { count, createTestApp, createUser, orgKeys, type TestContext } from '../../test/helpers.ts';

/** Two app instances on one database, in one process: the rate-limit count lives in the database. */
describe('rate limits in the database', () => {
  let t: TestContext;
  let other: FastifyInstance;
  const LIMIT = 3;

  beforeAll(async () => {
    t = await createTestApp({ loginRateLimit: LIMIT, publicRateLimit: LIMIT });
    other = await buildApp({ database: t.database, config: t.config, webRoot: null });
    await other.ready();
    await createUser(t.database, { email: 'shared@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const attempt = (app: FastifyInstance, email = 'shared@test.dk') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong-wrong-wrong' } }).then((r) => r.statusCode);
  const counters = () => t.database.rows<{ key: string; hits: number }>(sql`SELECT key, hits FROM rate_limit_counters ORDER BY hits DESC`);

  it('counts sign-in attempts on either instance against one limit', async () => {
    expect([await attempt(t.app), await attempt(other), await attempt(t.app)]).toEqual([401, 401, 401]);
    expect([await attempt(other), await attempt(t.app)]).toEqual([429, 429]);
  });

  it('lets exactly the limit through when attempts arrive at once on both instances', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(i % 2 ? other : t.app, 'burst@test.dk')));
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - LIMIT);
  });

  it('keeps a separate count per route', async () => {
    const catalogue = () => other.inject({ url: '/api/v1/public/offers' }).then((r) => r.statusCode);
    expect([await catalogue(), await catalogue(), await catalogue(), await catalogue()]).toEqual([200, 200, 200, 429]);
  });

  it('stores neither the address nor the e-mail address', async () => {
    const rows = await counters();
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[\w-]{43}$/);
    expect(JSON.stringify(rows)).not.toMatch(/shared|127\.0\.0\.1/);
  });

  it('starts a new window when the last one has ended', async () => {
    await t.database.db.execute(sql`UPDATE rate_limit_counters SET expires_at = now() - interval '1 second'`);
    expect(await attempt(other)).toBe(401);
    expect((await counters())[0]!.hits).toBe(1);
  });

  it('prunes ended windows of other clients as it counts, a few at a time', async () => {
    await t.database.db.execute(sql`DELETE FROM rate_limit_counters`);
    await t.database.db.execute(sql`INSERT INTO rate_limit_counters (key, hits, expires_at) SELECT 'ended-' || i, 5, now() - interval '1 minute' FROM generate_series(1, 5) i`);
    await attempt(t.app, 'someone@test.dk');
    expect(await count(t.database, "rate_limit_counters WHERE key LIKE 'ended-%'")).toBe(3);
    await attempt(t.app, 'someone@test.dk');
    await attempt(t.app, 'someone@test.dk');
    expect(await count(t.database, "rate_limit_counters WHERE key LIKE 'ended-%'")).toBe(0);
    expect(await count(t.database, 'rate_limit_counters')).toBe(1);
  });
});
