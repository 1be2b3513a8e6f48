import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';

/**
 * How a match that several partners helped make is credited: `split` gives each of them an equal
 * fraction, `first` gives it all to the partner that registered it. Either way it counts once in totals.
 */
export const creditRules = ['split', 'first'] as const;
export type CreditRule = (typeof creditRules)[number];

/** The candidate's level of education (no person data beyond it: no CPR number, no name). */
export const educationLevels = ['academy', 'professional_bachelor', 'bachelor', 'master', 'phd', 'other'] as const;
export type EducationLevel = (typeof educationLevels)[number];

/**
 * A project with a shared match target (Vækst Via Viden 2.0, 001 5.1.4): a total, the part of it split
 * between the municipalities by their share of workplaces, and the rest split by hand between the
 * other partners. The owner (the coordinating organisation) manages targets and partners.
 */
export const matchProjects = pgTable(
  'match_projects',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    ownerOrganisationId: uuid('owner_organisation_id').notNull().references(() => organisations.id),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    creditRule: text('credit_rule').$type<CreditRule>().notNull().default('split'),
    targetTotal: integer('target_total').notNull(),
    /** The municipalities' part of the total; the rest is the other partners'. */
    municipalTarget: integer('municipal_target').notNull(),
    /** Municipalities left out of the split by a decision of the project (001: Læsø, until decided). */
    excludedMunicipalityCodes: integer('excluded_municipality_codes').array().notNull().default(sql`'{}'::int[]`),
    /** Where the workplace figures came from, e.g. "ERHV2 2019" (the imported file's title). */
    workplacesSource: text('workplaces_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('match_projects_period', sql`${t.periodEnd} >= ${t.periodStart}`),
    check('match_projects_targets', sql`${t.municipalTarget} >= 0 AND ${t.municipalTarget} <= ${t.targetTotal}`),
    check('match_projects_credit_rule', sql`${t.creditRule} IN ('split', 'first')`),
  ],
);

/** The kinds of match a project counts (studiejob, løntilskud, …), in the project's order. */
export const matchProjectTypes = pgTable(
  'match_project_types',
  {
    projectId: uuid('project_id').notNull().references(() => matchProjects.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.key] })],
);

/**
 * A partner organisation of a project. A partner with a municipality (its jobcentre, its business
 * service) counts towards that municipality's joint target (001: "et fælles måltal for hele
 * kommunen"); the others get a target set by hand from the non-municipal part.
 */
export const matchProjectPartners = pgTable(
  'match_project_partners',
  {
    projectId: uuid('project_id').notNull().references(() => matchProjects.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    municipalityCode: integer('municipality_code'),
    /** A non-municipal partner's target, set by hand. */
    target: integer('target'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.organisationId] }), check('match_project_partners_target', sql`${t.target} IS NULL OR ${t.target} >= 0`)],
);

/** A municipality in a project's split: its workplaces (imported) and, if set by hand, its target. */
export const matchProjectMunicipalities = pgTable(
  'match_project_municipalities',
  {
    projectId: uuid('project_id').notNull().references(() => matchProjects.id, { onDelete: 'cascade' }),
    municipalityCode: integer('municipality_code').notNull(),
    workplaces: integer('workplaces').notNull().default(0),
    targetOverride: integer('target_override'),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.municipalityCode] }),
    check('match_project_municipalities_values', sql`${t.workplaces} >= 0 AND (${t.targetOverride} IS NULL OR ${t.targetOverride} >= 0)`),
  ],
);

/**
 * One match between a company and a candidate. Nothing identifies the person: the type, the date, the
 * level and institution of the education. Counted once whoever helped; `registered_match_partners` says who.
 */
export const registeredMatches = pgTable(
  'registered_matches',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid('project_id').notNull().references(() => matchProjects.id, { onDelete: 'cascade' }),
    companyCvr: code('company_cvr').notNull().references(() => companies.cvr),
    typeKey: text('type_key').notNull(),
    matchedOn: date('matched_on', { mode: 'string' }).notNull(),
    educationLevel: text('education_level').$type<EducationLevel>().notNull(),
    institution: text('institution').notNull(),
    registeredByOrganisationId: uuid('registered_by_organisation_id').notNull().references(() => organisations.id),
    registeredBy: uuid('registered_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('registered_matches_project_idx').on(t.projectId, t.matchedOn), index('registered_matches_company_idx').on(t.projectId, t.companyCvr)],
);

/** The partners that helped make a match: the registering one at position 0, then those it named. */
export const registeredMatchPartners = pgTable(
  'registered_match_partners',
  {
    matchId: uuid('match_id').notNull().references(() => registeredMatches.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.organisationId] }), index('registered_match_partners_org_idx').on(t.organisationId)],
);
