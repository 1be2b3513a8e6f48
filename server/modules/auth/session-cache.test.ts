import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { openPostgres, type Database } from '../../db/client.ts';
import { createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';

const sessionOf = (app: FastifyInstance, session: Session) => app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
const abilitiesIn = async (app: FastifyInstance, session: Session) => {
  const response = await sessionOf(app, session);
  return response.statusCode === 200 ? (response.json() as { abilities: unknown }).abilities : response.statusCode;
};

/** Deactivates a user with the announcement switched off: nothing tells a server, so only a cache could still say yes. */
async function deactivateUnannounced(database: Database, email: string) {
  await database.db.execute(sql`ALTER TABLE users DISABLE TRIGGER users_announce_changed`);
  await database.db.execute(sql`UPDATE users SET active = false WHERE email = ${email}`);
  await database.db.execute(sql`ALTER TABLE users ENABLE TRIGGER users_announce_changed`);
}

describe('the session cache: a server remembers a session, and the database makes it forget', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'adviser@cache.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'other@cache.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@cache.dk', role: 'manager', org: orgKeys.sydjylland, systemAdmin: true });
  });

  const setActive = (email: string, active: boolean) => t.database.db.execute(sql`UPDATE users SET active = ${active} WHERE email = ${email}`);

  it('answers from memory: with the announcement switched off, a deactivation by hand goes unnoticed — with it on, it takes effect on the next request', async () => {
    const session = await login(t.app, 'adviser@cache.dk');
    expect((await sessionOf(t.app, session)).statusCode).toBe(200);

    // Proves the cache is in use: without the trigger nothing tells this server.
    await deactivateUnannounced(t.database, 'adviser@cache.dk');
    expect((await sessionOf(t.app, session)).statusCode).toBe(200);

    // The same change, announced: refused at once.
    await setActive('adviser@cache.dk', false);
    await t.app.sessionCache.settled(t.database);
    expect((await sessionOf(t.app, session)).statusCode).toBe(401);
    await setActive('adviser@cache.dk', true);
  });

  it('forgets exactly the session signed out, not the same user’s other sessions', async () => {
    const first = await login(t.app, 'adviser@cache.dk');
    const second = await login(t.app, 'adviser@cache.dk');
    expect((await sessionOf(t.app, first)).statusCode).toBe(200);
    expect((await sessionOf(t.app, second)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: first.headers });
    expect(out.statusCode).toBe(204);
    expect((await sessionOf(t.app, first)).statusCode).toBe(401);
    expect((await sessionOf(t.app, second)).statusCode).toBe(200);
  });

  it('a session deleted by hand, or swept with a hundred others, is gone on the next request', async () => {
    const session = await login(t.app, 'other@cache.dk');
    expect((await sessionOf(t.app, session)).statusCode).toBe(200);
    await t.database.db.execute(sql`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'other@cache.dk')`);
    await t.app.sessionCache.settled(t.database);
    expect((await sessionOf(t.app, session)).statusCode).toBe(401);

    // A bulk delete is announced as "forget everything": more than 100 rows in one statement.
    const kept = await login(t.app, 'other@cache.dk');
    expect((await sessionOf(t.app, kept)).statusCode).toBe(200);
    await t.database.db.execute(sql`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
      SELECT md5(g::text), u.id, 'x', now(), now(), now() + interval '1 hour' FROM users u, generate_series(1, 150) g WHERE u.email = 'other@cache.dk'`);
    await t.database.db.execute(sql`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'other@cache.dk')`);
    await t.app.sessionCache.settled(t.database);
    expect((await sessionOf(t.app, kept)).statusCode).toBe(401);
  });

  it('a role changed by an administrator shows in the user’s abilities on the next request', async () => {
    const admin = await login(t.app, 'admin@cache.dk');
    const session = await login(t.app, 'other@cache.dk');
    const before = await abilitiesIn(t.app, session);
    const [{ id }] = await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'other@cache.dk'`) as [{ id: string }];
    // Changing the role ends the user's sessions (users/routes.ts); the user signs in again and sees the new role.
    const change = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin.headers, payload: { role: 'manager' } });
    expect(change.statusCode).toBe(200);
    expect((await sessionOf(t.app, session)).statusCode).toBe(401);
    const again = await login(t.app, 'other@cache.dk');
    expect(await abilitiesIn(t.app, again)).not.toEqual(before);
  });

  it('an organisation changing type makes every server forget every session', async () => {
    const session = await login(t.app, 'adviser@cache.dk');
    expect((await sessionOf(t.app, session)).statusCode).toBe(200);
    await deactivateUnannounced(t.database, 'adviser@cache.dk');
    await t.database.db.execute(sql`UPDATE organisations SET type = type WHERE id = (SELECT organisation_id FROM users WHERE email = 'adviser@cache.dk')`);
    await t.app.sessionCache.settled(t.database);
    expect((await sessionOf(t.app, session)).statusCode).toBe(401);
    await setActive('adviser@cache.dk', true);
  });

  it('with KNUDEPUNKT_SESSION_CACHE_SECONDS=0 every request reads the session', async () => {
    const uncached = await createTestApp({ sessionCacheSeconds: 0 });
    try {
      await createUser(uncached.database, { email: 'plain@cache.dk', role: 'adviser', org: orgKeys.sydjylland });
      const session = await login(uncached.app, 'plain@cache.dk');
      expect((await sessionOf(uncached.app, session)).statusCode).toBe(200);
      await deactivateUnannounced(uncached.database, 'plain@cache.dk');
      expect((await sessionOf(uncached.app, session)).statusCode).toBe(401);
    } finally {
      await uncached.close();
    }
  });
});

// Two app servers need a database both can reach: PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)('the session cache across two app servers on one PostgreSQL', () => {
  let t: TestContext;
  let second: { app: FastifyInstance; database: Database };
  beforeAll(async () => {
    t = await createTestApp();
    const [{ name }] = (await t.database.rows<{ name: string }>(sql`SELECT current_database() AS name`)) as [{ name: string }];
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const database = await openPostgres(url.toString());
    const app = await buildApp({ database, config: t.config, now: () => t.clock.now, webRoot: null });
    await app.ready();
    second = { app, database };
    await createUser(t.database, { email: 'adviser@two.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@two.dk', role: 'manager', org: orgKeys.sydjylland, systemAdmin: true });
  });
  afterAll(async () => {
    await second.app.close();
    await second.database.close();
    await t.close();
  });

  it('a sign-out on one server is refused on the other at once', async () => {
    const session = await login(t.app, 'adviser@two.dk');
    expect((await sessionOf(second.app, session)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers })).statusCode).toBe(204);
    await second.app.sessionCache.settled(second.database);
    expect((await sessionOf(second.app, session)).statusCode).toBe(401);
  });

  it('a deactivation on one server is refused on the other at once', async () => {
    const admin = await login(t.app, 'admin@two.dk');
    const session = await login(t.app, 'adviser@two.dk');
    expect((await sessionOf(second.app, session)).statusCode).toBe(200);
    const [{ id }] = (await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'adviser@two.dk'`)) as [{ id: string }];
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin.headers, payload: { active: false } })).statusCode).toBe(200);
    await second.app.sessionCache.settled(second.database);
    expect((await sessionOf(second.app, session)).statusCode).toBe(401);
    await t.database.db.execute(sql`UPDATE users SET active = true WHERE id = ${id}`);
  });

  it('while its listening connection is down, a server caches nothing, so a change made meanwhile is not missed', async () => {
    const session = await login(t.app, 'adviser@two.dk');
    expect((await sessionOf(second.app, session)).statusCode).toBe(200);
    await t.database.db.execute(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    await waitFor(() => !second.app.sessionCache.isListening);
    await t.database.db.execute(sql`UPDATE users SET active = false WHERE email = 'adviser@two.dk'`);
    expect((await sessionOf(second.app, session)).statusCode).toBe(401);
    await t.database.db.execute(sql`UPDATE users SET active = true WHERE email = 'adviser@two.dk'`);
    // It reconnects on its own and listens again.
    await waitFor(() => second.app.sessionCache.isListening);
    const again = await login(t.app, 'adviser@two.dk');
    expect((await sessionOf(second.app, again)).statusCode).toBe(200);
    await t.database.db.execute(sql`UPDATE users SET active = false WHERE email = 'adviser@two.dk'`);
    await second.app.sessionCache.settled(second.database);
    expect((await sessionOf(second.app, again)).statusCode).toBe(401);
  });
});

async function waitFor(condition: () => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
