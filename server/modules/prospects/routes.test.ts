import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../../test/helpers.ts';
import { importCvrFile } from '../companies/import.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));

describe('prospects (potentielle iværksættere)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let sonderborg: Session;
  let aabenraa: Session;
  let kkr: Session;
  let prospectId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await importCvrFile(t.database, fixture);
    await createUser(t.database, { email: 'sonderborg@test.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'aabenraa@test.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'kkr@test.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    sonderborg = await login(t.app, 'sonderborg@test.dk');
    aabenraa = await login(t.app, 'aabenraa@test.dk');
    kkr = await login(t.app, 'kkr@test.dk');
  });

  it('records a person planning a company, without a CVR', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/prospects',
      headers: sonderborg.headers,
      payload: { personName: 'Jonas Friis', plannedName: 'Friis Design', municipalityCode: 540, description: 'Vil starte designvirksomhed' },
    });
    expect(response.statusCode).toBe(201);
    prospectId = response.json().id;
    expect(response.json()).toMatchObject({ personName: 'Jonas Friis', municipality: { code: 540, name: 'Sønderborg' }, companyCvr: null, abilities: { link: true } });
  });

  it('rejects an unknown municipality and changes nothing', async () => {
    const before = await count(t.database, 'prospects');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/prospects', headers: sonderborg.headers, payload: { personName: 'X', municipalityCode: 999 } });
    expect(problem(response).body.errors).toEqual([{ field: 'municipalityCode', message: 'Ukendt kommunekode: 999.' }]);
    expect(await count(t.database, 'prospects')).toBe(before);
  });

  it('shows prospects only to the organisation that recorded them', async () => {
    expect((await t.app.inject({ url: '/api/v1/prospects', headers: sonderborg.headers })).json().items).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/v1/prospects', headers: aabenraa.headers })).json().items).toHaveLength(0);
    expect((await t.app.inject({ url: '/api/v1/prospects', headers: kkr.headers })).statusCode).toBe(403);
  });

  it('hides another organisation’s prospect as 404 when linking', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospectId}/link`, headers: aabenraa.headers, payload: { cvr: '35682872' } });
    expect(response.statusCode).toBe(404);
  });

  it('links the prospect to a CVR once; it cannot be changed after', async () => {
    const invalid = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospectId}/link`, headers: sonderborg.headers, payload: { cvr: '35682873' } });
    expect(problem(invalid).body.errors?.[0]?.field).toBe('cvr');
    const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospectId}/link`, headers: sonderborg.headers, payload: { cvr: '10000009' } });
    expect(problem(unknown).status).toBe(400);
    const linked = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospectId}/link`, headers: sonderborg.headers, payload: { cvr: '35682872' } });
    expect(linked.json()).toMatchObject({ companyCvr: '35682872' });
    const relink = await t.app.inject({ method: 'POST', url: `/api/v1/prospects/${prospectId}/link`, headers: sonderborg.headers, payload: { cvr: '42611433' } });
    expect(relink.statusCode).toBe(409);
    await expect(t.database.db.execute(`UPDATE prospects SET company_cvr = '42611433'` as never)).rejects.toThrow();
  });

  it('audits reads of prospects (personal data)', async () => {
    expect(await count(t.database, "audit_log WHERE entity = 'prospect' AND action = 'read'")).toBeGreaterThanOrEqual(2);
  });
});
