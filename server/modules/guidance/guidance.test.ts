import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { upsertCompanies } from '../companies/service.ts';
import { importCvrFile } from '../companies/import.ts';
import { generateCompanies } from '../demo/seed.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));

describe('Få vejledning: guidance requests from the public entry point', () => {
  let t: TestContext;
  let sonderborg: Session;
  let aabenraa: Session;
  let hub: Session;
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
    hub = await login(t.app, 'a@syd.dk');
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
    expect((await post(undefined, valid())).statusCode).toBe(400);
    const before = await count(t.database, 'guidance_requests');
    const bot = await post('key-robot-1234', { ...valid(), website: 'http://spam.example' });
    expect(bot.statusCode).toBe(201);
    expect(await count(t.database, 'guidance_requests')).toBe(before);
  });

  it('takes a request without a CVR for a chosen municipality', async () => {
    const response = await post('key-no-cvr-123', { ...valid(), cvr: undefined, noCvr: true, companyName: 'Idé til café', municipalityCode: 580 });
    expect(response.json().organisation.name).toBe('Erhvervsservice Aabenraa Kommune');
  });
});
