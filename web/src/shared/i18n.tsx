import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Lang, MessageKey } from '../messages.ts';
import { publicDa, publicEn } from '../messages.public.ts';

export type { Lang, MessageKey };

/** The public pages' strings at start; the back office adds its own with its layout (messages.back-office.ts). */
const dictionaries: Record<Lang, Partial<Record<MessageKey, string>>> = { da: { ...publicDa }, en: { ...publicEn } };

export function registerMessages(lang: Lang, messages: Partial<Record<MessageKey, string>>): void {
  Object.assign(dictionaries[lang], messages);
}

export const LANG_STORAGE_KEY = 'kp-lang';

let currentLang: Lang = readStoredLang();

function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    return v === 'en' ? 'en' : 'da';
  } catch {
    return 'da';
  }
}

/** The language used for `Accept-Language` on API requests. */
export function getCurrentLang(): Lang {
  return currentLang;
}

export type TParams = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, params?: TParams): string {
  const template = dictionaries[lang][key] ?? dictionaries.da[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: TParams) => string;
  /** Format a number (1.234 in Danish). */
  n: (value: number) => string;
  /** Format a date: 'YYYY-MM-DD' or an ISO timestamp → dd.mm.yyyy in Danish. */
  d: (value: string | null | undefined) => string;
  /** Format a timestamp as date and time: dd.mm.yyyy hh.mm in Danish. */
  dt: (value: string | null | undefined) => string;
  /** A deadline (YYYY-MM-DD, the last day to act by) in words: "torsdag den 3. december 2026". */
  deadline: (dueOn: string) => string;
  /**
   * A register status (NORMAL, OPHØRT, …) in words, with its date when given: "Ophørt 31.12.2023" for a
   * company that has ceased, "Under konkurs siden 01.02.2024" for one in a process. Unknown codes are
   * shown as the register writes them.
   */
  status: (value: string | null | undefined, when?: { since: string | null; ceased: boolean }) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);

  useEffect(() => {
    currentLang = lang;
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    try {
      localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // storage unavailable: keep the choice for this page view only
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const numberFormat = new Intl.NumberFormat(locales[lang]);
    const dateFormat = new Intl.DateTimeFormat(locales[lang], { day: '2-digit', month: '2-digit', year: 'numeric' });
    const deadlineFormat = new Intl.DateTimeFormat(locales[lang], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const dateTimeFormat = new Intl.DateTimeFormat(locales[lang], { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    const day = (v: string | null | undefined) => {
      if (!v) return '';
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      const date = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(v);
      return Number.isNaN(date.getTime()) ? v : dateFormat.format(date);
    };
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      n: (v) => numberFormat.format(v),
      d: day,
      dt: (v) => {
        if (!v) return '';
        const date = new Date(v);
        return Number.isNaN(date.getTime()) ? v : dateTimeFormat.format(date);
      },
      deadline: (v) => {
        const date = new Date(`${v}T00:00:00Z`);
        return Number.isNaN(date.getTime()) ? v : deadlineFormat.format(date);
      },
      status: (v, when) => {
        if (!v) return translate(lang, 'common.none');
        const key = `companyStatus.${v.toUpperCase()}`;
        const label = key in dictionaries[lang] ? translate(lang, key as MessageKey) : v;
        if (!when?.since) return label;
        return translate(lang, when.ceased ? 'companyStatus.ceasedOn' : 'companyStatus.since', { status: label, date: day(when.since) });
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}
