import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { DISCLOSURE_LIMIT, protectTable, TOTAL } from '../../policies/disclosure.ts';
import type { StatisticsGroup, StatisticsGroupBy } from './schemas.ts';

/** Groups of fewer companies than this are suppressed, so no single company can be singled out. */
export const SUPPRESSION_LIMIT = DISCLOSURE_LIMIT;

const groupings = {
  municipality: { key: sql`m.code::text`, label: sql`m.name` },
  hub: { key: sql`h.id::text`, label: sql`h.name` },
  deliveryCategory: { key: sql`coalesce(dc.key, '-')`, label: sql`coalesce(dc.name, '(ingen)')` },
  organisationType: { key: sql`o.type`, label: sql`o.type` },
} as const;

/**
 * Engagements and distinct companies per group in `year`, Early Warning included (counted, never
 * shown); groups under the limit suppressed, and under `controlled` full disclosure control.
 */
export async function engagementStatistics(db: Db, year: number, groupBy: StatisticsGroupBy, controlled: boolean): Promise<StatisticsGroup[]> {
  const active = sql`e.opened_on <= make_date(${year}::int, 12, 31) AND (e.closed_on IS NULL OR e.closed_on >= make_date(${year}::int, 1, 1)) AND e.company_cvr IS NOT NULL`;
  const from = sql`FROM engagements e
      JOIN organisations o ON o.id = e.organisation_id
      LEFT JOIN companies c ON c.cvr = e.company_cvr
      LEFT JOIN municipalities m ON m.code = c.municipality_code
      LEFT JOIN organisations h ON h.id = m.hub_id
      LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id`;
  type Row = { parent: string | null; key: string | null; gp: number; gk: number; label: string | null; companies: number; engagements: number };
  const cells = new Map<string, { label: string; companies: number; engagements: number }>();
  const children = new Map<string, string[]>();
  const put = (k: string, label: string, r: Row) => cells.set(k, { label, companies: Number(r.companies), engagements: Number(r.engagements) });
  if (groupBy === 'municipality' || groupBy === 'hub') {
    // Municipalities lie within hubs, and both groupings are published: one table of both levels.
    const rows = (await db.execute<Row>(sql`
      SELECT parent, key, GROUPING(parent)::int AS gp, GROUPING(key)::int AS gk,
             CASE WHEN GROUPING(key) = 0 THEN min(mlabel) ELSE min(hlabel) END AS label,
             count(DISTINCT cvr)::int AS companies, count(*)::int AS engagements
      FROM (SELECT coalesce(h.id::text, '-') AS parent, h.name AS hlabel, m.code::text AS key, m.name AS mlabel, e.company_cvr AS cvr
            ${from} WHERE ${active} AND m.code IS NOT NULL) s
      GROUP BY GROUPING SETS ((parent, key), (parent), ())`)).rows;
    for (const r of rows) {
      if (Number(r.gp) === 1) put(TOTAL, '', r);
      else if (Number(r.gk) === 1) {
        put(`hub:${r.parent}`, r.label ?? '-', r);
        children.set(TOTAL, [...(children.get(TOTAL) ?? []), `hub:${r.parent}`]);
      } else {
        put(`municipality:${r.key}`, r.label ?? '-', r);
        children.set(`hub:${r.parent}`, [...(children.get(`hub:${r.parent}`) ?? []), `municipality:${r.key}`]);
      }
    }
  } else {
    const g = groupings[groupBy];
    const rows = (await db.execute<Row>(sql`
      SELECT NULL AS parent, key, 0 AS gp, GROUPING(key)::int AS gk, min(label) AS label, count(DISTINCT cvr)::int AS companies, count(*)::int AS engagements
      FROM (SELECT ${g.key} AS key, ${g.label} AS label, e.company_cvr AS cvr ${from} WHERE ${active} AND ${g.key} IS NOT NULL) s
      GROUP BY GROUPING SETS ((key), ())`)).rows;
    for (const r of rows) {
      if (Number(r.gk) === 1) put(TOTAL, '', r);
      else {
        put(`${groupBy}:${r.key}`, r.label ?? '-', r);
        children.set(TOTAL, [...(children.get(TOTAL) ?? []), `${groupBy}:${r.key}`]);
      }
    }
  }
  // Everyone: groups under the limit are suppressed. Aggregate-only readers: full disclosure control,
  // so no suppressed group can be had from the totals (the overall; a hub's municipalities).
  const sizes = new Map([...cells].map(([k, c]) => [k, c.companies]));
  const suppressed = controlled
    ? protectTable(
        { sizes, partitions: [...children].map(([total, cellKeys]) => ({ total, cells: cellKeys })) },
        SUPPRESSION_LIMIT,
        // The overall is the same in every grouping (and their sum): hidden only for its own size, alike everywhere.
        new Map([[TOTAL, (sizes.get(TOTAL) ?? 0) < SUPPRESSION_LIMIT]]),
      )
    : new Set([...sizes].filter(([, n]) => n < SUPPRESSION_LIMIT).map(([k]) => k));
  const prefix = `${groupBy}:`;
  const groups = [...cells]
    .filter(([k]) => k.startsWith(prefix) && k !== 'hub:-')
    .map(([k, c]) => {
      const hidden = suppressed.has(k);
      return { key: k.slice(prefix.length), label: c.label, companies: hidden ? null : c.companies, engagements: hidden ? null : c.engagements, suppressed: hidden };
    })
    .sort((a, b) => a.label.localeCompare(b.label, 'da'));
  return groups;
}
