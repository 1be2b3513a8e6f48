import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { danishDate, isOverdue } from '../../lib/working-days.ts';
import { abilities, taskAssignable, taskVisible, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { tasks } from './schema.ts';
import type { TaskData } from './schemas.ts';

/** A task as read, with its organisation (always the reader's own: tasks are never shared) for the policy. */
export type TaskView = TaskData & { organisationId: string };

type Row = {
  id: string; organisation_id: string; title: string; due_on: string; done_at: Date | null; done_by: string | null; done_by_name: string | null;
  assignee_user_id: string; assignee_name: string; created_by: string; created_by_name: string; created_at: Date;
  engagement_id: string | null; company_cvr: string | null; company_name: string | null; prospect_id: string | null; person_name: string | null;
  activity_id: string | null; confidential: boolean; version: number;
};

/** Open tasks first, soonest due first; then done ones, last done first. */
const taskOrder = sql`(t.done_at IS NOT NULL), CASE WHEN t.done_at IS NULL THEN t.due_on END ASC, t.done_at DESC, t.created_at, t.id`;

/** Tasks the actor may see (`taskVisible`) matching `where`. */
export async function findTasks(db: Db, actor: Actor, now: Date, where: SQL, page: { limit: number; offset: number } = { limit: 200, offset: 0 }): Promise<TaskView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT t.id, t.organisation_id, t.title, to_char(t.due_on, 'YYYY-MM-DD') AS due_on, t.done_at, t.done_by, db.name AS done_by_name,
      t.assignee_user_id, a.name AS assignee_name, t.created_by, cb.name AS created_by_name, t.created_at,
      t.engagement_id, t.company_cvr, c.name AS company_name, e.prospect_id, p.person_name, t.activity_id, t.confidential, t.version
    FROM tasks t
      JOIN users a ON a.id = t.assignee_user_id
      JOIN users cb ON cb.id = t.created_by
      LEFT JOIN users db ON db.id = t.done_by
      LEFT JOIN companies c ON c.cvr = t.company_cvr
      LEFT JOIN engagements e ON e.id = t.engagement_id
      LEFT JOIN prospects p ON p.id = e.prospect_id
    WHERE ${taskVisible(actor, 't')} AND ${where}
    ORDER BY ${taskOrder}
    LIMIT ${page.limit} OFFSET ${page.offset}`)).rows;
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    title: r.title,
    dueOn: r.due_on,
    overdue: r.done_at === null && isOverdue(r.due_on, now),
    done: r.done_at !== null,
    doneAt: isoTime(r.done_at),
    doneBy: r.done_by ? { id: r.done_by, name: r.done_by_name ?? '' } : null,
    assignee: { id: r.assignee_user_id, name: r.assignee_name },
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: isoTime(r.created_at)!,
    engagementId: r.engagement_id,
    company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
    prospect: r.prospect_id ? { id: r.prospect_id, personName: r.person_name ?? '' } : null,
    activityId: r.activity_id,
    confidential: r.confidential,
    version: Number(r.version),
  }));
}

export async function findTask(db: Db, actor: Actor, now: Date, id: string): Promise<TaskView | undefined> {
  const [task] = await findTasks(db, actor, now, sql`t.id = ${id}`, { limit: 1, offset: 0 });
  return task;
}

/** A task with what the actor may do with it, as every answer that returns one sends it (its organisation stays inside). */
export function presentTask(actor: Actor, task: TaskView) {
  const { organisationId, ...data } = task;
  return { ...data, abilities: abilities.task(actor, { organisationId, confidential: task.confidential }) };
}

/** What a task is on: an engagement (with its company, if any) or a company; confidential with an Early Warning engagement. */
export interface TaskSubject {
  engagementId: string | null;
  companyCvr: string | null;
  confidential: boolean;
}

const unprocessable = (field: string, key: string) => new HttpProblem(422, 'validation.failed', {}, [{ field, key }]);

/**
 * The assignee is a user the task may be given to (`taskAssignable`): an active user of the actor's own
 * organisation who can act on it, with the EW permission for a confidential task. Anything else is a
 * 422 on `field`, whether the user is unknown, inactive or of another organisation (which it does not tell apart).
 */
export async function assertAssignee(db: Db, actor: Actor, userId: string, confidential: boolean, field: string): Promise<void> {
  const [row] = (await db.execute<{ assignable: boolean; colleague: boolean }>(sql`
    SELECT ${taskAssignable(actor, 'u', confidential)} AS assignable, ${taskAssignable(actor, 'u', false)} AS colleague
    FROM users u WHERE u.id = ${userId}`)).rows;
  if (!row || !row.colleague) throw unprocessable(field, 'task.assigneeUnknown');
  if (!row.assignable) throw unprocessable(field, 'task.assigneeNotEw');
}

/** A due date on or after today in Denmark: a follow-up due before it was made is a typing error. */
export function assertDueOn(dueOn: string, now: Date, field: string): void {
  if (dueOn < danishDate(now)) throw fieldProblem(field, 'task.dueInPast');
}

/** The users a task may be given to, by name (names only: the choice in the task form). */
export async function assignableUsers(db: Db, actor: Actor, confidential: boolean): Promise<{ id: string; name: string }[]> {
  return (await db.execute<{ id: string; name: string }>(sql`
    SELECT u.id, u.name FROM users u WHERE ${taskAssignable(actor, 'u', confidential)} ORDER BY u.name, u.id`)).rows;
}

export interface NewTaskValues {
  title: string;
  dueOn: string;
  assigneeUserId?: string | undefined;
}

/**
 * Checks a new task's due date and assignee (the caller when none is named); the values to insert.
 * `prefix` names the fields as the request has them (`followUp.` when the task comes with an activity).
 */
export async function checkNewTask(db: Db, actor: Actor, now: Date, body: NewTaskValues, subject: TaskSubject, prefix = '') {
  assertDueOn(body.dueOn, now, `${prefix}dueOn`);
  const assigneeUserId = body.assigneeUserId ?? actor.userId;
  await assertAssignee(db, actor, assigneeUserId, subject.confidential, `${prefix}assigneeUserId`);
  return { title: body.title, dueOn: body.dueOn, assigneeUserId, ...subject };
}

/**
 * Inserts a checked task of the actor's organisation and audits it, inside the caller's transaction
 * (an activity and its follow-up are one step); its id.
 */
export async function insertTask(tx: Db, actor: Actor, now: Date, values: Awaited<ReturnType<typeof checkNewTask>> & { activityId?: string | null }): Promise<string> {
  const [row] = await tx
    .insert(tasks)
    .values({ ...values, activityId: values.activityId ?? null, organisationId: actor.organisationId, createdBy: actor.userId, createdAt: now })
    .returning({ id: tasks.id });
  await audit(tx, actor, {
    action: 'create', entity: 'task', entityId: row!.id, companyCvr: values.companyCvr,
    // An Early Warning task's entry is hidden from admins without the EW permission (auditEntryVisible).
    details: { confidential: values.confidential, engagementId: values.engagementId, activityId: values.activityId ?? null },
  });
  return row!.id;
}

export interface TaskChange {
  version: number;
  title?: string | undefined;
  dueOn?: string | undefined;
  assigneeUserId?: string | undefined;
  done?: boolean | undefined;
}

/**
 * Changes a task the actor may change (authorised by the caller) if `version` is still the one read
 * (else 409): title, due date, assignee, done or open again. Done keeps who did it first.
 */
export async function updateTask(db: Db, actor: Actor, now: Date, task: TaskView, change: TaskChange): Promise<void> {
  const { version, done, ...fields } = change;
  if (fields.dueOn !== undefined && fields.dueOn !== task.dueOn) assertDueOn(fields.dueOn, now, 'dueOn');
  if (fields.assigneeUserId !== undefined && fields.assigneeUserId !== task.assignee.id) await assertAssignee(db, actor, fields.assigneeUserId, task.confidential, 'assigneeUserId');
  const doneChange = done === undefined || done === task.done ? {} : done ? { doneAt: now, doneBy: actor.userId } : { doneAt: null, doneBy: null };
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(tasks)
      .set({ ...fields, ...doneChange, version: sql`${tasks.version} + 1` })
      .where(and(eq(tasks.id, task.id), eq(tasks.version, version)))
      .returning({ id: tasks.id });
    if (updated.length === 0) throw conflict('task.stale');
    await audit(tx, actor, {
      action: 'update', entity: 'task', entityId: task.id, companyCvr: task.company?.cvr ?? null,
      details: { fields: Object.keys(change).filter((k) => k !== 'version'), ...(done !== undefined ? { done } : {}), confidential: task.confidential },
    });
  });
}
