import { readFileSync } from 'node:fs';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { endsBeforeStart } from '../../lib/dates.ts';
import { conflict, HttpProblem } from '../../http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { organisations } from '../organisations/schema.ts';
import { indicatorSchema, indicatorTypes, type IndicatorDefinition } from './indicator-types.ts';
import { computeIndicator, type GoalValue } from './indicators.ts';
import { contracts, type contractStatuses, goalEvidence, goals, intentDeclarations, statusReports } from './schema.ts';
import type { contractChangeBody, ContractExport, ContractInput, intentDeclarationBody, statusReportChangeBody } from './schemas.ts';

type Goal = typeof goals.$inferSelect;

export const templatePath = new URL('./templates/sydjylland-2020.json', import.meta.url);
export const readTemplate = () => JSON.parse(readFileSync(templatePath, 'utf8')) as unknown;

/** Validates each goal's indicator on its own, so the message names the goal that is wrong. */
export function validateGoals(input: ContractInput) {
  const numbers = new Set<number>();
  return input.goals.map((goal, index) => {
    if (numbers.has(goal.number)) throw new HttpProblem(400, 'contract.goalInvalid', { number: goal.number, title: goal.title, problem: 'nummeret bruges af flere mål' }, [{ field: `goals.${index}.number`, key: 'contract.goalNumberTaken', params: { number: goal.number } }]);
    numbers.add(goal.number);
    const type = (goal.indicator as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(indicatorTypes as string[]).includes(type)) {
      throw new HttpProblem(400, 'contract.goalInvalid', { number: goal.number, title: goal.title, problem: `ukendt indikator "${String(type)}"` }, [
        { field: `goals.${index}.indicator.type`, key: 'contract.unknownIndicator', params: { number: goal.number, type: String(type), known: indicatorTypes.join(', ') } },
      ]);
    }
    const parsed = indicatorSchema.safeParse(goal.indicator);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.join('.');
      throw new HttpProblem(400, 'contract.goalInvalid', { number: goal.number, title: goal.title, problem: `${where}: ${issue.message}` }, [
        { field: `goals.${index}.indicator${where ? '.' + where : ''}`, key: 'contract.malformedIndicator', params: { number: goal.number, where: where || 'indicator', problem: issue.message } },
      ]);
    }
    return { ...goal, indicator: parsed.data };
  });
}

const lastDayOfMonth = (date: string) => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();

/**
 * A contract's period is whole months: from the first day of a month to the last day of a month,
 * not before it begins. Its figures are cumulative from the period's start, so two contracts of a hub
 * counting from days apart would differ by what those days added (disclosure control,
 * ./disclosure.ts, then compares contracts a whole month or more apart). The field issues, if any,
 * under the names the request used.
 */
export function wholeMonthsProblems(periodStart: string, periodEnd: string, fields = { start: 'periodStart', end: 'periodEnd' }) {
  const issues: { field: string; key: string }[] = [];
  if (!periodStart.endsWith('-01')) issues.push({ field: fields.start, key: 'contract.periodStart' });
  if (Number(periodEnd.slice(8, 10)) !== lastDayOfMonth(periodEnd)) issues.push({ field: fields.end, key: 'contract.periodEnd' });
  else if (endsBeforeStart(periodStart, periodEnd)) issues.push({ field: fields.end, key: 'contract.periodOrder' });
  return issues;
}

export interface ContractParties {
  kkrId: string;
  hubId: string;
}

/** The KKR and the hub a contract input names (400 naming the field when either is unknown). */
export async function contractParties(db: Db, input: Pick<ContractInput, 'kkr' | 'hub'>): Promise<ContractParties> {
  const byName = async (name: string, type: 'kkr' | 'business_hub', field: string) => {
    const [org] = await db.select({ id: organisations.id, type: organisations.type }).from(organisations).where(eq(organisations.name, name));
    if (!org || org.type !== type) throw new HttpProblem(400, 'validation.failed', {}, [{ field, key: 'organisation.notFound' }]);
    return org.id;
  };
  return { kkrId: await byName(input.kkr, 'kkr', 'kkr'), hubId: await byName(input.hub, 'business_hub', 'hub') };
}

