import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import { endsBeforeStart } from '../../lib/dates.ts';
import { pageOf, pageWindow, type Paging } from '../../lib/paging.ts';
import { isoTime } from '../../lib/rows.ts';
import { danishDate, deadlineAfter } from '../../lib/working-days.ts';
import { abilities, policy, type Actor } from '../../policies/index.ts';
import { activities } from '../activities/schema.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { queueMail } from '../mail/outbox.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { shorten } from '../referrals/service.ts';
import { createSurvey, inviteRecipients } from '../surveys/service.ts';
import { checkNewTask, insertTask } from '../tasks/service.ts';
import { users } from '../users/schema.ts';
import { eventCoOrganisers, eventFollowUps, eventParticipants, events, eventSeries, eventSeriesMembers, type EventKind, type EventStatus, type ParticipantStatus } from './schema.ts';
import type { eventBody, eventPatchBody, eventsQuery, followUpBody, followUpTasksBody, seriesBody, signUpBody } from './schemas.ts';
import { canonicalJson, hashToken, sha256Hex } from '../../lib/hashing.ts';

/** The web's public pages for an event's sign-up and a participant's cancellation link. */
export const signUpLink = (publicUrl: string, eventId: string) => `${publicUrl}/arrangementer/${eventId}/tilmelding`;
export const cancelLink = (publicUrl: string, token: string) => `${publicUrl}/arrangementer/afmelding/${token}`;


/** Statuses that hold a seat: registered, and after the event attended or absent. */
const SEATED = sql`('registered', 'attended', 'no_show')`;

// ---------------------------------------------------------------------------------------------
// Reading events

type EventRow = {
  id: string; organiser_organisation_id: string; organiser_name: string; series_id: string | null; series_title: string | null; kind: EventKind;
  title: string; description: string | null; themes: string[]; starts_at: Date; ends_at: Date; place: string | null; online: boolean;
  capacity: number | null; signup_open: boolean; public: boolean; status: EventStatus; reminder_days: number | null; evaluation_survey_id: string | null;
  version: number; co_organisers: { id: string; name: string }[] | null;
  registered: number; waitlisted: number; attended: number; no_show: number;
};

const eventSelect = sql`
  SELECT e.id, e.organiser_organisation_id, o.name AS organiser_name, e.series_id, s.title AS series_title, e.kind, e.title, e.description, e.themes,
    e.starts_at, e.ends_at, e.place, e.online, e.capacity, e.signup_open, e.public, e.status, e.reminder_days, e.evaluation_survey_id, e.version,
    (SELECT json_agg(json_build_object('id', co.id, 'name', co.name) ORDER BY co.name) FROM event_co_organisers ec JOIN organisations co ON co.id = ec.organisation_id WHERE ec.event_id = e.id) AS co_organisers,
    (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.status IN ${SEATED})::int AS registered,
    (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.status = 'waitlisted')::int AS waitlisted,
    (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.status = 'attended')::int AS attended,
    (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.status = 'no_show')::int AS no_show
  FROM events e
  JOIN organisations o ON o.id = e.organiser_organisation_id
  LEFT JOIN event_series s ON s.id = e.series_id`;

function eventView(r: EventRow, now: Date) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    themes: r.themes,
    startsAt: isoTime(r.starts_at)!,
    endsAt: isoTime(r.ends_at)!,
    place: r.place,
    online: r.online,
    capacity: r.capacity === null ? null : Number(r.capacity),
    signupOpen: r.signup_open,
    public: r.public,
    status: r.status,
    reminderDays: r.reminder_days === null ? null : Number(r.reminder_days),
    organiser: { id: r.organiser_organisation_id, name: r.organiser_name },
    coOrganisers: r.co_organisers ?? [],
    series: r.series_id ? { id: r.series_id, title: r.series_title ?? '' } : null,
    counts: { registered: Number(r.registered), waitlisted: Number(r.waitlisted), attended: Number(r.attended), noShow: Number(r.no_show) },
    started: new Date(r.starts_at) <= now,
    held: r.status !== 'cancelled' && new Date(r.ends_at) < now,
    evaluationSent: r.evaluation_survey_id !== null,
    version: Number(r.version),
  };
}
export type EventView = ReturnType<typeof eventView>;

/** An event with what the caller may do with it (`abilities.event`). */
export const presentEvent = (actor: Actor, e: EventView) => ({ ...e, abilities: abilities.event(actor, e) });

/** The organiser and co-organisers, as the policy asks for them. */
export const eventRecord = (e: EventView) => ({ organiserId: e.organiser.id, coOrganiserIds: e.coOrganisers.map((o) => o.id) });

/** The event as `addActivity` takes it, and the author of an activity the actor records for the organiser: the actor if one of its users. */
const activityEvent = (e: EventView) => ({ id: e.id, title: e.title, organiserId: e.organiser.id, startsAt: new Date(e.startsAt) });
const authorFor = (actor: Actor, e: EventView) => (actor.organisationId === e.organiser.id ? actor.userId : null);

/** The change only takes the caller's organisation off the co-organisers (nothing else about who organises). */
export function onlyLeaves(current: EventView, change: { coOrganiserIds?: string[] | undefined; seriesId?: string | null | undefined }, organisationId: string): boolean {
  const expected = current.coOrganisers.map((o) => o.id).filter((id) => id !== organisationId);
  const next = new Set(change.coOrganiserIds ?? []);
  return !!change.coOrganiserIds && !changesOrganisation(current, { seriesId: change.seriesId }) && next.size === expected.length && expected.every((id) => next.has(id));
}

/** Whether a change touches who co-organises or the network: sent unchanged (as the form does) it does not. */
export function changesOrganisation(current: EventView, change: { coOrganiserIds?: string[] | undefined; seriesId?: string | null | undefined }): boolean {
  const now = new Set(current.coOrganisers.map((o) => o.id));
  const next = change.coOrganiserIds && new Set(change.coOrganiserIds);
  const coOrganisersChange = !!next && (next.size !== now.size || [...next].some((id) => !now.has(id)));
  const seriesChange = change.seriesId !== undefined && change.seriesId !== (current.series?.id ?? null);
  return coOrganisersChange || seriesChange;
}

