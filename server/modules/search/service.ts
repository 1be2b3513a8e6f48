import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { ownCrmVisible, prospectVisible, type Actor } from '../../policies/index.ts';
import { searchCompanies } from '../companies/service.ts';
import { SEARCH_LIMIT, type SearchCompany, type SearchEngagement, type SearchProspect } from './schemas.ts';

export interface Found<T> {
  items: T[];
  more: boolean;
}

/** `q` as a LIKE pattern that matches it anywhere, its wildcards taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;
/** Digits only: a CVR number or the start of one. */
const cvrPrefix = (q: string) => (/^\d{1,8}$/.test(q) ? `${q}%` : null);

/** Companies by CVR (exact or prefix), P-number or name: the company search page's own search, its best few. */
export async function searchCompaniesBriefly(database: Database, q: string): Promise<Found<SearchCompany>> {
  const page = await searchCompanies(database, { q, page: 1, pageSize: SEARCH_LIMIT });
  return {
    items: page.items.map((c) => ({ cvr: c.cvr, name: c.name, municipality: c.municipality, city: c.city, status: c.status, statusSince: c.statusSince, ceased: c.ceased })),
    more: page.hasMore,
  };
}

/**
 * The caller's organisation's engagements (`ownCrmVisible`: Early Warning ones only for the EW team;
 * nothing for aggregate-only readers) whose company (name or CVR) or prospect (name or planned
 * company name) matches: the caller's own first, open before closed, newest first.
 */
export async function searchOwnEngagements(db: Db, actor: Actor, q: string): Promise<Found<SearchEngagement>> {
  const pattern = containing(q);
  const cvr = cvrPrefix(q);
  const matches: SQL[] = [sql`c.name ILIKE ${pattern}`, sql`p.person_name ILIKE ${pattern}`, sql`p.planned_name ILIKE ${pattern}`];
  if (cvr) matches.push(sql`e.company_cvr LIKE ${cvr}`);
  const rows = (await db.execute<{
    id: string; company_cvr: string | null; company_name: string | null; prospect_id: string | null; person_name: string | null;
    status: 'open' | 'closed'; opened_on: string; responsible_user_id: string; responsible_name: string;
  }>(sql`
    SELECT e.id, e.company_cvr, c.name AS company_name, e.prospect_id, p.person_name, e.status,
      to_char(e.opened_on, 'YYYY-MM-DD') AS opened_on, e.responsible_user_id, u.name AS responsible_name
    FROM engagements e
      JOIN users u ON u.id = e.responsible_user_id
      LEFT JOIN companies c ON c.cvr = e.company_cvr
      LEFT JOIN prospects p ON p.id = e.prospect_id
    WHERE ${ownCrmVisible(actor, 'e')} AND (${sql.join(matches, sql` OR `)})
    ORDER BY (e.responsible_user_id = ${actor.userId}) DESC, (e.status = 'open') DESC, e.opened_on DESC, e.created_at DESC, e.id
    LIMIT ${SEARCH_LIMIT + 1}`)).rows;
  return {
    items: rows.slice(0, SEARCH_LIMIT).map((r) => ({
      id: r.id,
      company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
      prospect: r.prospect_id ? { id: r.prospect_id, personName: r.person_name ?? '' } : null,
      status: r.status,
      openedOn: r.opened_on,
      responsible: { id: r.responsible_user_id, name: r.responsible_name },
      mine: r.responsible_user_id === actor.userId,
    })),
    more: rows.length > SEARCH_LIMIT,
  };
}

/**
 * Prospects the caller's organisation recorded (`prospectVisible`: a prospect is its recorder's
 * personal data, no one else's), by the person's name, the planned company name, or the CVR number it founded; newest first.
 */
export async function searchOwnProspects(db: Db, actor: Actor, q: string): Promise<Found<SearchProspect>> {
  const pattern = containing(q);
  const cvr = cvrPrefix(q);
  const matches: SQL[] = [sql`p.person_name ILIKE ${pattern}`, sql`p.planned_name ILIKE ${pattern}`];
  if (cvr) matches.push(sql`p.company_cvr LIKE ${cvr}`);
  const rows = (await db.execute<{
    id: string; person_name: string; planned_name: string | null; municipality_code: number | null; municipality_name: string | null; company_cvr: string | null;
  }>(sql`
    SELECT p.id, p.person_name, p.planned_name, p.municipality_code, m.name AS municipality_name, p.company_cvr
    FROM prospects p LEFT JOIN municipalities m ON m.code = p.municipality_code
    WHERE ${prospectVisible(actor, 'p')} AND (${sql.join(matches, sql` OR `)})
    ORDER BY p.created_at DESC, p.id
    LIMIT ${SEARCH_LIMIT + 1}`)).rows;
  return {
    items: rows.slice(0, SEARCH_LIMIT).map((r) => ({
      id: r.id,
      personName: r.person_name,
      plannedName: r.planned_name,
      municipality: r.municipality_code != null && r.municipality_name ? { code: Number(r.municipality_code), name: r.municipality_name } : null,
      companyCvr: r.company_cvr,
    })),
    more: rows.length > SEARCH_LIMIT,
  };
}