/**
 * Imports a contract (e.g. the shipped template); everything or nothing is saved. Routes resolve the
 * parties first (`contractParties`) to ask the policy whether the actor may create it, and pass them on.
 */
export async function importContract(db: Db, input: ContractInput, override: { periodStart?: string; periodEnd?: string; title?: string } = {}, parties?: ContractParties) {
  const validGoals = validateGoals(input);
  const { kkrId, hubId } = parties ?? (await contractParties(db, input));
  const values = { kkrId, hubId, title: override.title ?? input.title, periodStart: override.periodStart ?? input.periodStart, periodEnd: override.periodEnd ?? input.periodEnd };
  const periodIssues = wholeMonthsProblems(values.periodStart, values.periodEnd, { start: override.periodStart ? 'override.periodStart' : 'periodStart', end: override.periodEnd ? 'override.periodEnd' : 'periodEnd' });
  if (periodIssues.length) throw new HttpProblem(400, 'validation.failed', {}, periodIssues);
  return db.transaction(async (tx) => {
    // Importing the same contract twice (a re-run, a double click) must not make two: one import at
    // a time per pair of parties, and an open contract with the same title and period is refused.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`contract:${kkrId}:${hubId}`}))`);
    const [existing] = await tx
      .select({ id: contracts.id })
      .from(contracts)
      .where(and(eq(contracts.kkrId, kkrId), eq(contracts.hubId, hubId), eq(contracts.title, values.title), eq(contracts.periodStart, values.periodStart), eq(contracts.periodEnd, values.periodEnd), ne(contracts.status, 'closed')));
    if (existing) throw conflict('contract.exists', { title: values.title, from: values.periodStart, to: values.periodEnd });
    const [contract] = await tx
      .insert(contracts)
      .values({ ...values, status: 'active' })
      .returning({ id: contracts.id });
    await tx.insert(goals).values(validGoals.map((g) => ({ ...g, contractId: contract!.id })));
    return contract!.id;
  });
}

export interface GoalReport extends GoalValue {
  number: number;
  group: Goal['group'];
  title: string;
  reporting: Goal['reporting'];
  indicatorType: IndicatorDefinition['type'];
}

/** Every goal of a contract computed from live data as of `asOf` (the period's end at the latest). */
export async function contractReport(db: Db, contractId: string, asOf: string) {
  const [contract] = await db
    .select({ id: contracts.id, title: contracts.title, hubId: contracts.hubId, kkrId: contracts.kkrId, periodStart: sql<string>`to_char(${contracts.periodStart}, 'YYYY-MM-DD')`, periodEnd: sql<string>`to_char(${contracts.periodEnd}, 'YYYY-MM-DD')`, status: contracts.status })
    .from(contracts)
    .where(eq(contracts.id, contractId));
  if (!contract) return null;
  const to = asOf < contract.periodEnd ? asOf : contract.periodEnd;
  const scope = { hubId: contract.hubId, from: contract.periodStart, to, year: Number(contract.periodStart.slice(0, 4)) };
  const goalRows = await db.select().from(goals).where(eq(goals.contractId, contractId)).orderBy(asc(goals.number));
  const computed: GoalReport[] = [];
  for (const goal of goalRows) {
    const value = await computeIndicator(db, goal.indicator, scope);
    computed.push({ number: goal.number, group: goal.group, title: goal.title, reporting: goal.reporting, indicatorType: goal.indicator.type, ...value });
  }
  return { contract, asOf: to, goals: computed };
}