export async function listEvents(db: Db, actor: Actor, now: Date, query: z.output<typeof eventsQuery>, paging: Paging) {
  const { limit, offset } = pageWindow(paging);
  const where: SQL[] = [sql`TRUE`];
  if (query.when === 'upcoming') where.push(sql`e.ends_at >= ${now.toISOString()}::timestamptz`);
  if (query.when === 'past') where.push(sql`e.ends_at < ${now.toISOString()}::timestamptz`);
  if (query.kind) where.push(sql`e.kind = ${query.kind}`);
  if (query.series) where.push(sql`e.series_id = ${query.series}`);
  if (query.mine === 'true') {
    where.push(sql`(e.organiser_organisation_id = ${actor.organisationId} OR EXISTS (SELECT 1 FROM event_co_organisers ec WHERE ec.event_id = e.id AND ec.organisation_id = ${actor.organisationId}))`);
  }
  // Upcoming soonest first; past most recent first.
  const order = query.when === 'upcoming' ? sql`e.starts_at ASC, e.id` : sql`e.starts_at DESC, e.id`;
  const rows = (await db.execute<EventRow>(sql`${eventSelect} WHERE ${sql.join(where, sql` AND `)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`)).rows;
  const page = pageOf(rows, paging);
  return { ...page, items: page.items.map((r) => eventView(r, now)) };
}

/** One event (every signed-in user may see it), else 404. */
export async function findEvent(db: Db, now: Date, id: string): Promise<EventView> {
  const [row] = (await db.execute<EventRow>(sql`${eventSelect} WHERE e.id = ${id}`)).rows;
  if (!row) throw notFound('event.notFound');
  return eventView(row, now);
}

// ---------------------------------------------------------------------------------------------
// Creating and changing events

async function assertOrganisations(db: Db, ids: string[], ownId: string) {
  if (ids.includes(ownId)) throw fieldProblem('coOrganiserIds', 'event.coOrganiserSelf');
  if (ids.length === 0) return;
  const found = await db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, ids));
  if (found.length !== new Set(ids).size) throw fieldProblem('coOrganiserIds', 'event.coOrganiserUnknown');
}

async function assertSeries(db: Db, actor: Actor, seriesId: string | null | undefined) {
  if (!seriesId) return;
  const [row] = await db.select({ organisationId: eventSeries.organisationId }).from(eventSeries).where(eq(eventSeries.id, seriesId));
  // A series only its own organisation adds events to; another's is as unknown as a missing one.
  if (!row || row.organisationId !== actor.organisationId) throw fieldProblem('seriesId', 'event.seriesUnknown');
}

function assertPeriod(startsAt: string, endsAt: string) {
  if (endsBeforeStart(startsAt, endsAt)) throw fieldProblem('endsAt', 'event.endsBeforeStart');
}

export async function createEvent(db: Db, actor: Actor, now: Date, body: z.output<typeof eventBody>): Promise<string> {
  assertPeriod(body.startsAt, body.endsAt);
  const coOrganiserIds = [...new Set(body.coOrganiserIds)];
  await assertOrganisations(db, coOrganiserIds, actor.organisationId);
  await assertSeries(db, actor, body.seriesId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(events)
      .values({
        organiserOrganisationId: actor.organisationId, seriesId: body.seriesId, kind: body.kind, title: body.title, description: body.description || null,
        themes: body.themes, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt), place: body.place || null, online: body.online,
        capacity: body.capacity, signupOpen: body.signupOpen, public: body.public, reminderDays: body.reminderDays, createdBy: actor.userId, createdAt: now,
      })
      .returning({ id: events.id });
    if (coOrganiserIds.length) await tx.insert(eventCoOrganisers).values(coOrganiserIds.map((organisationId) => ({ eventId: row!.id, organisationId })));
    await audit(tx, actor, { action: 'create', entity: 'event', entityId: row!.id, details: { kind: body.kind } });
    return row!.id;
  });
}

/** Changes an event the caller may change (authorised by the caller), if the version is still the one read (else 409). */
export async function updateEvent(db: Db, actor: Actor, now: Date, current: EventView, change: z.output<typeof eventPatchBody>, links: { publicUrl: string }) {
  const { version, coOrganiserIds, ...fields } = change;
  if (current.status === 'cancelled') throw conflict('event.cancelled');
  assertPeriod(fields.startsAt ?? current.startsAt, fields.endsAt ?? current.endsAt);
  if (coOrganiserIds) await assertOrganisations(db, [...new Set(coOrganiserIds)], current.organiser.id);
  if (fields.seriesId !== undefined && fields.seriesId !== current.series?.id) await assertSeries(db, actor, fields.seriesId);
  const set: Partial<typeof events.$inferInsert> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (k === 'startsAt' || k === 'endsAt') (set as Record<string, unknown>)[k] = new Date(v as string);
    else if (k === 'description' || k === 'place') (set as Record<string, unknown>)[k] = (v as string | null) || null;
    else (set as Record<string, unknown>)[k] = v;
  }
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(events)
      .set({ ...set, version: sql`${events.version} + 1` })
      .where(and(eq(events.id, current.id), eq(events.version, version), eq(events.status, 'planned')))
      .returning({ id: events.id });
    if (updated.length === 0) throw conflict('event.stale');
    if (coOrganiserIds) {
      await tx.delete(eventCoOrganisers).where(eq(eventCoOrganisers.eventId, current.id));
      const ids = [...new Set(coOrganiserIds)];
      if (ids.length) await tx.insert(eventCoOrganisers).values(ids.map((organisationId) => ({ eventId: current.id, organisationId })));
    }
    // More seats: those waiting move up at once, in the order they signed up.
    await promoteWaiting(tx, now, current.id, links);
    await audit(tx, actor, { action: 'update', entity: 'event', entityId: current.id, details: { fields: Object.keys(change).filter((k) => k !== 'version') } });
  });
}

/** Cancels a planned event; everyone signed up or waiting is told by mail. */
export async function cancelEvent(db: Db, actor: Actor, now: Date, current: EventView, version: number) {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(events)
      .set({ status: 'cancelled', version: sql`${events.version} + 1` })
      .where(and(eq(events.id, current.id), eq(events.version, version), eq(events.status, 'planned')))
      .returning({ id: events.id });
    if (updated.length === 0) throw conflict(current.status === 'cancelled' ? 'event.cancelled' : 'event.stale');
    const people = await tx
      .select({ id: eventParticipants.id, email: eventParticipants.email })
      .from(eventParticipants)
      .where(and(eq(eventParticipants.eventId, current.id), inArray(eventParticipants.status, ['registered', 'waitlisted'])));
    for (const p of people) {
      await queueMail(tx, {
        to: p.email,
        dedupeKey: `event.cancelled:${p.id}`,
        subject: `Aflyst / Cancelled: ${oneLine(current.title)}`,
        text:
          `${current.organiser.name} har desværre aflyst "${oneLine(current.title)}" ${whenText(current.startsAt, 'da')}.\n\n---\n` +
          `${current.organiser.name} has had to cancel "${oneLine(current.title)}" on ${whenText(current.startsAt, 'en')}.\n`,
      });
    }
    await audit(tx, actor, { action: 'cancel', entity: 'event', entityId: current.id, details: { participantsTold: people.length } });
  });
}

