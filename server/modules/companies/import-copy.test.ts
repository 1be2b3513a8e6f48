import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/helpers.ts';
import { serializeBatch } from './batch.ts';
import type { CompanyRecord } from './cvr-document.ts';
import { cvrSeries, whileDatabaseRefuses, writeImportFile } from './import-test-support.ts';
import { importCvrFile, writeBatch, type BatchOutcome } from './import.ts';
import { getCompany } from './service.ts';

/**
 * On PostgreSQL the CVR import writes its batches as COPY text into staging tables (batch.ts,
 * service.ts); on PGlite as jsonb. Values that mean something to COPY text or to an array literal
 * (tab, newline, backslash, `\N`, quotes, braces, commas) must come out exactly as they went in,
 * and a refused batch must still cost only its refused rows.
 */
/** A fresh valid CVR number for each document, so tests do not step on each other. */
const freshCvr = cvrSeries(3_300_000);

const period = { gyldigFra: '2020-01-01', gyldigTil: null };

interface Tricky {
  name: string;
  secondary: string[];
  formShort: string;
  street: string;
  city: string;
  industryText: string;
}

function document(cvr: string, t: Tricky, pNumber: number) {
  return {
    Vrvirksomhed: {
      cvrNummer: Number(cvr),
      reklamebeskyttet: true,
      navne: [{ navn: t.name, periode: period }],
      binavne: t.secondary.map((navn) => ({ navn, periode: period })),
      virksomhedsform: [{ virksomhedsformkode: 80, kortBeskrivelse: t.formShort, periode: period }],
      beliggenhedsadresse: [{ fritekst: t.street, postnummer: 6400, postdistrikt: t.city, kommune: { kommuneKode: 540 }, periode: period }],
      hovedbranche: [{ branchekode: '620100', branchetekst: t.industryText, periode: period }],
      penheder: [{ pNummer: pNumber, periode: { gyldigFra: '2021-02-03', gyldigTil: null } }],
    },
  };
}

const tricky: Tricky[] = [
  {
    name: 'Komma, "Citat" & Back\\slash ApS',
    secondary: ['a,b', 'c"d', '{e}', 'f\\g', 'NULL', '\\N', ' mellemrum ', 'tab\there', '}{,"\\'],
    formShort: '',
    street: 'Linje 1\nLinje 2\r\nLinje 3',
    city: '\\N',
    industryText: 'Ikke \\n en linje, men \\t og \\\\',
  },
  {
    name: 'NULL',
    secondary: ['Æble & Ørred Å/S', 'Raket 🚀', '\t'],
    formShort: '\\.',
    street: '\\.',
    city: '"',
    industryText: '\\',
  },
];

