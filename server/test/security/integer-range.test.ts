import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { dataExceptionOf } from '../../http/problem.ts';
import { INT4_MAX } from '../../lib/integers.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { readTemplate } from '../../modules/contracts/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { apiAs, createEngagement, expectStatus, organisationIds, snapshot, type Api } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../helpers.ts';

/**
 * Security review: integers beyond PostgreSQL's int4 range (±2 147 483 647) in a path or body reached
 * the database and came back as a 500. They are field errors now (400 naming the field), and a data
 * exception that still escapes a route is a generic 400, never a 500 and never SQL.
 */
describe('integers beyond what PostgreSQL can hold', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let hubAdviser: Api;
  let manager: Api;
  let reader: Api;
  let contractId: string;
  let engagementId: string;
  let referralId: string;
  let offerId: string;
  let leadId: string;
  let cvr: string;

  const HUGE = 99_999_999_999;
  const tables = [
    'companies', 'prospects', 'engagements', 'activities', 'referrals', 'consents', 'offers', 'guidance_requests', 'mail_outbox',
    'contract_goals', 'contract_goal_evidence', 'intent_declarations', 'status_reports',
  ];
  const state = () => snapshot(t.database, tables);
  /** The versions and indicator a refused change must leave as they were. */
  const rows = async () => ({
    engagement: await t.database.rows(sql`SELECT version, status, description FROM engagements WHERE id = ${engagementId}`),
    referral: await t.database.rows(sql`SELECT version, status FROM referrals WHERE id = ${referralId}`),
    offer: await t.database.rows(sql`SELECT version, title FROM offers WHERE id = ${offerId}`),
    lead: await t.database.rows(sql`SELECT version, status FROM guidance_requests WHERE id = ${leadId}`),
    goals: await t.database.rows(sql`SELECT number, indicator FROM contract_goals WHERE contract_id = ${contractId} ORDER BY number`),
  });

  const expectFieldError = (response: LightMyRequestResponse, field: string) => {
    expect(problem(response), response.body).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { status: 400, errors: [{ field, message: expect.any(String) }] } });
    expect(response.json().errors).toHaveLength(1);
  };

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    const companies = generateCompanies(1000, 3);
    await upsertCompanies(t.database, companies);
    cvr = companies.find((c) => c.municipality_code === 540)!.cvr;
    const org = await organisationIds(t.database, { hub: orgKeys.sydjylland });
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@syd.dk'));
    manager = apiAs(t, await login(t.app, 'direktor@syd.dk'));
    reader = apiAs(t, await login(t.app, 'reader@kkr.dk'));

    contractId = expectStatus(await manager.post('/contracts/import', { ...(readTemplate() as object), override: { periodStart: '2026-01-01', periodEnd: '2026-12-31' } }), 201).id;
    engagementId = (await createEngagement(adviser, { companyCvr: cvr, description: 'Eksport til Tyskland' })).id;
    referralId = expectStatus(
      await adviser.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'Vil eksportere', needs: 'Rådgivning om eksport', consent: { givenByName: 'Direktør Mette Holm', channel: 'phone' } }),
      201,
    ).id;
    offerId = expectStatus(await hubAdviser.post('/offers', { title: 'Eksport til Norge', summary: 'Et forløb om eksport', format: 'course' }), 201).id;
    const lead = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/guidance-requests',
      headers: { 'idempotency-key': 'integer-range-lead' },
      payload: { cvr, contact: { name: 'Anna Ejer', email: 'anna@firma.dk' }, need: 'Eksport til Tyskland.', themes: ['export'], consents: { sharing: true, evaluation: true } },
    });
    leadId = expectStatus(lead, 201).id;
  });

  describe('in a path', () => {
    it('refuses a goal number beyond int4 to any signed-in user reading evidence (400 naming number)', async () => {
      const before = await state();
      expectFieldError(await reader.get(`/contracts/${contractId}/goals/${HUGE}/evidence`), 'number');
      expectFieldError(await reader.get(`/contracts/${contractId}/goals/${HUGE}/evidence/00000000-0000-4000-8000-000000000000`), 'number');
      expectFieldError(await manager.get(`/contracts/${contractId}/goals/${HUGE}/evidence`), 'number');
      expect(await state()).toEqual(before);
    });

    it('bounds goal numbers as goal definitions are (1–99), while a real goal still answers', async () => {
      expectStatus(await reader.get(`/contracts/${contractId}/goals/6/evidence`), 200);
      for (const number of ['0', '100', '-1', '2147483648', '1.5', 'abc']) expectFieldError(await reader.get(`/contracts/${contractId}/goals/${number}/evidence`), 'number');
    });

    it('refuses replacing the indicator of goal 99999999999 and changes no goal', async () => {
      const before = [await state(), await rows()];
      const response = await t.app.inject({ method: 'PUT', url: `/api/v1/contracts/${contractId}/goals/${HUGE}/indicator`, headers: manager.session.headers, payload: { type: 'deliverables', deliverables: [{ title: 'x' }] } });
      expectFieldError(response, 'number');
      expect([await state(), await rows()]).toEqual(before);
    });

    it('refuses an intent declaration for municipality 99999999999, in English when asked', async () => {
      const before = await state();
      const response = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/contracts/${contractId}/intent-declarations/${HUGE}`,
        headers: { ...manager.session.headers, 'accept-language': 'en' },
        payload: { signedOn: '2026-03-01' },
      });
      expectFieldError(response, 'municipalityCode');
      expect(response.json().errors[0].message).toBe('Must be at most 999.');
      expect(await state()).toEqual(before);
    });
  });

  describe('in a body', () => {
    it.each([
      ['a prospect', '/prospects', { personName: 'Jonas Friis', municipalityCode: HUGE }],
      ['a company', '/companies', { cvr: '10000009', name: 'Firma', municipalityCode: HUGE }],
      ['a company, below the range', '/companies', { cvr: '10000009', municipalityCode: -HUGE }],
    ])('refuses municipality code beyond int4 on %s (400 naming municipalityCode) and stores nothing', async (_what, url, payload) => {
      const before = await state();
      expectFieldError(await adviser.post(url, payload), 'municipalityCode');
      expect(await state()).toEqual(before);
    });

    it('still tells an unknown three-digit municipality code by name', async () => {
      const response = await adviser.post('/prospects', { personName: 'Jonas Friis', municipalityCode: 999 });
      expect(problem(response).body.errors).toEqual([{ field: 'municipalityCode', message: 'Ukendt kommunekode: 999.' }]);
    });

    it('refuses version 99999999999 wherever a change is optimistically locked, and changes nothing', async () => {
      const before = [await state(), await rows()];
      const changes: [Api, 'post' | 'patch', string, object][] = [
        [adviser, 'patch', `/engagements/${engagementId}`, { version: HUGE, description: 'Ændret' }],
        [adviser, 'post', `/engagements/${engagementId}/close`, { version: HUGE, outcome: 'Afsluttet' }],
        [hubAdviser, 'post', `/referrals/${referralId}/receive`, { version: HUGE }],
        [hubAdviser, 'post', `/referrals/${referralId}/accept`, { version: HUGE }],
        [hubAdviser, 'post', `/referrals/${referralId}/decline`, { version: HUGE, reason: 'Ikke vores område' }],
        [hubAdviser, 'patch', `/offers/${offerId}`, { version: HUGE, title: 'Ændret' }],
        [adviser, 'post', `/guidance-requests/${leadId}/status`, { status: 'in_progress', version: HUGE }],
      ];
      for (const [api, method, url, payload] of changes) expectFieldError(await api[method](url, payload as never), 'version');
      expect([await state(), await rows()]).toEqual(before);
    });

    it('takes the largest int4 as a version (a stale one, 409) and refuses one more (400)', async () => {
      const before = [await state(), await rows()];
      expect((await adviser.patch(`/engagements/${engagementId}`, { version: INT4_MAX, description: 'Ændret' })).statusCode).toBe(409);
      expectFieldError(await adviser.patch(`/engagements/${engagementId}`, { version: INT4_MAX + 1, description: 'Ændret' }), 'version');
      expect([await state(), await rows()]).toEqual(before);
    });

    it('refuses year 0000, which JavaScript has and PostgreSQL has not, as a field error', async () => {
      const before = await state();
      expectFieldError(await adviser.post('/engagements', { companyCvr: cvr, level: 'basic', openedOn: '0000-01-01' }), 'openedOn');
      const contract = await manager.post('/contracts/import', { ...(readTemplate() as object), override: { periodStart: '2027-13-45', periodEnd: '2027-12-31' } });
      expectFieldError(contract, 'override.periodStart');
      expect(await state()).toEqual(before);
    });
  });

  describe('a data exception that escapes a route (the safety net)', () => {
    let app: FastifyInstance;
    afterAll(() => app.close());

    beforeAll(async () => {
      // The real app and error handler on the test database, with two routes that hand PostgreSQL
      // values it refuses, as a route with a schema hole would.
      app = await buildApp({ database: t.database, config: loadConfig({}), webRoot: null });
      app.get('/api/test/out-of-range', { config: { public: true } }, async () => t.database.rows(sql`SELECT ${String(HUGE)}::int4 AS n`));
      app.get('/api/test/no-such-date', { config: { public: true } }, async () => t.database.db.transaction((tx) => tx.execute(sql`SELECT ${'2026-02-30'}::date AS d`)));
      await app.ready();
    });

    it.each([
      ['/api/test/out-of-range', 'da', 'En værdi i forespørgslen er uden for det tilladte område eller har et ugyldigt format.'],
      ['/api/test/no-such-date', 'en', 'A value in the request is out of range or has an invalid format.'],
    ])('answers %s with a generic 400 problem in %s, without SQL', async (url, lang, detail) => {
      const response = await app.inject({ url, headers: { 'accept-language': lang } });
      expect(problem(response)).toEqual({ status: 400, type: 'application/problem+json; charset=utf-8', body: { type: 'about:blank', title: 'Bad Request', status: 400, detail, requestId: response.headers['x-request-id'] } });
      expect(response.body).not.toMatch(/select|int4|::|99999999999|2026-02-30|22003|22008/i);
    });

    it('finds the SQLSTATE behind a Drizzle error from PGlite and on a node-postgres error', async () => {
      const pgliteError = await t.database.rows(sql`SELECT ${'abc'}::int`).catch((error: unknown) => error);
      expect(dataExceptionOf(pgliteError)).toEqual({ code: '22P02', message: 'invalid input syntax for type integer: "abc"' });
      // node-postgres raises its DatabaseError with the fields of the server's ErrorResponse, `code` among them.
      const nodePostgresError = Object.assign(new pg.DatabaseError('value "99999999999" is out of range for type integer', 0, 'error'), { severity: 'ERROR', code: '22003' });
      expect(dataExceptionOf(nodePostgresError)).toEqual({ code: '22003', message: 'value "99999999999" is out of range for type integer' });
      expect(dataExceptionOf(new Error('Failed query', { cause: nodePostgresError }))).toMatchObject({ code: '22003' });
    });

    it('leaves other errors alone: a unique violation, a network error, anything without a code', async () => {
      const unique = await t.database.rows(sql`INSERT INTO organisations (key, name, type) SELECT key, name, type FROM organisations LIMIT 1`).catch((error: unknown) => error);
      expect(dataExceptionOf(unique)).toBeNull();
      expect(dataExceptionOf(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeNull();
      expect(dataExceptionOf(Object.assign(new Error('fastify'), { code: 'FST_ERR_VALIDATION' }))).toBeNull();
      expect(dataExceptionOf(new Error('plain'))).toBeNull();
      expect(dataExceptionOf(null)).toBeNull();
      const loop: Error & { cause?: unknown } = new Error('loop');
      loop.cause = loop;
      expect(dataExceptionOf(loop)).toBeNull();
    });
  });
});
