import { readFileSync } from 'node:fs';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, HttpProblem } from '../../http/problem.ts';
import { isoDate } from '../engagements/schemas.ts';
import { organisations } from '../organisations/schema.ts';
import { computeIndicator, indicatorSchema, indicatorTypes, type GoalValue } from './indicators.ts';
import { contracts, goalGroups, goals } from './schema.ts';

export const templatePath = new URL('./templates/sydjylland-2020.json', import.meta.url);
export const readTemplate = () => JSON.parse(readFileSync(templatePath, 'utf8')) as unknown;

const goalInput = z.strictObject({
  number: z.number().int().min(1).max(99),
  group: z.enum(goalGroups),
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10_000).default(''),
  method: z.string().max(10_000).default(''),
  reporting: z.enum(['quarterly', 'annual']).default('annual'),
  indicator: z.unknown(),
});
export const contractInput = z.strictObject({
  title: z.string().trim().min(1).max(300),
  kkr: z.string().min(1),
  hub: z.string().min(1),
  // A date that exists: 2026-13-45 would otherwise reach PostgreSQL (SQLSTATE 22008).
  periodStart: isoDate,
  periodEnd: isoDate,
  goals: z.array(goalInput).min(1).max(50),
});
export type ContractInput = z.infer<typeof contractInput>;

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
  group: string;
  title: string;
  reporting: string;
  indicatorType: string;
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
