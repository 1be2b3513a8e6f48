/**
 * Writes a national-scale JSON-lines file in the CVR register's system-to-system format
 * (`{"Vrvirksomhed": {...}}` per line), built from the demo generator's companies.
 *
 * The documents are realistic but compact: the fields Knudepunkt reads, in the register's shape
 * (time-versioned arrays with `periode`, `virksomhedMetadata.nyeste*`), a few of the fields it
 * ignores, a couple of name versions, one or two addresses and ≈1.25 P-units per company — about
 * 2 KB per document. Real register documents are ~10× larger (empty fields, `sidstOpdateret` stamps,
 * contact data, `attributter`, employment history; see fixtures/cvr), so JSON.parse weighs more in
 * production than here.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { generateCompanies } from '../../server/modules/demo/seed.ts';
import { mapVrVirksomhed, type CompanyRecord } from '../../server/modules/companies/cvr-document.ts';
import { readMunicipalities, type MunicipalityRow } from '../../server/modules/organisations/reference.ts';
import { intBetween, pickOne, prng } from '../../server/lib/random.ts';
import { Progress } from './progress.ts';

/** Bump when the document shape changes, so stale files under .bench/ are not reused. */
const FORMAT_VERSION = 3;
/** Extra P-units on top of the generator's ≈1.04 per company, to reach ≈1.25 on average. */
const EXTRA_P_UNIT_SHARE = 0.21;
const FIRST_EXTRA_P_NUMBER = 1_500_000_000;

export interface CvrFile {
  path: string;
  companies: number;
  productionUnits: number;
  bytes: number;
  reused: boolean;
  generateSeconds: number | null;
}

interface Meta {
  version: number;
  seed: number;
  companies: number;
  productionUnits: number;
  bytes: number;
}

const streetNames = ['Hovedgaden', 'Industrivej', 'Stationsvej', 'Østergade', 'Vestergade', 'Nørregade', 'Søndergade', 'Havnevej', 'Skolevej', 'Kirkevej', 'Engvej', 'Håndværkervej', 'Erhvervsvej', 'Birkevej', 'Egevej', 'Mejerivej', 'Fabriksvej', 'Parkvej', 'Bøgevej', 'Toftevej'];
const formerNameWords = ['Holding', 'Invest', 'Gruppen', 'Partner', 'Handel', 'Udvikling'];
const secondaryNameWords = ['Byg', 'Service', 'Udlejning', 'Consult', 'Montage', 'Teknik'];
const formerIndustries = [
  { branchekode: '702200', branchetekst: 'Virksomhedsrådgivning og anden rådgivning om driftsledelse' },
  { branchekode: '642020', branchetekst: 'Ikke-finansielle holdingselskaber' },
  { branchekode: '682040', branchetekst: 'Udlejning af erhvervsejendomme' },
  { branchekode: '464900', branchetekst: 'Engroshandel med andre husholdningsartikler' },
];
/** `sammensatStatus` as the register spells it (fixtures/cvr); the importer reads the status from it. */
const compositeStatus: Record<string, string> = {
  NORMAL: 'NORMAL',
  OPHØRT: 'Ophørt',
  'UNDER KONKURS': 'UNDER KONKURS',
  'UNDER FRIVILLIG LIKVIDATION': 'Under frivillig likvidation',
};

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const stamp = (day: string) => `${day}T12:00:00.000+01:00`;
const period = (from: string, to: string | null = null) => ({ gyldigFra: from, gyldigTil: to });
/** A day strictly between `from` and 2025-12-31 (or `from` + 1 when there is no room). */
function dayAfter(rand: () => number, from: string): string {
  const start = Date.parse(from) + DAY;
  const end = Math.max(start, Date.parse('2025-12-31'));
  return isoDay(start + Math.floor(rand() * ((end - start) / DAY)) * DAY);
}
const dayBefore = (day: string) => isoDay(Date.parse(day) - DAY);
const intervalCode = (interval: string | null) => (interval ? `ANTAL_${interval.replace('-', '_')}` : null);
const stripForm = (name: string) => name.replace(/\s+(ApS|A\/S|I\/S|K\/S|F\.M\.B\.A\.)$/, '');

/** A `beliggenhedsadresse` entry; empty fields (etage, sidedoer, conavn, postboks, …) are left out to keep the file compact. */
function address(m: MunicipalityRow, street: string, houseNumber: number, postalCode: number, city: string, from: string, to: string | null, rand: () => number) {
  return {
    landekode: 'DK',
    vejkode: intBetween(rand, 1, 9999),
    kommune: { kommuneKode: m.code, kommuneNavn: m.name.toUpperCase() },
    husnummerFra: houseNumber,
    vejnavn: street,
    postnummer: postalCode,
    postdistrikt: city,
    periode: period(from, to),
  };
}

