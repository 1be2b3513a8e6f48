import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { seedDemoOffers } from '../demo/offers.ts';

describe('offers and the public catalogue', () => {
  let t: TestContext;
  let hub: Session;
  let otherHub: Session;
  let kkr: Session;
  let hubReader: Session;
  afterAll(() => t.close());

  const api = (s: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, payload });
  const pub = (url: string) => t.app.inject({ url: `/api/v1/public${url}` });

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    await createUser(t.database, { email: 'hub@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'hub@fyn.dk', role: 'adviser', org: orgKeys.fyn });
    await createUser(t.database, { email: 'kkr@test.dk', role: 'manager', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'reader@syd.dk', role: 'reader', org: orgKeys.sydjylland });
    hub = await login(t.app, 'hub@syd.dk');
    otherHub = await login(t.app, 'hub@fyn.dk');
    kkr = await login(t.app, 'kkr@test.dk');
    hubReader = await login(t.app, 'reader@syd.dk');
    await seedDemoOffers(t.database);
  });

  it('seeds a catalogue of about 40 offers from hubs, municipalities and national operators', async () => {
    expect(await count(t.database, 'offers')).toBe(40);
    const [row] = await t.database.rows<{ types: string[] }>(sql`SELECT array_agg(DISTINCT o.type ORDER BY o.type) AS types FROM offers f JOIN organisations o ON o.id = f.operator_id`);
    expect(row!.types).toEqual(['business_hub', 'local_business_service', 'operator']);
  });

  it('runs an offer from draft to published to archived; only published offers are public', async () => {
    const created = await api(hub, 'POST', '/offers', { title: 'Testforløb om eksport til Norge', summary: 'Eksportere til Norge', format: 'course', themes: ['export'], targetGroups: ['sme'], phases: ['growth'] });
    expect(created.statusCode, created.body).toBe(201);
    const offer = created.json();
    expect(offer.status).toBe('draft');
    expect((await pub(`/offers/${offer.id}`)).statusCode).toBe(404);
    expect((await api(otherHub, 'POST', `/offers/${offer.id}/publish`)).statusCode).toBe(404);
    expect((await api(hub, 'POST', `/offers/${offer.id}/publish`)).json().status).toBe('published');
    expect((await pub(`/offers/${offer.id}`)).json()).toMatchObject({ title: 'Testforløb om eksport til Norge', operator: { name: 'Erhvervshus Sydjylland' } });
    expect((await api(hub, 'POST', `/offers/${offer.id}/publish`)).statusCode).toBe(409);
    const stale = await api(hub, 'PATCH', `/offers/${offer.id}`, { version: 1, title: 'x' });
    expect(stale.statusCode).toBe(409);
    expect((await api(otherHub, 'PATCH', `/offers/${offer.id}`, { version: 2, title: 'x' })).statusCode).toBe(403);
    await api(hub, 'POST', `/offers/${offer.id}/archive`);
    expect((await pub(`/offers/${offer.id}`)).statusCode).toBe(404);
  });

  it('refuses offers from KKR and invalid fields, saving nothing', async () => {
    const before = await count(t.database, 'offers');
    expect((await api(kkr, 'POST', '/offers', { title: 'x', summary: 'y', format: 'course' })).statusCode).toBe(403);
    expect((await api(kkr, 'GET', '/offers')).statusCode).toBe(403);
    const bad = await api(hub, 'POST', '/offers', { title: '', summary: 'y', format: 'party', themes: ['cooking'], periodStart: '2026-05-01', periodEnd: '2026-04-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['format', 'themes.0', 'title']);
    const period = await api(hub, 'POST', '/offers', { title: 't', summary: 'y', format: 'course', periodStart: '2026-05-01', periodEnd: '2026-04-01' });
    expect(period.json().errors).toEqual([{ field: 'periodEnd', message: expect.stringContaining('Slutdatoen') }]);
    expect(await count(t.database, 'offers')).toBe(before);
  });

  it('searches published offers by free text with Danish stemming, and filters', async () => {
    const text = (await pub('/offers?q=eksportere')).json();
    expect(text.items.length).toBeGreaterThan(0);
    expect(text.items.every((o: { title: string; summary: string }) => /eksport/i.test(o.title + o.summary))).toBe(true);
    const funding = (await pub('/offers?theme=financing&targetGroup=entrepreneur')).json();
    expect(funding.items.map((o: { title: string }) => o.title)).toContain('Iværksætterlån');
    expect(funding.items.every((o: { themes: string[]; targetGroups: string[] }) => o.themes.includes('financing') && o.targetGroups.includes('entrepreneur'))).toBe(true);
    // Municipality filter: national offers and those serving the municipality; not other municipalities' own.
    const sonderborg = (await pub('/offers?municipality=540&pageSize=50')).json().items.map((o: { title: string }) => o.title);
    expect(sonderborg).toContain('Startvejledning i Sønderborg');
    expect(sonderborg).toContain('Vækstlån');
    expect(sonderborg).not.toContain('Københavns startvejledning');
    expect((await pub('/offers?phase=idea')).json().items.every((o: { phases: string[] }) => o.phases.includes('idea'))).toBe(true);
    expect((await pub('/offers?theme=nonsense')).statusCode).toBe(400);
  });

  it('says with each back-office offer whether the caller may manage it: its operator\'s adviser yes, a reader of the same organisation no', async () => {
    const created = await api(hub, 'POST', '/offers', { title: 'Sparring om eksport', summary: 'Til SMV\'er', format: 'guidance' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().abilities).toEqual({ manage: true });
    const asAdviser = (await api(hub, 'GET', '/offers')).json().items.find((o: { id: string }) => o.id === created.json().id);
    expect(asAdviser.abilities).toEqual({ manage: true });
    const asReader = await api(hubReader, 'GET', '/offers');
    expect(asReader.statusCode).toBe(200);
    expect(asReader.json().items.find((o: { id: string }) => o.id === created.json().id).abilities).toEqual({ manage: false });
    // The ability is what the server then allows.
    expect((await api(hubReader, 'POST', `/offers/${created.json().id}/publish`)).statusCode).toBe(403);
    expect((await api(hub, 'POST', `/offers/${created.json().id}/publish`)).json().abilities).toEqual({ manage: true });
    // The public catalogue says nothing of abilities.
    expect((await pub(`/offers/${created.json().id}`)).json().abilities).toBeUndefined();
  });

  it('changes only the fields sent: a new title keeps the offer\'s themes, groups and municipalities', async () => {
    const offer = (await api(hub, 'POST', '/offers', { title: 'Før', summary: 's', description: 'Lang tekst', format: 'course', themes: ['export'], targetGroups: ['sme'], phases: ['growth'], price: 'paid', municipalityCodes: [540] })).json();
    const changed = await api(hub, 'PATCH', `/offers/${offer.id}`, { version: offer.version, title: 'Efter' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Efter', description: 'Lang tekst', themes: ['export'], targetGroups: ['sme'], phases: ['growth'], price: 'paid', municipalityCodes: [540], version: offer.version + 1 });
  });

  it('shows drafts only to their operator', async () => {
    const draft = (await api(hub, 'POST', '/offers', { title: 'Kladde', summary: 'Ikke klar', format: 'guidance' })).json();
    expect((await api(otherHub, 'GET', '/offers')).json().items.map((o: { id: string }) => o.id)).not.toContain(draft.id);
    const mine = (await api(hub, 'GET', '/offers')).json().items as { status: string }[];
    expect(mine.some((o) => o.status === 'draft')).toBe(true);
    const publicIds = (await pub('/offers?pageSize=50')).json().items as { status?: string }[];
    expect(publicIds.every((o) => o.status === undefined)).toBe(true);
  });

  it('scores a self-assessment to a level with an explanation and suggested offers on its theme', async () => {
    const list = (await pub('/self-assessments')).json().items as { key: string; questions: { id: string }[] }[];
    expect(list.map((q) => q.key)).toEqual(['digital', 'export', 'green']);
    const exportQ = list.find((q) => q.key === 'export')!;
    const answer = (value: number) => Object.fromEntries(exportQ.questions.map((q) => [q.id, value]));
    const post = (answers: object, lang = 'da') => t.app.inject({ method: 'POST', url: '/api/v1/public/self-assessments/export', headers: { 'accept-language': lang }, payload: { answers } });
    expect((await post(answer(0))).json()).toMatchObject({ score: 0, maxScore: 15, level: 'begynder' });
    expect((await post(answer(2))).json()).toMatchObject({ score: 10, level: 'på vej' });
    const mature = (await post(answer(3), 'en')).json();
    expect(mature).toMatchObject({ score: 15, level: 'moden', explanation: expect.stringContaining('ready to export') });
    expect(mature.suggestedOffers.length).toBeGreaterThan(0);
    const incomplete = await post({ e1: 3 });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().errors[0].field).toBe('answers.e2');
    expect((await post({ ...answer(1), e1: 7 })).statusCode).toBe(400);
  });

  it('lets an adviser refer an engagement to a published offer; its operator receives it like any referral', async () => {
    const { importCvrFile } = await import('../companies/import.ts');
    await importCvrFile(t.database, new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url).pathname);
    await createUser(t.database, { email: 'eifo@test.dk', role: 'adviser', org: 'operator:eifo' });
    const eifo = await login(t.app, 'eifo@test.dk');
    const engagement = (await api(hub, 'POST', '/engagements', { companyCvr: '35682872', level: 'specialised', themes: ['financing'] })).json();
    const loan = (await pub('/offers?q=vækstlån')).json().items.find((o: { title: string }) => o.title === 'Vækstlån');
    const referral = await api(hub, 'POST', `/engagements/${engagement.id}/referrals`, { toOfferId: loan.id, reason: 'Behov for lån', needs: 'Vækstplan vedlagt', consent: { givenByName: 'Eva Ejer', channel: 'meeting' } });
    expect(referral.statusCode, referral.body).toBe(201);
    expect(referral.json()).toMatchObject({ to: { name: expect.stringContaining('EIFO') }, offer: { id: loan.id, name: 'Vækstlån' } });
    const inbox = (await api(eifo, 'GET', '/referrals?box=inbox')).json().items;
    expect(inbox.map((r: { id: string }) => r.id)).toContain(referral.json().id);
    // Neither both targets nor an unpublished offer.
    const draft = (await api(hub, 'POST', '/offers', { title: 'Egen kladde', summary: 's', format: 'guidance' })).json();
    expect((await api(hub, 'POST', `/engagements/${engagement.id}/referrals`, { toOfferId: draft.id, reason: 'r', needs: 'n' })).json().errors[0].field).toBe('toOfferId');
    expect((await api(hub, 'POST', `/engagements/${engagement.id}/referrals`, { toOfferId: loan.id, toOrganisationId: loan.operator.id, reason: 'r', needs: 'n' })).statusCode).toBe(400);
  });
});
