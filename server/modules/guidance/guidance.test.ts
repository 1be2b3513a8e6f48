import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { upsertCompanies } from '../companies/service.ts';
import { importCvrFile } from '../companies/import.ts';
import { generateCompanies } from '../demo/seed.ts';
import { seedDemoOffers } from '../demo/offers.ts';
import { apiAs, companiesIn, createEngagement, expectStatus } from '../../test/crm-fixtures.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));

describe('Få vejledning: guidance requests from the public entry point', () => {
  let t: TestContext;
  let sonderborg: Session;
  let aabenraa: Session;
  let hub: Session;
  let kkr: Session;
  let sonderborgReader: Session;
  let sonderborgCvr: string;
  afterAll(() => t.close());

  const post = (key: string | undefined, payload: object, lang = 'da') =>
    t.app.inject({ method: 'POST', url: '/api/v1/public/guidance-requests', headers: { ...(key ? { 'idempotency-key': key } : {}), 'accept-language': lang }, payload });
  const valid = () => ({ cvr: sonderborgCvr, contact: { name: 'Anna Ejer', email: 'anna@firma.dk' }, need: 'Vi vil gerne eksportere til Tyskland.', themes: ['export'], consents: { sharing: true, evaluation: true } });

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    await importCvrFile(t.database, fixture);
    const companies = generateCompanies(1000, 3);
    await upsertCompanies(t.database, companies);
    sonderborgCvr = companies.find((c) => c.municipality_code === 540)!.cvr;
    await createUser(t.database, { email: 'a@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'a@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'a@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    sonderborg = await login(t.app, 'a@sonderborg.dk');
    aabenraa = await login(t.app, 'a@aabenraa.dk');
    await createUser(t.database, { email: 'r@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'r@sonderborg.dk', role: 'reader', org: orgKeys.sonderborg });
    hub = await login(t.app, 'a@syd.dk');
    kkr = await login(t.app, 'r@kkr.dk');
    sonderborgReader = await login(t.app, 'r@sonderborg.dk');
    await seedDemoOffers(t.database);
  });

  it('lands the request with the business service of the company’s municipality, visible to its hub only', async () => {
    const response = await post('key-first-request', valid());
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ organisation: { name: 'Erhvervsservice Sønderborg Kommune' } });
    const list = (s: Session) => t.app.inject({ url: '/api/v1/guidance-requests', headers: s.headers }).then((r) => r.json().items as { id: string }[]);
    expect((await list(sonderborg)).map((l) => l.id)).toContain(response.json().id);
    expect((await list(hub)).map((l) => l.id)).toContain(response.json().id);
    expect(await list(aabenraa)).toEqual([]);
    // The consents chosen became consent records, and a receipt mail is queued.
    expect(await count(t.database, `consents WHERE company_cvr = '${sonderborgCvr}' AND channel = 'web'`)).toBe(2);
    expect(await count(t.database, "mail_outbox WHERE \"to\" = 'anna@firma.dk'")).toBe(1);
  });

  it('creates one lead per idempotency key, however often it is retried or double-clicked', async () => {
    const before = await count(t.database, 'guidance_requests');
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('key-double-click', valid())));
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(await count(t.database, 'guidance_requests')).toBe(before + 1);
    const again = await post('key-double-click', valid());
    expect(again.statusCode).toBe(200);
  });

  it.each([
    ['an invalid CVR', { ...valid(), cvr: '35682873' }, 'cvr'],
    ['a missing contact', { ...valid(), contact: undefined }, 'contact'],
    ['an over-long need', { ...valid(), need: 'x'.repeat(2001) }, 'need'],
    ['an unknown theme', { ...valid(), themes: ['astrology'] }, 'themes.0'],
    ['no CVR and no municipality', { ...valid(), cvr: undefined, noCvr: true }, 'municipalityCode'],
  ])('answers %s with a field-level error and creates nothing', async (_case, payload, field) => {
    const before = await count(t.database, 'guidance_requests');
    const response = await post(`key-bad-${field}`, payload as object, 'en');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
  });

  it('requires an idempotency key, and ignores robots filling the honeypot', async () => {
    const before = await count(t.database, 'guidance_requests');
    expect((await post(undefined, valid())).statusCode).toBe(400);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
    const bot = await post('key-robot-1234', { ...valid(), website: 'http://spam.example' });
    expect(bot.statusCode).toBe(201);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
  });

  it('takes a request without a CVR for a chosen municipality', async () => {
    const response = await post('key-no-cvr-123', { ...valid(), cvr: undefined, noCvr: true, companyName: 'Idé til café', municipalityCode: 580 });
    expect(response.json().organisation.name).toBe('Erhvervsservice Aabenraa Kommune');
  });

  describe('the form’s look-ups, without signing in', () => {
    it('looks up a CVR number: the public name and municipality, a clear 404 for an unknown number, 400 for a malformed one', async () => {
      const found = await t.app.inject({ url: `/api/v1/public/companies/${sonderborgCvr}` });
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json()).toMatchObject({ cvr: sonderborgCvr, municipality: { code: 540, name: 'Sønderborg' } });
      expect(Object.keys(found.json()).sort()).toEqual(['cvr', 'municipality', 'name']);
      const unknown = await t.app.inject({ url: '/api/v1/public/companies/11111106', headers: { 'accept-language': 'en' } });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.json().detail).toContain('11111106');
      expect((await t.app.inject({ url: '/api/v1/public/companies/12ab' })).statusCode).toBe(400);
    });

    it('lists the 98 municipalities by name', async () => {
      const response = await t.app.inject({ url: '/api/v1/public/municipalities' });
      expect(response.statusCode).toBe(200);
      const items = response.json().items as { code: number; name: string }[];
      expect(items).toHaveLength(98);
      expect(items).toContainEqual({ code: 540, name: 'Sønderborg' });
      expect(items.map((m) => m.name)).toEqual([...items.map((m) => m.name)].sort(new Intl.Collator('da').compare));
      expect(items.at(-1)!.name).toBe('Aarhus');
    });
  });

  it('answers a CVR number the register does not know at the CVR field, unless the company names its municipality', async () => {
    const before = await count(t.database, 'guidance_requests');
    const unknown = await post('key-unknown-cvr', { ...valid(), cvr: '11111106' }, 'en');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'cvr', message: expect.stringContaining('11111106') })]);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
    const named = await post('key-unknown-cvr-2', { ...valid(), cvr: '11111106', municipalityCode: 540 });
    expect(named.statusCode).toBe(201);
    expect(named.json().organisation.name).toBe('Erhvervsservice Sønderborg Kommune');
  });

  it('keeps the offer the company asked from, and scores a self-assessment on the server', async () => {
    const offers = (await t.app.inject({ url: '/api/v1/public/offers?q=eksport' })).json().items as { id: string; title: string }[];
    const response = await post('key-offer-and-test', {
      ...valid(),
      offerId: offers[0]!.id,
      // The browser's claimed level is ignored: the lead shows what the answers score.
      selfAssessment: { key: 'export', level: 'moden', score: 15, answers: { e1: 0, e2: 1, e3: 0, e4: 0, e5: 0 } },
    });
    expect(response.statusCode, response.body).toBe(201);
    const lead = (await t.app.inject({ url: '/api/v1/guidance-requests', headers: sonderborg.headers })).json().items.find((l: { id: string }) => l.id === response.json().id);
    expect(lead.offer).toEqual({ id: offers[0]!.id, title: offers[0]!.title });
    expect(lead.selfAssessment).toEqual({ key: 'export', title: 'Eksportparathed', level: 'begynder', score: 1, maxScore: 15 });
  });

  it.each([
    ['an unknown offer', { offerId: '00000000-0000-4000-8000-000000000000' }, 'offerId'],
    ['an incomplete self-assessment', { selfAssessment: { key: 'digital', answers: { d1: 2 } } }, 'selfAssessment.answers.d2'],
  ])('refuses %s at its field and creates nothing', async (_case, extra, field) => {
    const before = await count(t.database, 'guidance_requests');
    const response = await post(`key-refuse-${field.replaceAll(".", "-")}`, { ...valid(), ...extra });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
  });

  describe('consents given on the web form', () => {
    it('are recorded but not in force until an adviser of the lead confirms them; then they open the record to others', async () => {
      const cvr = (await companiesIn(t.database, 540)).find((c) => c !== sonderborgCvr)!;
      const engagement = await createEngagement(apiAs(t, sonderborg), { companyCvr: cvr, description: 'Basisvejledning om vækst' });
      const seenByAabenraa = async () => (await apiAs(t, aabenraa).get(`/engagements/${engagement.id}`)).statusCode;
      expect(await seenByAabenraa()).toBe(404);

      // Anyone can type this CVR into the public form and tick "share".
      const { id: leadId } = expectStatus(await post('key-web-consent-1', { ...valid(), cvr }), 201);
      expect(await seenByAabenraa()).toBe(404);
      const recorded = expectStatus(await apiAs(t, sonderborg).get(`/companies/${cvr}/consents`), 200).items;
      expect(recorded.map((c: { purpose: string; channel: string; awaitingConfirmation: boolean; active: boolean }) => [c.purpose, c.channel, c.awaitingConfirmation, c.active]).sort()).toEqual([
        ['evaluation', 'web', true, false],
        ['sharing', 'web', true, false],
      ]);
      const lead = () => apiAs(t, sonderborg).get('/guidance-requests').then((r) => r.json().items.find((l: { id: string }) => l.id === leadId));
      expect((await lead()).consents).toEqual({ sharing: true, evaluation: true, awaitingConfirmation: true });
      // Each lead says what the caller may do with it: the adviser may confirm, the reader may not.
      expect((await lead()).abilities).toEqual({ handle: true, confirmConsents: true, createEngagement: true, createProspect: false });
      const asReader = expectStatus(await apiAs(t, sonderborgReader).get('/guidance-requests'), 200).items.find((l: { id: string }) => l.id === leadId);
      expect(asReader.abilities).toEqual({ handle: false, confirmConsents: false, createEngagement: false, createProspect: false });

      // Only the lead's own advisers can confirm; KKR and readers cannot.
      expect((await apiAs(t, aabenraa).post(`/guidance-requests/${leadId}/confirm-consents`)).statusCode).toBe(404);
      expect((await apiAs(t, sonderborgReader).post(`/guidance-requests/${leadId}/confirm-consents`)).statusCode).toBe(403);
      expect((await apiAs(t, kkr).post(`/guidance-requests/${leadId}/confirm-consents`)).statusCode).toBe(403);
      expect(await seenByAabenraa()).toBe(404);

      const confirmed = expectStatus(await apiAs(t, sonderborg).post(`/guidance-requests/${leadId}/confirm-consents`), 200);
      expect([...confirmed.confirmed].sort()).toEqual(['evaluation', 'sharing']);
      expect(confirmed.consents.awaitingConfirmation).toBe(false);
      expect(await seenByAabenraa()).toBe(200);
      expect(await count(t.database, `audit_log WHERE action = 'confirm_consent' AND entity_id = '${leadId}'`)).toBe(1);
      // Nothing left to confirm: a clear conflict, nothing changed.
      expect((await apiAs(t, sonderborg).post(`/guidance-requests/${leadId}/confirm-consents`)).statusCode).toBe(409);
    });
  });

  describe('handling a lead', () => {
    const setStatus = (s: Session, id: string, status: string, version: number) =>
      t.app.inject({ method: 'POST', url: `/api/v1/guidance-requests/${id}/status`, headers: s.headers, payload: { status, version, ...(status === 'closed' ? { outcome: 'Vejledt i telefonen.' } : {}) } });

    it('is taken and closed by the business service, with optimistic locking; others cannot touch it', async () => {
      const { id } = (await post('key-handling-1', valid())).json();
      expect((await setStatus(aabenraa, id, 'in_progress', 1)).statusCode).toBe(404);
      expect((await setStatus(sonderborgReader, id, 'in_progress', 1)).statusCode).toBe(403);
      expect((await setStatus(kkr, id, 'in_progress', 1)).statusCode).toBe(403);
      const taken = await setStatus(sonderborg, id, 'in_progress', 1);
      expect(taken.statusCode, taken.body).toBe(200);
      expect(taken.json()).toMatchObject({ status: 'in_progress', version: 2, handledBy: { name: 'a' } });
      // A stale version changes nothing.
      const stale = await setStatus(hub, id, 'closed', 1);
      expect(stale.statusCode).toBe(409);
      expect(await count(t.database, `guidance_requests WHERE id = '${id}' AND status = 'in_progress'`)).toBe(1);
      expect((await setStatus(hub, id, 'closed', 2)).json()).toMatchObject({ status: 'closed', version: 3, outcome: 'Vejledt i telefonen.' });
      expect((await setStatus(sonderborg, id, 'closed', 3)).statusCode).toBe(409);
      const closed = (await t.app.inject({ url: '/api/v1/guidance-requests?status=closed', headers: sonderborg.headers })).json().items;
      expect(closed.map((l: { id: string }) => l.id)).toContain(id);
      const open = (await t.app.inject({ url: '/api/v1/guidance-requests?status=new', headers: sonderborg.headers })).json().items;
      expect(open.map((l: { id: string }) => l.id)).not.toContain(id);
      expect(await count(t.database, `audit_log WHERE entity = 'guidance_request' AND entity_id = '${id}' AND action = 'update'`)).toBe(2);
    });

    it('is listed page by page, newest first, so that no lead is cut off', async () => {
      const all = (await t.app.inject({ url: '/api/v1/guidance-requests?pageSize=100', headers: hub.headers })).json();
      expect(all.hasMore).toBe(false);
      expect(all.items.length).toBeGreaterThan(3);
      const pages = [];
      for (let page = 1; ; page++) {
        const body = (await t.app.inject({ url: `/api/v1/guidance-requests?pageSize=3&page=${page}`, headers: hub.headers })).json();
        pages.push(...body.items.map((l: { id: string }) => l.id));
        expect(body).toMatchObject({ page, pageSize: 3 });
        if (!body.hasMore) break;
      }
      expect(pages).toEqual(all.items.map((l: { id: string }) => l.id));
      expect((await t.app.inject({ url: '/api/v1/guidance-requests?pageSize=500', headers: hub.headers })).statusCode).toBe(400);
    });

    it('is not listed for KKR, and reading the list is audited', async () => {
      expect((await t.app.inject({ url: '/api/v1/guidance-requests', headers: kkr.headers })).statusCode).toBe(403);
      const before = await count(t.database, "audit_log WHERE entity = 'guidance_request' AND action = 'read'");
      await t.app.inject({ url: '/api/v1/guidance-requests', headers: hub.headers });
      expect(await count(t.database, "audit_log WHERE entity = 'guidance_request' AND action = 'read'")).toBe(before + 1);
    });
  });
});

describe('Få vejledning: abuse', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 3 });
  });
  afterAll(() => t.close());

  it('rate-limits submissions per address with a 429 problem, and stores nothing over the limit', async () => {
    const send = (i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/public/guidance-requests',
        headers: { 'idempotency-key': `key-rate-limit-${i}`, 'accept-language': 'da' },
        payload: { noCvr: true, municipalityCode: 540, contact: { name: 'Robot', email: 'robot@example.dk' }, need: 'Spam', consents: { sharing: false, evaluation: false } },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(i)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const limited = await send(9);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().status).toBe(429);
    expect(await count(t.database, 'guidance_requests')).toBe(3);
  });
});
