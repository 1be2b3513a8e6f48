/**
 * Contract figures as aggregate-only readers (KKR, national authorities) may see them
 * (server/policies/disclosure.ts): a figure resting on fewer than 5 companies is shown as "fewer
 * than 5" instead of its value, and neither its fulfilment nor its trend is shown; a part of a
 * breakdown that would let one work out such a figure from the total is withheld too.
 * The hub itself sees every figure. Applied when reading, so stored snapshots keep the real figures.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { DISCLOSURE_LIMIT, flatTable, isMonthEnd, protectTable, shownInSequence, shownOverTime } from '../../policies/disclosure.ts';
import { contributionsOf, type BreakdownPart, type Withheld } from './indicators.ts';
import { contracts, goals, statusReports } from './schema.ts';
import type { GoalReport } from './service.ts';

export type SnapshotGoal = GoalReport & {
  trend: number | null;
  /** The basis of the value the trend is measured from (the previous published report's). */
  previousBasis?: number | null;
};

export type DisclosedGoal = SnapshotGoal & { suppressed: boolean; withheld: Withheld };

const countsCompanies = ['nps', 'effect_share', 'guided_companies', 'engagements', 'referrals'];
const partsCountCompanies = ['nps', 'effect_share', 'guided_companies'];

/** How many companies a stored goal's value rests on. Snapshots from before bases were recorded fall back to their counts. */
export function basisOf(goal: Pick<GoalReport, 'indicatorType' | 'value' | 'breakdown'> & { basis?: number | null }): number | null {
  if (goal.basis !== undefined) return goal.basis;
  if (!countsCompanies.includes(goal.indicatorType)) return null;
  if (goal.indicatorType === 'nps' || goal.indicatorType === 'effect_share') return goal.breakdown[0]?.value ?? 0;
  return goal.value ?? 0;
}

function partBasis(goal: SnapshotGoal, part: BreakdownPart): number | null {
  if (part.basis !== undefined) return part.basis;
  return partsCountCompanies.includes(goal.indicatorType) ? part.value : null;
}

/** Whether a figure resting on `basis` companies is shown as "fewer than 5" (an empty figure, 0, discloses nobody). */
export const fewerThanLimit = (basis: number | null | undefined) => basis !== null && basis !== undefined && basis > 0 && basis < DISCLOSURE_LIMIT;

/** The goal for everyone else: every figure, and the flags saying nothing is withheld. */
export function openGoal(goal: SnapshotGoal): DisclosedGoal {
  const { previousBasis: _previous, ...rest } = goal;
  return { ...rest, suppressed: false, withheld: null, breakdown: goal.breakdown.map((p) => ({ ...p, withheld: null })) };
}

/**
 * Whether a goal's figure (and each part of its breakdown, by label) may be shown at one date, given
 * the other dates a reader can see it at (`shownOverTime`); `previous`: whether the previous published
 * report's figure, which the trend is measured from, may be.
 */
export interface GoalOverTime {
  value: boolean;
  parts: Map<string, boolean>;
  previous: boolean | null;
}

