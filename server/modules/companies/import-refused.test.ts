import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { count, createTestDatabase } from '../../test/helpers.ts';
import { serializeBatch, type SerializedBatch } from './batch.ts';
import type { CompanyRecord } from './cvr-document.ts';
import { cvrSeries, whileDatabaseRefuses, writeImportFile } from './import-test-support.ts';
import { IMPORT_BATCH_SIZE, importCvrFile, writeBatch, type BatchOutcome } from './import.ts';
import { getCompany } from './service.ts';

/**
 * Issue 14: a record the database refuses costs that record only. The mapper turns away what it can
 * foresee with its own reason; what it cannot is found by writing the failed batch again row by row.
 */
const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));
const realDocuments = readFileSync(fixture, 'utf8').trim().split('\n');

type Doc = { Vrvirksomhed: Record<string, unknown> & { penheder: { pNummer: number; periode?: unknown }[] } };

/** A fresh valid CVR number for each document, so tests do not step on each other. */
const freshCvr = cvrSeries(3_100_000);

let nextPNumber = 1_200_000_000;
/** One of the four real documents, under a new CVR and P-number, changed by `change`. */
function realShaped(change: (v: Doc['Vrvirksomhed']) => void = () => {}, index = 0): { cvr: string; line: string } {
  const doc = JSON.parse(realDocuments[index % realDocuments.length]!) as Doc;
  const cvr = freshCvr();
  doc.Vrvirksomhed.cvrNummer = Number(cvr);
  doc.Vrvirksomhed.penheder = doc.Vrvirksomhed.penheder.map((p) => ({ ...p, pNummer: nextPNumber++ }));
  change(doc.Vrvirksomhed);
  return { cvr, line: JSON.stringify(doc) };
}

const newestAddress = (v: Doc['Vrvirksomhed']) => (v.beliggenhedsadresse as { kommune: { kommuneKode: unknown }; periode: { gyldigTil: unknown } }[]).find((a) => a.periode.gyldigTil === null)!;

const minimal = (cvr: string, navn: string) => JSON.stringify({ Vrvirksomhed: { cvrNummer: Number(cvr), navne: [{ navn, periode: { gyldigFra: '2020-01-01', gyldigTil: null } }] } });

