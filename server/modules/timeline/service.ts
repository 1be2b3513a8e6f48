import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { consentVisible, crmVisible, leadVisible, referralVisible, surveyAnswerVisible, type Actor } from '../../policies/index.ts';
import type { TimelineItem } from './schemas.ts';

const LIMIT = 300;

type Row = {
  kind: TimelineItem['kind'];
  id: string;
  date: string;
  organisation_id: string | null;
  organisation_name: string | null;
  engagement_id: string | null;
  data: Record<string, unknown> | string;
};

/** The day of a timestamp in Denmark. */
const danishDay = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD')`);

/**
 * One timeline of a company: what every organisation did, as far as the actor may see it, newest
 * first. Engagements and activities follow `crmVisible`, referrals `referralVisible`, the company's
 * requests and their self-assessments `leadVisible` (the receiving business service and its hub),
 * consents `consentVisible`, and survey answers attached to the company `surveyAnswerVisible`. Items carry data (kind, level, status codes, names), not wording: the web
 * words them in the reader's language. On the same moment a request comes before its self-assessment
 * and the consents given with it.
 */
export async function companyTimeline(db: Db, actor: Actor, now: Date, cvr: string): Promise<TimelineItem[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT kind, id, date, organisation_id, organisation_name, engagement_id, data FROM (
      (SELECT 'engagement' AS kind, e.id, to_char(e.opened_on, 'YYYY-MM-DD') AS date, e.organisation_id, o.name AS organisation_name,
         e.id AS engagement_id, e.opened_on::timestamptz AS sort_at, 3 AS rank,
         jsonb_build_object('level', e.level, 'closed', e.status = 'closed', 'deliveryCategory', dc.name, 'description', nullif(e.description, '')) AS data
       FROM engagements e JOIN organisations o ON o.id = e.organisation_id LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
       WHERE e.company_cvr = ${cvr} AND ${crmVisible(actor, 'e', now)}
       ORDER BY e.opened_on DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'activity', a.id, to_char(a.occurred_on, 'YYYY-MM-DD'), a.organisation_id, o.name, a.engagement_id, a.occurred_on::timestamptz, 3,
         jsonb_build_object('activityType', a.type, 'subject', a.subject, 'notes', nullif(a.notes, ''))
       FROM activities a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.company_cvr = ${cvr} AND ${crmVisible(actor, 'a', now)}
       ORDER BY a.occurred_on DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'referral', r.id, ${danishDay('r.sent_at')}, r.from_organisation_id, fo.name, r.engagement_id, r.sent_at, 3,
         jsonb_build_object('to', jsonb_build_object('id', tor.id, 'name', tor.name), 'status', r.status)
       FROM referrals r JOIN organisations fo ON fo.id = r.from_organisation_id JOIN organisations tor ON tor.id = r.to_organisation_id
       WHERE r.company_cvr = ${cvr} AND ${referralVisible(actor, 'r')}
       ORDER BY r.sent_at DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'request', g.id, ${danishDay('g.created_at')}, g.organisation_id, o.name,
         -- The engagement opened from the request, only if the actor may open it.
         CASE WHEN ${crmVisible(actor, 'le', now)} THEN le.id END, g.created_at, 0,
         jsonb_build_object('status', g.status, 'need', g.need)
       FROM guidance_requests g JOIN organisations o ON o.id = g.organisation_id LEFT JOIN engagements le ON le.id = g.engagement_id
       WHERE g.company_cvr = ${cvr} AND ${leadVisible(actor, 'g')}
       ORDER BY g.created_at DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'selfAssessment', g.id, ${danishDay('g.created_at')}, g.organisation_id, o.name, NULL, g.created_at, 1,
         jsonb_build_object('requestId', g.id, 'questionnaire', g.self_assessment->>'key', 'level', g.self_assessment->>'level',
           'score', (g.self_assessment->>'score')::int, 'maxScore', (g.self_assessment->>'maxScore')::int)
       FROM guidance_requests g JOIN organisations o ON o.id = g.organisation_id
       WHERE g.company_cvr = ${cvr} AND g.self_assessment IS NOT NULL AND ${leadVisible(actor, 'g')}
       ORDER BY g.created_at DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'consent', sc.id, ${danishDay('sc.given_at')}, sc.recorded_by_organisation_id, ro.name, NULL, sc.given_at, 2,
         jsonb_build_object('event', 'given', 'purpose', sc.purpose, 'channel', sc.channel, 'awaitingConfirmation', sc.awaiting_confirmation)
       FROM consents sc LEFT JOIN organisations ro ON ro.id = sc.recorded_by_organisation_id
       WHERE sc.company_cvr = ${cvr} AND ${consentVisible(actor, 'sc')}
       ORDER BY sc.given_at DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'consent', sc.id, ${danishDay('sc.withdrawn_at')}, sc.withdrawn_by_organisation_id, wo.name, NULL, sc.withdrawn_at, 2,
         jsonb_build_object('event', 'withdrawn', 'purpose', sc.purpose, 'channel', sc.channel, 'awaitingConfirmation', sc.awaiting_confirmation)
       FROM consents sc LEFT JOIN organisations wo ON wo.id = sc.withdrawn_by_organisation_id
       WHERE sc.company_cvr = ${cvr} AND sc.withdrawn_at IS NOT NULL AND ${consentVisible(actor, 'sc')}
       ORDER BY sc.withdrawn_at DESC LIMIT ${LIMIT})
      UNION ALL
      (SELECT 'surveyAnswer', sr.id, ${danishDay('sr.created_at')}, s.organisation_id, so.name, NULL, sr.created_at, 3,
         jsonb_build_object('surveyId', s.id, 'title', s.title)
       FROM survey_responses sr JOIN surveys s ON s.id = sr.survey_id JOIN organisations so ON so.id = s.organisation_id
       WHERE sr.company_cvr = ${cvr} AND sr.attached AND ${surveyAnswerVisible(actor, 's')}
       ORDER BY sr.created_at DESC LIMIT ${LIMIT})
    ) AS timeline
    ORDER BY sort_at DESC, rank, kind, data->>'event' DESC, id LIMIT ${LIMIT}`)).rows;
  return rows.map((r) => {
    const data = typeof r.data === 'string' ? (JSON.parse(r.data) as Record<string, unknown>) : r.data;
    return {
      kind: r.kind,
      id: r.id,
      date: r.date,
      organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name ?? '' } : null,
      engagementId: r.engagement_id,
      ...data,
    } as TimelineItem;
  });
}
