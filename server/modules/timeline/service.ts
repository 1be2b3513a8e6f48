import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crmVisible, referralVisible, type Actor } from '../../policies/index.ts';
import type { TimelineItem } from './schemas.ts';

const LIMIT = 300;

/** One timeline of a company: what every organisation did, as far as the actor may see it, newest first. */
export async function companyTimeline(db: Db, actor: Actor, now: Date, cvr: string): Promise<TimelineItem[]> {
  const rows = (await db.execute<{ kind: TimelineItem['kind']; id: string; date: string; organisation_id: string; organisation_name: string; title: string; detail: string | null; engagement_id: string | null; sort_at: Date }>(sql`
    SELECT * FROM (
      (SELECT 'engagement' AS kind, e.id, to_char(e.opened_on, 'YYYY-MM-DD') AS date, e.organisation_id, o.name AS organisation_name,
         coalesce(dc.name || ' · ', '') || CASE e.level WHEN 'specialised' THEN 'Specialiseret vejledning' ELSE 'Basal vejledning' END
           || CASE WHEN e.status = 'closed' THEN ' (lukket)' ELSE '' END AS title,
         nullif(e.description, '') AS detail, e.id AS engagement_id, e.opened_on::timestamptz AS sort_at
       FROM engagements e JOIN organisations o ON o.id = e.organisation_id LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
       WHERE e.company_cvr = ${cvr} AND ${crmVisible(actor, 'e', now)}
       ORDER BY e.opened_on DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'activity', a.id, to_char(a.occurred_on, 'YYYY-MM-DD'), a.organisation_id, o.name, a.subject, a.notes, a.engagement_id, a.occurred_on::timestamptz
       FROM activities a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.company_cvr = ${cvr} AND ${crmVisible(actor, 'a', now)}
       ORDER BY a.occurred_on DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'referral', r.id, to_char(r.sent_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD'), r.from_organisation_id, fo.name,
         'Henvisning til ' || tor.name, r.status, r.engagement_id, r.sent_at
       FROM referrals r JOIN organisations fo ON fo.id = r.from_organisation_id JOIN organisations tor ON tor.id = r.to_organisation_id
       WHERE r.company_cvr = ${cvr} AND ${referralVisible(actor, 'r')}
       ORDER BY r.sent_at DESC LIMIT ${LIMIT})
    ) AS timeline
    ORDER BY sort_at DESC, kind LIMIT ${LIMIT}`)).rows;
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    date: r.date,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    title: r.title,
    detail: r.detail,
    engagementId: r.engagement_id,
  }));
}
