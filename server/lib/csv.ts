import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for every CSV the app hands out (campaign lists, evaluation results, …), in the
 * form Danish spreadsheets open directly: semicolon-separated, CRLF line ends, UTF-8 with a BOM.
 *
 * Text cells are always quoted (quotes doubled, so a value cannot break out of its cell), and text a
 * spreadsheet would run as a formula is defused (OWASP, CSV injection): a cell starting with =, +, -,
 * @, tab or carriage return gets a leading single quote. Numbers are written as numbers — a number is
 * never a formula — formatted by `formatNumber` (e.g. with a decimal comma).
 */
export type CsvCell = string | number | null | undefined;

export interface CsvOptions {
  /** How numbers are written; default `String(n)`. */
  formatNumber?: (value: number) => string;
}

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text`, with a leading single quote if a spreadsheet would otherwise run it as a formula. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const formatNumber = options.formatNumber ?? String;
  return stringify([header, ...rows] as CsvCell[][], {
    delimiter: ';',
    record_delimiter: 'windows',
    bom: true,
    quoted_string: true,
    cast: {
      string: (value) => defuseFormula(value),
      number: (value) => ({ value: formatNumber(value), quoted: false }),
    },
  });
}

/** Where a route sends a CSV file. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
