import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatInterval, mapVrVirksomhed, newest, normaliseStatus, parseCvrLine, vrvirksomhedOf, type CompanyRecord } from './cvr-document.ts';

const fixture = readFileSync(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url), 'utf8').trim().split('\n');

function mapped(line: string): CompanyRecord {
  const result = parseCvrLine(line);
  if (!result.ok) throw new Error(result.reason);
  return result.record;
}

const period = (gyldigFra: string, gyldigTil: string | null = null) => ({ periode: { gyldigFra, gyldigTil } });

describe('mapping a real CVR document', () => {
  it('keeps the register data of ASSURE WEALTH A/S', () => {
    const c = mapped(fixture[0]!);
    expect(c).toMatchObject({
      cvr: '35682872',
      name: 'ASSURE WEALTH A/S',
      secondary_names: ['Assure Family Office A/S', 'Assure Reporting A/S'],
      company_form_code: 60,
      company_form_short: 'A/S',
      company_form_long: 'Aktieselskab',
      municipality_code: 210,
      street: 'Gammel Strandvej 16',
      postal_code: 2990,
      city: 'Nivå',
      industry_code: '692000',
      industry_text: 'Bogføring og revision: skatterådgivning',
      status: 'NORMAL',
      founded_on: '2014-03-01',
      advertising_protected: true,
    });
    expect(c.production_units).toEqual([{ p_number: '1019207540', valid_from: '2014-03-01', valid_to: null }]);
  });

  it('takes the newest employment figure across yearly, quarterly and monthly series', () => {
    const c = mapped(fixture[0]!);
    // erstMaanedsbeskaeftigelse runs to 2023-12, newer than virksomhedMetadata's 2019 figures.
    expect(c.employees_period).toBe('2023-12');
    expect(c.employees).toBe(28);
    expect(c.employees_interval).toBe('20-49');
  });

  it('uses the current name after a change of name', () => {
    expect(mapped(fixture[1]!).name).toBe('Assure Alternatives A/S');
    expect(mapped(fixture[3]!).name).toBe('Assure Alternatives TG Partners VIII Feeder K/S');
  });

  it('uses the newest industry after a change of industry', () => {
    expect(mapped(fixture[2]!).industry_code).toBe('661200');
  });

  it('maps every fixture line', () => {
    expect(fixture.map((l) => mapped(l).cvr)).toEqual(['35682872', '42611433', '34689733', '44477378']);
  });
});

describe('time-versioned fields', () => {
  const base = JSON.parse(fixture[0]!) as { Vrvirksomhed: Record<string, unknown> };

  it('lets the newest period win where virksomhedMetadata disagrees', () => {
    const doc = structuredClone(base);
    const v = doc.Vrvirksomhed;
    v.navne = [
      { navn: 'Old Name ApS', ...period('2010-01-01', '2020-12-31') },
      { navn: 'New Name ApS', ...period('2021-01-01') },
    ];
    v.hovedbranche = [{ branchekode: '620100', branchetekst: 'Computerprogrammering', ...period('2025-01-01') }];
    (v.virksomhedMetadata as Record<string, unknown>).nyesteNavn = { navn: 'Old Name ApS' };
    const result = mapVrVirksomhed(doc);
    expect(result.ok && result.record.name).toBe('New Name ApS');
    expect(result.ok && result.record.industry_code).toBe('620100');
  });

  it('moves the company with its newest address', () => {
    const doc = structuredClone(base);
    const addresses = doc.Vrvirksomhed.beliggenhedsadresse as Record<string, unknown>[];
    addresses.push({ ...addresses[0], vejnavn: 'Alsgade', husnummerFra: 5, postnummer: 6400, postdistrikt: 'Sønderborg', kommune: { kommuneKode: 540 }, ...period('2026-01-01') });
    const result = mapVrVirksomhed(doc);
    expect(result.ok && [result.record.municipality_code, result.record.street, result.record.city]).toEqual([540, 'Alsgade 5', 'Sønderborg']);
  });

  it('falls back to virksomhedMetadata when the arrays are empty', () => {
    const doc = structuredClone(base);
    doc.Vrvirksomhed.navne = [];
    doc.Vrvirksomhed.hovedbranche = [];
    const result = mapVrVirksomhed(doc);
    expect(result.ok && result.record.name).toBe('ASSURE WEALTH A/S');
    expect(result.ok && result.record.industry_code).toBe('692000');
  });

  it('keeps only current secondary names', () => {
    const doc = structuredClone(base);
    doc.Vrvirksomhed.binavne = [{ navn: 'Gone A/S', ...period('2015-01-01', '2016-01-01') }, { navn: 'Here A/S', ...period('2016-01-02') }];
    const result = mapVrVirksomhed(doc);
    expect(result.ok && result.record.secondary_names).toEqual(['Here A/S']);
  });

  it('prefers an open period over a closed one starting the same day', () => {
    expect(newest([{ id: 1, ...period('2020-01-01', '2020-06-01') }, { id: 2, ...period('2020-01-01') }])?.id).toBe(2);
    expect(newest([])).toBeUndefined();
  });

  it('formats employment intervals', () => {
    expect(formatInterval('ANTAL_10_19')).toBe('10-19');
    expect(formatInterval('ANTAL_1000_999999')).toBe('1000+');
    expect(formatInterval(null)).toBeNull();
  });
});

