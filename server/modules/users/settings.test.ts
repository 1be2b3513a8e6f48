import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgId, orgKeys, problem, type Session, type TestContext } from '../../test/helpers.ts';
import { notificationRecipients } from './service.ts';

describe('notification settings (GET/PUT /me/settings)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;
  let ew: Session;
  let manager: Session;
  let admin: Session;
  let hubId: string;

  const recipients = async (kind: 'leads' | 'referrals') => (await notificationRecipients(t.database.db, hubId, kind)).map((r) => r.email);
  const settingsOf = async (s: Session) => {
    const response = await t.app.inject({ url: '/api/v1/me/settings', headers: s.headers });
    expect(response.statusCode).toBe(200);
    return response.json() as { notifications: { leads: boolean; referrals: boolean }; notifiedByDefault: { leads: boolean; referrals: boolean }; chosen: { leads: boolean; referrals: boolean } };
  };
  const put = (s: Session, payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url: '/api/v1/me/settings', headers: s.headers, payload });

  beforeAll(async () => {
    t = await createTestApp();
    hubId = await orgId(t.database, orgKeys.sydjylland);
    await createUser(t.database, { email: 'adviser@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@test.dk', role: 'adviser', earlyWarning: true, org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'manager@test.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@test.dk', role: 'admin', org: orgKeys.sydjylland });
    adviser = await login(t.app, 'adviser@test.dk');
    ew = await login(t.app, 'ew@test.dk');
    manager = await login(t.app, 'manager@test.dk');
    admin = await login(t.app, 'admin@test.dk');
  });

  it('answers the defaults per role: an adviser is mailed, the Early Warning team and a manager are not', async () => {
    expect(await settingsOf(adviser)).toEqual({ notifications: { leads: true, referrals: true }, notifiedByDefault: { leads: true, referrals: true }, chosen: { leads: false, referrals: false } });
    expect(await settingsOf(ew)).toEqual({ notifications: { leads: false, referrals: false }, notifiedByDefault: { leads: false, referrals: false }, chosen: { leads: false, referrals: false } });
    expect(await settingsOf(manager)).toEqual({ notifications: { leads: false, referrals: false }, notifiedByDefault: { leads: false, referrals: false }, chosen: { leads: false, referrals: false } });
    expect(await recipients('leads')).toEqual(['adviser@test.dk']);
    expect(await recipients('referrals')).toEqual(['adviser@test.dk']);
  });

  it('stores the own choice, and the recipients follow it', async () => {
    const optIn = await put(manager, { notifications: { leads: true, referrals: false } });
    expect(optIn.statusCode).toBe(200);
    expect(optIn.json()).toEqual({ notifications: { leads: true, referrals: false }, notifiedByDefault: { leads: false, referrals: false }, chosen: { leads: true, referrals: true } });
    const optOut = await put(adviser, { notifications: { leads: true, referrals: false } });
    expect(optOut.json()).toMatchObject({ notifications: { leads: true, referrals: false }, notifiedByDefault: { leads: true, referrals: true } });
    await put(ew, { notifications: { leads: false, referrals: true } });

    expect(await recipients('leads')).toEqual(['adviser@test.dk', 'manager@test.dk']);
    expect(await recipients('referrals')).toEqual(['ew@test.dk']);
    expect(await settingsOf(manager)).toMatchObject({ notifications: { leads: true, referrals: false } });
  });

  it('goes back to the default on null', async () => {
    const response = await put(adviser, { notifications: { leads: null, referrals: null } });
    expect(response.json()).toEqual({ notifications: { leads: true, referrals: true }, notifiedByDefault: { leads: true, referrals: true }, chosen: { leads: false, referrals: false } });
    expect(await recipients('referrals')).toEqual(['adviser@test.dk', 'ew@test.dk']);
  });

  it("cannot change another user's settings: no id is taken, and an admin gets no way in", async () => {
    const before = await settingsOf(manager);
    const adviserId = (await t.app.inject({ url: '/api/v1/auth/session', headers: adviser.headers })).json().user.id as string;
    // An id smuggled into the body is refused, not applied to anyone.
    const smuggled = await put(admin, { userId: adviserId, notifications: { leads: false, referrals: false } });
    expect(smuggled.statusCode).toBe(400);
    const nested = await put(admin, { notifications: { leads: false, referrals: false, userId: adviserId } });
    expect(nested.statusCode).toBe(400);
    // The admin's user administration has no notification fields.
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${adviserId}`, headers: admin.headers, payload: { notifyLeads: false } });
    expect(patch.statusCode).toBe(400);
    // There is no route to another user's settings.
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/users/${adviserId}/settings`, headers: admin.headers, payload: { notifications: { leads: false, referrals: false } } })).statusCode).toBe(404);
    // The admin's own change touches only the admin.
    await put(admin, { notifications: { leads: true, referrals: true } });
    expect(await settingsOf(adviser)).toMatchObject({ chosen: { leads: false, referrals: false } });
    expect(await settingsOf(manager)).toEqual(before);
    expect(await recipients('leads')).toEqual(['admin@test.dk', 'adviser@test.dk', 'manager@test.dk']);
  });

  it('refuses a missing value, a non-boolean, no session and no CSRF token', async () => {
    const missing = await put(adviser, { notifications: { leads: true } });
    expect(problem(missing).body.errors?.map((e) => e.field)).toEqual(['notifications.referrals']);
    expect((await put(adviser, { notifications: { leads: 'yes', referrals: true } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/me/settings' })).statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: 'PUT', url: '/api/v1/me/settings', headers: { cookie: adviser.cookie }, payload: { notifications: { leads: false, referrals: false } } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await settingsOf(adviser)).toMatchObject({ notifications: { leads: true, referrals: true }, chosen: { leads: false, referrals: false } });
  });

  it('records the change in the audit log', async () => {
    expect(await count(t.database, "audit_log WHERE entity = 'user' AND action = 'update' AND details ? 'notifications'")).toBeGreaterThanOrEqual(5);
  });
});
