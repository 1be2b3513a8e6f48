/**
 * The questionnaire engine: question definitions (single and multiple choice, scale, free text,
 * matrix), their Zod schemas, and the one validator of an answer set against a definition. Surveys
 * store and check their questions with it, and the self-assessments on the public entry point check
 * their answers with it (server/modules/offers/self-assessment.ts), so there is one engine, not three.
 */
import { z } from 'zod';

// Not a name an object already has (`constructor`, `__proto__`): an answer set would seem to hold it unanswered.
const id = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'invalidFormat' })
  .refine((v) => !(v in Object.prototype), { message: 'invalidFormat' });
const label = z.string().trim().min(1).max(300);

export const optionSchema = z.strictObject({ id, label });

const base = { id, text: z.string().trim().min(1).max(1000), help: z.string().trim().max(1000).optional(), required: z.boolean().default(false) };

export const singleQuestion = z.strictObject({ ...base, type: z.literal('single'), options: z.array(optionSchema).min(2).max(30) });
export const multipleQuestion = z.strictObject({
  ...base,
  type: z.literal('multiple'),
  options: z.array(optionSchema).min(2).max(30),
  /** At most this many options may be ticked; all when absent. */
  maxChoices: z.number().int().min(1).max(30).optional(),
});
export const scaleQuestion = z.strictObject({
  ...base,
  type: z.literal('scale'),
  min: z.number().int().min(0).max(10),
  max: z.number().int().min(1).max(10),
  minLabel: z.string().trim().max(100).optional(),
  maxLabel: z.string().trim().max(100).optional(),
});
export const textQuestion = z.strictObject({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(5000).default(2000) });
export const matrixQuestion = z.strictObject({
  ...base,
  type: z.literal('matrix'),
  rows: z.array(optionSchema).min(1).max(20),
  /** One choice per row from the same set of columns (e.g. "I høj grad" … "Slet ikke"). */
  columns: z.array(optionSchema).min(2).max(10),
});

export const questionSchema = z.discriminatedUnion('type', [singleQuestion, multipleQuestion, scaleQuestion, textQuestion, matrixQuestion]);
export type Question = z.output<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;
export const questionTypes = ['single', 'multiple', 'scale', 'text', 'matrix'] as const;
export type QuestionType = (typeof questionTypes)[number];

const duplicates = (ids: string[]) => ids.filter((x, i) => ids.indexOf(x) !== i);

/** A questionnaire: 1–100 questions with unique ids, and unique option (row, column) ids within each. */
export const questionnaireSchema = z.array(questionSchema).min(1).max(100).superRefine((questions, ctx) => {
  for (const dup of new Set(duplicates(questions.map((q) => q.id)))) {
    ctx.addIssue({ code: 'custom', message: 'survey.duplicateId', path: [questions.map((q) => q.id).lastIndexOf(dup), 'id'] });
  }
  questions.forEach((q, i) => {
    const lists: [string, { id: string }[]][] = q.type === 'matrix' ? [['rows', q.rows], ['columns', q.columns]] : q.type === 'single' || q.type === 'multiple' ? [['options', q.options]] : [];
    for (const [key, list] of lists) {
      const ids = list.map((o) => o.id);
      for (const dup of new Set(duplicates(ids))) ctx.addIssue({ code: 'custom', message: 'survey.duplicateId', path: [i, key, ids.lastIndexOf(dup), 'id'] });
    }
    if (q.type === 'scale' && q.min >= q.max) ctx.addIssue({ code: 'custom', message: 'survey.scaleRange', path: [i, 'max'] });
    if (q.type === 'multiple' && q.maxChoices !== undefined && q.maxChoices > q.options.length) ctx.addIssue({ code: 'custom', message: 'survey.maxChoices', path: [i, 'maxChoices'] });
  });
});

/** What a respondent may send for one question. */
// No more keys than a questionnaire (or a matrix) can have: each unknown one is a field error in the answer.
const atMost = (n: number) => (o: object) => Object.keys(o).length <= n;
export const answerValueSchema = z.union([z.string().max(5000), z.number(), z.array(z.string().max(40)).max(30), z.record(z.string().max(40), z.string().max(40)).refine(atMost(20), { message: 'survey.tooManyAnswers' })]);
export const answerSetSchema = z.record(z.string().max(40), answerValueSchema).refine(atMost(100), { message: 'survey.tooManyAnswers' });
export type AnswerValue = string | number | string[] | Record<string, string>;
export type AnswerSet = Record<string, AnswerValue>;