/** The goal as an aggregate-only reader sees it. */
export function discloseGoal(goal: SnapshotGoal, overTime?: GoalOverTime): DisclosedGoal {
  const basis = basisOf(goal);
  const fewer = fewerThanLimit(basis);
  const hidden = fewer || overTime?.value === false;
  // The breakdown's parts and the goal's own value add up like cells and their total.
  const parts = goal.breakdown.map((p, i) => ({ key: String(i), basis: partBasis(goal, p), overTime: overTime?.parts.get(p.label) }));
  const counted = parts.filter((p): p is { key: string; basis: number; overTime: boolean | undefined } => p.basis !== null);
  const decided = new Map<string, boolean>(counted.filter((p) => p.overTime === false && p.basis > 0).map((p) => [p.key, true]));
  if (hidden && basis !== null && basis > 0) decided.set('*', true);
  const suppressedParts = counted.length && basis !== null ? protectTable(flatTable({ key: '*', size: basis }, counted.map((p) => ({ key: p.key, size: p.basis }))), DISCLOSURE_LIMIT, decided) : new Set<string>();
  const breakdown: BreakdownPart[] = goal.breakdown.map((p, i) => {
    if (!suppressedParts.has(String(i))) return { ...p, withheld: null };
    return { label: p.label, value: null, target: p.target, basis: null, withheld: fewerThanLimit(partBasis(goal, p)) ? 'fewer_than_5' : 'suppressed' };
  });
  const partHidden = breakdown.some((p) => p.withheld);
  const fromParts = goal.fulfilmentFromParts ?? (goal.indicatorType === 'guided_companies' && goal.breakdown.some((p) => p.target !== null));
  // A trend is the difference of two figures: with either of them hidden, it would give it away.
  // Snapshots from before bases were recorded do not know the previous one's: no trend then.
  const previousHidden = (goal.previousBasis === undefined ? basis !== null : fewerThanLimit(goal.previousBasis)) || overTime?.previous === false;
  const { previousBasis: _previous, ...rest } = goal;
  return {
    ...rest,
    value: hidden ? null : goal.value,
    basis: hidden ? null : basis,
    fulfilment: hidden || (fromParts && partHidden) ? null : goal.fulfilment,
    trend: hidden || previousHidden ? null : goal.trend,
    breakdown,
    suppressed: hidden,
    // Fewer than 5 companies, or (over time) a figure that would give away fewer than 5 added since the last one shown.
    withheld: fewer ? 'fewer_than_5' : hidden ? 'suppressed' : null,
  };
}

/**
 * A snapshot's goals as `controlled` (aggregate-only) or other readers see them; `overTime` (from
 * `overTimeFor`, by goal number) withholds figures that would differ from another date's by too few.
 */
export function discloseGoals<T extends { goals: SnapshotGoal[] }>(snapshot: T, controlled: boolean, overTime?: Map<number, GoalOverTime>): Omit<T, 'goals'> & { goals: DisclosedGoal[] } {
  return { ...snapshot, goals: snapshot.goals.map((g) => (controlled ? discloseGoal(g, overTime?.get(g.number)) : openGoal(g))) };
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/**
 * For each of `dates` (a live report's or published reports' as-of dates), which goals' figures an
 * aggregate-only reader may see there without being able to subtract another date's figure to get
 * fewer than 5 companies' worth. The dates a reader can see a contract's figures at: the end of every
 * month of the contract that has ended (live reports) and the published status reports' dates.
 * Computed from live data, so a frozen report is judged by what was added around its date.
 */
export async function overTimeFor(db: Db, contractId: string, dates: readonly string[], today: string): Promise<Map<string, Map<number, GoalOverTime>>> {
  const result = new Map<string, Map<number, GoalOverTime>>();
  const [contract] = await db.select().from(contracts).where(eq(contracts.id, contractId));
  if (!contract) return result;
  const clamp = (d: string) => (d < contract.periodEnd ? d : contract.periodEnd);
  const reports = (await db.select().from(statusReports).where(eq(statusReports.contractId, contractId))).map((r) => ({
    ...r,
    snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as { goals: SnapshotGoal[] },
  }));
  const published = reports.filter((r) => r.status === 'published').sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : a.version - b.version));
  const publishedDates = [...new Set(published.map((r) => clamp(r.asOf)))].sort();
  // The trend is measured from the frozen figure of the latest published report before the date.
  const frozen = publishedOverTime(published);
  const monthEnds: string[] = [];
  for (let y = Number(contract.periodStart.slice(0, 4)), m = Number(contract.periodStart.slice(5, 7)); ; m === 12 ? (y++, (m = 1)) : m++) {
    const end = lastDay(y, m);
    if (end >= today || end > contract.periodEnd) break;
    monthEnds.push(end);
  }
  if (contract.periodEnd < today && !isMonthEnd(contract.periodEnd)) monthEnds.push(contract.periodEnd);
  const points = [...new Set([...monthEnds, ...publishedDates, ...dates.map(clamp)])].filter((d) => d >= contract.periodStart).sort();
  if (points.length === 0) return result;
  const goalRows = await db.select().from(goals).where(eq(goals.contractId, contractId)).orderBy(asc(goals.number));
  const perGoal = new Map<number, { value: Map<string, boolean>; parts: Map<string, Map<string, boolean>> }>();
  for (const goal of goalRows) {
    const made = await contributionsOf(db, goal.indicator, { hubId: contract.hubId, from: contract.periodStart, to: points.at(-1)! });
    if (!made) continue;
    perGoal.set(goal.number, { value: shownOverTime(points, made.value), parts: new Map([...made.parts].map(([label, c]) => [label, shownOverTime(points, c)])) });
  }
  for (const date of dates) {
    const at = clamp(date);
    const previous = published.filter((r) => r.asOf < at).at(-1) ?? null;
    const byGoal = new Map<number, GoalOverTime>();
    for (const [number, g] of perGoal) {
      byGoal.set(number, {
        value: g.value.get(at) ?? true,
        parts: new Map([...g.parts].map(([label, shown]) => [label, shown.get(at) ?? true])),
        previous: previous === null ? null : (frozen.get(previous.id)?.get(number)?.value ?? true),
      });
    }
    result.set(date, byGoal);
  }
  return result;
}

