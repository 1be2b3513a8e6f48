import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crmVisible, type Actor } from '../../policies/index.ts';

export interface ActivityView {
  id: string;
  engagementId: string | null;
  companyCvr: string | null;
  organisation: { id: string; name: string };
  user: { id: string; name: string };
  type: 'meeting' | 'call' | 'mail' | 'event' | 'note';
  occurredOn: string;
  durationMinutes: number | null;
  subject: string;
  notes: string | null;
  contact: { id: string; name: string } | null;
  confidential: boolean;
}

type Row = {
  id: string; engagement_id: string | null; company_cvr: string | null; organisation_id: string; organisation_name: string; user_id: string;
  user_name: string; type: ActivityView['type']; occurred_on: string; duration_minutes: number | null; subject: string; notes: string | null;
  contact_id: string | null; contact_name: string | null; confidential: boolean;
};

export async function findActivities(db: Db, actor: Actor, now: Date, where: SQL, limit = 500): Promise<ActivityView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT a.id, a.engagement_id, a.company_cvr, a.organisation_id, o.name AS organisation_name, a.user_id, u.name AS user_name, a.type,
      to_char(a.occurred_on, 'YYYY-MM-DD') AS occurred_on, a.duration_minutes, a.subject, a.notes, a.contact_id, ct.name AS contact_name, a.confidential
    FROM activities a
      JOIN organisations o ON o.id = a.organisation_id
      JOIN users u ON u.id = a.user_id
      -- The contact's name only where the reader may see the contact itself: an activity naming another
      -- organisation's contact never carries that person past the consent that shared them.
      LEFT JOIN contacts ct ON ct.id = a.contact_id AND ${crmVisible(actor, 'ct', now, { confidential: false })}
    WHERE ${crmVisible(actor, 'a', now)} AND ${where}
    ORDER BY a.occurred_on DESC, a.created_at DESC
    LIMIT ${limit}`)).rows;
  return rows.map((r) => ({
    id: r.id,
    engagementId: r.engagement_id,
    companyCvr: r.company_cvr,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    user: { id: r.user_id, name: r.user_name },
    type: r.type,
    occurredOn: r.occurred_on,
    durationMinutes: r.duration_minutes,
    subject: r.subject,
    notes: r.notes,
    contact: r.contact_id && r.contact_name !== null ? { id: r.contact_id, name: r.contact_name } : null,
    confidential: r.confidential,
  }));
}
