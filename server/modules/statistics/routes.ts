import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';

/** Groups of fewer companies than this are suppressed, so no single company can be singled out. */
export const SUPPRESSION_LIMIT = 5;

const groupings = {
  municipality: { key: sql`m.code::text`, label: sql`m.name` },
  hub: { key: sql`h.id::text`, label: sql`h.name` },
  deliveryCategory: { key: sql`coalesce(dc.key, '-')`, label: sql`coalesce(dc.name, '(ingen)')` },
  organisationType: { key: sql`o.type`, label: sql`o.type` },
} as const;

/**
 * Aggregates of the CRM for everyone, KKR and national readers included: counts of companies and
 * engagements per group, Early Warning included (it is counted, never shown), small groups suppressed.
 */
export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/statistics/engagements',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Engagements and distinct companies per group in a year; groups under 5 companies are suppressed',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100), groupBy: z.enum(['municipality', 'hub', 'deliveryCategory', 'organisationType']).default('municipality') }),
        response: {
          200: z.object({
            year: z.number(),
            groupBy: z.string(),
            suppressionLimit: z.number(),
            groups: z.array(z.object({ key: z.string(), label: z.string(), companies: z.number().nullable(), engagements: z.number().nullable(), suppressed: z.boolean() })),
          }),
        },
      },
    },
    async (request) => {
      authorize(policy.statistics.read(actorOf(request)));
      const { year, groupBy } = request.query;
      const g = groupings[groupBy];
      const rows = (await db.execute<{ key: string; label: string; companies: number; engagements: number }>(sql`
        SELECT ${g.key} AS key, ${g.label} AS label, count(DISTINCT e.company_cvr)::int AS companies, count(*)::int AS engagements
        FROM engagements e
          JOIN organisations o ON o.id = e.organisation_id
          LEFT JOIN companies c ON c.cvr = e.company_cvr
          LEFT JOIN municipalities m ON m.code = c.municipality_code
          LEFT JOIN organisations h ON h.id = m.hub_id
          LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
        WHERE e.opened_on <= make_date(${year}::int, 12, 31) AND (e.closed_on IS NULL OR e.closed_on >= make_date(${year}::int, 1, 1))
          AND e.company_cvr IS NOT NULL AND ${g.key} IS NOT NULL
        GROUP BY 1, 2 ORDER BY 2`)).rows;
      return {
        year,
        groupBy,
        suppressionLimit: SUPPRESSION_LIMIT,
        groups: rows.map((r) => {
          const suppressed = Number(r.companies) < SUPPRESSION_LIMIT;
          return { key: r.key, label: r.label, companies: suppressed ? null : Number(r.companies), engagements: suppressed ? null : Number(r.engagements), suppressed };
        }),
      };
    },
  );
};
