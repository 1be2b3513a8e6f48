/**
 * Statistical disclosure control for aggregate-only readers (PRODUCT.md, "Who may see what", rule 4).
 *
 * Pure functions, no database: callers describe a table as cells (how many companies each rests on)
 * and partitions (a total and the cells that add up to it), and get back which cells to suppress.
 * Every endpoint that shows figures to KKR and national readers goes through `protectTable`, so the
 * rule lives in one place:
 *
 * 1. Primary suppression: a non-empty cell resting on fewer than `DISCLOSURE_LIMIT` companies.
 * 2. Complementary suppression: in every partition, if exactly one cell is suppressed, or the
 *    suppressed cells together rest on fewer than the limit, further cells are suppressed, smallest
 *    first, until at least two are and they rest on at least the limit together, or all are.
 *    A suppressed total counts as a suppressed cell to protect: its cells may then not all be shown
 *    (they would add up to it), so the same rule applies below it.
 * 3. Repeated over all partitions until nothing changes, so a table with several ways of adding up
 *    (groups within a period, months within a quarter, municipalities within a hub) is consistent.
 *
 * An empty cell (no companies) is not a cell: it discloses nobody and is not used to protect others.
 * Totals are cells too: a total resting on fewer than the limit is suppressed like any other cell.
 */


/** Figures resting on fewer companies than this are never shown to aggregate-only readers. */
export const DISCLOSURE_LIMIT = 5;

export interface Partition {
  /** The key of the total cell (published or derivable elsewhere). */
  total: string;
  /** The keys of the cells that add up to the total; keys without a size are empty cells. */
  cells: readonly string[];
}

export interface Table {
  /** Every non-empty cell and how many companies it rests on. */
  sizes: ReadonlyMap<string, number>;
  partitions: readonly Partition[];
}

/**
 * The cells to suppress in `table` (primary and complementary).
 *
 * `decided` names cells whose fate another table already settled (true: suppressed) because they are
 * published there too, e.g. the totals shared by the tables of several groupings: they keep it, and
 * are never suppressed to protect a cell here, so every table shows them alike.
 */
export function protectTable(table: Table, limit = DISCLOSURE_LIMIT, decided: ReadonlyMap<string, boolean> = new Map()): Set<string> {
  const { sizes } = table;
  const suppressed = new Set<string>();
  for (const [key, size] of sizes) if (decided.has(key) ? decided.get(key) : size < limit) suppressed.add(key);
  const free = (k: string) => !suppressed.has(k) && !decided.has(k);
  // A partition with no cell holding anything says nothing (the total of a table without groups).
  const partitions = table.partitions.map((p) => ({ total: p.total, cells: [...new Set(p.cells)].filter((k) => sizes.has(k)) })).filter((p) => p.cells.length > 0);
  const bySize = (a: string, b: string) => sizes.get(a)! - sizes.get(b)! || (a < b ? -1 : a > b ? 1 : 0);

  const needsMore = (p: Partition) => {
    let hidden = 0;
    let hiddenSize = 0;
    for (const k of p.cells) {
      if (!suppressed.has(k)) continue;
      hidden++;
      hiddenSize += sizes.get(k)!;
    }
    if (hidden === p.cells.length) return false;
    if (hidden === 0) return suppressed.has(p.total) && sizes.has(p.total);
    return hidden < 2 || hiddenSize < limit;
  };

  const settle = () => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const p of partitions) {
        if (!needsMore(p)) continue;
        const candidates = p.cells.filter(free).sort(bySize);
        for (const k of candidates) {
          suppressed.add(k);
          changed = true;
          if (!needsMore(p)) break;
        }
        // Cells settled elsewhere leave too few to hide: hide the total instead, so nothing adds up.
        if (needsMore(p) && sizes.has(p.total) && free(p.total)) {
          suppressed.add(p.total);
          changed = true;
        }
      }
    }
  };
  settle();
  // The partition rule protects each partition; where partitions cross (groups × periods), a small
  // cell can still be pinned down by combining several of them. Audit the whole system of equations
  // and suppress one more cell beside every small cell it pins down, until none is. (A cell hidden
  // only to protect others, resting on enough companies itself, may be worked out; what matters is
  // that no small one can.)
  const exposedSmall = () => exposedCells({ sizes, partitions }, suppressed).filter((k) => sizes.get(k)! < limit);
  for (let exposed = exposedSmall(); exposed.length > 0; exposed = exposedSmall()) {
    const cell = exposed[0]!;
    const beside = partitions
      .filter((p) => p.total === cell || p.cells.includes(cell))
      .flatMap((p) => [p.total, ...p.cells])
      .filter((k) => sizes.has(k) && free(k))
      .sort(bySize);
    // Nothing left to hide beside it (it is pinned down from further away): hide everything that may be.
    if (beside.length === 0) {
      for (const k of sizes.keys()) if (!decided.has(k)) suppressed.add(k);
      break;
    }
    suppressed.add(beside[0]!);
    settle();
  }
  return suppressed;
}

