import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { activities } from '../activities/schema.ts';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { users } from '../users/schema.ts';

/** Arrangementer: what an organisation holds for companies. `academy` is an ErhvervsfremmeAkademi (goal 6 of the 2020 contract template). */
export const eventKinds = ['workshop', 'network_meeting', 'course', 'fair', 'delegation_visit', 'academy', 'webinar', 'other'] as const;
export type EventKind = (typeof eventKinds)[number];
export const eventStatuses = ['planned', 'cancelled'] as const;
export type EventStatus = (typeof eventStatuses)[number];
export const participantStatuses = ['registered', 'waitlisted', 'cancelled', 'attended', 'no_show'] as const;
export type ParticipantStatus = (typeof participantStatuses)[number];

/** Netværk: a recurring series of events (e.g. the China network, twice a year) with member companies. */
export const eventSeries = pgTable('event_series', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  title: text('title').notNull(),
  description: text('description'),
  themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const eventSeriesMembers = pgTable(
  'event_series_members',
  {
    seriesId: uuid('series_id').notNull().references(() => eventSeries.id, { onDelete: 'cascade' }),
    companyCvr: code('company_cvr').notNull().references(() => companies.cvr),
    addedBy: uuid('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.companyCvr] })],
);

/**
 * An event. "Held" (the contract's goal 6) is `status <> 'cancelled' AND ends_at < now`: other
 * modules count from these columns, so their names are an agreed interface.
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organiserOrganisationId: uuid('organiser_organisation_id').notNull().references(() => organisations.id),
    seriesId: uuid('series_id').references(() => eventSeries.id),
    kind: text('kind').$type<EventKind>().notNull(),
    title: text('title').notNull(),
    description: text('description'),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** An address; null for an online event. */
    place: text('place'),
    online: boolean('online').notNull().default(false),
    /** Seats; null means no limit (and so no waiting list). */
    capacity: integer('capacity'),
    signupOpen: boolean('signup_open').notNull().default(true),
    /** Shown and open to sign-up on the public entry point. */
    public: boolean('public').notNull().default(false),
    status: text('status').$type<EventStatus>().notNull().default('planned'),
    /** Days before the start the reminder mail goes out; null: none. */
    reminderDays: integer('reminder_days').default(2),
    /** The evaluation questionnaire sent to participants after the event (a survey of the surveys module; no foreign key across modules). */
    evaluationSurveyId: uuid('evaluation_survey_id'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('events_kind_check', sql`${t.kind} IN ('workshop', 'network_meeting', 'course', 'fair', 'delegation_visit', 'academy', 'webinar', 'other')`),
    check('events_status_check', sql`${t.status} IN ('planned', 'cancelled')`),
    check('events_period_check', sql`${t.endsAt} >= ${t.startsAt}`),
    check('events_capacity_check', sql`${t.capacity} IS NULL OR ${t.capacity} > 0`),
    index('events_organiser_idx').on(t.organiserOrganisationId, t.startsAt),
    index('events_starts_idx').on(t.startsAt),
    index('events_series_idx').on(t.seriesId),
  ],
);

/** Medarrangører: they see participants and register attendance as the organiser does. */
export const eventCoOrganisers = pgTable(
  'event_co_organisers',
  {
    eventId: uuid('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.organisationId] })],
);

/** A person signed up for an event, for a company (CVR) or as a prospect (no CVR). Personal data of the organisers. */
export const eventParticipants = pgTable(
  'event_participants',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    eventId: uuid('event_id').notNull().references(() => events.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    /** The company's name as registered, or the planned business a prospect named. */
    companyName: text('company_name'),
    personName: text('person_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    status: text('status').$type<ParticipantStatus>().notNull(),
    /** The public form's Idempotency-Key and a hash of its body: a retry finds the first sign-up. */
    idempotencyKey: text('idempotency_key').unique(),
    requestHash: text('request_hash'),
    /** SHA-256 of the personal cancellation link's token; the token itself is only in the mail. */
    cancelTokenHash: text('cancel_token_hash').unique(),
    /** What the person ticked, and the consent rows made from it (awaiting confirmation until an organiser confirms them). */
    consentSharing: boolean('consent_sharing').notNull().default(false),
    consentEvaluation: boolean('consent_evaluation').notNull().default(false),
    consentIds: uuid('consent_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** The participation as an activity of the organiser on the company's (or prospect's) timeline. */
    activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    /** The order of sign-up, which decides who moves up the waiting list first (timestamps can tie). */
    signUpOrder: bigint('sign_up_order', { mode: 'number' }).generatedAlwaysAsIdentity(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    attendanceBy: uuid('attendance_by').references(() => users.id),
    attendanceAt: timestamp('attendance_at', { withTimezone: true }),
    /** The follow-up task made for this participant after the event ("contact within N working days"), so it is made once. */
    followUpTaskId: uuid('follow_up_task_id'),
  },
  (t) => [
    check('event_participants_status_check', sql`${t.status} IN ('registered', 'waitlisted', 'cancelled', 'attended', 'no_show')`),
    check('event_participants_subject', sql`NOT (${t.companyCvr} IS NOT NULL AND ${t.prospectId} IS NOT NULL)`),
    index('event_participants_event_idx').on(t.eventId, t.status, t.registeredAt),
    index('event_participants_company_idx').on(t.companyCvr),
    // One live sign-up per person and event: a second one is a conflict, not a second seat.
    uniqueIndex('event_participants_email_idx').on(t.eventId, sql`lower(${t.email})`).where(sql`${t.status} <> 'cancelled'`),
  ],
);

/** After a delegation visit (or any event): which company met whom, what is next, and by when. */
export const eventFollowUps = pgTable(
  'event_follow_ups',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    eventId: uuid('event_id').notNull().references(() => events.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    /** The company as typed when it is not in the register (a foreign delegate's company). */
    companyName: text('company_name'),
    metWith: text('met_with').notNull(),
    nextStep: text('next_step').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('event_follow_ups_event_idx').on(t.eventId)],
);