/** Every contract, newest period first, with its parties and how many goals it has. */
export async function listContracts(db: Db) {
  const rows = (await db.execute<{ id: string; title: string; hub_id: string; hub: string; kkr_id: string; kkr: string; period_start: string; period_end: string; status: (typeof contractStatuses)[number]; goals: number }>(sql`
    SELECT c.id, c.title, c.hub_id, h.name AS hub, c.kkr_id, k.name AS kkr, to_char(c.period_start, 'YYYY-MM-DD') AS period_start,
      to_char(c.period_end, 'YYYY-MM-DD') AS period_end, c.status, (SELECT count(*)::int FROM contract_goals g WHERE g.contract_id = c.id) AS goals
    FROM contracts c JOIN organisations h ON h.id = c.hub_id JOIN organisations k ON k.id = c.kkr_id
    ORDER BY c.period_start DESC, h.name`)).rows;
  return rows.map((r) => ({ id: r.id, title: r.title, hubId: r.hub_id, kkrId: r.kkr_id, hub: { id: r.hub_id, name: r.hub }, kkr: { id: r.kkr_id, name: r.kkr }, periodStart: r.period_start, periodEnd: r.period_end, status: r.status, goals: Number(r.goals) }));
}

/** A contract with its parties' names and its goal definitions, or null. */
export async function findContract(db: Db, id: string) {
  const [contract] = await db.select().from(contracts).where(eq(contracts.id, id));
  if (!contract) return null;
  const goalRows = await db.select().from(goals).where(eq(goals.contractId, contract.id)).orderBy(asc(goals.number));
  const names = new Map((await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [contract.hubId, contract.kkrId]))).map((o) => [o.id, o.name]));
  return {
    ...contract,
    hub: { id: contract.hubId, name: names.get(contract.hubId) ?? '' },
    kkr: { id: contract.kkrId, name: names.get(contract.kkrId) ?? '' },
    createdAt: contract.createdAt.toISOString(),
    goals: goalRows.map(({ contractId: _c, ...g }) => g),
  };
}

type ContractRow = typeof contracts.$inferSelect;
type StatusReportRow = typeof statusReports.$inferSelect;

/** A contract's own row (no parties' names, no goals), or undefined. */
export async function findContractRecord(db: Db, id: string): Promise<ContractRow | undefined> {
  const [contract] = await db.select().from(contracts).where(eq(contracts.id, id));
  return contract;
}

/** A contract in the import format: its parties by name and its goals in order. */
export async function exportContract(db: Db, contract: ContractRow): Promise<ContractExport> {
  const names = (await db.execute<{ hub: string; kkr: string }>(sql`SELECT h.name AS hub, k.name AS kkr FROM organisations h, organisations k WHERE h.id = ${contract.hubId} AND k.id = ${contract.kkrId}`)).rows[0]!;
  const goalRows = await db.select().from(goals).where(eq(goals.contractId, contract.id)).orderBy(asc(goals.number));
  return { title: contract.title, kkr: names.kkr, hub: names.hub, periodStart: contract.periodStart, periodEnd: contract.periodEnd, goals: goalRows.map((g) => ({ number: g.number, group: g.group, title: g.title, description: g.description, method: g.method, reporting: g.reporting, indicator: g.indicator })) };
}

/** Renames a contract or moves it along its statuses, audited in the same transaction. */
export async function changeContract(db: Db, actor: Actor, contractId: string, change: z.output<typeof contractChangeBody>) {
  await db.transaction(async (tx) => {
    await tx.update(contracts).set(change).where(eq(contracts.id, contractId));
    await audit(tx, actor, { action: 'update', entity: 'contract', entityId: contractId, details: change });
  });
}

/** A contract's goal by its number, or undefined. */
export async function findGoal(db: Db, contractId: string, number: number): Promise<Goal | undefined> {
  const [goal] = await db.select().from(goals).where(and(eq(goals.contractId, contractId), eq(goals.number, number)));
  return goal;
}

