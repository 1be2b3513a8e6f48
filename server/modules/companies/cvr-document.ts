/**
 * Maps one document of the CVR register's system-to-system service (`{"Vrvirksomhed": {...}}`)
 * to the register data Knudepunkt keeps. Time-versioned arrays are resolved to their newest period;
 * `virksomhedMetadata.nyeste*` is only a fallback, because the newest period wins when they disagree.
 */
import { isExistingDate } from '../../lib/dates.ts';
import { INT4_MAX, INT4_MIN } from '../../lib/integers.ts';
import { isValidCvr, isValidPNumber } from './cvr.ts';

interface Period {
  gyldigFra?: string | null;
  gyldigTil?: string | null;
}
interface Versioned {
  periode?: Period | null;
}
interface Address extends Versioned {
  vejnavn?: string | null;
  husnummerFra?: number | null;
  husnummerTil?: number | null;
  bogstavFra?: string | null;
  bogstavTil?: string | null;
  etage?: string | null;
  sidedoer?: string | null;
  conavn?: string | null;
  postboks?: string | null;
  postnummer?: number | null;
  postdistrikt?: string | null;
  bynavn?: string | null;
  fritekst?: string | null;
  kommune?: { kommuneKode?: number | string | null } | null;
}
interface Employment {
  aar?: number;
  kvartal?: number;
  maaned?: number;
  antalAnsatte?: number | null;
  intervalKodeAntalAnsatte?: string | null;
}
interface VrVirksomhed {
  cvrNummer?: number | string | null;
  reklamebeskyttet?: boolean | null;
  navne?: ({ navn?: string } & Versioned)[];
  binavne?: ({ navn?: string } & Versioned)[];
  beliggenhedsadresse?: Address[];
  hovedbranche?: ({ branchekode?: string; branchetekst?: string } & Versioned)[];
  virksomhedsform?: ({ virksomhedsformkode?: number; kortBeskrivelse?: string; langBeskrivelse?: string } & Versioned)[];
  virksomhedsstatus?: ({ status?: string } & Versioned)[];
  livsforloeb?: Versioned[];
  aarsbeskaeftigelse?: Employment[];
  kvartalsbeskaeftigelse?: Employment[];
  maanedsbeskaeftigelse?: Employment[];
  erstMaanedsbeskaeftigelse?: Employment[];
  penheder?: ({ pNummer?: number | string } & Versioned)[];
  virksomhedMetadata?: {
    nyesteNavn?: { navn?: string } | null;
    nyesteBinavne?: string[] | null;
    nyesteVirksomhedsform?: { virksomhedsformkode?: number; kortBeskrivelse?: string; langBeskrivelse?: string } | null;
    nyesteBeliggenhedsadresse?: Address | null;
    nyesteHovedbranche?: { branchekode?: string; branchetekst?: string } | null;
    nyesteAarsbeskaeftigelse?: Employment | null;
    nyesteKvartalsbeskaeftigelse?: Employment | null;
    nyesteMaanedsbeskaeftigelse?: Employment | null;
    nyesteErstMaanedsbeskaeftigelse?: Employment | null;
    sammensatStatus?: string | null;
    stiftelsesDato?: string | null;
    virkningsDato?: string | null;
  } | null;
}

export interface CompanyRecord {
  cvr: string;
  name: string | null;
  secondary_names: string[];
  search_name: string;
  company_form_code: number | null;
  company_form_short: string | null;
  company_form_long: string | null;
  street: string | null;
  address_text: string | null;
  postal_code: number | null;
  city: string | null;
  municipality_code: number | null;
  industry_code: string | null;
  industry_text: string | null;
  /** The register's status code, upper case (NORMAL, OPHØRT, UNDER KONKURS, OPLØST EFTER FUSION, …); see `statusOf`. */
  status: string | null;
  /** When a company ceased, or since when it has been in a process such as bankruptcy; null (or absent) while normal. */
  status_since?: string | null;
  founded_on: string | null;
  employees: number | null;
  employees_interval: string | null;
  employees_period: string | null;
  advertising_protected: boolean;
  production_units: { p_number: string; valid_from: string | null; valid_to: string | null }[];
}

