import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { offers } from '../offers/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

/**
 * "Få vejledning": a company's request for guidance from the public entry point. It lands as a lead
 * with the local business service of the company's municipality, visible to its hub.
 */
export const leadStatuses = ['new', 'in_progress', 'closed'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

export const guidanceRequests = pgTable(
  'guidance_requests',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** The client's Idempotency-Key: a retried or double-clicked submission finds the first one. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** SHA-256 of the request body: a key reused with another body is refused, not answered with the first receipt. */
    requestHash: text('request_hash'),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    companyName: text('company_name'),
    municipalityCode: integer('municipality_code').notNull(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    hubId: uuid('hub_id').notNull().references(() => organisations.id),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone'),
    need: text('need').notNull(),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    consentSharing: boolean('consent_sharing').notNull(),
    consentEvaluation: boolean('consent_evaluation').notNull(),
    selfAssessment: jsonb('self_assessment'),
    /** The published offer the company asked from, if it came from an offer page. */
    offerId: uuid('offer_id').references(() => offers.id),
    status: text('status').$type<LeadStatus>().notNull().default('new'),
    /** Who last moved the lead on (took it, closed it), and when. */
    handledBy: uuid('handled_by').references(() => users.id),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    /** What the adviser wrote when closing it (or why it was closed without an engagement). */
    outcome: text('outcome'),
    /** The engagement opened from this request ("Opret forløb"), and the prospect made from a request without CVR. */
    engagementId: uuid('engagement_id').references(() => engagements.id),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    version: integer('version').notNull().default(1),
    /** The deadline: the last working day to answer by (end of that day, Europe/Copenhagen); see lib/working-days. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('guidance_requests_org_idx').on(t.organisationId, t.createdAt), index('guidance_requests_hub_idx').on(t.hubId, t.createdAt), check('guidance_requests_status_check', sql`${t.status} IN ('new', 'in_progress', 'closed')`)],
);
