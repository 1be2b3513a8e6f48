import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';
import type { IndicatorDefinition } from './indicator-types.ts';

export const goalGroups = ['national', 'joint', 'regional'] as const;
export const contractStatuses = ['draft', 'active', 'closed'] as const;
export const reportingPeriods = ['quarterly', 'annual'] as const;
export const statusReportStatuses = ['draft', 'published'] as const;

/** Resultatkontrakt between a KKR and its business hub for a period (normally one year). */
export const contracts = pgTable(
  'contracts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    kkrId: uuid('kkr_id').notNull().references(() => organisations.id),
    hubId: uuid('hub_id').notNull().references(() => organisations.id),
    title: text('title').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    status: text('status').$type<(typeof contractStatuses)[number]>().notNull().default('draft'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contracts_hub_idx').on(t.hubId)],
);

/** Mål: what the hub commits to, how it is measured and how fulfilment is scored. */
export const goals = pgTable(
  'contract_goals',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    contractId: uuid('contract_id').notNull().references(() => contracts.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    group: text('group').$type<(typeof goalGroups)[number]>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    method: text('method').notNull().default(''),
    reporting: text('reporting').$type<(typeof reportingPeriods)[number]>().notNull().default('annual'),
    indicator: jsonb('indicator').$type<IndicatorDefinition>().notNull(),
  },
  (t) => [unique('contract_goals_number').on(t.contractId, t.number)],
);

/** Evidence for a manual goal's deliverable: a link or an uploaded file. */
export const goalEvidence = pgTable('contract_goal_evidence', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  goalId: uuid('goal_id').notNull().references(() => goals.id, { onDelete: 'cascade' }),
  deliverable: text('deliverable').notNull(),
  url: text('url'),
  fileName: text('file_name'),
  contentType: text('content_type'),
  content: text('content_base64'),
  sizeBytes: integer('size_bytes'),
  addedBy: uuid('added_by').references(() => users.id),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Hensigtserklæring per municipality and year, with the evaluation meeting at year end. */
export const intentDeclarations = pgTable(
  'intent_declarations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    hubId: uuid('hub_id').notNull().references(() => organisations.id),
    municipalityCode: integer('municipality_code').notNull(),
    year: integer('year').notNull(),
    signedOn: date('signed_on', { mode: 'string' }),
    evaluationMeetingOn: date('evaluation_meeting_on', { mode: 'string' }),
    keyAccountManager: text('key_account_manager'),
    notes: text('notes'),
  },
  (t) => [unique('intent_declarations_unique').on(t.hubId, t.municipalityCode, t.year)],
);

/** A dated snapshot of every goal. Once published it is frozen: later data never changes it. */
export const statusReports = pgTable(
  'status_reports',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    contractId: uuid('contract_id').notNull().references(() => contracts.id),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    version: integer('version').notNull().default(1),
    status: text('status').$type<(typeof statusReportStatuses)[number]>().notNull().default('draft'),
    snapshot: jsonb('snapshot').notNull(),
    directorComment: text('director_comment'),
    goalComments: jsonb('goal_comments').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id),
  },
  (t) => [index('status_reports_contract_idx').on(t.contractId, t.asOf)],
);
