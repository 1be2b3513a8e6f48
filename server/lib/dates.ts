import { z } from 'zod';

/**
 * A calendar date YYYY-MM-DD that exists (one check, so a bad value gives one message). Year 0000
 * exists for JavaScript but not for PostgreSQL (SQLSTATE 22008), so years run from 0001.
 */
export const isoDate = z.string().refine((v) => isExistingDate(v), { message: 'invalidFormat' });

/** The check behind `isoDate`, for code that validates without Zod (the CVR import's mapper). */
export function isExistingDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  // Counted rather than parsed with Date (2025-02-30 would parse as 2 March): the CVR import checks
  // every date of every document, and this is several times faster.
  const year = Number(v.slice(0, 4));
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A moment with its offset, in years PostgreSQL holds as written: JavaScript takes year 0000 (and an
 * offset can carry 0001 or 9999 across), PostgreSQL refuses it (SQLSTATE 22008).
 */
export const isoDateTime = z.iso.datetime({ offset: true }).refine(
  (v) => {
    const year = new Date(v).getUTCFullYear();
    // Not a moment at all (2026-02-30T…): the format check has said so already, once is enough.
    return Number.isNaN(year) || (year >= 1 && year <= 9999);
  },
  { message: 'invalidFormat' },
);

/**
 * Whether a range ends before it starts: dates (YYYY-MM-DD) and moments compare as points in time, and
 * a range open at either side never does. `allowEqual: false` refuses a range that ends as it starts.
 */
export function endsBeforeStart(start: string | null | undefined, end: string | null | undefined, options: { allowEqual?: boolean } = {}): boolean {
  if (!start || !end) return false;
  const [from, to] = [Date.parse(start), Date.parse(end)];
  return options.allowEqual === false ? to <= from : to < from;
}

/**
 * The same check as a refinement of an object schema holding both ends (a query's from/to, a body's
 * period): the issue is on the end field, with the message key given.
 */
export function rangeRefinement<K extends string>(startKey: K, endKey: K, messageKey: string, options: { allowEqual?: boolean } = {}) {
  return (value: Partial<Record<K, string | null | undefined>>, ctx: z.RefinementCtx) => {
    if (endsBeforeStart(value[startKey], value[endKey], options)) ctx.addIssue({ code: 'custom', path: [endKey], message: messageKey });
  };
}
