/**
 * Evaluation results under disclosure control (server/policies/disclosure.ts): for everyone but the
 * hub looking at its own results (`policy.evaluation.disclosureControl`) — KKR and national readers,
 * local business services, operators, and hubs looking at other hubs or at all hubs at once.
 *
 * Every figure such a reader can get is a cell of one table per dimension: the dimension's values
 * (hubs, municipalities or delivery categories; or none) by the whole calendar periods of one year
 * (the year, its quarters and its months), with the totals. The table is protected as a whole, and
 * a query only looks cells up in it, so two queries can never disagree about a cell:
 *
 * - grouped by hub for Q2: the cells (hub, Q2), overall (total, Q2);
 * - filtered to hub X for Q2: overall (X, Q2), the very cell of X in the grouping by hub;
 * - filtered to hub X, grouped by month, for the year: overall (X, year), groups (X, each month).
 *
 * At most one dimension per query (a filter, or a grouping, or both on the same dimension): a filter
 * on one dimension with a grouping by another would be a cross table, whose cells the one-dimension
 * tables do not protect. Periods are whole months, calendar quarters or years that have ended.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldProblem } from '../../http/problem.ts';
import { ALL_PERIODS, cellKey, periodKeys, periodsOfMonth, protectGroupsByPeriod, TOTAL, wholePeriod } from '../../policies/disclosure.ts';
import { computeResults, fulfilment, type Results, type Threshold } from './results.ts';
import { fulfilmentScales, type EffectAnswer } from './schema.ts';

export type Dimension = 'hub' | 'municipality' | 'deliveryCategory';
export const DIMENSIONS: readonly Dimension[] = ['hub', 'municipality', 'deliveryCategory'];

export interface AggregateFilters {
  hub?: string;
  municipality?: number;
  deliveryCategory?: string;
  adviser?: string;
  from?: string;
  to?: string;
  groupBy?: Dimension | 'adviser' | 'month';
}

/** A group's figures as shown. */
export type ShownFigures = Results & {
  key: string;
  label: string;
  invitations: number;
  responseRate: number | null;
  npsFulfilment: number | null;
  effectFulfilment: number | null;
  suppressed: false;
};

/** A group's figures; all null (no counts either) when it is suppressed. */
export type Figures = ShownFigures | ({ [K in Exclude<keyof ShownFigures, 'key' | 'label' | 'suppressed'>]: null } & { key: string; label: string; suppressed: true });

/** A suppressed group: its key and label, and nothing else. */
export function withheld(key: string, label: string): Figures {
  return {
    key, label, suppressed: true,
    answers: null, npsAnswers: null, promoters: null, passives: null, detractors: null, nps: null, npsMarginOfError: null,
    effectAnswers: null, effectCounts: null, effectShare: null, effectMarginOfError: null,
    invitations: null, responseRate: null, npsFulfilment: null, effectFulfilment: null,
  };
}

const dimensionSql: Record<Dimension, { key: SQL; label: SQL }> = {
  hub: { key: sql`a.organisation_id::text`, label: sql`h.name` },
  municipality: { key: sql`coalesce(c.municipality_code::text, '-')`, label: sql`coalesce(m.name, '-')` },
  deliveryCategory: { key: sql`coalesce(dc.key, '-')`, label: sql`coalesce(dc.name, '(uden kategori)')` },
};

const joins = sql`
  JOIN organisations h ON h.id = a.organisation_id
  LEFT JOIN engagements e ON e.id = a.engagement_id
  LEFT JOIN companies c ON c.cvr = a.company_cvr
  LEFT JOIN municipalities m ON m.code = c.municipality_code
  LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id`;

/**
 * Checks a query under disclosure control: a whole period that has ended, and one dimension.
 * Returns the dimension of the table and the value filtered on, if any.
 */
