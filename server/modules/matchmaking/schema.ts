import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { offers } from '../offers/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

export const cooperationKinds = ['need', 'offer'] as const;
export type CooperationKind = (typeof cooperationKinds)[number];
export const cooperationStatuses = ['open', 'closed'] as const;

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A company's need or offer of cooperation ("wants a German distributor", "hosts visiting SMEs in
 * China"), recorded by an adviser. A CRM record of the recording organisation: who else reads it is
 * `cooperationVisible` (policies), the same rule as for engagements and contacts.
 */
export const cooperationItems = pgTable(
  'cooperation_items',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    companyCvr: code('company_cvr').notNull().references(() => companies.cvr),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    kind: text('kind').$type<CooperationKind>().notNull(),
    title: text('title').notNull(),
    /** Theme keys of the offer catalogue (organisations/themes.ts). */
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    /** DB07 industry codes (or prefixes) the need or offer is about; empty means the company's own. */
    industryCodes: text('industry_codes').array().notNull().default(sql`'{}'::text[]`),
    municipalityCodes: integer('municipality_codes').array().notNull().default(sql`'{}'::int[]`),
    regions: text('regions').array().notNull().default(sql`'{}'::text[]`),
    /** ISO 3166-1 alpha-2 codes, upper case (DE, CN). */
    countries: text('countries').array().notNull().default(sql`'{}'::text[]`),
    description: text('description').notNull().default(''),
    status: text('status').$type<(typeof cooperationStatuses)[number]>().notNull().default('open'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))`,
    ),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('cooperation_items_kind', sql`${t.kind} IN ('need', 'offer')`),
    check('cooperation_items_status', sql`${t.status} IN ('open', 'closed')`),
    index('cooperation_items_company_idx').on(t.companyCvr),
    index('cooperation_items_organisation_idx').on(t.organisationId, t.status),
    // The candidate pool of a suggestion is found through these, never by a scan.
    index('cooperation_items_themes_idx').using('gin', t.themes),
    index('cooperation_items_search_idx').using('gin', t.searchVector),
    index('cooperation_items_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
  ],
);

export const matchCounterpartKinds = ['company', 'offer', 'institution'] as const;
export type MatchCounterpartKind = (typeof matchCounterpartKinds)[number];
export const matchStatuses = ['proposed', 'accepted', 'introduced', 'declined'] as const;
export type MatchStatus = (typeof matchStatuses)[number];

/**
 * A proposed match between a company's need or offer (side A) and a counterpart (side B): another
 * company's need or offer, an offer in the catalogue, or a knowledge institution. Each side's holder
 * (the organisation that holds its record: the item's organisation, the offer's operator, the
 * institution itself) accepts for its side. A company side's agreement to be introduced is a consent
 * with purpose `introduction` (consents table), linked here; contact details pass only while both
 * company sides' consents are in force.
 */
export const matches = pgTable(
  'matches',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    aItemId: uuid('a_item_id').notNull().references(() => cooperationItems.id),
    aHolderId: uuid('a_holder_id').notNull().references(() => organisations.id),
    bKind: text('b_kind').$type<MatchCounterpartKind>().notNull(),
    bItemId: uuid('b_item_id').references(() => cooperationItems.id),
    bOfferId: uuid('b_offer_id').references(() => offers.id),
    bInstitutionId: uuid('b_institution_id').references(() => organisations.id),
    bHolderId: uuid('b_holder_id').notNull().references(() => organisations.id),
    /** The score and its parts when proposed, kept as the reason the match was made. */
    score: integer('score').notNull(),
    reasons: jsonb('reasons').notNull(),
    status: text('status').$type<MatchStatus>().notNull().default('proposed'),
    note: text('note').notNull().default(''),
    proposedBy: uuid('proposed_by').notNull().references(() => users.id),
    proposedByOrganisationId: uuid('proposed_by_organisation_id').notNull().references(() => organisations.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    aAcceptedBy: uuid('a_accepted_by').references(() => users.id),
    aAcceptedAt: timestamp('a_accepted_at', { withTimezone: true }),
    bAcceptedBy: uuid('b_accepted_by').references(() => users.id),
    bAcceptedAt: timestamp('b_accepted_at', { withTimezone: true }),
    declinedBy: uuid('declined_by').references(() => users.id),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    aConsentId: uuid('a_consent_id').references(() => consents.id),
    bConsentId: uuid('b_consent_id').references(() => consents.id),
    /** The contact persons (of the side's holder) the company agreed to have introduced. */
    aContactIds: uuid('a_contact_ids').array().notNull().default(sql`'{}'::uuid[]`),
    bContactIds: uuid('b_contact_ids').array().notNull().default(sql`'{}'::uuid[]`),
    introducedBy: uuid('introduced_by').references(() => users.id),
    introducedAt: timestamp('introduced_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('matches_b_kind', sql`${t.bKind} IN ('company', 'offer', 'institution')`),
    check('matches_status', sql`${t.status} IN ('proposed', 'accepted', 'introduced', 'declined')`),
    check(
      'matches_counterpart',
      sql`(${t.bKind} = 'company') = (${t.bItemId} IS NOT NULL) AND (${t.bKind} = 'offer') = (${t.bOfferId} IS NOT NULL) AND (${t.bKind} = 'institution') = (${t.bInstitutionId} IS NOT NULL)`,
    ),
    index('matches_a_holder_idx').on(t.aHolderId, t.status),
    index('matches_b_holder_idx').on(t.bHolderId, t.status),
    index('matches_a_item_idx').on(t.aItemId),
    index('matches_b_item_idx').on(t.bItemId),
    // One live match per pair: proposing it again is a conflict, not a duplicate.
    uniqueIndex('matches_pair_idx')
      .on(t.aItemId, sql`coalesce(${t.bItemId}, ${t.bOfferId}, ${t.bInstitutionId})`)
      .where(sql`${t.status} <> 'declined'`),
    // The same two companies' items proposed the other way round are the same pair: the database, not
    // only the service, keeps one live match per unordered pair (two holders proposing at once).
    uniqueIndex('matches_company_pair_idx')
      .on(sql`least(${t.aItemId}, ${t.bItemId})`, sql`greatest(${t.aItemId}, ${t.bItemId})`)
      .where(sql`${t.bKind} = 'company' AND ${t.status} <> 'declined'`),
  ],
);
