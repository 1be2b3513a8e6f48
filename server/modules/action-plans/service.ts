import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { endsBeforeStart } from '../../lib/dates.ts';
import { abilities, crmVisible, policy, referralVisible, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { findEngagements } from '../engagements/service.ts';
import { findReferrals } from '../referrals/service.ts';
import { actionPlanInitiatives, actionPlanLinks, actionPlanMilestones, actionPlans, type InitiativeAssessment, type LinkKind } from './schema.ts';
import type { ActionPlan, Initiative, PlanLink, Progress } from './schemas.ts';

/** What the policy needs of a plan: its owner and every organisation named on its initiatives. */
export interface PlanRecord {
  id: string;
  ownerOrganisationId: string;
  editorOrganisationIds: string[];
  version: number;
}

export const presentAbilities = (actor: Actor, plan: PlanRecord) => abilities.actionPlan(actor, plan);

/** The organisations named on a plan's initiatives (responsible or partner), the owner's co-editors. */
const editorsSql = (planAlias: string) => sql`ARRAY(
  SELECT DISTINCT o FROM action_plan_initiatives ei,
    LATERAL unnest(ei.partner_organisation_ids || CASE WHEN ei.responsible_organisation_id IS NULL THEN '{}'::uuid[] ELSE ARRAY[ei.responsible_organisation_id] END) AS o
  WHERE ei.plan_id = ${sql.raw(planAlias)}.id)`;

export async function findPlanRecord(db: Db, id: string): Promise<PlanRecord | undefined> {
  const [row] = (await db.execute<{ id: string; owner_organisation_id: string; editors: string[]; version: number }>(sql`
    SELECT p.id, p.owner_organisation_id, ${editorsSql('p')} AS editors, p.version FROM action_plans p WHERE p.id = ${id}`)).rows;
  return row ? { id: row.id, ownerOrganisationId: row.owner_organisation_id, editorOrganisationIds: row.editors ?? [], version: Number(row.version) } : undefined;
}

/** Events as the events module shows them (`policy.event.read`: every signed-in user knows every event). */
function eventVisible(actor: Actor): SQL {
  return policy.event.read(actor) ? sql`TRUE` : sql`FALSE`;
}

/**
 * Events the actor may link: those its organisation organises or co-organises (`policy.event.readParticipants`).
 * A linked event's participants count as companies reached, so linking another's event beside one's own
 * engagement with a company would tell whether that company took part, which only the organisers may know.
 */
function eventLinkable(actor: Actor, alias: string): SQL {
  const ev = sql.raw(alias);
  return sql`(${eventVisible(actor)} AND (${ev}.organiser_organisation_id = ${actor.organisationId}
    OR EXISTS (SELECT 1 FROM event_co_organisers co WHERE co.event_id = ${ev}.id AND co.organisation_id = ${actor.organisationId})))`;
}

/** Offers as the catalogue shows them: published ones, and the operator's own drafts and archive. */
function offerVisible(actor: Actor, alias: string): SQL {
  const o = sql.raw(alias);
  return sql`(${o}.status = 'published' OR ${o}.operator_id = ${actor.organisationId})`;
}

/**
 * Progress of each of a plan's initiatives, derived from its links at reading time.
 *
 * Privacy: the figures are counts over every link of the plan, computed the same for every reader, and
 * never name a company. So no reader can learn anything by comparing what they see with what another
 * sees, and a link a reader may not see shows as "a link" without id or label. Early Warning
 * engagements can never be linked (refused on linking) and are left out here too, with referrals made
 * from them, should an engagement become confidential later. An event counts as held when it is not
 * cancelled and has ended; its participants count as reached when attendance says they attended, or —
 * when no attendance was registered for the event at all — when they were registered.
 *
 * Companies are counted once among the links one organisation made, and summed over the organisations
 * that linked. Counted once across organisations, an editor could link its own engagement with a company
 * and see from whether the figure grew that another organisation's hidden link concerns that company
 * (differencing); within its own links an organisation only ever combines records it may see itself
 * (events only its own, see `eventLinkable`). A prospect (a would-be company) counts as one.
 */
async function progressOf(db: Db, planId: string, now: Date): Promise<Map<string, Progress>> {
  const rows = (await db.execute<{ id: string; companies: number; events: number; referrals: number }>(sql`
    WITH pl AS (
      SELECT l.initiative_id, l.kind, l.target_id, l.linked_by_organisation_id AS linker
      FROM action_plan_links l JOIN action_plan_initiatives i ON i.id = l.initiative_id WHERE i.plan_id = ${planId}
    ), held AS (
      SELECT pl.initiative_id, pl.linker, ev.id AS event_id FROM pl JOIN events ev ON pl.kind = 'event' AND ev.id = pl.target_id
      WHERE ev.status <> 'cancelled' AND ev.ends_at < ${now.toISOString()}::timestamptz
    ), referred AS (
      SELECT pl.initiative_id, pl.linker, coalesce(r.company_cvr, 'p:' || re.prospect_id::text) AS subject
        FROM pl JOIN referrals r ON pl.kind = 'referral' AND r.id = pl.target_id LEFT JOIN engagements re ON re.id = r.engagement_id
        WHERE NOT coalesce(re.confidential, false)
    ), reached AS (
      SELECT pl.initiative_id, pl.linker, coalesce(e.company_cvr, 'p:' || e.prospect_id::text) AS subject
        FROM pl JOIN engagements e ON pl.kind = 'engagement' AND e.id = pl.target_id WHERE NOT e.confidential
      UNION
      SELECT initiative_id, linker, subject FROM referred
      UNION
      SELECT h.initiative_id, h.linker, coalesce(ep.company_cvr, 'p:' || ep.prospect_id::text)
        FROM held h JOIN event_participants ep ON ep.event_id = h.event_id
        WHERE ep.status = 'attended'
          OR (ep.status = 'registered' AND NOT EXISTS (SELECT 1 FROM event_participants q WHERE q.event_id = h.event_id AND q.status IN ('attended', 'no_show')))
    )
    SELECT i.id,
      (SELECT count(DISTINCT x.linker::text || '/' || x.subject) FROM reached x WHERE x.initiative_id = i.id AND x.subject IS NOT NULL)::int AS companies,
      (SELECT count(*) FROM held h WHERE h.initiative_id = i.id)::int AS events,
      (SELECT count(*) FROM referred x WHERE x.initiative_id = i.id)::int AS referrals
    FROM action_plan_initiatives i WHERE i.plan_id = ${planId}`)).rows;
  return new Map(rows.map((r) => [r.id, { companiesReached: Number(r.companies), eventsHeld: Number(r.events), referralsMade: Number(r.referrals) }]));
}

type InitiativeRow = {
  id: string; position: number; title: string; focus_area: string | null; description: string; objectives: string[];
  responsible_organisation_id: string | null; responsible_organisation_name: string | null; responsible_name: string | null;
  partners: { id: string; name: string }[] | null; partner_names: string[]; status: Initiative['status'];
  assessment: NonNullable<Initiative['assessment']>['value'] | null; assessment_comment: string | null; assessed_by: string | null; assessed_by_name: string | null; assessed_at: Date | null;
  version: number;
};

/** Other organisations' CRM records a reading showed (labelled links), for its audit entry. */
export interface CrmRead {
  engagements: string[];
  referrals: string[];
  /** The organisations holding them (`audit_log.holder_organisation_ids`). */
  holders: string[];
}

/**
 * A plan with its initiatives, milestones, links (labelled where the reader may see them) and progress,
 * and the CRM records it labelled; undefined if it does not exist.
 */
export async function readPlan(db: Db, actor: Actor, now: Date, id: string): Promise<{ plan: ActionPlan; crmRead: CrmRead } | undefined> {
  const record = await findPlanRecord(db, id);
  if (!record) return undefined;
  const [p] = (await db.execute<{ id: string; owner_id: string; owner_name: string; title: string; period_start: string; period_end: string; focus_areas: string[]; description: string | null; version: number; created_at: Date; updated_at: Date }>(sql`
    SELECT p.id, o.id AS owner_id, o.name AS owner_name, p.title, to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
      p.focus_areas, p.description, p.version, p.created_at, p.updated_at
    FROM action_plans p JOIN organisations o ON o.id = p.owner_organisation_id WHERE p.id = ${id}`)).rows;
  const initiatives = (await db.execute<InitiativeRow>(sql`
    SELECT i.id, i.position, i.title, i.focus_area, i.description, i.objectives, i.responsible_organisation_id, ro.name AS responsible_organisation_name, i.responsible_name,
      (SELECT json_agg(json_build_object('id', po.id, 'name', po.name) ORDER BY array_position(i.partner_organisation_ids, po.id))
         FROM organisations po WHERE po.id = ANY(i.partner_organisation_ids)) AS partners,
      i.partner_names, i.status, i.assessment, i.assessment_comment, i.assessed_by, au.name AS assessed_by_name, i.assessed_at, i.version
    FROM action_plan_initiatives i
      LEFT JOIN organisations ro ON ro.id = i.responsible_organisation_id
      LEFT JOIN users au ON au.id = i.assessed_by
    WHERE i.plan_id = ${id} ORDER BY i.position, i.created_at`)).rows;
  const milestones = (await db.execute<{ id: string; initiative_id: string; title: string; due_on: string; done_on: string | null }>(sql`
    SELECT m.id, m.initiative_id, m.title, to_char(m.due_on, 'YYYY-MM-DD') AS due_on, to_char(m.done_on, 'YYYY-MM-DD') AS done_on
    FROM action_plan_milestones m JOIN action_plan_initiatives i ON i.id = m.initiative_id WHERE i.plan_id = ${id} ORDER BY m.due_on, m.created_at`)).rows;
  // Each link is labelled only through its own module's visibility rule for this reader.
  const links = (await db.execute<{ id: string; initiative_id: string; kind: LinkKind; target_id: string; created_at: Date; label: string | null; holders: string[] | null }>(sql`
    SELECT l.id, l.initiative_id, l.kind, l.target_id, l.created_at,
      CASE l.kind
        WHEN 'engagement' THEN (SELECT ARRAY[e.organisation_id] FROM engagements e WHERE e.id = l.target_id AND ${crmVisible(actor, 'e', now)})
        WHEN 'referral' THEN (SELECT ARRAY[r.from_organisation_id, r.to_organisation_id] FROM referrals r WHERE r.id = l.target_id AND ${referralVisible(actor, 'r')})
      END AS holders,
      CASE l.kind
        WHEN 'engagement' THEN (SELECT coalesce(c.name || ' (CVR ' || c.cvr || ')', pr.person_name, '') || ' · ' || left(e.description, 80)
          FROM engagements e LEFT JOIN companies c ON c.cvr = e.company_cvr LEFT JOIN prospects pr ON pr.id = e.prospect_id
          WHERE e.id = l.target_id AND ${crmVisible(actor, 'e', now)})
        WHEN 'referral' THEN (SELECT coalesce(c.name, r.company_cvr, '') || ' → ' || tor.name
          FROM referrals r JOIN organisations tor ON tor.id = r.to_organisation_id LEFT JOIN companies c ON c.cvr = r.company_cvr
          WHERE r.id = l.target_id AND ${referralVisible(actor, 'r')})
        WHEN 'event' THEN (SELECT ev.title || ' · ' || to_char(ev.starts_at AT TIME ZONE 'Europe/Copenhagen', 'DD.MM.YYYY')
          FROM events ev WHERE ev.id = l.target_id AND ${eventVisible(actor)})
        WHEN 'offer' THEN (SELECT o.title FROM offers o WHERE o.id = l.target_id AND ${offerVisible(actor, 'o')})
      END AS label
    FROM action_plan_links l JOIN action_plan_initiatives i ON i.id = l.initiative_id
    WHERE i.plan_id = ${id} ORDER BY l.created_at, l.id`)).rows;
  const progress = await progressOf(db, id, now);
  const crmRead: CrmRead = { engagements: [], referrals: [], holders: [] };
  const linkView = (l: (typeof links)[number]): PlanLink => {
    const visible = l.label !== null;
    if (visible && l.holders && (l.kind === 'engagement' || l.kind === 'referral')) {
      crmRead[l.kind === 'engagement' ? 'engagements' : 'referrals'].push(l.target_id);
      crmRead.holders.push(...l.holders);
    }
    return { id: l.id, kind: l.kind, visible, targetId: visible ? l.target_id : null, label: l.label, createdAt: isoTime(l.created_at)! };
  };
  const manage = policy.actionPlan.manage(actor, record);
  const namedOf = (i: InitiativeRow) =>
    new Set([...(i.responsible_organisation_id ? [i.responsible_organisation_id] : []), ...(i.partners ?? []).map((o) => o.id)].filter((o) => o !== record.ownerOrganisationId));
  const mentions = new Map<string, number>();
  for (const i of initiatives) for (const o of namedOf(i)) mentions.set(o, (mentions.get(o) ?? 0) + 1);
  // Deleting an initiative that alone names an organisation would take that organisation's edit rights.
  const deletable = (i: InitiativeRow) => manage || (policy.actionPlan.edit(actor, record) && [...namedOf(i)].every((o) => (mentions.get(o) ?? 0) > 1));
  const plan: ActionPlan = {
    id: p!.id,
    owner: { id: p!.owner_id, name: p!.owner_name },
    title: p!.title,
    periodStart: p!.period_start,
    periodEnd: p!.period_end,
    focusAreas: p!.focus_areas,
    description: p!.description,
    version: Number(p!.version),
    createdAt: isoTime(p!.created_at)!,
    updatedAt: isoTime(p!.updated_at)!,
    abilities: presentAbilities(actor, record),
    initiatives: initiatives.map((i) => ({
      id: i.id,
      position: Number(i.position),
      title: i.title,
      focusArea: i.focus_area,
      description: i.description,
      objectives: i.objectives,
      responsible: { organisation: i.responsible_organisation_id ? { id: i.responsible_organisation_id, name: i.responsible_organisation_name ?? '' } : null, name: i.responsible_name },
      partners: { organisations: i.partners ?? [], names: i.partner_names },
      status: i.status,
      assessment: i.assessment ? { value: i.assessment, comment: i.assessment_comment, by: i.assessed_by ? { id: i.assessed_by, name: i.assessed_by_name ?? '' } : null, at: isoTime(i.assessed_at)! } : null,
      milestones: milestones.filter((m) => m.initiative_id === i.id).map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on, doneOn: m.done_on })),
      links: links.filter((l) => l.initiative_id === i.id).map(linkView),
      progress: progress.get(i.id) ?? { companiesReached: 0, eventsHeld: 0, referralsMade: 0 },
      version: Number(i.version),
      abilities: { delete: deletable(i) },
    })),
  };
  return { plan, crmRead };
}