/**
 * The suppressed cells that the published cells still pin down exactly: every partition is an
 * equation (total = sum of its cells), published cells are known, suppressed ones unknown. A cell
 * is pinned down when the equations determine it, whatever the other unknowns are (Gaussian
 * elimination: its pivot row has no other unknown left).
 */
export function exposedCells(table: Table, suppressed: ReadonlySet<string>): string[] {
  const { sizes } = table;
  const index = new Map<string, number>();
  const names: string[] = [];
  const rows: Map<number, number>[] = [];
  for (const p of table.partitions) {
    if (!p.cells.some((k) => sizes.has(k))) continue;
    const row = new Map<number, number>();
    const add = (k: string, v: number) => {
      if (!sizes.has(k) || !suppressed.has(k)) return;
      let i = index.get(k);
      if (i === undefined) {
        i = names.length;
        index.set(k, i);
        names.push(k);
      }
      const next = (row.get(i) ?? 0) + v;
      if (next === 0) row.delete(i);
      else row.set(i, next);
    };
    add(p.total, 1);
    for (const k of new Set(p.cells)) add(k, -1);
    if (row.size > 0) rows.push(row);
  }
  // Reduced row echelon form over the unknowns, sparse rows, exact for these small integer systems.
  const pivots: { col: number; row: Map<number, number> }[] = [];
  const pivotOf = new Map<number, Map<number, number>>();
  for (const original of rows) {
    const row = new Map(original);
    for (const [col, prow] of pivotOf) {
      const f = row.get(col);
      if (f === undefined) continue;
      for (const [c, v] of prow) {
        const next = (row.get(c) ?? 0) - f * v;
        if (Math.abs(next) < 1e-9) row.delete(c);
        else row.set(c, next);
      }
    }
    if (row.size === 0) continue;
    let col = -1;
    for (const c of row.keys()) if (col === -1 || c < col) col = c;
    const scale = row.get(col)!;
    for (const [c, v] of row) row.set(c, v / scale);
    // Keep the form reduced: eliminate the new pivot from the earlier pivot rows.
    for (const p of pivots) {
      const f = p.row.get(col);
      if (f === undefined) continue;
      for (const [c, v] of row) {
        const next = (p.row.get(c) ?? 0) - f * v;
        if (Math.abs(next) < 1e-9) p.row.delete(c);
        else p.row.set(c, next);
      }
    }
    pivots.push({ col, row });
    pivotOf.set(col, row);
  }
  return pivots.filter((p) => p.row.size === 1).map((p) => names[p.col]!);
}

/** One dimension with a total: `total` is the sum of `cells`. */
export function flatTable(total: { key: string; size: number }, cells: readonly { key: string; size: number }[]): Table {
  const sizes = new Map<string, number>();
  if (total.size > 0) sizes.set(total.key, total.size);
  for (const c of cells) if (c.size > 0) sizes.set(c.key, c.size);
  return { sizes, partitions: [{ total: total.key, cells: cells.map((c) => c.key) }] };
}

/**
 * The whole calendar periods of a year that aggregate-only readers may ask for: the year, its four
 * quarters and twelve months, with the year adding up from the quarters and each quarter from its
 * months. Keys: `Y`, `Q1`–`Q4`, `M01`–`M12`.
 */