/** The counts a stored goal's figure shows: its basis first, then the counts a reader could subtract. */
function measures(goal: SnapshotGoal): number[] | null {
  const basis = basisOf(goal);
  if (basis === null) return null;
  if (goal.indicatorType === 'nps' || goal.indicatorType === 'effect_share') return [basis, goal.breakdown[0]?.value ?? 0];
  return [basis, goal.value ?? 0];
}

/**
 * Published status reports are frozen: each is judged against the published reports before it
 * (by date, then version) by its own figures, so later data never changes what a reader sees of it.
 * Returns, per report id, whether each goal's figure (and part, by label) may be shown there.
 */
export function publishedOverTime(reports: readonly { id: string; asOf: string; version: number; status: string; snapshot: { goals: SnapshotGoal[] } }[]): Map<string, Map<number, GoalOverTime>> {
  const published = reports.filter((r) => r.status === 'published').sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : a.version - b.version));
  const numbers = new Set(published.flatMap((r) => r.snapshot.goals.map((g) => g.number)));
  const shown = new Map<string, Map<number, GoalOverTime>>(published.map((r) => [r.id, new Map()]));
  for (const number of numbers) {
    const goalsOf = published.map((r) => r.snapshot.goals.find((g) => g.number === number));
    const series = goalsOf.map((g) => (g ? measures(g) : null));
    if (series.every((m) => m === null)) continue;
    const value = shownInSequence(series.map((m) => m ?? [0]));
    const labels = new Set(goalsOf.flatMap((g) => g?.breakdown.map((p) => p.label) ?? []));
    const parts = new Map<string, boolean[]>();
    for (const label of labels) {
      parts.set(label, shownInSequence(goalsOf.map((g) => {
        const part = g?.breakdown.find((p) => p.label === label);
        const b = g && part ? partBasis(g, part) : null;
        return b === null ? [0] : [b, part?.value ?? 0];
      })));
    }
    published.forEach((r, i) => {
      shown.get(r.id)!.set(number, {
        value: value[i]!,
        parts: new Map([...parts].map(([label, s]) => [label, s[i]!])),
        // The trend is measured from the latest published report of an earlier date.
        previous: (() => {
          for (let j = i - 1; j >= 0; j--) if (published[j]!.asOf < r.asOf) return value[j]!;
          return null;
        })(),
      });
    });
  }
  return shown;
}