/** Plans, newest period first, with how many initiatives each has. */
export async function listPlans(db: Db, actor: Actor, filter: { ownerOrganisationId?: string | undefined }, page: { limit: number; offset: number }) {
  const rows = (await db.execute<{ id: string; owner_id: string; owner_name: string; title: string; period_start: string; period_end: string; focus_areas: string[]; initiatives: number; editors: string[]; version: number }>(sql`
    SELECT p.id, o.id AS owner_id, o.name AS owner_name, p.title, to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
      p.focus_areas, (SELECT count(*) FROM action_plan_initiatives i WHERE i.plan_id = p.id)::int AS initiatives, ${editorsSql('p')} AS editors, p.version
    FROM action_plans p JOIN organisations o ON o.id = p.owner_organisation_id
    WHERE ${filter.ownerOrganisationId ? sql`p.owner_organisation_id = ${filter.ownerOrganisationId}` : sql`TRUE`}
    ORDER BY p.period_end DESC, p.title, p.id
    LIMIT ${page.limit} OFFSET ${page.offset}`)).rows;
  return rows.map((r) => ({
    id: r.id,
    owner: { id: r.owner_id, name: r.owner_name },
    title: r.title,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    focusAreas: r.focus_areas,
    initiativeCount: Number(r.initiatives),
    abilities: presentAbilities(actor, { id: r.id, ownerOrganisationId: r.owner_id, editorOrganisationIds: r.editors ?? [], version: Number(r.version) }),
  }));
}

