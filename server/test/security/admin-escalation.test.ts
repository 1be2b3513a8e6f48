import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../helpers.ts';

/** Issue 10, hole 1: an organisation's plain admin must not take over a system admin of the same organisation. */
describe('a plain admin attacking a system admin of the same organisation', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let plainAdmin: Session;
  let systemAdmin: Session;
  let sysId: string;
  let colleagueId: string;

  const userRow = async (id: string) =>
    (await t.database.rows<{ role: string; active: boolean; password_hash: string; early_warning: boolean; name: string }>(
      sql`SELECT role, active, password_hash, early_warning, name FROM users WHERE id = ${id}`,
    ))[0]!;
  const userChanges = () => count(t.database, "audit_log WHERE entity = 'user' AND action = 'update'");

  beforeAll(async () => {
    t = await createTestApp();
    sysId = await createUser(t.database, { email: 'sys@test.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true });
    await createUser(t.database, { email: 'sys2@test.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true });
    await createUser(t.database, { email: 'plain@test.dk', role: 'admin', org: orgKeys.operator });
    colleagueId = await createUser(t.database, { email: 'colleague@test.dk', role: 'adviser', org: orgKeys.operator });
    plainAdmin = await login(t.app, 'plain@test.dk');
    systemAdmin = await login(t.app, 'sys2@test.dk');
  });

  it.each([
    ['password', { password: 'attacker-chosen-password' }],
    ['role', { role: 'reader' }],
    ['active flag', { active: false }],
    ['Early Warning permission', { earlyWarning: true }],
    ['name', { name: 'Hijacked' }],
  ])("refuses to change the system admin's %s (403) and changes nothing", async (_what, payload) => {
    const before = await userRow(sysId);
    const auditBefore = await userChanges();
    const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${sysId}`, headers: plainAdmin.headers, payload });
    expect(problem(response)).toMatchObject({ status: 403, type: expect.stringContaining('application/problem+json') });
    expect(await userRow(sysId)).toEqual(before);
    expect(await userChanges()).toBe(auditBefore);
  });

  it('leaves the system admin able to sign in with the old password, and the attacker not with theirs', async () => {
    await expect(login(t.app, 'sys@test.dk')).resolves.toBeTruthy();
    const hijack = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'sys@test.dk', password: 'attacker-chosen-password' } });
    expect(hijack.statusCode).toBe(401);
  });

  it('still lets the plain admin change an ordinary user of the organisation', async () => {
    const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${colleagueId}`, headers: plainAdmin.headers, payload: { role: 'manager' } });
    expect(response.statusCode).toBe(200);
    expect((await userRow(colleagueId)).role).toBe('manager');
  });

  it('lets a system admin change a system admin', async () => {
    const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${sysId}`, headers: systemAdmin.headers, payload: { password: 'a-new-long-password', name: 'Sys' } });
    expect(response.statusCode).toBe(200);
    await expect(login(t.app, 'sys@test.dk', 'a-new-long-password')).resolves.toBeTruthy();
  });
});