export function checkAggregateQuery(filters: AggregateFilters, today: string) {
  const period = wholePeriod(filters.from, filters.to, today);
  if (!period.ok) throw fieldProblem(period.field, period.reason === 'required' ? 'required' : `disclosure.${period.reason}`);
  const filtered = DIMENSIONS.filter((d) => filters[d] !== undefined);
  if (filtered.length > 1) throw fieldProblem(filtered[1]!, 'disclosure.oneDimension');
  const grouped = filters.groupBy && (DIMENSIONS as readonly string[]).includes(filters.groupBy) ? (filters.groupBy as Dimension) : undefined;
  if (filtered[0] && grouped && grouped !== filtered[0]) throw fieldProblem('groupBy', 'disclosure.oneDimension');
  const dimension = filtered[0] ?? grouped;
  const value = filtered[0] ? String(filters[filtered[0]]) : undefined;
  return { year: period.year, period: period.period, dimension, value };
}

/** The latest calendar quarter that ended before `today` (ISO dates): where a protected query without dates looks. */
export function lastEndedQuarter(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const current = Math.ceil(Number(today.slice(5, 7)) / 3);
  const [y, q] = current === 1 ? [year - 1, 4] : [year, current - 1];
  const first = 3 * (q - 1) + 1;
  const last = new Date(Date.UTC(y, first + 2, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { from: `${y}-${mm(first)}-01`, to: `${y}-${mm(first + 2)}-${last}` };
}

/**
 * A query under disclosure control as it is answered, so that a client need not know the rule:
 *
 * - without `from` and `to`, the latest calendar quarter that has ended (explicit bounds are kept,
 *   and refused by `checkAggregateQuery` unless they are a whole ended period);
 * - a filter on one dimension with a grouping by another (a cross table the one-dimension tables do
 *   not protect) is grouped by month instead: the filtered value's own row of its table. A filter on
 *   two dimensions is left for `checkAggregateQuery` to refuse.
 *
 * The answer says which period and grouping it used.
 */
export function controlledQuery(filters: AggregateFilters, today: string): AggregateFilters {
  const period = filters.from === undefined && filters.to === undefined ? lastEndedQuarter(today) : { from: filters.from, to: filters.to };
  const filtered = DIMENSIONS.filter((d) => filters[d] !== undefined);
  const groupedByDimension = (DIMENSIONS as readonly string[]).includes(filters.groupBy ?? '');
  const crossed = filtered.length === 1 && groupedByDimension && filters.groupBy !== filtered[0];
  return { ...filters, ...period, groupBy: crossed ? 'month' : filters.groupBy };
}

interface CellFigures {
  label: string;
  answers: { nps: number | null; effect: EffectAnswer | null; count: number }[];
  answerUnits: number;
  invited: number;
  answered: number;
  invitedUnits: number;
}

/** The year's table for one dimension (or none): every cell's figures and its protection. */
async function yearTable(db: Db, year: number, dimension: Dimension | undefined, endedMonths: number) {
  const key = dimension ? dimensionSql[dimension].key : sql`'-'`;
  const label = dimension ? dimensionSql[dimension].label : sql`'-'`;
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const invitedOn = sql`(a.created_at AT TIME ZONE 'Europe/Copenhagen')::date`;
  const [answerRows, answerUnits, invitationRows] = await Promise.all([
    db.execute<{ key: string; label: string; month: number; nps: number | null; effect: EffectAnswer | null; n: number }>(sql`
      SELECT ${key} AS key, min(${label}) AS label, extract(month FROM a.answered_on)::int AS month, a.nps, a.effect, count(*)::int AS n
      FROM evaluation_answers a ${joins}
      WHERE a.answered_on BETWEEN ${from}::date AND ${to}::date
      GROUP BY 1, 3, 4, 5`),
    // Companies per cell: distinct over the quarter and the year, not a sum of months.
    db.execute<{ key: string | null; month: number | null; quarter: number | null; gk: number; gm: number; gq: number; units: number }>(sql`
      SELECT key, month, quarter, GROUPING(key)::int AS gk, GROUPING(month)::int AS gm, GROUPING(quarter)::int AS gq, count(DISTINCT unit)::int AS units
      FROM (SELECT ${key} AS key, extract(month FROM a.answered_on)::int AS month, extract(quarter FROM a.answered_on)::int AS quarter,
                   coalesce(a.company_cvr, a.id::text) AS unit
            FROM evaluation_answers a ${joins}
            WHERE a.answered_on BETWEEN ${from}::date AND ${to}::date) s
      GROUP BY GROUPING SETS ((key, month), (key, quarter), (key), (month), (quarter), ())`),
    db.execute<{ key: string | null; label: string | null; month: number | null; quarter: number | null; gk: number; gm: number; gq: number; invited: number; answered: number; units: number }>(sql`
      SELECT key, min(label) AS label, month, quarter, GROUPING(key)::int AS gk, GROUPING(month)::int AS gm, GROUPING(quarter)::int AS gq,
             count(*)::int AS invited, count(answered_at)::int AS answered, count(DISTINCT unit)::int AS units
      FROM (SELECT ${key} AS key, ${label} AS label, extract(month FROM ${invitedOn})::int AS month, extract(quarter FROM ${invitedOn})::int AS quarter,
                   coalesce(a.company_cvr, a.engagement_id::text) AS unit, a.answered_at
            FROM evaluation_invitations a ${joins}
            WHERE ${invitedOn} BETWEEN ${from}::date AND ${to}::date) s
      GROUP BY GROUPING SETS ((key, month), (key, quarter), (key), (month), (quarter), ())`),
  ]);

  const cells = new Map<string, CellFigures>();
  const labels = new Map<string, string>();
  const cell = (k: string) => {
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { label: '', answers: [], answerUnits: 0, invited: 0, answered: 0, invitedUnits: 0 }));
    return c;
  };
  const periodOf = (r: { month: number | null; quarter: number | null; gm: number; gq: number }) =>
    Number(r.gm) === 0 ? periodKeys.month(Number(r.month)) : Number(r.gq) === 0 ? periodKeys.quarter(Number(r.quarter)) : periodKeys.year;
  const rowOf = (r: { key: string | null; gk: number }) => (Number(r.gk) === 0 ? (r.key ?? '-') : TOTAL);

  // Without a dimension there is only the total row.
  for (const r of answerRows.rows) {
    const k = r.key ?? '-';
    if (dimension && !labels.has(k)) labels.set(k, r.label ?? '-');
    const month = Number(r.month);
    const figures = { nps: r.nps === null ? null : Number(r.nps), effect: r.effect, count: Number(r.n) };
    for (const p of periodsOfMonth(month)) {
      if (dimension) cell(cellKey(k, p)).answers.push(figures);
      cell(cellKey(TOTAL, p)).answers.push(figures);
    }
  }
  for (const r of answerUnits.rows) {
    const k = rowOf(r);
    if (dimension || k === TOTAL) cell(cellKey(k, periodOf(r))).answerUnits = Number(r.units);
  }
  for (const r of invitationRows.rows) {
    const k = rowOf(r);
    if (!dimension && k !== TOTAL) continue;
    if (k !== TOTAL && !labels.has(k)) labels.set(k, r.label ?? '-');
    const c = cell(cellKey(k, periodOf(r)));
    c.invited = Number(r.invited);
    c.answered = Number(r.answered);
    c.invitedUnits = Number(r.units);
  }

  // A cell rests on the companies that answered and, when it counts invitations, on those invited:
  // every figure in it must rest on at least the limit.
  const sizes = new Map<string, number>();
  for (const [k, c] of cells) sizes.set(k, c.invited > 0 ? Math.min(c.answerUnits, c.invitedUnits) : c.answerUnits);
  const groups = dimension ? [...labels.keys()] : [];
  // The overall of a period is the same cell in every grouping's table: settled alike for all; and
  // the table is settled as its months end, so that what was shown stays as it was.
  const suppressed = protectGroupsByPeriod(groups, sizes, endedMonths);
  return { cells, labels, suppressed };
}

