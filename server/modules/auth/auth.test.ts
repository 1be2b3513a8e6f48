import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, TEST_PASSWORD, type TestContext } from '../../test/helpers.ts';

describe('sign-in and sessions', () => {
  let t: TestContext;
  afterAll(() => t.close());

  beforeAll(async () => {
    t = await createTestApp({ sessionIdleMinutes: 30, sessionAbsoluteHours: 12, loginRateLimit: 8 });
    await createUser(t.database, { email: 'adviser@test.dk', role: 'adviser', org: orgKeys.sydjylland, name: 'Ada Adviser' });
    await createUser(t.database, { email: 'limited@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  });

  it('signs in with e-mail and password, returning the user, a CSRF token and a hardened cookie', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'Adviser@Test.dk', password: TEST_PASSWORD } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ email: 'adviser@test.dk', name: 'Ada Adviser', role: 'adviser', organisation: { name: 'Erhvervshus Sydjylland', type: 'business_hub' } });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/kp_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
  });

  it('returns the same CSRF token from the session endpoint', async () => {
    const session = await login(t.app, 'adviser@test.dk');
    const response = await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(response.json()).toMatchObject({ csrfToken: session.csrfToken, user: { email: 'adviser@test.dk' } });
  });

  it('rejects a wrong password or unknown user with the same 401', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'adviser@test.dk', password: 'nope-nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ghost@test.dk', password: 'nope-nope-nope' } });
    expect(problem(wrong)).toMatchObject({ status: 401, body: { detail: 'Forkert e-mail eller adgangskode.' } });
    expect(unknown.json().detail).toBe(wrong.json().detail);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('answers 401 on protected routes without a session', async () => {
    for (const url of ['/api/v1/auth/session', '/api/v1/companies', '/api/v1/organisations', '/api/v1/users']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('signs out: the session no longer works', async () => {
    const session = await login(t.app, 'adviser@test.dk');
    const withoutCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie } });
    expect(withoutCsrf.statusCode).toBe(403);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } })).statusCode).toBe(401);
  });

  it('expires an idle session', async () => {
    const session = await login(t.app, 'adviser@test.dk');
    t.clock.now = new Date(t.clock.now.getTime() + 29 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } })).statusCode).toBe(200);
    // Activity resets the idle timer …
    t.clock.now = new Date(t.clock.now.getTime() + 29 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } })).statusCode).toBe(200);
    // … and 31 quiet minutes end the session.
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 60_000);
    const expired = await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(problem(expired)).toMatchObject({ status: 401, body: { detail: expect.stringContaining('udløbet') } });
  });

  it('expires a session at its absolute limit however active it is', async () => {
    const session = await login(t.app, 'adviser@test.dk');
    const check = () => t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    // Active every 25 minutes (never idle): 28 steps reach 11 h 40 min, still signed in …
    for (let i = 0; i < 28; i++) {
      t.clock.now = new Date(t.clock.now.getTime() + 25 * 60_000);
      expect((await check()).statusCode, `after ${(i + 1) * 25} min`).toBe(200);
    }
    // … the 29th passes 12 hours.
    t.clock.now = new Date(t.clock.now.getTime() + 25 * 60_000);
    expect((await check()).statusCode).toBe(401);
  });

  it('follows the user in the database: a deactivation or a change of role takes effect on the next request once announced', async () => {
    const id = await createUser(t.database, { email: 'changing@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    const session = await login(t.app, 'changing@test.dk');
    const check = () => t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    // A change by hand reaches the session cache through the database's NOTIFY, a few milliseconds
    // after the commit; `settled` waits for exactly that delivery, no longer.
    const byHand = async (change: ReturnType<typeof sql>) => {
      await t.database.rows(change);
      await t.app.sessionCache.settled(t.database);
    };
    expect((await check()).json().user.role).toBe('adviser');
    await byHand(sql`UPDATE users SET role = 'manager' WHERE id = ${id}`);
    expect((await check()).json().user.role).toBe('manager');
    // Deactivated behind the app's back (not through the users route, which also deletes the sessions).
    await byHand(sql`UPDATE users SET active = false WHERE id = ${id}`);
    expect((await check()).statusCode).toBe(401);
    // … and the refused session is gone for good, even if the user comes back.
    await byHand(sql`UPDATE users SET active = true WHERE id = ${id}`);
    expect((await check()).statusCode).toBe(401);
  });

  it('refuses a state-changing request with another session\'s CSRF token', async () => {
    await createUser(t.database, { email: 'crossed@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    const a = await login(t.app, 'crossed@test.dk');
    const b = await login(t.app, 'crossed@test.dk');
    const crossed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a.cookie, 'x-csrf-token': b.csrfToken } });
    expect(crossed.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: a.cookie } })).statusCode).toBe(200);
  });

  it('records activity at most once a minute', async () => {
    await createUser(t.database, { email: 'active@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    const session = await login(t.app, 'active@test.dk');
    const lastSeen = async () => {
      const [row] = await t.database.rows<{ at: string }>(sql`SELECT last_seen_at::text AS at FROM sessions WHERE csrf_token = ${session.csrfToken}`);
      return row!.at;
    };
    const signedIn = await lastSeen();
    t.clock.now = new Date(t.clock.now.getTime() + 30_000);
    await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(await lastSeen()).toBe(signedIn);
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(new Date(await lastSeen()).getTime()).toBe(t.clock.now.getTime());
  });

  it('rate-limits sign-in attempts with 429', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'limited@test.dk', password: 'wrong-wrong-wrong' } });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await attempt()).statusCode);
    expect(statuses).toEqual(Array(8).fill(401));
    const limited = await attempt();
    expect(problem(limited)).toMatchObject({ status: 429, type: expect.stringContaining('application/problem+json') });
    // Even the right password is refused until the window passes.
    const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'limited@test.dk', password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(429);
  });

  it('validates the sign-in body', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en' }, payload: { email: 'a@b.dk' } });
    expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'password', message: 'This field is required.' }] } });
  });

  it('sends security headers', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('sign-in in production configuration', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp({ secureCookies: true });
    await createUser(t.database, { email: 'x@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  });

  it('marks the cookie Secure', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@test.dk', password: TEST_PASSWORD } });
    expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
  });
});
