import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from './test/helpers.ts';

describe('the application shell', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
  });

  it('answers health and readiness', async () => {
    expect((await t.app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/api/ready' })).json()).toMatchObject({ status: 'ready' });
  });

  it('describes the API in OpenAPI 3', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/session', '/api/v1/companies', '/api/v1/companies/{cvr}', '/api/v1/users', '/api/v1/prospects']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });

  it('answers unknown API paths and broken bodies with problem+json, never a stack trace', async () => {
    const missing = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, payload: '{"email": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ status: 400, detail: 'The body is not valid JSON.' });
    expect(broken.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('lists the organisations and the 98 municipalities from the reference data', async () => {
    await createUser(t.database, { email: 'a@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    const session = await login(t.app, 'a@test.dk');
    const municipalities = (await t.app.inject({ url: '/api/v1/municipalities', headers: session.headers })).json().items as { code: number; hub: string; kkr: string }[];
    expect(municipalities).toHaveLength(98);
    expect(municipalities.find((m) => m.code === 410)).toMatchObject({ hub: 'Erhvervshus Sydjylland', kkr: 'KKR Syddanmark' });
    expect(municipalities.find((m) => m.code === 400)).toMatchObject({ hub: 'Erhvervshus Hovedstaden – Bornholm' });
    const organisations = (await t.app.inject({ url: '/api/v1/organisations', headers: session.headers })).json().items as { type: string; name: string; parentId: string | null; id: string }[];
    const byType = (type: string) => organisations.filter((o) => o.type === type);
    expect(byType('kkr')).toHaveLength(5);
    expect(byType('local_business_service')).toHaveLength(98);
    expect(byType('business_hub').map((o) => o.name).sort()).toEqual([
      'Erhvervshus Fyn', 'Erhvervshus Hovedstaden', 'Erhvervshus Hovedstaden – Bornholm', 'Erhvervshus Midtjylland', 'Erhvervshus Nordjylland', 'Erhvervshus Sjælland', 'Erhvervshus Sydjylland',
    ]);
    const bornholm = organisations.find((o) => o.name.endsWith('Bornholm'))!;
    expect(bornholm.parentId).toBe(organisations.find((o) => o.name === 'Erhvervshus Hovedstaden')!.id);
    expect(byType('national_authority')).toHaveLength(1);
    expect(byType('operator').map((o) => o.name)).toEqual(expect.arrayContaining(['Eksportrådet', 'Innovationsfonden', expect.stringContaining('EIFO')]));
  });

  it('keeps the audit log append-only', async () => {
    await expect(t.database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    const [row] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`);
    expect(row!.n).toBeGreaterThan(0);
  });
});
