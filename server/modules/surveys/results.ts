/**
 * Survey results from the stored answers: response rate, per-question distributions and breakdowns
 * by industry group and size band. Pure: the service reads the rows, this counts them and, for anyone
 * but the owner, withholds what rests on fewer than 5 companies by the one rule in
 * server/policies/disclosure.ts (primary and complementary suppression over every way a table adds up).
 */
import type { Lang } from '../../http/i18n.ts';
import { flatTable, protectTable, type Partition } from '../../policies/disclosure.ts';
import { groupKeys, groupLabel, UNKNOWN_GROUP } from './groups.ts';
import { categoriesFor, categoriesOf, type AnswerSet, type Question } from './questionnaire.ts';
import type { Breakdown, QuestionResult } from './schemas.ts';

export interface ResponseRow {
  answers: AnswerSet;
  industryGroup: string | null;
  sizeBand: string | null;
}

const TOTAL = 'T';
const percent = (n: number | null, of: number | null) => (n === null || !of ? null : Math.round((1000 * n) / of) / 10);
const breakdownable = (q: Question) => q.type === 'single' || q.type === 'multiple' || q.type === 'scale';

/** The cells of one question's distribution: its total and what adds up to it. */
function distributionTable(q: Question, rows: readonly ResponseRow[]) {
  const sizes = new Map<string, number>();
  const bump = (k: string) => sizes.set(k, (sizes.get(k) ?? 0) + 1);
  const partitions: Partition[] = [];
  const answeredBy = rows.filter((r) => r.answers[q.id] !== undefined);
  if (q.type === 'matrix') {
    for (const row of q.rows) partitions.push({ total: `r:${row.id}`, cells: q.columns.map((c) => `${row.id}:${c.id}`) });
    for (const r of answeredBy) for (const k of categoriesOf(q, r.answers[q.id])) {
      bump(k);
      bump(`r:${k.split(':')[0]}`);
    }
  } else if (q.type === 'multiple') {
    for (const o of q.options) partitions.push({ total: TOTAL, cells: [`${o.id}:y`, `${o.id}:n`] });
    for (const r of answeredBy) {
      const chosen = new Set(categoriesOf(q, r.answers[q.id]));
      for (const o of q.options) bump(`${o.id}:${chosen.has(o.id) ? 'y' : 'n'}`);
    }
  } else {
    partitions.push({ total: TOTAL, cells: categoriesFor(q).map((c) => c.key) });
    for (const r of answeredBy) for (const k of categoriesOf(q, r.answers[q.id])) bump(k);
  }
  if (answeredBy.length > 0) sizes.set(TOTAL, answeredBy.length);
  return { sizes, partitions, answered: answeredBy.length };
}

/** What the distribution's cells are called: the chosen half of a multiple-choice option. */
const cellKeyOf = (q: Question, category: string) => (q.type === 'multiple' ? `${category}:y` : category);

export function questionResult(q: Question, rows: readonly ResponseRow[], protect: boolean, showTexts: boolean): { result: QuestionResult; suppressed: Set<string> } {
  const table = distributionTable(q, rows);
  const suppressed = protect ? protectTable({ sizes: table.sizes, partitions: table.partitions }) : new Set<string>();
  const shown = (k: string) => (suppressed.has(k) ? null : (table.sizes.get(k) ?? 0));
  const answered = shown(TOTAL);
  const base = { id: q.id, text: q.text, type: q.type, answered: table.answered === 0 ? 0 : answered, suppressed: suppressed.has(TOTAL) };
  if (q.type === 'text') {
    const texts = showTexts ? rows.map((r) => r.answers[q.id]).filter((v): v is string => typeof v === 'string' && v !== '') : null;
    return { result: { ...base, categories: [], texts }, suppressed };
  }
  const categories = categoriesFor(q).map((c) => {
    const key = cellKeyOf(q, c.key);
    const count = shown(key);
    const of = q.type === 'matrix' ? shown(`r:${c.row}`) : answered;
    return { ...c, count, percent: percent(count, of), suppressed: suppressed.has(key) };
  });
  const result: QuestionResult = { ...base, categories };
  if (q.type === 'matrix') result.rows = q.rows.map((r) => ({ id: r.id, label: r.label, answered: shown(`r:${r.id}`) ?? null, suppressed: suppressed.has(`r:${r.id}`) }));
  if (q.type === 'scale') {
    // A mean beside a partly hidden distribution is one more equation to solve it with.
    const hidden = categories.some((c) => c.suppressed) || answered === null;
    const values = rows.map((r) => r.answers[q.id]).filter((v): v is number => typeof v === 'number');
    result.mean = hidden || values.length === 0 ? null : Math.round((100 * values.reduce((a, b) => a + b, 0)) / values.length) / 100;
  }
  return { result, suppressed };
}

/**
 * A question by industry group or size band. The distribution's own cells (its total and each
 * category's) are already decided there and keep their fate here, so the breakdown by industry and
 * the one by size show the same totals and neither can be subtracted from the other.
 */