export function checkPeriod(start: string, end: string): void {
  if (endsBeforeStart(start, end)) throw fieldProblem('periodEnd', 'actionPlan.period');
}

export interface PlanValues {
  title: string;
  periodStart: string;
  periodEnd: string;
  focusAreas: string[];
  description?: string | null | undefined;
}

/** A new plan of the actor's organisation (or `ownerOrganisationId`, for demo data); its id. */
export async function createPlan(db: Db, actor: Actor | null, values: PlanValues & { ownerOrganisationId: string }, now: Date): Promise<string> {
  checkPeriod(values.periodStart, values.periodEnd);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(actionPlans)
      .values({ ...values, description: values.description ?? null, createdBy: actor?.userId ?? null, createdAt: now, updatedAt: now })
      .returning({ id: actionPlans.id });
    await audit(tx, actor, { action: 'create', entity: 'action_plan', entityId: row!.id, details: { title: values.title } });
    return row!.id;
  });
}

const touch = (tx: Db, planId: string, now: Date) => tx.update(actionPlans).set({ updatedAt: now }).where(eq(actionPlans.id, planId));

export async function changePlan(db: Db, actor: Actor, plan: PlanRecord, change: Partial<PlanValues> & { version: number }, now: Date): Promise<void> {
  const { version, ...fields } = change;
  if (fields.periodStart !== undefined || fields.periodEnd !== undefined) {
    const [current] = await db.select({ start: actionPlans.periodStart, end: actionPlans.periodEnd }).from(actionPlans).where(eq(actionPlans.id, plan.id));
    checkPeriod(fields.periodStart ?? current!.start, fields.periodEnd ?? current!.end);
  }
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(actionPlans)
      .set({ ...fields, updatedAt: now, version: sql`${actionPlans.version} + 1` })
      .where(and(eq(actionPlans.id, plan.id), eq(actionPlans.version, version)))
      .returning({ id: actionPlans.id });
    if (updated.length === 0) throw conflict('actionPlan.stale');
    await audit(tx, actor, { action: 'update', entity: 'action_plan', entityId: plan.id, holders: [plan.ownerOrganisationId], details: { fields: Object.keys(fields) } });
  });
}