// ---------------------------------------------------------------------------------------------
// Signing up, waiting list and cancellation

const oneLine = (s: string) => shorten(s, 150);

function whenText(iso: string, lang: 'da' | 'en'): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' }).format(d);
  return lang === 'da' ? `${date} kl. ${time}` : `${date} at ${time}`;
}

/** A user of the organiser to stand as author of what the public form records (an activity, a prospect), as the guidance form does. */
async function organiserUser(tx: Db, organisationId: string): Promise<string | null> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.organisationId, organisationId)).orderBy(users.createdAt).limit(1);
  return row?.id ?? null;
}

/**
 * The participation as an activity of the organiser on the company's (or prospect's) timeline; seen by
 * others only under the organiser's sharing consents. Only once the organiser has vouched for it (see
 * `signUp`): `userId` is the author when they are the organiser's, else the organiser's first user.
 */
async function addActivity(
  tx: Db,
  event: { id: string; title: string; organiserId: string; startsAt: Date },
  p: { id: string; companyCvr: string | null; prospectId: string | null },
  userId: string | null,
  subject = `Tilmeldt arrangement: ${oneLine(event.title)}`,
) {
  const author = userId ?? (await organiserUser(tx, event.organiserId));
  if (!author || (!p.companyCvr && !p.prospectId)) return;
  const [activity] = await tx
    .insert(activities)
    .values({
      companyCvr: p.companyCvr, prospectId: p.companyCvr ? null : p.prospectId, organisationId: event.organiserId, userId: author, type: 'event',
      occurredOn: danishDate(event.startsAt), subject,
    })
    .returning({ id: activities.id });
  await tx.update(eventParticipants).set({ activityId: activity!.id }).where(eq(eventParticipants.id, p.id));
}

/** The organiser has vouched for the sign-up: an organiser confirmed the consents ticked on it after being in touch. */
async function vouchedFor(tx: Db, participantId: string): Promise<boolean> {
  const [row] = (await tx.execute<{ vouched: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM event_participants p JOIN consents c ON c.id = ANY(p.consent_ids) WHERE p.id = ${participantId} AND c.confirmed_at IS NOT NULL) AS vouched`)).rows;
  return !!row?.vouched;
}

/** The event's row, locked for the rest of the transaction: sign-ups, cancellations and moves up the list take seats one at a time. */
async function lockEvent(tx: Db, id: string) {
  const [row] = (await tx.execute<{ id: string; organiser_organisation_id: string; title: string; starts_at: Date; ends_at: Date; capacity: number | null; status: EventStatus; signup_open: boolean; public: boolean; organiser_name: string; municipality_code: number | null }>(sql`
    SELECT e.id, e.organiser_organisation_id, e.title, e.starts_at, e.ends_at, e.capacity, e.status, e.signup_open, e.public, o.name AS organiser_name, o.municipality_code
    FROM events e JOIN organisations o ON o.id = e.organiser_organisation_id WHERE e.id = ${id} FOR UPDATE OF e`)).rows;
  return row;
}

async function seatsTaken(tx: Db, eventId: string): Promise<number> {
  const [row] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_participants WHERE event_id = ${eventId} AND status IN ${SEATED}`)).rows;
  return Number(row!.n);
}

/**
 * Moves those waiting up while there are free seats (in the order they signed up) and mails each
 * one moved up. Runs in the caller's transaction with the event locked.
 */
async function promoteWaiting(tx: Db, now: Date, eventId: string, links: { publicUrl: string }) {
  const event = await lockEvent(tx, eventId);
  if (!event || event.status !== 'planned' || new Date(event.starts_at) <= now) return;
  const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : Number(event.capacity) - (await seatsTaken(tx, eventId));
  if (free <= 0) return;
  const waiting = await tx
    .select({ id: eventParticipants.id, email: eventParticipants.email, companyCvr: eventParticipants.companyCvr, prospectId: eventParticipants.prospectId })
    .from(eventParticipants)
    .where(and(eq(eventParticipants.eventId, eventId), eq(eventParticipants.status, 'waitlisted')))
    .orderBy(eventParticipants.signUpOrder)
    .limit(Math.min(free, 10_000));
  for (const p of waiting) {
    await tx.update(eventParticipants).set({ status: 'registered' }).where(eq(eventParticipants.id, p.id));
    if (await vouchedFor(tx, p.id)) await addActivity(tx, { id: eventId, title: event.title, organiserId: event.organiser_organisation_id, startsAt: new Date(event.starts_at) }, p, null);
    const when = isoTime(event.starts_at)!;
    await queueMail(tx, {
      to: p.email,
      dedupeKey: `event.promoted:${p.id}`,
      subject: `Du har fået en plads / You have a seat: ${oneLine(event.title)}`,
      text:
        `Der er blevet en plads ledig, og du er nu tilmeldt "${oneLine(event.title)}" ${whenText(when, 'da')} hos ${event.organiser_name}.\n` +
        `Kan du alligevel ikke komme, så afmeld dig med linket i din første mail, så pladsen går videre.\n` +
        `Arrangementet: ${signUpLink(links.publicUrl, eventId)}\n\n---\n` +
        `A seat has become free, and you are now registered for "${oneLine(event.title)}" on ${whenText(when, 'en')} with ${event.organiser_name}.\n` +
        `If you cannot come after all, cancel with the link in your first mail so the seat goes to someone else.\n`,
    });
    await audit(tx, null, { action: 'promote', entity: 'event_participant', entityId: p.id, companyCvr: p.companyCvr });
  }
}

/** Why sign-up is not possible now, or null: cancelled, closed, or begun. */
function signUpRefusal(event: { status: EventStatus; signup_open: boolean; starts_at: Date }, now: Date): string | null {
  if (event.status === 'cancelled') return 'event.cancelled';
  if (!event.signup_open || new Date(event.starts_at) <= now) return 'event.signupClosed';
  return null;
}

/** JSON with every object's keys sorted, so the same content always gives the same text. */
export const signUpHashOf = (eventId: string, input: unknown) => sha256Hex(`${eventId}\n${canonicalJson(input)}`);

/** The sign-up an Idempotency-Key already made; the same key with another body (or another event) is refused (422). */
export async function participantForKey(db: Db, key: string, requestHash: string) {
  const [row] = await db.select({ id: eventParticipants.id, requestHash: eventParticipants.requestHash }).from(eventParticipants).where(eq(eventParticipants.idempotencyKey, key));
  if (row && row.requestHash !== requestHash) throw new HttpProblem(422, 'event.idempotencyKeyReused');
  return row?.id;
}