export function breakdown(q: Question, rows: readonly ResponseRow[], by: 'industry' | 'size', protect: boolean, distribution: { sizes: Map<string, number>; suppressed: Set<string> }, lang: Lang): Breakdown {
  const groups = groupKeys(by);
  const groupOf = (r: ResponseRow) => (by === 'industry' ? r.industryGroup : r.sizeBand) ?? UNKNOWN_GROUP;
  const cats = categoriesFor(q);
  const sizes = new Map<string, number>();
  const bump = (k: string) => sizes.set(k, (sizes.get(k) ?? 0) + 1);
  const partitions: Partition[] = [];
  const cellKeys = q.type === 'multiple' ? cats.flatMap((c) => [`${c.key}:y`, `${c.key}:n`]) : cats.map((c) => c.key);
  for (const g of groups) {
    if (q.type === 'multiple') for (const c of cats) partitions.push({ total: `${g}|${TOTAL}`, cells: [`${g}|${c.key}:y`, `${g}|${c.key}:n`] });
    else partitions.push({ total: `${g}|${TOTAL}`, cells: cellKeys.map((k) => `${g}|${k}`) });
  }
  for (const k of cellKeys) partitions.push({ total: k, cells: groups.map((g) => `${g}|${k}`) });
  partitions.push({ total: TOTAL, cells: groups.map((g) => `${g}|${TOTAL}`) });
  for (const r of rows) {
    const value = r.answers[q.id];
    if (value === undefined) continue;
    const g = groupOf(r);
    bump(`${g}|${TOTAL}`);
    const chosen = new Set(categoriesOf(q, value));
    if (q.type === 'multiple') for (const c of cats) bump(`${g}|${c.key}:${chosen.has(c.key) ? 'y' : 'n'}`);
    else for (const k of chosen) bump(`${g}|${k}`);
  }
  const decided = new Map<string, boolean>();
  for (const k of [TOTAL, ...cellKeys]) {
    const size = distribution.sizes.get(k);
    if (size) {
      sizes.set(k, size);
      decided.set(k, distribution.suppressed.has(k));
    }
  }
  const suppressed = protect ? protectTable({ sizes, partitions }, undefined, decided) : new Set<string>();
  const shown = (k: string) => (suppressed.has(k) ? null : (sizes.get(k) ?? 0));
  return {
    by,
    questionId: q.id,
    categories: cats.map((c) => ({ key: c.key, label: c.label })),
    groups: groups
      .filter((g) => sizes.has(`${g}|${TOTAL}`))
      .map((g) => {
        const answered = shown(`${g}|${TOTAL}`);
        return {
          key: g,
          label: groupLabel(by, g, lang),
          answered,
          suppressed: suppressed.has(`${g}|${TOTAL}`),
          cells: cats.map((c) => {
            const key = `${g}|${cellKeyOf(q, c.key)}`;
            const count = shown(key);
            return { key: c.key, count, percent: percent(count, answered), suppressed: suppressed.has(key) };
          }),
        };
      }),
  };
}

export interface ResultsInput {
  questions: readonly Question[];
  rows: readonly ResponseRow[];
  invited: number;
  answeredInvitations: number;
  protect: boolean;
  showTexts: boolean;
  breakdownQuestion: string | undefined;
  lang: Lang;
}

export function computeSurveyResults(input: ResultsInput) {
  const { questions, rows, protect, lang } = input;
  // Invited = answered + not answered; the response count itself rests on the companies that answered.
  const rate = flatTable({ key: 'invited', size: input.invited }, [
    { key: 'answered', size: input.answeredInvitations },
    { key: 'open', size: input.invited - input.answeredInvitations },
  ]);
  const rateSizes = new Map(rate.sizes);
  if (rows.length > 0) rateSizes.set('responses', rows.length);
  const rateHidden = protect ? protectTable({ sizes: rateSizes, partitions: rate.partitions }) : new Set<string>();
  const invited = rateHidden.has('invited') ? null : input.invited;
  const answeredInvitations = rateHidden.has('answered') ? null : input.answeredInvitations;
  const responses = rateHidden.has('responses') ? null : rows.length;

  const results: QuestionResult[] = [];
  const distributions = new Map<string, { sizes: Map<string, number>; suppressed: Set<string> }>();
  for (const q of questions) {
    const { result, suppressed } = questionResult(q, rows, protect, input.showTexts);
    results.push(result);
    distributions.set(q.id, { sizes: distributionTable(q, rows).sizes, suppressed });
  }
  const target = questions.find((q) => q.id === input.breakdownQuestion && breakdownable(q)) ?? questions.find(breakdownable);
  const breakdowns = target ? (['industry', 'size'] as const).map((by) => breakdown(target, rows, by, protect, distributions.get(target.id)!, lang)) : [];
  return {
    disclosureControl: protect,
    invited,
    responses,
    responseRate: percent(answeredInvitations, invited),
    questions: results,
    breakdowns,
  };
}