export type ParseResult = { ok: true; record: CompanyRecord } | { ok: false; reason: string };

const OPEN_END = '9999-12-31';

/** The element whose period starts last; an open period beats a closed one starting the same day. */
export function newest<T extends Versioned>(items: T[] | null | undefined): T | undefined {
  let best: T | undefined;
  for (const item of items ?? []) {
    if (!best) {
      best = item;
      continue;
    }
    const from = item.periode?.gyldigFra ?? '';
    const bestFrom = best.periode?.gyldigFra ?? '';
    const to = item.periode?.gyldigTil ?? OPEN_END;
    const bestTo = best.periode?.gyldigTil ?? OPEN_END;
    if (from > bestFrom || (from === bestFrom && to > bestTo)) best = item;
  }
  return best;
}

const current = <T extends Versioned>(items: T[] | null | undefined) => (items ?? []).filter((i) => !i.periode?.gyldigTil);

function formatStreet(a: Address): string | null {
  if (a.fritekst) return a.fritekst;
  if (!a.vejnavn) return a.postboks ? `Postboks ${a.postboks}` : null;
  let number = a.husnummerFra != null ? `${a.husnummerFra}${a.bogstavFra ?? ''}` : '';
  if (a.husnummerTil != null) number += `-${a.husnummerTil}${a.bogstavTil ?? ''}`;
  const floor = [a.etage, a.sidedoer].filter(Boolean).join('. ');
  return [a.vejnavn, number].filter(Boolean).join(' ') + (floor ? `, ${floor}.` : '');
}

/** "ANTAL_10_19" → "10-19", "ANTAL_1000_999999" → "1000+". */
export function formatInterval(code: string | null | undefined): string | null {
  const m = code && /^ANTAL_(\d+)_(\d+)$/.exec(code);
  if (!m) return code ?? null;
  return Number(m[2]) >= 999999 ? `${m[1]}+` : `${m[1]}-${m[2]}`;
}

interface EmploymentFigure {
  count: number | null;
  interval: string | null;
  period: string;
  rank: number;
}

function employmentFigures(list: Employment[] | null | undefined, kind: 'year' | 'quarter' | 'month'): EmploymentFigure[] {
  return (list ?? [])
    .filter((e) => e && typeof e.aar === 'number' && (e.antalAnsatte != null || e.intervalKodeAntalAnsatte))
    .map((e) => {
      const month = kind === 'year' ? 12 : kind === 'quarter' ? (e.kvartal ?? 4) * 3 : (e.maaned ?? 12);
      const period = kind === 'year' ? `${e.aar}` : kind === 'quarter' ? `${e.aar}-K${e.kvartal}` : `${e.aar}-${String(e.maaned).padStart(2, '0')}`;
      // Same month: a monthly figure is fresher than a quarterly, which is fresher than a yearly one.
      const rank = (e.aar! * 12 + month) * 3 + (kind === 'month' ? 2 : kind === 'quarter' ? 1 : 0);
      return { count: e.antalAnsatte ?? null, interval: formatInterval(e.intervalKodeAntalAnsatte), period, rank };
    });
}

function newestEmployment(v: VrVirksomhed): EmploymentFigure | undefined {
  const m = v.virksomhedMetadata ?? {};
  const all = [
    ...employmentFigures(v.aarsbeskaeftigelse, 'year'),
    ...employmentFigures(v.kvartalsbeskaeftigelse, 'quarter'),
    ...employmentFigures(v.maanedsbeskaeftigelse, 'month'),
    ...employmentFigures(v.erstMaanedsbeskaeftigelse, 'month'),
    ...employmentFigures(m.nyesteAarsbeskaeftigelse ? [m.nyesteAarsbeskaeftigelse] : [], 'year'),
    ...employmentFigures(m.nyesteKvartalsbeskaeftigelse ? [m.nyesteKvartalsbeskaeftigelse] : [], 'quarter'),
    ...employmentFigures(m.nyesteMaanedsbeskaeftigelse ? [m.nyesteMaanedsbeskaeftigelse] : [], 'month'),
    ...employmentFigures(m.nyesteErstMaanedsbeskaeftigelse ? [m.nyesteErstMaanedsbeskaeftigelse] : [], 'month'),
  ];
  return all.reduce<EmploymentFigure | undefined>((best, e) => (!best || e.rank > best.rank ? e : best), undefined);
}

