import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

/** A list of companies taken from a search, e.g. for a campaign. Never holds advertising-protected companies. */
export const companyLists = pgTable(
  'company_lists',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    filters: jsonb('filters').notNull(),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('company_lists_org_idx').on(t.organisationId)],
);

export const companyListMembers = pgTable(
  'company_list_members',
  {
    listId: uuid('list_id').notNull().references(() => companyLists.id, { onDelete: 'cascade' }),
    cvr: code('cvr').notNull().references(() => companies.cvr),
  },
  (t) => [primaryKey({ columns: [t.listId, t.cvr] })],
);
