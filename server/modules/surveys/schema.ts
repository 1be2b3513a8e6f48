import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';
import type { AnswerSet, Question } from './questionnaire.ts';

/**
 * Why a survey is sent. Advertising-protected companies (reklamebeskyttede) may be asked for an
 * analysis (not marketing), never for business development, which offers them something.
 */
export const surveyPurposes = ['business_development', 'analysis'] as const;
export type SurveyPurpose = (typeof surveyPurposes)[number];
export const surveyStatuses = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];

/** Spørgeskemaundersøgelse: an organisation's questionnaire to companies. */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    title: text('title').notNull(),
    purpose: text('purpose').$type<SurveyPurpose>().notNull(),
    intro: text('intro').notNull().default(''),
    questions: jsonb('questions').$type<Question[]>().notNull(),
    status: text('status').$type<SurveyStatus>().notNull().default('draft'),
    /** Answers go on the company's record when this is set and the respondent agreed. */
    attachToCompany: boolean('attach_to_company').notNull().default(false),
    /** Other signed-in organisations may read the results, under disclosure control. */
    shared: boolean('shared').notNull().default(false),
    /** The public link's token (anyone with it answers once per browser); null when there is none. */
    publicToken: text('public_token').unique(),
    /** An event the survey evaluates (the events module's id; no foreign key across modules). */
    eventId: text('event_id'),
    /** The latest reminder round sent (0: none). */
    reminderRound: integer('reminder_round').notNull().default(0),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('surveys_org_idx').on(t.organisationId, t.createdAt), index('surveys_event_idx').on(t.eventId)],
);

/** A personal single-use link sent to one recipient; the token is stored hashed. */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    surveyId: uuid('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name'),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The reminder round this invitation was last reminded in (0: never), so a round mails it once. */
    remindedRound: integer('reminded_round').notNull().default(0),
  },
  (t) => [uniqueIndex('survey_invitations_email_idx').on(t.surveyId, t.email), index('survey_invitations_cvr_idx').on(t.companyCvr)],
);

/** One respondent's answers, with the company's industry group and size band as they were when it answered. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    surveyId: uuid('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    invitationId: uuid('invitation_id').unique().references(() => surveyInvitations.id),
    /** The public link's Idempotency-Key: a browser's retry finds its first answer. */
    idempotencyKey: text('idempotency_key'),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    industryGroup: text('industry_group'),
    sizeBand: text('size_band'),
    answers: jsonb('answers').$type<AnswerSet>().notNull(),
    /** The survey attaches answers and the respondent agreed: the answer is on the company's record. */
    attached: boolean('attached').notNull().default(false),
    source: text('source').$type<'link' | 'public' | 'import'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('survey_responses_key_idx').on(t.surveyId, t.idempotencyKey), index('survey_responses_survey_idx').on(t.surveyId), index('survey_responses_cvr_idx').on(t.companyCvr)],
);

/** A company that said no to surveys from an organisation (the mail's "afmeld" link): never invited by it again. */
export const surveyObjections = pgTable(
  'survey_objections',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    email: text('email').notNull(),
    companyCvr: code('company_cvr'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.email] }), index('survey_objections_cvr_idx').on(t.organisationId, t.companyCvr)],
);