describe('CVR import: records the database would refuse', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const ownerOf = async (pNumber: string) => (await database.rows<{ cvr: string }>(sql`SELECT cvr FROM production_units WHERE p_number = ${pNumber}`))[0]?.cvr;

  it('rejects each kind of bad record in the middle of a file with its line and reason, and imports every other line', async () => {
    const good = Array.from({ length: 12 }, (_, i) => realShaped(() => {}, i));
    const bad = {
      date: realShaped((v) => {
        (v.virksomhedMetadata as Record<string, unknown>).stiftelsesDato = '2014-02-30';
      }),
      integer: realShaped((v) => {
        (v.maanedsbeskaeftigelse as unknown[]).push({ aar: 2026, maaned: 1, antalAnsatte: 3_000_000_000, intervalKodeAntalAnsatte: null });
      }),
      municipality: realShaped((v) => {
        newestAddress(v).kommune.kommuneKode = 'FREDENSBORG';
      }),
      unknownMunicipality: realShaped((v) => {
        newestAddress(v).kommune.kommuneKode = 21000;
      }),
      // More than a tsvector holds (1 MiB), and far more than a btree entry (2,704 bytes).
      name: realShaped((v) => {
        v.navne = [{ navn: 'Ordrig '.repeat(160_000) + 'ApS', periode: { gyldigFra: '2024-01-01', gyldigTil: null } }];
      }),
      nul: realShaped((v) => {
        v.navne = [{ navn: 'Nul\u0000Byte ApS', periode: { gyldigFra: '2024-01-01', gyldigTil: null } }];
      }),
    };
    const lines = [...good.slice(0, 3), bad.date, ...good.slice(3, 5), bad.integer, bad.municipality, good[5]!, bad.unknownMunicipality, ...good.slice(6, 9), bad.name, bad.nul, ...good.slice(9)].map((d) => d.line);
    const lineOf = (doc: { line: string }) => lines.indexOf(doc.line) + 1;

    const summary = await importCvrFile(database, writeImportFile('bad-kinds.jsonl', lines));

    expect(summary.rejected).toEqual([
      { line: lineOf(bad.date), reason: expect.stringMatching(/founding date "2014-02-30" is not a date that exists/) },
      { line: lineOf(bad.integer), reason: expect.stringMatching(/number of employees "3000000000" is not a whole number PostgreSQL can hold/) },
      { line: lineOf(bad.municipality), reason: 'municipality code "FREDENSBORG" is not a number' },
      { line: lineOf(bad.unknownMunicipality), reason: expect.stringMatching(/municipality code 21000 is not a Danish municipality code/) },
      { line: lineOf(bad.name), reason: expect.stringMatching(/^name is 1120003 characters long \(at most 500\)$/) },
      { line: lineOf(bad.nul), reason: expect.stringMatching(/^name holds a NUL character/) },
    ]);
    expect(summary).toMatchObject({ lines: lines.length, imported: good.length, created: good.length });
    for (const doc of good) expect(await getCompany(database.db, doc.cvr)).not.toBeNull();
    for (const doc of Object.values(bad)) expect(await getCompany(database.db, doc.cvr)).toBeNull();
  });

  it('moves a P-number that changes owner within a batch to the later document instead of failing the batch', async () => {
    const seller = realShaped();
    const pNumber = String(JSON.parse(seller.line).Vrvirksomhed.penheder[0].pNummer);
    const buyer = realShaped((v) => {
      v.penheder = [...v.penheder, { pNummer: Number(pNumber), periode: { gyldigFra: '2025-01-01', gyldigTil: null } }];
    }, 1);
    const others = Array.from({ length: 5 }, (_, i) => realShaped(() => {}, i));
    const summary = await importCvrFile(database, writeImportFile('moved.jsonl', [others[0]!.line, seller.line, others[1]!.line, buyer.line, ...others.slice(2).map((d) => d.line)]));
    expect(summary.rejected).toEqual([]);
    expect(summary.imported).toBe(7);
    expect(await ownerOf(pNumber)).toBe(buyer.cvr);
    expect(await getCompany(database.db, seller.cvr)).toMatchObject({ productionUnits: [] });

    // And back again in a later file (the next sync): the upsert moves it.
    const again = await importCvrFile(database, writeImportFile('moved-back.jsonl', [seller.line]));
    expect(again.rejected).toEqual([]);
    expect(await ownerOf(pNumber)).toBe(seller.cvr);
  });

  it('keeps a moved P-number with its new owner when the former owner lists it as ended later in the file, or in a later file', async () => {
    const seller = realShaped();
    const pNumber = (JSON.parse(seller.line) as Doc).Vrvirksomhed.penheder[0]!.pNummer;
    const buyer = realShaped((v) => {
      v.penheder = [...v.penheder, { pNummer: pNumber, periode: { gyldigFra: '2025-01-01', gyldigTil: null } }];
    }, 1);
    // The register keeps the unit in the former owner's document, its period ended the day it moved.
    const sellerAfter = JSON.parse(seller.line) as Doc;
    sellerAfter.Vrvirksomhed.penheder[0]!.periode = { gyldigFra: '2014-03-01', gyldigTil: '2024-12-31' };
    const summary = await importCvrFile(database, writeImportFile('moved-ended.jsonl', [seller.line, buyer.line, JSON.stringify(sellerAfter)]));
    expect(summary.rejected).toEqual([]);
    expect(await ownerOf(String(pNumber))).toBe(buyer.cvr);
    const later = await importCvrFile(database, writeImportFile('seller-later.jsonl', [JSON.stringify(sellerAfter)]));
    expect(later).toMatchObject({ imported: 1, rejected: [] });
    expect(await ownerOf(String(pNumber))).toBe(buyer.cvr);
  });

  it('falls back to row by row when the database refuses a batch, rejecting only the guilty line with the database reason', async () => {
    // A rule only the database knows: the mapper cannot foresee it, so the batch fails as a whole.
    await database.db.execute(sql`ALTER TABLE companies ADD CONSTRAINT test_refused_name CHECK (name IS DISTINCT FROM 'Afvises Af Databasen ApS')`);
    try {
      const docs = Array.from({ length: 30 }, (_, i) => realShaped(() => {}, i));
      const guilty = realShaped((v) => {
        v.navne = [{ navn: 'Afvises Af Databasen ApS', periode: { gyldigFra: '2024-01-01', gyldigTil: null } }];
      });
      const lines = [...docs.slice(0, 17), guilty, ...docs.slice(17)].map((d) => d.line);
      const before = await count(database, 'companies');
      const summary = await importCvrFile(database, writeImportFile('check.jsonl', lines));
      expect(summary.rejected).toEqual([{ line: 18, reason: expect.stringMatching(/^refused by the database: .*test_refused_name/) }]);
      expect(summary.rejected[0]!.reason).not.toMatch(/INSERT|jsonb_to_recordset|Vrvirksomhed/);
      expect(summary).toMatchObject({ lines: 31, imported: 30, created: 30 });
      expect(await count(database, 'companies')).toBe(before + 30);
      expect(await ownerOf(String(JSON.parse(guilty.line).Vrvirksomhed.penheder[0].pNummer))).toBeUndefined();
      for (const doc of docs) expect(await getCompany(database.db, doc.cvr)).not.toBeNull();
    } finally {
      await database.db.execute(sql`ALTER TABLE companies DROP CONSTRAINT test_refused_name`);
    }
  });

  it('names the database reason for each kind of refused row when a batch reaches it unchecked', async () => {
    const record = (cvr: string, change: Partial<CompanyRecord> = {}): CompanyRecord => ({
      cvr, name: `Firma ${cvr} ApS`, secondary_names: [], search_name: `firma ${cvr} aps`, company_form_code: 80, company_form_short: 'APS', company_form_long: 'Anpartsselskab',
      street: 'Alsgade 5', address_text: 'Alsgade 5, 6400 Sønderborg', postal_code: 6400, city: 'Sønderborg', municipality_code: 540, industry_code: '620100', industry_text: 'Computerprogrammering',
      status: 'NORMAL', founded_on: '2020-01-01', employees: 3, employees_interval: '2-4', employees_period: '2024', advertising_protected: false, production_units: [], ...change,
    });
    const cvrs = Array.from({ length: 8 }, freshCvr);
    const huge = 'ordrig '.repeat(160_000);
    const records = [
      record(cvrs[0]!),
      record(cvrs[1]!, { founded_on: '2023-02-30' }),
      record(cvrs[2]!, { employees: 3_000_000_000 }),
      record(cvrs[3]!, { municipality_code: 'abc' as unknown as number }),
      record(cvrs[4]!, { name: huge, search_name: huge }),
      record(cvrs[5]!, { name: 'Nul\u0000Byte ApS' }),
      record(cvrs[6]!, { production_units: [{ p_number: '1299999999', valid_from: '2020-01-01', valid_to: null }] }),
      record(cvrs[7]!, { production_units: [{ p_number: '1299999999', valid_from: '2024-01-01', valid_to: null }] }),
    ];
    const serialized = serializeBatch(records, records.map((_, i) => 101 + i));
    // Both companies claim the P-number in one statement, as the importer did before it kept only the later claim.
    const units = records.flatMap((r) => r.production_units.map((p) => ({ ...p, cvr: r.cvr })));
    const batch: SerializedBatch = { ...serialized, unitsJson: JSON.stringify(units), pNumbers: units.map((u) => u.p_number) };
    const audited: BatchOutcome[] = [];

    const outcome = await writeBatch(database, batch, async (_tx, o) => void audited.push(structuredClone(o)));

    const reasonFor = (cvr: string) => outcome.rejected.find((r) => r.line === 101 + cvrs.indexOf(cvr))?.reason;
    expect(reasonFor(cvrs[1]!)).toMatch(/^refused by the database: date\/time field value out of range/);
    expect(reasonFor(cvrs[2]!)).toMatch(/^refused by the database: value "3000000000" is out of range for type integer/);
    expect(reasonFor(cvrs[3]!)).toMatch(/^refused by the database: invalid input syntax for type integer: "abc"/);
    expect(reasonFor(cvrs[4]!)).toMatch(/^refused by the database: (string is too long for tsvector|index row)/);
    expect(reasonFor(cvrs[5]!)).toMatch(/^refused by the database: unsupported Unicode escape sequence/);
    expect(outcome.rejected).toHaveLength(5);
    for (const r of outcome.rejected) expect(r.reason.length).toBeLessThan(320);
    expect(outcome).toMatchObject({ created: 3, updated: 0 });
    expect(audited).toEqual([outcome]);
    for (const cvr of [cvrs[0]!, cvrs[6]!, cvrs[7]!]) expect(await getCompany(database.db, cvr)).not.toBeNull();
    expect(await ownerOf('1299999999')).toMatch(new RegExp(`^(${cvrs[6]}|${cvrs[7]})$`));
  });

  it('leaves an audit record of what was committed when an import is cut short', async () => {
    // A failure that is not the data's fault (a lost connection), raised by the database in the
    // third batch: the import stops, and the two batches before it stay committed.
    await whileDatabaseRefuses(database, { name: 'Forbindelsen Afbrydes ApS', message: 'connection lost (test)', code: '08006' }, async () => {
      const cvrs = Array.from({ length: 2 * IMPORT_BATCH_SIZE + 10 }, freshCvr);
      const lines = cvrs.map((cvr) => minimal(cvr, `Firma ${cvr} ApS`));
      lines[2 * IMPORT_BATCH_SIZE + 4] = minimal(cvrs[2 * IMPORT_BATCH_SIZE + 4]!, 'Forbindelsen Afbrydes ApS');
      const file = writeImportFile('cut-short.jsonl', lines);

      const error = await importCvrFile(database, file).then(
        () => null,
        (e: unknown) => e as Error,
      );

      expect(error?.message).toMatch(/^CVR-importen stoppede: connection lost \(test\) \(SQLSTATE 08006\)\. Linje 1–4000 er gemt/);
      expect(error!.message.length).toBeLessThan(400);
      expect(await getCompany(database.db, cvrs[0]!)).not.toBeNull();
      expect(await getCompany(database.db, cvrs[2 * IMPORT_BATCH_SIZE - 1]!)).not.toBeNull();
      expect(await getCompany(database.db, cvrs[2 * IMPORT_BATCH_SIZE]!)).toBeNull();
      const entries = await database.rows<{ action: string; details: Record<string, unknown> }>(sql`
        SELECT action, details FROM audit_log WHERE details->>'import' = (
          SELECT details->>'import' FROM audit_log WHERE action = 'import-started' AND details->>'file' = ${file})
        ORDER BY id`);
      const parsed = entries.map((e) => ({ action: e.action, details: typeof e.details === 'string' ? JSON.parse(e.details) : e.details }));
      expect(parsed[0]).toMatchObject({ action: 'import-started', details: { file } });
      expect(parsed.filter((e) => e.action === 'import-batch').map((e) => [e.details.firstLine, e.details.lastLine, e.details.companies]).sort((a, b) => a[0] - b[0])).toEqual([
        [1, IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE],
        [IMPORT_BATCH_SIZE + 1, 2 * IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE],
      ]);
      expect(parsed.at(-1)).toMatchObject({ action: 'import', details: { status: 'stopped', committedThroughLine: 2 * IMPORT_BATCH_SIZE, created: 2 * IMPORT_BATCH_SIZE, reason: expect.stringContaining('08006') } });
    });
  });

  it('records a completed import with its totals', async () => {
    const docs = Array.from({ length: 3 }, (_, i) => realShaped(() => {}, i));
    const file = writeImportFile('complete.jsonl', [...docs.map((d) => d.line), 'not json']);
    await importCvrFile(database, file);
    const [entry] = await database.rows<{ details: unknown }>(sql`SELECT details FROM audit_log WHERE action = 'import' AND details->>'file' = ${file}`);
    const details = typeof entry!.details === 'string' ? JSON.parse(entry!.details) : entry!.details;
    expect(details).toMatchObject({ status: 'completed', lines: 4, imported: 3, created: 3, rejected: 1 });
  });
});
