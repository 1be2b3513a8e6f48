import { eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { crmVisible, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { assertContactOf } from '../contacts/service.ts';
import { checkNewTask, findTask, insertTask, presentTask } from '../tasks/service.ts';
import { activities } from './schema.ts';
import type { newActivityBody } from './schemas.ts';

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

/**
 * Records an activity of the actor on an engagement or a company (the caller has authorised it), with
 * its follow-up task when asked, in one transaction: a follow-up that does not pass (a due date in the
 * past, an assignee who may not have it) records neither. The activity as read back, and the task.
 */
export async function insertActivity(
  db: Db,
  actor: Actor,
  now: Date,
  body: z.output<typeof newActivityBody>,
  subject: { engagementId: string | null; companyCvr: string | null; prospectId: string | null; confidential: boolean },
) {
  const { followUp, ...values } = body;
  if (values.contactId) await assertContactOf(db, actor, now, values.contactId, subject, 'contactId');
  const task = followUp
    ? await checkNewTask(db, actor, now, followUp, { engagementId: subject.engagementId, companyCvr: subject.companyCvr, confidential: subject.confidential }, 'followUp.')
    : null;
  const { id, taskId } = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(activities)
      .values({ ...values, ...subject, organisationId: actor.organisationId, userId: actor.userId })
      .returning({ id: activities.id });
    await audit(tx, actor, { action: 'create', entity: 'activity', entityId: row!.id, companyCvr: subject.companyCvr });
    const taskId = task ? await insertTask(tx, actor, now, { ...task, activityId: row!.id }) : null;
    return { id: row!.id, taskId };
  });
  const [created] = await findActivities(db, actor, now, sql`a.id = ${id}`);
  const followUpTask = taskId ? await findTask(db, actor, now, taskId) : undefined;
  return { ...created!, followUp: followUpTask ? presentTask(actor, followUpTask) : null };
}

/** The company's CVR number as registered, if the company is known. */
export async function findCompanyCvr(db: Db, cvr: string): Promise<string | undefined> {
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, cvr));
  return company?.cvr;
}
