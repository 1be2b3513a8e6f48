/**
 * Contract figures as aggregate-only readers (KKR, national authorities) may see them
 * (server/policies/disclosure.ts): a figure resting on fewer than 5 companies is shown as "fewer
 * than 5" instead of its value, and neither its fulfilment nor its trend is shown; a part of a
 * breakdown that would let one work out such a figure from the total (or from the total and the
 * other parts: the companies in no part, or in two) is withheld too; and a figure that differs by
 * 1–4 companies from another figure of the same hub they can see (the same figure at another date,
 * or one of another goal or contract whose population contains it or lies within it) is withheld.
 * The hub itself sees every figure. Applied when reading, so stored snapshots keep the real figures.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { DISCLOSURE_LIMIT, isMonthEnd, protectBreakdown, shownAlong, shownInSequence, shownOverTime } from '../../policies/disclosure.ts';
import { protectedHubMonths } from '../evaluations/aggregate.ts';
import { contributionsOf, filterContains, filterKey, seriesOf, type BreakdownPart, type Contributions, type FigureFilter, type Withheld } from './indicators.ts';
import { contracts, goals, statusReports } from './schema.ts';
import type { GoalReport } from './service.ts';

export type SnapshotGoal = GoalReport & {
  trend: number | null;
  /** The basis of the value the trend is measured from (the previous published report's). */
  previousBasis?: number | null;
};

/** What a reader gets: never what the breakdown is made of (`cells`), nor the previous basis. */
export type DisclosedGoal = Omit<SnapshotGoal, 'cells' | 'previousBasis'> & { suppressed: boolean; withheld: Withheld };

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
  const { previousBasis: _previous, cells: _cells, ...rest } = goal;
  return { ...rest, suppressed: false, withheld: null, breakdown: goal.breakdown.map((p) => ({ ...p, withheld: null })) };
}

/**
 * Whether a goal's figure (and each part of its breakdown, by label) may be shown at one date, given
 * the other figures a reader can see (`overTimeFor`); `cells`: whether each group of companies the
 * breakdown is made of (by `cellKey`) may be worked out there; `previous`: whether the previous
 * published report's figure, which the trend is measured from, may be.
 */
export interface GoalOverTime {
  value: boolean;
  parts: Map<string, boolean>;
  cells?: Map<string, boolean>;
  previous: boolean | null;
}

/** A group of companies a breakdown is made of, by the labels of the parts they count in (`[]`: in none). */
export const cellKey = (labels: readonly string[]) => JSON.stringify([...labels].sort());

/**
 * The disjoint groups of companies a stored goal's breakdown is made of (`sizes`: the parts' bases).
 * Snapshots from before they were recorded: each part its own group and the rest of the total the
 * remainder, or null when the parts add up to more than the total (companies in two parts, unknown).
 */
function cellsOf(goal: SnapshotGoal, sizes: readonly number[], basis: number): { parts: number[]; size: number }[] | null {
  if (goal.cells) return goal.cells.map((c) => ({ parts: c.parts, size: c.basis }));
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum > basis) return null;
  return [...sizes.map((size, i) => ({ parts: [i], size })), { parts: [], size: basis - sum }].filter((c) => c.size > 0);
}

