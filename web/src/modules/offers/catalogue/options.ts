import type { OfferFormat, OfferPhase, TargetGroup } from '#server/modules/offers/schemas.ts';
import type { ThemeKey } from '#server/modules/organisations/schemas.ts';

/** The fixed lists of the public catalogue's filters; `satisfies` holds them to the server's keys. */
export const CATALOGUE_THEMES = [
  'digitalisation',
  'export',
  'green_transition',
  'financing',
  'succession',
  'skills',
  'innovation',
  'design',
  'growth',
  'startup',
  'internationalisation',
  'crisis',
] as const satisfies readonly ThemeKey[];
export type CatalogueTheme = (typeof CATALOGUE_THEMES)[number];

export const CATALOGUE_TARGET_GROUPS = ['pre_starter', 'entrepreneur', 'sme', 'large'] as const satisfies readonly TargetGroup[];
export type CatalogueTargetGroup = (typeof CATALOGUE_TARGET_GROUPS)[number];

export const CATALOGUE_PHASES = ['idea', 'start', 'growth', 'established', 'transition'] as const satisfies readonly OfferPhase[];
export type CataloguePhase = (typeof CATALOGUE_PHASES)[number];

export const CATALOGUE_FORMATS = ['guidance', 'course', 'network', 'programme', 'online', 'funding'] as const satisfies readonly OfferFormat[];
export type CatalogueFormat = (typeof CATALOGUE_FORMATS)[number];

export function isOneOf<T extends string>(list: readonly T[], v: string | null | undefined): v is T {
  return !!v && (list as readonly string[]).includes(v);
}