export function normaliseCvr(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isInteger(raw)) return String(raw).padStart(8, '0');
  if (typeof raw === 'string' && /^\d{1,8}$/.test(raw.trim())) return raw.trim().padStart(8, '0');
  return null;
}

export function searchNameOf(name: string | null, secondaryNames: string[]): string {
  return [name ?? '', ...secondaryNames].join(' ').toLowerCase().trim();
}

/**
 * The register's own spellings of a status differ between fields and years ("Aktiv", "NORMAL",
 * "Under konkurs", and run together as "UnderKonkurs" or "OpløstEfterFusion").
 */
export function normaliseStatus(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  // The register has a handful of spellings, seen once per document or more: remembered, because
  // the locale-aware upper-casing is among the costliest steps of an import.
  const known = statusSpellings.get(raw);
  if (known !== undefined) return known;
  const code = raw.trim().replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/\s+/g, ' ').toLocaleUpperCase('da');
  const status = !code ? null : code === 'AKTIV' ? 'NORMAL' : code;
  if (statusSpellings.size < 10_000) statusSpellings.set(raw, status);
  return status;
}

const statusSpellings = new Map<string, string | null>();

/**
 * A status after which the company no longer exists: ceased, dissolved (after a merger, a declaration,
 * bankruptcy, liquidation, a split), compulsorily dissolved, deleted. "UNDER …" statuses are processes
 * the company is still in.
 */
export function isCeasedStatus(code: string | null | undefined): boolean {
  return !!code && /^(OPHØRT|OPLØST|TVANGSOPLØST|SLETTET|FUSIONERET|SPALTET)/.test(code);
}

/**
 * The company's true status and its date. The register says it in three places that do not always
 * agree: the periods of `virksomhedsstatus` (a normal period with an end date means the company
 * stopped), the periods of `livsforloeb` (the company's life; an end date means it ceased), and
 * `virksomhedMetadata.sammensatStatus` (the register's summary, e.g. "Opløst efter fusion"). An
 * ended life or normal period is a fact that no stale summary overrides; otherwise the most specific
 * of summary and newest period wins. The date is when it ceased, or when the current process began.
 */