export const periodKeys = {
  year: 'Y',
  quarter: (q: number) => `Q${q}`,
  month: (m: number) => `M${String(m).padStart(2, '0')}`,
};

export function yearPartitions(): { total: string; cells: string[] }[] {
  const parts = [{ total: periodKeys.year, cells: [1, 2, 3, 4].map(periodKeys.quarter) }];
  for (let q = 1; q <= 4; q++) parts.push({ total: periodKeys.quarter(q), cells: [1, 2, 3].map((i) => periodKeys.month((q - 1) * 3 + i)) });
  // The year by month is published in one answer too (grouped by month): a partition of its own.
  parts.push({ total: periodKeys.year, cells: Array.from({ length: 12 }, (_, i) => periodKeys.month(i + 1)) });
  return parts;
}

/** The period keys a month falls in: its own, its quarter's and the year's. */
export function periodsOfMonth(month: number): string[] {
  return [periodKeys.month(month), periodKeys.quarter(Math.ceil(month / 3)), periodKeys.year];
}

export const ALL_PERIODS = [periodKeys.year, ...[1, 2, 3, 4].map(periodKeys.quarter), ...Array.from({ length: 12 }, (_, i) => periodKeys.month(i + 1))];

/** The key of a cell in a group × period table. */
export const cellKey = (group: string, period: string) => `${group}\u0000${period}`;
export const TOTAL = '*';

/**
 * A table of groups (one dimension, e.g. hubs) by the periods of a year. Every period's total adds up
 * from its groups, and every group's (and the total's) year, quarters and months add up as periods do.
 * `sizes` holds cell sizes keyed by `cellKey(group, period)`, the total under `TOTAL`.
 */
export function groupsByPeriodTable(groups: readonly string[], sizes: ReadonlyMap<string, number>): Table {
  const partitions: Partition[] = [];
  for (const period of ALL_PERIODS) partitions.push({ total: cellKey(TOTAL, period), cells: groups.map((g) => cellKey(g, period)) });
  for (const row of [TOTAL, ...groups]) for (const p of yearPartitions()) partitions.push({ total: cellKey(row, p.total), cells: p.cells.map((c) => cellKey(row, c)) });
  return { sizes, partitions };
}

/**
 * Protects a groups × periods table whose total row is shared with the tables of other groupings
 * (the overall of a period is the same cell whichever grouping shows it), as the year goes by.
 *
 * A period can be asked for once it has ended, and what was shown then stays known. So the table is
 * settled month by month: when a month ends, its cells (and its quarter's and the year's, when they
 * end with it) are decided with everything that ended before kept as it was decided; a new cell that
 * would expose an old one is protected by hiding new cells, its total included if need be. In each
 * step the total row is settled on its own first, identically for every grouping, and then kept.
 * `endedMonths`: how many months of the year have ended (12 for a past year). Only cells of ended
 * periods are decided.
 */