export async function deletePlan(db: Db, actor: Actor, plan: PlanRecord): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(actionPlans).where(eq(actionPlans.id, plan.id));
    await audit(tx, actor, { action: 'delete', entity: 'action_plan', entityId: plan.id });
  });
}

/** Organisation ids that exist; a field error naming the first unknown one otherwise. */
async function assertOrganisations(db: Db, ids: readonly string[], field: (index: number) => string): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await db.execute<{ id: string }>(sql`SELECT id FROM organisations WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[])`)).rows.map((r) => r.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw fieldProblem(field(missing), 'actionPlan.organisationUnknown');
}

export interface InitiativeValues {
  title: string;
  focusArea: string | null;
  description: string;
  objectives: string[];
  responsibleOrganisationId: string | null;
  responsibleName: string | null;
  partnerOrganisationIds: string[];
  partnerNames: string[];
  status: Initiative['status'];
}

/** Responsible is one organisation or one outside actor; organisations named must exist. */
async function checkInitiative(db: Db, values: Pick<InitiativeValues, 'responsibleOrganisationId' | 'responsibleName' | 'partnerOrganisationIds'>): Promise<void> {
  if ((values.responsibleOrganisationId === null) === (values.responsibleName === null)) throw fieldProblem('responsibleOrganisationId', 'actionPlan.responsibleRequired');
  if (values.responsibleOrganisationId) await assertOrganisations(db, [values.responsibleOrganisationId], () => 'responsibleOrganisationId');
  await assertOrganisations(db, values.partnerOrganisationIds, (i) => `partnerOrganisationIds.${i}`);
}

