import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createEngagement, earlyWarningCategory, expectStatus, organisationIds, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { GlobalSearchResult } from './schemas.ts';

describe('global search (the header search field)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let me: Api;
  let colleague: Api;
  let aabenraa: Api;
  let hubAdviser: Api;
  let hubEw: Api;
  let hubManager: Api;
  let kkr: Api;
  let org: Record<'sonderborg' | 'hub' | 'aabenraa', string>;
  let company: { cvr: string; name: string };
  let ewCompany: { cvr: string; name: string };
  let mine: string;
  let colleagues: string;
  let closedMine: string;
  let ewEngagement: string;
  let prospectId: string;

  const search = async (api: Api, q: string): Promise<GlobalSearchResult> => expectStatus(await api.get(`/search?q=${encodeURIComponent(q)}`), 200);
  const nameOf = async (cvr: string) => (await t.database.rows<{ name: string }>(sql`SELECT name FROM companies WHERE cvr = ${cvr}`))[0]!.name;
  const searchAudits = () => t.database.rows<{ user_id: string; details: { engagements: string[]; prospects: string[] } }>(sql`SELECT user_id, details FROM audit_log WHERE entity = 'search' ORDER BY id`);

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, hub: orgKeys.sydjylland, aabenraa: orgKeys.aabenraa })) as typeof org;
    await createUser(t.database, { email: 'me@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Mette Mig' });
    await createUser(t.database, { email: 'colleague@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Kaj Kollega' });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'manager@sydjylland.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    me = apiAs(t, await login(t.app, 'me@sonderborg.dk'));
    colleague = apiAs(t, await login(t.app, 'colleague@sonderborg.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubEw = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    hubManager = apiAs(t, await login(t.app, 'manager@sydjylland.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));

    const cvrs = await companiesIn(t.database, 540);
    company = { cvr: cvrs[0]!, name: await nameOf(cvrs[0]!) };
    ewCompany = { cvr: cvrs[1]!, name: await nameOf(cvrs[1]!) };
    // Oldest first: the colleague's open one is the newest, yet mine come first.
    closedMine = (await createEngagement(me, { companyCvr: company.cvr, description: 'Afsluttet forløb' })).id;
    expectStatus(await me.post(`/engagements/${closedMine}/close`, { version: 1, outcome: 'Afsluttet' }), 200);
    mine = (await createEngagement(me, { companyCvr: company.cvr, description: 'Mit forløb' })).id;
    colleagues = (await createEngagement(colleague, { companyCvr: company.cvr, description: 'Kollegaens forløb' })).id;
    // The company lets Sønderborg share what it holds with everyone: Aabenraa may read it, but it is not Aabenraa's own.
    await recordConsent(me, company.cvr, { scope: 'all' });
    ewEngagement = (await createEngagement(hubEw, { companyCvr: ewCompany.cvr, deliveryCategoryId: await earlyWarningCategory(hubEw, org.hub), description: 'EW' })).id;
    prospectId = expectStatus(await me.post('/prospects', { personName: 'Jonas Qvistgaard', plannedName: 'Qvist Design', municipalityCode: 540 }), 201).id;
  });

  describe('results grouped by kind', () => {
    it('finds the company by CVR and the organisation’s engagements of it, the caller’s own first, open before closed', async () => {
      const result = await search(me, company.cvr);
      expect(result.companies).toEqual([expect.objectContaining({ cvr: company.cvr, name: company.name, municipality: { code: 540, name: 'Sønderborg' } })]);
      expect(result.engagements.map((e) => e.id)).toEqual([mine, closedMine, colleagues]);
      expect(result.engagements[0]).toMatchObject({ company: { cvr: company.cvr, name: company.name }, prospect: null, status: 'open', mine: true, responsible: { name: 'Mette Mig' } });
      expect(result.engagements[1]).toMatchObject({ status: 'closed', mine: true });
      expect(result.engagements[2]).toMatchObject({ mine: false, responsible: { name: 'Kaj Kollega' } });
      expect(result.prospects).toEqual([]);
      expect(result.more).toEqual({ companies: false, engagements: false, prospects: false });
    });

    it('finds the company by name among at most five, and its engagements by the company name', async () => {
      const result = await search(me, company.name);
      expect(result.companies.length).toBeLessThanOrEqual(5);
      expect(result.companies.map((c) => c.cvr)).toContain(company.cvr);
      expect(result.engagements.map((e) => e.id)).toEqual(expect.arrayContaining([mine, closedMine, colleagues]));
    });

    it('finds a prospect by the person’s name, by part of it in any case, and by the planned company name', async () => {
      for (const q of ['Jonas Qvistgaard', 'qvistg', 'Qvist Design']) {
        const result = await search(me, q);
        expect(result.prospects, q).toEqual([{ id: prospectId, personName: 'Jonas Qvistgaard', plannedName: 'Qvist Design', municipality: { code: 540, name: 'Sønderborg' }, companyCvr: null }]);
      }
    });

    it('takes LIKE wildcards literally', async () => {
      expect((await search(me, '%')).prospects).toEqual([]);
      expect((await search(me, '_')).engagements).toEqual([]);
    });

    it('says when there are more than five of a kind', async () => {
      const result = await search(me, company.cvr.slice(0, 1));
      expect(result.companies).toHaveLength(5);
      expect(result.more.companies).toBe(true);
    });
  });

  describe('only what the caller may see', () => {
    it('does not find another organisation’s engagements, not even those a consent lets it read', async () => {
      // Aabenraa may read Sønderborg's engagement of the company (the consent covers everyone)…
      expect((await aabenraa.get(`/engagements/${mine}`)).statusCode).toBe(200);
      // …but the search finds its own organisation's engagements only: the company, and no engagement.
      const result = await search(aabenraa, company.cvr);
      expect(result.companies.map((c) => c.cvr)).toEqual([company.cvr]);
      expect(result.engagements).toEqual([]);
      expect((await search(hubAdviser, company.name)).engagements).toEqual([]);
    });

    it('shows an Early Warning engagement to the EW team only, not to the hub’s other advisers or its director', async () => {
      expect((await search(hubEw, ewCompany.cvr)).engagements.map((e) => e.id)).toEqual([ewEngagement]);
      for (const api of [hubAdviser, hubManager]) {
        const result = await search(api, ewCompany.cvr);
        expect(result.companies.map((c) => c.cvr)).toEqual([ewCompany.cvr]);
        expect(result.engagements).toEqual([]);
      }
    });

    it('does not find another organisation’s prospects', async () => {
      expect((await search(colleague, 'Qvistgaard')).prospects.map((p) => p.id)).toEqual([prospectId]);
      for (const api of [aabenraa, hubAdviser, hubEw]) expect((await search(api, 'Qvistgaard')).prospects).toEqual([]);
    });

    it('gives KKR and national readers companies only, no engagements or prospects', async () => {
      const result = await search(kkr, company.cvr);
      expect(result.companies.map((c) => c.cvr)).toEqual([company.cvr]);
      expect(result.engagements).toEqual([]);
      expect(result.prospects).toEqual([]);
    });

    it('needs a session', async () => {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${company.cvr}` });
      expect(problem(response)).toMatchObject({ status: 401, type: expect.stringContaining('application/problem+json') });
    });
  });

  describe('audit', () => {
    it('records a search that shows engagements or prospects, naming which; a search for companies only is not a read of personal data', async () => {
      const before = (await searchAudits()).length;
      await search(me, 'Qvistgaard');
      await search(me, ewCompany.cvr);
      const entries = (await searchAudits()).slice(before);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.details).toEqual({ engagements: [], prospects: [prospectId] });
    });
  });

  describe('bad q', () => {
    const bad: [string, string][] = [
      ['missing', ''],
      ['empty', '?q='],
      ['white space only', `?q=${encodeURIComponent('   ')}`],
      ['padded before', `?q=${encodeURIComponent(' Jonas')}`],
      ['padded after', `?q=${encodeURIComponent('Jonas ')}`],
      ['a tab', `?q=${encodeURIComponent('Jo\tnas')}`],
      ['a line break', `?q=${encodeURIComponent('Jo\nnas')}`],
      ['a bell', `?q=${encodeURIComponent('Jo\u0007nas')}`],
      ['a C1 control', `?q=${encodeURIComponent('Jo\u0085nas')}`],
      ['NUL', `?q=${encodeURIComponent('Jo\u0000nas')}`],
      ['101 characters', `?q=${'a'.repeat(101)}`],
    ];
    for (const [what, query] of bad) {
      it(`answers 400 problem+json naming q (${what}), and audits nothing`, async () => {
        const before = (await searchAudits()).length;
        const response = await me.get(`/search${query}`);
        const p = problem(response);
        expect(p.status, response.body).toBe(400);
        expect(p.type).toContain('application/problem+json');
        expect(p.body.errors?.[0]?.field).toBe('q');
        expect((await searchAudits()).length).toBe(before);
      });
    }

    it('explains padding and control characters in the caller’s language', async () => {
      const padded = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('Jonas ')}`, headers: { ...me.session.headers, 'accept-language': 'en' } });
      expect(problem(padded).body.errors).toEqual([{ field: 'q', message: 'The search text must not begin or end with white space.' }]);
      const control = await me.get(`/search?q=${encodeURIComponent('Jo\tnas')}`);
      expect(problem(control).body.errors?.[0]?.message).toMatch(/styretegn/);
    });

    it('accepts exactly 100 characters and one', async () => {
      expect((await me.get(`/search?q=${'a'.repeat(100)}`)).statusCode).toBe(200);
      expect((await me.get('/search?q=5')).statusCode).toBe(200);
    });
  });
});