export async function receiptOf(db: Db, participantId: string) {
  const [row] = (await db.execute<{ id: string; status: ParticipantStatus; title: string; starts_at: Date }>(sql`
    SELECT p.id, p.status, e.title, e.starts_at FROM event_participants p JOIN events e ON e.id = p.event_id WHERE p.id = ${participantId}`)).rows;
  // A retry after the person cancelled still gets the answer the first request had: a seat or a place on the list.
  const status = row!.status === 'waitlisted' ? 'waitlisted' : 'registered';
  return { id: row!.id, status: status as 'registered' | 'waitlisted', event: { title: row!.title, startsAt: isoTime(row!.starts_at)! } };
}

export type SignUpInput = z.output<typeof signUpBody>;

/**
 * Signs a person up for an event: for a company by CVR or, without one, as a prospect of the
 * organiser. A seat if one is free, else the waiting list — decided with the event's row locked, so
 * two people after the last seat get one each of the two answers. The consents ticked are recorded
 * awaiting confirmation (anyone can type a CVR number); the confirmation mail carries the personal
 * cancellation link, whose token is stored only hashed. Returns null when a concurrent request with
 * the same Idempotency-Key got there first. `publicOnly`: the public form reaches public events only.
 */
export async function signUp(
  db: Db,
  now: Date,
  eventId: string,
  input: SignUpInput,
  options: { key: string | null; requestHash: string | null; publicUrl: string; publicOnly: boolean; actor?: Actor | null },
): Promise<string | null> {
  if (!input.cvr && !input.noCvr) throw fieldProblem('cvr', 'guidance.cvrOrNone');
  const [company] = input.cvr ? await db.select({ cvr: companies.cvr, name: companies.name }).from(companies).where(eq(companies.cvr, input.cvr)) : [];
  if (input.cvr && !company) throw fieldProblem('cvr', 'event.cvrUnknown', { cvr: input.cvr });
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    if (!event || (options.publicOnly && !event.public)) throw notFound('event.notFound');
    const refusal = signUpRefusal(event, now);
    if (refusal) throw conflict(refusal);
    const [already] = (await tx.execute<{ id: string }>(sql`
      SELECT id FROM event_participants WHERE event_id = ${eventId} AND lower(email) = lower(${input.person.email}) AND status <> 'cancelled'`)).rows;
    if (already) {
      // A retry with the same key that lost the race to its twin is answered by the route with the first receipt.
      if (options.key) {
        const [twin] = await tx.select({ id: eventParticipants.id }).from(eventParticipants).where(eq(eventParticipants.idempotencyKey, options.key));
        if (twin) return null;
      }
      throw conflict('event.alreadySignedUp');
    }
    const free = event.capacity === null || (await seatsTaken(tx, eventId)) < Number(event.capacity);
    const status: ParticipantStatus = free ? 'registered' : 'waitlisted';
    const author = options.actor?.userId ?? (await organiserUser(tx, event.organiser_organisation_id));
    let prospectId: string | null = null;
    if (!company && author) {
      // Without CVR the person becomes a prospect (iværksætter) of the organiser, in its municipality when it has one.
      const [prospect] = await tx
        .insert(prospects)
        .values({
          personName: input.person.name, plannedName: input.companyName || null, municipalityCode: event.municipality_code, organisationId: event.organiser_organisation_id,
          createdBy: author, description: `Tilmeldt arrangement: ${oneLine(event.title)}`,
        })
        .returning({ id: prospects.id });
      prospectId = prospect!.id;
    }
    const inserted = await tx
      .insert(eventParticipants)
      .values({
        eventId, companyCvr: company?.cvr ?? null, prospectId, companyName: company?.name ?? (input.companyName || null), personName: input.person.name,
        email: input.person.email, phone: input.person.phone ?? null, status, idempotencyKey: options.key, requestHash: options.requestHash,
        cancelTokenHash: hashToken(token), consentSharing: input.consents.sharing, consentEvaluation: input.consents.evaluation, registeredAt: now,
      })
      .onConflictDoNothing({ target: eventParticipants.idempotencyKey })
      .returning({ id: eventParticipants.id });
    if (inserted.length === 0) {
      if (prospectId) await tx.delete(prospects).where(eq(prospects.id, prospectId));
      return null;
    }
    const participantId = inserted[0]!.id;
    const consentIds: string[] = [];
    for (const purpose of (['sharing', 'evaluation'] as const).filter((p) => input.consents[p])) {
      if (!company && !prospectId) break;
      const [c] = await tx
        .insert(consents)
        .values({
          companyCvr: company?.cvr ?? null, prospectId: company ? null : prospectId, purpose, scope: 'all', givenByName: input.person.name, givenAt: now, channel: 'web',
          recordedByOrganisationId: event.organiser_organisation_id, awaitingConfirmation: true,
        })
        .returning({ id: consents.id });
      consentIds.push(c!.id);
    }
    if (consentIds.length) await tx.update(eventParticipants).set({ consentIds }).where(eq(eventParticipants.id, participantId));
    // Anyone can type a CVR number: an anonymous sign-up goes on the company's timeline (where the
    // organiser's sharing consents show it to others) only once the organiser vouches for it, by
    // confirming its consents or registering the person as attended.
    if (status === 'registered' && options.actor) {
      await addActivity(tx, { id: eventId, title: event.title, organiserId: event.organiser_organisation_id, startsAt: new Date(event.starts_at) }, { id: participantId, companyCvr: company?.cvr ?? null, prospectId }, author);
    }
    const when = isoTime(event.starts_at)!;
    const link = cancelLink(options.publicUrl, token);
    const title = oneLine(event.title);
    await queueMail(tx, {
      to: input.person.email,
      dedupeKey: `event.signup:${participantId}`,
      subject: status === 'registered' ? `Tilmeldt / Registered: ${title}` : `Venteliste / Waiting list: ${title}`,
      text:
        (status === 'registered'
          ? `Du er tilmeldt "${title}" ${whenText(when, 'da')} hos ${event.organiser_name}.\n`
          : `"${title}" ${whenText(when, 'da')} er fuldt booket. Du står på ventelisten og får en mail, hvis der bliver en plads.\n`) +
        `Kan du ikke komme, så afmeld dig her (linket er personligt): ${link}\n\n---\n` +
        (status === 'registered'
          ? `You are registered for "${title}" on ${whenText(when, 'en')} with ${event.organiser_name}.\n`
          : `"${title}" on ${whenText(when, 'en')} is fully booked. You are on the waiting list and will get a mail if a seat becomes free.\n`) +
        `If you cannot come, cancel here (the link is personal): ${link}\n`,
    });
    await audit(tx, options.actor ?? null, { action: 'create', entity: 'event_participant', entityId: participantId, companyCvr: company?.cvr ?? null, details: { event: eventId, status } });
    return participantId;
  });
}