export function statusOf(v: VrVirksomhed): { status: string | null; since: string | null } {
  const periods = (Array.isArray(v.virksomhedsstatus) ? v.virksomhedsstatus : []).filter((p) => p && normaliseStatus(p.status));
  const latest = newest(periods);
  const latestCode = latest ? normaliseStatus(latest.status) : null;
  const latestEnd = latest?.periode?.gyldigTil ?? null;
  const composite = normaliseStatus(v.virksomhedMetadata?.sammensatStatus);
  const lifeEnd = newest(Array.isArray(v.livsforloeb) ? v.livsforloeb.filter(Boolean) : [])?.periode?.gyldigTil ?? null;
  const startOf = (code: string) => newest(periods.filter((p) => normaliseStatus(p.status) === code))?.periode?.gyldigFra ?? null;

  let status = composite && composite !== 'NORMAL' ? composite : latestCode && latestCode !== 'NORMAL' ? latestCode : null;
  const ended = lifeEnd !== null || (latestCode === 'NORMAL' && latestEnd !== null);
  if (ended && !isCeasedStatus(status)) status = 'OPHØRT';
  if (!status) return { status: latestCode ?? composite, since: null };
  if (isCeasedStatus(status)) return { status, since: lifeEnd ?? startOf(status) ?? latestEnd };
  return { status, since: startOf(status) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The company document (`{"Vrvirksomhed": …}`) that `mapVrVirksomhed` maps, from what the register's
 * Elasticsearch service hands out: a hit (`{"_index": …, "_source": {"Vrvirksomhed": …}}`), its
 * `_source`, the document itself, or the bare company object (`{"cvrNummer": …}`). Null for anything else.
 */
export function vrvirksomhedOf(value: unknown): { Vrvirksomhed: unknown } | null {
  if (!isObject(value)) return null;
  if ('Vrvirksomhed' in value) return { Vrvirksomhed: value.Vrvirksomhed };
  if (isObject(value._source)) return vrvirksomhedOf(value._source);
  if ('cvrNummer' in value && !('pNummer' in value)) return { Vrvirksomhed: value };
  return null;
}

export const EXPECTED_SHAPES =
  'expected JSON lines of {"Vrvirksomhed": …} documents, their Elasticsearch hits or _source objects, ' +
  'or saved search/scroll responses ({"hits": {"hits": […]}}), plain or gzip-compressed';

/** What one top-level JSON value of an import file is. */
export type CvrValue =
  | { kind: 'document'; document: unknown }
  /** A search or scroll response's hits, or a JSON array of documents or hits. */
  | { kind: 'many'; items: unknown[] }
  | { kind: 'unknown'; found: string };

export function classifyCvrValue(value: unknown): CvrValue {
  if (Array.isArray(value)) return { kind: 'many', items: value };
  if (!isObject(value)) return { kind: 'unknown', found: `found ${value === null ? 'null' : typeof value} instead of an object` };
  if (isObject(value.hits) && Array.isArray(value.hits.hits)) return { kind: 'many', items: value.hits.hits };
  if (vrvirksomhedOf(value) || '_source' in value || ('_index' in value && '_id' in value)) return { kind: 'document', document: value };
  if ('error' in value) {
    const error = isObject(value.error) ? `${String(value.error.type ?? '')}: ${String(value.error.reason ?? '')}` : String(value.error);
    return { kind: 'unknown', found: `found an error answer from Elasticsearch (${error.slice(0, 200)})` };
  }
  const other = ['Vrdeltagerperson', 'VrproduktionsEnhed', 'VrProduktionsEnhed'].find((key) => key in value);
  if (other) return { kind: 'unknown', found: `found a ${other} document (another part of the register)` };
  const keys = Object.keys(value);
  return { kind: 'unknown', found: keys.length ? `found an object with ${keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'found an empty object' };
}

/** One document, hit or `_source` to company data. */
export function mapCvrItem(item: unknown): ParseResult {
  const document = vrvirksomhedOf(item);
  if (document) return mapVrVirksomhed(document);
  if (isObject(item) && '_index' in item && !('_source' in item)) return { ok: false, reason: 'a hit without _source (was the search made with "_source": false?)' };
  const shape = classifyCvrValue(isObject(item) && '_source' in item ? item._source : item);
  const found = shape.kind === 'unknown' ? shape.found : shape.kind === 'many' ? 'found a list of documents where one document belongs' : 'found an object it does not know';
  return { ok: false, reason: `not a CVR document: ${EXPECTED_SHAPES}; ${found}` };
}

export function mapVrVirksomhed(doc: unknown): ParseResult {
  const v = (doc as { Vrvirksomhed?: VrVirksomhed } | null)?.Vrvirksomhed;
  if (!v || typeof v !== 'object') return { ok: false, reason: 'no Vrvirksomhed object' };
  if (v.cvrNummer == null) return { ok: false, reason: 'no CVR number (cvrNummer)' };
  const cvr = normaliseCvr(v.cvrNummer);
  if (!cvr) return { ok: false, reason: `CVR number "${String(v.cvrNummer)}" is not 8 digits` };
  if (!isValidCvr(cvr)) return { ok: false, reason: `CVR number ${cvr} fails the modulus 11 check` };

  const meta = v.virksomhedMetadata ?? {};
  const name = newest(v.navne)?.navn ?? meta.nyesteNavn?.navn ?? null;
  const secondary = v.binavne ? current(v.binavne).map((b) => b.navn ?? '') : (meta.nyesteBinavne ?? []);
  const secondaryNames = [...new Set(secondary.filter(Boolean))].sort((a, b) => a.localeCompare(b, 'da'));
  const form = newest(v.virksomhedsform) ?? meta.nyesteVirksomhedsform ?? undefined;
  const address = newest(v.beliggenhedsadresse) ?? meta.nyesteBeliggenhedsadresse ?? undefined;
  const industry = newest(v.hovedbranche) ?? meta.nyesteHovedbranche ?? undefined;
  const { status, since: statusSince } = statusOf(v);
  const lifeStart = (v.livsforloeb ?? []).map((l) => l.periode?.gyldigFra).filter((d): d is string => !!d).sort()[0];
  const employment = newestEmployment(v);
  const street = address ? formatStreet(address) : null;
  const city = address ? (address.postdistrikt ?? address.bynavn ?? null) : null;
  const postalCode = wholeNumber(address?.postnummer);

  const units = new Map<string, CompanyRecord['production_units'][number]>();
  for (const p of v.penheder ?? []) {
    if (p.pNummer == null) continue;
    const pNumber = String(p.pNummer).padStart(10, '0');
    if (!isValidPNumber(pNumber)) return { ok: false, reason: `P-number "${String(p.pNummer)}" is not 10 digits` };
    const prev = units.get(pNumber);
    const validFrom = p.periode?.gyldigFra ?? null;
    if (!prev || (validFrom ?? '') > (prev.valid_from ?? '')) units.set(pNumber, { p_number: pNumber, valid_from: validFrom, valid_to: p.periode?.gyldigTil ?? null });
  }

  const record: CompanyRecord = {
    cvr,
    name,
    secondary_names: secondaryNames,
    search_name: searchNameOf(name, secondaryNames),
    company_form_code: wholeNumber(form?.virksomhedsformkode),
    company_form_short: form?.kortBeskrivelse ?? null,
    company_form_long: form?.langBeskrivelse ?? null,
    street,
    address_text: street ? [street, [postalCode, city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null,
    postal_code: postalCode,
    city,
    municipality_code: wholeNumber(address?.kommune?.kommuneKode),
    industry_code: industry?.branchekode ?? null,
    industry_text: industry?.branchetekst ?? null,
    status,
    status_since: statusSince,
    founded_on: meta.stiftelsesDato ?? lifeStart ?? null,
    employees: wholeNumber(employment?.count),
    employees_interval: employment?.interval ?? null,
    employees_period: employment?.period ?? null,
    advertising_protected: v.reklamebeskyttet === true,
    production_units: [...units.values()],
  };
  const refusal = databaseRefusal(record, address?.kommune?.kommuneKode);
  return refusal ? { ok: false, reason: refusal } : { ok: true, record };
}

/**
 * The longest name kept, in UTF-16 units. Names are indexed with the CVR in one btree entry, which
 * PostgreSQL caps at 2,704 bytes; 500 units are at most 1,500 bytes of UTF-8. Real names are far shorter.
 */
export const NAME_MAX = 500;
/** Name and secondary names together: their tsvector (name_words) must stay under PostgreSQL's 1 MiB. */
export const SEARCH_NAME_MAX = 100_000;
/** Industry codes are six digits; the column is btree-indexed, so an absurd value must not reach it. */
const INDUSTRY_CODE_MAX = 20;
/** Danish municipality codes have three digits (101 København … 860 Hjørring), as `municipalityCodeSchema`. */
const MUNICIPALITY_MIN = 100;
const MUNICIPALITY_MAX = 999;

/** A digit string is taken as its number (the jsonb cast would do the same); anything else is kept for the check to refuse. */
function wholeNumber(value: unknown): number | null {
  if (value == null) return null;
  if (typeof value === 'string' && /^\d{1,10}$/.test(value.trim())) return Number(value);
  return value as number;
}

const isInt4 = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX;

/**
 * Why PostgreSQL would refuse the record, in words, or null. Checked here so that a bad document is
 * rejected with its line number before it reaches a batch; the importer still falls back to row by
 * row for whatever this misses (service.ts), so this is about clear reasons and speed, not safety.
 */
function databaseRefusal(r: CompanyRecord, municipality: unknown): string | null {
  if (r.name && r.name.length > NAME_MAX) return `name is ${r.name.length} characters long (at most ${NAME_MAX})`;
  const longSecondary = r.secondary_names.find((n) => n.length > NAME_MAX);
  if (longSecondary) return `secondary name is ${longSecondary.length} characters long (at most ${NAME_MAX})`;
  if (r.search_name.length > SEARCH_NAME_MAX) return `names together are ${r.search_name.length} characters long (at most ${SEARCH_NAME_MAX})`;
  if (r.industry_code !== null && (typeof r.industry_code !== 'string' || r.industry_code.length > INDUSTRY_CODE_MAX)) return `industry code "${String(r.industry_code).slice(0, 40)}" is not an industry code`;
  if (r.municipality_code !== null) {
    if (typeof r.municipality_code !== 'number' || !Number.isInteger(r.municipality_code)) return `municipality code "${String(municipality)}" is not a number`;
    if (r.municipality_code < MUNICIPALITY_MIN || r.municipality_code > MUNICIPALITY_MAX) return `municipality code ${r.municipality_code} is not a Danish municipality code (${MUNICIPALITY_MIN}–${MUNICIPALITY_MAX})`;
  }
  if (r.company_form_code !== null && !isInt4(r.company_form_code)) return notInt4('company form code', r.company_form_code);
  if (r.postal_code !== null && !isInt4(r.postal_code)) return notInt4('postal code', r.postal_code);
  if (r.employees !== null && !isInt4(r.employees)) return notInt4('number of employees', r.employees);
  if (!isDateOrNull(r.founded_on)) return notADate('founding date', r.founded_on);
  if (!isDateOrNull(r.status_since ?? null)) return notADate('status date', r.status_since);
  for (const p of r.production_units) {
    if (!isDateOrNull(p.valid_from)) return notADate(`P-number ${p.p_number}'s start date`, p.valid_from);
    if (!isDateOrNull(p.valid_to)) return notADate(`P-number ${p.p_number}'s end date`, p.valid_to);
  }
  return textFieldProblem(r);
}

const notInt4 = (label: string, value: unknown) => `${label} "${String(value)}" is not a whole number PostgreSQL can hold (${INT4_MIN} to ${INT4_MAX})`;
const isDateOrNull = (value: unknown) => value === null || (typeof value === 'string' && isExistingDate(value));
const notADate = (label: string, value: unknown) => `${label} "${String(value)}" is not a date that exists (YYYY-MM-DD)`;

/** The record's texts in its own field order, so a document with several bad fields is refused for the first. */
const TEXT_FIELDS = [
  'cvr', 'name', 'secondary_names', 'search_name', 'company_form_short', 'company_form_long', 'street', 'address_text', 'city',
  'industry_code', 'industry_text', 'status', 'status_since', 'founded_on', 'employees_interval', 'employees_period',
] as const satisfies readonly (keyof CompanyRecord)[];

/**
 * A text PostgreSQL cannot store: one holding a NUL character, or a lone UTF-16 surrogate (a `\ud800`
 * escape in the JSON), which is no character at all and would be stored as U+FFFD on the way.
 */
function textFieldProblem(r: CompanyRecord): string | null {
  for (const field of TEXT_FIELDS) {
    const value = r[field];
    const problem = Array.isArray(value) ? value.map(textProblem).find(Boolean) : textProblem(value);
    if (problem) return `${field} ${problem}`;
  }
  return null;
}

function textProblem(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.includes('\u0000')) return 'holds a NUL character (\\u0000), which PostgreSQL cannot store';
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return 'holds a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which is not a character';
  return null;
}

/** One line of a JSON-lines file. */
export function parseCvrLine(line: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  return mapVrVirksomhed(doc);
}
