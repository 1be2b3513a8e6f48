import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createEngagement, expectStatus, longSessions, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import type { Actor } from '../../policies/index.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { MyCounts, MyWork } from './schemas.ts';
import { myWork } from './service.ts';

const START = new Date('2026-11-27T09:00:00Z'); // Friday 27 November 2026, 10:00 in Denmark

describe('"Mit arbejde" and the menu counts', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let sonderborg: Api;
  let sonderborgColleague: Api;
  let aabenraa: Api;
  let hub: Api;
  let kkr: Api;
  let org: Record<'sonderborg' | 'hub' | 'aabenraa', string>;
  let cvrs540: string[];
  let cvrs580: string[];

  const counts = async (api: Api): Promise<MyCounts> => expectStatus(await api.get('/me/counts'), 200);
  const at = (iso: string) => (t.clock.now = new Date(iso));
  /** A request from the public "Få vejledning" form. */
  const requestFrom = async (cvr: string, need: string): Promise<{ id: string; dueOn: string }> => {
    const response = await t.app.inject({
      method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': randomUUID() },
      payload: { cvr, contact: { name: 'Anna Ejer', email: 'anna@firma.dk', phone: '+45 12 34 56 78' }, need, themes: [], consents: { sharing: false, evaluation: false } },
    });
    return expectStatus(response, 201);
  };
  /** An adviser takes the request (status in progress); written directly, as the leads module's own tests try its route. */
  const take = async (id: string) => {
    await t.database.db.execute(sql`UPDATE guidance_requests SET status = 'in_progress', handled_at = ${t.clock.now.toISOString()}::timestamptz, version = version + 1 WHERE id = ${id}`);
  };
  const refer = async (from: Api, cvr: string, to: string, needs: string): Promise<{ id: string; version: number; dueOn: string }> => {
    const engagement = await createEngagement(from, { companyCvr: cvr });
    return expectStatus(await from.post(`/engagements/${engagement.id}/referrals`, { toOrganisationId: to, needs, consent: { givenByName: 'Direktør Holm', channel: 'phone' } }), 201);
  };
  const referralVersion = async (id: string) => (await t.database.rows<{ version: number }>(sql`SELECT version FROM referrals WHERE id = ${id}`))[0]!.version;

  beforeAll(async () => {
    t = await createTestApp({ ...longSessions, publicRateLimit: 10_000 });
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 11));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, hub: orgKeys.sydjylland, aabenraa: orgKeys.aabenraa })) as typeof org;
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'colleague@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa, name: 'Aase Aabenraa' });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    sonderborg = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    sonderborgColleague = apiAs(t, await login(t.app, 'colleague@sonderborg.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    cvrs540 = await companiesIn(t.database, 540);
    cvrs580 = await companiesIn(t.database, 580);
  });

  describe('GET /me/counts', () => {
    const zero: MyCounts = { leads: { new: 0, overdue: 0 }, referrals: { new: 0, overdue: 0 }, tasks: { open: 0, overdue: 0 } };

    it('starts at zero, and is refused to aggregate-only readers (403), as "Mit arbejde" is', async () => {
      for (const api of [sonderborg, hub, aabenraa]) expect(await counts(api)).toEqual(zero);
      expect(problem(await kkr.get('/me/counts')).status).toBe(403);
    });

    it('counts a new request for the organisations that handle it, overdue once its deadline has passed, and no more once taken', async () => {
      const lead = await requestFrom(cvrs540[0]!, 'Hjælp til eksport');
      expect(lead.dueOn).toBe('2026-12-01');
      expect((await counts(sonderborg)).leads).toEqual({ new: 1, overdue: 0 });
      expect((await counts(sonderborgColleague)).leads).toEqual({ new: 1, overdue: 0 });
      expect((await counts(hub)).leads).toEqual({ new: 1, overdue: 0 });
      expect((await counts(aabenraa)).leads).toEqual({ new: 0, overdue: 0 });
      try {
        at('2026-12-01T22:59:00Z'); // 23:59 on the deadline
        expect((await counts(sonderborg)).leads).toEqual({ new: 1, overdue: 0 });
        at('2026-12-01T23:00:00Z');
        expect((await counts(sonderborg)).leads).toEqual({ new: 1, overdue: 1 });
        expect((await counts(hub)).leads).toEqual({ new: 1, overdue: 1 });
        await take(lead.id);
        expect((await counts(sonderborg)).leads).toEqual({ new: 0, overdue: 0 });
        expect((await counts(hub)).leads).toEqual({ new: 0, overdue: 0 });
      } finally {
        t.clock.now = START;
      }
    });

    it('counts referrals in the inbox: new until received, overdue while unanswered past the deadline; the outbox not at all', async () => {
      const referral = await refer(sonderborg, cvrs540[1]!, org.hub, 'Vækstforløb');
      expect(referral.dueOn).toBe('2026-12-04');
      expect((await counts(hub)).referrals).toEqual({ new: 1, overdue: 0 });
      expect((await counts(sonderborg)).referrals).toEqual({ new: 0, overdue: 0 });
      expectStatus(await hub.post(`/referrals/${referral.id}/receive`, { version: await referralVersion(referral.id) }), 200);
      expect((await counts(hub)).referrals).toEqual({ new: 0, overdue: 0 });
      try {
        at('2026-12-04T23:00:00Z');
        expect((await counts(hub)).referrals).toEqual({ new: 0, overdue: 1 });
        expectStatus(await hub.post(`/referrals/${referral.id}/accept`, { version: await referralVersion(referral.id) }), 200);
        expect((await counts(hub)).referrals).toEqual({ new: 0, overdue: 0 });
      } finally {
        t.clock.now = START;
      }
    });

    it('counts the caller’s own open tasks, overdue after their due day, and none once done', async () => {
      const task = expectStatus(await sonderborg.post('/tasks', { companyCvr: cvrs540[2], title: 'Ring tilbage', dueOn: '2026-11-30' }), 201);
      expect((await counts(sonderborg)).tasks).toEqual({ open: 1, overdue: 0 });
      expect((await counts(sonderborgColleague)).tasks).toEqual({ open: 0, overdue: 0 });
      try {
        at('2026-12-01T08:00:00Z');
        expect((await counts(sonderborg)).tasks).toEqual({ open: 1, overdue: 1 });
        expectStatus(await sonderborg.patch(`/tasks/${task.id}`, { version: task.version, done: true }), 200);
        expect((await counts(sonderborg)).tasks).toEqual({ open: 0, overdue: 0 });
      } finally {
        t.clock.now = START;
      }
    });

    it('tells nothing but numbers, and is not written to the audit log', async () => {
      const before = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
      const response = await sonderborg.get('/me/counts');
      expect(Object.values(response.json() as MyCounts).flatMap((c) => Object.values(c)).every((v) => typeof v === 'number')).toBe(true);
      expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n).toBe(before);
    });
  });

  describe('GET /me/work: what waits for me', () => {
    const ids: Record<string, string> = {};
    let work: MyWork;

    beforeAll(async () => {
      // Aabenraa's adviser: three tasks, two requests, a referral from the hub.
      const engagement = await createEngagement(aabenraa, { companyCvr: cvrs580[0], description: 'Generationsskifte' });
      const task = (body: object) => aabenraa.post('/tasks', body).then((r) => expectStatus(r, 201).id as string);
      ids.taskToday = await task({ engagementId: engagement.id, title: 'Send referat', dueOn: '2026-11-27' });
      ids.taskMonday = await task({ companyCvr: cvrs580[1], title: 'Ring til revisor', dueOn: '2026-11-30' });
      ids.taskLater = await task({ engagementId: engagement.id, title: 'Aftal opfølgning', dueOn: '2026-12-10' });
      ids.leadNew = (await requestFrom(cvrs580[2]!, 'Hjælp til digitalisering')).id;
      // An older request, taken on time: in progress, its deadline passed but no longer overdue.
      at('2026-11-25T09:00:00Z');
      ids.leadTaken = (await requestFrom(cvrs580[3]!, 'Hjælp til rekruttering')).id;
      await take(ids.leadTaken);
      t.clock.now = START;
      ids.referral = (await refer(hub, cvrs580[4]!, org.aabenraa, 'Lokalt netværk')).id;
      // A task done, a colleague's organisation's work, and a referral answered are not waiting.
      const done = expectStatus(await aabenraa.post('/tasks', { companyCvr: cvrs580[1], title: 'Færdig', dueOn: '2026-11-27' }), 201);
      expectStatus(await aabenraa.patch(`/tasks/${done.id}`, { version: done.version, done: true }), 200);
      const answered = await refer(hub, cvrs580[5]!, org.aabenraa, 'Besvaret');
      expectStatus(await aabenraa.post(`/referrals/${answered.id}/decline`, { version: answered.version, reason: 'Ikke os' }), 200);
      // Wednesday 2 December: the tasks due today and Monday and the new request (due Tuesday) are overdue.
      at('2026-12-02T08:00:00Z');
      work = expectStatus(await aabenraa.get('/me/work'), 200);
    });
    afterAll(() => {
      t.clock.now = START;
    });

    it('lists overdue items first, by deadline, then the rest by deadline', () => {
      expect(work.waiting.map((i) => [i.kind, i.id, i.dueOn, i.overdue])).toEqual([
        ['task', ids.taskToday, '2026-11-27', true],
        ['task', ids.taskMonday, '2026-11-30', true],
        ['lead', ids.leadNew, '2026-12-01', true],
        // Taken by an adviser, the request is in progress: no longer overdue, still waiting, after every overdue item.
        ['lead', ids.leadTaken, '2026-11-27', false],
        ['referral', ids.referral, '2026-12-04', false],
        ['task', ids.taskLater, '2026-12-10', false],
      ]);
      expect(work.more.waiting).toBe(false);
    });

    it('says for each row whom it is about, what to do and where it leads', () => {
      const byId = Object.fromEntries(work.waiting.map((i) => [i.id, i]));
      expect(byId[ids.taskToday!]).toMatchObject({ kind: 'task', what: 'Send referat', company: { cvr: cvrs580[0] }, engagementId: expect.any(String), abilities: { change: true } });
      expect(byId[ids.taskMonday!]).toMatchObject({ kind: 'task', what: 'Ring til revisor', company: { cvr: cvrs580[1] }, engagementId: null });
      expect(byId[ids.leadNew!]).toMatchObject({ kind: 'lead', what: 'Hjælp til digitalisering', status: 'new', company: { cvr: cvrs580[2] }, contact: { name: 'Anna Ejer' } });
      expect(byId[ids.referral!]).toMatchObject({ kind: 'referral', what: 'Lokalt netværk', status: 'sent', from: { id: org.hub }, company: { cvr: cvrs580[4] }, abilities: { answer: true } });
    });

    it('keeps the open engagements after the waiting list, and audits the read', async () => {
      expect(work.openEngagements.map((e) => e.company?.cvr)).toEqual([cvrs580[0]]);
      const [entry] = await t.database.rows<{ details: Record<string, number> }>(sql`SELECT details FROM audit_log WHERE entity = 'work' ORDER BY id DESC LIMIT 1`);
      expect(entry!.details).toMatchObject({ tasks: 3, leads: 2, referrals: 1, engagements: 1 });
    });

    it('shows the start of the list in the same order, and says when it goes on', async () => {
      const [row] = await t.database.rows<Actor>(sql`
        SELECT u.id AS "userId", u.name, u.email, u.organisation_id AS "organisationId", o.type AS "organisationType", u.role,
          u.early_warning AS "earlyWarning", u.system_admin AS "systemAdmin"
        FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = 'adviser@aabenraa.dk'`);
      for (const limit of [1, 2, 3, 5]) {
        const short = await myWork(t.database.db, row!, t.clock.now, { engagements: 100, waiting: limit });
        expect(short.waiting.map((i) => i.id)).toEqual(work.waiting.slice(0, limit).map((i) => i.id));
        expect(short.more.waiting).toBe(true);
      }
    });

    it('the hub sees its region’s requests waiting, but not Aabenraa’s tasks or Aabenraa’s inbox', async () => {
      const seen = expectStatus(await hub.get('/me/work'), 200) as MyWork;
      expect(seen.waiting.every((i) => i.kind === 'lead')).toBe(true);
      expect(seen.waiting.map((i) => i.id)).toEqual(expect.arrayContaining([ids.leadNew, ids.leadTaken]));
      expect(JSON.stringify(seen)).not.toContain('Ring til revisor');
    });
  });
});
