import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { users } from '../users/schema.ts';

/** Kontaktperson: personal data, owned by the organisation that recorded it. */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    title: text('title'),
    email: text('email'),
    phone: text('phone'),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the contact is erased: personal fields are blanked, statistics keep their rows. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
  },
  (t) => [
    check('contacts_subject', sql`(${t.companyCvr} IS NOT NULL) <> (${t.prospectId} IS NOT NULL)`),
    index('contacts_company_idx').on(t.companyCvr),
    index('contacts_prospect_idx').on(t.prospectId),
  ],
);
