import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crmVisible, ownCrmVisible, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';

export interface EngagementView {
  id: string;
  company: { cvr: string; name: string | null } | null;
  prospect: { id: string; personName: string } | null;
  organisation: { id: string; name: string };
  responsible: { id: string; name: string };
  level: 'basic' | 'specialised';
  deliveryCategory: { id: string; key: string; name: string; confidential: boolean } | null;
  themes: string[];
  status: 'open' | 'closed';
  outcome: string | null;
  openedOn: string;
  closedOn: string | null;
  description: string;
  confidential: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Row = {
  id: string; company_cvr: string | null; company_name: string | null; prospect_id: string | null; person_name: string | null;
  organisation_id: string; organisation_name: string; responsible_user_id: string; responsible_name: string; level: 'basic' | 'specialised';
  delivery_category_id: string | null; dc_key: string | null; dc_name: string | null; dc_confidential: boolean | null; themes: string[];
  status: 'open' | 'closed'; outcome: string | null; opened_on: string; closed_on: string | null; description: string; confidential: boolean;
  version: number; created_at: Date; updated_at: Date;
};

const toView = (r: Row): EngagementView => ({
  id: r.id,
  company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
  prospect: r.prospect_id ? { id: r.prospect_id, personName: r.person_name ?? '' } : null,
  organisation: { id: r.organisation_id, name: r.organisation_name },
  responsible: { id: r.responsible_user_id, name: r.responsible_name },
  level: r.level,
  deliveryCategory: r.delivery_category_id ? { id: r.delivery_category_id, key: r.dc_key!, name: r.dc_name!, confidential: !!r.dc_confidential } : null,
  themes: r.themes,
  status: r.status,
  outcome: r.outcome,
  openedOn: r.opened_on,
  closedOn: r.closed_on,
  description: r.description,
  confidential: r.confidential,
  version: Number(r.version),
  createdAt: isoTime(r.created_at)!,
  updatedAt: isoTime(r.updated_at)!,
});

/**
 * Engagements the actor may see, matching `where`, newest first. `ownOrganisation` restricts to the
 * actor's own organisation's engagements (its list), with the visibility rule that applies there.
 */
export async function findEngagements(db: Db, actor: Actor, now: Date, where: SQL, page?: { limit: number; offset: number }, options: { ownOrganisation?: boolean } = {}): Promise<EngagementView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT e.id, e.company_cvr, c.name AS company_name, e.prospect_id, p.person_name, e.organisation_id, o.name AS organisation_name,
      e.responsible_user_id, u.name AS responsible_name, e.level, e.delivery_category_id, dc.key AS dc_key, dc.name AS dc_name,
      dc.confidential AS dc_confidential, e.themes, e.status, e.outcome, to_char(e.opened_on, 'YYYY-MM-DD') AS opened_on,
      to_char(e.closed_on, 'YYYY-MM-DD') AS closed_on, e.description, e.confidential, e.version, e.created_at, e.updated_at
    FROM engagements e
      JOIN organisations o ON o.id = e.organisation_id
      JOIN users u ON u.id = e.responsible_user_id
      LEFT JOIN companies c ON c.cvr = e.company_cvr
      LEFT JOIN prospects p ON p.id = e.prospect_id
      LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
    WHERE ${options.ownOrganisation ? ownCrmVisible(actor, 'e') : crmVisible(actor, 'e', now)} AND ${where}
    -- NULLS LAST as in the index (the columns are NOT NULL, but the planner matches the spelling).
    ORDER BY e.opened_on DESC NULLS LAST, e.created_at DESC NULLS LAST, e.id
    ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`)).rows;
  return rows.map(toView);
}

export async function findEngagement(db: Db, actor: Actor, now: Date, id: string): Promise<EngagementView | undefined> {
  const [engagement] = await findEngagements(db, actor, now, sql`e.id = ${id}`);
  return engagement;
}
