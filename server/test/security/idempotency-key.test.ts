import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { count, createTestApp, problem, type TestContext } from '../helpers.ts';

/** Issue 10, hole 9: an Idempotency-Key reused with another body is a different request, not a retry. */
describe('reusing an Idempotency-Key on the public guidance form', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let cvr: string;

  const tables = ['guidance_requests', 'consents', 'contacts', 'mail_outbox', 'audit_log'];
  const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(t.database, table)] as const)));
  const post = (key: string, payload: object, lang = 'da') =>
    t.app.inject({ method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': key, 'accept-language': lang }, payload });
  const bodyA = () => ({ cvr, contact: { name: 'Anna Ejer', email: 'anna@firma.dk' }, need: 'Vi vil gerne eksportere til Tyskland.', themes: ['export'], consents: { sharing: true, evaluation: false } });
  const bodyB = () => ({ cvr, contact: { name: 'Mallory', email: 'mallory@evil.example' }, need: 'Noget helt andet.', themes: ['export'], consents: { sharing: true, evaluation: true } });
  const lead = async (key: string) =>
    (await t.database.rows<{ contact_email: string; need: string }>(sql`SELECT contact_email, need FROM guidance_requests WHERE idempotency_key = ${key}`))[0];

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    const companies = generateCompanies(1000, 3);
    await upsertCompanies(t.database, companies);
    cvr = companies.find((c) => c.municipality_code === 540)!.cvr;
  });

  it.each([
    ['missing', 'da', undefined, 'Headeren Idempotency-Key mangler eller er ugyldig'],
    ['missing', 'en', undefined, 'The Idempotency-Key header is missing or invalid'],
    ['too short', 'en', 'short', 'The Idempotency-Key header is missing or invalid'],
  ])('refuses a request whose Idempotency-Key is %s with a 400 problem in the language asked (%s), creating nothing', async (_case, lang, key, message) => {
    const before = await snapshot();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/guidance-requests',
      headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), 'accept-language': lang },
      payload: bodyA(),
    });
    expect(problem(response)).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json') });
    expect(response.json().errors).toEqual([{ field: 'idempotency-key', message: expect.stringContaining(message) }]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses another body under a used key with 422, without the first receipt, and stores nothing', async () => {
    const first = await post('key-reused-123', bodyA());
    expect(first.statusCode, first.body).toBe(201);
    const receipt = first.json();
    const before = await snapshot();
    const reused = await post('key-reused-123', bodyB(), 'en');
    expect(problem(reused)).toMatchObject({ status: 422, type: expect.stringContaining('application/problem+json'), body: { detail: expect.stringContaining('Idempotency-Key') } });
    expect(reused.body).not.toContain(receipt.id);
    expect(reused.body).not.toContain(receipt.organisation.name);
    expect(await snapshot()).toEqual(before);
    expect(await lead('key-reused-123')).toEqual({ contact_email: 'anna@firma.dk', need: 'Vi vil gerne eksportere til Tyskland.' });
    // Also a change as small as one consent.
    expect((await post('key-reused-123', { ...bodyA(), consents: { sharing: true, evaluation: true } })).statusCode).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it('answers the same body under the same key with the first receipt, whatever the key order or padding', async () => {
    const first = (await post('key-retry-12345', bodyA())).json();
    const before = await snapshot();
    const { contact, need, ...rest } = bodyA();
    const retry = await post('key-retry-12345', { need: `  ${need} `, contact: { email: contact.email, name: contact.name }, ...rest });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the loser of two different bodies racing under one key', async () => {
    const before = await snapshot();
    const responses = await Promise.all([post('key-race-123456', bodyA()), post('key-race-123456', bodyB())]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expect(await snapshot()).toMatchObject({ guidance_requests: before.guidance_requests! + 1 });
  });

  it('keeps answering leads stored before bodies were hashed with their receipt', async () => {
    const first = (await post('key-old-lead-1', bodyA())).json();
    await t.database.db.execute(sql`UPDATE guidance_requests SET request_hash = NULL WHERE idempotency_key = 'key-old-lead-1'`);
    const before = await snapshot();
    const retry = await post('key-old-lead-1', bodyB());
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first);
    expect(await snapshot()).toEqual(before);
  });

  it('stores the SHA-256 of the body with the lead', async () => {
    const [row] = await t.database.rows<{ request_hash: string }>(sql`SELECT request_hash FROM guidance_requests WHERE idempotency_key = 'key-reused-123'`);
    expect(row!.request_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
