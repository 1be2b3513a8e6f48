import { sql } from 'drizzle-orm';
import { customType, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/schema.ts';

export const targetGroups = ['pre_starter', 'entrepreneur', 'sme', 'large'] as const;
export const offerPhases = ['idea', 'start', 'growth', 'established', 'transition'] as const;
export const offerFormats = ['guidance', 'course', 'network', 'programme', 'online', 'funding'] as const;
export const offerStatuses = ['draft', 'published', 'archived'] as const;

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Tilbud: an offer in the catalogue, managed by its operator; only published offers are public. */
export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    operatorId: uuid('operator_id').notNull().references(() => organisations.id),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull().default(''),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    targetGroups: text('target_groups').array().notNull().default(sql`'{}'::text[]`),
    phases: text('phases').array().notNull().default(sql`'{}'::text[]`),
    format: text('format').$type<(typeof offerFormats)[number]>().notNull(),
    price: text('price').$type<'free' | 'paid'>().notNull().default('free'),
    funding: text('funding'),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    /** Municipalities served; empty means the whole country. */
    municipalityCodes: integer('municipality_codes').array().notNull().default(sql`'{}'::int[]`),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    link: text('link'),
    status: text('status').$type<(typeof offerStatuses)[number]>().notNull().default('draft'),
    version: integer('version').notNull().default(1),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(description, ''))`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('offers_search_idx').using('gin', t.searchVector), index('offers_operator_idx').on(t.operatorId, t.status)],
);