type TokenRow = { id: string; event_id: string; status: ParticipantStatus; title: string; starts_at: Date; event_status: EventStatus; organiser_name: string; company_cvr: string | null; activity_id: string | null };

async function participantByToken(db: Db, token: string): Promise<TokenRow | undefined> {
  const [row] = (await db.execute<TokenRow>(sql`
    SELECT p.id, p.event_id, p.status, e.title, e.starts_at, e.status AS event_status, o.name AS organiser_name, p.company_cvr, p.activity_id
    FROM event_participants p JOIN events e ON e.id = p.event_id JOIN organisations o ON o.id = e.organiser_organisation_id
    WHERE p.cancel_token_hash = ${hashToken(token)}`)).rows;
  return row;
}

const cancellable = (r: TokenRow, now: Date) => (r.status === 'registered' || r.status === 'waitlisted') && r.event_status === 'planned' && new Date(r.starts_at) > now;

/** What the cancellation page shows for a link: the event and whether it can still be cancelled; nothing about the person. */
export async function registrationByToken(db: Db, now: Date, token: string) {
  const row = await participantByToken(db, token);
  if (!row) throw notFound('event.registrationUnknown');
  return { status: row.status, event: { title: row.title, startsAt: isoTime(row.starts_at)!, organiser: row.organiser_name }, cancellable: cancellable(row, now) };
}

/**
 * Cancels the sign-up the link belongs to (the link is its only key). The seat goes to the first on
 * the waiting list, who is told by mail. Cancelling twice is answered as done; after the start, 409.
 */
export async function cancelByToken(db: Db, now: Date, token: string, links: { publicUrl: string }) {
  const row = await participantByToken(db, token);
  if (!row) throw notFound('event.registrationUnknown');
  if (row.status === 'cancelled') return registrationByToken(db, now, token);
  if (!cancellable(row, now)) throw conflict('event.notCancellable');
  await db.transaction(async (tx) => {
    await lockEvent(tx, row.event_id);
    const updated = await tx
      .update(eventParticipants)
      .set({ status: 'cancelled', cancelledAt: now, activityId: null })
      .where(and(eq(eventParticipants.id, row.id), inArray(eventParticipants.status, ['registered', 'waitlisted'])))
      .returning({ id: eventParticipants.id });
    if (updated.length === 0) return;
    // The participation no longer belongs on the company's timeline.
    if (row.activity_id) await tx.delete(activities).where(eq(activities.id, row.activity_id));
    await promoteWaiting(tx, now, row.event_id, links);
    await audit(tx, null, { action: 'cancel', entity: 'event_participant', entityId: row.id, companyCvr: row.company_cvr, details: { event: row.event_id } });
  });
  return registrationByToken(db, now, token);
}

/**
 * The organiser (or a co-organiser) cancels a sign-up: one the person asked to cancel by phone, or
 * one a robot or a prankster made to take the seats. The seat goes to the first waiting; the person
 * is told by mail.
 */
export async function cancelParticipant(db: Db, actor: Actor, now: Date, event: EventView, participantId: string, links: { publicUrl: string }) {
  await db.transaction(async (tx) => {
    await lockEvent(tx, event.id);
    const [p] = await tx
      .select({ status: eventParticipants.status, email: eventParticipants.email, activityId: eventParticipants.activityId, companyCvr: eventParticipants.companyCvr })
      .from(eventParticipants)
      .where(and(eq(eventParticipants.id, participantId), eq(eventParticipants.eventId, event.id)));
    if (!p) throw notFound('event.participantUnknown');
    if (p.status !== 'registered' && p.status !== 'waitlisted') throw conflict('event.participantNotLive');
    await tx.update(eventParticipants).set({ status: 'cancelled', cancelledAt: now, activityId: null }).where(eq(eventParticipants.id, participantId));
    if (p.activityId) await tx.delete(activities).where(eq(activities.id, p.activityId));
    await queueMail(tx, {
      to: p.email,
      dedupeKey: `event.removed:${participantId}`,
      subject: `Tilmelding annulleret / Registration cancelled: ${oneLine(event.title)}`,
      text:
        `${event.organiser.name} har annulleret din tilmelding til "${oneLine(event.title)}" ${whenText(event.startsAt, 'da')}. Kontakt arrangøren, hvis det er en fejl.\n\n---\n` +
        `${event.organiser.name} has cancelled your registration for "${oneLine(event.title)}" on ${whenText(event.startsAt, 'en')}. Contact the organiser if this is a mistake.\n`,
    });
    await promoteWaiting(tx, now, event.id, links);
    await audit(tx, actor, { action: 'cancel', entity: 'event_participant', entityId: participantId, companyCvr: p.companyCvr, details: { event: event.id }, holders: [event.organiser.id] });
  });
}

// ---------------------------------------------------------------------------------------------
// Public view

type PublicRow = { id: string; kind: EventKind; title: string; description: string | null; themes: string[]; starts_at: Date; ends_at: Date; place: string | null; online: boolean; organiser_name: string; signup_open: boolean; status: EventStatus; capacity: number | null; seated: number };

const publicSelect = sql`
  SELECT e.id, e.kind, e.title, e.description, e.themes, e.starts_at, e.ends_at, e.place, e.online, o.name AS organiser_name, e.signup_open, e.status, e.capacity,
    (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.status IN ${SEATED})::int AS seated
  FROM events e JOIN organisations o ON o.id = e.organiser_organisation_id`;

function publicView(r: PublicRow, now: Date) {
  return {
    id: r.id, kind: r.kind, title: r.title, description: r.description, themes: r.themes, startsAt: isoTime(r.starts_at)!, endsAt: isoTime(r.ends_at)!,
    place: r.place, online: r.online, organiser: { name: r.organiser_name },
    signupOpen: signUpRefusal(r, now) === null,
    full: r.capacity !== null && Number(r.seated) >= Number(r.capacity),
    cancelled: r.status === 'cancelled',
  };
}

/** Public, planned events that have not ended, soonest first. */
export async function listPublicEvents(db: Db, now: Date) {
  const rows = (await db.execute<PublicRow>(sql`${publicSelect} WHERE e.public AND e.status = 'planned' AND e.ends_at >= ${now.toISOString()}::timestamptz ORDER BY e.starts_at, e.id LIMIT 200`)).rows;
  return { items: rows.map((r) => publicView(r, now)) };
}