export function protectGroupsByPeriod(groups: readonly string[], sizes: ReadonlyMap<string, number>, endedMonths = 12, limit = DISCLOSURE_LIMIT): Set<string> {
  const decided = new Map<string, boolean>();
  const full = groupsByPeriodTable(groups, sizes);
  const periodOf = (k: string) => k.slice(k.indexOf('\u0000') + 1);
  const isTotal = (k: string) => k.startsWith(`${TOTAL}\u0000`);
  for (let month = 1; month <= Math.min(12, endedMonths); month++) {
    const ended = new Set([...Array.from({ length: month }, (_, i) => periodKeys.month(i + 1)), ...[1, 2, 3, 4].filter((q) => 3 * q <= month).map(periodKeys.quarter), ...(month === 12 ? [periodKeys.year] : [])]);
    const endedSizes = new Map([...sizes].filter(([k]) => ended.has(periodOf(k))));
    const partitions = full.partitions.filter((p) => ended.has(periodOf(p.total)));
    // A new cell that the cells shown before add up to (a quarter whose months were all shown) is
    // known already: it is shown, and cannot serve to hide another.
    const step = new Map(decided);
    const markKnown = () => {
      const known = new Set([...step].filter(([, h]) => !h).map(([k]) => k));
      for (let changed = true; changed; ) {
        changed = false;
        for (const p of partitions) {
          if (!p.cells.some((k) => endedSizes.has(k))) continue;
          const unknown = [p.total, ...p.cells].filter((k) => endedSizes.has(k) && !known.has(k));
          if (unknown.length !== 1) continue;
          known.add(unknown[0]!);
          changed = true;
        }
      }
      for (const k of known) if (!step.has(k) && (endedSizes.get(k) ?? 0) >= limit) step.set(k, false);
    };
    markKnown();
    const totalSizes = new Map([...endedSizes].filter(([k]) => isTotal(k)));
    const totals = protectTable({ sizes: totalSizes, partitions: partitions.filter((p) => isTotal(p.total) && p.cells.every(isTotal)) }, limit, step);
    for (const k of totalSizes.keys()) if (!step.has(k)) step.set(k, totals.has(k));
    markKnown();
    const hidden = protectTable({ sizes: endedSizes, partitions }, limit, step);
    for (const k of endedSizes.keys()) if (!decided.has(k)) decided.set(k, hidden.has(k));
  }
  return new Set([...decided].filter(([, h]) => h).map(([k]) => k));
}

/**
 * Which whole calendar period `from`–`to` is (aggregate-only readers may ask for nothing else), or
 * the field that is wrong and why. `today` (ISO date) bounds it: a period that has not ended yet
 * would change from day to day, and two days' figures would differ by one day's.
 */
export type PeriodCheck = { ok: true; year: number; period: string } | { ok: false; field: 'from' | 'to'; reason: 'required' | 'notFirstDay' | 'notWholePeriod' | 'notEnded' };

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export function wholePeriod(from: string | undefined, to: string | undefined, today: string): PeriodCheck {
  if (!from) return { ok: false, field: 'from', reason: 'required' };
  if (!to) return { ok: false, field: 'to', reason: 'required' };
  const f = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  if (!f || f[3] !== '01') return { ok: false, field: 'from', reason: 'notFirstDay' };
  const year = Number(f[1]);
  const month = Number(f[2]);
  let period: string | null = null;
  if (to === iso(year, month, lastDayOfMonth(year, month))) period = periodKeys.month(month);
  else if ((month - 1) % 3 === 0 && to === iso(year, month + 2, lastDayOfMonth(year, month + 2))) period = periodKeys.quarter((month + 2) / 3);
  else if (month === 1 && to === iso(year, 12, 31)) period = periodKeys.year;
  if (!period) return { ok: false, field: 'to', reason: 'notWholePeriod' };
  if (to >= today) return { ok: false, field: 'to', reason: 'notEnded' };
  return { ok: true, year, period };
}

/** The last day of the month before the one `today` falls in (the latest month that has ended). */
export function lastEndedMonthEnd(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
  return iso(y, m, lastDayOfMonth(y, m));
}

/** Whether `date` is the last day of its month. */
export function isMonthEnd(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return !!m && Number(m[3]) === lastDayOfMonth(Number(m[1]), Number(m[2]));
}


/**
 * Cumulative figures over time (a contract goal as of one date and as of a later one): the
 * difference of two shown figures rests on the companies that added to it in between, so it must be
 * none or at least the limit. Walking the dates in order, a figure is shown when it rests on none or
 * at least `limit` companies and, since the last date it was shown, none or at least `limit`
 * companies added to it, and none or at least `limit` companies came in that were not in it before
 * (a company adding a second answer adds to the figure but not to the companies it rests on; both
 * differences are seen); any two shown figures then differ by none or at least `limit` companies.
 *
 * `points`: the dates a reader can ask for, ascending (ISO). `contributions`: for every company, the
 * dates it added to the figure. Returns, per point, whether the figure may be shown there.
 */
