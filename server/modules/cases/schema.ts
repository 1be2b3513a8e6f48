import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { users } from '../users/schema.ts';

export const caseStatuses = ['draft', 'published', 'archived'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * En god historie (a case story): written by the organisations behind it, public while it is
 * published *and* the company's publication consent is in force. That second half is never copied
 * here: the public queries read the consent each time, so a withdrawal unpublishes at once.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    story: text('story').notNull(),
    whatWasDone: text('what_was_done').notNull().default(''),
    benefit: text('benefit').notNull().default(''),
    companyCvr: code('company_cvr').notNull().references(() => companies.cvr),
    /** The company's consent to publication (purpose `publication`), recorded by one of the organisations behind the case. */
    consentId: uuid('consent_id').references(() => consents.id),
    /** The organisations behind it (any type); their writers edit and publish it. Never empty. */
    organisationIds: uuid('organisation_ids').array().notNull(),
    industries: text('industries').array().notNull().default(sql`'{}'::text[]`),
    municipalityCodes: integer('municipality_codes').array().notNull().default(sql`'{}'::int[]`),
    jobContents: text('job_contents').array().notNull().default(sql`'{}'::text[]`),
    companySize: text('company_size'),
    benefits: text('benefits').array().notNull().default(sql`'{}'::text[]`),
    /** Themes of guidance (organisations/themes.ts), so that matches and self-assessments find cases too. */
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    /** Offers the case mentions; the offer's public page lists the case. */
    offerIds: uuid('offer_ids').array().notNull().default(sql`'{}'::uuid[]`),
    videoUrl: text('video_url'),
    status: text('status').$type<CaseStatus>().notNull().default('draft'),
    version: integer('version').notNull().default(1),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(story, '') || ' ' || coalesce(what_was_done, '') || ' ' || coalesce(benefit, ''))`,
    ),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('cases_status', sql`${t.status} IN ('draft', 'published', 'archived')`),
    check('cases_organisations', sql`cardinality(${t.organisationIds}) > 0`),
    index('cases_search_idx').using('gin', t.searchVector),
    index('cases_organisations_idx').using('gin', t.organisationIds),
    index('cases_status_idx').on(t.status),
  ],
);

/** A case's images: small uploads, their type told by their first bytes, served with that type only. */
export const caseImages = pgTable(
  'case_images',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    contentType: text('content_type').notNull(),
    alt: text('alt').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_images_case_idx').on(t.caseId)],
);