const unique = <T>(values: T[]) => [...new Set(values)];

/** Bounds that keep a plan one readable document (and its reading and export one cheap request). */
export const LIMITS = { initiativesPerPlan: 200, milestonesPerInitiative: 50, linksPerInitiative: 200 } as const;

/** Serialises changes of one plan (counting against the bounds, comparing its editors) in the caller's transaction. */
const lockPlan = (tx: Db, planId: string) => tx.execute(sql`SELECT 1 FROM action_plans WHERE id = ${planId} FOR UPDATE`);

async function assertRoom(tx: Db, what: keyof typeof LIMITS, countSql: SQL): Promise<void> {
  const [row] = (await tx.execute<{ n: number }>(sql`SELECT (${countSql})::int AS n`)).rows;
  if (Number(row!.n) >= LIMITS[what]) throw conflict(`actionPlan.limit.${what}`, { maximum: LIMITS[what] });
}

/** The organisations other than the owner that edit the plan, as one comparable string. */
async function coEditors(tx: Db, plan: Pick<PlanRecord, 'id' | 'ownerOrganisationId'>): Promise<string> {
  const [row] = (await tx.execute<{ editors: string[] | null }>(sql`SELECT ${editorsSql('p')} AS editors FROM action_plans p WHERE p.id = ${plan.id}`)).rows;
  return (row?.editors ?? []).filter((o) => o !== plan.ownerOrganisationId).sort().join(',');
}

/**
 * Runs `change` in the caller's transaction with the plan locked; unless the actor may decide who edits
 * (`policy.actionPlan.manage`), a change after which other organisations edit the plan, or fewer, is
 * refused (403) and rolled back. Demo data (no actor) is the owner's.
 */
async function keepingEditors<T>(tx: Db, actor: Actor | null, plan: Pick<PlanRecord, 'id' | 'ownerOrganisationId'>, change: () => Promise<T>): Promise<T> {
  await lockPlan(tx, plan.id);
  if (!actor || policy.actionPlan.manage(actor, plan)) return change();
  const before = await coEditors(tx, plan);
  const result = await change();
  if ((await coEditors(tx, plan)) !== before) throw new HttpProblem(403, 'actionPlan.editorsOwnerOnly');
  return result;
}

export async function addInitiative(db: Db, actor: Actor | null, plan: Pick<PlanRecord, 'id' | 'ownerOrganisationId'>, values: InitiativeValues, now: Date): Promise<string> {
  const clean = { ...values, partnerOrganisationIds: unique(values.partnerOrganisationIds), partnerNames: unique(values.partnerNames) };
  await checkInitiative(db, clean);
  return db.transaction(async (tx) => {
    const [row] = await keepingEditors(tx, actor, plan, async () => {
      await assertRoom(tx, 'initiativesPerPlan', sql`SELECT count(*) FROM action_plan_initiatives WHERE plan_id = ${plan.id}`);
      return tx
        .insert(actionPlanInitiatives)
        .values({ ...clean, planId: plan.id, createdAt: now, position: sql`(SELECT coalesce(max(position), 0) + 1 FROM action_plan_initiatives WHERE plan_id = ${plan.id})` })
        .returning({ id: actionPlanInitiatives.id });
    });
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'create', entity: 'action_plan_initiative', entityId: row!.id, holders: [plan.ownerOrganisationId], details: { planId: plan.id, title: values.title } });
    return row!.id;
  });
}

