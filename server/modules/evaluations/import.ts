import { readFile } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Database } from '../../db/client.ts';
import { danishDate } from '../../lib/working-days.ts';
import { audit } from '../audit/service.ts';
import { isValidCvr } from '../companies/cvr.ts';
import { effectAnswers, evaluationAnswers, type EffectAnswer } from './schema.ts';

/** The national user evaluation of specialised guidance began in 2019; an earlier answer is a typo. */
export const SCHEME_START = '2019-01-01';

/** How the file's bytes were read: a text encoding, or an Excel workbook. */
export type FileEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16' | 'windows-1252' | 'xlsx';

export interface EvaluationImportSummary {
  file: string;
  encoding: FileEncoding;
  /** The CSV separator found in the header; null for a workbook. */
  separator: ',' | ';' | '\t' | null;
  /** Data rows read (the header and empty rows not counted). */
  rows: number;
  /** Rows stored by this run: matched plus unmatched. */
  imported: number;
  matched: number;
  unmatched: { line: number; cvr: string; date: string }[];
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

type Cell = string | number | Date | null;
/** A record as the file holds it; `line` is the physical line (CSV) or row number (workbook) where it starts. */
type SourceRecord = { line: number; cells: Cell[] };
type Source = { encoding: FileEncoding; separator: EvaluationImportSummary['separator']; records: SourceRecord[]; rejected: EvaluationImportSummary['rejected'] };

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The compound file of the old binary .xls format. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];

/**
 * Danish Excel saves "CSV (semikolonsepareret)" in Windows-1252 and "CSV UTF-8" with a BOM; the
 * national evaluation system exports UTF-8 without one. Bytes that are not valid UTF-8 are almost
 * never meant as UTF-8, so a strict decode decides and Windows-1252 is the fallback.
 */
function decode(bytes: Uint8Array): { text: string; encoding: FileEncoding } {
  // Excel's "Unicode text" (tab separated).
  if (startsWith(bytes, UTF16LE_BOM)) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16' };
  const bom = startsWith(bytes, UTF8_BOM);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes), encoding: bom ? 'utf-8 with BOM' : 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** The separator is whichever of ; , and tab the header uses most; a header names no column with one in it. */
