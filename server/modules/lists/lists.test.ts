import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, CRM_TABLES, cvrFixture, expectStatus, snapshot, type Api } from '../../test/crm-fixtures.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

interface List {
  id: string;
  name: string;
  count: number;
  excludedProtected: number;
  filters: Record<string, unknown>;
}

/** The CVR numbers of a list's CSV, checking its shape on the way. */
function csvCvrs(body: string): string[] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const lines = body.slice(1).split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe('"CVR";"Navn";"Adresse";"Postnr.";"By";"Kommune";"Branchekode";"Branche";"Ansatte"');
  return lines.slice(1).map((line) => /^"(\d{8})";/.exec(line)![1]!);
}

describe('campaign lists', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let colleague: Api;
  let otherOrg: Api;
  let kkr: Api;
  let fredensborg: { open: string[]; protected: string[] };

  const protectedMembers = async () =>
    (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM company_list_members m JOIN companies c ON c.cvr = m.cvr WHERE c.advertising_protected`))[0]!.n;

  beforeAll(async () => {
    t = await createTestApp();
    await importCvrFile(t.database, cvrFixture);
    await upsertCompanies(t.database, generateCompanies(1000, 17));
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'colleague@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    colleague = apiAs(t, await login(t.app, 'colleague@sonderborg.dk'));
    otherOrg = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    fredensborg = { open: await companiesIn(t.database, 210, { advertisingProtected: false }), protected: await companiesIn(t.database, 210, { advertisingProtected: true }) };
    // The fixture's ASSURE WEALTH A/S is advertising-protected, in Fredensborg, and so are some generated ones.
    expect(fredensborg.protected).toContain('35682872');
    expect(fredensborg.open.length).toBeGreaterThan(0);
  });

  it('makes a list from a municipality without its advertising-protected companies', async () => {
    const list = expectStatus(await adviser.post('/lists', { name: 'Fredensborg-kampagne', filters: { municipality: 210 } }), 201) as List;
    expect(list).toMatchObject({ name: 'Fredensborg-kampagne', count: fredensborg.open.length, excludedProtected: fredensborg.protected.length });
    const members = await t.database.rows<{ cvr: string }>(sql`SELECT cvr FROM company_list_members WHERE list_id = ${list.id} ORDER BY cvr`);
    expect(members.map((m) => m.cvr)).toEqual(fredensborg.open);
    expect(await protectedMembers()).toBe(0);

    const csv = await adviser.get(`/lists/${list.id}/companies.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csvCvrs(csv.body).sort()).toEqual(fredensborg.open);
    expect(csv.body).not.toContain('35682872');
    expect(csv.body).not.toContain('ASSURE WEALTH');
    // A colleague in the same organisation may use the list.
    expect((await colleague.get(`/lists/${list.id}/companies.csv`)).statusCode).toBe(200);
  });

  it.each([
    { name: 'its CVR number', filters: { q: '35682872' } },
    { name: 'its name', filters: { q: 'Assure Wealth' } },
    { name: 'its municipality and industry', filters: { municipality: 210, industry: '6920' } },
  ])('never includes an advertising-protected company searched for by $name', async ({ filters }) => {
    const list = expectStatus(await adviser.post('/lists', { name: 'Søgning', filters }), 201) as List;
    expect(list.excludedProtected).toBeGreaterThanOrEqual(1);
    const csv = await adviser.get(`/lists/${list.id}/companies.csv`);
    expect(csvCvrs(csv.body)).not.toContain('35682872');
    expect(await protectedMembers()).toBe(0);
  });

  it('leaves out a company that became advertising-protected after the list was made', async () => {
    const [first, ...rest] = fredensborg.open;
    const list = expectStatus(await adviser.post('/lists', { name: 'Før beskyttelse', filters: { municipality: 210 } }), 201) as List;
    expect(csvCvrs((await adviser.get(`/lists/${list.id}/companies.csv`)).body)).toContain(first);
    // The next CVR import marks the company reklamebeskyttet.
    await t.database.db.execute(sql`UPDATE companies SET advertising_protected = true WHERE cvr = ${first}`);
    try {
      expect(csvCvrs((await adviser.get(`/lists/${list.id}/companies.csv`)).body).sort()).toEqual(rest);
      const lists = expectStatus(await adviser.get('/lists'), 200).items as List[];
      expect(lists.find((l) => l.id === list.id)?.count).toBe(rest.length);
    } finally {
      await t.database.db.execute(sql`UPDATE companies SET advertising_protected = false WHERE cvr = ${first}`);
    }
  });

  it('defuses cells a spreadsheet would run as a formula', async () => {
    expectStatus(await adviser.post('/companies', { cvr: '10000009', name: '=HYPERLINK("http://x")', municipalityCode: 540 }), 201);
    const list = expectStatus(await adviser.post('/lists', { name: 'Formel', filters: { q: '10000009' } }), 201) as List;
    expect(list.count).toBe(1);
    const csv = (await adviser.get(`/lists/${list.id}/companies.csv`)).body;
    expect(csv).toContain(`"10000009";"'=HYPERLINK(""http://x"")"`);
  });

  it('shows an organisation only its own lists; another organisation gets 404 on the CSV', async () => {
    const list = expectStatus(await adviser.post('/lists', { name: 'Hemmelig liste', filters: { municipality: 540 } }), 201) as List;
    const other = await otherOrg.get(`/lists/${list.id}/companies.csv`);
    expect(problem(other).status).toBe(404);
    expect(other.body).not.toContain('Hemmelig');
    expect((await kkr.get(`/lists/${list.id}/companies.csv`)).statusCode).toBe(404);
    expect((await adviser.get('/lists/00000000-0000-4000-8000-000000000000/companies.csv')).statusCode).toBe(404);
    expect(expectStatus(await otherOrg.get('/lists'), 200).items).toEqual([]);
    expect((expectStatus(await adviser.get('/lists'), 200).items as List[]).map((l) => l.name)).toContain('Hemmelig liste');
  });

  it('refuses bad filters (400) and KKR readers (403), changing nothing', async () => {
    const before = await snapshot(t.database, CRM_TABLES);
    const bad = await adviser.post('/lists', { name: 'x', filters: { municipality: 5, industry: 'abc' } });
    expect(problem(bad).status).toBe(400);
    expect(problem(bad).body.errors?.map((e) => e.field).sort()).toEqual(['filters.industry', 'filters.municipality']);
    expect((await adviser.post('/lists', { name: '', filters: {} })).statusCode).toBe(400);
    expect((await kkr.post('/lists', { name: 'KKR', filters: { municipality: 540 } })).statusCode).toBe(403);
    expect((await kkr.get('/lists')).statusCode).toBe(403);
    expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
  });
});