/** How many months of `year` have ended by `today` (ISO date): 12 for a past year, 0 for a future one. */
function endedMonthsOf(year: number, today: string): number {
  const [thisYear, thisMonth] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return year < thisYear ? 12 : year === thisYear ? thisMonth - 1 : 0;
}

/**
 * The hub rows of the protected table by hub, as every reader under disclosure control sees them,
 * for figures made of whole months of one hub's answers (a contract's NPS or effect goal from its
 * start to a month end is the sum of the hub's month cells). The returned function says whether every
 * month cell of `hubId` from the month of `from` to the month of `to` (ISO dates, any years) is shown:
 * its month has ended and the cell is not suppressed (an empty cell discloses nobody and is shown
 * empty). Each year's table is computed once per returned function (one per request).
 */
export function protectedHubMonths(db: Db, today: string): (hubId: string, from: string, to: string) => Promise<boolean> {
  const years = new Map<number, Promise<{ suppressed: Set<string>; endedMonths: number }>>();
  const table = (year: number) => {
    let found = years.get(year);
    if (!found) {
      const endedMonths = endedMonthsOf(year, today);
      found = yearTable(db, year, 'hub', endedMonths).then(({ suppressed }) => ({ suppressed, endedMonths }));
      years.set(year, found);
    }
    return found;
  };
  return async (hubId, from, to) => {
    for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); y * 12 + m <= Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)); m === 12 ? (y++, (m = 1)) : m++) {
      const { suppressed, endedMonths } = await table(y);
      if (m > endedMonths || suppressed.has(cellKey(hubId, periodKeys.month(m)))) return false;
    }
    return true;
  };
}

