import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Register data about a company, keyed on its CVR number (public, see PRODUCT.md "Who may see what" 1). */
export const companies = pgTable(
  'companies',
  {
    cvr: text('cvr').primaryKey(),
    name: text('name'),
    secondaryNames: text('secondary_names').array().notNull().default(sql`'{}'::text[]`),
    /** name and secondary names, lower-cased: what fuzzy search matches against. */
    searchName: text('search_name').notNull().default(''),
    companyFormCode: integer('company_form_code'),
    companyFormShort: text('company_form_short'),
    companyFormLong: text('company_form_long'),
    street: text('street'),
    addressText: text('address_text'),
    postalCode: integer('postal_code'),
    city: text('city'),
    municipalityCode: integer('municipality_code'),
    industryCode: text('industry_code'),
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
    index('companies_search_name_trgm_idx').using('gin', sql`${t.searchName} gin_trgm_ops`),
    index('companies_municipality_idx').on(t.municipalityCode),
    index('companies_industry_idx').on(t.industryCode),
    index('companies_cvr_prefix_idx').using('btree', sql`${t.cvr} text_pattern_ops`),
  ],
);

export const productionUnits = pgTable(
  'production_units',
  {
    pNumber: text('p_number').primaryKey(),
    cvr: text('cvr')
      .notNull()
      .references(() => companies.cvr, { onDelete: 'cascade' }),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
  },
  (t) => [index('production_units_cvr_idx').on(t.cvr)],
);