export interface InitiativeRecord {
  id: string;
  planId: string;
  position: number;
  version: number;
  responsibleOrganisationId: string | null;
  responsibleName: string | null;
  partnerOrganisationIds: string[];
}

/** An initiative of `planId` (else 404). */
export async function initiativeOf(db: Db, planId: string, initiativeId: string): Promise<InitiativeRecord> {
  const [row] = await db
    .select({
      id: actionPlanInitiatives.id, planId: actionPlanInitiatives.planId, position: actionPlanInitiatives.position, version: actionPlanInitiatives.version,
      responsibleOrganisationId: actionPlanInitiatives.responsibleOrganisationId, responsibleName: actionPlanInitiatives.responsibleName,
      partnerOrganisationIds: actionPlanInitiatives.partnerOrganisationIds,
    })
    .from(actionPlanInitiatives)
    .where(and(eq(actionPlanInitiatives.id, initiativeId), eq(actionPlanInitiatives.planId, planId)));
  if (!row) throw notFound('actionPlan.initiativeNotFound');
  return row;
}

/** Puts the plan's initiatives in order 1…n with `moved` at `position` (clamped), in the caller's transaction. */
async function renumber(tx: Db, planId: string, moved?: { id: string; position: number }): Promise<void> {
  const ids = (await tx.execute<{ id: string }>(sql`SELECT id FROM action_plan_initiatives WHERE plan_id = ${planId} ORDER BY position, created_at, id`)).rows.map((r) => r.id);
  if (moved) {
    ids.splice(ids.indexOf(moved.id), 1);
    ids.splice(Math.min(moved.position, ids.length + 1) - 1, 0, moved.id);
  }
  for (const [index, id] of ids.entries()) await tx.update(actionPlanInitiatives).set({ position: index + 1 }).where(eq(actionPlanInitiatives.id, id));
}

export async function changeInitiative(
  db: Db, actor: Actor, plan: PlanRecord, initiative: InitiativeRecord,
  change: Partial<InitiativeValues> & { version: number; position?: number | undefined }, now: Date,
): Promise<void> {
  const { version, position, ...fields } = change;
  if (fields.partnerOrganisationIds) fields.partnerOrganisationIds = unique(fields.partnerOrganisationIds);
  if (fields.partnerNames) fields.partnerNames = unique(fields.partnerNames);
  // Giving one side of "responsible" replaces the other, so a change can switch an organisation for an outside actor.
  if (fields.responsibleOrganisationId && fields.responsibleName === undefined) fields.responsibleName = null;
  if (fields.responsibleName && fields.responsibleOrganisationId === undefined) fields.responsibleOrganisationId = null;
  await checkInitiative(db, {
    responsibleOrganisationId: fields.responsibleOrganisationId !== undefined ? fields.responsibleOrganisationId : initiative.responsibleOrganisationId,
    responsibleName: fields.responsibleName !== undefined ? fields.responsibleName : initiative.responsibleName,
    partnerOrganisationIds: fields.partnerOrganisationIds ?? [],
  });
  await db.transaction(async (tx) => {
    const updated = await keepingEditors(tx, actor, plan, () =>
      tx
        .update(actionPlanInitiatives)
        .set({ ...fields, version: sql`${actionPlanInitiatives.version} + 1` })
        .where(and(eq(actionPlanInitiatives.id, initiative.id), eq(actionPlanInitiatives.version, version)))
        .returning({ id: actionPlanInitiatives.id }),
    );
    if (updated.length === 0) throw conflict('actionPlan.stale');
    if (position !== undefined && position !== initiative.position) await renumber(tx, plan.id, { id: initiative.id, position });
    await touch(tx, plan.id, now);
    await audit(tx, actor, {
      action: 'update', entity: 'action_plan_initiative', entityId: initiative.id, holders: [plan.ownerOrganisationId],
      details: { planId: plan.id, fields: Object.keys(change).filter((k) => k !== 'version'), ...(fields.status ? { status: fields.status } : {}) },
    });
  });
}

export async function deleteInitiative(db: Db, actor: Actor, plan: PlanRecord, initiative: InitiativeRecord, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await keepingEditors(tx, actor, plan, () => tx.delete(actionPlanInitiatives).where(eq(actionPlanInitiatives.id, initiative.id)));
    await renumber(tx, plan.id);
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'delete', entity: 'action_plan_initiative', entityId: initiative.id, holders: [plan.ownerOrganisationId], details: { planId: plan.id } });
  });
}