/** One generated company as a Vrvirksomhed document. `nextPNumber` hands out P-numbers for the extra units. */
export function toVrVirksomhed(r: CompanyRecord, rand: () => number, municipalities: Map<number, MunicipalityRow>, nextPNumber: () => number) {
  const founded = r.founded_on ?? '2000-01-01';
  const m = municipalities.get(r.municipality_code!)!;
  const name = r.name ?? '';
  const firstWord = stripForm(name).split(' ')[0]!;

  // Names: a third of the companies changed name once.
  const navne: { navn: string; periode: ReturnType<typeof period> }[] = [];
  if (rand() < 0.35) {
    const changed = dayAfter(rand, founded);
    const suffix = name.slice(stripForm(name).length);
    navne.push({ navn: `${firstWord} ${pickOne(rand, formerNameWords)}${suffix}`, periode: period(founded, dayBefore(changed)) });
    navne.push({ navn: name, periode: period(changed) });
  } else {
    navne.push({ navn: name, periode: period(founded) });
  }
  // Secondary names: about one company in eight has one.
  const binavne = rand() < 0.12 ? [{ navn: `${firstWord} ${pickOne(rand, secondaryNameWords)}`, periode: period(dayAfter(rand, founded)) }] : [];

  // Addresses: the current one, and for 30 % a former one (often in another municipality).
  const [, streetName = 'Hovedgaden', houseNumber = '1'] = /^(.*) (\d+)$/.exec(r.street ?? '') ?? [];
  const beliggenhedsadresse = [];
  let addressFrom = founded;
  if (rand() < 0.3) {
    addressFrom = dayAfter(rand, founded);
    const formerMunicipality = rand() < 0.5 ? m : pickOne(rand, [...municipalities.values()]);
    beliggenhedsadresse.push(address(formerMunicipality, pickOne(rand, streetNames), intBetween(rand, 1, 150), 1000 + ((formerMunicipality.code * 37) % 8000), formerMunicipality.name, founded, dayBefore(addressFrom), rand));
  }
  const currentAddress = address(m, streetName, Number(houseNumber), r.postal_code ?? 1000, r.city ?? m.name, addressFrom, null, rand);
  beliggenhedsadresse.push(currentAddress);

  const industry = { branchekode: r.industry_code, branchetekst: r.industry_text };
  const hovedbranche = [];
  let industryFrom = founded;
  if (rand() < 0.15) {
    industryFrom = dayAfter(rand, founded);
    hovedbranche.push({ ...pickOne(rand, formerIndustries), periode: period(founded, dayBefore(industryFrom)) });
  }
  hovedbranche.push({ ...industry, periode: period(industryFrom) });

  const form = { virksomhedsformkode: r.company_form_code, kortBeskrivelse: r.company_form_short, langBeskrivelse: r.company_form_long };
  const status = r.status ?? 'NORMAL';
  const virksomhedsstatus = [];
  let ended: string | null = null;
  if (status === 'NORMAL') virksomhedsstatus.push({ status, periode: period(founded) });
  else {
    const since = dayAfter(rand, founded);
    virksomhedsstatus.push({ status: 'NORMAL', periode: period(founded, dayBefore(since)) }, { status, periode: period(since) });
    if (status === 'OPHØRT') ended = since;
  }

  // Employment: sole traders without staff report nothing; the rest a yearly and a monthly figure.
  const hasEmployment = !(r.company_form_code === 10 && !r.employees);
  const figure = { antalAnsatte: r.employees, intervalKodeAntalAnsatte: intervalCode(r.employees_interval) };
  const yearly = hasEmployment && rand() < 0.6 ? { aar: 2025, ...figure } : null;
  const monthly = hasEmployment ? { aar: 2026, maaned: 9, ...figure } : null;

  const penheder = r.production_units.map((p) => ({ pNummer: Number(p.p_number), periode: period(p.valid_from ?? founded, p.valid_to) }));
  if (rand() < EXTRA_P_UNIT_SHARE) {
    const from = dayAfter(rand, founded);
    penheder.push({ pNummer: nextPNumber(), periode: period(from, rand() < 0.3 ? dayAfter(rand, from) : null) });
  }

  return {
    Vrvirksomhed: {
      cvrNummer: Number(r.cvr),
      regNummer: [],
      brancheAnsvarskode: null,
      reklamebeskyttet: r.advertising_protected,
      navne,
      binavne,
      postadresse: [],
      beliggenhedsadresse,
      livsforloeb: [{ periode: period(founded, ended) }],
      hovedbranche,
      virksomhedsstatus,
      virksomhedsform: [{ ...form, periode: period(founded) }],
      aarsbeskaeftigelse: yearly ? [yearly] : [],
      erstMaanedsbeskaeftigelse: monthly ? [monthly] : [],
      penheder,
      virksomhedMetadata: {
        nyesteNavn: { navn: name },
        nyesteBinavne: binavne.map((b) => b.navn),
        nyesteVirksomhedsform: form,
        nyesteBeliggenhedsadresse: currentAddress,
        nyesteHovedbranche: industry,
        antalPenheder: penheder.length,
        nyesteAarsbeskaeftigelse: yearly,
        nyesteErstMaanedsbeskaeftigelse: monthly,
        sammensatStatus: compositeStatus[status] ?? status,
        stiftelsesDato: founded,
      },
      enhedsNummer: 4_000_000_000 + Number(r.cvr.slice(0, 7)),
      enhedstype: 'VIRKSOMHED',
      sidstOpdateret: stamp(navne[navne.length - 1]!.periode.gyldigFra),
    },
  };
}

