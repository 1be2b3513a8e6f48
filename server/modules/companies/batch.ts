import type { CompanyRecord } from './cvr-document.ts';

/**
 * A batch of register data ready for one upsert, already serialised: as jsonb parameters
 * (`companiesJson`, `unitsJson`), or as `COPY … FROM STDIN` text (`companiesCopy`, `unitsCopy`),
 * which the CVR import on PostgreSQL loads into staging tables instead (service.ts).
 */
export interface SerializedBatch {
  /** Sorted, so concurrent batches lock rows in the same order. */
  cvrs: string[];
  /** The file line each CVR's document came from, by position in `cvrs` (empty when not from a file). */
  lines: number[];
  /** For documents from a saved search response: the hit's place in it (1-based), by position in `cvrs`; empty otherwise. */
  hits?: (number | null)[];
  /** Sorted; a batch holding a P-number an unfinished batch also holds waits for it, as for CVRs. */
  pNumbers: string[];
  companiesJson?: string;
  unitsJson?: string | null;
  /** One line per company in `cvrs` order: the columns of `COMPANY_COLUMNS`, then `source` (always `cvr`: only register data travels so). */
  companiesCopy?: string;
  /** One line per production unit: p_number, cvr, valid_from, valid_to. */
  unitsCopy?: string | null;
}

export type BatchFormat = 'json' | 'copy';

/** The columns of a company row as the upsert writes them, in the order of the COPY text. */
export const COMPANY_COLUMNS = [
  'cvr', 'name', 'secondary_names', 'search_name', 'company_form_code', 'company_form_short', 'company_form_long',
  'street', 'address_text', 'postal_code', 'city', 'municipality_code', 'industry_code', 'industry_text', 'status',
  'status_since', 'founded_on', 'employees', 'employees_interval', 'employees_period', 'advertising_protected',
] as const;

/**
 * Serialises records for `upsertSerialized`. Kept apart from the database code so that the import's
 * parsing thread can do it too (it is as costly as the parsing itself at national scale).
 *
 * `records` are in file order. A P-number that two companies of the batch both list has moved
 * between them: the later document keeps it, as a later batch would (one upsert cannot touch the
 * same row twice, so the earlier claim is dropped rather than failing the batch) — unless its claim
 * is the older one (`olderClaim`), as the upsert decides against a stored owner too.
 */
export function serializeBatch(records: CompanyRecord[], lines: number[] = [], hits: (number | null)[] = [], format: BatchFormat = 'json'): SerializedBatch {
  const lineOf = new Map(records.map((r, i) => [r.cvr, lines[i]]));
  const hitOf = new Map(records.map((r, i) => [r.cvr, hits[i] ?? null]));
  const owner = new Map<string, { cvr: string; validTo: string | null }>();
  for (const r of records) {
    for (const p of r.production_units) {
      const held = owner.get(p.p_number);
      if (!held || !olderClaim(p.valid_to, held.validTo)) owner.set(p.p_number, { cvr: r.cvr, validTo: p.valid_to });
    }
  }
  const sorted = [...records].sort((a, b) => (a.cvr < b.cvr ? -1 : 1));
  const units: (CompanyRecord['production_units'][number] & { cvr: string })[] = [];
  for (const r of sorted) for (const p of r.production_units) if (owner.get(p.p_number)?.cvr === r.cvr) units.push({ p_number: p.p_number, valid_from: p.valid_from, valid_to: p.valid_to, cvr: r.cvr });
  units.sort((a, b) => (a.p_number < b.p_number ? -1 : 1));
  const keys = {
    cvrs: sorted.map((r) => r.cvr),
    lines: lines.length ? sorted.map((r) => lineOf.get(r.cvr)!) : [],
    hits: hits.length ? sorted.map((r) => hitOf.get(r.cvr)!) : [],
    pNumbers: units.map((u) => u.p_number),
  };
  if (format === 'copy') {
    let companiesCopy = '';
    for (const r of sorted) companiesCopy += companyCopyRow(r);
    let unitsCopy = '';
    for (const u of units) unitsCopy += `${copyValue(u.p_number)}\t${copyValue(u.cvr)}\t${copyValue(u.valid_from)}\t${copyValue(u.valid_to)}\n`;
    return { ...keys, companiesCopy, unitsCopy: units.length ? unitsCopy : null };
  }
  return {
    ...keys,
    companiesJson: JSON.stringify(sorted.map(({ production_units: _p, ...r }) => r)),
    unitsJson: units.length ? JSON.stringify(units) : null,
  };
}

/**
 * One row of `COPY … FROM STDIN` text format: tab-separated, `\N` for NULL, and a backslash, tab,
 * newline or carriage return inside a value escaped, so every row is exactly one line.
 */
function companyCopyRow(r: CompanyRecord): string {
  return `${copyValue(r.cvr)}\t${copyValue(r.name)}\t${copyArray(r.secondary_names)}\t${copyValue(r.search_name)}\t${copyValue(r.company_form_code)}\t${copyValue(r.company_form_short)}\t${copyValue(r.company_form_long)}\t${copyValue(r.street)}\t${copyValue(r.address_text)}\t${copyValue(r.postal_code)}\t${copyValue(r.city)}\t${copyValue(r.municipality_code)}\t${copyValue(r.industry_code)}\t${copyValue(r.industry_text)}\t${copyValue(r.status)}\t${copyValue(r.status_since ?? null)}\t${copyValue(r.founded_on)}\t${copyValue(r.employees)}\t${copyValue(r.employees_interval)}\t${copyValue(r.employees_period)}\t${r.advertising_protected ? 't' : 'f'}\tcvr\n`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (text: string) => (COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]!) : text);

/** A value as COPY text. Anything that is not a string, number or boolean is written as text for PostgreSQL to refuse, as the jsonb path would. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return copyText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyText(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** A text[] as an array literal: every element double-quoted, with `"` and `\` escaped inside, then as COPY text. */
function copyArray(values: string[]): string {
  if (values.length === 0) return '{}';
  let literal = '{';
  for (let i = 0; i < values.length; i++) literal += `${i ? ',' : ''}"${String(values[i]).replace(/["\\]/g, '\\$&')}"`;
  return copyText(`${literal}}`);
}

/**
 * Whether a claim on a P-number that ended (`validTo`) is older than the one held. The register keeps
 * a unit that moved in the former owner's document too, with its period closed on the day it moved;
 * that document may well be newer (the former owner changes its name), but must not take the unit
 * back. An open claim is the current one; of two ended ones, the later end is the last owner.
 */
export function olderClaim(validTo: string | null, heldValidTo: string | null): boolean {
  return validTo !== null && (heldValidTo === null || validTo < heldValidTo);
}
