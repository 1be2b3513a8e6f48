import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { users } from '../users/schema.ts';

export const activityTypes = ['meeting', 'call', 'mail', 'event', 'note'] as const;
export type ActivityType = (typeof activityTypes)[number];

/** A meeting, call, mail, event participation or note, on an engagement or directly on a company. */
export const activities = pgTable(
  'activities',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id').references(() => engagements.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    type: text('type').$type<ActivityType>().notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    durationMinutes: integer('duration_minutes'),
    subject: text('subject').notNull(),
    notes: text('notes'),
    contactId: uuid('contact_id').references(() => contacts.id),
    /** Copied from the engagement at creation: an Early Warning activity stays hidden with it. */
    confidential: boolean('confidential').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('activities_subject', sql`(${t.companyCvr} IS NOT NULL) <> (${t.prospectId} IS NOT NULL)`),
    index('activities_company_idx').on(t.companyCvr, t.occurredOn),
    index('activities_engagement_idx').on(t.engagementId),
    index('activities_contact_idx').on(t.contactId),
  ],
);