function detectSeparator(header: string): ';' | ',' | '\t' {
  const counts = ([';', ',', '\t'] as const).map((s) => [s, header.split(s).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best![1] > 0 ? best![0] : ',';
}

const csvErrors: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a cell',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a cell',
};

function readCsv(bytes: Uint8Array): Source {
  const { text, encoding } = decode(bytes);
  // One kind of line break: csv-parse counts CR and LF inside a quoted cell as a line each.
  const normalised = text.replace(/\r\n?/g, '\n');
  const physical = normalised.split('\n');
  const separator = detectSeparator(physical.find((l) => l.trim() !== '') ?? '');
  const records: SourceRecord[] = [];
  const rejected: Source['rejected'] = [];
  let lastLine = 0;
  try {
    parse(normalised, {
      delimiter: separator,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (record: string[], context) => {
        // `lines` is where the record ends; its quoted line breaks say how far back it starts.
        const inner = record.reduce((n, cell) => n + cell.split('\n').length - 1, 0);
        records.push({ line: context.lines - inner, cells: record });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The parser cannot find where a broken record ends, so nothing after it can be trusted.
    const index = physical.findIndex((l, i) => i >= lastLine && l.replaceAll(separator, '').trim() !== '');
    rejected.push({ line: index < 0 ? lastLine + 1 : index + 1, reason: `the file cannot be read as CSV from this line on (${csvErrors[error.code] ?? error.message}); nothing after it is imported` });
  }
  return { encoding, separator, records, rejected };
}

/** A cell's value as a string, a number or a date; formulas by their result, rich text as its text. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('text' in value) return cellValue(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return null;
}

async function readWorkbook(bytes: Buffer): Promise<Source & { date1904: boolean }> {
  const book = new ExcelJS.Workbook();
  const notAWorkbook = { encoding: 'xlsx' as const, separator: null, records: [], rejected: [{ line: 1, reason: 'the file is a zip archive but not an Excel workbook (.xlsx)' }], date1904: false };
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return notAWorkbook;
  }
  // A Word document or any other zip loads as a workbook without sheets.
  const sheet = book.worksheets[0];
  if (!sheet) return notAWorkbook;
  const records: SourceRecord[] = [];
  sheet.eachRow((row, rowNumber) => {
    const cells = Array.from({ length: row.cellCount }, (_, i) => cellValue(row.getCell(i + 1).value));
    if (cells.some((c) => c !== null && String(c).trim() !== '')) records.push({ line: rowNumber, cells });
  });
  return { encoding: 'xlsx', separator: null, records, rejected: [], date1904: !!book.properties?.date1904 };
}

const isoOf = (d: Date) => (Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10));

/** Text with the date written as ISO or in Danish order (31-03-2026, 31.03.2026, 31/03/2026), a time of day allowed after it. */
function parseDateText(value: string): string | null {
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  const danishMatch = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?: \d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/.exec(value);
  const iso = isoMatch ? `${isoMatch[1]}-${isoMatch[2]}-${isoMatch[3]}` : danishMatch ? `${danishMatch[3]}-${danishMatch[2]!.padStart(2, '0')}-${danishMatch[1]!.padStart(2, '0')}` : null;
  if (!iso) return null;
  return isoOf(new Date(`${iso}T00:00:00Z`)) === iso ? iso : null;
}

/**
 * Excel holds a date as a day count; a workbook cell formatted as a date arrives as a Date (exceljs
 * reads it as UTC midnight), one left in the General format as the bare number.
 */
function parseDateCell(cell: Cell, date1904: boolean): string | null {
  if (cell instanceof Date) return isoOf(cell);
  if (typeof cell === 'number') {
    if (!(cell >= 1 && cell < 2958466)) return null;
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
    return isoOf(new Date(epoch + Math.floor(cell) * 86_400_000));
  }
  return cell === null ? null : parseDateText(cell.trim());
}

const asText = (cell: Cell): string => (cell === null ? '' : cell instanceof Date ? (isoOf(cell) ?? '') : String(cell).trim());

type Row = { line: number; cvr: string; date: string; nps: number | null; effect: EffectAnswer | null; key: string };

/**
 * Reads a file of answers from the national evaluation system as people really save it: CSV in
 * UTF-8 (with or without BOM), UTF-16 or Windows-1252, separated by comma, semicolon or tab, with any
 * line breaks and quoted cells spanning lines; or an Excel workbook (first sheet). The header names
 * the columns `cvr,date,nps,effect` in any order; other columns are ignored.
 *
 * Each row is matched to the company's specialised engagement active on the date; a row without one
 * is kept, attributed to the hub of the company's municipality and listed as unmatched. A malformed
 * row, or one dated after today or before the scheme began, is reported with the line it starts on
 * and skipped. Importing the same answers again, from either kind of file, adds nothing.
 */
export async function importEvaluationsFile(database: Database, filePath: string, options: { today?: string } = {}): Promise<EvaluationImportSummary> {
  const today = options.today ?? danishDate(new Date());
  const bytes = await readFile(filePath);
  const source: Source & { date1904?: boolean } = startsWith(bytes, ZIP)
    ? await readWorkbook(bytes)
    : startsWith(bytes, OLE)
      ? { encoding: 'xlsx', separator: null, records: [], rejected: [{ line: 1, reason: 'the file is in the old Excel format (.xls); save it as an Excel workbook (.xlsx) or as CSV' }] }
      : readCsv(bytes);
  const summary: EvaluationImportSummary = { file: filePath, encoding: source.encoding, separator: source.separator, rows: 0, imported: 0, matched: 0, unmatched: [], duplicates: 0, rejected: [...source.rejected] };
  const [headerRecord, ...dataRecords] = source.records;
  if (!headerRecord) {
    if (summary.rejected.length === 0) summary.rejected.push({ line: 1, reason: 'the file is empty' });
    return summary;
  }
  const header = headerRecord.cells.map((h) => asText(h).toLowerCase());
  const columns = ['cvr', 'date', 'nps', 'effect'].map((name) => header.indexOf(name));
  if (columns.some((c) => c < 0)) {
    summary.rejected.unshift({ line: headerRecord.line, reason: `the header must name the columns cvr,date,nps,effect (found: ${header.join(',')})` });
    return summary;
  }
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of dataRecords) {
    summary.rows++;
    const [cvrCell = null, dateCell = null, npsCell = null, effectCell = null] = columns.map((c) => cells[c] ?? null);
    const cvr = asText(cvrCell);
    if (!/^\d{8}$/.test(cvr) || !isValidCvr(cvr)) {
      summary.rejected.push({ line, reason: `invalid CVR number "${cvr}"` });
      continue;
    }
    const date = parseDateCell(dateCell, !!source.date1904);
    if (!date) {
      summary.rejected.push({ line, reason: `invalid date "${asText(dateCell)}"` });
      continue;
    }
    if (date > today) {
      summary.rejected.push({ line, reason: `the answer is dated ${date}, after today (${today})` });
      continue;
    }
    if (date < SCHEME_START) {
      summary.rejected.push({ line, reason: `the answer is dated ${date}, before the evaluation scheme began (${SCHEME_START})` });
      continue;
    }
    const npsText = asText(npsCell);
    const nps = npsText === '' ? null : /^\d{1,2}$/.test(npsText) && Number(npsText) <= 10 ? Number(npsText) : undefined;
    if (nps === undefined) {
      summary.rejected.push({ line, reason: `NPS must be a whole number 0–10 or empty, got "${npsText}"` });
      continue;
    }
    const effectText = asText(effectCell);
    const effectKey = effectText.toLowerCase().replace(/\s+/g, ' ');
    const effect = effectKey === '' ? null : (effectAnswers as readonly string[]).includes(effectKey) ? (effectKey as EffectAnswer) : undefined;
    if (effect === undefined) {
      summary.rejected.push({ line, reason: `unknown effect answer "${effectText}" (expected one of: ${effectAnswers.join(', ')})` });
      continue;
    }
    if (nps === null && effect === null) {
      summary.rejected.push({ line, reason: 'neither NPS nor effect is given' });
      continue;
    }
    // Identical rows in one file are distinct answers; the occurrence number keeps them apart.
    const base = `${cvr}|${date}|${nps ?? ''}|${effect ?? ''}`;
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    rows.push({ line, cvr, date, nps, effect, key: `${base}|${occurrence}` });
  }

  for (const row of rows) {
    const [target] = (await database.db.execute<{ engagement_id: string | null; organisation_id: string | null }>(sql`
      SELECT (SELECT e.id FROM engagements e JOIN organisations o ON o.id = e.organisation_id
              WHERE e.company_cvr = c.cvr AND e.level = 'specialised' AND o.type = 'business_hub' AND NOT e.confidential
                AND e.opened_on <= ${row.date}::date AND (e.closed_on IS NULL OR e.closed_on >= ${row.date}::date)
              ORDER BY e.opened_on DESC LIMIT 1) AS engagement_id,
             coalesce((SELECT e.organisation_id FROM engagements e WHERE e.company_cvr = c.cvr AND e.level = 'specialised'
                         AND e.opened_on <= ${row.date}::date AND (e.closed_on IS NULL OR e.closed_on >= ${row.date}::date)
                       ORDER BY e.opened_on DESC LIMIT 1), m.hub_id) AS organisation_id
      FROM companies c LEFT JOIN municipalities m ON m.code = c.municipality_code
      WHERE c.cvr = ${row.cvr}`)).rows;
    if (!target?.organisation_id) {
      summary.rejected.push({ line: row.line, reason: target ? `company ${row.cvr} has no municipality, so no hub to attribute the answer to` : `company ${row.cvr} is not in Knudepunkt's register` });
      continue;
    }
    const inserted = await database.db
      .insert(evaluationAnswers)
      .values({ engagementId: target.engagement_id, companyCvr: row.cvr, organisationId: target.organisation_id, answeredOn: row.date, nps: row.nps, effect: row.effect, source: 'import', importKey: row.key })
      .onConflictDoNothing({ target: evaluationAnswers.importKey })
      .returning({ id: evaluationAnswers.id });
    if (inserted.length === 0) summary.duplicates++;
    else if (target.engagement_id) summary.matched++;
    else summary.unmatched.push({ line: row.line, cvr: row.cvr, date: row.date });
  }
  summary.imported = summary.matched + summary.unmatched.length;
  summary.rejected.sort((a, b) => a.line - b.line);
  await audit(database.db, null, {
    action: 'import',
    entity: 'evaluation',
    details: { file: filePath, encoding: summary.encoding, rows: summary.rows, imported: summary.imported, matched: summary.matched, unmatched: summary.unmatched.length, duplicates: summary.duplicates, rejected: summary.rejected.length },
  });
  return summary;
}
