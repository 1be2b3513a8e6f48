import { readFileSync } from 'node:fs';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, HttpProblem } from '../../http/problem.ts';
import { organisations } from '../organisations/schema.ts';
import { indicatorSchema, indicatorTypes, type IndicatorDefinition } from './indicator-types.ts';
import { computeIndicator, type GoalValue } from './indicators.ts';
import { contracts, type contractStatuses, goals } from './schema.ts';
import type { ContractInput } from './schemas.ts';

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
  else if (periodEnd < periodStart) issues.push({ field: fields.end, key: 'contract.periodOrder' });
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