export async function findPublicEvent(db: Db, now: Date, id: string) {
  const [row] = (await db.execute<PublicRow>(sql`${publicSelect} WHERE e.id = ${id} AND e.public`)).rows;
  if (!row) throw notFound('event.notFound');
  return publicView(row, now);
}

// ---------------------------------------------------------------------------------------------
// Participants, attendance and follow-up (organiser and co-organisers)

type ParticipantRow = {
  id: string; company_cvr: string | null; company_register_name: string | null; prospect_id: string | null; company_name: string | null; person_name: string; email: string;
  phone: string | null; status: ParticipantStatus; registered_at: Date; consent_sharing: boolean; consent_evaluation: boolean; follow_up_task_id: string | null;
  consents_awaiting: boolean;
};

/** The participants with their personal data; the caller has checked `policy.event.readParticipants`. The read is audited. */
export async function listParticipants(db: Db, actor: Actor, event: EventView) {
  const rows = (await db.execute<ParticipantRow>(sql`
    SELECT p.id, p.company_cvr, c.name AS company_register_name, p.prospect_id, p.company_name, p.person_name, p.email, p.phone, p.status, p.registered_at,
      p.consent_sharing, p.consent_evaluation, p.follow_up_task_id,
      EXISTS (SELECT 1 FROM consents sc WHERE sc.id = ANY(p.consent_ids) AND sc.awaiting_confirmation AND sc.withdrawn_at IS NULL) AS consents_awaiting
    FROM event_participants p LEFT JOIN companies c ON c.cvr = p.company_cvr
    WHERE p.event_id = ${event.id}
    ORDER BY array_position(ARRAY['registered', 'attended', 'no_show', 'waitlisted', 'cancelled']::text[], p.status), p.sign_up_order`)).rows;
  await audit(db, actor, { action: 'read', entity: 'event_participant', details: { event: event.id, count: rows.length }, holders: [event.organiser.id] });
  // A follow-up task is its organisation's own note: others see only that the participant has none of theirs.
  const ownTasks = new Set(
    (await db.execute<{ id: string }>(sql`SELECT t.id FROM tasks t WHERE t.organisation_id = ${actor.organisationId}
      AND t.id IN (SELECT follow_up_task_id FROM event_participants WHERE event_id = ${event.id})`)).rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_register_name ?? r.company_name ?? '' } : null,
      prospect: r.prospect_id && policy.prospect.read(actor, { organisationId: event.organiser.id }) ? { id: r.prospect_id } : null,
      companyName: r.company_name,
      personName: r.person_name,
      email: r.email,
      phone: r.phone,
      status: r.status,
      registeredAt: isoTime(r.registered_at)!,
      consents: { sharing: r.consent_sharing, evaluation: r.consent_evaluation, awaitingConfirmation: r.consents_awaiting },
      followUpTask: !!r.follow_up_task_id && ownTasks.has(r.follow_up_task_id),
    })),
  };
}

/**
 * An organiser who has been in touch with the participant confirms the consents ticked on the
 * sign-up form; from then on they count like any other and, as with the guidance form, belong to the
 * organisation that confirmed them (they open that organisation's records only).
 */
export async function confirmParticipantConsents(db: Db, actor: Actor, now: Date, event: EventView, participantId: string) {
  await db.transaction(async (tx) => {
    const [p] = await tx
      .select({ consentIds: eventParticipants.consentIds, companyCvr: eventParticipants.companyCvr, prospectId: eventParticipants.prospectId, status: eventParticipants.status, activityId: eventParticipants.activityId })
      .from(eventParticipants)
      .where(and(eq(eventParticipants.id, participantId), eq(eventParticipants.eventId, event.id)));
    if (!p) throw notFound('event.participantUnknown');
    const updated = p.consentIds.length
      ? await tx
          .update(consents)
          .set({ awaitingConfirmation: false, confirmedBy: actor.userId, confirmedAt: now, recordedBy: actor.userId, recordedByOrganisationId: actor.organisationId })
          .where(and(inArray(consents.id, p.consentIds), eq(consents.awaitingConfirmation, true), sql`${consents.withdrawnAt} IS NULL`))
          .returning({ id: consents.id, purpose: consents.purpose })
      : [];
    if (updated.length === 0) throw conflict('event.noConsentsToConfirm');
    if (!p.activityId && ['registered', 'attended', 'no_show'].includes(p.status)) {
      await addActivity(tx, activityEvent(event), { id: participantId, companyCvr: p.companyCvr, prospectId: p.prospectId }, authorFor(actor, event));
    }
    await audit(tx, actor, {
      action: 'confirm_consent', entity: 'event_participant', entityId: participantId, companyCvr: p.companyCvr, details: { consents: updated }, holders: [event.organiser.id],
    });
  });
}

/**
 * Registers who came (attended) and who did not (no_show), from the event's start. Only those with a
 * seat can be marked; a waiting or cancelled participant is a 409 naming the field.
 */
export async function registerAttendance(db: Db, actor: Actor, now: Date, event: EventView, marks: { id: string; status: 'attended' | 'no_show' }[]) {
  if (event.status === 'cancelled') throw conflict('event.cancelled');
  if (new Date(event.startsAt) > now) throw conflict('event.notStarted');
  await db.transaction(async (tx) => {
    const ids = marks.map((m) => m.id);
    const rows = await tx
      .select({ id: eventParticipants.id, status: eventParticipants.status, activityId: eventParticipants.activityId, companyCvr: eventParticipants.companyCvr, prospectId: eventParticipants.prospectId })
      .from(eventParticipants)
      .where(and(eq(eventParticipants.eventId, event.id), inArray(eventParticipants.id, ids)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, mark] of marks.entries()) {
      const row = byId.get(mark.id);
      if (!row) throw new HttpProblem(422, 'validation.failed', {}, [{ field: `participants.${i}.id`, key: 'event.participantUnknown' }]);
      if (!['registered', 'attended', 'no_show'].includes(row.status)) throw new HttpProblem(409, 'event.participantNotSeated');
      await tx.update(eventParticipants).set({ status: mark.status, attendanceBy: actor.userId, attendanceAt: now }).where(eq(eventParticipants.id, mark.id));
      const subject = `${mark.status === 'attended' ? 'Deltog i arrangement' : 'Udeblev fra arrangement'}: ${oneLine(event.title)}`;
      if (row.activityId) await tx.update(activities).set({ subject }).where(eq(activities.id, row.activityId));
      // Seen at the event: the organiser vouches for the participation. An absentee's claim stays unchecked.
      else if (mark.status === 'attended') await addActivity(tx, activityEvent(event), row, authorFor(actor, event), subject);
    }
    await audit(tx, actor, { action: 'attendance', entity: 'event', entityId: event.id, details: { marks: marks.length }, holders: [event.organiser.id] });
  });
}