export function shownOverTime(points: readonly string[], contributions: ReadonlyMap<string, readonly string[]>, limit = DISCLOSURE_LIMIT): Map<string, boolean> {
  const firsts = [...contributions.values()].map((dates) => dates.reduce((a, b) => (b < a ? b : a)));
  const since = (last: string | null, t: string) => (d: string) => d <= t && (last === null || d > last);
  return shownAlong(
    points,
    (t) => firsts.filter((d) => d <= t).length,
    (last, t) => {
      let added = 0;
      for (const dates of contributions.values()) if (dates.some(since(last, t))) added++;
      return [added, firsts.filter(since(last, t)).length];
    },
    limit,
  );
}

/**
 * The walk behind `shownOverTime`, for any figure: `size(t)`, how many companies it rests on at t;
 * `steps(last, t)`, how many companies changed each thing a reader can subtract between the last
 * date shown (null: none yet) and t. Shown when it rests on none or at least `limit` companies and
 * every step is none or at least `limit`.
 */
export function shownAlong(points: readonly string[], size: (t: string) => number, steps: (last: string | null, t: string) => readonly number[], limit = DISCLOSURE_LIMIT): Map<string, boolean> {
  const shown = new Map<string, boolean>();
  let last: string | null = null;
  for (const t of [...new Set(points)].sort()) {
    const basis = size(t);
    const ok = basis === 0 || (basis >= limit && steps(last, t).every((s) => s === 0 || s >= limit));
    shown.set(t, ok);
    if (ok) last = t;
  }
  return shown;
}

/**
 * The same rule for a series of frozen figures (published reports, in the order they were made),
 * where only the figures themselves are known: each point is [companies it rests on, further counts
 * it shows (answers, engagements, …)]. A point is shown when it rests on none or at least `limit`
 * companies and each of its counts differs from the last shown point's by none or at least `limit`.
 */
export function shownInSequence(points: readonly (readonly number[])[], limit = DISCLOSURE_LIMIT): boolean[] {
  let last: readonly number[] | null = null;
  return points.map((p) => {
    const basis = p[0] ?? 0;
    const steps = p.map((v, i) => Math.abs(v - (last?.[i] ?? 0)));
    const ok = basis === 0 || (basis >= limit && steps.every((s) => s === 0 || s >= limit));
    if (ok) last = p;
    return ok;
  });
}

/**
 * A figure broken down into parts that need not cover it, nor be disjoint: the companies guided in
 * no part of a split (uncategorised, or in a municipality no part names), or in two parts. The whole
 * and the parts are published; `cells` are the disjoint groups they are made of, for every
 * combination of parts the companies counted in exactly those (`parts: []` is the remainder, in no
 * part). Cells are never published, but a reader works out every sum of cells that published figures
 * add up to: the whole minus its parts is the remainder, two overlapping parts minus the whole are
 * the companies in both.
 */
export interface Breakdown {
  /** Companies the whole rests on. */
  total: number;
  /** Companies each part rests on. */
  parts: readonly number[];
  cells: readonly { parts: readonly number[]; size: number }[];
}

/**
 * Which of a breakdown's published figures to withhold, as a partition whose implicit cells (the
 * remainder, the overlaps) are cells like the others. `forced`: figures (and cells) that must not be
 * shown nor be worked out, for reasons of their own (fewer than `limit` companies, over time).
 *
 * Primary: a part or whole on 1 to limit−1 companies. Then, while the published figures still pin
 * down a forced figure or cell, or any group of cells resting on 1 to limit−1 companies together (the
 * remainder alone, or the hidden parts together), one more published figure is withheld: the
 * smallest part that breaks it, the whole only when no part can. The equations are solved exactly
 * (Gaussian elimination over the cells); a breakdown with too many small cells to check hides all
 * its parts.
 */