/** Replaces a goal's indicator, audited in the same transaction. */
export async function replaceGoalIndicator(db: Db, actor: Actor, contractId: string, goal: Pick<Goal, 'id' | 'number'>, indicator: IndicatorDefinition) {
  await db.transaction(async (tx) => {
    await tx.update(goals).set({ indicator }).where(eq(goals.id, goal.id));
    await audit(tx, actor, { action: 'update', entity: 'contract_goal', entityId: goal.id, details: { contract: contractId, number: goal.number } });
  });
}

/** Every municipality of a hub with its intent declaration for a year, if any, by name. */
export async function intentDeclarationsOf(db: Db, hubId: string, year: number) {
  const rows = (await db.execute<{ code: number; name: string; signed_on: string | null; evaluation_meeting_on: string | null; key_account_manager: string | null; notes: string | null }>(sql`
        SELECT m.code, m.name, to_char(d.signed_on, 'YYYY-MM-DD') AS signed_on, to_char(d.evaluation_meeting_on, 'YYYY-MM-DD') AS evaluation_meeting_on, d.key_account_manager, d.notes
        FROM municipalities m LEFT JOIN intent_declarations d ON d.municipality_code = m.code AND d.hub_id = ${hubId} AND d.year = ${year}
        WHERE m.hub_id = ${hubId} ORDER BY m.name`)).rows;
  return rows.map((r) => ({ municipalityCode: Number(r.code), municipality: r.name, signedOn: r.signed_on, evaluationMeetingOn: r.evaluation_meeting_on, keyAccountManager: r.key_account_manager, notes: r.notes }));
}

/** The hub a municipality belongs to, or undefined for an unknown municipality code. */
export async function municipalityOf(db: Db, code: number): Promise<{ hub_id: string } | undefined> {
  const [municipality] = (await db.execute<{ hub_id: string }>(sql`SELECT hub_id FROM municipalities WHERE code = ${code}`)).rows;
  return municipality;
}

/** Records (or replaces) a municipality's intent declaration for a year, audited in the same transaction. */
export async function recordIntentDeclaration(
  db: Db,
  actor: Actor,
  target: { contractId: string; hubId: string; municipalityCode: number; year: number },
  change: z.output<typeof intentDeclarationBody>,
) {
  const { contractId, hubId, municipalityCode, year } = target;
  const values = { hubId, municipalityCode, year, ...change };
  await db.transaction(async (tx) => {
    await tx.insert(intentDeclarations).values(values).onConflictDoUpdate({ target: [intentDeclarations.hubId, intentDeclarations.municipalityCode, intentDeclarations.year], set: change });
    await audit(tx, actor, { action: 'update', entity: 'intent_declaration', details: { contract: contractId, municipality: municipalityCode, year } });
  });
}

/** A contract's status reports, every version, in no particular order. */
export async function statusReportsOf(db: Db, contractId: string): Promise<StatusReportRow[]> {
  return db.select().from(statusReports).where(eq(statusReports.contractId, contractId));
}

/** A contract's status reports by date, then version. */
export async function statusReportsInOrder(db: Db, contractId: string): Promise<StatusReportRow[]> {
  return db.select().from(statusReports).where(eq(statusReports.contractId, contractId)).orderBy(asc(statusReports.asOf), asc(statusReports.version));
}

/** A status report by id, or undefined. */
export async function findStatusReport(db: Db, id: string): Promise<StatusReportRow | undefined> {
  const [report] = await db.select().from(statusReports).where(eq(statusReports.id, id));
  return report;
}

/** Saves a draft status report of a snapshot, as the next version for its date; audited in the same transaction. */
export async function createStatusReport(db: Db, actor: Actor, contractId: string, snapshot: { asOf: string }): Promise<StatusReportRow> {
  const [row] = await db.transaction(async (tx) => {
    const [{ next }] = (await tx.execute<{ next: number }>(sql`SELECT coalesce(max(version), 0)::int + 1 AS next FROM status_reports WHERE contract_id = ${contractId} AND as_of = ${snapshot.asOf}::date`)).rows as [{ next: number }];
    const inserted = await tx.insert(statusReports).values({ contractId, asOf: snapshot.asOf, version: Number(next), snapshot, createdBy: actor.userId }).returning();
    await audit(tx, actor, { action: 'create', entity: 'status_report', entityId: inserted[0]!.id, details: { contract: contractId, asOf: snapshot.asOf } });
    return inserted;
  });
  return row!;
}

