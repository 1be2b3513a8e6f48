import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid, unique } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { users } from '../users/schema.ts';

export const engagementLevels = ['basic', 'specialised'] as const;
export type EngagementLevel = (typeof engagementLevels)[number];
export const engagementStatuses = ['open', 'closed'] as const;

/** Delivery categories (leverancekategorier) are each hub's own; Early Warning is a confidential one. */
export const deliveryCategories = pgTable(
  'delivery_categories',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** Engagements in a confidential category (Early Warning) are visible only to the EW team. */
    confidential: boolean('confidential').notNull().default(false),
    active: boolean('active').notNull().default(true),
  },
  (t) => [unique('delivery_categories_org_key').on(t.organisationId, t.key)],
);

/** Vejledningsforløb: one organisation's guidance of one company (or prospect). */
export const engagements = pgTable(
  'engagements',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    responsibleUserId: uuid('responsible_user_id').notNull().references(() => users.id),
    level: text('level').$type<EngagementLevel>().notNull(),
    deliveryCategoryId: uuid('delivery_category_id').references(() => deliveryCategories.id),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    outcome: text('outcome'),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    description: text('description').notNull().default(''),
    confidential: boolean('confidential').notNull().default(false),
    /** Optimistic locking: every update must name the version it read. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('engagements_subject', sql`(${t.companyCvr} IS NOT NULL) <> (${t.prospectId} IS NOT NULL)`),
    check('engagements_closed', sql`(${t.status} = 'closed') = (${t.closedOn} IS NOT NULL)`),
    // An organisation's list, newest first, with and without a status filter, straight from the index.
    index('engagements_org_recent_idx').on(t.organisationId, t.openedOn.desc(), t.createdAt.desc(), t.id),
    index('engagements_org_status_recent_idx').on(t.organisationId, t.status, t.openedOn.desc(), t.createdAt.desc(), t.id),
    index('engagements_company_idx').on(t.companyCvr),
    index('engagements_responsible_idx').on(t.responsibleUserId, t.status),
  ],
);