/**
 * The results of a query under disclosure control, looked up in the protected table of the year.
 * `filters` is the query as `controlledQuery` answers it; `checkAggregateQuery` refuses what it may not ask.
 */
export async function aggregateEvaluationResults(db: Db, filters: AggregateFilters, today: string): Promise<{ overall: Figures; groups: Figures[] }> {
  const { year, period, dimension, value } = checkAggregateQuery(filters, today);
  const { cells, labels, suppressed } = await yearTable(db, year, dimension, endedMonthsOf(year, today));
  const scales = new Map((await db.select().from(fulfilmentScales)).map((s) => [s.key, s.thresholds as Threshold[]]));

  const figures = (row: string, p: string, key: string, label: string): Figures => {
    const k = cellKey(row, p);
    if (suppressed.has(k)) return withheld(key, label);
    const c = cells.get(k);
    const results = computeResults(c?.answers ?? []);
    const invited = c?.invited ?? 0;
    return {
      key,
      label,
      ...results,
      invitations: invited,
      responseRate: invited > 0 ? (100 * (c?.answered ?? 0)) / invited : null,
      npsFulfilment: fulfilment(results.nps, scales.get('goal1_nps') ?? []),
      effectFulfilment: fulfilment(results.effectShare, scales.get('goal2_effect') ?? []),
      suppressed: false,
    };
  };

  const row = value ?? TOTAL;
  const overall = figures(row, period, '*', value ? (labels.get(value) ?? 'I alt') : 'I alt');
  let groups: Figures[] = [];
  if (filters.groupBy === 'month') {
    for (const p of ALL_PERIODS) {
      if (!p.startsWith('M') || !cells.has(cellKey(row, p))) continue;
      const month = Number(p.slice(1));
      const inPeriod = period === periodKeys.year || period === p || period === periodKeys.quarter(Math.ceil(month / 3));
      if (!inPeriod) continue;
      const key = `${year}-${p.slice(1)}`;
      groups.push(figures(row, p, key, key));
    }
  } else if (filters.groupBy && dimension === filters.groupBy) {
    const keys = value ? [value] : [...labels.keys()];
    groups = keys.filter((k) => cells.has(cellKey(k, period))).map((k) => figures(k, period, k, labels.get(k) ?? k));
    groups.sort((a, b) => a.label.localeCompare(b.label, 'da'));
  }
  return { overall, groups };
}