/** The importer must read back what the generator meant; a mismatch would make the figures meaningless. */
function checkRoundTrip(record: CompanyRecord, doc: unknown) {
  const parsed = mapVrVirksomhed(JSON.parse(JSON.stringify(doc)));
  if (!parsed.ok) throw new Error(`generated document for ${record.cvr} is rejected: ${parsed.reason}`);
  const got = parsed.record;
  const same = (a: unknown, b: unknown, what: string) => {
    if (a !== b) throw new Error(`generated document for ${record.cvr}: ${what} reads back as ${String(a)}, expected ${String(b)}`);
  };
  same(got.cvr, record.cvr, 'cvr');
  same(got.name, record.name, 'name');
  same(got.street, record.street, 'street');
  same(got.municipality_code, record.municipality_code, 'municipality');
  same(got.industry_code, record.industry_code, 'industry');
  same(got.status, record.status, 'status');
  same(got.founded_on, record.founded_on, 'founding date');
  same(got.advertising_protected, record.advertising_protected, 'advertising protection');
  for (const p of record.production_units) if (!got.production_units.some((u) => u.p_number === p.p_number)) throw new Error(`generated document for ${record.cvr} lost P-unit ${p.p_number}`);
}

/** Returns the file for `companies`/`seed`, generating it under `dir` unless an identical one is there. */
export function ensureCvrFile(dir: string, companies: number, seed: number): CvrFile {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `cvr-vrvirksomhed-${companies}-seed${seed}-v${FORMAT_VERSION}.jsonl`);
  const metaFile = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    if (meta.version === FORMAT_VERSION && meta.seed === seed && meta.companies === companies && meta.bytes === statSync(file).size) {
      return { path: file, companies: meta.companies, productionUnits: meta.productionUnits, bytes: meta.bytes, reused: true, generateSeconds: null };
    }
  }

  const started = performance.now();
  const progress = new Progress('Generating companies', companies);
  const records = generateCompanies(companies, seed);
  const rand = prng(seed ^ 0x5eed);
  const municipalities = new Map(readMunicipalities().map((m) => [m.code, m]));
  let pNumber = FIRST_EXTRA_P_NUMBER;
  const nextPNumber = () => pNumber++;
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  let productionUnits = 0;
  let bytes = 0;
  try {
    let chunk: string[] = [];
    const flush = () => {
      if (!chunk.length) return;
      const text = chunk.join('\n') + '\n';
      bytes += writeSync(fd, text);
      chunk = [];
    };
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const doc = toVrVirksomhed(record, rand, municipalities, nextPNumber);
      if (i < 500) checkRoundTrip(record, doc);
      productionUnits += doc.Vrvirksomhed.penheder.length;
      chunk.push(JSON.stringify(doc));
      if (chunk.length === 5000) {
        flush();
        progress.update(i + 1);
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  progress.stop(records.length);
  renameSync(tmp, file);
  const meta: Meta = { version: FORMAT_VERSION, seed, companies: records.length, productionUnits, bytes };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { path: file, companies: records.length, productionUnits, bytes, reused: false, generateSeconds: (performance.now() - started) / 1000 };
}
