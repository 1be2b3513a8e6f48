import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { danishDate } from '../../lib/working-days.ts';
import { leadVisible, taskVisible, type Actor } from '../../policies/index.ts';
import { findEngagements } from '../engagements/service.ts';
import type { LeadStatus } from '../guidance/schema.ts';
import { isLeadOverdue, leadOverdueSql } from '../guidance/service.ts';
import { findReferrals, overdueSql, presentReferral } from '../referrals/service.ts';
import { findTasks, presentTask } from '../tasks/service.ts';
import type { MyCounts, WorkItem } from './schemas.ts';

/** How much "Mit arbejde" shows of each list; the rest is one link away, and the page says so. */
export const WORK_LIMITS = { engagements: 100, waiting: 100 };

/** One row more than shown is fetched, so the page can say that a list goes on. */
const shown = <T>(rows: T[], limit: number) => ({ items: rows.slice(0, limit), more: rows.length > limit });

/** Requests (leads) waiting for the actor's organisation: new or in progress, among those it handles (`leadVisible`). */
const waitingLeadSql = (actor: Actor) => sql`${leadVisible(actor, 'g')} AND g.status IN ('new', 'in_progress')`;
/** Referrals waiting for the actor's organisation to answer: its inbox, sent or received. */
const waitingReferralSql = (actor: Actor) => sql`r.to_organisation_id = ${actor.organisationId} AND r.status IN ('sent', 'received')`;
/** The actor's own open tasks. */
const myOpenTaskSql = (actor: Actor) => sql`t.assignee_user_id = ${actor.userId} AND t.done_at IS NULL`;

type LeadRow = {
  id: string; company_cvr: string | null; company_name: string | null; need: string; status: LeadStatus; due_on: string;
  contact_name: string; contact_email: string; contact_phone: string | null;
};

/** Overdue first, then the soonest deadline; the same day in a fixed order of kinds. */
const kindOrder: Record<WorkItem['kind'], number> = { task: 0, lead: 1, referral: 2 };
const byDeadline = (a: WorkItem, b: WorkItem) =>
  Number(b.overdue) - Number(a.overdue) || (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0) || kindOrder[a.kind] - kindOrder[b.kind] || (a.id < b.id ? -1 : 1);

/**
 * What waits for the actor, overdue first and then by deadline: their own open tasks, the requests and
 * the referrals waiting for their organisation. Each source is read in that order up to one row past the
 * limit, so the merged start is exact and `more` says whether anything was left out.
 */
async function waitingFor(db: Db, actor: Actor, now: Date, limit: number): Promise<{ items: WorkItem[]; more: boolean }> {
  const tasks = (await findTasks(db, actor, now, myOpenTaskSql(actor), { limit: limit + 1, offset: 0 })).map((task): WorkItem => {
    const { abilities: taskAbilities, ...t } = presentTask(actor, task);
    return {
      kind: 'task', id: t.id, dueOn: t.dueOn, overdue: t.overdue, company: t.company, name: t.prospect?.personName ?? null, what: t.title,
      engagementId: t.engagementId, confidential: t.confidential, version: t.version, abilities: taskAbilities,
    };
  });

  const leadRows = (await db.execute<LeadRow>(sql`
    SELECT g.id, g.company_cvr, coalesce(c.name, g.company_name) AS company_name, g.need, g.status, to_char(g.due_on, 'YYYY-MM-DD') AS due_on,
      g.contact_name, g.contact_email, g.contact_phone
    FROM guidance_requests g LEFT JOIN companies c ON c.cvr = g.company_cvr
    WHERE ${waitingLeadSql(actor)}
    ORDER BY ${leadOverdueSql(now)} DESC, g.due_on, g.created_at, g.id
    LIMIT ${limit + 1}`)).rows;
  const leads = leadRows.map((g): WorkItem => ({
    kind: 'lead', id: g.id, dueOn: g.due_on, overdue: isLeadOverdue(g.status, g.due_on, now),
    company: g.company_cvr ? { cvr: g.company_cvr, name: g.company_name } : null, name: g.company_cvr ? null : g.company_name,
    what: g.need, status: g.status, contact: { name: g.contact_name, email: g.contact_email, phone: g.contact_phone },
  }));

  // The referrals' own reading (withheld content once the consent behind one has gone), for the first ones by deadline.
  const referralRows = await findReferrals(
    db, actor, now,
    sql`r.id IN (SELECT r.id FROM referrals r WHERE ${waitingReferralSql(actor)} ORDER BY r.due_on, r.sent_at, r.id LIMIT ${limit + 1})`,
    { limit: limit + 1 },
  );
  const referrals = referralRows.map((r): WorkItem => ({
    kind: 'referral', id: r.id, dueOn: r.dueOn, overdue: r.overdue, company: r.company, name: null, what: r.needs,
    status: r.status, from: r.from, contact: r.contact ? { name: r.contact.name, email: r.contact.email, phone: r.contact.phone } : null,
    withheld: r.withheld, abilities: presentReferral(actor, r).abilities,
  }));

  const all = [...tasks, ...leads, ...referrals].sort(byDeadline);
  return shown(all, limit);
}

export async function myWork(db: Db, actor: Actor, now: Date, limits = WORK_LIMITS) {
  const waiting = await waitingFor(db, actor, now, limits.waiting);
  const open = shown(
    await findEngagements(db, actor, now, sql`e.responsible_user_id = ${actor.userId} AND e.status = 'open'`, { limit: limits.engagements + 1, offset: 0 }, { ownOrganisation: true }),
    limits.engagements,
  );
  return {
    waiting: waiting.items,
    openEngagements: open.items,
    more: { waiting: waiting.more, openEngagements: open.more },
  };
}

/**
 * The menu's counts: new and overdue requests the actor's organisation handles (the leads list's own
 * predicate, `leadVisible`), new (not yet received) and overdue referrals in its inbox, and the actor's
 * own open and overdue tasks (`taskVisible`). One query of counts, read on every page.
 */
export async function myCounts(db: Db, actor: Actor, now: Date): Promise<MyCounts> {
  const today = danishDate(now);
  const [row] = (await db.execute<{ leads_new: number; leads_overdue: number; referrals_new: number; referrals_overdue: number; tasks_open: number; tasks_overdue: number }>(sql`
    SELECT
      (SELECT count(*) FROM guidance_requests g WHERE ${leadVisible(actor, 'g')} AND g.status = 'new')::int AS leads_new,
      (SELECT count(*) FROM guidance_requests g WHERE ${leadVisible(actor, 'g')} AND ${leadOverdueSql(now)})::int AS leads_overdue,
      (SELECT count(*) FROM referrals r WHERE r.to_organisation_id = ${actor.organisationId} AND r.status = 'sent')::int AS referrals_new,
      (SELECT count(*) FROM referrals r WHERE r.to_organisation_id = ${actor.organisationId} AND ${overdueSql('r', now)})::int AS referrals_overdue,
      (SELECT count(*) FROM tasks t WHERE ${taskVisible(actor, 't')} AND ${myOpenTaskSql(actor)})::int AS tasks_open,
      (SELECT count(*) FROM tasks t WHERE ${taskVisible(actor, 't')} AND ${myOpenTaskSql(actor)} AND t.due_on < ${today}::date)::int AS tasks_overdue`)).rows;
  const n = (v: number | undefined) => Number(v ?? 0);
  return {
    leads: { new: n(row?.leads_new), overdue: n(row?.leads_overdue) },
    referrals: { new: n(row?.referrals_new), overdue: n(row?.referrals_overdue) },
    tasks: { open: n(row?.tasks_open), overdue: n(row?.tasks_overdue) },
  };
}