/** The goal as an aggregate-only reader sees it. */
export function discloseGoal(goal: SnapshotGoal, overTime?: GoalOverTime): DisclosedGoal {
  const basis = basisOf(goal);
  const fewer = fewerThanLimit(basis);
  let hidden = fewer || overTime?.value === false;
  // The breakdown's parts, the goal's own value and what the parts leave out (or count twice) add up
  // like cells and their total.
  const bases = goal.breakdown.map((p) => partBasis(goal, p));
  let suppressedParts = new Set<number>();
  if (basis !== null && bases.some((b) => b !== null)) {
    const sizes = bases.map((b) => b ?? 0);
    const cells = cellsOf(goal, sizes, basis);
    if (cells === null) suppressedParts = new Set(sizes.flatMap((size, i) => (size > 0 ? [i] : [])));
    else {
      const labelsOf = (parts: readonly number[]) => parts.map((i) => goal.breakdown[i]?.label ?? String(i));
      const protectedParts = protectBreakdown(
        { total: basis, parts: sizes, cells },
        {
          total: hidden && basis > 0,
          parts: goal.breakdown.flatMap((p, i) => (overTime?.parts.get(p.label) === false ? [i] : [])),
          cells: cells.flatMap((c, j) => (overTime?.cells?.get(cellKey(labelsOf(c.parts))) === false ? [j] : [])),
        },
      );
      suppressedParts = protectedParts.parts;
      // When no part can hide what the others give away, the whole goes.
      hidden ||= protectedParts.total;
    }
  }
  const breakdown: BreakdownPart[] = goal.breakdown.map((p, i) => {
    if (!suppressedParts.has(i)) return { ...p, withheld: null };
    return { label: p.label, value: null, target: p.target, basis: null, withheld: fewerThanLimit(partBasis(goal, p)) ? 'fewer_than_5' : 'suppressed' };
  });
  const partHidden = breakdown.some((p) => p.withheld);
  const fromParts = goal.fulfilmentFromParts ?? (goal.indicatorType === 'guided_companies' && goal.breakdown.some((p) => p.target !== null));
  // A trend is the difference of two figures: with either of them hidden, it would give it away.
  // Snapshots from before bases were recorded do not know the previous one's: no trend then.
  const previousHidden = (goal.previousBasis === undefined ? basis !== null : fewerThanLimit(goal.previousBasis)) || overTime?.previous === false;
  const { previousBasis: _previous, cells: _cells, ...rest } = goal;
  return {
    ...rest,
    value: hidden ? null : goal.value,
    basis: hidden ? null : basis,
    fulfilment: hidden || (fromParts && partHidden) ? null : goal.fulfilment,
    trend: hidden || previousHidden ? null : goal.trend,
    breakdown,
    suppressed: hidden,
    // Fewer than 5 companies, or a figure that would give away fewer than 5 (over time, beside another figure, or as a remainder).
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

/** Indicators computed from evaluation answers (./indicators.ts): figures the protected evaluation table holds too. */
export const fromEvaluations = (indicatorType: string) => indicatorType === 'nps' || indicatorType === 'effect_share';

/**
 * Contract goals computed from evaluation answers against the protected evaluation table
 * (../evaluations/aggregate.ts). Such a goal for hub H as of a month end is the sum of the cells
 * (H, month) of the table by hub from the contract's start to that month end, so it is shown only
 * when every one of those cells is shown to readers under disclosure control: then it tells nothing
 * the table does not. Otherwise (a month cell suppressed, a month not ended yet, or a date that is
 * not a month end, whose part of a month no cell holds) it is withheld, and so is a trend measured
 * from a figure that is. Published reports are judged alike, by the live table decisions for their
 * date. The returned function answers for one request, computing each year's table once.
 */
export function evaluationTable(db: Db, contract: { hubId: string; periodStart: string; periodEnd: string }, today: string): (asOf: string) => Promise<boolean> {
  const shownMonths = protectedHubMonths(db, today);
  const cache = new Map<string, Promise<boolean>>();
  return (asOf) => {
    const at = asOf < contract.periodEnd ? asOf : contract.periodEnd;
    let shown = cache.get(at);
    if (!shown) {
      // Before the contract starts it counts nothing.
      shown = at < contract.periodStart ? Promise.resolve(true) : isMonthEnd(at) ? shownMonths(contract.hubId, contract.periodStart, at) : Promise.resolve(false);
      cache.set(at, shown);
    }
    return shown;
  };
}

/**
 * `overTime` with a snapshot's evaluation goals withheld where the protected evaluation table says so
 * (`evaluationTable`): at the snapshot's date, and the trend from the published report before it
 * (`previousAsOf`, null: none).
 */
export async function withEvaluationTable(shownAt: (asOf: string) => Promise<boolean>, snapshot: { asOf: string; goals: readonly SnapshotGoal[] }, previousAsOf: string | null, overTime?: Map<number, GoalOverTime>): Promise<Map<number, GoalOverTime>> {
  const result = new Map(overTime ?? []);
  if (!snapshot.goals.some((g) => fromEvaluations(g.indicatorType))) return result;
  const shown = await shownAt(snapshot.asOf);
  const previousShown = previousAsOf === null ? null : await shownAt(previousAsOf);
  for (const g of snapshot.goals) {
    if (!fromEvaluations(g.indicatorType)) continue;
    const o = result.get(g.number) ?? { value: true, parts: new Map<string, boolean>(), previous: null };
    result.set(g.number, {
      ...o,
      value: o.value && shown,
      parts: shown ? o.parts : new Map(g.breakdown.map((p) => [p.label, false])),
      previous: previousShown === false ? false : o.previous,
    });
  }
  return result;
}

/** The date of the latest published report before `asOf`, which a report's trend is measured from. */
export const previousPublished = (reports: readonly { asOf: string; status: string }[], asOf: string) =>
  reports.filter((r) => r.status === 'published' && r.asOf < asOf).reduce<string | null>((latest, r) => (latest === null || r.asOf > latest ? r.asOf : latest), null);

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** The ends of the months of a contract's period that have ended before `today`, and its end once it has. */
function monthEndsOf(contract: { periodStart: string; periodEnd: string }, today: string): string[] {
  const ends: string[] = [];
  for (let y = Number(contract.periodStart.slice(0, 4)), m = Number(contract.periodStart.slice(5, 7)); ; m === 12 ? (y++, (m = 1)) : m++) {
    const end = lastDay(y, m);
    if (end >= today || end > contract.periodEnd) break;
    ends.push(end);
  }
  if (contract.periodEnd < today && !isMonthEnd(contract.periodEnd)) ends.push(contract.periodEnd);
  return ends;
}

/**
 * Whether aggregate-only readers may have seen any of a contract's figures: a month of its period has
 * ended, or a status report is published. From then on what its goals count is fixed (the figures
 * shown are compared with the hub's others in the order they were first seen, ./routes.ts refuses
 * the change): a goal counting something else would be an old figure never compared with what was
 * shown after it, and the figure it replaced would no longer protect the others.
 */
export async function figuresMayHaveBeenSeen(db: Db, contract: { id: string; periodStart: string; periodEnd: string }, today: string): Promise<boolean> {
  if (monthEndsOf(contract, today).length > 0) return true;
  const published = await db.select({ id: statusReports.id }).from(statusReports).where(and(eq(statusReports.contractId, contract.id), eq(statusReports.status, 'published'))).limit(1);
  return published.length > 0;
}

/**
 * One population a reader can see counted as of several dates: a goal's value or a part of its
 * breakdown, by what it counts (`kind`, `filter`) from the start of a contract's period. Every goal
 * and contract of the hub counting the same from the same start shows the same figure at a date.
 */
interface Series {
  kind: string;
  filter: FigureFilter;
  from: string;
  companiesOnly: boolean;
  /** For every company, the dates it added to the figure (complete up to `to`). */
  contributions: Contributions;
  to: string;
  /** The dates a reader can see it at, and since when (the moment the contract was made, for dates before it). */
  points: Map<string, string>;
  /** Which figure was there first: contracts in the order they were made, then goals, then parts. */
  order: number;
}

/**
 * Whether two figures of nested populations (`outer` as of `tOuter` counts everything `inner` as of
 * `tInner` counts) differ by 1 to limit−1 companies: those counted in the outer and not in the inner,
 * or, for figures counting events (answers, engagements, referrals), those whose events make the
 * difference.
 */
function differsByFew(outer: Series, tOuter: string, inner: Series, tInner: string, limit = DISCLOSURE_LIMIT): boolean {
  let fresh = 0;
  let resting = 0;
  for (const [unit, dates] of outer.contributions) {
    const inOuter = dates.filter((d) => d <= tOuter);
    if (inOuter.length === 0) continue;
    const inInner = (inner.contributions.get(unit) ?? []).filter((d) => d <= tInner);
    if (inInner.length === 0) fresh++;
    if (!outer.companiesOnly && inOuter.some((d) => !inInner.includes(d))) resting++;
  }
  return [fresh, resting].some((n) => n > 0 && n < limit);
}

/**
 * For each of `dates` (a live report's or published reports' as-of dates), which goals' figures an
 * aggregate-only reader may see there without being able to subtract another figure they can see to
 * get fewer than 5 companies' worth. The figures a reader can see are the hub's: every contract's
 * goals and parts at the end of every month of its period that has ended (live reports) and at its
 * published status reports' dates. Computed from live data, so a frozen report is judged by what was
 * added around its date.
 *
 * - Over time: the same population counted at two dates (`shownOverTime`, over the dates of every
 *   contract that counts it).
 * - Nested populations: two figures of the same kind where one counts everything the other does (a
 *   filter containing the other's, e.g. municipalities [540, 580] and [540], or all engagements and
 *   the specialised ones; a period containing the other's, e.g. a contract from 1 January and one
 *   from 1 March) must not differ by 1–4 companies. Figures are settled in the order a reader could
 *   first see them (the later of the date's end and the moment the contract was made; then older
 *   contracts, lower goal numbers, the value before its parts), each against the ones settled before
 *   it that are shown; a figure that would differ from one of them by 1–4 companies is withheld. So
 *   what was shown stays, and a contract made later never hides an older contract's figures.
 * - What a breakdown is made of: each group of companies counted in exactly the same parts (the
 *   remainder: in none) is worked out as the whole minus the parts, so it must not change by 1–4
 *   companies between two dates either; where it would, it must not be worked out there
 *   (`protectBreakdown` withholds a part).
 */
export async function overTimeFor(db: Db, contractId: string, dates: readonly string[], today: string): Promise<Map<string, Map<number, GoalOverTime>>> {
  const result = new Map<string, Map<number, GoalOverTime>>();
  const [contract] = await db.select().from(contracts).where(eq(contracts.id, contractId));
  if (!contract) return result;
  const clamp = (d: string) => (d < contract.periodEnd ? d : contract.periodEnd);
  // Two figures can only nest when their contracts' periods overlap; the contracts linked to this one
  // by overlapping periods are all that can decide what it shows.
  const allOfHub = await db.select().from(contracts).where(eq(contracts.hubId, contract.hubId)).orderBy(asc(contracts.createdAt), asc(contracts.id));
  const linked = new Set([contract.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of allOfHub) {
      if (linked.has(c.id) || !allOfHub.some((l) => linked.has(l.id) && l.periodStart <= c.periodEnd && c.periodStart <= l.periodEnd)) continue;
      linked.add(c.id);
      grew = true;
    }
  }
  const hubContracts = allOfHub.filter((c) => linked.has(c.id));
  const reports = (await db.select().from(statusReports).where(inArray(statusReports.contractId, hubContracts.map((c) => c.id)))).map((r) => ({
    ...r,
    snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as { goals: SnapshotGoal[] },
  }));
  const publishedOf = (id: string) => reports.filter((r) => r.contractId === id && r.status === 'published').sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : a.version - b.version));

  // Every figure of the hub a reader can see, by the population it counts.
  const series = new Map<string, Series>();
  const own = new Map<number, { value: Series; parts: Map<string, Series>; made: { value: Contributions; parts: Map<string, Contributions> }; points: string[] }>();
  for (const c of hubContracts) {
    const within = (d: string) => (d < c.periodEnd ? d : c.periodEnd);
    const points = [...new Set([...monthEndsOf(c, today), ...publishedOf(c.id).map((r) => within(r.asOf)), ...(c.id === contractId ? dates.map(clamp) : [])])].filter((d) => d >= c.periodStart).sort();
    if (points.length === 0) continue;
    const last = points.at(-1)!;
    const made = c.createdAt.toISOString();
    for (const goal of await db.select().from(goals).where(eq(goals.contractId, c.id)).orderBy(asc(goals.number))) {
      const kind = seriesOf(goal.indicator);
      if (!kind) continue;
      const counted = await contributionsOf(db, goal.indicator, { hubId: c.hubId, from: c.periodStart, to: last });
      if (!counted) continue;
      const register = (filter: FigureFilter, contributions: Contributions) => {
        const key = JSON.stringify([kind.kind, filterKey(filter), c.periodStart]);
        let s = series.get(key);
        if (!s) {
          s = { kind: kind.kind, filter, from: c.periodStart, companiesOnly: kind.companiesOnly, contributions, to: last, points: new Map(), order: series.size };
          series.set(key, s);
        } else if (last > s.to) {
          s.contributions = contributions;
          s.to = last;
        }
        for (const t of points) {
          // A month end can be read once the day is over; the contract's figures once it is made.
          const over = `${t}T23:59:59.999Z`;
          const seen = over > made ? over : made;
          if (!s.points.has(t) || seen < s.points.get(t)!) s.points.set(t, seen);
        }
        return s;
      };
      const value = register(kind.value, counted.value);
      const parts = new Map([...counted.parts].map(([label, contributions]) => [label, register(kind.part(label), contributions)]));
      if (c.id === contractId) own.set(goal.number, { value, parts, made: counted, points });
    }
  }

  // Settle every figure in the order a reader could first see it.
  const all = [...series.values()];
  const overTime = new Map(all.map((s) => [s, shownOverTime([...s.points.keys()], s.contributions)]));
  const related = new Map(
    all.map((s) => [
      s,
      all.flatMap((r) => {
        if (r === s || r.kind !== s.kind) return [];
        const outer = filterContains(r.filter, s.filter) && r.from <= s.from;
        const inner = filterContains(s.filter, r.filter) && s.from <= r.from;
        return outer || inner ? [{ r, outer, inner }] : [];
      }),
    ]),
  );
  const nodes = all.flatMap((s) => [...s.points].map(([t, seen]) => ({ s, t, seen }))).sort((a, b) => (a.seen < b.seen ? -1 : a.seen > b.seen ? 1 : a.t < b.t ? -1 : a.t > b.t ? 1 : a.s.order - b.s.order));
  const shown = new Map(all.map((s) => [s, new Map<string, boolean>()]));
  for (const { s, t } of nodes) {
    let ok = overTime.get(s)!.get(t) ?? true;
    for (const { r, outer, inner } of ok ? related.get(s)! : []) {
      for (const [t2, seen] of shown.get(r)!) {
        if (!seen) continue;
        if ((outer && t2 >= t && differsByFew(r, t2, s, t)) || (inner && t >= t2 && differsByFew(s, t, r, t2))) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    shown.get(s)!.set(t, ok);
  }

  // What the requested contract's breakdowns are made of, over the dates their values are seen at.
  const cellsShown = new Map<number, Map<string, Map<string, boolean>>>();
  for (const [number, g] of own) {
    if (!g.value.companiesOnly || g.made.parts.size === 0) continue;
    const points = [...new Set([...g.points, ...[...g.value.points.keys()].filter((t) => t <= g.points.at(-1)!)])].sort();
    const entries = [...g.made.value].map(([unit, days]) => ({ entry: days.reduce((a, b) => (b < a ? b : a)), parts: [...g.made.parts].flatMap(([label, c]) => (c.has(unit) ? [{ label, day: c.get(unit)!.reduce((a, b) => (b < a ? b : a)) }] : [])) }));
    const keyAt = (e: (typeof entries)[number], t: string | null) => (t === null || e.entry > t ? null : cellKey(e.parts.filter((p) => p.day <= t).map((p) => p.label)));
    const keys = new Set(points.flatMap((t) => entries.map((e) => keyAt(e, t)).filter((k): k is string => k !== null)));
    const byKey = new Map<string, Map<string, boolean>>();
    for (const key of keys) {
      byKey.set(key, shownAlong(points, (t) => entries.filter((e) => keyAt(e, t) === key).length, (last, t) => [entries.filter((e) => (keyAt(e, last) === key) !== (keyAt(e, t) === key)).length]));
    }
    cellsShown.set(number, byKey);
  }

  const published = publishedOf(contractId);
  const frozen = publishedOverTime(published);
  for (const date of dates) {
    const at = clamp(date);
    const previous = published.filter((r) => r.asOf < at).at(-1) ?? null;
    const byGoal = new Map<number, GoalOverTime>();
    for (const [number, g] of own) {
      byGoal.set(number, {
        value: shown.get(g.value)!.get(at) ?? true,
        parts: new Map([...g.parts].map(([label, s]) => [label, shown.get(s)!.get(at) ?? true])),
        cells: new Map([...(cellsShown.get(number) ?? new Map<string, Map<string, boolean>>())].map(([key, chain]) => [key, chain.get(at) ?? true])),
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
    // What the breakdowns are made of (the remainder, the companies in two parts), by their frozen sizes.
    const cellSizes = goalsOf.map((g) => {
      const sizes = new Map<string, number>();
      const basis = g ? basisOf(g) : null;
      if (!g || basis === null) return sizes;
      const bases = g.breakdown.map((p) => partBasis(g, p));
      if (!bases.some((b) => b !== null)) return sizes;
      for (const c of cellsOf(g, bases.map((b) => b ?? 0), basis) ?? []) sizes.set(cellKey(c.parts.map((i) => g.breakdown[i]?.label ?? String(i))), c.size);
      return sizes;
    });
    const cells = new Map([...new Set(cellSizes.flatMap((m) => [...m.keys()]))].map((key) => [key, shownInSequence(cellSizes.map((m) => [m.get(key) ?? 0]))]));
    published.forEach((r, i) => {
      shown.get(r.id)!.set(number, {
        value: value[i]!,
        parts: new Map([...parts].map(([label, s]) => [label, s[i]!])),
        cells: new Map([...cells].map(([key, s]) => [key, s[i]!])),
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
