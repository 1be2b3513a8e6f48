import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { runCommand } from '../../cli/commands.ts';
import type { Reporter } from '../../cli/reporter.ts';
import { count, createTestDatabase } from '../../test/helpers.ts';
import { completeCvr } from './cvr.ts';
import { IMPORT_BATCH_SIZE, importCvrFile } from './import.ts';
import { getCompany } from './service.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));
const lines = readFileSync(fixture, 'utf8').trim().split('\n');

function collectingReporter() {
  const messages: string[] = [];
  const reporter: Reporter = { progress: () => {}, log: (m) => messages.push(m), result: (m) => messages.push(m), done: () => {} };
  return { reporter, messages };
}

describe('CVR import', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('imports the four real documents', async () => {
    const summary = await importCvrFile(database, fixture);
    expect(summary).toMatchObject({ lines: 4, imported: 4, created: 4, updated: 0, rejected: [] });
    expect(await count(database, 'companies')).toBe(4);
    expect(await count(database, 'production_units')).toBe(4);
    const company = await getCompany(database.db, '35682872');
    expect(company).toMatchObject({
      name: 'ASSURE WEALTH A/S',
      municipality: { code: 210, name: 'Fredensborg' },
      industry: { code: '692000' },
      advertisingProtected: true,
      productionUnits: [{ pNumber: '1019207540', active: true }],
    });
  });

  it('updates on re-import and never duplicates', async () => {
    const summary = await importCvrFile(database, fixture);
    expect(summary).toMatchObject({ imported: 4, created: 0, updated: 4 });
    expect(await count(database, 'companies')).toBe(4);
    expect(await count(database, 'production_units')).toBe(4);
  });

  it('applies changes from a newer document', async () => {
    const doc = JSON.parse(lines[0]!);
    doc.Vrvirksomhed.navne.push({ navn: 'ASSURE WEALTH NY A/S', periode: { gyldigFra: '2026-06-01', gyldigTil: null } });
    doc.Vrvirksomhed.navne[0].periode.gyldigTil = '2026-05-31';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-import-')), 'renamed.jsonl');
    writeFileSync(file, JSON.stringify(doc) + '\n');
    await importCvrFile(database, file);
    expect((await getCompany(database.db, '35682872'))?.name).toBe('ASSURE WEALTH NY A/S');
    expect(await count(database, 'companies')).toBe(4);
  });

  it('reports bad lines with line number and reason, imports the rest, and exits non-zero', async () => {
    const good = JSON.parse(lines[1]!);
    good.Vrvirksomhed.cvrNummer = 10000009;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-import-')), 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(good),
        '{"Vrvirksomhed": {"cvrNummer": 35682873}}',
        'this is not json',
        '',
        '{"Vrvirksomhed": {"navne": []}}',
      ].join('\n') + '\n',
    );
    const before = await count(database, 'companies');
    const { reporter, messages } = collectingReporter();
    const exitCode = await runCommand(database, { command: 'import-cvr', args: { file } }, reporter, { production: false });
    expect(exitCode).not.toBe(0);
    expect(messages).toContainEqual(expect.stringMatching(/^linje 2: .*35682873.*modulus 11/));
    expect(messages).toContainEqual(expect.stringMatching(/^linje 3: .*not valid JSON/));
    expect(messages).toContainEqual(expect.stringMatching(/^linje 5: .*no CVR/));
    expect(messages.at(-1)).toMatch(/5 linjer læst: 1 importeret .* 3 afvist/);
    expect(await count(database, 'companies')).toBe(before + 1);
    expect(await getCompany(database.db, '10000009')).not.toBeNull();
  });

  it('rejects a line that is not UTF-8 with its line number, never stores U+FFFD, and imports the other lines', async () => {
    const nameBefore = (await getCompany(database.db, '35682872'))?.name;
    const withName = (cvr: number, name: string, extra: object = {}) => {
      const doc = JSON.parse(lines[0]!);
      doc.Vrvirksomhed.cvrNummer = cvr;
      doc.Vrvirksomhed.navne = [{ navn: name, periode: { gyldigFra: '2020-01-01', gyldigTil: null } }];
      // Production units are not the point here; one P-number in several documents is another test.
      doc.Vrvirksomhed.penheder = [];
      Object.assign(doc.Vrvirksomhed, extra);
      return JSON.stringify(doc);
    };
    // A line longer than a read chunk, with a three-byte character cut by the chunk boundary.
    const longLine = (padding: string) => withName(10000025, 'Lang Linje ApS', { ukendtFelt: padding + '€'.repeat(400_000) });
    const long = ['', '-', '--'].map(longLine).find((line) => (Buffer.from(line)[1 << 20]! & 0xc0) === 0x80)!;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-import-')), 'latin1.jsonl');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(long + '\n', 'utf8'),
        Buffer.from(withName(35682872, 'ASSURE WEALTH ÆØÅ A/S') + '\n', 'latin1'),
        Buffer.from(withName(10000017, 'Første Ærø ApS') + '\r\n', 'utf8'),
      ]),
    );
    const { reporter, messages } = collectingReporter();
    const exitCode = await runCommand(database, { command: 'import-cvr', args: { file } }, reporter, { production: false });
    expect(exitCode).not.toBe(0);
    expect(messages).toContainEqual(expect.stringMatching(/^linje 2: afvist: not valid UTF-8/));
    expect(messages.at(-1)).toMatch(/3 linjer læst: 2 importeret .* 1 afvist/);
    expect((await getCompany(database.db, '35682872'))?.name).toBe(nameBefore);
    expect((await getCompany(database.db, '10000017'))?.name).toBe('Første Ærø ApS');
    expect((await getCompany(database.db, '10000025'))?.name).toBe('Lang Linje ApS');
    const replaced = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM companies WHERE name LIKE ${'%\uFFFD%'}`);
    expect(replaced.rows[0]!.n).toBe(0);
  });

  it('lets the later document for a CVR win even when batches are written concurrently', async () => {
    const doc = (cvr: string, navn: string) => JSON.stringify({ Vrvirksomhed: { cvrNummer: Number(cvr), navne: [{ navn, periode: { gyldigFra: '2020-01-01', gyldigTil: null } }] } });
    const stems = Array.from({ length: Math.round(2.6 * IMPORT_BATCH_SIZE) }, (_, i) => completeCvr(String(2_000_000 + i))).filter((c): c is string => !!c);
    const target = stems[0]!;
    const fileLines = stems.map((cvr) => doc(cvr, `Firma ${cvr} ApS`));
    fileLines.splice(1, 0, doc(target, 'Første Navn ApS'));
    fileLines.push(doc(target, 'Sidste Navn ApS'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-import-')), 'order.jsonl');
    writeFileSync(file, fileLines.join('\n') + '\n');
    const summary = await importCvrFile(database, file);
    expect(summary.rejected).toEqual([]);
    expect((await getCompany(database.db, target))?.name).toBe('Sidste Navn ApS');
    expect((await getCompany(database.db, stems.at(-1)!))?.name).toBe(`Firma ${stems.at(-1)} ApS`);
  });

  it('writes the import to the audit log', async () => {
    const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`);
    expect(row!.n).toBeGreaterThanOrEqual(3);
  });
});
