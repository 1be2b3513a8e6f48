import { describe, expect, it } from 'vitest';
import {
  ALL_PERIODS,
  cellKey,
  DISCLOSURE_LIMIT,
  exposedCells,
  flatTable,
  groupsByPeriodTable,
  isMonthEnd,
  lastEndedMonthEnd,
  periodKeys,
  periodsOfMonth,
  protectBreakdown,
  protectGroupsByPeriod,
  protectTable,
  shownInSequence,
  shownOverTime,
  TOTAL,
  wholePeriod,
  type Table,
} from './disclosure.ts';

const cells = (sizes: Record<string, number>) => Object.entries(sizes).map(([key, size]) => ({ key, size }));
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** Every partition of `table` obeys the rule under `suppressed`. */
function expectRuleHolds(table: Table, suppressed: Set<string>) {
  for (const [key, size] of table.sizes) if (size < DISCLOSURE_LIMIT) expect(suppressed.has(key), `${key} (${size}) is primary`).toBe(true);
  for (const p of table.partitions) {
    const present = p.cells.filter((k) => table.sizes.has(k));
    const hidden = present.filter((k) => suppressed.has(k));
    if (hidden.length === present.length) continue;
    if (hidden.length === 0) {
      expect(suppressed.has(p.total) && table.sizes.has(p.total), `${p.total}: hidden total with every cell shown`).toBe(false);
      continue;
    }
    // With the total hidden too, the hidden cells cannot be had from it.
    if (suppressed.has(p.total) && table.sizes.has(p.total)) continue;
    expect(hidden.length, `${p.total}: one hidden cell`).toBeGreaterThanOrEqual(2);
    expect(sum(hidden.map((k) => table.sizes.get(k)!)), `${p.total}: hidden cells rest on too few`).toBeGreaterThanOrEqual(DISCLOSURE_LIMIT);
  }
  // No cell resting on fewer than the limit can be worked out from what is shown.
  expect(exposedCells(table, suppressed).filter((k) => table.sizes.get(k)! < DISCLOSURE_LIMIT)).toEqual([]);
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('disclosure control: one partition', () => {
  it('suppresses a cell resting on fewer than 5 companies, and the smallest other cell beside it', () => {
    const table = flatTable({ key: '*', size: 40 }, cells({ a: 3, b: 6, c: 12, d: 19 }));
    const hidden = protectTable(table);
    expect([...hidden].sort()).toEqual(['a', 'b']);
    expectRuleHolds(table, hidden);
  });

  it('keeps adding the smallest cells until the hidden ones rest on at least 5 together', () => {
    const table = flatTable({ key: '*', size: 30 }, cells({ a: 1, b: 1, c: 2, d: 26 }));
    const hidden = protectTable(table);
    // a + b = 2 < 5 → c (2) is next: 4 < 5 → d: all hidden.
    expect([...hidden].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops once two hidden cells rest on 5', () => {
    const table = flatTable({ key: '*', size: 32 }, cells({ a: 4, b: 1, c: 9, d: 18 }));
    // a + b = 5: two cells, 5 companies; nothing more.
    expect([...protectTable(table)].sort()).toEqual(['a', 'b']);
  });

  it('leaves a table with no small cell alone', () => {
    expect(protectTable(flatTable({ key: '*', size: 30 }, cells({ a: 5, b: 25 })))).toEqual(new Set());
  });

  it('suppresses the overall and everything in it when the overall rests on fewer than 5', () => {
    const hidden = protectTable(flatTable({ key: '*', size: 4 }, cells({ a: 2, b: 2 })));
    expect([...hidden].sort()).toEqual(['*', 'a', 'b']);
  });

  it('does not count or use empty cells', () => {
    const table = flatTable({ key: '*', size: 20 }, cells({ a: 0, b: 2, c: 18 }));
    expect([...protectTable(table)].sort()).toEqual(['b', 'c']);
  });

  it('with a single cell, hides it along with a small total', () => {
    expect([...protectTable(flatTable({ key: '*', size: 3 }, cells({ a: 3 })))].sort()).toEqual(['*', 'a']);
  });
});

describe('disclosure control: nested partitions (municipalities within hubs)', () => {
  // Two hubs; hub A has a municipality of 2 companies. Hub totals are published by the hub grouping.
  const sizes = new Map(Object.entries({ '*': 60, A: 30, B: 30, a1: 2, a2: 8, a3: 20, b1: 10, b2: 20 }));
  const table: Table = {
    sizes,
    partitions: [
      { total: '*', cells: ['A', 'B'] },
      { total: 'A', cells: ['a1', 'a2', 'a3'] },
      { total: 'B', cells: ['b1', 'b2'] },
      { total: '*', cells: ['a1', 'a2', 'a3', 'b1', 'b2'] },
    ],
  };

  it('protects a small municipality inside its own hub, not just inside the overall', () => {
    const hidden = protectTable(table);
    expect(hidden.has('a1')).toBe(true);
    // The complement is found within hub A: hub A's total minus its shown municipalities would give a1.
    expect(hidden.has('a2')).toBe(true);
    expect(hidden.has('b1')).toBe(false);
    expectRuleHolds(table, hidden);
  });

  it('hides some municipalities of a hub whose own total is hidden', () => {
    const nested: Table = {
      sizes: new Map(Object.entries({ '*': 60, A: 3, B: 20, C: 37, b1: 10, b2: 10, c1: 17, c2: 20, a1: 3 })),
      partitions: [
        { total: '*', cells: ['A', 'B', 'C'] },
        { total: 'A', cells: ['a1'] },
        { total: 'B', cells: ['b1', 'b2'] },
        { total: 'C', cells: ['c1', 'c2'] },
      ],
    };
    const hidden = protectTable(nested);
    // A is small; B is its complement; B's municipalities would add up to B, so they are hidden too.
    expect([...hidden].sort()).toEqual(['A', 'B', 'a1', 'b1', 'b2']);
    expectRuleHolds(nested, hidden);
  });
});

describe('disclosure control: groups × periods of a year', () => {
  function randomTable(seed: number, groups: number, density: number) {
    const next = random(seed);
    const names = Array.from({ length: groups }, (_, i) => `g${i}`);
    const sizes = new Map<string, number>();
    const add = (k: string, n: number) => sizes.set(k, (sizes.get(k) ?? 0) + n);
    for (const g of names) {
      for (let m = 1; m <= 12; m++) {
        if (next() > density) continue;
        const n = Math.floor(next() * (next() < 0.5 ? 5 : 25)) + 1;
        for (const p of periodsOfMonth(m)) {
          add(cellKey(g, p), n);
          add(cellKey(TOTAL, p), n);
        }
      }
    }
    return groupsByPeriodTable(names, sizes);
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('obeys the rule in every partition and pins down no cell (random table %i)', (seed) => {
    const table = randomTable(seed, 3 + (seed % 6), 0.3 + (seed % 5) / 10);
    const hidden = protectTable(table);
    expectRuleHolds(table, hidden);
  });

  it('at the scale of 98 municipalities stays consistent', () => {
    const table = randomTable(42, 99, 0.6);
    const hidden = protectTable(table);
    expectRuleHolds(table, hidden);
  });

  it('settles the total row alike for every grouping of the same data, and keeps the rule in each', () => {
    // The same answers by month, grouped two ways (e.g. by hub and by municipality).
    const next = random(99);
    const months = Array.from({ length: 12 }, (_, i) => i + 1);
    const answers = months.flatMap((m) => Array.from({ length: Math.floor(next() * 9) }, () => ({ m, a: Math.floor(next() * 3), b: Math.floor(next() * 7) })));
    const tableBy = (dim: 'a' | 'b') => {
      const sizes = new Map<string, number>();
      const add = (k: string) => sizes.set(k, (sizes.get(k) ?? 0) + 1);
      for (const x of answers) for (const p of periodsOfMonth(x.m)) {
        add(cellKey(`${dim}${x[dim]}`, p));
        add(cellKey(TOTAL, p));
      }
      const groups = [...new Set(answers.map((x) => `${dim}${x[dim]}`))];
      return { groups, sizes, hidden: protectGroupsByPeriod(groups, sizes) };
    };
    const byA = tableBy('a');
    const byB = tableBy('b');
    const totalRow = (h: Set<string>) => ALL_PERIODS.filter((p) => h.has(cellKey(TOTAL, p)));
    expect(totalRow(byA.hidden)).toEqual(totalRow(byB.hidden));
    for (const t of [byA, byB]) expectRuleHolds(groupsByPeriodTable(t.groups, t.sizes), t.hidden);
  });

  it.each([3, 5, 8, 13])('settles the year month by month: what was decided when a month ended stays (random table %i)', (seed) => {
    const next = random(seed);
    const groups = ['a', 'b', 'c', 'd'];
    const sizes = new Map<string, number>();
    const add = (k: string, n: number) => sizes.set(k, (sizes.get(k) ?? 0) + n);
    for (const g of groups) for (let m = 1; m <= 12; m++) {
      if (next() < 0.4) continue;
      const n = 1 + Math.floor(next() * 8);
      for (const p of periodsOfMonth(m)) {
        add(cellKey(g, p), n);
        add(cellKey(TOTAL, p), n);
      }
    }
    const endedBy = (month: number) => (k: string) => {
      const p = k.slice(k.indexOf('\u0000') + 1);
      return p === 'Y' ? month === 12 : p.startsWith('Q') ? 3 * Number(p.slice(1)) <= month : Number(p.slice(1)) <= month;
    };
    let before = protectGroupsByPeriod(groups, sizes, 0);
    expect(before.size).toBe(0);
    for (let month = 1; month <= 12; month++) {
      const now = protectGroupsByPeriod(groups, sizes, month);
      // Cells of periods that had ended keep their fate; no cell of a running period is decided.
      for (const k of sizes.keys()) if (endedBy(month - 1)(k)) expect(now.has(k), `${k} after month ${month}`).toBe(before.has(k));
      for (const k of now) expect(endedBy(month)(k), k).toBe(true);
      before = now;
    }
    // At the year's end the whole table is protected.
    expectRuleHolds(groupsByPeriodTable(groups, sizes), before);
  });

  it('never suppresses a cell another table has settled', () => {
    const table = flatTable({ key: '*', size: 10 }, cells({ a: 3, b: 7 }));
    // '*' is shown elsewhere: b is hidden beside a, '*' stays.
    const hidden = protectTable(table, DISCLOSURE_LIMIT, new Map([['*', false]]));
    expect([...hidden].sort()).toEqual(['a', 'b']);
    // a is shown elsewhere and cannot hide b: the total goes instead, or b would be the total minus a.
    expect(protectTable(flatTable({ key: '*', size: 10 }, cells({ a: 6, b: 4 })), DISCLOSURE_LIMIT, new Map([['a', false]]))).toEqual(new Set(['b', '*']));
  });

  it('finds a cell pinned down by crossing partitions, which the partition rule alone misses', () => {
    // Rows r1..r4, columns c1..c4, each with a published margin. Hidden: two 2×2 blocks joined by one cell.
    // Every row and column has 0 or ≥ 2 hidden cells, yet the joining cell is R1 + R2 − C1 − C2.
    const hidden = new Set(['r1c1', 'r1c2', 'r2c1', 'r2c2', 'r2c3', 'r3c3', 'r3c4', 'r4c3', 'r4c4']);
    const sizes = new Map<string, number>();
    const partitions = [];
    for (const r of [1, 2, 3, 4]) {
      sizes.set(`r${r}`, 100);
      partitions.push({ total: `r${r}`, cells: [1, 2, 3, 4].map((c) => `r${r}c${c}`) });
    }
    for (const c of [1, 2, 3, 4]) {
      sizes.set(`c${c}`, 100);
      partitions.push({ total: `c${c}`, cells: [1, 2, 3, 4].map((r) => `r${r}c${c}`) });
    }
    for (const r of [1, 2, 3, 4]) for (const c of [1, 2, 3, 4]) sizes.set(`r${r}c${c}`, 25);
    const table = { sizes, partitions };
    expect(exposedCells(table, hidden)).toEqual(['r2c3']);
    // Suppressing one more cell beside it breaks the chain.
    const more = new Set([...hidden, 'r2c4']);
    expect(exposedCells(table, more)).toEqual([]);
  });
});

describe('whole calendar periods', () => {
  const today = '2026-11-27';

  it('accepts whole months, calendar quarters and years that have ended', () => {
    expect(wholePeriod('2026-02-01', '2026-02-28', today)).toEqual({ ok: true, year: 2026, period: periodKeys.month(2) });
    expect(wholePeriod('2024-02-01', '2024-02-29', today)).toEqual({ ok: true, year: 2024, period: 'M02' });
    expect(wholePeriod('2026-04-01', '2026-06-30', today)).toEqual({ ok: true, year: 2026, period: 'Q2' });
    expect(wholePeriod('2025-01-01', '2025-12-31', today)).toEqual({ ok: true, year: 2025, period: 'Y' });
    expect(wholePeriod('2026-01-01', '2026-03-31', today)).toEqual({ ok: true, year: 2026, period: 'Q1' });
    expect(wholePeriod('2026-10-01', '2026-10-31', today)).toEqual({ ok: true, year: 2026, period: 'M10' });
  });

  it('refuses bounds moved by a day, naming the field', () => {
    expect(wholePeriod('2026-02-02', '2026-02-28', today)).toMatchObject({ ok: false, field: 'from', reason: 'notFirstDay' });
    expect(wholePeriod('2026-02-01', '2026-02-27', today)).toMatchObject({ ok: false, field: 'to', reason: 'notWholePeriod' });
    expect(wholePeriod('2026-02-01', '2026-03-01', today)).toMatchObject({ ok: false, field: 'to' });
    expect(wholePeriod('2026-01-31', '2026-03-31', today)).toMatchObject({ ok: false, field: 'from' });
  });

  it('refuses quarters that are not calendar quarters, and spans of several months or years', () => {
    expect(wholePeriod('2026-02-01', '2026-04-30', today)).toMatchObject({ ok: false, field: 'to' });
    expect(wholePeriod('2026-01-01', '2026-02-28', today)).toMatchObject({ ok: false, field: 'to' });
    expect(wholePeriod('2025-01-01', '2026-12-31', today)).toMatchObject({ ok: false, field: 'to' });
    expect(wholePeriod('2026-07-01', '2026-12-31', today)).toMatchObject({ ok: false, field: 'to' });
  });

  it('needs both bounds, and a period that has ended', () => {
    expect(wholePeriod(undefined, '2026-02-28', today)).toMatchObject({ ok: false, field: 'from', reason: 'required' });
    expect(wholePeriod('2026-02-01', undefined, today)).toMatchObject({ ok: false, field: 'to', reason: 'required' });
    expect(wholePeriod('2026-11-01', '2026-11-30', today)).toMatchObject({ ok: false, field: 'to', reason: 'notEnded' });
    expect(wholePeriod('2026-01-01', '2026-12-31', today)).toMatchObject({ ok: false, field: 'to', reason: 'notEnded' });
    expect(wholePeriod('2026-10-01', '2026-10-31', '2026-10-31')).toMatchObject({ ok: false, reason: 'notEnded' });
    expect(wholePeriod('2026-10-01', '2026-10-31', '2026-11-01')).toMatchObject({ ok: true });
  });

  it('knows month ends and the latest month that has ended', () => {
    expect(isMonthEnd('2024-02-29')).toBe(true);
    expect(isMonthEnd('2026-02-28')).toBe(true);
    expect(isMonthEnd('2026-06-29')).toBe(false);
    expect(lastEndedMonthEnd('2026-11-27')).toBe('2026-10-31');
    expect(lastEndedMonthEnd('2026-01-05')).toBe('2025-12-31');
    expect(ALL_PERIODS).toHaveLength(17);
  });
});

describe('cumulative figures over time', () => {
  const units = (entries: Record<string, string[]>) => new Map(Object.entries(entries));
  const months = ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30'];

  it('hides a month end that added fewer than 5 companies since the last one shown, until enough have been added', () => {
    // Six companies in February, one in May, five more in June.
    const contributions = units({
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`feb${i}`, ['2024-02-10']])),
      may: ['2024-05-15'],
      ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`jun${i}`, ['2024-06-03']])),
    });
    const shown = shownOverTime(months, contributions);
    expect([...shown.values()]).toEqual([true, true, true, true, false, true]);
    // April (6) and June (12) differ by 6 companies; May (7) would differ from April by one.
  });

  it('counts a company again when it adds again (a second answer)', () => {
    const contributions = units({ ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`c${i}`, ['2024-01-10']])), c0: ['2024-01-10', '2024-03-05'] });
    expect([...shownOverTime(months.slice(0, 3), contributions).values()]).toEqual([true, true, false]);
  });

  it('hides a month end where 5 companies added but fewer than 5 of them are new: the companies it rests on differ by those', () => {
    const contributions = units({
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`c${i}`, i < 5 ? ['2024-01-10', '2024-02-10'] : ['2024-01-10']])),
      new0: ['2024-02-12'],
      new1: ['2024-02-13'],
    });
    expect([...shownOverTime(months.slice(0, 2), contributions).values()]).toEqual([true, false]);
  });

  it('hides a figure resting on fewer than 5 companies at every date', () => {
    expect([...shownOverTime(months.slice(0, 2), units({ a: ['2024-01-02'], b: ['2024-02-02'] })).values()]).toEqual([false, false]);
  });

  it('judges a series of frozen figures by their counts', () => {
    // [companies, answers]: 10 → 10 (same) → 11 (one more answer) → 16 (five more than the last shown).
    expect(shownInSequence([[10, 10], [10, 10], [11, 11], [15, 16]])).toEqual([true, true, false, true]);
    expect(shownInSequence([[3, 3], [0, 0], [6, 6]])).toEqual([false, true, true]);
    // Same companies, two answers more: the answers would give the two away.
    expect(shownInSequence([[8, 8], [8, 10]])).toEqual([true, false]);
  });
});