describe('CVR import: values COPY text and array literals must carry as they are', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('stores tricky names, addresses and secondary names exactly, and a re-run only updates', async () => {
    const cvrs = tricky.map(freshCvr);
    const lines = tricky.map((t, i) => JSON.stringify(document(cvrs[i]!, t, 1_400_000_000 + i)));
    const file = writeImportFile('tricky.jsonl', lines);

    const first = await importCvrFile(database, file);
    expect(first).toMatchObject({ lines: 2, imported: 2, created: 2, updated: 0, rejected: [] });

    for (const [i, t] of tricky.entries()) {
      const company = await getCompany(database.db, cvrs[i]!);
      const secondary = [...new Set(t.secondary.filter(Boolean))].sort((a, b) => a.localeCompare(b, 'da'));
      expect(company).toMatchObject({
        name: t.name,
        secondaryNames: secondary,
        companyForm: { code: 80, short: t.formShort, long: null },
        address: { street: t.street, city: t.city, postalCode: 6400 },
        industry: { code: '620100', text: t.industryText },
        advertisingProtected: true,
        employees: null,
        productionUnits: [{ pNumber: String(1_400_000_000 + i), validFrom: '2021-02-03', validTo: null, active: true }],
      });
    }
    const [row] = await database.rows<{ search_name: string; name_words: string[] }>(sql`SELECT search_name, name_words FROM companies WHERE cvr = ${cvrs[1]!}`);
    expect(row!.search_name).toBe(['NULL', ...tricky[1]!.secondary.filter(Boolean).sort((a, b) => a.localeCompare(b, 'da'))].join(' ').toLowerCase().trim());
    expect(row!.name_words).toContain('null');

    const again = await importCvrFile(database, file);
    expect(again).toMatchObject({ imported: 2, created: 0, updated: 2, rejected: [] });
    expect((await getCompany(database.db, cvrs[0]!))!.name).toBe(tricky[0]!.name);
  });

  it('rejects only the hit the database refuses when a batch fails, with its line and hit', async () => {
    await whileDatabaseRefuses(database, { name: 'Afvist Af Databasen ApS', message: 'refused by a rule (test)', code: '23514' }, async () => {
      const cvrs = [freshCvr(), freshCvr(), freshCvr()];
      const names = [tricky[0]!, { ...tricky[1]!, name: 'Afvist Af Databasen ApS' }, tricky[1]!];
      const response = { hits: { hits: cvrs.map((cvr, i) => ({ _index: 'cvr-permanent', _id: cvr, _source: document(cvr, names[i]!, 1_410_000_000 + i) })) } };
      const file = writeImportFile('response.jsonl', [JSON.stringify(document(freshCvr(), tricky[1]!, 1_410_000_010)), JSON.stringify(response)]);

      const summary = await importCvrFile(database, file);

      expect(summary.rejected).toEqual([{ line: 2, hit: 2, reason: 'refused by the database: refused by a rule (test)' }]);
      expect(summary).toMatchObject({ imported: 3, created: 3, updated: 0 });
      expect(await getCompany(database.db, cvrs[1]!)).toBeNull();
      expect((await getCompany(database.db, cvrs[0]!))!.secondaryNames).toEqual([...tricky[0]!.secondary].sort((a, b) => a.localeCompare(b, 'da')));
      expect((await getCompany(database.db, cvrs[2]!))!.productionUnits.map((u) => u.pNumber)).toEqual(['1410000002']);
    });
  });

  it('names the database reason for each refused row of a batch in COPY text', async (context) => {
    if (database.kind !== 'postgres') context.skip();
    const record = (cvr: string, change: Partial<CompanyRecord> = {}): CompanyRecord => ({
      cvr, name: `Firma ${cvr}\tApS`, secondary_names: ['x,"y"', '{z}\\'], search_name: `firma ${cvr} aps`, company_form_code: 80, company_form_short: 'APS', company_form_long: null,
      street: 'Alsgade 5\n2. sal', address_text: 'Alsgade 5, 6400 Sønderborg', postal_code: 6400, city: '', municipality_code: 540, industry_code: '620100', industry_text: '\\N',
      status: 'NORMAL', founded_on: '2020-01-01', employees: 3, employees_interval: '2-4', employees_period: '2024', advertising_protected: false, production_units: [], ...change,
    });
    const cvrs = Array.from({ length: 7 }, freshCvr);
    const records = [
      record(cvrs[0]!, { production_units: [{ p_number: '1420000000', valid_from: '2020-01-01', valid_to: null }] }),
      record(cvrs[1]!, { founded_on: '2023-02-30' }),
      record(cvrs[2]!, { employees: 3_000_000_000 }),
      record(cvrs[3]!, { municipality_code: 'abc' as unknown as number }),
      record(cvrs[4]!, { name: 'Nul\u0000Byte ApS' }),
      record(cvrs[5]!, { production_units: [{ p_number: '1420000001', valid_from: '2020-13-01', valid_to: null }] }),
      record(cvrs[6]!),
    ];
    const batch = serializeBatch(records, records.map((_, i) => 201 + i), [], 'copy');
    expect(batch.companiesCopy).toBeDefined();
    const audited: BatchOutcome[] = [];

    const outcome = await writeBatch(database, batch, async (_tx, o) => void audited.push(structuredClone(o)));

    const reasonFor = (cvr: string) => outcome.rejected.find((r) => r.line === 201 + cvrs.indexOf(cvr))?.reason;
    expect(reasonFor(cvrs[1]!)).toMatch(/^refused by the database: date\/time field value out of range: "2023-02-30"$/);
    expect(reasonFor(cvrs[2]!)).toMatch(/^refused by the database: value "3000000000" is out of range for type integer$/);
    expect(reasonFor(cvrs[3]!)).toMatch(/^refused by the database: invalid input syntax for type integer: "abc"$/);
    expect(reasonFor(cvrs[4]!)).toMatch(/^refused by the database: invalid byte sequence for encoding "UTF8": 0x00$/);
    expect(reasonFor(cvrs[5]!)).toMatch(/^refused by the database: date\/time field value out of range: "2020-13-01"$/);
    expect(outcome.rejected).toHaveLength(5);
    expect(outcome).toMatchObject({ created: 2, updated: 0 });
    expect(audited).toEqual([outcome]);
    for (const cvr of [cvrs[0]!, cvrs[6]!]) {
      expect(await getCompany(database.db, cvr)).toMatchObject({
        name: `Firma ${cvr}\tApS`,
        secondaryNames: ['x,"y"', '{z}\\'],
        address: { street: 'Alsgade 5\n2. sal', city: '' },
        industry: { text: '\\N' },
        companyForm: { long: null },
      });
    }
    expect((await getCompany(database.db, cvrs[0]!))!.productionUnits.map((u) => u.pNumber)).toEqual(['1420000000']);
    // Nothing is left behind in the staging tables for the next batch on this connection.
    const again = await writeBatch(database, serializeBatch([records[6]!], [301], [], 'copy'), async () => {});
    expect(again).toEqual({ created: 0, updated: 1, rejected: [] });
  });
});
