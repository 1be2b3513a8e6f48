/**
 * Contract figures as aggregate-only readers (KKR, national authorities) may see them
 * (server/policies/disclosure.ts): a figure resting on fewer than 5 companies is shown as "fewer
 * than 5" instead of its value, and neither its fulfilment nor its trend is shown; a part of a
 * breakdown that would let one work out such a figure from the total is withheld too.
 * The hub itself sees every figure. Applied when reading, so stored snapshots keep the real figures.
 */
import { DISCLOSURE_LIMIT, flatTable, protectTable } from '../../policies/disclosure.ts';
import type { BreakdownPart, Withheld } from './indicators.ts';
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

/** The goal as an aggregate-only reader sees it. */
export function discloseGoal(goal: SnapshotGoal): DisclosedGoal {
  const basis = basisOf(goal);
  const hidden = fewerThanLimit(basis);
  // The breakdown's parts and the goal's own value add up like cells and their total.
  const parts = goal.breakdown.map((p, i) => ({ key: String(i), basis: partBasis(goal, p) }));
  const counted = parts.filter((p): p is { key: string; basis: number } => p.basis !== null);
  const suppressedParts = counted.length && basis !== null ? protectTable(flatTable({ key: '*', size: basis }, counted.map((p) => ({ key: p.key, size: p.basis })))) : new Set<string>();
  const breakdown: BreakdownPart[] = goal.breakdown.map((p, i) => {
    if (!suppressedParts.has(String(i))) return { ...p, withheld: null };
    return { label: p.label, value: null, target: p.target, basis: null, withheld: fewerThanLimit(partBasis(goal, p)) ? 'fewer_than_5' : 'suppressed' };
  });
  const partHidden = breakdown.some((p) => p.withheld);
  const fromParts = goal.fulfilmentFromParts ?? (goal.indicatorType === 'guided_companies' && goal.breakdown.some((p) => p.target !== null));
  // A trend is the difference of two figures: with either of them hidden, it would give it away.
  // Snapshots from before bases were recorded do not know the previous one's: no trend then.
  const previousHidden = goal.previousBasis === undefined ? basis !== null : fewerThanLimit(goal.previousBasis);
  const { previousBasis: _previous, ...rest } = goal;
  return {
    ...rest,
    value: hidden ? null : goal.value,
    basis: hidden ? null : basis,
    fulfilment: hidden || (fromParts && partHidden) ? null : goal.fulfilment,
    trend: hidden || previousHidden ? null : goal.trend,
    breakdown,
    suppressed: hidden,
    withheld: hidden ? 'fewer_than_5' : null,
  };
}

/** A snapshot's goals as `controlled` (aggregate-only) or other readers see them. */
export function discloseGoals<T extends { goals: SnapshotGoal[] }>(snapshot: T, controlled: boolean): Omit<T, 'goals'> & { goals: DisclosedGoal[] } {
  return { ...snapshot, goals: snapshot.goals.map(controlled ? discloseGoal : openGoal) };
}