/** The manual assessment (or none) with its comment, signed by the actor and dated now. */
export async function assessInitiative(
  db: Db, actor: Actor | null, plan: Pick<PlanRecord, 'id' | 'ownerOrganisationId'>, initiative: Pick<InitiativeRecord, 'id'>,
  body: { version?: number; assessment: InitiativeAssessment | null; comment?: string | undefined }, now: Date,
): Promise<void> {
  const comment = body.comment?.length ? body.comment : null;
  const values = body.assessment
    ? { assessment: body.assessment, assessmentComment: comment, assessedBy: actor?.userId ?? null, assessedAt: now }
    : { assessment: null, assessmentComment: null, assessedBy: null, assessedAt: null };
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(actionPlanInitiatives)
      .set({ ...values, version: sql`${actionPlanInitiatives.version} + 1` })
      .where(and(eq(actionPlanInitiatives.id, initiative.id), body.version === undefined ? sql`TRUE` : eq(actionPlanInitiatives.version, body.version)))
      .returning({ id: actionPlanInitiatives.id });
    if (updated.length === 0) throw conflict('actionPlan.stale');
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'update', entity: 'action_plan_initiative', entityId: initiative.id, holders: [plan.ownerOrganisationId], details: { planId: plan.id, assessment: body.assessment } });
  });
}

export interface MilestoneValues {
  title: string;
  dueOn: string;
  doneOn?: string | null | undefined;
}

export async function addMilestone(db: Db, actor: Actor | null, plan: Pick<PlanRecord, 'id' | 'ownerOrganisationId'>, initiativeId: string, values: MilestoneValues, now: Date): Promise<string> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, plan.id);
    await assertRoom(tx, 'milestonesPerInitiative', sql`SELECT count(*) FROM action_plan_milestones WHERE initiative_id = ${initiativeId}`);
    const [row] = await tx.insert(actionPlanMilestones).values({ ...values, doneOn: values.doneOn ?? null, initiativeId, createdAt: now }).returning({ id: actionPlanMilestones.id });
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'create', entity: 'action_plan_milestone', entityId: row!.id, holders: [plan.ownerOrganisationId], details: { planId: plan.id, initiativeId } });
    return row!.id;
  });
}

/** A milestone of an initiative of `planId` (else 404). */
export async function milestoneOf(db: Db, planId: string, initiativeId: string, milestoneId: string): Promise<void> {
  const rows = (await db.execute(sql`
    SELECT 1 FROM action_plan_milestones m JOIN action_plan_initiatives i ON i.id = m.initiative_id
    WHERE m.id = ${milestoneId} AND m.initiative_id = ${initiativeId} AND i.plan_id = ${planId}`)).rows;
  if (rows.length === 0) throw notFound('actionPlan.milestoneNotFound');
}

export async function changeMilestone(db: Db, actor: Actor, plan: PlanRecord, milestoneId: string, change: Partial<MilestoneValues>, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    if (Object.keys(change).length > 0) await tx.update(actionPlanMilestones).set(change).where(eq(actionPlanMilestones.id, milestoneId));
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'update', entity: 'action_plan_milestone', entityId: milestoneId, holders: [plan.ownerOrganisationId], details: { planId: plan.id, fields: Object.keys(change) } });
  });
}

export async function deleteMilestone(db: Db, actor: Actor, plan: PlanRecord, milestoneId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(actionPlanMilestones).where(eq(actionPlanMilestones.id, milestoneId));
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'delete', entity: 'action_plan_milestone', entityId: milestoneId, holders: [plan.ownerOrganisationId], details: { planId: plan.id } });
  });
}

/**
 * Whether the actor may link the target: it exists and its own module's visibility rule lets the actor
 * see it. Anything else is the same field error, so a forged id of another organisation's record tells
 * nothing about whether it exists. An Early Warning engagement is refused even for the EW team: the plan
 * is public and its progress would count the case.
 */
async function assertLinkable(db: Db, actor: Actor, now: Date, kind: LinkKind, targetId: string): Promise<void> {
  const missing = () => fieldProblem('targetId', 'actionPlan.linkTargetNotFound');
  switch (kind) {
    case 'engagement': {
      const [engagement] = await findEngagements(db, actor, now, sql`e.id = ${targetId}`);
      if (!engagement) throw missing();
      if (engagement.confidential) throw fieldProblem('targetId', 'actionPlan.linkConfidential');
      return;
    }
    case 'referral': {
      const [referral] = await findReferrals(db, actor, now, sql`r.id = ${targetId}`, { limit: 1 });
      if (!referral) throw missing();
      return;
    }
    case 'event': {
      const rows = (await db.execute(sql`SELECT 1 FROM events ev WHERE ev.id = ${targetId} AND ${eventLinkable(actor, 'ev')}`)).rows;
      if (rows.length === 0) throw missing();
      return;
    }
    case 'offer': {
      const rows = (await db.execute(sql`SELECT 1 FROM offers o WHERE o.id = ${targetId} AND ${offerVisible(actor, 'o')}`)).rows;
      if (rows.length === 0) throw missing();
      return;
    }
  }
}

