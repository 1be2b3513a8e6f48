import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNul } from '../../http/nul.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../helpers.ts';

/** Issue 10, hole 8: a NUL character in any text input is a 400 naming the field, never a 500. */
describe('NUL characters in input', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;
  let cvr: string;

  const tables = ['guidance_requests', 'consents', 'mail_outbox', 'engagements', 'companies', 'company_lists', 'audit_log', 'sessions'];
  const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(t.database, table)] as const)));

  const expectFieldError = (response: Awaited<ReturnType<TestContext['app']['inject']>>, field: string) => {
    expect(problem(response), response.body).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { errors: [{ field, message: expect.stringContaining('NUL') }] } });
  };

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    const companies = generateCompanies(1000, 3);
    await upsertCompanies(t.database, companies);
    cvr = companies.find((c) => c.municipality_code === 540)!.cvr;
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    adviser = await login(t.app, 'adviser@syd.dk');
  });

  it.each([
    ['contact.name', { contact: { name: 'Anna\u0000Ejer', email: 'anna@firma.dk' } }],
    ['contact.email', { contact: { name: 'Anna Ejer', email: 'anna@firma.dk\u0000' } }],
    ['need', { need: '\u0000' }],
    ['themes.1', { themes: ['export', 'digital\u0000'] }],
  ])('refuses it anonymously on the public guidance form (%s) and stores nothing', async (field, change) => {
    const before = await snapshot();
    const payload = { cvr, contact: { name: 'Anna Ejer', email: 'anna@firma.dk' }, need: 'Eksport til Tyskland.', themes: ['export'], consents: { sharing: true, evaluation: true }, ...change };
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': `nul-${field}` }, payload });
    expectFieldError(response, field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses it at sign-in, in the e-mail or the password', async () => {
    const before = await snapshot();
    expectFieldError(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'adviser@syd.dk\u0000', password: 'whatever-it-is' } }), 'email');
    expectFieldError(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'adviser@syd.dk', password: 'x\u0000y' } }), 'password');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses it in a search query string, in English when asked', async () => {
    const response = await t.app.inject({ url: '/api/v1/companies?q=ab%00cd', headers: { ...adviser.headers, 'accept-language': 'en' } });
    expectFieldError(response, 'q');
    expect(response.json().errors[0].message).toBe('The field contains an invalid character (the NUL character \\u0000). Remove it and try again.');
  });

  it('refuses it in a signed-in change and saves nothing', async () => {
    const before = await snapshot();
    expectFieldError(await t.app.inject({ method: 'POST', url: '/api/v1/engagements', headers: adviser.headers, payload: { companyCvr: cvr, level: 'basic', themes: ['export'], description: 'Møde\u0000' } }), 'description');
    expectFieldError(await t.app.inject({ method: 'POST', url: '/api/v1/lists', headers: adviser.headers, payload: { name: 'Kampagne', filters: { q: '\u0000' } } }), 'filters.q');
    expectFieldError(await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: adviser.headers, payload: { cvr: '10000009', name: 'Firma\u0000' } }), 'name');
    expect(await snapshot()).toEqual(before);
  });

  it('finds the first field in document order, in keys too, at any depth', () => {
    expect(findNul({ a: 'ok', b: [{ c: 'x' }, { d: 'y\u0000' }], e: '\u0000' })).toBe('b.1.d');
    expect(findNul({ a: { 'k\u0000ey': 1 } })).toBe('a.key');
    expect(findNul('plain\u0000text')).toBe('');
    expect(findNul({ a: 1, b: null, c: true, d: ['fine'] })).toBeNull();
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep)).toBe(Array(100_000).fill('0').join('.'));
  });
});
