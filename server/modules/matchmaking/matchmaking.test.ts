/**
 * Matchmaking through the HTTP API, attacked from the outside: needs and offers follow the CRM rules of
 * "Who may see what", only a side's holder acts for its side, and contact persons pass from one company
 * to the other only while both companies' introduction consents are in force.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, expectSameAsUnknown, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createContact, cvrFixture, expectStatus, longSessions, organisationIds, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { Cooperation, Match, Suggestions } from './schemas.ts';

describe('matchmaking', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<'sonderborg' | 'aabenraa' | 'hub' | 'kkr' | 'aabenraaReader', Api>;
  let org: Record<'sonderborg' | 'aabenraa' | 'hub', string>;
  let cvrA: string;
  let cvrB: string;
  let need: Cooperation;
  let offer: Cooperation;
  let contactA: string;
  let contactB: string;
  let matchId: string;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await importCvrFile(t.database, cvrFixture);
    await upsertCompanies(t.database, generateCompanies(1000, 11));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, aabenraa: orgKeys.aabenraa, hub: orgKeys.sydjylland })) as typeof org;
    await createUser(t.database, { email: 'a@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'b@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'reader@aabenraa.dk', role: 'reader', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'c@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    api.sonderborg = apiAs(t, await login(t.app, 'a@sonderborg.dk'));
    api.aabenraa = apiAs(t, await login(t.app, 'b@aabenraa.dk'));
    api.aabenraaReader = apiAs(t, await login(t.app, 'reader@aabenraa.dk'));
    api.hub = apiAs(t, await login(t.app, 'c@sydjylland.dk'));
    api.kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    cvrA = (await companiesIn(t.database, 540))[0]!;
    cvrB = (await companiesIn(t.database, 580))[0]!;
    contactA = (await createContact(api.sonderborg, cvrA, { name: 'Anna Andersen', email: 'anna@a-firma.dk', phone: '+45 11 11 11 11' })).id;
    contactB = (await createContact(api.aabenraa, cvrB, { name: 'Bent Bertelsen', email: 'bent@b-firma.dk' })).id;
    need = expectStatus(
      await api.sonderborg.post(`/companies/${cvrA}/cooperation`, {
        kind: 'need', title: 'Søger distributør i Tyskland', themes: ['export', 'internationalisation'], countries: ['DE'],
        description: 'Virksomheden vil sælge maskiner til tyske kunder og søger en distributør med netværk i Tyskland.',
      }),
      201,
    );
    offer = expectStatus(
      await api.aabenraa.post(`/companies/${cvrB}/cooperation`, {
        kind: 'offer', title: 'Distributionsnetværk i Tyskland', themes: ['export'], countries: ['DE', 'AT'],
        description: 'Har eget salgskontor i Hamborg og tilbyder at tage danske maskiner med i sit netværk af tyske kunder.',
      }),
      201,
    );
  });

  it('records a need with its themes and geography, and refuses a theme not in the catalogue', async () => {
    expect(need).toMatchObject({ kind: 'need', status: 'open', themes: ['export', 'internationalisation'], countries: ['DE'], organisation: { id: org.sonderborg }, abilities: { change: true } });
    const bad = await api.sonderborg.post(`/companies/${cvrA}/cooperation`, { kind: 'need', title: 'x', themes: ['astrology'] });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).type).toContain('application/problem+json');
  });

  it('keeps a need to its holder: another organisation neither lists nor reads it, and a KKR reader sees nothing', async () => {
    const listed = expectStatus(await api.aabenraa.get(`/companies/${cvrA}/cooperation`), 200) as { items: Cooperation[] };
    expect(listed.items).toEqual([]);
    const hidden = await api.aabenraa.get(`/cooperation/${need.id}/suggestions`);
    await expectSameAsUnknown(hidden, need.id, (id) => api.aabenraa.get(`/cooperation/${id}/suggestions`));
    expect(problem(hidden).type).toContain('application/problem+json');
    expect((await api.aabenraa.patch(`/cooperation/${need.id}`, { version: 1, title: 'Kapret' })).statusCode).toBe(404);
    expect((await api.kkr.get(`/companies/${cvrA}/cooperation`)).statusCode).toBe(403);
  });

  it('suggests only what the adviser may see: another organisation’s offer appears once its company shares it', async () => {
    const before = expectStatus(await api.sonderborg.get(`/cooperation/${need.id}/suggestions`), 200) as Suggestions;
    expect(before.items.map((s) => s.counterpart.id)).not.toContain(offer.id);
    // The company tells Aabenraa it may share what Aabenraa holds with Sønderborg.
    await recordConsent(api.aabenraa, cvrB, { scope: 'named', organisationIds: [org.sonderborg] });
    const after = expectStatus(await api.sonderborg.get(`/cooperation/${need.id}/suggestions`), 200) as Suggestions;
    const found = after.items.find((s) => s.counterpart.id === offer.id);
    expect(found).toBeDefined();
    expect(found!.counterpart).toMatchObject({ kind: 'company', company: { cvr: cvrB }, holder: { id: org.aabenraa } });
    // A transparent score: the sum of its parts, each saying what matched.
    expect(found!.score).toBe(found!.reasons.reduce((sum, r) => sum + r.weight, 0));
    const byKind = Object.fromEntries(found!.reasons.map((r) => [r.kind, r]));
    expect(byKind.themes).toMatchObject({ detail: 'Eksport' });
    expect(byKind.themes!.weight).toBe(18); // 35 × 1 of the need's 2 themes
    expect(byKind.geography).toMatchObject({ weight: 15, detail: 'DE' });
    expect(byKind.text!.detail).toMatch(/tysk|maskin|netværk/);
    expect(found!.abilities.propose).toBe(true);
    // English names the themes in English.
    const english = await t.app.inject({ method: 'GET', url: `/api/v1/cooperation/${need.id}/suggestions`, headers: { ...api.sonderborg.session.headers, 'accept-language': 'en' } });
    expect((english.json() as Suggestions).items.find((s) => s.counterpart.id === offer.id)!.reasons.find((r) => r.kind === 'themes')!.detail).toBe('Export');
    // The hub, covered by no consent, still sees neither.
    expect((await api.hub.get(`/cooperation/${offer.id}/suggestions`)).statusCode).toBe(404);
  });

  it('suggests a knowledge institution for a need that asks for students', async () => {
    const student = expectStatus(
      await api.sonderborg.post(`/companies/${cvrA}/cooperation`, { kind: 'need', title: 'Studieprojekt i data science', themes: ['digitalisation'], description: 'Vil gerne have studerende til et studieprojekt om maskinlæring.' }),
      201,
    ) as Cooperation;
    const { items } = expectStatus(await api.sonderborg.get(`/cooperation/${student.id}/suggestions`), 200) as Suggestions;
    const aau = items.find((s) => s.counterpart.kind === 'institution' && s.counterpart.title.includes('AAU'));
    expect(aau).toBeDefined();
    expect(aau!.reasons.map((r) => r.kind)).toEqual(expect.arrayContaining(['themes', 'text']));
  });

  it('refuses a proposal by an organisation that holds neither side, and one it cannot see', async () => {
    // The hub sees neither item: the need is unknown to it.
    const hub = await api.hub.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id } });
    expect(hub.statusCode).toBe(400);
    // Aabenraa holds the offer but cannot see Sønderborg's need.
    const blind = await api.aabenraa.post('/matches', { itemId: offer.id, counterpart: { kind: 'company', itemId: need.id } });
    expect(blind.statusCode).toBe(400);
    expect(problem(blind).body.errors?.[0]?.field).toBe('counterpart.itemId');
  });

  it('proposes a match that only the two holders see', async () => {
    const match = expectStatus(await api.sonderborg.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id }, note: 'Godt match' }), 201) as Match;
    matchId = match.id;
    expect(match).toMatchObject({ status: 'proposed', a: { company: { cvr: cvrA }, holder: { id: org.sonderborg } }, b: { company: { cvr: cvrB }, holder: { id: org.aabenraa } } });
    expect(match.score).toBeGreaterThan(30);
    expect(match.reasons.find((r) => r.kind === 'themes')!.detail).toBe('Eksport');
    expect(match.abilities).toMatchObject({ acceptA: true, acceptB: false, agreeA: false, introduce: false, decline: true });
    expect((await api.sonderborg.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: offer.id } })).statusCode).toBe(409);
    const seen = expectStatus(await api.aabenraa.get(`/matches/${matchId}`), 200) as Match;
    expect(seen.abilities).toMatchObject({ acceptA: false, acceptB: true });
    expect(seen.a.contacts).toBeNull();
    const hub = await api.hub.get(`/matches/${matchId}`);
    await expectSameAsUnknown(hub, matchId, (id) => api.hub.get(`/matches/${id}`));
    expect((expectStatus(await api.hub.get('/matches'), 200) as { items: Match[] }).items).toEqual([]);
    expect((await api.kkr.get(`/matches/${matchId}`)).statusCode).toBe(404);
  });

  it('answers padded and malformed ids with 404 problem+json', async () => {
    for (const path of [`/matches/${matchId}0`, `/matches/%20${matchId}`, '/matches/not-an-id', '/matches/00000000-0000-4000-8000-000000000000']) {
      const response = await api.sonderborg.get(path);
      expect(response.statusCode, path).toBe(404);
      expect(problem(response).type).toContain('application/problem+json');
    }
    expect((await api.sonderborg.post(`/matches/${matchId}x/accept`, { side: 'a' })).statusCode).toBe(404);
    expect((await api.sonderborg.get(`/cooperation/${need.id.toUpperCase()}00/suggestions`)).statusCode).toBe(404);
  });

  it('lets no one accept for the other side, nor record agreement before both accepted', async () => {
    expect((await api.sonderborg.post(`/matches/${matchId}/accept`, { side: 'b' })).statusCode).toBe(403);
    expect((await api.aabenraa.post(`/matches/${matchId}/accept`, { side: 'a' })).statusCode).toBe(403);
    expect((await api.aabenraaReader.post(`/matches/${matchId}/accept`, { side: 'b' })).statusCode).toBe(403);
    expect((await api.hub.post(`/matches/${matchId}/accept`, { side: 'a' })).statusCode).toBe(404);
    const early = await api.sonderborg.post(`/matches/${matchId}/agreements`, { side: 'a', givenByName: 'Anna Andersen', channel: 'phone', contactIds: [contactA] });
    expect(early.statusCode).toBe(409);
    expectStatus(await api.sonderborg.post(`/matches/${matchId}/accept`, { side: 'a' }), 200);
    expect((await api.sonderborg.post(`/matches/${matchId}/accept`, { side: 'a' })).statusCode).toBe(409);
    const accepted = expectStatus(await api.aabenraa.post(`/matches/${matchId}/accept`, { side: 'b' }), 200) as Match;
    expect(accepted.status).toBe('accepted');
    expect(accepted.abilities).toMatchObject({ agreeA: false, agreeB: true, introduce: false });
  });

  it('cannot forge the other company’s agreement, nor pass on another organisation’s contact', async () => {
    const before = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM consents WHERE purpose = 'introduction'`))[0]!.n;
    expect((await api.sonderborg.post(`/matches/${matchId}/agreements`, { side: 'b', givenByName: 'Bent', channel: 'phone', contactIds: [contactB] })).statusCode).toBe(403);
    const foreign = await api.sonderborg.post(`/matches/${matchId}/agreements`, { side: 'a', givenByName: 'Anna', channel: 'phone', contactIds: [contactB] });
    expect(foreign.statusCode).toBe(400);
    expect(problem(foreign).body.errors?.[0]?.field).toBe('contactIds');
    // Nor through the generic consents route: introduction consents belong to a match.
    expect((await api.sonderborg.post(`/companies/${cvrB}/consents`, { purpose: 'introduction', scope: 'all', givenByName: 'Bent', channel: 'phone' })).statusCode).toBe(400);
    const after = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM consents WHERE purpose = 'introduction'`))[0]!.n;
    expect(after).toBe(before);
  });

  it('passes contact persons only once both companies agreed, introduces by mail, and stops at a withdrawal', async () => {
    const one = expectStatus(
      await api.sonderborg.post(`/matches/${matchId}/agreements`, { side: 'a', givenByName: 'Anna Andersen', givenByContactId: contactA, channel: 'phone', contactIds: [contactA] }),
      200,
    ) as Match;
    expect(one.a.agreement).toMatchObject({ givenByName: 'Anna Andersen', inForce: true });
    expect(one.a.contacts!.map((c) => c.name)).toEqual(['Anna Andersen']);
    expect(one.b.contacts).toBeNull();
    const otherSide = expectStatus(await api.aabenraa.get(`/matches/${matchId}`), 200) as Match;
    expect(otherSide.a.contacts).toBeNull();
    expect(JSON.stringify(otherSide)).not.toContain('anna@a-firma.dk');
    expect((await api.sonderborg.post(`/matches/${matchId}/introduce`)).statusCode).toBe(409);

    const both = expectStatus(await api.aabenraa.post(`/matches/${matchId}/agreements`, { side: 'b', givenByName: 'Bent Bertelsen', channel: 'meeting', contactIds: [contactB] }), 200) as Match;
    expect(both.a.contacts!.map((c) => c.email)).toEqual(['anna@a-firma.dk']);
    expect(both.abilities.introduce).toBe(true);
    const mine = expectStatus(await api.sonderborg.get(`/matches/${matchId}`), 200) as Match;
    expect(mine.b.contacts!.map((c) => c.name)).toEqual(['Bent Bertelsen']);
    // The consent is the company's, kept with the consents: its recorder sees it on the company page.
    const consents = expectStatus(await api.sonderborg.get(`/companies/${cvrA}/consents`), 200) as { items: { id: string; purpose: string; organisations: { id: string }[] }[] };
    const introduction = consents.items.find((c) => c.purpose === 'introduction')!;
    expect(introduction.organisations.map((o) => o.id)).toEqual([org.aabenraa]);

    const introduced = expectStatus(await api.aabenraa.post(`/matches/${matchId}/introduce`), 200) as Match;
    expect(introduced.status).toBe('introduced');
    const mails = await t.database.rows<{ to: string; text: string; dedupe_key: string }>(sql`SELECT "to", text, dedupe_key FROM mail_outbox WHERE dedupe_key LIKE ${`match.introduction:${matchId}:%`} ORDER BY "to"`);
    expect(mails.map((m) => m.to)).toEqual(['anna@a-firma.dk', 'bent@b-firma.dk']);
    expect(mails[0]!.text).toContain('bent@b-firma.dk');
    expect(mails[1]!.text).toContain('anna@a-firma.dk');
    expect((await api.sonderborg.post(`/matches/${matchId}/introduce`)).statusCode).toBe(409);

    // The company withdraws its agreement: from the next request on, the other side no longer sees its contacts.
    expectStatus(await api.sonderborg.post(`/consents/${introduction.id}/withdraw`, {}), 200);
    const withdrawn = expectStatus(await api.aabenraa.get(`/matches/${matchId}`), 200) as Match;
    expect(withdrawn.a.contacts).toBeNull();
    expect(withdrawn.a.agreement!.inForce).toBe(false);

    const audited = await t.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'match' AND entity_id = ${matchId} ORDER BY id`);
    expect(audited.map((a) => a.action)).toEqual(['create', 'accept', 'accept', 'introduce']);
  });

  it('closes a need through its holder only, with optimistic locking', async () => {
    expect((await api.sonderborg.patch(`/cooperation/${offer.id}`, { version: offer.version, status: 'closed' })).statusCode).toBe(403);
    const closed = expectStatus(await api.aabenraa.patch(`/cooperation/${offer.id}`, { version: offer.version, status: 'closed' }), 200) as Cooperation;
    expect(closed.status).toBe('closed');
    expect((await api.aabenraa.patch(`/cooperation/${offer.id}`, { version: offer.version, status: 'open' })).statusCode).toBe(409);
  });

  it('refuses a proposal by an organisation that sees both sides but holds neither', async () => {
    await recordConsent(api.sonderborg, cvrA, { scope: 'named', organisationIds: [org.hub] });
    await recordConsent(api.aabenraa, cvrB, { scope: 'named', organisationIds: [org.hub] });
    const fresh = expectStatus(await api.aabenraa.post(`/companies/${cvrB}/cooperation`, { kind: 'offer', title: 'Showroom i Berlin', themes: ['export'] }), 201) as Cooperation;
    const suggestions = expectStatus(await api.hub.get(`/cooperation/${need.id}/suggestions`), 200) as Suggestions;
    expect(suggestions.items.find((s) => s.counterpart.id === fresh.id)?.abilities.propose).toBe(false);
    expect((await api.hub.post('/matches', { itemId: need.id, counterpart: { kind: 'company', itemId: fresh.id } })).statusCode).toBe(403);
  });
});
