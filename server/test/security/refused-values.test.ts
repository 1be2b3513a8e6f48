/**
 * Values PostgreSQL would refuse never reach it (issue 14): a path id that is no UUID is "no such
 * record" (404, as an unknown id is), a date or moment it cannot hold is a field error (400 naming the
 * field), and a range that ends before it starts is refused on its end field. Nothing is stored by a
 * refused request, and no answer shows SQL.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { readTemplate } from '../../modules/contracts/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { apiAs, createEngagement, expectStatus, longSessions, type Api } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../helpers.ts';

const MALFORMED = 'not-a-uuid';
const IMPOSSIBLE_DATES = ['0000-01-01', '2026-02-30', '99999-01-01', '2026-13-01'];
const IMPOSSIBLE_MOMENTS = ['0000-06-01T10:00:00Z', '2026-02-30T10:00:00Z', '99999-01-01T10:00:00Z', '2026-13-01T10:00:00Z'];
/** Every table a refused request could have written to. */
const TABLES = [
  'action_plans', 'action_plan_initiatives', 'action_plan_milestones', 'activities', 'audit_log', 'consents', 'contracts', 'contract_goals', 'engagements',
  'events', 'event_follow_ups', 'intent_declarations', 'offers', 'status_reports', 'tasks', 'mail_outbox',
];

interface Operation {
  parameters?: { in: string; name: string; schema?: { format?: string } }[];
}