describe('a breakdown whose parts leave companies out or count them twice', () => {
  it('treats the remainder as a cell: a part leaving 1–4 companies out is withheld, not the whole', () => {
    // 10 guided, 8 in Sønderborg, 2 elsewhere.
    expect(protectBreakdown({ total: 10, parts: [8], cells: [{ parts: [0], size: 8 }, { parts: [], size: 2 }] })).toEqual({ total: false, parts: new Set([0]) });
    // 7 elsewhere: nothing to hide.
    expect(protectBreakdown({ total: 15, parts: [8], cells: [{ parts: [0], size: 8 }, { parts: [], size: 7 }] })).toEqual({ total: false, parts: new Set() });
    // An empty part says nothing and cannot hide anything: vækst og drift 8, RK2020 0, 2 uncategorised.
    expect(protectBreakdown({ total: 10, parts: [8, 0], cells: [{ parts: [0], size: 8 }, { parts: [], size: 2 }] })).toEqual({ total: false, parts: new Set([0]) });
  });

  it('hides a further part when the hidden parts and the remainder rest on fewer than 5 together, smallest first', () => {
    const hidden = protectBreakdown({ total: 30, parts: [2, 6, 20], cells: [{ parts: [0], size: 2 }, { parts: [1], size: 6 }, { parts: [2], size: 20 }, { parts: [], size: 2 }] });
    expect(hidden).toEqual({ total: false, parts: new Set([0, 1]) });
  });

  it('protects the companies counted in two parts: the parts minus the whole', () => {
    // 20 guided: 10 only in A, 8 only in B, 2 in both.
    const b = { total: 20, parts: [12, 10], cells: [{ parts: [0], size: 10 }, { parts: [1], size: 8 }, { parts: [0, 1], size: 2 }] };
    expect(protectBreakdown(b).parts.size).toBeGreaterThan(0);
    expect(protectBreakdown({ ...b, cells: [{ parts: [0], size: 10 }, { parts: [1], size: 5 }, { parts: [0, 1], size: 5 }], parts: [15, 10], total: 20 })).toEqual({ total: false, parts: new Set() });
  });

  it('keeps a forced figure or cell from being worked out', () => {
    const cells = [{ parts: [0], size: 15 }, { parts: [], size: 7 }];
    // The remainder may not be seen at this date (it changed by 2 since the last): a part goes.
    expect(protectBreakdown({ total: 22, parts: [15], cells }, { cells: [1] })).toEqual({ total: false, parts: new Set([0]) });
    // The whole is withheld and one part covers it: the part goes too.
    expect(protectBreakdown({ total: 12, parts: [12, 0], cells: [{ parts: [0], size: 12 }] }, { total: true })).toEqual({ total: true, parts: new Set([0]) });
    // The only part is withheld and the remainder is empty: the whole would give it away, so it goes.
    expect(protectBreakdown({ total: 12, parts: [12], cells: [{ parts: [0], size: 12 }] }, { parts: [0] })).toEqual({ total: true, parts: new Set([0]) });
  });

  it('a whole on fewer than 5 hides every part resting on any', () => {
    expect(protectBreakdown({ total: 3, parts: [3, 0], cells: [{ parts: [0], size: 3 }] })).toEqual({ total: true, parts: new Set([0]) });
  });
});