export async function addLink(db: Db, actor: Actor, plan: PlanRecord, initiativeId: string, link: { kind: LinkKind; targetId: string }, now: Date): Promise<string> {
  await assertLinkable(db, actor, now, link.kind, link.targetId);
  return db.transaction(async (tx) => {
    await lockPlan(tx, plan.id);
    await assertRoom(tx, 'linksPerInitiative', sql`SELECT count(*) FROM action_plan_links WHERE initiative_id = ${initiativeId}`);
    const [row] = await tx
      .insert(actionPlanLinks)
      .values({ initiativeId, kind: link.kind, targetId: link.targetId, linkedBy: actor.userId, linkedByOrganisationId: actor.organisationId, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: actionPlanLinks.id });
    if (!row) throw conflict('actionPlan.linkExists');
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'create', entity: 'action_plan_link', entityId: row.id, holders: [plan.ownerOrganisationId], details: { planId: plan.id, initiativeId, kind: link.kind, targetId: link.targetId } });
    return row.id;
  });
}

/** Demo data: links made without a session (the events and engagements are the demo's own). */
export async function insertLinkUnchecked(db: Db, initiativeId: string, link: { kind: LinkKind; targetId: string; organisationId: string }, now: Date): Promise<void> {
  await db.insert(actionPlanLinks).values({ initiativeId, kind: link.kind, targetId: link.targetId, linkedByOrganisationId: link.organisationId, createdAt: now }).onConflictDoNothing();
}

export async function deleteLink(db: Db, actor: Actor, plan: PlanRecord, initiativeId: string, linkId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(actionPlanLinks)
      .where(and(eq(actionPlanLinks.id, linkId), eq(actionPlanLinks.initiativeId, initiativeId)))
      .returning({ id: actionPlanLinks.id });
    if (deleted.length === 0) throw notFound('actionPlan.linkNotFound');
    await touch(tx, plan.id, now);
    await audit(tx, actor, { action: 'delete', entity: 'action_plan_link', entityId: linkId, holders: [plan.ownerOrganisationId], details: { planId: plan.id, initiativeId } });
  });
}

const containing = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Candidates to link, each found through its kind's own visibility rule (at most 20); for engagements and
 * referrals (CRM records, personal data) also the organisations holding them, for the audit entry.
 */
export async function linkTargets(db: Db, actor: Actor, now: Date, kind: LinkKind, q: string): Promise<{ items: { id: string; label: string }[]; holders: string[] | null }> {
  const pattern = containing(q);
  const byCompany = (alias: string) => sql`(${q === '' ? sql`TRUE` : sql`(c.name ILIKE ${pattern} OR ${sql.raw(alias)}.company_cvr LIKE ${`${q.replace(/\D/g, '') || '-'}%`})`})`;
  switch (kind) {
    case 'engagement': {
      const found = await findEngagements(db, actor, now, sql`NOT e.confidential AND ${byCompany('e')}`, { limit: 20, offset: 0 });
      return {
        items: found.map((e) => ({ id: e.id, label: `${e.company ? `${e.company.name ?? ''} (CVR ${e.company.cvr})` : (e.prospect?.personName ?? '')} · ${e.description.slice(0, 80)}` })),
        holders: found.map((e) => e.organisation.id),
      };
    }
    case 'referral': {
      const found = await findReferrals(db, actor, now, byCompany('r'), { limit: 20 });
      return { items: found.map((r) => ({ id: r.id, label: `${r.company?.name ?? r.company?.cvr ?? ''} → ${r.to.name}` })), holders: found.flatMap((r) => [r.from.id, r.to.id]) };
    }
    case 'event':
      return { holders: null, items: (await db.execute<{ id: string; label: string }>(sql`
        SELECT ev.id, ev.title || ' · ' || to_char(ev.starts_at AT TIME ZONE 'Europe/Copenhagen', 'DD.MM.YYYY') AS label FROM events ev
        WHERE ${eventLinkable(actor, 'ev')} AND ev.title ILIKE ${pattern} ORDER BY ev.starts_at DESC LIMIT 20`)).rows };
    case 'offer':
      return { holders: null, items: (await db.execute<{ id: string; label: string }>(sql`
        SELECT o.id, o.title AS label FROM offers o WHERE ${offerVisible(actor, 'o')} AND o.title ILIKE ${pattern} ORDER BY o.title LIMIT 20`)).rows };
  }
}