describe('bad lines', () => {
  it('says why a line is rejected', () => {
    expect(parseCvrLine('{not json')).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(parseCvrLine('{"foo": 1}')).toMatchObject({ ok: false, reason: 'no Vrvirksomhed object' });
    expect(parseCvrLine('{"Vrvirksomhed": {"navne": []}}')).toMatchObject({ ok: false, reason: expect.stringContaining('no CVR') });
    expect(parseCvrLine('{"Vrvirksomhed": {"cvrNummer": 35682873}}')).toMatchObject({ ok: false, reason: expect.stringContaining('modulus 11') });
    expect(parseCvrLine('{"Vrvirksomhed": {"cvrNummer": "abc"}}')).toMatchObject({ ok: false, reason: expect.stringContaining('not 8 digits') });
  });
});

describe('true status', () => {
  it('reads the spellings the register uses for one status as one code', () => {
    for (const spelling of ['UNDER KONKURS', 'Under konkurs', 'UnderKonkurs', ' under  konkurs ']) expect(normaliseStatus(spelling)).toBe('UNDER KONKURS');
    expect(normaliseStatus('OpløstEfterFusion')).toBe('OPLØST EFTER FUSION');
    expect(normaliseStatus('Aktiv')).toBe('NORMAL');
    expect(normaliseStatus('')).toBeNull();
  });

  const base = JSON.parse(fixture[3]!) as { Vrvirksomhed: Record<string, unknown> };
  const statusOfDocument = (change: (v: Record<string, unknown>, meta: Record<string, unknown>) => void) => {
    const doc = structuredClone(base);
    change(doc.Vrvirksomhed, doc.Vrvirksomhed.virksomhedMetadata as Record<string, unknown>);
    const result = mapVrVirksomhed(doc);
    if (!result.ok) throw new Error(result.reason);
    return [result.record.status, result.record.status_since];
  };

  it('keeps a normal company normal, without a date', () => {
    expect(statusOfDocument(() => {})).toEqual(['NORMAL', null]);
    expect(statusOfDocument((_, meta) => (meta.sammensatStatus = 'Aktiv'))).toEqual(['NORMAL', null]);
  });

  it('calls a company whose life cycle has ended ceased, even when the summary still says normal', () => {
    expect(statusOfDocument((v) => (v.livsforloeb = [{ ...period('2023-12-04', '2025-03-31') }]))).toEqual(['OPHØRT', '2025-03-31']);
  });

  it('calls a company whose normal period has ended ceased', () => {
    expect(statusOfDocument((v) => (v.virksomhedsstatus = [{ status: 'NORMAL', ...period('2023-12-04', '2024-10-01') }]))).toEqual(['OPHØRT', '2024-10-01']);
  });

  it('takes the register summary when it says more than the periods', () => {
    expect(
      statusOfDocument((v, meta) => {
        meta.sammensatStatus = 'Tvangsopløst';
        v.livsforloeb = [{ ...period('2023-12-04', '2024-11-15') }];
      }),
    ).toEqual(['TVANGSOPLØST', '2024-11-15']);
    expect(
      statusOfDocument((v, meta) => {
        meta.sammensatStatus = 'Under frivillig likvidation';
        v.virksomhedsstatus = [{ status: 'NORMAL', ...period('2023-12-04', '2024-05-01') }, { status: 'UNDER FRIVILLIG LIKVIDATION', ...period('2024-05-02') }];
      }),
    ).toEqual(['UNDER FRIVILLIG LIKVIDATION', '2024-05-02']);
  });

  it('dates a process by the period it began with, and has no date when the register gives none', () => {
    expect(statusOfDocument((v) => (v.virksomhedsstatus = [{ status: 'NORMAL', ...period('2023-12-04', '2024-06-09') }, { status: 'Under konkurs', ...period('2024-06-10') }]))).toEqual(['UNDER KONKURS', '2024-06-10']);
    expect(statusOfDocument((_, meta) => (meta.sammensatStatus = 'Under tvangsopløsning'))).toEqual(['UNDER TVANGSOPLØSNING', null]);
  });

  it('rejects a status date that does not exist', () => {
    const doc = structuredClone(base);
    doc.Vrvirksomhed.livsforloeb = [{ ...period('2023-12-04', '2024-02-30') }];
    expect(mapVrVirksomhed(doc)).toMatchObject({ ok: false, reason: expect.stringContaining('status date "2024-02-30"') });
  });
});

describe('the document in what the register hands out', () => {
  const document = JSON.parse(fixture[0]!) as { Vrvirksomhed: unknown };
  it('finds it in a hit, a _source, the document or the bare company object', () => {
    expect(vrvirksomhedOf({ _index: 'cvr-v-20220630', _id: '4009888228', _source: document })).toEqual(document);
    expect(vrvirksomhedOf(document)).toEqual(document);
    expect(vrvirksomhedOf(document.Vrvirksomhed)).toEqual(document);
  });
  it('finds none in anything else', () => {
    for (const value of [null, 42, 'x', [], {}, { _index: 'cvr', _id: '1' }, { Vrdeltagerperson: {} }, { hits: { hits: [] } }]) expect(vrvirksomhedOf(value)).toBeNull();
  });
});
