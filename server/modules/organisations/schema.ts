import { sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';

export const organisationTypes = [
  'business_hub', 'local_business_service', 'kkr', 'national_authority', 'operator',
  // Partners outside the business-promotion system (Vækst Via Viden, 001): they take part in shared
  // projects, receive referrals and write case stories under the same consent rules as everyone else.
  'jobcentre', 'unemployment_fund', 'education_institution', 'cluster',
] as const;
/** The types that are partners outside the business-promotion system proper. */
export const partnerOrganisationTypes = ['jobcentre', 'unemployment_fund', 'education_institution', 'cluster'] as const satisfies readonly OrganisationType[];
export type OrganisationType = (typeof organisationTypes)[number];

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Stable key for reference data, e.g. `hub:sydjylland`, `lbs:540`, `kkr:syddanmark`. */
    key: text('key').notNull().unique(),
    type: text('type').$type<OrganisationType>().notNull(),
    name: text('name').notNull(),
    /** A branch (Bornholm) points at its hub. */
    parentId: uuid('parent_id'),
    /** The municipality a local business service (or a jobcentre) serves. */
    municipalityCode: integer('municipality_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisations_type_idx').on(t.type)],
);

export const municipalities = pgTable('municipalities', {
  code: integer('code').primaryKey(),
  name: text('name').notNull(),
  region: text('region').notNull(),
  kkrId: uuid('kkr_id').notNull().references(() => organisations.id),
  hubId: uuid('hub_id').notNull().references(() => organisations.id),
  population2020: integer('population_2020'),
});
