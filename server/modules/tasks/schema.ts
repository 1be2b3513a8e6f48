import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { activities } from '../activities/schema.ts';
import { code, companies } from '../companies/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

/**
 * Opgave: a follow-up task within one organisation, on an engagement or directly on a company.
 * Tasks are the organisation's own working notes: never shared with other organisations.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    engagementId: uuid('engagement_id').references(() => engagements.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    /** The activity whose follow-up this is, when made in the same step. */
    activityId: uuid('activity_id').references(() => activities.id),
    title: text('title').notNull(),
    /** Due by the end of this day (Europe/Copenhagen). */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    assigneeUserId: uuid('assignee_user_id').notNull().references(() => users.id),
    /** Copied from the engagement: a task on an Early Warning case is hidden with it. */
    confidential: boolean('confidential').notNull().default(false),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: uuid('done_by').references(() => users.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('tasks_subject', sql`${t.engagementId} IS NOT NULL OR ${t.companyCvr} IS NOT NULL`),
    check('tasks_done', sql`(${t.doneAt} IS NULL) = (${t.doneBy} IS NULL)`),
    index('tasks_assignee_open_idx').on(t.assigneeUserId, t.dueOn).where(sql`${t.doneAt} IS NULL`),
    index('tasks_engagement_idx').on(t.engagementId),
    index('tasks_company_idx').on(t.organisationId, t.companyCvr),
  ],
);
