import type { Lang } from '../../http/i18n.ts';

/** Themes (temaer) of guidance; keys are stored on engagements, names shown in the user's language. */
export const themes = [
  { key: 'digitalisation', da: 'Digitalisering', en: 'Digitalisation' },
  { key: 'export', da: 'Eksport', en: 'Export' },
  { key: 'green_transition', da: 'Grøn omstilling', en: 'Green transition' },
  { key: 'financing', da: 'Finansiering', en: 'Financing' },
  { key: 'succession', da: 'Generationsskifte', en: 'Business succession' },
  { key: 'skills', da: 'Kompetencer', en: 'Skills' },
  { key: 'innovation', da: 'Innovation', en: 'Innovation' },
  { key: 'design', da: 'Design', en: 'Design' },
  { key: 'growth', da: 'Vækst', en: 'Growth' },
  { key: 'startup', da: 'Iværksætteri', en: 'Starting a business' },
  { key: 'internationalisation', da: 'Internationalisering', en: 'Internationalisation' },
  { key: 'crisis', da: 'Virksomhed i krise', en: 'Company in crisis' },
] as const;

export type ThemeKey = (typeof themes)[number]['key'];
export const themeKeys = themes.map((t) => t.key) as [ThemeKey, ...ThemeKey[]];

export const themeName = (key: string, lang: Lang) => themes.find((t) => t.key === key)?.[lang] ?? key;

/** Delivery categories each hub starts with; Sydjylland's are those of its 2020 contract. */
export const defaultDeliveryCategories = [
  { key: 'vaekst', name: 'Vækst', confidential: false },
  { key: 'drift', name: 'Drift', confidential: false },
  { key: 'early_warning', name: 'Early Warning', confidential: true },
];
export const sydjyllandExtraCategories = [{ key: 'rk2020', name: 'RK2020', confidential: false }];
