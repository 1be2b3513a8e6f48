import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../../test/helpers.ts';
import { generateCompanies } from '../demo/seed.ts';
import { importCvrFile } from './import.ts';
import { upsertCompanies } from './service.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));

describe('companies API', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;
  let reader: Session;

  beforeAll(async () => {
    t = await createTestApp();
    await importCvrFile(t.database, fixture);
    await upsertCompanies(t.database, generateCompanies(600, 7));
    await createUser(t.database, { email: 'adviser@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@test.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = await login(t.app, 'adviser@test.dk');
    reader = await login(t.app, 'reader@test.dk');
  });

  it('returns a company from the CVR register', async () => {
    const response = await t.app.inject({ url: '/api/v1/companies/35682872', headers: adviser.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      cvr: '35682872',
      name: 'ASSURE WEALTH A/S',
      municipality: { code: 210, name: 'Fredensborg' },
      industry: { code: '692000' },
      advertisingProtected: true,
      productionUnits: [{ pNumber: '1019207540' }],
    });
  });

  it('says what the caller may do on the company page, as the routes behind its buttons decide', async () => {
    await createUser(t.database, { email: 'hub-reader@test.dk', role: 'reader', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'kkr-manager@test.dk', role: 'manager', org: orgKeys.kkrSyddanmark });
    const abilitiesOf = async (session: Session) => {
      const response = await t.app.inject({ url: '/api/v1/companies/35682872', headers: session.headers });
      expect(response.statusCode).toBe(200);
      return response.json().abilities;
    };
    expect(await abilitiesOf(adviser)).toEqual({ createEngagement: true, logActivity: true, addContact: true, recordConsent: true, readCrm: true, sendCases: true });
    // A reader of the hub reads its CRM but records nothing.
    expect(await abilitiesOf(await login(t.app, 'hub-reader@test.dk'))).toEqual({ createEngagement: false, logActivity: false, addContact: false, recordConsent: false, readCrm: true, sendCases: false });
    // KKR sees aggregates only, whatever the role: neither company-level CRM data nor a way to add to it.
    const none = { createEngagement: false, logActivity: false, addContact: false, recordConsent: false, readCrm: false, sendCases: false };
    expect(await abilitiesOf(reader)).toEqual(none);
    expect(await abilitiesOf(await login(t.app, 'kkr-manager@test.dk'))).toEqual(none);
  });

  it('shows register data to KKR readers too (it is public)', async () => {
    expect((await t.app.inject({ url: '/api/v1/companies/35682872', headers: reader.headers })).statusCode).toBe(200);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ url: '/api/v1/companies/35682872' });
    expect(problem(response)).toMatchObject({ status: 401, type: expect.stringContaining('application/problem+json') });
  });

  it('answers 404 as a problem for an unknown company', async () => {
    const response = await t.app.inject({ url: '/api/v1/companies/10000009', headers: adviser.headers });
    expect(problem(response)).toMatchObject({ status: 404, body: { detail: expect.stringContaining('10000009') } });
  });

  it('rejects creating 35682873 with a problem naming the CVR field, in Danish or English', async () => {
    const before = await count(t.database, 'companies');
    const da = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: { cvr: '35682873' } });
    expect(problem(da)).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { errors: [{ field: 'cvr', message: expect.stringContaining('modulus 11') }] } });
    expect(da.json().errors[0].message).toContain('ugyldigt');
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: { ...adviser.headers, 'accept-language': 'en-GB,en;q=0.9' }, payload: { cvr: '35682873' } });
    expect(en.json()).toMatchObject({ status: 400, errors: [{ field: 'cvr', message: expect.stringContaining('invalid') }] });
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: { cvr: '123' } });
    expect(short.json().errors[0]).toEqual({ field: 'cvr', message: 'Et CVR-nummer består af 8 cifre.' });
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: {} });
    expect(missing.json().errors[0]).toEqual({ field: 'cvr', message: 'Feltet skal udfyldes.' });
    expect(await count(t.database, 'companies')).toBe(before);
  });

  it('creates a company by a valid CVR once; a second time is a conflict', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: { cvr: '10000009', name: 'Ny Virksomhed ApS' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ cvr: '10000009', name: 'Ny Virksomhed ApS', source: 'manual' });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: { cvr: '10000009' } });
    expect(problem(again).status).toBe(409);
  });

  it('forbids a reader to create companies (403) and changes nothing', async () => {
    const before = await count(t.database, 'companies');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: reader.headers, payload: { cvr: '10000017' } });
    expect(problem(response).status).toBe(403);
    expect(await count(t.database, 'companies')).toBe(before);
  });

  it('refuses a state change without the CSRF token', async () => {
    const before = await count(t.database, 'companies');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: { cookie: adviser.cookie }, payload: { cvr: '10000017' } });
    expect(problem(response)).toMatchObject({ status: 403, body: { detail: expect.stringContaining('CSRF') } });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: { cookie: adviser.cookie, 'x-csrf-token': reader.csrfToken }, payload: { cvr: '10000017' } });
    expect(wrong.statusCode).toBe(403);
    expect(await count(t.database, 'companies')).toBe(before);
  });

  it('does not let anyone change a CVR number', async () => {
    await expect(t.database.db.execute(`UPDATE companies SET cvr = '10000017' WHERE cvr = '35682872'` as never)).rejects.toThrow();
  });

  describe('search', () => {
    const search = async (query: string) => {
      const response = await t.app.inject({ url: `/api/v1/companies?${query}`, headers: adviser.headers });
      expect(response.statusCode).toBe(200);
      return response.json() as { items: { cvr: string; name: string; municipality: { code: number } | null; industry: { code: string } | null }[]; total: number; hasMore: boolean; page: number };
    };

    it('finds by name with typos', async () => {
      const result = await search('q=' + encodeURIComponent('asure welth'));
      expect(result.items[0]?.cvr).toBe('35682872');
    });

    it('still finds the company when one word of the query matches nothing', async () => {
      const result = await search('q=' + encodeURIComponent('assure xqzw wealth'));
      expect(result.items[0]?.cvr).toBe('35682872');
      expect((await search('q=xqzwv')).items).toEqual([]);
    });

    it('finds by secondary name', async () => {
      const result = await search('q=' + encodeURIComponent('Assure Family Office'));
      expect(result.items.map((i) => i.cvr)).toContain('35682872');
    });

    it('finds by exact CVR, by CVR prefix and by P-number', async () => {
      expect((await search('q=35682872')).items.map((i) => i.cvr)).toEqual(['35682872']);
      expect((await search('q=3568287')).items.map((i) => i.cvr)).toContain('35682872');
      expect((await search('q=1019207540')).items.map((i) => i.cvr)).toEqual(['35682872']);
    });

    it('filters by municipality and industry', async () => {
      const bySonderborg = await search('municipality=540&pageSize=100');
      expect(bySonderborg.items.length).toBeGreaterThan(0);
      expect(bySonderborg.items.every((i) => i.municipality?.code === 540)).toBe(true);
      const software = await search('industry=62&pageSize=100');
      expect(software.items.length).toBeGreaterThan(0);
      expect(software.items.every((i) => i.industry?.code.startsWith('62'))).toBe(true);
      const both = await search('q=asure&municipality=540');
      expect(both.items).toEqual([]);
    });

    it('paginates without overlap', async () => {
      const first = await search('pageSize=10&page=1');
      const second = await search('pageSize=10&page=2');
      expect(first.total).toBeGreaterThan(600);
      expect(first.hasMore).toBe(true);
      expect(first.items).toHaveLength(10);
      expect(second.items).toHaveLength(10);
      const overlap = first.items.filter((a) => second.items.some((b) => b.cvr === a.cvr));
      expect(overlap).toEqual([]);
    });

    it('counts exactly the matches it pages through, for names, CVR prefixes and filters, past the last page too', async () => {
      for (const query of ['q=asure', 'q=' + encodeURIComponent('asure welth'), 'q=aps', 'q=3', 'q=35682872', 'municipality=540', 'industry=62', 'q=xqzwv']) {
        const seen: string[] = [];
        let page = 1;
        let last;
        do {
          last = await search(`${query}&pageSize=100&page=${page++}`);
          seen.push(...last.items.map((i) => i.cvr));
        } while (last.hasMore);
        const first = await search(`${query}&pageSize=100`);
        expect(first.total, query).toBe(seen.length);
        expect(new Set(seen).size, query).toBe(seen.length);
        const beyond = await search(`${query}&pageSize=100&page=${page + 1}`);
        expect({ items: beyond.items, total: beyond.total }, query).toEqual({ items: [], total: seen.length });
      }
    });

    it('rejects bad parameters with field errors', async () => {
      const response = await t.app.inject({ url: '/api/v1/companies?pageSize=1000&industry=abc', headers: adviser.headers });
      const { body } = problem(response);
      expect(response.statusCode).toBe(400);
      expect(body.errors?.map((e) => e.field).sort()).toEqual(['industry', 'pageSize']);
    });
  });
});