/**
 * Comments a draft status report (and replaces its snapshot when given one); audited in the same
 * transaction. 409 when it has been published meanwhile.
 */
export async function changeStatusReport(
  db: Db,
  actor: Actor,
  report: Pick<StatusReportRow, 'id' | 'goalComments'>,
  change: Pick<z.output<typeof statusReportChangeBody>, 'directorComment' | 'goalComments'>,
  snapshot?: unknown,
): Promise<StatusReportRow> {
  const [updated] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(statusReports)
      .set({
        ...(change.directorComment !== undefined ? { directorComment: change.directorComment } : {}),
        ...(change.goalComments ? { goalComments: { ...report.goalComments, ...change.goalComments } } : {}),
        ...(snapshot ? { snapshot } : {}),
      })
      .where(and(eq(statusReports.id, report.id), eq(statusReports.status, 'draft')))
      .returning();
    if (rows.length === 0) throw conflict('report.published');
    await audit(tx, actor, { action: 'update', entity: 'status_report', entityId: report.id });
    return rows;
  });
  return updated!;
}

/** Publishes a draft status report, freezing it; audited in the same transaction. 409 when it already is. */
export async function publishStatusReport(db: Db, actor: Actor, reportId: string, now: Date): Promise<StatusReportRow> {
  const [published] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(statusReports)
      .set({ status: 'published', publishedAt: now, publishedBy: actor.userId })
      .where(and(eq(statusReports.id, reportId), eq(statusReports.status, 'draft')))
      .returning();
    if (rows.length === 0) throw conflict('report.published');
    await audit(tx, actor, { action: 'publish', entity: 'status_report', entityId: reportId });
    return rows;
  });
  return published!;
}

/** A goal's evidence (links and uploaded files), without the files' content. */
export async function listGoalEvidence(db: Db, goalId: string) {
  return db
    .select({ id: goalEvidence.id, deliverable: goalEvidence.deliverable, url: goalEvidence.url, fileName: goalEvidence.fileName, contentType: goalEvidence.contentType, sizeBytes: goalEvidence.sizeBytes, addedAt: goalEvidence.addedAt })
    .from(goalEvidence)
    .where(eq(goalEvidence.goalId, goalId));
}

export interface EvidenceFile {
  fileName: string;
  contentType: string;
  /** Base64. */
  content: string;
  sizeBytes: number;
}

/** Adds evidence for a goal's deliverable, a link or a checked file; audited in the same transaction. Its id. */
export async function addGoalEvidence(
  db: Db,
  actor: Actor,
  contractId: string,
  goal: Pick<Goal, 'id' | 'number'>,
  evidence: { deliverable: string; url: string | null; file: EvidenceFile | null },
): Promise<string> {
  const { deliverable, url, file } = evidence;
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(goalEvidence)
      .values({ goalId: goal.id, deliverable, url, ...(file ?? {}), addedBy: actor.userId })
      .returning({ id: goalEvidence.id });
    await audit(tx, actor, { action: 'create', entity: 'contract_evidence', entityId: inserted[0]!.id, details: { contract: contractId, goal: goal.number, file: file?.fileName ?? null } });
    return inserted;
  });
  return row!.id;
}

/** One piece of a goal's evidence, with its file's content, or undefined. */
export async function findGoalEvidence(db: Db, goalId: string, evidenceId: string) {
  const [evidence] = await db.select().from(goalEvidence).where(and(eq(goalEvidence.id, evidenceId), eq(goalEvidence.goalId, goalId)));
  return evidence;
}
