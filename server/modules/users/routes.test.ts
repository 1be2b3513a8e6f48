import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgId, orgKeys, problem, TEST_PASSWORD, type Session, type TestContext } from '../../test/helpers.ts';

describe('user administration', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let orgAdmin: Session;
  let systemAdmin: Session;
  let adviser: Session;
  let fynUserId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'orgadmin@test.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'sys@test.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true });
    await createUser(t.database, { email: 'adviser@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    fynUserId = await createUser(t.database, { email: 'fyn@test.dk', role: 'adviser', org: orgKeys.fyn });
    orgAdmin = await login(t.app, 'orgadmin@test.dk');
    systemAdmin = await login(t.app, 'sys@test.dk');
    adviser = await login(t.app, 'adviser@test.dk');
  });

  it("lets an organisation's admin see only its own users", async () => {
    const response = await t.app.inject({ url: '/api/v1/users', headers: orgAdmin.headers });
    const emails = response.json().items.map((u: { email: string }) => u.email);
    expect(emails.sort()).toEqual(['adviser@test.dk', 'orgadmin@test.dk']);
  });

  it('lets a system admin see everyone', async () => {
    const response = await t.app.inject({ url: '/api/v1/users', headers: systemAdmin.headers });
    expect(response.json().items).toHaveLength(4);
  });

  it('forbids an adviser to list or create users (403)', async () => {
    expect((await t.app.inject({ url: '/api/v1/users', headers: adviser.headers })).statusCode).toBe(403);
    const before = await count(t.database, 'users');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: adviser.headers, payload: { email: 'new@test.dk', name: 'New', role: 'adviser', password: 'long-enough-password' } });
    expect(response.statusCode).toBe(403);
    expect(await count(t.database, 'users')).toBe(before);
  });

  it('creates a user in the admin’s own organisation, who can then sign in', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: orgAdmin.headers,
      payload: { email: 'New.EW@test.dk', name: 'Nina Nygaard', role: 'adviser', earlyWarning: true, password: 'long-enough-password' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email: 'new.ew@test.dk', earlyWarning: true, systemAdmin: false, organisation: { name: 'Erhvervshus Sydjylland' } });
    await expect(login(t.app, 'new.ew@test.dk', 'long-enough-password')).resolves.toBeTruthy();
  });

  it('refuses a duplicate e-mail (409) and a short password (400)', async () => {
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: orgAdmin.headers, payload: { email: 'adviser@test.dk', name: 'X', role: 'adviser', password: 'long-enough-password' } });
    expect(dup.statusCode).toBe(409);
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: orgAdmin.headers, payload: { email: 'y@test.dk', name: 'Y', role: 'adviser', password: 'short' } });
    expect(problem(short).body.errors).toEqual([{ field: 'password', message: 'Skal være mindst 12 tegn.' }]);
  });

  it("does not let an organisation's admin touch another organisation", async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: orgAdmin.headers,
      payload: { email: 'z@test.dk', name: 'Z', role: 'adviser', organisationId: await orgId(t.database, orgKeys.fyn), password: 'long-enough-password' },
    });
    expect(create.statusCode).toBe(403);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${fynUserId}`, headers: orgAdmin.headers, payload: { role: 'admin' } });
    expect(patch.statusCode).toBe(404);
    const grant = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: orgAdmin.headers, payload: { email: 'w@test.dk', name: 'W', role: 'admin', systemAdmin: true, password: 'long-enough-password' } });
    expect(grant.statusCode).toBe(403);
  });

  it('lets a system admin create users anywhere', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: systemAdmin.headers,
      payload: { email: 'kkr@test.dk', name: 'K', role: 'reader', organisationId: await orgId(t.database, orgKeys.kkrSyddanmark), password: 'long-enough-password' },
    });
    expect(response.json()).toMatchObject({ role: 'reader', organisation: { type: 'kkr' } });
  });

  it('deactivating a user ends their sessions and stops sign-in', async () => {
    const victim = await login(t.app, 'adviser@test.dk');
    const users = (await t.app.inject({ url: '/api/v1/users', headers: orgAdmin.headers })).json().items as { id: string; email: string }[];
    const id = users.find((u) => u.email === 'adviser@test.dk')!.id;
    const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: orgAdmin.headers, payload: { active: false } });
    expect(response.json()).toMatchObject({ active: false });
    expect((await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: victim.cookie } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'adviser@test.dk', password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(401);
  });

  it('records user changes in the audit log', async () => {
    expect(await count(t.database, "audit_log WHERE entity = 'user' AND action IN ('create', 'update')")).toBeGreaterThanOrEqual(3);
  });
});