/**
 * "Contact within N working days": one task of the caller's organisation per participant who
 * attended for a company, not yet given one. Prospects are left out (a task is on a company or an engagement).
 */
export async function createFollowUpTasks(db: Db, actor: Actor, now: Date, event: EventView, body: z.output<typeof followUpTasksBody>) {
  if (!event.held && event.status !== 'cancelled' && new Date(event.startsAt) > now) throw conflict('event.notStarted');
  const dueOn = deadlineAfter(now, body.workingDays);
  const participants = await db
    .select({ id: eventParticipants.id, companyCvr: eventParticipants.companyCvr, companyName: eventParticipants.companyName })
    .from(eventParticipants)
    .where(and(eq(eventParticipants.eventId, event.id), eq(eventParticipants.status, 'attended'), sql`${eventParticipants.companyCvr} IS NOT NULL`, sql`${eventParticipants.followUpTaskId} IS NULL`));
  if (participants.length === 0) return { created: 0, dueOn };
  const title = body.title ?? `Opfølgning efter ${oneLine(event.title)}`;
  const first = await checkNewTask(db, actor, now, { title, dueOn, assigneeUserId: body.assigneeUserId }, { engagementId: null, companyCvr: participants[0]!.companyCvr, confidential: false });
  let created = 0;
  await db.transaction(async (tx) => {
    for (const p of participants) {
      const taskId = await insertTask(tx, actor, now, { ...first, companyCvr: p.companyCvr });
      // Made once: a second click (or a co-organiser) does not make another for the same participant.
      const marked = await tx
        .update(eventParticipants)
        .set({ followUpTaskId: taskId })
        .where(and(eq(eventParticipants.id, p.id), sql`${eventParticipants.followUpTaskId} IS NULL`))
        .returning({ id: eventParticipants.id });
      if (marked.length === 0) throw conflict('event.followUpRace');
      created++;
    }
  });
  return { created, dueOn };
}

export async function listFollowUps(db: Db, actor: Actor, event: EventView) {
  const rows = (await db.execute<{ id: string; company_cvr: string | null; company_name: string | null; register_name: string | null; met_with: string; next_step: string; due_on: string | null; organisation_id: string; organisation_name: string; created_at: Date }>(sql`
    SELECT f.id, f.company_cvr, f.company_name, c.name AS register_name, f.met_with, f.next_step, to_char(f.due_on, 'YYYY-MM-DD') AS due_on, f.organisation_id, o.name AS organisation_name, f.created_at
    FROM event_follow_ups f JOIN organisations o ON o.id = f.organisation_id LEFT JOIN companies c ON c.cvr = f.company_cvr
    WHERE f.event_id = ${event.id} ORDER BY f.created_at, f.id`)).rows;
  await audit(db, actor, { action: 'read', entity: 'event_follow_up', details: { event: event.id, count: rows.length }, holders: [event.organiser.id] });
  return {
    items: rows.map((r) => ({
      id: r.id, company: { cvr: r.company_cvr, name: r.register_name ?? r.company_name }, metWith: r.met_with, nextStep: r.next_step, dueOn: r.due_on,
      organisation: { id: r.organisation_id, name: r.organisation_name }, createdAt: isoTime(r.created_at)!,
    })),
  };
}

