import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/commands.ts';
import type { Reporter } from '../../cli/reporter.ts';
import { samples } from '../../test/file-samples.ts';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { importCvrFile } from '../companies/import.ts';
import { importEvaluationsFile } from './import.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));
/** Has a specialised engagement from 2026-01-01 (made in beforeAll), so its answers match. */
const ENGAGED = '42611433';
/** Registered companies in Fredensborg and Gladsaxe without engagements: their answers are unmatched. */
const [FREDENSBORG, GLADSAXE, FREDENSBORG_2] = ['35682872', '34689733', '44477378'];

/**
 * Windows-1252 as Danish Excel writes "CSV (semikolonsepareret)": Latin-1 for æøå and the other
 * letters, and its own bytes in 0x80–0x9F for the typographic marks. Node has no encoder for it.
 */
const cp1252Marks: Record<string, number> = { '€': 0x80, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
function windows1252(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.codePointAt(0)!;
      if (ch in cp1252Marks) return cp1252Marks[ch]!;
      if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
      throw new Error(`"${ch}" is not in Windows-1252`);
    }),
  );
}

const isUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

type Answer = { company_cvr: string; answered_on: string; nps: number | null; effect: string | null; matched: boolean; hub: string };

describe('importing evaluation answers as people save them', () => {
  let t: TestContext;
  let dir: string;
  let today: string;
  afterAll(() => t.close());

  beforeAll(async () => {
    t = await createTestApp();
    today = t.clock.now.toISOString().slice(0, 10);
    dir = mkdtempSync(path.join(tmpdir(), 'kp-eval-import-'));
    await importCvrFile(t.database, fixture);
    await createUser(t.database, { email: 'hub@test.dk', role: 'manager', org: orgKeys.sydjylland });
    const hub = await login(t.app, 'hub@test.dk');
    const engagement = await t.app.inject({ method: 'POST', url: '/api/v1/engagements', headers: hub.headers, payload: { companyCvr: ENGAGED, level: 'specialised', themes: ['growth'], openedOn: '2026-01-01' } });
    expect(engagement.statusCode, engagement.body).toBe(201);
  });

  const file = (name: string, bytes: Buffer | string) => {
    const target = path.join(dir, name);
    writeFileSync(target, bytes);
    return target;
  };

  /** The imported answers dated within [from, to], as stored. */
  const stored = (from: string, to: string) =>
    t.database.rows<Answer>(sql`
      SELECT a.company_cvr, a.answered_on::text AS answered_on, a.nps, a.effect, a.engagement_id IS NOT NULL AS matched, o.name AS hub
      FROM evaluation_answers a JOIN organisations o ON o.id = a.organisation_id
      WHERE a.source = 'import' AND a.answered_on BETWEEN ${from}::date AND ${to}::date
      ORDER BY a.answered_on, a.company_cvr`);

  it('reads Danish Excel\'s semicolon CSV in Windows-1252 with CRLF and Danish dates', async () => {
    const text = [
      'Cvr;Date;NPS;Effect;Virksomhed;Kommentar',
      `${ENGAGED};15-03-2026;9;i høj grad;Assure Alternatives A/S;Rådgiveren – Søren – var “god”`,
      `${FREDENSBORG};16.03.2026;7;I NOGEN GRAD;Ærø Møbelsnedkeri;Pris 5.000 € for forløbet`,
      `${GLADSAXE};17-03-2026;3;slet ikke;Gladsaxe Åkande ApS;"Ikke relevant; for tidligt"`,
    ].join('\r\n') + '\r\n';
    const bytes = windows1252(text);
    expect(isUtf8(bytes)).toBe(false);
    const summary = await importEvaluationsFile(t.database, file('excel-semikolon.csv', bytes), { today });
    expect(summary).toMatchObject({ encoding: 'windows-1252', separator: ';', rows: 3, imported: 3, matched: 1, duplicates: 0, rejected: [] });
    expect(summary.unmatched).toEqual([
      { line: 3, cvr: FREDENSBORG, date: '2026-03-16' },
      { line: 4, cvr: GLADSAXE, date: '2026-03-17' },
    ]);
    expect(await stored('2026-03-15', '2026-03-17')).toEqual([
      { company_cvr: ENGAGED, answered_on: '2026-03-15', nps: 9, effect: 'i høj grad', matched: true, hub: 'Erhvervshus Sydjylland' },
      { company_cvr: FREDENSBORG, answered_on: '2026-03-16', nps: 7, effect: 'i nogen grad', matched: false, hub: 'Erhvervshus Hovedstaden' },
      { company_cvr: GLADSAXE, answered_on: '2026-03-17', nps: 3, effect: 'slet ikke', matched: false, hub: 'Erhvervshus Hovedstaden' },
    ]);
  });

  it('takes a file that is plain ASCII but for one Windows-1252 byte as Windows-1252, not as broken UTF-8', async () => {
    // "ø" alone as 0xF8: a lenient UTF-8 decoder would make it U+FFFD and the answer unknown.
    const bytes = windows1252(`cvr,date,nps,effect\n${FREDENSBORG_2},2026-04-01,8,i høj grad\n`);
    expect(isUtf8(bytes)).toBe(false);
    const summary = await importEvaluationsFile(t.database, file('en-byte.csv', bytes), { today });
    expect(summary).toMatchObject({ encoding: 'windows-1252', separator: ',', rows: 1, imported: 1, rejected: [] });
    expect(await stored('2026-04-01', '2026-04-01')).toEqual([{ company_cvr: FREDENSBORG_2, answered_on: '2026-04-01', nps: 8, effect: 'i høj grad', matched: false, hub: 'Erhvervshus Hovedstaden' }]);
  });

  it('reads Excel\'s "CSV UTF-8" (BOM, semicolons, CRLF) and counts lines physically across quoted line breaks', async () => {
    const text = [
      'cvr;date;nps;effect;kommentar', // line 1
      `${ENGAGED};2026-05-04;10;i høj grad;"Meget tilfreds.\r\nSærligt ""eksportdelen""; tak"`, // lines 2–3
      `${FREDENSBORG};2026-05-05;11;ved ikke;for høj`, // line 4: NPS out of range
      `12345678;2026-05-06;5;ved ikke;"Forkert\r\nCVR-\r\nnummer"`, // lines 5–7: bad CVR
      '', // line 8
      `${GLADSAXE};2026-05-07;;i lav grad;`, // line 9
    ].join('\r\n') + '\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const summary = await importEvaluationsFile(t.database, file('excel-utf8.csv', bytes), { today });
    expect(summary).toMatchObject({ encoding: 'utf-8 with BOM', separator: ';', rows: 4, imported: 2, matched: 1, duplicates: 0 });
    expect(summary.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, expect.stringMatching(/NPS.*"11"/)],
      [5, expect.stringMatching(/CVR.*12345678/)],
    ]);
    expect(summary.unmatched.map((u) => u.line)).toEqual([9]);
    expect(await stored('2026-05-04', '2026-05-07')).toEqual([
      { company_cvr: ENGAGED, answered_on: '2026-05-04', nps: 10, effect: 'i høj grad', matched: true, hub: 'Erhvervshus Sydjylland' },
      { company_cvr: GLADSAXE, answered_on: '2026-05-07', nps: null, effect: 'i lav grad', matched: false, hub: 'Erhvervshus Hovedstaden' },
    ]);
  });

  it('reads the first sheet of an Excel workbook, whatever the file is called: Date cells, day numbers, numeric CVR numbers, row numbers as lines', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Besvarelser');
    sheet.addRow(['CVR', 'Date', 'NPS', 'Effect', 'Virksomhed']);
    sheet.addRow([Number(ENGAGED), new Date(Date.UTC(2026, 5, 10)), 9, 'I høj grad', 'Assure Alternatives A/S']);
    // A date left in the General format is Excel's day count since 1899-12-30.
    const serial = (Date.UTC(2026, 5, 11) - Date.UTC(1899, 11, 30)) / 86_400_000;
    sheet.addRow([FREDENSBORG, serial, 6, 'i nogen grad', 'Ærø Møbelsnedkeri']);
    sheet.addRow([]);
    sheet.getRow(5).values = [Number(GLADSAXE), new Date(Date.UTC(2018, 11, 31)), 5, 'ved ikke'];
    sheet.getRow(6).values = [Number(FREDENSBORG_2), '12-06-2026', 7, { richText: [{ text: 'i lav ' }, { font: { bold: true }, text: 'grad' }] }];
    sheet.getColumn(2).numFmt = 'dd-mm-yyyy';
    book.addWorksheet('Noter').addRow(['Ikke', 'svar']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const summary = await importEvaluationsFile(t.database, file('eksport-fra-evalueringssystemet', bytes), { today });
    expect(summary).toMatchObject({ encoding: 'xlsx', separator: null, rows: 4, imported: 3, matched: 1, duplicates: 0 });
    expect(summary.unmatched.map((u) => [u.line, u.date])).toEqual([
      [3, '2026-06-11'],
      [6, '2026-06-12'],
    ]);
    expect(summary.rejected).toEqual([{ line: 5, reason: expect.stringMatching(/2018-12-31.*before the evaluation scheme began/) }]);
    expect(await stored('2026-06-10', '2026-06-12')).toEqual([
      { company_cvr: ENGAGED, answered_on: '2026-06-10', nps: 9, effect: 'i høj grad', matched: true, hub: 'Erhvervshus Sydjylland' },
      { company_cvr: FREDENSBORG, answered_on: '2026-06-11', nps: 6, effect: 'i nogen grad', matched: false, hub: 'Erhvervshus Hovedstaden' },
      { company_cvr: FREDENSBORG_2, answered_on: '2026-06-12', nps: 7, effect: 'i lav grad', matched: false, hub: 'Erhvervshus Hovedstaden' },
    ]);
  });

  it('rejects answers dated after today or before the scheme began, with their line numbers', async () => {
    const rows = ['2018-12-31', '2019-01-01', today, '2026-11-28', '01-01-2100'].map((d) => `${FREDENSBORG},${d},5,ved ikke`);
    const summary = await importEvaluationsFile(t.database, file('datoer.csv', `cvr,date,nps,effect\n${rows.join('\n')}\n`), { today });
    expect(summary).toMatchObject({ encoding: 'utf-8', rows: 5, imported: 2 });
    expect(summary.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, expect.stringMatching(/2018-12-31, before the evaluation scheme began \(2019-01-01\)/)],
      [5, expect.stringMatching(/2026-11-28, after today \(2026-11-27\)/)],
      [6, expect.stringMatching(/2100-01-01, after today/)],
    ]);
    expect((await stored('2010-01-01', '2100-12-31')).filter((a) => a.company_cvr === FREDENSBORG && a.effect === 'ved ikke' && a.nps === 5).map((a) => a.answered_on)).toEqual(['2019-01-01', today]);
    // Without a given day, today is the real one.
    const future = await importEvaluationsFile(t.database, file('fremtid.csv', `cvr,date,nps,effect\n${FREDENSBORG},2099-12-31,5,ved ikke\n`));
    expect(future).toMatchObject({ rows: 1, imported: 0, rejected: [{ line: 2, reason: expect.stringMatching(/after today/) }] });
  });

  it('imports what comes before a quote that is never closed, and rejects the rest from the line it starts on', async () => {
    const text = ['cvr,date,nps,effect,kommentar', `${FREDENSBORG},2026-07-01,5,ved ikke,ok`, `${FREDENSBORG},2026-07-02,5,ved ikke,"aldrig lukket`, `${FREDENSBORG},2026-07-03,5,ved ikke,x`].join('\n');
    const summary = await importEvaluationsFile(t.database, file('brudt.csv', text), { today });
    expect(summary).toMatchObject({ rows: 1, imported: 1, rejected: [{ line: 3, reason: expect.stringMatching(/never closed/) }] });
    expect((await stored('2026-07-01', '2026-07-03')).map((a) => a.answered_on)).toEqual(['2026-07-01']);
  });

  it('reads Excel\'s "Unicode text" (UTF-16 with BOM, tab separated)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`cvr\tdate\tnps\teffect\r\n${FREDENSBORG_2}\t01-08-2026\t9\ti høj grad\r\n`, 'utf16le')]);
    const summary = await importEvaluationsFile(t.database, file('unicode.txt', bytes), { today });
    expect(summary).toMatchObject({ encoding: 'utf-16', separator: '\t', rows: 1, imported: 1, rejected: [] });
    expect(await stored('2026-08-01', '2026-08-01')).toMatchObject([{ company_cvr: FREDENSBORG_2, nps: 9, effect: 'i høj grad' }]);
  });

  it('refuses the old binary Excel format and a zip that is no workbook, each with one clear reason', async () => {
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    const summary = await importEvaluationsFile(t.database, file('gammel.xls', ole), { today });
    expect(summary).toMatchObject({ rows: 0, imported: 0, rejected: [{ line: 1, reason: expect.stringMatching(/\.xls\b.*\.xlsx/) }] });
    const docx = await importEvaluationsFile(t.database, file('svar.xlsx', await samples.docx()), { today });
    expect(docx).toMatchObject({ encoding: 'xlsx', rows: 0, imported: 0, rejected: [{ line: 1, reason: expect.stringMatching(/zip archive but not an Excel workbook/) }] });
  });

  describe('knudepunkt import evaluations FILE…', () => {
    function collecting() {
      const results: string[] = [];
      const logs: string[] = [];
      const reporter: Reporter = { progress: () => {}, log: (m) => logs.push(m), result: (m) => results.push(m), done: () => {} };
      return { reporter, results, logs };
    }

    it('imports several files with a summary each; the same answer from CSV and from Excel is stored once', async () => {
      const csv = file('a.csv', windows1252(`cvr;date;nps;effect\r\n${GLADSAXE};01-09-2026;4;i høj grad\r\n${GLADSAXE};2017-09-02;4;i høj grad\r\n`));
      const book = new ExcelJS.Workbook();
      book.addWorksheet('Ark1').addRows([
        ['cvr', 'date', 'nps', 'effect'],
        [Number(GLADSAXE), new Date(Date.UTC(2026, 8, 1)), 4, 'i høj grad'],
        [Number(GLADSAXE), new Date(Date.UTC(2026, 8, 3)), 8, 'i nogen grad'],
      ]);
      const xlsx = file('b.xlsx', Buffer.from(await book.xlsx.writeBuffer()));

      const json = collecting();
      expect(await runCommand(t.database, { command: 'import-evaluations', args: { files: [csv, xlsx], json: true } }, json.reporter, { production: false })).toBe(2);
      expect(json.results).toHaveLength(2);
      const [first, second] = json.results.map((r) => JSON.parse(r));
      expect(first).toMatchObject({ file: csv, encoding: 'windows-1252', separator: ';', rows: 2, imported: 1, matched: 0, duplicates: 0, rejected: [{ line: 3, reason: expect.stringMatching(/before the evaluation scheme/) }] });
      expect(first.unmatched).toEqual([{ line: 2, cvr: GLADSAXE, date: '2026-09-01' }]);
      expect(second).toMatchObject({ file: xlsx, encoding: 'xlsx', separator: null, rows: 2, imported: 1, duplicates: 1, rejected: [] });
      expect((await stored('2026-09-01', '2026-09-03')).map((a) => [a.answered_on, a.nps, a.effect])).toEqual([
        ['2026-09-01', 4, 'i høj grad'],
        ['2026-09-03', 8, 'i nogen grad'],
      ]);

      // Without --json: a summary line per file on stdout, its rejected and unmatched lines on stderr.
      const human = collecting();
      expect(await runCommand(t.database, { command: 'import-evaluations', args: { files: [csv, xlsx] } }, human.reporter, { production: false })).toBe(2);
      expect(human.results).toEqual([
        'a.csv (Windows-1252, semikolon): 2 rækker læst: 0 importeret (0 matchet, 0 ikke matchet), 1 allerede importeret, 1 afvist.',
        'b.xlsx (Excel-projektmappe): 2 rækker læst: 0 importeret (0 matchet, 0 ikke matchet), 2 allerede importeret, 0 afvist.',
      ]);
      expect(human.logs).toContainEqual(expect.stringMatching(/^a\.csv: linje 3: afvist: .*2017-09-02/));
      expect(await stored('2026-09-01', '2026-09-03')).toHaveLength(2);
    });
  });
});
