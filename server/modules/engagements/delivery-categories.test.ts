import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';

describe('delivery categories per hub', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let hubAdmin: Session;
  let hubAdviser: Session;
  let fynAdmin: Session;
  let sydjylland: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'admin@syd.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@fyn.dk', role: 'admin', org: orgKeys.fyn });
    hubAdmin = await login(t.app, 'admin@syd.dk');
    hubAdviser = await login(t.app, 'adviser@syd.dk');
    fynAdmin = await login(t.app, 'admin@fyn.dk');
    sydjylland = await orgId(t.database, orgKeys.sydjylland);
  });

  it('seeds Sydjylland with the categories of its contract, Early Warning confidential', async () => {
    const items = (await t.app.inject({ url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: hubAdviser.headers })).json().items as { key: string; confidential: boolean }[];
    expect(items.map((c) => c.key).sort()).toEqual(['drift', 'early_warning', 'rk2020', 'vaekst']);
    expect(items.find((c) => c.key === 'early_warning')?.confidential).toBe(true);
    const fyn = await orgId(t.database, orgKeys.fyn);
    const fynItems = (await t.app.inject({ url: `/api/v1/organisations/${fyn}/delivery-categories`, headers: hubAdviser.headers })).json().items as { key: string }[];
    expect(fynItems.map((c) => c.key)).not.toContain('rk2020');
  });

  it("lets the hub's admin add a category, and no one else", async () => {
    const payload = { key: 'iv_aerksaet', name: 'Iværksætteri' };
    const before = await count(t.database, 'delivery_categories');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: hubAdviser.headers, payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: fynAdmin.headers, payload })).statusCode).toBe(403);
    expect(await count(t.database, 'delivery_categories')).toBe(before);
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: hubAdmin.headers, payload });
    expect(created.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: hubAdmin.headers, payload });
    expect(again.statusCode).toBe(409);
    expect(await count(t.database, 'delivery_categories')).toBe(before + 1);
  });
});

describe('contacts on prospects', () => {
  let t: TestContext;
  afterAll(() => t.close());

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'a@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'a@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
  });

  it('records contacts on a prospect of the own organisation only', async () => {
    const own = await login(t.app, 'a@sonderborg.dk');
    const other = await login(t.app, 'a@aabenraa.dk');
    const prospect = (await t.app.inject({ method: 'POST', url: '/api/v1/prospects', headers: own.headers, payload: { personName: 'Jonas Friis' } })).json();
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospect.id}/contacts`, headers: own.headers, payload: { name: 'Jonas Friis', email: 'jonas@friis.dk' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ prospectId: prospect.id, companyCvr: null });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospect.id}/contacts`, headers: other.headers, payload: { name: 'X' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/prospects/${prospect.id}/contacts`, headers: own.headers })).json().items).toHaveLength(1);
    expect((await t.app.inject({ url: `/api/v1/prospects/${prospect.id}/contacts`, headers: other.headers })).statusCode).toBe(404);
  });
});