/** A follow-up record: which company met whom and what is next (a delegation visit's outcome). */
export async function addFollowUp(db: Db, actor: Actor, now: Date, event: EventView, body: z.output<typeof followUpBody>) {
  if (!body.companyCvr && !body.companyName) throw fieldProblem('companyCvr', 'event.followUpCompany');
  if (body.companyCvr) {
    const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, body.companyCvr));
    if (!company) throw fieldProblem('companyCvr', 'event.cvrUnknown', { cvr: body.companyCvr });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(eventFollowUps)
      .values({
        eventId: event.id, companyCvr: body.companyCvr ?? null, companyName: body.companyName ?? null, metWith: body.metWith, nextStep: body.nextStep, dueOn: body.dueOn ?? null,
        organisationId: actor.organisationId, createdBy: actor.userId, createdAt: now,
      })
      .returning({ id: eventFollowUps.id });
    await audit(tx, actor, { action: 'create', entity: 'event_follow_up', entityId: row!.id, companyCvr: body.companyCvr ?? null, details: { event: event.id } });
    return row!.id;
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation (through the surveys module's questionnaire engine)

/** The short questionnaire after an event: satisfaction, use, and what could be better. */
const evaluationQuestions = [
  { id: 'satisfaction', type: 'scale' as const, text: 'Hvor tilfreds var du alt i alt med arrangementet? / Overall, how satisfied were you with the event?', min: 1, max: 5, minLabel: 'Meget utilfreds', maxLabel: 'Meget tilfreds', required: true },
  {
    id: 'useful', type: 'single' as const, text: 'Fik du viden eller kontakter, du kan bruge i din virksomhed? / Did you gain knowledge or contacts you can use?',
    options: [{ id: 'yes', label: 'Ja' }, { id: 'partly', label: 'Delvist' }, { id: 'no', label: 'Nej' }], required: false,
  },
  { id: 'improve', type: 'text' as const, text: 'Hvad kan vi gøre bedre næste gang? / What could we do better next time?', maxLength: 2000, required: false },
];

/**
 * Sends the evaluation questionnaire to those who attended, once per event: a survey of the caller's
 * organisation linked to the event, with personal single-use links mailed through the outbox.
 */
export async function sendEvaluation(db: Db, actor: Actor, now: Date, event: EventView, links: { publicUrl: string }) {
  if (event.status === 'cancelled') throw conflict('event.cancelled');
  if (!event.held) throw conflict('event.notHeld');
  if (event.evaluationSent) throw conflict('event.evaluationSent');
  const attendees = await db
    .select({ email: eventParticipants.email, name: eventParticipants.personName, companyCvr: eventParticipants.companyCvr })
    .from(eventParticipants)
    .where(and(eq(eventParticipants.eventId, event.id), eq(eventParticipants.status, 'attended')));
  if (attendees.length === 0) throw conflict('event.noAttendees');
  return db.transaction(async (tx) => {
    const surveyId = await createSurvey(tx, actor, {
      title: `Evaluering: ${oneLine(event.title)}`, purpose: 'analysis', eventId: event.id, questions: evaluationQuestions,
      intro: `Tak, fordi du deltog i "${oneLine(event.title)}". Svar på tre korte spørgsmål, så vi kan gøre det bedre.`,
    });
    // Claimed in the same transaction: a second click (or a co-organiser) sends nothing twice.
    const claimed = await tx
      .update(events)
      .set({ evaluationSurveyId: surveyId })
      .where(and(eq(events.id, event.id), sql`${events.evaluationSurveyId} IS NULL`))
      .returning({ id: events.id });
    if (claimed.length === 0) throw conflict('event.evaluationSent');
    const invited = await inviteRecipients(tx, actor, surveyId, attendees.map((a) => ({ email: a.email, name: a.name, companyCvr: a.companyCvr })), links);
    await audit(tx, actor, { action: 'evaluate', entity: 'event', entityId: event.id, details: { survey: surveyId, invited, at: now.toISOString() } });
    return { invited, surveyId };
  });
}

// ---------------------------------------------------------------------------------------------
// Reminders (background job)

/**
 * Queues the reminder mail for everyone with a seat at a planned event that starts within its
 * reminder days. The outbox key (participant and start time) makes each reminder go once, however
 * often this runs and on however many servers; an event moved to a new time reminds again.
 */
export async function sendEventReminders(db: Db, now: Date): Promise<number> {
  const due = (await db.execute<{ id: string; email: string; title: string; starts_at: Date; place: string | null; online: boolean; organiser_name: string }>(sql`
    SELECT p.id, p.email, e.title, e.starts_at, e.place, e.online, o.name AS organiser_name
    FROM event_participants p JOIN events e ON e.id = p.event_id JOIN organisations o ON o.id = e.organiser_organisation_id
    WHERE p.status = 'registered' AND e.status = 'planned' AND e.reminder_days IS NOT NULL
      AND e.starts_at > ${now.toISOString()}::timestamptz
      AND e.starts_at - make_interval(days => e.reminder_days) <= ${now.toISOString()}::timestamptz
      AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.dedupe_key = 'event.reminder:' || p.id || ':' || floor(extract(epoch FROM e.starts_at))::bigint)
    LIMIT 500`)).rows;
  for (const r of due) {
    const when = isoTime(r.starts_at)!;
    const where = r.place ? `${r.place}` : r.online ? 'online' : '';
    await queueMail(db, {
      to: r.email,
      dedupeKey: `event.reminder:${r.id}:${Math.floor(new Date(r.starts_at).getTime() / 1000)}`,
      subject: `Påmindelse / Reminder: ${oneLine(r.title)}`,
      text:
        `Påmindelse: Du er tilmeldt "${oneLine(r.title)}" ${whenText(when, 'da')}${where ? `, ${where}` : ''} hos ${r.organiser_name}.\n` +
        `Kan du ikke komme, så afmeld dig med linket i din tilmeldingsmail, så pladsen går videre.\n\n---\n` +
        `Reminder: you are registered for "${oneLine(r.title)}" on ${whenText(when, 'en')}${where ? `, ${where}` : ''} with ${r.organiser_name}.\n` +
        `If you cannot come, cancel with the link in your registration mail so the seat goes to someone else.\n`,
    });
  }
  return due.length;
}

// ---------------------------------------------------------------------------------------------
// Networks (event series)

type SeriesRow = { id: string; title: string; description: string | null; themes: string[]; organisation_id: string; organisation_name: string; member_count: number };

const seriesSelect = sql`
  SELECT s.id, s.title, s.description, s.themes, s.organisation_id, o.name AS organisation_name,
    (SELECT count(*) FROM event_series_members m WHERE m.series_id = s.id)::int AS member_count
  FROM event_series s JOIN organisations o ON o.id = s.organisation_id`;

async function seriesView(db: Db, actor: Actor, r: SeriesRow) {
  const organisation = { id: r.organisation_id, name: r.organisation_name };
  const members = policy.eventSeries.readMembers(actor, { organisationId: r.organisation_id })
    ? (await db.execute<{ cvr: string; name: string }>(sql`SELECT c.cvr, c.name FROM event_series_members m JOIN companies c ON c.cvr = m.company_cvr WHERE m.series_id = ${r.id} ORDER BY c.name`)).rows
    : null;
  return { id: r.id, title: r.title, description: r.description, themes: r.themes, organisation, memberCount: Number(r.member_count), members, abilities: abilities.eventSeries(actor, { organisation }) };
}

export async function listSeries(db: Db, actor: Actor) {
  const rows = (await db.execute<SeriesRow>(sql`${seriesSelect} ORDER BY s.title, s.id LIMIT 500`)).rows;
  return { items: await Promise.all(rows.map((r) => seriesView(db, actor, r))) };
}

export async function findSeries(db: Db, actor: Actor, id: string) {
  const [row] = (await db.execute<SeriesRow>(sql`${seriesSelect} WHERE s.id = ${id}`)).rows;
  if (!row) throw notFound('event.seriesNotFound');
  return seriesView(db, actor, row);
}

export async function createSeries(db: Db, actor: Actor, now: Date, body: z.output<typeof seriesBody>) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(eventSeries)
      .values({ organisationId: actor.organisationId, title: body.title, description: body.description || null, themes: body.themes, createdBy: actor.userId, createdAt: now })
      .returning({ id: eventSeries.id });
    await audit(tx, actor, { action: 'create', entity: 'event_series', entityId: row!.id });
    return row!.id;
  });
}

export async function addSeriesMember(db: Db, actor: Actor, now: Date, seriesId: string, cvr: string) {
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, cvr));
  if (!company) throw fieldProblem('cvr', 'event.cvrUnknown', { cvr });
  await db.transaction(async (tx) => {
    await tx.insert(eventSeriesMembers).values({ seriesId, companyCvr: cvr, addedBy: actor.userId, addedAt: now }).onConflictDoNothing();
    await audit(tx, actor, { action: 'add_member', entity: 'event_series', entityId: seriesId, companyCvr: cvr });
  });
}

export async function removeSeriesMember(db: Db, actor: Actor, seriesId: string, cvr: string) {
  await db.transaction(async (tx) => {
    const removed = await tx.delete(eventSeriesMembers).where(and(eq(eventSeriesMembers.seriesId, seriesId), eq(eventSeriesMembers.companyCvr, cvr))).returning({ cvr: eventSeriesMembers.companyCvr });
    if (removed.length === 0) throw notFound('event.memberNotFound');
    await audit(tx, actor, { action: 'remove_member', entity: 'event_series', entityId: seriesId, companyCvr: cvr });
  });
}
