import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';
import { code, companies } from '../companies/schema.ts';

/** A person planning a company (potentiel iværksætter): personal data owned by the organisation that recorded it. */
export const prospects = pgTable(
  'prospects',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    personName: text('person_name').notNull(),
    plannedName: text('planned_name'),
    municipalityCode: integer('municipality_code'),
    description: text('description'),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    /** Set once when the company is founded; never changed after. */
    companyCvr: code('company_cvr').references(() => companies.cvr),
    linkedAt: timestamp('linked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('prospects_organisation_idx').on(t.organisationId)],
);
