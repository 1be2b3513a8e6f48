/**
 * Issue 16 (matchmaking, the match register, case stories) attacked from the outside by ordinary
 * accounts: forged or borrowed consents, other organisations' ids, extra fields, drafts and withdrawn
 * consents reaching the public, and a partner reading another partner's matches.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../helpers.ts';
import { apiAs, companiesIn, createContact, cvrFixture, expectStatus, longSessions, organisationIds, type Api } from '../crm-fixtures.ts';
import { importCvrFile } from '../../modules/companies/import.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { jobcentreKey, localServiceKey, partnerKeys } from '../../modules/organisations/reference.ts';
import type { Match } from '../../modules/matchmaking/schemas.ts';

const CVR = '35682872';
const OTHER_CVR = '34689733';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
type Who = 'sonderborg' | 'aabenraa' | 'fyn' | 'jobcentre' | 'aau' | 'lbs851';

describe('issue 16 attacked by ordinary accounts', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Who, Api>;
  let org: Record<'sonderborg' | 'aabenraa' | 'fyn' | 'jobcentre' | 'aau' | 'lbs851', string>;
  const pub = (url: string) => t.app.inject({ url: `/api/v1/public${url}` });
  const del = (who: Api, url: string) => t.app.inject({ method: 'DELETE', url: `/api/v1${url}`, headers: who.session.headers });
  const consent = async (who: Api, cvr: string, purpose: string) => (expectStatus(await who.post(`/companies/${cvr}/consents`, { purpose, scope: 'all', givenByName: 'Eva Ejer', channel: 'meeting' }), 201) as { id: string }).id;

  beforeAll(async () => {
    t = await createTestApp({ ...longSessions, publicRateLimit: 10_000 });
    await importCvrFile(t.database, cvrFixture);
    await upsertCompanies(t.database, generateCompanies(1500, 16));
    org = (await organisationIds(t.database, {
      sonderborg: orgKeys.sonderborg, aabenraa: orgKeys.aabenraa, fyn: orgKeys.fyn, jobcentre: jobcentreKey(851), aau: partnerKeys.aau, lbs851: localServiceKey(851),
    })) as typeof org;
    const users: [Who, string, string][] = [
      ['sonderborg', 'a@sonderborg.dk', orgKeys.sonderborg], ['aabenraa', 'b@aabenraa.dk', orgKeys.aabenraa], ['fyn', 'c@fyn.dk', orgKeys.fyn],
      ['jobcentre', 'd@jobcenter-aalborg.dk', jobcentreKey(851)], ['aau', 'e@aau.dk', partnerKeys.aau], ['lbs851', 'f@aalborg.dk', localServiceKey(851)],
    ];
    for (const [who, email, key] of users) {
      await createUser(t.database, { email, role: who === 'sonderborg' || who === 'lbs851' ? 'manager' : 'adviser', org: key });
      api[who] = apiAs(t, await login(t.app, email));
    }
  });

  describe('matchmaking', () => {
    let cvrA: string;
    let cvrB: string;
    let need: { id: string };
    let offer: { id: string };
    let contactA: string;
    let contactB: string;
    let match: Match;

    beforeAll(async () => {
      cvrA = (await companiesIn(t.database, 540))[0]!;
      cvrB = (await companiesIn(t.database, 580))[0]!;
      contactA = (await createContact(api.sonderborg, cvrA, { name: 'Anna Angreb', email: 'anna@angreb.dk' })).id;
      contactB = (await createContact(api.aabenraa, cvrB, { name: 'Bo Bagdør', email: 'bo@bagdoer.dk' })).id;
      need = expectStatus(await api.sonderborg.post(`/companies/${cvrA}/cooperation`, { kind: 'need', title: 'Søger partner i Norge', themes: ['export'], countries: ['NO'] }), 201);
      offer = expectStatus(await api.aabenraa.post(`/companies/${cvrB}/cooperation`, { kind: 'offer', title: 'Partner med kontor i Oslo', themes: ['export'], countries: ['NO'] }), 201);
      // Aabenraa's records of company B are open to Sønderborg (so the offer can be matched), not the reverse.
      expectStatus(await api.aabenraa.post(`/companies/${cvrB}/consents`, { purpose: 'sharing', scope: 'named', organisationIds: [org.sonderborg], givenByName: 'Bo', channel: 'meeting' }), 201);
      match = expectStatus(await api.sonderborg.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id } }), 201);
    });

    it('refuses extra fields: no one records a need for another organisation, nor plants a consent id or a status', async () => {
      for (const extra of [{ organisationId: org.aabenraa }, { status: 'closed' }, { createdBy: '00000000-0000-4000-8000-000000000000' }]) {
        expect((await api.sonderborg.post(`/companies/${cvrA}/cooperation`, { kind: 'need', title: 'x', ...extra })).statusCode).toBe(400);
      }
      expect((await api.sonderborg.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id }, status: 'accepted', bHolderId: org.sonderborg })).statusCode).toBe(400);
      expect((await api.sonderborg.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id, holderId: org.sonderborg } })).statusCode).toBe(400);
      const forged = await api.sonderborg.post(`/matches/${match.id}/agreements`, { side: 'a', givenByName: 'A', channel: 'phone', contactIds: [contactA], consentId: match.id });
      expect(forged.statusCode).toBe(400);
    });

    it('stops the same pair proposed in reverse by the other holder', async () => {
      const reverse = await api.aabenraa.post('/matches', { itemId: offer.id, counterpart: { kind: 'company', itemId: need.id } });
      // Aabenraa cannot even see Sønderborg's need (no consent covers it): refused as unknown, no new match.
      expect([400, 409]).toContain(reverse.statusCode);
      const [pair] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM matches WHERE (a_item_id = ${need.id} AND b_item_id = ${offer.id}) OR (a_item_id = ${offer.id} AND b_item_id = ${need.id})`);
      expect(pair!.n).toBe(1);
      // Two holders proposing at once pass the service's check together; the database keeps one live match per unordered pair.
      const [user] = await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'b@aabenraa.dk'`);
      const error = await t.database.db
        .execute(sql`INSERT INTO matches (a_item_id, a_holder_id, b_kind, b_item_id, b_holder_id, score, reasons, proposed_by, proposed_by_organisation_id, proposed_at)
          VALUES (${offer.id}, ${org.aabenraa}, 'company', ${need.id}, ${org.sonderborg}, 50, '[]'::jsonb, ${user!.id}, ${org.aabenraa}, now())`)
        .then(() => null, (e: Error & { cause?: Error }) => e);
      expect(String(error?.cause?.message ?? error?.message)).toMatch(/matches_company_pair_idx/);
    });

    it('an organisation holding neither side learns nothing of the match, by id or by company', async () => {
      expect((await api.fyn.get(`/matches/${match.id}`)).statusCode).toBe(404);
      expect((expectStatus(await api.fyn.get(`/matches?cvr=${cvrA}`), 200) as { items: unknown[] }).items).toEqual([]);
      expect((await api.fyn.post(`/matches/${match.id}/decline`)).statusCode).toBe(404);
      expect((await api.fyn.post(`/matches/${match.id}/introduce`)).statusCode).toBe(404);
    });

    it('passes no contact before both agreed, stops again when a company withdraws, and audits the other holder’s read', async () => {
      expectStatus(await api.sonderborg.post(`/matches/${match.id}/accept`, { side: 'a' }), 200);
      expectStatus(await api.aabenraa.post(`/matches/${match.id}/accept`, { side: 'b' }), 200);
      const one = expectStatus(await api.aabenraa.post(`/matches/${match.id}/agreements`, { side: 'b', givenByName: 'Bo', channel: 'phone', contactIds: [contactB] }), 200) as Match;
      expect(JSON.stringify(one)).not.toContain('anna@angreb.dk');
      expect(JSON.stringify(expectStatus(await api.sonderborg.get(`/matches/${match.id}`), 200))).not.toContain('bo@bagdoer.dk');
      // The list never carries contacts, not even once both agreed.
      const agreed = expectStatus(await api.sonderborg.post(`/matches/${match.id}/agreements`, { side: 'a', givenByName: 'Anna', channel: 'phone', contactIds: [contactA] }), 200) as Match;
      expect(agreed.b.contacts!.map((c) => c.email)).toEqual(['bo@bagdoer.dk']);
      expect(JSON.stringify(expectStatus(await api.sonderborg.get('/matches'), 200))).not.toContain('bo@bagdoer.dk');

      const before = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND entity = 'contact' AND organisation_id = ${org.sonderborg}`))[0]!.n;
      expectStatus(await api.sonderborg.get(`/matches/${match.id}`), 200);
      const after = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND entity = 'contact' AND organisation_id = ${org.sonderborg}`))[0]!.n;
      expect(after).toBe(before + 1);

      // Company B withdraws its introduction consent (through its holder): B's contact is hidden again and no introduction goes out.
      expectStatus(await api.aabenraa.post(`/consents/${agreed.b.agreement!.consentId}/withdraw`, {}), 200);
      const withdrawn = expectStatus(await api.sonderborg.get(`/matches/${match.id}`), 200) as Match;
      expect(withdrawn.b.contacts).toBeNull();
      expect(JSON.stringify(withdrawn)).not.toContain('bo@bagdoer.dk');
      expect((await api.sonderborg.post(`/matches/${match.id}/introduce`)).statusCode).toBe(409);
      // The other organisation cannot withdraw A's consent for it (it is not covered by it as a sharing consent).
      expect((await api.fyn.post(`/consents/${agreed.a.agreement!.consentId}/withdraw`, {})).statusCode).toBe(404);
    });
    it('a match declined after both companies agreed passes no contact any more', async () => {
      const second = expectStatus(await api.sonderborg.post(`/companies/${cvrA}/cooperation`, { kind: 'need', title: 'Søger anden partner i Norge', themes: ['export'], countries: ['NO'] }), 201) as { id: string };
      const m = expectStatus(await api.sonderborg.post('/matches', { itemId: second.id, counterpart: { kind: 'company', itemId: offer.id } }), 201) as Match;
      expectStatus(await api.sonderborg.post(`/matches/${m.id}/accept`, { side: 'a' }), 200);
      expectStatus(await api.aabenraa.post(`/matches/${m.id}/accept`, { side: 'b' }), 200);
      expectStatus(await api.sonderborg.post(`/matches/${m.id}/agreements`, { side: 'a', givenByName: 'Anna', channel: 'phone', contactIds: [contactA] }), 200);
      const both = expectStatus(await api.aabenraa.post(`/matches/${m.id}/agreements`, { side: 'b', givenByName: 'Bo', channel: 'phone', contactIds: [contactB] }), 200) as Match;
      expect(both.a.contacts!.map((c) => c.email)).toEqual(['anna@angreb.dk']);
      const declined = expectStatus(await api.sonderborg.post(`/matches/${m.id}/decline`), 200) as Match;
      expect(declined.status).toBe('declined');
      // Each holder still sees its own company's contacts, never the other's.
      expect(declined.a.contacts!.map((c) => c.email)).toEqual(['anna@angreb.dk']);
      expect(declined.b.contacts).toBeNull();
      const seen = expectStatus(await api.aabenraa.get(`/matches/${m.id}`), 200) as Match;
      expect(seen.a.contacts).toBeNull();
      expect(JSON.stringify(seen)).not.toContain('anna@angreb.dk');
    });
    it('shows public case stories on a match, never a draft nor one whose consent was withdrawn', async () => {
      const consentId = await consent(api.sonderborg, CVR, 'publication');
      const story = expectStatus(await api.sonderborg.post('/cases', { title: 'Eksporteventyr i Norge', story: 'Offentlig historie.', companyCvr: CVR, themes: ['export'], consentId }), 201) as { id: string };
      expectStatus(await api.sonderborg.post(`/cases/${story.id}/publish`), 200);
      const hidden = expectStatus(await api.sonderborg.post('/cases', { title: 'Kladde om eksport', story: 'Ikke offentlig.', companyCvr: CVR, themes: ['export'] }), 201) as { id: string };
      const seen = expectStatus(await api.aabenraa.get(`/matches/${match.id}`), 200) as Match;
      expect(seen.cases!.map((c) => c.id)).toContain(story.id);
      expect(seen.cases!.map((c) => c.id)).not.toContain(hidden.id);
      // Lists stay light: no cases there.
      expect((expectStatus(await api.aabenraa.get('/matches'), 200) as { items: Match[] }).items[0]!.cases).toBeUndefined();
      expectStatus(await api.sonderborg.post(`/consents/${consentId}/withdraw`, {}), 200);
      expect((expectStatus(await api.aabenraa.get(`/matches/${match.id}`), 200) as Match).cases!.map((c) => c.id)).not.toContain(story.id);
    });
  });

  describe('case stories', () => {
    const draft = async (who: Api, extra: object = {}) => expectStatus(await who.post('/cases', { title: 'Angrebshistorie', story: 'En historie om et hemmeligt projekt.', companyCvr: CVR, ...extra }), 201) as { id: string; version: number };

    it('refuses borrowed consents: another organisation’s, another company’s, another purpose’s, a withdrawn one', async () => {
      const fyns = await consent(api.fyn, CVR, 'publication');
      const otherCompany = await consent(api.sonderborg, OTHER_CVR, 'publication');
      const sharing = await consent(api.sonderborg, CVR, 'sharing');
      const withdrawn = await consent(api.sonderborg, CVR, 'publication');
      expectStatus(await api.sonderborg.post(`/consents/${withdrawn}/withdraw`, {}), 200);
      for (const consentId of [fyns, otherCompany, sharing, withdrawn, '00000000-0000-4000-8000-000000000000']) {
        const created = await api.sonderborg.post('/cases', { title: 'x', story: 'y', companyCvr: CVR, consentId });
        expect(created.statusCode, consentId).toBe(400);
      }
      const story = await draft(api.sonderborg);
      expect((await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version, consentId: fyns })).statusCode).toBe(400);
    });

    it('refuses extra fields: no case is created published, nor moved to another company by a change', async () => {
      expect((await api.sonderborg.post('/cases', { title: 'x', story: 'y', companyCvr: CVR, status: 'published' })).statusCode).toBe(400);
      expect((await api.sonderborg.post('/cases', { title: 'x', story: 'y', companyCvr: CVR, publishedAt: '2020-01-01T00:00:00Z' })).statusCode).toBe(400);
      const story = await draft(api.sonderborg);
      expect((await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version, companyCvr: OTHER_CVR })).statusCode).toBe(400);
      expect((await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version, status: 'published' })).statusCode).toBe(400);
      // Putting a KKR secretariat's name on a story it never saw (it writes none): refused.
      const kkr = (await organisationIds(t.database, { kkr: orgKeys.kkrSyddanmark })).kkr!;
      expect((await api.sonderborg.post('/cases', { title: 'x', story: 'y', companyCvr: CVR, organisationIds: [org.sonderborg, kkr] })).statusCode).toBe(400);
      expect((await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version, organisationIds: [org.sonderborg, kkr] })).statusCode).toBe(400);
      // Naming only other organisations behind one's own case would hand it away: refused.
      expect((await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version, organisationIds: [org.fyn] })).statusCode).toBe(400);
    });

    it('keeps drafts, their images and withdrawn-consent cases off the public library, its search and its images', async () => {
      const story = await draft(api.sonderborg, { title: 'Hemmelig kladde om Zyxwv' });
      const image = expectStatus(await api.sonderborg.post(`/cases/${story.id}/images`, { alt: 'Foto', data: PNG.toString('base64') }), 201) as { id: string };
      expect((await pub(`/cases/${story.id}`)).statusCode).toBe(404);
      expect((await pub(`/cases/${story.id}/images/${image.id}`)).statusCode).toBe(404);
      expect((await pub('/cases?q=Zyxwv')).json().total).toBe(0);
      expect((await pub(`/cases?organisation=${org.sonderborg}`)).json().items.map((c: { id: string }) => c.id)).not.toContain(story.id);
      // Another organisation does not reach it in the back office, nor its image.
      expect((await api.fyn.get(`/cases/${story.id}`)).statusCode).toBe(404);
      expect((await api.fyn.get(`/cases/${story.id}/images/${image.id}`)).statusCode).toBe(404);
      expect((await api.fyn.patch(`/cases/${story.id}`, { version: story.version, title: 'Kapret' })).statusCode).toBe(404);
      expect((await api.fyn.post(`/cases/${story.id}/publish`)).statusCode).toBe(404);
      expect((await del(api.fyn, `/cases/${story.id}/images/${image.id}`)).statusCode).toBe(404);

      const consentId = await consent(api.sonderborg, CVR, 'publication');
      const linked = expectStatus(await api.sonderborg.patch(`/cases/${story.id}`, { version: story.version + 1, consentId }), 200) as { version: number };
      expect(linked.version).toBeGreaterThan(story.version);
      expectStatus(await api.sonderborg.post(`/cases/${story.id}/publish`), 200);
      expect((await pub(`/cases/${story.id}`)).statusCode).toBe(200);
      expect((await pub(`/cases/${story.id}/images/${image.id}`)).statusCode).toBe(200);
      // The public case tells nothing of the back office's bookkeeping.
      const shown = (await pub(`/cases/${story.id}`)).json();
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['consent']));
      expect(JSON.stringify(shown)).not.toContain(consentId);
      // An image of another case is not served under this one.
      const other = await draft(api.sonderborg);
      const otherImage = expectStatus(await api.sonderborg.post(`/cases/${other.id}/images`, { alt: 'Kladde', data: PNG.toString('base64') }), 201) as { id: string };
      expect((await pub(`/cases/${story.id}/images/${otherImage.id}`)).statusCode).toBe(404);

      // The company withdraws its publication consent: the case leaves the library at once.
      expectStatus(await api.sonderborg.post(`/consents/${consentId}/withdraw`, {}), 200);
      expect((await pub(`/cases/${story.id}`)).statusCode).toBe(404);
      expect((await pub(`/cases/${story.id}/images/${image.id}`)).statusCode).toBe(404);
      expect((await pub('/cases?q=Zyxwv')).json().total).toBe(0);
      expect((await api.sonderborg.post('/cases/send', { companyCvr: CVR, contactId: '00000000-0000-4000-8000-000000000000', caseIds: [story.id] })).statusCode).toBe(400);
    });
  });

  describe('match register', () => {
    let projectId: string;
    let cvrs: string[];

    beforeAll(async () => {
      cvrs = await companiesIn(t.database, 851);
      const project = expectStatus(
        await api.lbs851.post('/match-projects', {
          name: 'Angrebsprojekt', periodStart: '2026-01-01', periodEnd: '2027-12-31', creditRule: 'split', targetTotal: 100, municipalTarget: 60,
          municipalityCodes: [851], excludedMunicipalityCodes: [], types: [{ key: 'studiejob', name: 'Studiejob' }],
          partnerIds: [org.jobcentre, org.aau, org.lbs851],
        }),
        201,
      ) as { id: string };
      projectId = project.id;
    });

    it('an organisation outside the project learns nothing: project, progress, matches and report are 404', async () => {
      for (const path of ['', '/progress', '/matches', '/report?format=xlsx']) expect((await api.fyn.get(`/match-projects/${projectId}${path}`)).statusCode, path).toBe(404);
      expect((await api.fyn.post(`/match-projects/${projectId}/matches`, { companyCvr: cvrs[0], typeKey: 'studiejob', matchedOn: '2026-03-01', educationLevel: 'master', institution: 'AAU' })).statusCode).toBe(404);
    });

    it('refuses a CPR number, a forged registrar, and a helper outside the project', async () => {
      const base = { companyCvr: cvrs[0], typeKey: 'studiejob', matchedOn: '2026-03-01', educationLevel: 'master', institution: 'AAU' };
      expect((await api.jobcentre.post(`/match-projects/${projectId}/matches`, { ...base, cpr: '0101901234' })).statusCode).toBe(400);
      expect((await api.jobcentre.post(`/match-projects/${projectId}/matches`, { ...base, registeredByOrganisationId: org.aau })).statusCode).toBe(400);
      expect((await api.jobcentre.post(`/match-projects/${projectId}/matches`, { ...base, helpedBy: [org.fyn] })).statusCode).toBe(400);
    });

    it('a partner sees only the matches it helped make; another partner neither lists nor deletes them', async () => {
      const mine = expectStatus(
        await api.jobcentre.post(`/match-projects/${projectId}/matches`, { companyCvr: cvrs[1], typeKey: 'studiejob', matchedOn: '2026-04-02', educationLevel: 'master', institution: 'UCN' }),
        201,
      ) as { id: string };
      const listed = expectStatus(await api.aau.get(`/match-projects/${projectId}/matches`), 200) as { items: { id: string }[] };
      expect(listed.items.map((m) => m.id)).not.toContain(mine.id);
      expect(JSON.stringify(listed)).not.toContain(cvrs[1]);
      expect((await del(api.aau, `/match-projects/${projectId}/matches/${mine.id}`)).statusCode).toBe(404);
      // The progress counts it, without the company or the candidate.
      const progress = expectStatus(await api.aau.get(`/match-projects/${projectId}/progress`), 200);
      expect(progress.total.matches).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(progress)).not.toContain(cvrs[1]);
      expect(JSON.stringify(progress)).not.toContain('UCN');
      // Reading one's own matches is audited.
      const before = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'registered_match' AND action = 'read' AND organisation_id = ${org.jobcentre}`))[0]!.n;
      expectStatus(await api.jobcentre.get(`/match-projects/${projectId}/matches`), 200);
      const after = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'registered_match' AND action = 'read' AND organisation_id = ${org.jobcentre}`))[0]!.n;
      expect(after).toBe(before + 1);
    });
  });
});
