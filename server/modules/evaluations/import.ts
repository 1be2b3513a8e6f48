import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { audit } from '../audit/service.ts';
import { isValidCvr } from '../companies/cvr.ts';
import { effectAnswers, evaluationAnswers, type EffectAnswer } from './schema.ts';

export interface EvaluationImportSummary {
  rows: number;
  matched: number;
  unmatched: { line: number; cvr: string; date: string }[];
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

/** Splits one CSV line (comma or semicolon separated; double quotes with "" escapes). */
export function splitCsvLine(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === separator && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** 2020-03-31 or 31-03-2020 / 31.03.2020 (Danish order). */
function parseDate(value: string): string | null {
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const danishMatch = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/.exec(value);
  const iso = isoMatch ? value : danishMatch ? `${danishMatch[3]}-${danishMatch[2]!.padStart(2, '0')}-${danishMatch[1]!.padStart(2, '0')}` : null;
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

type Row = { line: number; cvr: string; date: string; nps: number | null; effect: EffectAnswer | null; key: string };

/**
 * Imports answers collected by the national evaluation system: CSV with the header `cvr,date,nps,effect`.
 * Each row is matched to the company's specialised engagement active on the date; a row without one is
 * kept, attributed to the hub of the company's municipality and listed as unmatched. A malformed row is
 * reported with its line number and skipped. Importing the same file again adds nothing.
 */
export async function importEvaluationsFile(database: Database, filePath: string): Promise<EvaluationImportSummary> {
  const text = (await readFile(filePath, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const summary: EvaluationImportSummary = { rows: 0, matched: 0, unmatched: [], duplicates: 0, rejected: [] };
  const headerLine = lines[0] ?? '';
  const separator = headerLine.includes(';') ? ';' : ',';
  const header = splitCsvLine(headerLine, separator).map((h) => h.toLowerCase());
  const columns = ['cvr', 'date', 'nps', 'effect'].map((name) => header.indexOf(name));
  if (columns.some((c) => c < 0)) {
    summary.rejected.push({ line: 1, reason: `the header must name the columns cvr,date,nps,effect (found: ${header.join(',')})` });
    return summary;
  }
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    summary.rows++;
    const line = i + 1;
    const cells = splitCsvLine(raw, separator);
    const [cvr = '', dateText = '', npsText = '', effectText = ''] = columns.map((c) => cells[c] ?? '');
    if (!/^\d{8}$/.test(cvr) || !isValidCvr(cvr)) {
      summary.rejected.push({ line, reason: `invalid CVR number "${cvr}"` });
      continue;
    }
    const date = parseDate(dateText);
    if (!date) {
      summary.rejected.push({ line, reason: `invalid date "${dateText}"` });
      continue;
    }
    const nps = npsText === '' ? null : /^\d{1,2}$/.test(npsText) && Number(npsText) <= 10 ? Number(npsText) : undefined;
    if (nps === undefined) {
      summary.rejected.push({ line, reason: `NPS must be a whole number 0–10 or empty, got "${npsText}"` });
      continue;
    }
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
  await audit(database.db, null, { action: 'import', entity: 'evaluation', details: { file: filePath, rows: summary.rows, matched: summary.matched, unmatched: summary.unmatched.length, rejected: summary.rejected.length } });
  return summary;
}
