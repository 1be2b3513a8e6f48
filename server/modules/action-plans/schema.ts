import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

export const initiativeStatuses = ['planned', 'running', 'done', 'dropped'] as const;
export type InitiativeStatus = (typeof initiativeStatuses)[number];
/** The owner's or a partner's own judgement of an initiative, beside the figures derived from its links. */
export const initiativeAssessments = ['on_track', 'at_risk', 'off_track'] as const;
export type InitiativeAssessment = (typeof initiativeAssessments)[number];
/** What an initiative can be carried by; each kind is checked against its own module's visibility rule. */
export const linkKinds = ['engagement', 'event', 'offer', 'referral'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** Handleplan: an organisation's public plan (e.g. Sønderborg's for internationalisation) with focus areas and initiatives. */
export const actionPlans = pgTable(
  'action_plans',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    ownerOrganisationId: uuid('owner_organisation_id').notNull().references(() => organisations.id),
    title: text('title').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    focusAreas: text('focus_areas').array().notNull().default(sql`'{}'::text[]`),
    /** The plan's purpose (formål), as prose. */
    description: text('description'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [check('action_plans_period', sql`${t.periodEnd} >= ${t.periodStart}`), index('action_plans_owner_idx').on(t.ownerOrganisationId)],
);

/**
 * Indsats: one line of the plan's table. Responsible is an organisation in Knudepunkt or a named outside
 * actor (one of them); partners likewise, organisations by id and outside actors by name. Responsible and
 * partner organisations edit the plan with its owner.
 */
export const actionPlanInitiatives = pgTable(
  'action_plan_initiatives',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    planId: uuid('plan_id').notNull().references(() => actionPlans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** One of the plan's focus areas (the seed's tables are one per area: Tyskland, Kina); null: the plan as a whole. */
    focusArea: text('focus_area'),
    description: text('description').notNull().default(''),
    objectives: text('objectives').array().notNull(),
    responsibleOrganisationId: uuid('responsible_organisation_id').references(() => organisations.id),
    responsibleName: text('responsible_name'),
    partnerOrganisationIds: uuid('partner_organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
    partnerNames: text('partner_names').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<InitiativeStatus>().notNull().default('planned'),
    assessment: text('assessment').$type<InitiativeAssessment>(),
    assessmentComment: text('assessment_comment'),
    assessedBy: uuid('assessed_by').references(() => users.id),
    assessedAt: timestamp('assessed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('action_plan_initiatives_status', sql`${t.status} IN ('planned', 'running', 'done', 'dropped')`),
    check('action_plan_initiatives_assessment', sql`${t.assessment} IS NULL OR ${t.assessment} IN ('on_track', 'at_risk', 'off_track')`),
    check('action_plan_initiatives_responsible', sql`(${t.responsibleOrganisationId} IS NULL) <> (${t.responsibleName} IS NULL)`),
    check('action_plan_initiatives_objectives', sql`cardinality(${t.objectives}) >= 1`),
    index('action_plan_initiatives_plan_idx').on(t.planId, t.position),
    index('action_plan_initiatives_partners_idx').using('gin', t.partnerOrganisationIds),
  ],
);

/** Milepæl: a dated step of an initiative; done when `done_on` is set. */
export const actionPlanMilestones = pgTable(
  'action_plan_milestones',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    initiativeId: uuid('initiative_id').notNull().references(() => actionPlanInitiatives.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    doneOn: date('done_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('action_plan_milestones_initiative_idx').on(t.initiativeId, t.dueOn)],
);

/**
 * What carries an initiative: an engagement, event, offer or referral (kind + id; no foreign key, since
 * the four live in four tables). Progress is derived from these at reading time, never stored.
 */
export const actionPlanLinks = pgTable(
  'action_plan_links',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    initiativeId: uuid('initiative_id').notNull().references(() => actionPlanInitiatives.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<LinkKind>().notNull(),
    targetId: uuid('target_id').notNull(),
    linkedBy: uuid('linked_by').references(() => users.id),
    linkedByOrganisationId: uuid('linked_by_organisation_id').notNull().references(() => organisations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('action_plan_links_kind', sql`${t.kind} IN ('engagement', 'event', 'offer', 'referral')`),
    uniqueIndex('action_plan_links_unique').on(t.initiativeId, t.kind, t.targetId),
    index('action_plan_links_target_idx').on(t.kind, t.targetId),
  ],
);
