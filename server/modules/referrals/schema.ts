import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';
import { offers } from '../offers/schema.ts';

export const referralStatuses = ['sent', 'received', 'accepted', 'declined', 'completed'] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

/** Henvisning: from one organisation's engagement to another organisation, closed by feedback to the sender. */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id').notNull().references(() => engagements.id),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    fromOrganisationId: uuid('from_organisation_id').notNull().references(() => organisations.id),
    toOrganisationId: uuid('to_organisation_id').notNull().references(() => organisations.id),
    /** Set when the referral is to an offer: it then goes to the offer's operator. */
    offerId: uuid('offer_id').references(() => offers.id),
    reason: text('reason').notNull(),
    needs: text('needs').notNull(),
    /** The consent under which the receiver may see what the referral carries. */
    consentId: uuid('consent_id').notNull().references(() => consents.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    status: text('status').$type<ReferralStatus>().notNull().default('sent'),
    declineReason: text('decline_reason'),
    feedback: text('feedback'),
    /** The last working day to answer by (end of that day, Europe/Copenhagen), fixed when sent; see lib/working-days. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** The receiver's own engagement, opened when accepting. */
    receiverEngagementId: uuid('receiver_engagement_id').references(() => engagements.id),
    sentBy: uuid('sent_by').notNull().references(() => users.id),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: uuid('answered_by').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('referrals_to_idx').on(t.toOrganisationId, t.sentAt.desc()),
    index('referrals_from_idx').on(t.fromOrganisationId, t.sentAt.desc()),
    index('referrals_engagement_idx').on(t.engagementId),
    index('referrals_company_idx').on(t.companyCvr),
  ],
);
