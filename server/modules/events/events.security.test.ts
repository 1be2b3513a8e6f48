import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, expectStatus, longSessions, organisationIds, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

const START = new Date('2026-11-27T09:00:00Z');
const EVENT_START = '2026-12-10T12:00:00Z';
const EVENT_END = '2026-12-10T15:00:00Z';

/** The events module attacked from outside: an anonymous visitor on the public entry point, and a signed-in user of another organisation. */
describe('events: attacks', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let organiser: Api;
  let coOrganiser: Api;
  let outsider: Api;
  let orgs: Record<string, string>;
  let cvrs: string[];
  let keyNo = 0;

  const newKey = () => `sec-key-${++keyNo}-${Date.now()}`;
  const publicPost = (url: string, payload: object, key: string | null = newKey()) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers: key ? { 'idempotency-key': key } : {} });
  const signUp = (eventId: string, n: number, cvr: string) =>
    publicPost(`/public/events/${eventId}/registrations`, { cvr, person: { name: `Person ${n}`, email: `sec${n}@example.dk` }, consents: { sharing: false, evaluation: false } });
  const createEvent = async (api: Api, body: object = {}) =>
    expectStatus(await api.post('/events', { kind: 'workshop', title: 'Rekonstruktion og gæld', startsAt: EVENT_START, endsAt: EVENT_END, capacity: 5, public: true, ...body }), 201);

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    organiser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    coOrganiser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    outsider = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    orgs = await organisationIds(t.database, orgKeys);
    cvrs = await companiesIn(t.database, 540);
    expect(cvrs.length).toBeGreaterThanOrEqual(10);
  });

  describe('dates PostgreSQL cannot hold', () => {
    it('refuses year 0000 (and instants that fall into it or past 9999 in UTC) with a field error, not a 500', async () => {
      const before = await count(t.database, 'events');
      for (const [startsAt, endsAt] of [
        ['0000-01-01T10:00:00Z', '0000-01-01T12:00:00Z'],
        ['0001-01-01T00:30:00+01:00', '2026-12-10T12:00:00Z'],
        ['2026-12-10T12:00:00Z', '9999-12-31T23:00:00-14:00'],
      ]) {
        const answer = problem(await organiser.post('/events', { kind: 'workshop', title: 'x', startsAt, endsAt }));
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.length).toBeGreaterThan(0);
      }
      const event = await createEvent(organiser);
      expect(problem(await organiser.patch(`/events/${event.id}`, { startsAt: '0000-06-01T10:00:00Z', version: event.version })).status).toBe(400);
      expect(await count(t.database, 'events')).toBe(before + 1);
    });

    it('refuses a follow-up due on 0000-01-01 with a field error', async () => {
      const event = await createEvent(organiser);
      const answer = problem(await organiser.post(`/events/${event.id}/follow-ups`, { companyName: 'Ningbo', metWith: 'x', nextStep: 'y', dueOn: '0000-01-01' }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.field)).toEqual(['dueOn']);
    });
  });

  describe('co-organisers', () => {
    it('only the organiser decides who co-organises: a co-organiser cannot bring in another organisation to read the participants', async () => {
      const event = await createEvent(organiser, { coOrganiserIds: [orgs.sydjylland] });
      expect(event.abilities.organise).toBe(true);
      const seen = expectStatus(await coOrganiser.get(`/events/${event.id}`), 200);
      expect(seen.abilities).toMatchObject({ change: true, organise: false });
      const grab = problem(await coOrganiser.patch(`/events/${event.id}`, { coOrganiserIds: [orgs.sydjylland, orgs.aabenraa], version: event.version }));
      expect(grab.status).toBe(403);
      expect(problem(await outsider.get(`/events/${event.id}/participants`)).status).toBe(403);
      // Nor can it drop the others (leaving itself is its own; see below).
      const third = await createEvent(organiser, { coOrganiserIds: [orgs.sydjylland, orgs.aabenraa] });
      expect(problem(await coOrganiser.patch(`/events/${third.id}`, { coOrganiserIds: [orgs.sydjylland], version: third.version })).status).toBe(403);
      // The form sends the list unchanged with any other change: that is allowed.
      const changed = expectStatus(await coOrganiser.patch(`/events/${event.id}`, { title: 'Ny titel', coOrganiserIds: [orgs.sydjylland], version: event.version }), 200);
      expect(changed.coOrganisers.map((o: { id: string }) => o.id)).toEqual([orgs.sydjylland]);
    });

    it('a co-organiser named against its will withdraws (its contract counts co-organised events), but cannot swap itself for another', async () => {
      const event = await createEvent(organiser, { coOrganiserIds: [orgs.sydjylland] });
      expect(problem(await coOrganiser.patch(`/events/${event.id}`, { coOrganiserIds: [orgs.aabenraa], version: event.version })).status).toBe(403);
      const left = expectStatus(await coOrganiser.patch(`/events/${event.id}`, { coOrganiserIds: [], version: event.version }), 200);
      expect(left).toMatchObject({ coOrganisers: [], abilities: { change: false, readParticipants: false, leave: false } });
      expect(problem(await coOrganiser.get(`/events/${event.id}/participants`)).status).toBe(403);
    });

    it("a co-organiser cannot hang the organiser's event on a network of its own", async () => {
      const event = await createEvent(organiser, { coOrganiserIds: [orgs.sydjylland] });
      const network = expectStatus(await coOrganiser.post('/event-series', { title: 'Hubbens netværk' }), 201);
      expect(problem(await coOrganiser.patch(`/events/${event.id}`, { seriesId: network.id, version: event.version })).status).toBe(403);
      expect(expectStatus(await organiser.get(`/events/${event.id}`), 200).series).toBeNull();
    });

    it("ids of another organisation's event in nested URLs reach nothing: consents, attendance", async () => {
      const mine = await createEvent(organiser);
      const theirs = await createEvent(outsider);
      const foreign = expectStatus(await publicPost(`/public/events/${theirs.id}/registrations`, { cvr: cvrs[5], person: { name: 'Anne', email: 'sec-foreign@example.dk' }, consents: { sharing: true, evaluation: true } }), 201);
      expect(problem(await organiser.post(`/events/${mine.id}/participants/${foreign.id}/confirm-consents`)).status).toBe(404);
      t.clock.now = new Date('2026-12-10T16:00:00Z');
      const marked = problem(await organiser.post(`/events/${mine.id}/attendance`, { participants: [{ id: foreign.id, status: 'attended' }] }));
      t.clock.now = START;
      expect(marked.body.errors?.map((e) => e.field)).toEqual(['participants.0.id']);
      const [row] = await t.database.rows<{ status: string; awaiting: boolean }>(sql`
        SELECT p.status, bool_and(c.awaiting_confirmation) AS awaiting FROM event_participants p JOIN consents c ON c.id = ANY(p.consent_ids) WHERE p.id = ${foreign.id} GROUP BY p.status`);
      expect(row).toEqual({ status: 'registered', awaiting: true });
    });

    it('another organisation cannot make itself co-organiser, nor change, cancel or follow up the event', async () => {
      const event = await createEvent(organiser);
      expect(problem(await outsider.patch(`/events/${event.id}`, { coOrganiserIds: [orgs.aabenraa], version: event.version })).status).toBe(403);
      expect(problem(await outsider.post(`/events/${event.id}/cancel`, { version: event.version })).status).toBe(403);
      expect(problem(await outsider.post(`/events/${event.id}/follow-up-tasks`, { workingDays: 2 })).status).toBe(403);
      // Nor can anyone set what the routes decide: organiser, status, evaluation, version.
      for (const field of [{ organiserOrganisationId: orgs.aabenraa }, { status: 'cancelled' }, { evaluationSurveyId: event.id }, { createdBy: null }]) {
        expect(problem(await organiser.patch(`/events/${event.id}`, { ...field, version: event.version })).status).toBe(400);
      }
      expect(expectStatus(await organiser.get(`/events/${event.id}`), 200)).toMatchObject({ status: 'planned', coOrganisers: [], version: event.version });
    });
  });

  describe('the public entry point', () => {
    it('an Idempotency-Key used for one event cannot be replayed on another, even with the same body', async () => {
      const first = await createEvent(organiser);
      const second = await createEvent(organiser);
      const key = newKey();
      const body = { cvr: cvrs[6], person: { name: 'Bo', email: 'sec-replay@example.dk' }, consents: { sharing: false, evaluation: false } };
      expectStatus(await publicPost(`/public/events/${first.id}/registrations`, body, key), 201);
      expect(problem(await publicPost(`/public/events/${second.id}/registrations`, body, key)).status).toBe(422);
      expect((await t.database.rows(sql`SELECT 1 FROM event_participants WHERE event_id = ${second.id}`)).length).toBe(0);
    });

    it('robots filling the seats: the organiser cancels their sign-ups, the first waiting moves up; others cannot', async () => {
      const event = await createEvent(organiser, { capacity: 1, coOrganiserIds: [orgs.sydjylland] });
      const robot = expectStatus(await signUp(event.id, 90, cvrs[7]!), 201);
      const human = expectStatus(await signUp(event.id, 91, cvrs[8]!), 201);
      expect([robot.status, human.status]).toEqual(['registered', 'waitlisted']);
      const other = await createEvent(outsider);
      const foreign = expectStatus(await signUp(other.id, 92, cvrs[8]!), 201);
      expect(problem(await outsider.post(`/events/${event.id}/participants/${robot.id}/cancel`)).status).toBe(403);
      expect(problem(await organiser.post(`/events/${event.id}/participants/${foreign.id}/cancel`)).status).toBe(404);
      const after = expectStatus(await coOrganiser.post(`/events/${event.id}/participants/${robot.id}/cancel`), 200);
      expect(after.items.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([[human.id, 'registered'], [robot.id, 'cancelled']]);
      expect(problem(await organiser.post(`/events/${event.id}/participants/${robot.id}/cancel`)).status).toBe(409);
      const mails = await t.database.rows<{ to: string }>(sql`SELECT "to" FROM mail_outbox WHERE dedupe_key IN (${`event.removed:${robot.id}`}, ${`event.promoted:${human.id}`}) ORDER BY "to"`);
      expect(mails).toEqual([{ to: 'sec90@example.dk' }, { to: 'sec91@example.dk' }]);
      expect((await t.database.rows(sql`SELECT 1 FROM event_participants WHERE id = ${foreign.id} AND status = 'registered'`)).length).toBe(1);
    });

    it('a private event answers exactly like a missing one, on every public route', async () => {
      const internal = await createEvent(organiser, { public: false });
      const missing = '00000000-0000-4000-8000-000000000000';
      for (const id of [internal.id, missing]) {
        const read = problem(await t.app.inject({ method: 'GET', url: `/api/v1/public/events/${id}` }));
        expect(read.status).toBe(404);
        const write = problem(await publicPost(`/public/events/${id}/registrations`, { noCvr: true, person: { name: 'X', email: 'x@example.dk' }, consents: { sharing: false, evaluation: false } }));
        expect([write.status, write.body.detail]).toEqual([404, read.body.detail]);
      }
      expect(await count(t.database, 'prospects')).toBe(0);
    });

    it("an anonymous sign-up with a company's CVR shows nothing to other organisations, even where the organiser's own sharing consent is in force", async () => {
      const cvr = cvrs[3]!;
      await recordConsent(organiser, cvr, { scope: 'all' });
      const event = await createEvent(organiser);
      const receipt = expectStatus(await signUp(event.id, 1, cvr), 201);
      // Anyone can type a CVR: the claim is the organiser's to check before others are told.
      expect(JSON.stringify(expectStatus(await outsider.get(`/companies/${cvr}/timeline`), 200))).not.toContain('Rekonstruktion');
      expect(JSON.stringify(expectStatus(await organiser.get(`/companies/${cvr}/timeline`), 200))).not.toContain('Rekonstruktion');
      expect(expectStatus(await organiser.get(`/events/${event.id}/participants`), 200).items.map((p: { id: string }) => p.id)).toEqual([receipt.id]);
      // Once the organiser registers the person as attended, it is the organiser's record like any other.
      t.clock.now = new Date('2026-12-10T16:00:00Z');
      expectStatus(await organiser.post(`/events/${event.id}/attendance`, { participants: [{ id: receipt.id, status: 'attended' }] }), 200);
      expect(JSON.stringify(expectStatus(await outsider.get(`/companies/${cvr}/timeline`), 200))).toContain('Deltog i arrangement');
      t.clock.now = START;
    });
  });
});