describe('values PostgreSQL cannot hold', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let hubAdviser: Api;
  let manager: Api;
  let admin: Api;
  let cvr: string;
  let contractId: string;
  let engagement: { id: string; version: number };
  let event: { id: string; version: number };
  let offer: { id: string; version: number };
  let plan: { id: string; version: number };

  /** Every row of every table a request could touch, so "nothing changed" covers changes as well as inserts. */
  const state = async () => {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const [row] = await t.database.rows<{ h: string | null }>(sql.raw(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`));
      out[table] = row!.h ?? '';
    }
    return out;
  };
  const send = (api: Api | null, method: string, path: string, options: { payload?: object; lang?: string } = {}) =>
    t.app.inject({
      method: method as 'GET',
      url: `/api/v1${path}`,
      headers: { ...(api?.session.headers ?? {}), ...(options.lang ? { 'accept-language': options.lang } : {}) },
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: options.payload ?? {} }),
    });
  const expectFieldError = (response: LightMyRequestResponse, field: string) => {
    expect(problem(response), response.body).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { errors: [{ field }] } });
    expect(response.json().errors).toHaveLength(1);
  };

  beforeAll(async () => {
    t = await createTestApp({ ...longSessions, publicRateLimit: 10_000 });
    const companies = generateCompanies(1000, 3);
    await upsertCompanies(t.database, companies);
    cvr = companies.find((c) => c.municipality_code === 540)!.cvr;
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@syd.dk', role: 'admin', org: orgKeys.sydjylland });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@syd.dk'));
    manager = apiAs(t, await login(t.app, 'direktor@syd.dk'));
    admin = apiAs(t, await login(t.app, 'admin@syd.dk'));
    contractId = expectStatus(await manager.post('/contracts/import', { ...(readTemplate() as object), override: { periodStart: '2026-01-01', periodEnd: '2026-12-31' } }), 201).id;
    engagement = await createEngagement(adviser, { companyCvr: cvr, openedOn: '2026-06-01' } as Parameters<typeof createEngagement>[1]);
    event = expectStatus(await adviser.post('/events', { kind: 'workshop', title: 'Eksport', startsAt: '2026-12-10T12:00:00Z', endsAt: '2026-12-10T15:00:00Z' }), 201);
    offer = expectStatus(await hubAdviser.post('/offers', { title: 'Eksport til Norge', summary: 'Et forløb om eksport', format: 'course', periodStart: '2027-01-01', periodEnd: '2027-03-31' }), 201);
    plan = expectStatus(await adviser.post('/action-plans', { title: 'Sønderborgs handleplan', periodStart: '2026-01-01', periodEnd: '2026-12-31', focusAreas: [] }), 201);
  });

  describe('a path id that is no UUID', () => {
    it('is "no such record" (404 naming the id) on every operation whose path names a record, whichever id of the path it is', async () => {
      const spec = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
      const examples: Record<string, string> = { cvr, number: '1', municipalityCode: '540' };
      const queries: Record<string, string> = { '/api/v1/action-plans/{id}/export': '?format=pdf', '/api/v1/match-projects/{id}/report': '?format=pdf' };
      const checked: string[] = [];
      const wrong: string[] = [];
      const unknown: string[] = [];
      for (const [template, item] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
          const ids = pathParams.filter((p) => p.schema?.format === 'uuid').map((p) => p.name);
          for (const malformed of ids) {
            const url = template.replace(/\{(\w+)\}/g, (_all, name: string) => (name === malformed ? MALFORMED : ids.includes(name) ? randomUUID() : (examples[name] ?? 'x')));
            for (const [lang, pattern] of [['da', /^Der findes (ingen|intet) [a-zæøå ]+ med id not-a-uuid( [a-zæøå ]+)?\.$/], ['en', /^There is no [a-z ]+ with id not-a-uuid( [a-z ]+)?\.$/]] as const) {
              const response = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { ...adviser.session.headers, 'accept-language': lang }, ...(method === 'get' || method === 'delete' ? {} : { payload: {} }) });
              const body = response.json() as { detail?: string };
              if (response.statusCode !== 404 || !String(response.headers['content-type']).startsWith('application/problem+json') || !pattern.test(body.detail ?? '')) {
                wrong.push(`${method.toUpperCase()} ${url} (${lang}): ${response.statusCode} ${body.detail}`);
              }
            }
            checked.push(`${method} ${template} ${malformed}`);
          }
          if (method === 'get' && ids.length) {
            const given = ids.map(() => randomUUID());
            const url = template.replace(/\{(\w+)\}/g, (_all, name: string) => (ids.includes(name) ? given[ids.indexOf(name)]! : (examples[name] ?? 'x')));
            const response = await t.app.inject({ url: url + (queries[template] ?? ''), headers: admin.session.headers });
            const detail = String((response.json() as { detail?: string }).detail);
            if (response.statusCode !== 404 || !given.some((id) => detail.includes(id))) unknown.push(`GET ${url}: ${response.statusCode} ${detail}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(unknown).toEqual([]);
      // Every module's records: the walk must have found them all.
      expect(checked.length).toBeGreaterThan(80);
    });

    it.each([
      ['action-plans', 'GET', '/action-plans/{id}', 'ingen handleplan', 'action plan'],
      ['action-plans', 'DELETE', '/action-plans/{plan}/initiatives/{id}', 'ingen indsats', 'initiative'],
      ['activities', 'POST', '/engagements/{id}/activities', 'intet forløb', 'engagement', { type: 'meeting', occurredOn: '2026-11-01', subject: 'Møde' }],
      ['consents', 'POST', '/consents/{id}/withdraw', 'intet samtykke', 'consent'],
      ['contacts', 'GET', '/contacts/{id}/export', 'ingen kontaktperson', 'contact'],
      ['contacts', 'GET', '/prospects/{id}/contacts', 'ingen iværksætter', 'prospect'],
      ['contracts', 'GET', '/contracts/{id}', 'ingen kontrakt', 'contract'],
      ['contracts', 'GET', '/status-reports/{id}', 'ingen statusrapport', 'status report'],
      ['contracts', 'GET', '/contracts/{contract}/goals/1/evidence/{id}', 'ingen dokumentation', 'evidence'],
      ['engagements', 'GET', '/engagements/{id}', 'intet forløb', 'engagement'],
      ['evaluations', 'GET', '/organisations/{id}/evaluation-settings', 'ingen organisation', 'organisation'],
      ['events', 'GET', '/events/{id}', 'intet arrangement', 'event'],
      ['events', 'GET', '/public/events/{id}', 'intet arrangement', 'event'],
      ['events', 'GET', '/event-series/{id}', 'intet netværk', 'network'],
      ['guidance', 'GET', '/guidance-requests/{id}', 'ingen henvendelse', 'request'],
      ['lists', 'GET', '/lists/{id}/companies.csv', 'ingen liste', 'list'],
      ['offers', 'GET', '/public/offers/{id}', 'intet tilbud', 'offer'],
      ['organisations', 'GET', '/organisations/{id}/delivery-categories', 'ingen organisation', 'organisation'],
      ['prospects', 'POST', '/prospects/{id}/link', 'ingen iværksætter', 'prospect', { cvr: '10000009' }],
      ['referrals', 'GET', '/referrals/{id}', 'ingen henvisning', 'referral'],
      ['saved-filters', 'DELETE', '/me/saved-filters/{id}', 'intet gemt filter', 'saved filter'],
      ['surveys', 'GET', '/surveys/{id}', 'ingen undersøgelse', 'survey'],
      ['tasks', 'GET', '/tasks/{id}', 'ingen opgave', 'task'],
      ['users', 'PATCH', '/users/{id}', 'ingen bruger', 'user', { name: 'Ny' }],
    ] as [string, string, string, string, string, object?][])('%s: %s %s with a malformed id is "no such record" in Danish and English, and so is an unknown one', async (_module, method, template, da, en, payload) => {
      const path = (id: string) => template.replace('{contract}', contractId).replace('{plan}', plan.id).replace('{id}', id);
      const tail = (lang: 'da' | 'en') => (template.includes('/initiatives/') ? (lang === 'da' ? ' i handleplanen' : ' in the action plan') : '');
      // Users are the admins' to manage; everything else here an adviser may reach.
      const as = template.startsWith('/users') ? admin : adviser;
      const before = await state();
      for (const id of [MALFORMED, randomUUID()]) {
        const danish = problem(await send(as, method, path(id), { payload }));
        expect(danish, `${method} ${path(id)}`).toMatchObject({ status: 404, type: expect.stringContaining('application/problem+json'), body: { detail: `Der findes ${da} med id ${id}${tail('da')}.` } });
        const english = problem(await send(as, method, path(id), { payload, lang: 'en' }));
        expect(english.body.detail).toBe(`There is no ${en} with id ${id}${tail('en')}.`);
      }
      expect(await state()).toEqual(before);
    });
  });

  describe('a date or moment that does not exist or PostgreSQL cannot hold', () => {
    type Case = [what: string, send: (value: string) => Promise<LightMyRequestResponse>, field: string];
    const dateCases = (): Case[] => [
      ['a new action plan', (v) => adviser.post('/action-plans', { title: 'X', periodStart: v, periodEnd: '2026-12-31', focusAreas: [] }), 'periodStart'],
      ['a changed action plan', (v) => adviser.patch(`/action-plans/${plan.id}`, { periodEnd: v, version: plan.version }), 'periodEnd'],
      ['an activity', (v) => adviser.post(`/engagements/${engagement.id}/activities`, { type: 'meeting', occurredOn: v, subject: 'Møde' }), 'occurredOn'],
      ['the audit log filter', (v) => admin.get(`/audit?from=${v}`), 'from'],
      ['a consent', (v) => adviser.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'all', channel: 'meeting', givenByName: 'Direktør Hansen', expiresAt: v }), 'expiresAt'],
      ['an imported contract', (v) => manager.post('/contracts/import', { ...(readTemplate() as object), override: { periodStart: v, periodEnd: '2027-12-31' } }), 'override.periodStart'],
      ['a contract report date', (v) => manager.get(`/contracts/${contractId}/report?at=${v}`), 'at'],
      ['an intent declaration', (v) => send(manager, 'PUT', `/contracts/${contractId}/intent-declarations/540`, { payload: { signedOn: v } }), 'signedOn'],
      ['a status report', (v) => manager.post(`/contracts/${contractId}/status-reports`, { asOf: v }), 'asOf'],
      ['a new engagement', (v) => adviser.post('/engagements', { companyCvr: cvr, level: 'basic', openedOn: v }), 'openedOn'],
      ['a closed engagement', (v) => adviser.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Færdig', closedOn: v }), 'closedOn'],
      ['the evaluation results filter', (v) => adviser.get(`/evaluations/results?to=${v}`), 'to'],
      ['an event follow-up', (v) => adviser.post(`/events/${event.id}/follow-ups`, { companyName: 'Firma', metWith: 'x', nextStep: 'y', dueOn: v }), 'dueOn'],
      ['a new offer', (v) => hubAdviser.post('/offers', { title: 'X', summary: 'Y', format: 'course', periodEnd: v }), 'periodEnd'],
      ['a changed offer', (v) => hubAdviser.patch(`/offers/${offer.id}`, { periodStart: v, version: offer.version }), 'periodStart'],
      ['a task', (v) => adviser.post('/tasks', { companyCvr: cvr, title: 'Ring', dueOn: v }), 'dueOn'],
    ];
    const momentCases = (): Case[] => [
      ['a new event', (v) => adviser.post('/events', { kind: 'workshop', title: 'X', startsAt: v, endsAt: '2026-12-10T15:00:00Z' }), 'startsAt'],
      ['a changed event', (v) => adviser.patch(`/events/${event.id}`, { endsAt: v, version: event.version }), 'endsAt'],
      ['a consent', (v) => adviser.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'all', channel: 'meeting', givenByName: 'Direktør Hansen', expiresAt: v }), 'expiresAt'],
    ];

    it('is a field error naming the date field, wherever the API takes a date, and nothing is stored', async () => {
      const before = await state();
      for (const [what, request, field] of dateCases()) {
        for (const value of IMPOSSIBLE_DATES) {
          const response = await request(value);
          expect(response.statusCode, `${what}: ${value}: ${response.body}`).toBe(400);
          expectFieldError(response, field);
          expect(response.body).not.toMatch(/select|insert|::|22008|22007/i);
        }
      }
      expect(await state()).toEqual(before);
    });

    it('is a field error naming the moment field, wherever the API takes a date and time, and nothing is stored', async () => {
      const before = await state();
      for (const [what, request, field] of momentCases()) {
        for (const value of IMPOSSIBLE_MOMENTS) {
          const response = await request(value);
          expect(response.statusCode, `${what}: ${value}: ${response.body}`).toBe(400);
          expectFieldError(response, field);
        }
      }
      expect(await state()).toEqual(before);
    });

    it('still takes the first and last dates PostgreSQL and the schema hold', async () => {
      expectStatus(await adviser.post('/tasks', { companyCvr: cvr, title: 'Langt ude', dueOn: '9999-12-31' }), 201);
      expectStatus(await admin.get('/audit?from=0001-01-01&to=9999-12-31'), 200);
    });
  });

  describe('a range that ends before it starts', () => {
    type Case = [what: string, send: () => Promise<LightMyRequestResponse>, field: string];
    const cases = (): Case[] => [
      ['a new action plan', () => adviser.post('/action-plans', { title: 'X', periodStart: '2026-06-01', periodEnd: '2026-05-31', focusAreas: [] }), 'periodEnd'],
      ['a changed action plan (its stored start)', () => adviser.patch(`/action-plans/${plan.id}`, { periodEnd: '2025-12-31', version: plan.version }), 'periodEnd'],
      ['the audit log filter', () => admin.get('/audit?from=2026-06-02&to=2026-06-01'), 'to'],
      ['an imported contract', () => manager.post('/contracts/import', { ...(readTemplate() as object), override: { periodStart: '2027-06-01', periodEnd: '2027-01-31' } }), 'override.periodEnd'],
      ['a closed engagement (opened 2026-06-01)', () => adviser.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Færdig', closedOn: '2026-05-31' }), 'closedOn'],
      ['the evaluation results filter', () => adviser.get('/evaluations/results?from=2026-06-02&to=2026-06-01'), 'to'],
      ['the evaluation comments filter', () => hubAdviser.get(`/evaluations/comments?hub=${randomUUID()}&from=2026-06-02&to=2026-06-01`), 'to'],
      ['a new event', () => adviser.post('/events', { kind: 'workshop', title: 'X', startsAt: '2026-12-10T15:00:00Z', endsAt: '2026-12-10T14:59:59Z' }), 'endsAt'],
      ['a new event, across offsets', () => adviser.post('/events', { kind: 'workshop', title: 'X', startsAt: '2026-12-10T15:00:00-01:00', endsAt: '2026-12-10T15:30:00Z' }), 'endsAt'],
      ['a changed event (its stored start)', () => adviser.patch(`/events/${event.id}`, { endsAt: '2026-12-10T11:00:00Z', version: event.version }), 'endsAt'],
      ['a new offer', () => hubAdviser.post('/offers', { title: 'X', summary: 'Y', format: 'course', periodStart: '2027-02-01', periodEnd: '2027-01-31' }), 'periodEnd'],
      ['a changed offer (its stored start)', () => hubAdviser.patch(`/offers/${offer.id}`, { periodEnd: '2026-12-31', version: offer.version }), 'periodEnd'],
      ['a consent that expires before it is given', () => adviser.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'all', channel: 'meeting', givenByName: 'Direktør Hansen', expiresAt: '2026-11-26' }), 'expiresAt'],
    ];

    it('is refused with a field error on the end, and nothing is stored', async () => {
      const before = await state();
      for (const [what, request, field] of cases()) {
        const response = await request();
        expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
        expectFieldError(response, field);
      }
      expect(await state()).toEqual(before);
    });

    it('says which end is wrong in Danish and English', async () => {
      const da = problem(await admin.get('/audit?from=2026-06-02&to=2026-06-01'));
      expect(da.body.errors).toEqual([{ field: 'to', message: 'Til-datoen kan ikke ligge før fra-datoen.' }]);
      const en = problem(await send(admin, 'GET', '/audit?from=2026-06-02&to=2026-06-01', { lang: 'en' }));
      expect(en.body.errors).toEqual([{ field: 'to', message: 'The “to” date cannot be before the “from” date.' }]);
    });

    it('takes a range that ends as it starts where one day or one moment is a range', async () => {
      expectStatus(await adviser.post('/action-plans', { title: 'Én dag', periodStart: '2026-06-01', periodEnd: '2026-06-01', focusAreas: [] }), 201);
      expectStatus(await hubAdviser.post('/offers', { title: 'Én dag', summary: 'Y', format: 'course', periodStart: '2027-02-01', periodEnd: '2027-02-01' }), 201);
      expectStatus(await adviser.post('/events', { kind: 'workshop', title: 'Frist', startsAt: '2026-12-10T15:00:00Z', endsAt: '2026-12-10T16:00:00+01:00' }), 201);
      expectStatus(await admin.get('/audit?from=2026-06-01&to=2026-06-01'), 200);
    });
  });
});