export interface AnswerIssue {
  /** `answers.<questionId>` (or `answers.<questionId>.<rowId>` for a matrix row). */
  field: string;
  /** A message key of server/http/i18n.ts. */
  key: string;
  params?: Record<string, string | number>;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * Checks an answer set against a questionnaire: required questions answered, choices among the
 * question's options, scale values whole numbers in range, text within its length, a matrix row
 * per known row and a known column. Returns the answers as stored (trimmed text, blanks left out,
 * unique choices in the question's order), or every issue found.
 */
export function validateAnswers(questions: readonly Question[], answers: Record<string, unknown>): { ok: true; answers: AnswerSet } | { ok: false; issues: AnswerIssue[] } {
  const issues: AnswerIssue[] = [];
  const clean: AnswerSet = {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) if (!known.has(key)) issues.push({ field: `answers.${key}`, key: 'survey.unknownQuestion' });
  for (const q of questions) {
    const field = `answers.${q.id}`;
    const value = answers[q.id];
    if (isBlank(value)) {
      if (q.required) issues.push({ field, key: 'required' });
      continue;
    }
    const wrongType = (expected: string) => issues.push({ field, key: 'invalidType', params: { expected } });
    switch (q.type) {
      case 'single': {
        if (typeof value !== 'string') wrongType('string');
        else if (!q.options.some((o) => o.id === value)) issues.push({ field, key: 'invalidOption', params: { options: q.options.map((o) => o.id).join(', ') } });
        else clean[q.id] = value;
        break;
      }
      case 'multiple': {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
          wrongType('array');
          break;
        }
        const unknown = value.find((v) => !q.options.some((o) => o.id === v));
        if (unknown !== undefined) {
          issues.push({ field, key: 'invalidOption', params: { options: q.options.map((o) => o.id).join(', ') } });
          break;
        }
        const chosen = q.options.filter((o) => value.includes(o.id)).map((o) => o.id);
        if (q.maxChoices !== undefined && chosen.length > q.maxChoices) issues.push({ field, key: 'survey.tooManyChoices', params: { maximum: q.maxChoices } });
        else clean[q.id] = chosen;
        break;
      }
      case 'scale': {
        if (typeof value !== 'number' || !Number.isInteger(value)) wrongType('integer');
        else if (value < q.min) issues.push({ field, key: 'tooSmall', params: { minimum: q.min } });
        else if (value > q.max) issues.push({ field, key: 'tooBig', params: { maximum: q.max } });
        else clean[q.id] = value;
        break;
      }
      case 'text': {
        if (typeof value !== 'string') wrongType('string');
        else if (value.trim().length > q.maxLength) issues.push({ field, key: 'tooLong', params: { maximum: q.maxLength } });
        else clean[q.id] = value.trim();
        break;
      }
      case 'matrix': {
        if (typeof value !== 'object' || Array.isArray(value)) {
          wrongType('object');
          break;
        }
        const row: Record<string, string> = {};
        const given = value as Record<string, unknown>;
        for (const key of Object.keys(given)) if (!q.rows.some((r) => r.id === key)) issues.push({ field: `${field}.${key}`, key: 'survey.unknownQuestion' });
        for (const r of q.rows) {
          const cell = given[r.id];
          if (cell === undefined || cell === null || cell === '') {
            if (q.required) issues.push({ field: `${field}.${r.id}`, key: 'required' });
          } else if (typeof cell !== 'string' || !q.columns.some((c) => c.id === cell)) {
            issues.push({ field: `${field}.${r.id}`, key: 'invalidOption', params: { options: q.columns.map((c) => c.id).join(', ') } });
          } else row[r.id] = cell;
        }
        if (Object.keys(row).length > 0) clean[q.id] = row;
        break;
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers: clean };
}

/**
 * The categories an answer to `q` falls in, for counting: the option for single choice, every ticked
 * option for multiple choice, the value for a scale, `row:column` for each matrix row; none for text.
 */
export function categoriesOf(q: Question, value: AnswerValue | undefined): string[] {
  if (value === undefined) return [];
  switch (q.type) {
    case 'single':
      return [value as string];
    case 'multiple':
      return value as string[];
    case 'scale':
      return [String(value)];
    case 'matrix':
      return Object.entries(value as Record<string, string>).map(([r, c]) => `${r}:${c}`);
    case 'text':
      return [];
  }
}

/** The categories a question is counted in, in order, with their labels (scale points labelled by number). */
export function categoriesFor(q: Question): { key: string; label: string; row?: string }[] {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.map((o) => ({ key: o.id, label: o.label }));
    case 'scale':
      return Array.from({ length: q.max - q.min + 1 }, (_, i) => {
        const v = q.min + i;
        const named = v === q.min ? q.minLabel : v === q.max ? q.maxLabel : undefined;
        return { key: String(v), label: named ? `${v} (${named})` : String(v) };
      });
    case 'matrix':
      return q.rows.flatMap((r) => q.columns.map((c) => ({ key: `${r.id}:${c.id}`, label: c.label, row: r.id })));
    case 'text':
      return [];
  }
}
