import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { organisations } from '../organisations/schema.ts';

/** The answers of the effect question, in the order they are shown. */
export const effectAnswers = ['i høj grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke'] as const;
export type EffectAnswer = (typeof effectAnswers)[number];

/** Per hub: when invitations go out, when to remind, how long a link lives. */
export const evaluationSettings = pgTable('evaluation_settings', {
  organisationId: uuid('organisation_id').primaryKey().references(() => organisations.id),
  /** `close`: when a specialised engagement closes; `first_meeting`: a number of days after its first meeting. */
  trigger: text('trigger').$type<'close' | 'first_meeting'>().notNull().default('close'),
  daysAfterFirstMeeting: integer('days_after_first_meeting').notNull().default(30),
  reminderAfterDays: integer('reminder_after_days').notNull().default(7),
  linkValidDays: integer('link_valid_days').notNull().default(30),
});

/** One invitation per engagement, never two (unique engagement_id). */
export const evaluationInvitations = pgTable(
  'evaluation_invitations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id').notNull().unique().references(() => engagements.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    email: text('email').notNull(),
    /** SHA-256 of the link's token; the token itself exists only in the mail. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  },
  (t) => [index('evaluation_invitations_org_idx').on(t.organisationId, t.createdAt)],
);

/** An answer: from a personal link, or imported from the national evaluation system. */
export const evaluationAnswers = pgTable(
  'evaluation_answers',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    invitationId: uuid('invitation_id').unique().references(() => evaluationInvitations.id),
    engagementId: uuid('engagement_id').references(() => engagements.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    /** The hub the answer counts for: the engagement's, or for unmatched imports the hub of the company's municipality. */
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    answeredOn: date('answered_on', { mode: 'string' }).notNull(),
    nps: integer('nps'),
    effect: text('effect').$type<EffectAnswer>(),
    comment: text('comment'),
    source: text('source').$type<'link' | 'import'>().notNull(),
    /** For imported rows: identifies the row, so importing a file again adds nothing. */
    importKey: text('import_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evaluation_answers_nps', sql`${t.nps} IS NULL OR ${t.nps} BETWEEN 0 AND 10`),
    check('evaluation_answers_effect', sql`${t.effect} IS NULL OR ${t.effect} IN ('i høj grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke')`),
    index('evaluation_answers_org_idx').on(t.organisationId, t.answeredOn),
    index('evaluation_answers_engagement_idx').on(t.engagementId),
  ],
);

/**
 * Fulfilment scales as data: thresholds (value ≥ min → percent), so next year's contract can change
 * them without code. Seeded with the 2020 contract's goals 1 (NPS) and 2 (effect share).
 */
export const fulfilmentScales = pgTable('fulfilment_scales', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  thresholds: jsonb('thresholds').$type<{ min: number; percent: number }[]>().notNull(),
});
