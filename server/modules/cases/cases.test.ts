import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgId, orgKeys, problem, type Session, type TestContext } from '../../test/helpers.ts';
import { importCvrFile } from '../companies/import.ts';
import { seedDemoOffers } from '../demo/offers.ts';
import { seedDemoCases } from './demo.ts';
import { casesFor } from './service.ts';
import { caseBenefits, caseCompanySizes, caseIndustries, caseJobContents } from './tags.ts';

const CVR = '35682872';
const OTHER_CVR = '34689733';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('case stories (gode historier) and the public library', () => {
  let t: TestContext;
  let hub: Session;
  let hubReader: Session;
  let otherHub: Session;
  let municipality: Session;
  let kkr: Session;
  afterAll(() => t.close());

  const api = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, payload });
  const pub = (url: string) => t.app.inject({ url: `/api/v1/public${url}` });
  const consent = async (s: Session, cvr = CVR, purpose = 'publication') => {
    const r = await api(s, 'POST', `/companies/${cvr}/consents`, { purpose, scope: 'all', givenByName: 'Eva Ejer', channel: 'meeting' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const draft = async (s: Session, extra: object = {}) => {
    const r = await api(s, 'POST', '/cases', { title: 'Første akademiker i smedjen', story: 'En historie om en ingeniør, der kom i studiejob og blev.', companyCvr: CVR, ...extra });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    await importCvrFile(t.database, new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url).pathname);
    await createUser(t.database, { email: 'hub@syd.dk', role: 'adviser', org: orgKeys.sydjylland, name: 'Mads Rådgiver' });
    await createUser(t.database, { email: 'reader@syd.dk', role: 'reader', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'hub@fyn.dk', role: 'adviser', org: orgKeys.fyn });
    await createUser(t.database, { email: 'lbs@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'kkr@test.dk', role: 'manager', org: orgKeys.kkrSyddanmark });
    hub = await login(t.app, 'hub@syd.dk');
    hubReader = await login(t.app, 'reader@syd.dk');
    otherHub = await login(t.app, 'hub@fyn.dk');
    municipality = await login(t.app, 'lbs@sonderborg.dk');
    kkr = await login(t.app, 'kkr@test.dk');
    await seedDemoOffers(t.database);
    expect(await seedDemoCases(t.database.db, t.clock.now)).toBeGreaterThanOrEqual(3);
  });

  it('runs a case from draft to published to archived; public only while published with the publication consent in force', async () => {
    const created = await draft(hub);
    expect(created).toMatchObject({ status: 'draft', public: false, consent: null, abilities: { manage: true }, organisations: [{ name: 'Erhvervshus Sydjylland' }] });
    // Geography and size default to the register's.
    expect(created.municipalities.length).toBe(1);
    expect((await pub(`/cases/${created.id}`)).statusCode).toBe(404);
    // No consent yet: publishing is refused.
    expect(problem(await api(hub, 'POST', `/cases/${created.id}/publish`)).status).toBe(409);

    const consentId = await consent(hub);
    const linked = await api(hub, 'PATCH', `/cases/${created.id}`, { version: created.version, consentId });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().consent).toMatchObject({ id: consentId, active: true });
    const published = await api(hub, 'POST', `/cases/${created.id}/publish`);
    expect(published.json()).toMatchObject({ status: 'published', public: true });
    expect((await pub(`/cases/${created.id}`)).json()).toMatchObject({ title: 'Første akademiker i smedjen', company: { cvr: CVR } });
    expect((await pub('/cases?q=ingeniør&pageSize=50')).json().items.map((c: { id: string }) => c.id)).toContain(created.id);
    expect((await api(hub, 'POST', `/cases/${created.id}/publish`)).statusCode).toBe(409);

    // The company withdraws its consent: the case leaves the library on the next request.
    expect((await api(hub, 'POST', `/consents/${consentId}/withdraw`, {})).statusCode).toBe(200);
    expect((await pub(`/cases/${created.id}`)).statusCode).toBe(404);
    expect((await pub('/cases?q=ingeniør&pageSize=50')).json().items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    expect((await api(hub, 'GET', `/cases/${created.id}`)).json()).toMatchObject({ status: 'published', public: false, consent: { active: false } });

    // A new consent brings it back; archiving takes it off again.
    const again = await consent(hub);
    const current = (await api(hub, 'GET', `/cases/${created.id}`)).json();
    await api(hub, 'PATCH', `/cases/${created.id}`, { version: current.version, consentId: again });
    expect((await pub(`/cases/${created.id}`)).statusCode).toBe(200);
    expect((await api(hub, 'POST', `/cases/${created.id}/archive`)).json().status).toBe('archived');
    expect((await pub(`/cases/${created.id}`)).statusCode).toBe(404);
  });

  it('lets only the writers of the organisations behind a case change or publish it', async () => {
    const sonderborgId = await orgId(t.database, orgKeys.sonderborg);
    const created = await draft(hub, { organisationIds: [await orgId(t.database, orgKeys.sydjylland), sonderborgId] });
    expect(created.organisations.map((o: { name: string }) => o.name).sort()).toEqual(['Erhvervshus Sydjylland', 'Erhvervsservice Sønderborg Kommune'].sort());
    // Another organisation: the case does not exist for it in the back office.
    for (const [method, url, body] of [['GET', `/cases/${created.id}`], ['PATCH', `/cases/${created.id}`, { version: created.version, title: 'Kapret' }], ['POST', `/cases/${created.id}/publish`], ['POST', `/cases/${created.id}/archive`]] as const) {
      const r = await api(otherHub, method, url, body);
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await api(otherHub, 'GET', '/cases')).json().items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    // A reader of the author organisation sees it but may not change it.
    expect((await api(hubReader, 'GET', `/cases/${created.id}`)).json().abilities).toEqual({ manage: false });
    expect((await api(hubReader, 'PATCH', `/cases/${created.id}`, { version: created.version, title: 'x' })).statusCode).toBe(403);
    // The co-author changes it.
    const changed = await api(municipality, 'PATCH', `/cases/${created.id}`, { version: created.version, title: 'Fælles historie' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().title).toBe('Fælles historie');
    // Nobody removes their own organisation, nor names one that does not exist.
    expect(problem(await api(hub, 'PATCH', `/cases/${created.id}`, { version: changed.json().version, organisationIds: [sonderborgId] })).body.errors).toEqual([{ field: 'organisationIds', message: expect.any(String) }]);
    expect((await api(hub, 'PATCH', `/cases/${created.id}`, { version: changed.json().version, organisationIds: [sonderborgId, '00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(400);
    // Naming a co-author does not let it take the author off the case (nor the author take it off).
    const hubId = await orgId(t.database, orgKeys.sydjylland);
    for (const [who, keep] of [[municipality, sonderborgId], [hub, hubId]] as const) {
      const removal = problem(await api(who, 'PATCH', `/cases/${created.id}`, { version: changed.json().version, organisationIds: [keep] }));
      expect(removal.status).toBe(400);
      expect(removal.body.errors).toEqual([{ field: 'organisationIds', message: expect.stringMatching(/fjerne en anden organisation|take another organisation off/) }]);
    }
    expect((await api(hub, 'GET', `/cases/${created.id}`)).json().organisations).toHaveLength(2);
    // KKR (aggregates only) writes none.
    expect((await api(kkr, 'POST', '/cases', { title: 't', story: 's', companyCvr: CVR })).statusCode).toBe(403);
    expect((await api(hub, 'PATCH', `/cases/${created.id}`, { version: 1, title: 'stale' })).statusCode).toBe(409);
  });

  it('refuses forged consent ids: unknown, another purpose, another company, another organisation\'s, withdrawn', async () => {
    const created = await draft(hub);
    const sharing = await consent(hub, CVR, 'sharing');
    const otherCompany = await consent(hub, OTHER_CVR);
    const otherOrganisation = await consent(otherHub);
    const withdrawn = await consent(hub);
    await api(hub, 'POST', `/consents/${withdrawn}/withdraw`, {});
    for (const consentId of ['00000000-0000-4000-8000-000000000000', sharing, otherCompany, otherOrganisation, withdrawn]) {
      const r = await api(hub, 'PATCH', `/cases/${created.id}`, { version: created.version, consentId });
      expect(r.statusCode, consentId).toBe(400);
      expect(r.json().errors).toEqual([{ field: 'consentId', message: expect.stringContaining('samtykke') }]);
    }
    expect((await api(hub, 'POST', '/cases', { title: 't', story: 's', companyCvr: CVR, consentId: otherOrganisation })).statusCode).toBe(400);
    expect((await api(hub, 'GET', `/cases/${created.id}`)).json()).toMatchObject({ version: created.version, consent: null });
  });

  it('answers padded, malformed and unknown ids with 404 problem+json', async () => {
    const [demo] = (await pub('/cases?pageSize=1')).json().items;
    for (const url of [`/api/v1/public/cases/${demo.id}%20`, `/api/v1/public/cases/%20${demo.id}`, `/api/v1/public/cases/${demo.id}x`, '/api/v1/public/cases/00000000-0000-4000-8000-000000000000', `/api/v1/public/cases/${demo.id}/images/nope`]) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await api(hub, 'GET', '/cases/not-a-uuid')).statusCode).toBe(404);
    expect((await api(hub, 'PATCH', `/cases/${demo.id.toUpperCase()} `, { version: 1 })).statusCode).toBe(404);
  });

  it('never shows drafts, consents or the company\'s contact persons publicly', async () => {
    await api(hub, 'POST', `/companies/${CVR}/contacts`, { name: 'Kirsten Kontakt', email: 'kirsten@firma.dk', phone: '+45 12345678' });
    const secret = await draft(hub, { title: 'Hemmelig kladde om zebraer' });
    const all = await pub('/cases?pageSize=50');
    expect(all.statusCode).toBe(200);
    const body = all.body;
    expect(body).not.toContain('kirsten');
    expect(body).not.toContain('Kirsten');
    expect(body).not.toContain('Eva Ejer');
    expect(body).not.toContain(secret.id);
    for (const item of all.json().items) {
      expect(item.status).toBeUndefined();
      expect(item.consent).toBeUndefined();
      expect(item.abilities).toBeUndefined();
      expect(item.organisationIds).toBeUndefined();
    }
    expect((await pub('/cases?q=zebraer')).json().total).toBe(0);
    expect((await pub(`/cases/${secret.id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/cases' })).statusCode).toBe(401);
  });

  it('searches the library by every category: free text, industry, region, municipality, job content, size, benefit, theme, organisation, offer', async () => {
    const all = (await pub('/cases?pageSize=50')).json().items as { id: string; industries: string[]; municipalities: { code: number }[]; jobContents: string[]; companySize: string; benefits: string[]; themes: string[]; organisations: { id: string }[]; offers: { id: string }[] }[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const ids = async (query: string) => ((await pub(`/cases?pageSize=50&${query}`)).json().items as { id: string }[]).map((c) => c.id).sort();
    const expected = (pick: (c: (typeof all)[number]) => boolean) => all.filter(pick).map((c) => c.id).sort();
    const checks: [string, string[]][] = [];
    for (const v of caseIndustries) checks.push([`industry=${v}`, expected((c) => c.industries.includes(v))]);
    for (const v of caseJobContents) checks.push([`jobContent=${v}`, expected((c) => c.jobContents.includes(v))]);
    for (const v of caseCompanySizes) checks.push([`companySize=${v}`, expected((c) => c.companySize === v)]);
    for (const v of caseBenefits) checks.push([`benefit=${v}`, expected((c) => c.benefits.includes(v))]);
    for (const code of [851, 860, 540]) checks.push([`municipality=${code}`, expected((c) => c.municipalities.some((m) => m.code === code))]);
    checks.push(['region=nordjylland', expected((c) => c.municipalities.some((m) => m.code >= 773 && m.code <= 860))]);
    checks.push(['theme=export', expected((c) => c.themes.includes('export'))]);
    const someOrg = all[0]!.organisations[0]!.id;
    checks.push([`organisation=${someOrg}`, expected((c) => c.organisations.some((o) => o.id === someOrg))]);
    const withOffer = all.find((c) => c.offers.length > 0)!;
    checks.push([`offer=${withOffer.offers[0]!.id}`, expected((c) => c.offers.some((o) => o.id === withOffer.offers[0]!.id))]);
    for (const [query, want] of checks) expect(await ids(query), query).toEqual(want);
    // Every category of 001 finds something in the demo.
    for (const query of ['industry=manufacturing', 'region=nordjylland', 'jobContent=data_analysis', 'companySize=small', 'benefit=first_graduate']) expect((await ids(query)).length, query).toBeGreaterThan(0);
    // Danish stemming: "eksportere" finds "eksport"; filters combine.
    expect((await ids('q=eksportere')).length).toBeGreaterThan(0);
    expect(await ids('q=eksportere&industry=agriculture')).toEqual([]);
    expect((await pub('/cases?industry=cooking')).statusCode).toBe(400);
  });

  it('stores small images told by their bytes and serves them only with a public case', async () => {
    const created = await draft(hub);
    const add = (data: Buffer, alt = 'Ingeniøren ved maskinen') => api(hub, 'POST', `/cases/${created.id}/images`, { alt, data: data.toString('base64') });
    const image = await add(PNG);
    expect(image.statusCode, image.body).toBe(201);
    expect(image.json()).toMatchObject({ contentType: 'image/png', size: PNG.length });
    // An SVG (script can hide in it), text called an image, and an oversized one are refused.
    expect((await add(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).json().errors[0].field).toBe('data');
    expect((await add(Buffer.from('GIF87 not really'))).statusCode).toBe(400);
    expect((await add(Buffer.concat([PNG, Buffer.alloc(513 * 1024)]))).statusCode).toBe(400);
    expect((await api(otherHub, 'POST', `/cases/${created.id}/images`, { alt: 'x', data: PNG.toString('base64') })).statusCode).toBe(404);
    const own = await api(hub, 'GET', `/cases/${created.id}/images/${image.json().id}`);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.rawPayload.equals(PNG)).toBe(true);
    // Not public while a draft.
    expect((await pub(`/cases/${created.id}/images/${image.json().id}`)).statusCode).toBe(404);
    const consentId = await consent(hub);
    const current = (await api(hub, 'GET', `/cases/${created.id}`)).json();
    await api(hub, 'PATCH', `/cases/${created.id}`, { version: current.version, consentId, videoUrl: 'https://video.example.dk/historie' });
    await api(hub, 'POST', `/cases/${created.id}/publish`);
    const served = await pub(`/cases/${created.id}/images/${image.json().id}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    // Video links: https only.
    for (const videoUrl of ['http://video.example.dk/x', 'javascript:alert(1)']) {
      expect((await api(hub, 'POST', '/cases', { title: 't', story: 's', companyCvr: CVR, videoUrl })).json().errors[0].field).toBe('videoUrl');
    }
    const removed = await api(hub, 'DELETE', `/cases/${created.id}/images/${image.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect((await pub(`/cases/${created.id}/images/${image.json().id}`)).statusCode).toBe(404);
  });

  it('sends a contact person of a company links to public cases once, audited; drafts cannot be sent', async () => {
    const contact = (await api(hub, 'POST', `/companies/${OTHER_CVR}/contacts`, { name: 'Ole Olsen', email: 'ole@virksomhed.dk' })).json();
    const [first, second] = (await pub('/cases?pageSize=2')).json().items as { id: string; title: string }[];
    const body = { companyCvr: OTHER_CVR, contactId: contact.id, caseIds: [first!.id, second!.id], message: 'Som talt om på mødet.' };
    const sent = await api(hub, 'POST', '/cases/send', body);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ queued: true, to: 'ole@virksomhed.dk', caseIds: [first!.id, second!.id] });
    const mails = await t.database.rows<{ text: string; subject: string }>(sql`SELECT text, subject FROM mail_outbox WHERE "to" = 'ole@virksomhed.dk'`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`/historier/${first!.id}`);
    expect(mails[0]!.text).toContain('Som talt om på mødet.');
    // A double click queues nothing more.
    expect((await api(hub, 'POST', '/cases/send', { ...body, caseIds: [second!.id, first!.id] })).json().queued).toBe(false);
    expect(await count(t.database, `mail_outbox WHERE "to" = 'ole@virksomhed.dk'`)).toBe(1);
    const audits = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'case' AND action = 'send' AND company_cvr = ${OTHER_CVR}`);
    expect(audits[0]!.n).toBe(1);
    // A draft, another company's contact, a contact of another organisation without consent: refused.
    const secret = await draft(hub);
    expect((await api(hub, 'POST', '/cases/send', { ...body, caseIds: [secret.id] })).json().errors[0].field).toBe('caseIds');
    expect((await api(hub, 'POST', '/cases/send', { ...body, companyCvr: CVR })).json().errors[0].field).toBe('contactId');
    expect((await api(otherHub, 'POST', '/cases/send', body)).json().errors[0].field).toBe('contactId');
    expect((await api(hubReader, 'POST', '/cases/send', body)).statusCode).toBe(403);
  });

  it('gives matchmaking and offers the public cases about an offer or themes', async () => {
    const all = (await pub('/cases?pageSize=50')).json().items as { id: string; themes: string[]; offers: { id: string }[] }[];
    const withOffer = all.find((c) => c.offers.length > 0)!;
    const offerId = withOffer.offers[0]!.id;
    const forOffer = await casesFor(t.database.db, t.clock.now, { offerId });
    expect(forOffer[0]!.id).toBe(withOffer.id);
    const green = await casesFor(t.database.db, t.clock.now, { themes: ['green_transition'] }, 10);
    expect(green.length).toBeGreaterThan(0);
    expect(green.every((c) => c.themes.includes('green_transition'))).toBe(true);
    expect(await casesFor(t.database.db, t.clock.now, {})).toEqual([]);
    // The offer's public page asks the library for the cases that mention it.
    expect((await pub(`/cases?offer=${offerId}`)).json().items.map((c: { id: string }) => c.id)).toContain(withOffer.id);
  });

  it('tells the session whether the caller may write and send cases', async () => {
    const session = async (s: Session) => (await api(s, 'GET', '/auth/session')).json().abilities;
    expect(await session(hub)).toMatchObject({ sections: { cases: true }, create: { case: true, sendCases: true } });
    expect(await session(hubReader)).toMatchObject({ sections: { cases: true }, create: { case: false, sendCases: false } });
    expect(await session(kkr)).toMatchObject({ sections: { cases: false }, create: { case: false } });
  });
});

describe('the public case library under load', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 3 });
  });

  it('is rate limited per client like the other public endpoints, answering 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.app.inject({ url: '/api/v1/public/cases' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // A case page counts on its own: three answers, then 429.
    const page = () => t.app.inject({ url: '/api/v1/public/cases/00000000-0000-4000-8000-000000000000' });
    for (let i = 0; i < 3; i++) expect((await page()).statusCode).toBe(404);
    const limited = await page();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
  });
});
