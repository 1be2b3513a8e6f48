import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, expectStatus, longSessions, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { sendEventReminders } from './service.ts';

const START = new Date('2026-11-27T09:00:00Z');
const EVENT_START = '2026-12-10T12:00:00Z';
const EVENT_END = '2026-12-10T15:00:00Z';

describe('events (arrangementer)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let reader: Api;
  let aabenraa: Api;
  let hub: Api;
  let kkr: Api;
  let orgs: Record<string, string>;
  let cvrs: string[];
  let keyNo = 0;

  const newKey = () => `test-key-${++keyNo}-${Date.now()}`;
  const publicPost = (url: string, payload: object, key: string | null = newKey(), headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers: { ...(key ? { 'idempotency-key': key } : {}), ...headers } });
  const publicGet = (url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}` });
  const person = (n: number) => ({ name: `Person ${n}`, email: `person${n}@example.dk`, phone: '+45 12 34 56 78' });
  const signUpCompany = (eventId: string, n: number, cvr: string, key?: string) =>
    publicPost(`/public/events/${eventId}/registrations`, { cvr, person: person(n), consents: { sharing: true, evaluation: false } }, key ?? newKey());
  const tokenFor = async (participantId: string) => {
    const [mail] = await t.database.rows<{ text: string }>(sql`SELECT text FROM mail_outbox WHERE dedupe_key = ${`event.signup:${participantId}`}`);
    return /afmelding\/([\w-]+)/.exec(mail!.text)![1]!;
  };
  const statusOf = async (participantId: string) => (await t.database.rows<{ status: string }>(sql`SELECT status FROM event_participants WHERE id = ${participantId}`))[0]!.status;
  const createEvent = async (api: Api, body: object = {}) =>
    expectStatus(await api.post('/events', { kind: 'workshop', title: 'Eksport til Tyskland', startsAt: EVENT_START, endsAt: EVENT_END, place: 'Alsion, Sønderborg', capacity: 2, public: true, ...body }), 201);

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'reader@sonderborg.dk', role: 'reader', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    reader = apiAs(t, await login(t.app, 'reader@sonderborg.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    orgs = await organisationIds(t.database, orgKeys);
    cvrs = [...(await companiesIn(t.database, 540)), ...(await companiesIn(t.database, 580))];
    expect(cvrs.length).toBeGreaterThanOrEqual(20);
  });

  describe('creating and reading', () => {
    it('advisers create events; readers and aggregate-only readers may not; everyone signed in reads them with their abilities', async () => {
      const event = await createEvent(adviser, { coOrganiserIds: [orgs.sydjylland], themes: ['internationalisation', 'export'] });
      expect(event).toMatchObject({ kind: 'workshop', status: 'planned', capacity: 2, organiser: { id: orgs.sonderborg }, coOrganisers: [{ id: orgs.sydjylland }], held: false });
      expect(event.abilities).toEqual({ change: true, readParticipants: true, followUp: true, organise: true, leave: false });
      expect(problem(await reader.post('/events', { kind: 'workshop', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END })).status).toBe(403);
      expect(problem(await kkr.post('/events', { kind: 'workshop', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END })).status).toBe(403);
      const seen = expectStatus(await aabenraa.get(`/events/${event.id}`), 200);
      expect(seen.abilities).toEqual({ change: false, readParticipants: false, followUp: false, organise: false, leave: false });
      expect(expectStatus(await hub.get(`/events/${event.id}`), 200).abilities).toEqual({ change: true, readParticipants: true, followUp: true, organise: false, leave: true });
      expect(expectStatus(await kkr.get(`/events/${event.id}`), 200).abilities.readParticipants).toBe(false);
      const upcoming = expectStatus(await reader.get('/events?when=upcoming&kind=workshop'), 200);
      expect(upcoming.items.map((e: { id: string }) => e.id)).toContain(event.id);
      expect(expectStatus(await reader.get('/events?when=past'), 200).items.map((e: { id: string }) => e.id)).not.toContain(event.id);
      expect(problem(await adviser.get('/events/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('refuses bad input with field errors and stores nothing: an end before the start, unknown co-organisers, unknown kinds and fields', async () => {
      const before = await count(t.database, 'events');
      const bad = problem(await adviser.post('/events', { kind: 'workshop', title: 'x', startsAt: EVENT_END, endsAt: EVENT_START }));
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toEqual(['endsAt']);
      expect(problem(await adviser.post('/events', { kind: 'workshop', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END, coOrganiserIds: ['00000000-0000-4000-8000-000000000000'] })).body.errors?.[0]?.field).toBe('coOrganiserIds');
      expect(problem(await adviser.post('/events', { kind: 'party', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END })).status).toBe(400);
      expect(problem(await adviser.post('/events', { kind: 'workshop', title: '   ', startsAt: EVENT_START, endsAt: EVENT_END })).status).toBe(400);
      expect(problem(await adviser.post('/events', { kind: 'workshop', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END, organiserOrganisationId: orgs.aabenraa })).status).toBe(400);
      expect(await count(t.database, 'events')).toBe(before);
    });

    it('only the organiser and co-organisers change an event, with the version read', async () => {
      const event = await createEvent(adviser);
      expect(problem(await aabenraa.patch(`/events/${event.id}`, { title: 'Kapret', version: event.version })).status).toBe(403);
      expect(problem(await reader.patch(`/events/${event.id}`, { title: 'Kapret', version: event.version })).status).toBe(403);
      const changed = expectStatus(await adviser.patch(`/events/${event.id}`, { title: '  Eksport til Tyskland 2027  ', version: event.version }), 200);
      expect(changed.title).toBe('Eksport til Tyskland 2027');
      expect(problem(await adviser.patch(`/events/${event.id}`, { title: 'Stale', version: event.version })).status).toBe(409);
    });
  });

  describe('public sign-up', () => {
    it('shows public events only; a non-public one is missing', async () => {
      const open = await createEvent(adviser);
      const internal = await createEvent(adviser, { public: false });
      expect(expectStatus(await publicGet(`/public/events/${open.id}`), 200)).toMatchObject({ id: open.id, signupOpen: true, full: false, organiser: { name: expect.any(String) } });
      expect(problem(await publicGet(`/public/events/${internal.id}`)).status).toBe(404);
      const list = expectStatus(await publicGet('/public/events'), 200).items.map((e: { id: string }) => e.id);
      expect(list).toContain(open.id);
      expect(list).not.toContain(internal.id);
      expect(problem(await signUpCompany(internal.id, 1, cvrs[0]!)).status).toBe(404);
    });

    it('a company signs up by CVR: a seat, a confirmation mail with a personal link, consents awaiting confirmation; an activity of the organiser on its timeline once the organiser confirms', async () => {
      const event = await createEvent(adviser);
      const receipt = expectStatus(await signUpCompany(event.id, 10, cvrs[1]!), 201);
      expect(receipt).toMatchObject({ status: 'registered', event: { title: 'Eksport til Tyskland' } });
      const [mail] = await t.database.rows<{ to: string; text: string }>(sql`SELECT "to", text FROM mail_outbox WHERE dedupe_key = ${`event.signup:${receipt.id}`}`);
      expect(mail!.to).toBe('person10@example.dk');
      expect(mail!.text).toMatch(/\/arrangementer\/afmelding\/[\w-]{40,}/);
      // The token is stored only hashed.
      const token = await tokenFor(receipt.id);
      expect((await t.database.rows(sql`SELECT 1 FROM event_participants WHERE cancel_token_hash = ${token}`)).length).toBe(0);
      // Anyone can type a CVR number: nothing goes on the company's timeline until the organiser vouches for the sign-up.
      const activityOf = async () => (await t.database.rows<{ organisation_id: string; type: string }>(sql`
        SELECT a.organisation_id, a.type FROM activities a JOIN event_participants p ON p.activity_id = a.id WHERE p.id = ${receipt.id}`))[0];
      expect(await activityOf()).toBeUndefined();
      expect(JSON.stringify(expectStatus(await aabenraa.get(`/companies/${cvrs[1]}/timeline`), 200))).not.toContain('Tilmeldt arrangement');
      const consentsRows = await t.database.rows<{ awaiting_confirmation: boolean; recorded_by_organisation_id: string }>(sql`
        SELECT awaiting_confirmation, recorded_by_organisation_id FROM consents WHERE id IN (SELECT unnest(consent_ids) FROM event_participants WHERE id = ${receipt.id})`);
      expect(consentsRows).toEqual([{ awaiting_confirmation: true, recorded_by_organisation_id: orgs.sonderborg }]);
      // Only the organiser (or a co-organiser) confirms them, once; then the participation is shared under the consent.
      expect(problem(await aabenraa.post(`/events/${event.id}/participants/${receipt.id}/confirm-consents`)).status).toBe(403);
      const confirmed = expectStatus(await adviser.post(`/events/${event.id}/participants/${receipt.id}/confirm-consents`), 200);
      expect(confirmed.items.find((p: { id: string }) => p.id === receipt.id).consents).toEqual({ sharing: true, evaluation: false, awaitingConfirmation: false });
      expect(problem(await adviser.post(`/events/${event.id}/participants/${receipt.id}/confirm-consents`)).status).toBe(409);
      expect(await activityOf()).toEqual({ organisation_id: orgs.sonderborg, type: 'event' });
      expect(JSON.stringify(expectStatus(await adviser.get(`/companies/${cvrs[1]}/timeline`), 200))).toContain('Tilmeldt arrangement');
      expect(JSON.stringify(expectStatus(await aabenraa.get(`/companies/${cvrs[1]}/timeline`), 200))).toContain('Tilmeldt arrangement');
    });

    it('without CVR the person becomes a prospect of the organiser', async () => {
      const event = await createEvent(adviser);
      const receipt = expectStatus(await publicPost(`/public/events/${event.id}/registrations`, { noCvr: true, companyName: 'Min Kinaimport', person: person(11), consents: { sharing: false, evaluation: false } }), 201);
      const [row] = await t.database.rows<{ organisation_id: string; person_name: string; planned_name: string; municipality_code: number }>(sql`
        SELECT pr.organisation_id, pr.person_name, pr.planned_name, pr.municipality_code FROM event_participants p JOIN prospects pr ON pr.id = p.prospect_id WHERE p.id = ${receipt.id}`);
      expect(row).toEqual({ organisation_id: orgs.sonderborg, person_name: 'Person 11', planned_name: 'Min Kinaimport', municipality_code: 540 });
    });

    it('a retry with the same Idempotency-Key gets the first receipt; the key with another body is refused; nothing is stored twice', async () => {
      const event = await createEvent(adviser);
      const key = newKey();
      const first = expectStatus(await signUpCompany(event.id, 12, cvrs[2]!, key), 201);
      const before = await count(t.database, 'event_participants');
      const again = expectStatus(await signUpCompany(event.id, 12, cvrs[2]!, key), 200);
      expect(again.id).toBe(first.id);
      expect(problem(await signUpCompany(event.id, 13, cvrs[2]!, key)).status).toBe(422);
      // Concurrent retries with one key make one sign-up.
      const key2 = newKey();
      const twins = await Promise.all([signUpCompany(event.id, 14, cvrs[3]!, key2), signUpCompany(event.id, 14, cvrs[3]!, key2)]);
      expect(twins.map((r) => r.statusCode).sort()).toEqual([200, 201]);
      expect(twins[0]!.json().id).toBe(twins[1]!.json().id);
      expect(await count(t.database, 'event_participants')).toBe(before + 1);
    });

    it('refuses padded, malformed and keyless input with field errors, in the language asked for, and changes nothing', async () => {
      const event = await createEvent(adviser);
      const before = await count(t.database, 'event_participants');
      const url = `/public/events/${event.id}/registrations`;
      expect(problem(await publicPost(url, { cvr: cvrs[4], person: person(20), consents: { sharing: false, evaluation: false } }, null)).status).toBe(400);
      const blank = problem(await publicPost(url, { cvr: cvrs[4], person: { name: '    ', email: 'x@example.dk' }, consents: { sharing: false, evaluation: false } }));
      expect(blank.status).toBe(400);
      expect(blank.body.errors?.map((e) => e.field)).toContain('person.name');
      expect(problem(await publicPost(url, { cvr: cvrs[4], person: { name: 'A', email: 'not-an-email' }, consents: { sharing: false, evaluation: false } })).status).toBe(400);
      expect(problem(await publicPost(url, { cvr: cvrs[4], person: { name: 'A'.repeat(201), email: 'a@example.dk' }, consents: { sharing: false, evaluation: false } })).status).toBe(400);
      expect(problem(await publicPost(url, { cvr: cvrs[4], person: person(21), consents: { sharing: false, evaluation: false }, status: 'attended' })).status).toBe(400);
      expect(problem(await publicPost(url, { cvr: cvrs[4], person: { name: 'A\u0000B', email: 'a@example.dk' }, consents: { sharing: false, evaluation: false } })).status).toBe(400);
      const neither = problem(await publicPost(url, { person: person(22), consents: { sharing: false, evaluation: false } }, newKey(), { 'accept-language': 'en' }));
      expect(neither.body.errors).toEqual([{ field: 'cvr', message: 'Give a CVR number, or state that the company has none yet.' }]);
      expect(problem(await publicPost(url, { cvr: '12345678', person: person(23), consents: { sharing: false, evaluation: false } })).status).toBe(400);
      expect(await count(t.database, 'event_participants')).toBe(before);
      // Trimmed, not refused: surrounding spaces in a name.
      const ok = expectStatus(await publicPost(url, { cvr: cvrs[4], person: { name: '  Bo Berg  ', email: 'bo@example.dk' }, consents: { sharing: false, evaluation: false } }), 201);
      expect((await t.database.rows<{ person_name: string }>(sql`SELECT person_name FROM event_participants WHERE id = ${ok.id}`))[0]!.person_name).toBe('Bo Berg');
      expect(problem(await publicPost(url, { cvr: cvrs[5], person: { name: 'Bo Igen', email: 'BO@example.dk' }, consents: { sharing: false, evaluation: false } })).status).toBe(409);
    });

    it('refuses sign-up for a closed, a cancelled or a begun event', async () => {
      const closed = await createEvent(adviser, { signupOpen: false });
      expect(problem(await signUpCompany(closed.id, 30, cvrs[6]!)).status).toBe(409);
      const cancelled = await createEvent(adviser);
      expectStatus(await adviser.post(`/events/${cancelled.id}/cancel`, { version: cancelled.version }), 200);
      expect(problem(await signUpCompany(cancelled.id, 31, cvrs[6]!)).status).toBe(409);
      expect(problem(await publicGet(`/public/events/${cancelled.id}`)).status).toBe(200);
      const begun = await createEvent(adviser, { startsAt: '2026-11-27T08:00:00Z', endsAt: '2026-11-27T12:00:00Z' });
      expect(problem(await signUpCompany(begun.id, 32, cvrs[6]!)).status).toBe(409);
      expect((await t.database.rows(sql`SELECT 1 FROM event_participants WHERE event_id IN (${closed.id}, ${cancelled.id}, ${begun.id})`)).length).toBe(0);
    });

    it('two concurrent sign-ups for the last seat: one gets it, the other the waiting list', async () => {
      const event = await createEvent(adviser, { capacity: 1 });
      const answers = await Promise.all([signUpCompany(event.id, 40, cvrs[7]!), signUpCompany(event.id, 41, cvrs[8]!)]);
      expect(answers.map((r) => r.statusCode)).toEqual([201, 201]);
      expect(answers.map((r) => r.json().status).sort()).toEqual(['registered', 'waitlisted']);
      expect(expectStatus(await publicGet(`/public/events/${event.id}`), 200).full).toBe(true);
    });
  });

  describe('cancellation link and waiting list', () => {
    it('cancels with the personal link; the first waiting moves up and is mailed; a forged or foreign token cancels nothing', async () => {
      const event = await createEvent(adviser, { capacity: 1 });
      const a = expectStatus(await signUpCompany(event.id, 50, cvrs[9]!), 201);
      const b = expectStatus(await signUpCompany(event.id, 51, cvrs[10]!), 201);
      const c = expectStatus(await signUpCompany(event.id, 52, cvrs[11]!), 201);
      expect([a.status, b.status, c.status]).toEqual(['registered', 'waitlisted', 'waitlisted']);
      // The organiser vouches for a and b (in touch, consents confirmed): their seats belong on the timeline.
      for (const p of [a, b]) expectStatus(await adviser.post(`/events/${event.id}/participants/${p.id}/confirm-consents`), 200);
      expect((await t.database.rows(sql`SELECT 1 FROM activities WHERE company_cvr = ${cvrs[9]} AND type = 'event'`)).length).toBe(1);
      expect((await t.database.rows(sql`SELECT 1 FROM activities WHERE company_cvr = ${cvrs[10]} AND type = 'event'`)).length).toBe(0);
      const tokenA = await tokenFor(a.id);
      expect(problem(await publicPost(`/public/event-registrations/${'x'.repeat(43)}/cancel`, {}, null)).status).toBe(404);
      expect(problem(await publicPost(`/public/event-registrations/short/cancel`, {}, null)).status).toBe(400);
      // A token from another event's mail is that sign-up's only; it cannot reach this one.
      expect(await statusOf(a.id)).toBe('registered');
      const view = expectStatus(await publicGet(`/public/event-registrations/${tokenA}`), 200);
      expect(view).toEqual({ status: 'registered', event: { title: 'Eksport til Tyskland', startsAt: new Date(EVENT_START).toISOString(), organiser: expect.any(String) }, cancellable: true });
      expect(JSON.stringify(view)).not.toContain('person50');
      expect(expectStatus(await publicPost(`/public/event-registrations/${tokenA}/cancel`, {}, null), 200).status).toBe('cancelled');
      expect(await statusOf(a.id)).toBe('cancelled');
      expect(await statusOf(b.id)).toBe('registered');
      expect(await statusOf(c.id)).toBe('waitlisted');
      const promoted = await t.database.rows<{ to: string }>(sql`SELECT "to" FROM mail_outbox WHERE dedupe_key = ${`event.promoted:${b.id}`}`);
      expect(promoted).toEqual([{ to: 'person51@example.dk' }]);
      // The cancelled participation leaves the company's timeline; the one moved up (vouched for) joins it, the unvouched one will not.
      expect((await t.database.rows(sql`SELECT 1 FROM activities WHERE company_cvr = ${cvrs[9]} AND type = 'event'`)).length).toBe(0);
      expect((await t.database.rows(sql`SELECT 1 FROM activities WHERE company_cvr = ${cvrs[10]} AND type = 'event'`)).length).toBe(1);
      // Cancelling again answers as done and moves nobody else up.
      expect(expectStatus(await publicPost(`/public/event-registrations/${tokenA}/cancel`, {}, null), 200).status).toBe('cancelled');
      expect(await statusOf(c.id)).toBe('waitlisted');
      // More seats move those waiting up at once.
      const current = expectStatus(await adviser.get(`/events/${event.id}`), 200);
      expectStatus(await adviser.patch(`/events/${event.id}`, { capacity: 2, version: current.version }), 200);
      expect(await statusOf(c.id)).toBe('registered');
    });
  });

  describe('participants, attendance and follow-up', () => {
    let event: { id: string; version: number };
    let seated: string[];
    let waiting: string;
    beforeAll(async () => {
      event = await createEvent(adviser, { capacity: 2, coOrganiserIds: [orgs.sydjylland], kind: 'delegation_visit' });
      seated = [
        expectStatus(await signUpCompany(event.id, 60, cvrs[12]!), 201).id,
        expectStatus(await publicPost(`/public/events/${event.id}/registrations`, { noCvr: true, person: person(61), consents: { sharing: false, evaluation: false } }), 201).id,
      ];
      waiting = expectStatus(await signUpCompany(event.id, 62, cvrs[13]!), 201).id;
    });

    it('the participants and their contact data: organiser and co-organisers only (403 for others); the read is audited', async () => {
      const list = expectStatus(await adviser.get(`/events/${event.id}/participants`), 200);
      expect(list.items.map((p: { email: string }) => p.email)).toEqual(['person60@example.dk', 'person61@example.dk', 'person62@example.dk']);
      expectStatus(await hub.get(`/events/${event.id}/participants`), 200);
      expectStatus(await reader.get(`/events/${event.id}/participants`), 200);
      expect(problem(await aabenraa.get(`/events/${event.id}/participants`)).status).toBe(403);
      expect(problem(await kkr.get(`/events/${event.id}/participants`)).status).toBe(403);
      expect(problem(await aabenraa.get(`/events/00000000-0000-4000-8000-000000000000/participants`)).status).toBe(404);
      const reads = await t.database.rows(sql`SELECT 1 FROM audit_log WHERE entity = 'event_participant' AND action = 'read' AND details->>'event' = ${event.id}`);
      expect(reads.length).toBe(3);
    });

    it('attendance from the start, by organiser and co-organisers; waiting ones cannot be marked', async () => {
      expect(problem(await adviser.post(`/events/${event.id}/attendance`, { participants: [{ id: seated[0], status: 'attended' }] })).status).toBe(409);
      t.clock.now = new Date('2026-12-10T16:00:00Z');
      expect(problem(await aabenraa.post(`/events/${event.id}/attendance`, { participants: [{ id: seated[0], status: 'attended' }] })).status).toBe(403);
      expect(problem(await reader.post(`/events/${event.id}/attendance`, { participants: [{ id: seated[0], status: 'attended' }] })).status).toBe(403);
      expect(problem(await adviser.post(`/events/${event.id}/attendance`, { participants: [{ id: waiting, status: 'attended' }] })).status).toBe(409);
      const unknown = problem(await adviser.post(`/events/${event.id}/attendance`, { participants: [{ id: '00000000-0000-4000-8000-000000000000', status: 'attended' }] }));
      expect(unknown.body.errors?.[0]?.field).toBe('participants.0.id');
      const after = expectStatus(await hub.post(`/events/${event.id}/attendance`, { participants: [{ id: seated[0], status: 'attended' }, { id: seated[1], status: 'no_show' }] }), 200);
      expect(after.items.map((p: { status: string }) => p.status)).toEqual(['attended', 'no_show', 'waitlisted']);
      const detail = expectStatus(await adviser.get(`/events/${event.id}`), 200);
      expect(detail).toMatchObject({ held: true, counts: { registered: 2, waitlisted: 1, attended: 1, noShow: 1 } });
      const [activity] = await t.database.rows<{ subject: string }>(sql`SELECT a.subject FROM activities a JOIN event_participants p ON p.activity_id = a.id WHERE p.id = ${seated[0]}`);
      expect(activity!.subject).toMatch(/^Deltog i arrangement/);
    });

    it('follow-up tasks: one per company that attended, due in N working days, made once, the caller organisation\'s own', async () => {
      expect(problem(await aabenraa.post(`/events/${event.id}/follow-up-tasks`, { workingDays: 3 })).status).toBe(403);
      // Thursday 10 December 17:00 + 3 working days = Tuesday 15 December.
      const made = expectStatus(await adviser.post(`/events/${event.id}/follow-up-tasks`, { workingDays: 3 }), 201);
      expect(made).toEqual({ created: 1, dueOn: '2026-12-15' });
      expect(expectStatus(await adviser.post(`/events/${event.id}/follow-up-tasks`, { workingDays: 3 }), 201).created).toBe(0);
      const tasks = expectStatus(await adviser.get(`/tasks?companyCvr=${cvrs[12]}`), 200);
      expect(JSON.stringify(tasks)).toContain('Opfølgning efter Eksport til Tyskland');
      expect(expectStatus(await adviser.get(`/events/${event.id}/participants`), 200).items[0].followUpTask).toBe(true);
      expect(expectStatus(await hub.get(`/events/${event.id}/participants`), 200).items[0].followUpTask).toBe(false);
    });

    it('the evaluation questionnaire goes to those who attended, once, as a survey linked to the event; not before it is held', async () => {
      expect(problem(await aabenraa.post(`/events/${event.id}/evaluation`)).status).toBe(403);
      const sent = expectStatus(await hub.post(`/events/${event.id}/evaluation`), 201);
      expect(sent.invited).toBe(1);
      const [survey] = await t.database.rows<{ event_id: string; organisation_id: string; status: string }>(sql`SELECT event_id, organisation_id, status FROM surveys WHERE id = ${sent.surveyId}`);
      expect(survey).toEqual({ event_id: event.id, organisation_id: orgs.sydjylland, status: 'open' });
      const mails = await t.database.rows<{ to: string }>(sql`SELECT "to" FROM mail_outbox WHERE dedupe_key LIKE 'survey.invite:%' AND "to" = 'person60@example.dk'`);
      expect(mails).toHaveLength(1);
      expect(problem(await adviser.post(`/events/${event.id}/evaluation`)).status).toBe(409);
      expect(expectStatus(await adviser.get(`/events/${event.id}`), 200).evaluationSent).toBe(true);
      const upcoming = await createEvent(adviser, { startsAt: '2027-03-01T12:00:00Z', endsAt: '2027-03-01T14:00:00Z' });
      expect(problem(await adviser.post(`/events/${upcoming.id}/evaluation`)).status).toBe(409);
    });

    it('follow-up records of a delegation visit: who met whom and what is next; organiser and co-organisers only', async () => {
      const added = expectStatus(await hub.post(`/events/${event.id}/follow-ups`, { companyCvr: cvrs[12], metWith: 'Ningbo Machinery Co.', nextStep: 'Sende tilbud på komponenter', dueOn: '2027-01-15' }), 201);
      expect(added.items[0]).toMatchObject({ company: { cvr: cvrs[12] }, metWith: 'Ningbo Machinery Co.', dueOn: '2027-01-15', organisation: { id: orgs.sydjylland } });
      expect(problem(await hub.post(`/events/${event.id}/follow-ups`, { metWith: 'x', nextStep: 'y' })).body.errors?.[0]?.field).toBe('companyCvr');
      expect(problem(await aabenraa.post(`/events/${event.id}/follow-ups`, { companyName: 'x', metWith: 'x', nextStep: 'y' })).status).toBe(403);
      expect(problem(await aabenraa.get(`/events/${event.id}/follow-ups`)).status).toBe(403);
      expect(expectStatus(await adviser.get(`/events/${event.id}/follow-ups`), 200).items).toHaveLength(1);
      // Over: a link can no longer cancel.
      const token = await tokenFor(waiting);
      expect(expectStatus(await publicGet(`/public/event-registrations/${token}`), 200).cancellable).toBe(false);
      expect(problem(await publicPost(`/public/event-registrations/${token}/cancel`, {}, null)).status).toBe(409);
      t.clock.now = START;
    });
  });

  describe('reminders', () => {
    it('mails everyone with a seat once, within the reminder days before the start', async () => {
      const event = await createEvent(adviser, { capacity: 1, reminderDays: 2, startsAt: '2026-12-20T12:00:00Z', endsAt: '2026-12-20T14:00:00Z' });
      const a = expectStatus(await signUpCompany(event.id, 70, cvrs[14]!), 201);
      const b = expectStatus(await signUpCompany(event.id, 71, cvrs[15]!), 201);
      const reminders = async () => t.database.rows<{ dedupe_key: string }>(sql`SELECT dedupe_key FROM mail_outbox WHERE dedupe_key LIKE ${`event.reminder:${a.id}%`} OR dedupe_key LIKE ${`event.reminder:${b.id}%`}`);
      await sendEventReminders(t.database.db, new Date('2026-12-17T12:00:00Z'));
      expect(await reminders()).toHaveLength(0);
      await sendEventReminders(t.database.db, new Date('2026-12-18T13:00:00Z'));
      await sendEventReminders(t.database.db, new Date('2026-12-19T13:00:00Z'));
      const sent = await reminders();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.dedupe_key.startsWith(`event.reminder:${a.id}`)).toBe(true);
    });
  });

  describe('networks', () => {
    it('a series with member companies; members shown to the organisation that runs it only', async () => {
      const series = expectStatus(await adviser.post('/event-series', { title: 'Kina-netværket', themes: ['internationalisation'] }), 201);
      expect(problem(await reader.post('/event-series', { title: 'x' })).status).toBe(403);
      const withMember = expectStatus(await adviser.post(`/event-series/${series.id}/members`, { cvr: cvrs[16] }), 200);
      expect(withMember).toMatchObject({ memberCount: 1, members: [{ cvr: cvrs[16] }], abilities: { manage: true } });
      expect(problem(await aabenraa.post(`/event-series/${series.id}/members`, { cvr: cvrs[17] })).status).toBe(403);
      expect(expectStatus(await aabenraa.get(`/event-series/${series.id}`), 200)).toMatchObject({ memberCount: 1, members: null, abilities: { manage: false } });
      const meeting = await createEvent(adviser, { kind: 'network_meeting', seriesId: series.id });
      expect(meeting.series).toEqual({ id: series.id, title: 'Kina-netværket' });
      // Another organisation cannot hang its events on this network.
      expect(problem(await aabenraa.post('/events', { kind: 'network_meeting', title: 'x', startsAt: EVENT_START, endsAt: EVENT_END, seriesId: series.id })).body.errors?.[0]?.field).toBe('seriesId');
      const bySeries = expectStatus(await reader.get(`/events?when=all&series=${series.id}`), 200);
      expect(bySeries.items.map((e: { id: string }) => e.id)).toEqual([meeting.id]);
    });
  });
});