export function protectBreakdown(b: Breakdown, forced: { total?: boolean; parts?: Iterable<number>; cells?: Iterable<number> } = {}, limit = DISCLOSURE_LIMIT): { total: boolean; parts: Set<number> } {
  const cells = b.cells.map((c, i) => ({ ...c, index: i })).filter((c) => c.size > 0);
  const width = cells.length;
  const vectorOfPart = (part: number) => cells.map((c) => (c.parts.includes(part) ? 1 : 0));
  const ones = cells.map(() => 1);
  const hiddenParts = new Set<number>();
  b.parts.forEach((size, i) => {
    if (size > 0 && size < limit) hiddenParts.add(i);
  });
  for (const i of forced.parts ?? []) if ((b.parts[i] ?? 0) > 0) hiddenParts.add(i);
  let totalHidden = (b.total > 0 && b.total < limit) || (!!forced.total && b.total > 0);

  // What must never be worked out: the forced figures and cells, and every group of cells on 1 to limit−1 companies.
  const targets: number[][] = [];
  if (forced.total && b.total > 0) targets.push(ones);
  for (const i of forced.parts ?? []) if ((b.parts[i] ?? 0) > 0) targets.push(vectorOfPart(i));
  const forcedCells = new Set(forced.cells ?? []);
  for (const [k, c] of cells.entries()) if (forcedCells.has(c.index)) targets.push(cells.map((_, j) => (j === k ? 1 : 0)));
  const small = cells.map((c, k) => ({ k, size: c.size })).filter((c) => c.size < limit);
  const MAX_GROUPS = 20_000;
  let tooMany = false;
  const walk = (start: number, sum: number, chosen: number[]) => {
    for (let i = start; i < small.length && !tooMany; i++) {
      const next = sum + small[i]!.size;
      if (next >= limit) continue;
      const group = [...chosen, small[i]!.k];
      targets.push(cells.map((_, j) => (group.includes(j) ? 1 : 0)));
      if (targets.length > MAX_GROUPS) tooMany = true;
      walk(i + 1, next, group);
    }
  };
  walk(0, 0, []);
  if (tooMany) {
    b.parts.forEach((size, i) => size > 0 && hiddenParts.add(i));
    return { total: totalHidden, parts: hiddenParts };
  }

  const shownParts = () => b.parts.map((size, i) => ({ i, size })).filter((p) => p.size > 0 && !hiddenParts.has(p.i));
  const known = (without?: number | 'total') => [
    ...(totalHidden || b.total === 0 || without === 'total' ? [] : [ones]),
    ...shownParts().filter((p) => p.i !== without).map((p) => vectorOfPart(p.i)),
  ];
  for (;;) {
    const derivable = rowSpace(known(), width);
    const exposed = targets.find(derivable);
    if (!exposed) break;
    const candidates: (number | 'total')[] = [...shownParts().sort((x, y) => x.size - y.size || x.i - y.i).map((p) => p.i), ...(totalHidden || b.total === 0 ? [] : ['total' as const])];
    if (candidates.length === 0) break;
    const touches = (c: number | 'total') => (c === 'total' ? ones : vectorOfPart(c)).some((v, j) => v !== 0 && exposed[j] !== 0);
    const pick = candidates.find((c) => !rowSpace(known(c), width)(exposed)) ?? candidates.find(touches) ?? candidates[0]!;
    if (pick === 'total') totalHidden = true;
    else hiddenParts.add(pick);
  }
  return { total: totalHidden, parts: hiddenParts };
}

/** Whether a vector is a linear combination of `rows` (all of length `width`): reduced row echelon form, exact for these small 0/1 systems. */
function rowSpace(rows: readonly (readonly number[])[], width: number): (v: readonly number[]) => boolean {
  const EPS = 1e-9;
  const basis: { col: number; row: number[] }[] = [];
  const reduce = (v: readonly number[]) => {
    const r = [...v];
    for (const { col, row } of basis) {
      const f = r[col]!;
      if (Math.abs(f) < EPS) continue;
      for (let c = 0; c < width; c++) r[c] = r[c]! - f * row[c]!;
    }
    return r;
  };
  for (const original of rows) {
    const r = reduce(original);
    const col = r.findIndex((x) => Math.abs(x) > EPS);
    if (col === -1) continue;
    const row = r.map((x) => x / r[col]!);
    for (const p of basis) {
      const f = p.row[col]!;
      if (Math.abs(f) < EPS) continue;
      for (let c = 0; c < width; c++) p.row[c] = p.row[c]! - f * row[c]!;
    }
    basis.push({ col, row });
  }
  return (v) => v.some((x) => x !== 0) && reduce(v).every((x) => Math.abs(x) < EPS);
}
