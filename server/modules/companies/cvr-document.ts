/**
 * Maps one document of the CVR register's system-to-system service (`{"Vrvirksomhed": {...}}`)
 * to the register data Knudepunkt keeps. Time-versioned arrays are resolved to their newest period;
 * `virksomhedMetadata.nyeste*` is only a fallback, because the newest period wins when they disagree.
 */
import { isValidCvr } from './cvr.ts';

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
  kommune?: { kommuneKode?: number | null } | null;
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
  status: string | null;
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
  const status = newest(v.virksomhedsstatus)?.status ?? meta.sammensatStatus ?? null;
  const lifeStart = (v.livsforloeb ?? []).map((l) => l.periode?.gyldigFra).filter((d): d is string => !!d).sort()[0];
  const employment = newestEmployment(v);
  const street = address ? formatStreet(address) : null;
  const city = address ? (address.postdistrikt ?? address.bynavn ?? null) : null;
  const postalCode = address?.postnummer ?? null;

  const units = new Map<string, CompanyRecord['production_units'][number]>();
  for (const p of v.penheder ?? []) {
    if (p.pNummer == null) continue;
    const pNumber = String(p.pNummer).padStart(10, '0');
    const prev = units.get(pNumber);
    const validFrom = p.periode?.gyldigFra ?? null;
    if (!prev || (validFrom ?? '') > (prev.valid_from ?? '')) units.set(pNumber, { p_number: pNumber, valid_from: validFrom, valid_to: p.periode?.gyldigTil ?? null });
  }

  return {
    ok: true,
    record: {
      cvr,
      name,
      secondary_names: secondaryNames,
      search_name: searchNameOf(name, secondaryNames),
      company_form_code: form?.virksomhedsformkode ?? null,
      company_form_short: form?.kortBeskrivelse ?? null,
      company_form_long: form?.langBeskrivelse ?? null,
      street,
      address_text: street ? [street, [postalCode, city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null,
      postal_code: postalCode,
      city,
      municipality_code: address?.kommune?.kommuneKode ?? null,
      industry_code: industry?.branchekode ?? null,
      industry_text: industry?.branchetekst ?? null,
      status,
      founded_on: meta.stiftelsesDato ?? lifeStart ?? null,
      employees: employment?.count ?? null,
      employees_interval: employment?.interval ?? null,
      employees_period: employment?.period ?? null,
      advertising_protected: v.reklamebeskyttet === true,
      production_units: [...units.values()],
    },
  };
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
