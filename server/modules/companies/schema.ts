import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
    status: text('status'),
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
