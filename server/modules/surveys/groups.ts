/**
 * The groups survey results are broken down by: main industry group (from the first two digits of
 * the DB07 industry code, in the categories of the seed's Sønderborg survey) and size band (employees).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Lang } from '../../http/i18n.ts';

/** Main industry groups: DB07 two-digit ranges, named as the local surveys name them. */
export const industryGroups = [
  { key: 'agriculture', from: 1, to: 9, da: 'Landbrug, råstofudvinding', en: 'Agriculture, mining and quarrying' },
  { key: 'manufacturing', from: 10, to: 33, da: 'Fremstilling, produktion, industri', en: 'Manufacturing, production, industry' },
  { key: 'energy', from: 35, to: 39, da: 'Energi, forsyning, renovation', en: 'Energy, utilities, waste' },
  { key: 'construction', from: 41, to: 43, da: 'Bygge og anlæg, håndværk', en: 'Construction, crafts' },
  { key: 'trade', from: 45, to: 47, da: 'Detailhandel, butik, engroshandel, autohandel, autoværksted', en: 'Retail, shops, wholesale, motor trade and repair' },
  { key: 'transport', from: 49, to: 53, da: 'Transport, logistik', en: 'Transport, logistics' },
  { key: 'hospitality', from: 55, to: 56, da: 'Hotel, overnatning, café, restauration', en: 'Hotels, accommodation, cafés, restaurants' },
  { key: 'information', from: 58, to: 63, da: 'Information, kommunikation, it', en: 'Information, communication, IT' },
  { key: 'finance', from: 64, to: 68, da: 'Bank, finans, forsikring, ejendom', en: 'Banking, finance, insurance, real estate' },
  { key: 'business_services', from: 69, to: 82, da: 'Rådgivning, videnservice, erhvervsservice', en: 'Consulting, knowledge and business services' },
  { key: 'public_health', from: 84, to: 88, da: 'Offentlig service, undervisning, sundhed', en: 'Public services, education, health' },
  { key: 'other_services', from: 90, to: 99, da: 'Kultur, fritid, øvrig service', en: 'Culture, leisure, other services' },
] as const;
export type IndustryGroup = (typeof industryGroups)[number]['key'];

/** Size bands by employees (the EU's micro/small/medium/large, with no employees apart). */
export const sizeBands = [
  { key: 'none', min: 0, max: 0, da: 'Ingen ansatte', en: 'No employees' },
  { key: 'micro', min: 1, max: 9, da: '1–9 ansatte', en: '1–9 employees' },
  { key: 'small', min: 10, max: 49, da: '10–49 ansatte', en: '10–49 employees' },
  { key: 'medium', min: 50, max: 249, da: '50–249 ansatte', en: '50–249 employees' },
  { key: 'large', min: 250, max: Number.MAX_SAFE_INTEGER, da: '250 ansatte og derover', en: '250 employees or more' },
] as const;
export type SizeBand = (typeof sizeBands)[number]['key'];
export const sizeBandKeys = sizeBands.map((b) => b.key) as [SizeBand, ...SizeBand[]];

export const UNKNOWN_GROUP = 'unknown';
const unknownLabel = { da: 'Ukendt', en: 'Unknown' };

export function industryGroupOf(industryCode: string | null | undefined): IndustryGroup | null {
  if (!industryCode || !/^\d{2}/.test(industryCode)) return null;
  const division = Number(industryCode.slice(0, 2));
  return industryGroups.find((g) => division >= g.from && division <= g.to)?.key ?? null;
}

export function sizeBandOf(employees: number | null | undefined): SizeBand | null {
  if (employees === null || employees === undefined) return null;
  return sizeBands.find((b) => employees >= b.min && employees <= b.max)!.key;
}

/** SQL for a company row `c` in one of the size bands (the segment filter). */
export function sizeBandWhere(bands: readonly SizeBand[]): SQL {
  const parts = sizeBands.filter((b) => bands.includes(b.key)).map((b) => sql`(c.employees BETWEEN ${b.min} AND ${b.max})`);
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`FALSE`;
}

export function groupLabel(by: 'industry' | 'size', key: string, lang: Lang): string {
  const found = by === 'industry' ? industryGroups.find((g) => g.key === key) : sizeBands.find((b) => b.key === key);
  return (found ?? unknownLabel)[lang];
}

export const groupKeys = (by: 'industry' | 'size'): string[] => [...(by === 'industry' ? industryGroups : sizeBands).map((g) => g.key), UNKNOWN_GROUP];
