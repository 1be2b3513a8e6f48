import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Register codes (CVR, P-number, industry code) compare byte-wise: with the C collation one btree
 * serves equality, ordering and prefix search (`LIKE '3568%'`), so no extra pattern index is kept.
 */
export const code = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/** Register data about a company, keyed on its CVR number (public, see PRODUCT.md "Who may see what" 1). */
export const companies = pgTable(
  'companies',
  {
    cvr: code('cvr').primaryKey(),
    name: text('name'),
    secondaryNames: text('secondary_names').array().notNull().default(sql`'{}'::text[]`),
    /** Name and secondary names, lower-cased: what name search ranks against. */
    searchName: text('search_name').notNull().default(''),
    /** The words of searchName; search narrows by these through a GIN index before ranking. */
    nameWords: text('name_words')
      .array()
      .generatedAlwaysAs(sql`tsvector_to_array(to_tsvector('simple'::regconfig, search_name))`),
    companyFormCode: integer('company_form_code'),
    companyFormShort: text('company_form_short'),
    companyFormLong: text('company_form_long'),
    street: text('street'),
    addressText: text('address_text'),
    postalCode: integer('postal_code'),
    city: text('city'),
    municipalityCode: integer('municipality_code'),
    industryCode: code('industry_code'),
    industryText: text('industry_text'),
    /** The register's status code, upper case: NORMAL, OPHØRT, UNDER KONKURS, OPLØST EFTER FUSION, … (cvr-document.ts `statusOf`). */
    status: text('status'),
    /** When the company ceased, or since when it has been in the process its status names (bankruptcy, liquidation). */
    statusSince: date('status_since', { mode: 'string' }),
    foundedOn: date('founded_on', { mode: 'string' }),
    employees: integer('employees'),
    employeesInterval: text('employees_interval'),
    employeesPeriod: text('employees_period'),
    advertisingProtected: boolean('advertising_protected').notNull().default(false),
    source: text('source').$type<'cvr' | 'manual'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('companies_name_words_idx').using('gin', t.nameWords),
    // Browsing lists by name, overall or within a municipality.
    index('companies_name_idx').on(t.name, t.cvr),
    index('companies_municipality_name_idx').on(t.municipalityCode, t.name, t.cvr),
    index('companies_industry_idx').on(t.industryCode),
  ],
);

export const productionUnits = pgTable(
  'production_units',
  {
    pNumber: code('p_number').primaryKey(),
    cvr: code('cvr')
      .notNull()
      .references(() => companies.cvr, { onDelete: 'cascade' }),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
  },
  (t) => [index('production_units_cvr_idx').on(t.cvr)],
);

/**
 * Every distinct word of every company name (kept by a trigger on companies). Small enough that
 * trigram matching on it is fast: it turns a misspelt query word into the real words it may mean.
 */
export const searchWords = pgTable(
  'search_words',
  // The C-collated primary key also serves prefix matching (LIKE 'jens%').
  { word: code('word').primaryKey() },
  (t) => [index('search_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

/**
 * One row per `sync cvr` run. `highWater` is the newest `sidstOpdateret` of the pages the run has
 * committed, written in the same transaction as each page: the next run asks the register for
 * everything from the highest one of any run, so a run cut short resumes from its last complete page.
 */
export const cvrSyncRuns = pgTable(
  'cvr_sync_runs',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    status: text('status').$type<'running' | 'completed' | 'stopped'>().notNull(),
    /** What the run asked for: documents updated at or after this (null: the whole register). */
    since: timestamp('since', { withTimezone: true, mode: 'string' }),
    highWater: timestamp('high_water', { withTimezone: true, mode: 'string' }),
    /**
     * The CVRs whose document at exactly `highWater` is in. The next run asks from `highWater` on (a
     * page may end between documents of the same second) and skips these, so it re-imports nothing.
     */
    atHighWater: text('at_high_water').array().notNull().default(sql`'{}'::text[]`),
    pages: integer('pages').notNull().default(0),
    documents: integer('documents').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    error: text('error'),
    /** Touched with every page: a run that is "running" but untouched for long has died, and another may start. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cvr_sync_runs_high_water_idx').on(t.highWater)],
);
