import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'da' | 'en';

const da = {
  'app.name': 'Knudepunkt',
  'app.portal': 'Erhvervsfremmesystemet',
  'app.tagline': 'Fælles CRM for erhvervshuse, kommuner og KKR',
  'skip.link': 'Gå til indhold',
  'nav.label': 'Hovedmenu',
  'nav.search': 'Find virksomhed',
  'nav.prospects': 'Iværksættere',
  'nav.users': 'Brugere',
  'header.logout': 'Log ud',
  'header.user': 'Logget ind som',
  'lang.switch': 'English',
  'lang.switchLabel': 'Change language to English',
  'common.loading': 'Indlæser …',
  'common.error': 'Der opstod en fejl',
  'common.errorGeneric': 'Noget gik galt. Prøv igen.',
  'common.yes': 'Ja',
  'common.no': 'Nej',
  'common.none': '–',
  'common.required': 'påkrævet',
  'common.optional': 'valgfri',
  'common.all': 'Alle',
  'companyStatus.NORMAL': 'Aktiv',
  'companyStatus.OPHØRT': 'Ophørt',
  'companyStatus.UNDER KONKURS': 'Under konkurs',
  'companyStatus.UNDER FRIVILLIG LIKVIDATION': 'Under frivillig likvidation',
  'companyStatus.UNDER TVANGSOPLØSNING': 'Under tvangsopløsning',
  'companyStatus.UNDER REKONSTRUKTION': 'Under rekonstruktion',
  'login.title': 'Log ind',
  'login.intro': 'Log ind med din e-mail og adgangskode.',
  'login.email': 'E-mail',
  'login.password': 'Adgangskode',
  'login.submit': 'Log ind',
  'login.submitting': 'Logger ind …',
  'login.failed': 'Login mislykkedes',
  'search.title': 'Find virksomhed',
  'search.query': 'Søg på CVR-nummer, P-nummer eller navn',
  'search.municipality': 'Kommune',
  'search.industry': 'Branchekode',
  'search.industryHint': 'F.eks. 62 eller 620100',
  'search.submit': 'Søg',
  'search.reset': 'Nulstil',
  'search.count': '{n} virksomheder',
  'search.countOne': '1 virksomhed',
  'search.countCapped': 'Mere end {n} virksomheder',
  'search.results': 'Resultater',
  'search.noResults': 'Ingen virksomheder matcher søgningen.',
  'search.caption': 'Virksomheder',
  'col.cvr': 'CVR',
  'col.name': 'Navn',
  'col.municipality': 'Kommune',
  'col.industry': 'Branche',
  'col.status': 'Status',
  'col.employees': 'Ansatte',
  'pagination.label': 'Sider',
  'pagination.prev': 'Forrige',
  'pagination.next': 'Næste',
  'pagination.page': 'Side {n}',
  'pagination.pageOf': 'Side {n} af {m}',
  'company.title': 'Virksomhed',
  'company.notFound': 'Virksomheden findes ikke',
  'company.notFoundText': 'Der findes ingen virksomhed med CVR-nummer {cvr}.',
  'company.back': 'Tilbage til søgning',
  'company.details': 'Stamdata',
  'company.cvr': 'CVR-nummer',
  'company.secondaryNames': 'Binavne',
  'company.form': 'Virksomhedsform',
  'company.address': 'Adresse',
  'company.municipality': 'Kommune',
  'company.industry': 'Branche',
  'company.status': 'Status',
  'company.foundedOn': 'Stiftet',
  'company.employees': 'Ansatte',
  'company.employeesValue': '{count} (interval {interval}, periode {period})',
  'company.advertisingProtected': 'Reklamebeskyttet',
  'company.source': 'Kilde',
  'company.sourceCvr': 'CVR-registret',
  'company.sourceManual': 'Manuelt oprettet',
  'company.updatedAt': 'Opdateret',
  'company.units': 'Produktionsenheder (P-enheder)',
  'company.unitsCaption': 'Produktionsenheder',
  'company.noUnits': 'Virksomheden har ingen registrerede produktionsenheder.',
  'unit.pNumber': 'P-nummer',
  'unit.from': 'Fra',
  'unit.to': 'Til',
  'unit.active': 'Aktiv',
  'prospects.title': 'Potentielle iværksættere',
  'prospects.intro': 'Personer, der overvejer at starte virksomhed, men endnu ikke har et CVR-nummer.',
  'prospects.list': 'Oversigt',
  'prospects.caption': 'Potentielle iværksættere i din organisation',
  'prospects.empty': 'Der er ingen potentielle iværksættere endnu.',
  'prospects.create': 'Opret potentiel iværksætter',
  'prospects.personName': 'Personens navn',
  'prospects.plannedName': 'Planlagt virksomhedsnavn',
  'prospects.municipality': 'Kommune',
  'prospects.municipalityNone': 'Ingen kommune valgt',
  'prospects.description': 'Beskrivelse',
  'prospects.createdAt': 'Oprettet',
  'prospects.company': 'Virksomhed',
  'prospects.submit': 'Opret',
  'prospects.created': 'Den potentielle iværksætter er oprettet.',
  'prospects.link': 'Knyt til CVR',
  'prospects.linkLabel': 'CVR-nummer for {name}',
  'prospects.linked': '{name} er knyttet til CVR {cvr}.',
  'prospects.readOnly': 'Du har læseadgang og kan ikke oprette potentielle iværksættere.',
  'users.title': 'Brugere',
  'users.list': 'Brugere i organisationen',
  'users.caption': 'Brugere',
  'users.noAccess': 'Kun administratorer har adgang til brugeradministration.',
  'users.create': 'Opret bruger',
  'users.email': 'E-mail',
  'users.name': 'Navn',
  'users.role': 'Rolle',
  'users.earlyWarning': 'Early Warning-adgang',
  'users.organisation': 'Organisation',
  'users.password': 'Midlertidig adgangskode',
  'users.passwordHint': 'Mindst 12 tegn. Brugeren bør skifte den ved første login.',
  'users.status': 'Status',
  'users.actions': 'Handling',
  'users.active': 'Aktiv',
  'users.inactive': 'Deaktiveret',
  'users.deactivate': 'Deaktivér {name}',
  'users.activate': 'Aktivér {name}',
  'users.deactivateShort': 'Deaktivér',
  'users.activateShort': 'Aktivér',
  'users.submit': 'Opret bruger',
  'users.created': 'Brugeren er oprettet.',
  'users.updated': 'Brugeren er opdateret.',
  'role.adviser': 'Rådgiver',
  'role.manager': 'Leder',
  'role.admin': 'Administrator',
  'role.reader': 'Læser',
  'notFound.title': 'Siden findes ikke',
  'notFound.text': 'Vi kunne ikke finde den side, du leder efter.',
  'notFound.home': 'Gå til forsiden',
  'footer.text': 'Knudepunkt – erhvervsfremmesystemets fælles platform',
};

export type MessageKey = keyof typeof da;

const en: Record<MessageKey, string> = {
  'app.name': 'Knudepunkt',
  'app.portal': 'The Danish business-promotion system',
  'app.tagline': 'Shared CRM for business hubs, municipalities and KKRs',
  'skip.link': 'Skip to content',
  'nav.label': 'Main menu',
  'nav.search': 'Find company',
  'nav.prospects': 'Entrepreneurs',
  'nav.users': 'Users',
  'header.logout': 'Sign out',
  'header.user': 'Signed in as',
  'lang.switch': 'Dansk',
  'lang.switchLabel': 'Skift sprog til dansk',
  'common.loading': 'Loading …',
  'common.error': 'An error occurred',
  'common.errorGeneric': 'Something went wrong. Please try again.',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.none': '–',
  'common.required': 'required',
  'common.optional': 'optional',
  'common.all': 'All',
  'companyStatus.NORMAL': 'Active',
  'companyStatus.OPHØRT': 'Ceased',
  'companyStatus.UNDER KONKURS': 'In bankruptcy',
  'companyStatus.UNDER FRIVILLIG LIKVIDATION': 'In voluntary liquidation',
  'companyStatus.UNDER TVANGSOPLØSNING': 'In compulsory dissolution',
  'companyStatus.UNDER REKONSTRUKTION': 'In reconstruction',
  'login.title': 'Sign in',
  'login.intro': 'Sign in with your email and password.',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in …',
  'login.failed': 'Sign-in failed',
  'search.title': 'Find company',
  'search.query': 'Search by CVR number, P-number or name',
  'search.municipality': 'Municipality',
  'search.industry': 'Industry code',
  'search.industryHint': 'E.g. 62 or 620100',
  'search.submit': 'Search',
  'search.reset': 'Reset',
  'search.count': '{n} companies',
  'search.countOne': '1 company',
  'search.countCapped': 'More than {n} companies',
  'search.results': 'Results',
  'search.noResults': 'No companies match the search.',
  'search.caption': 'Companies',
  'col.cvr': 'CVR',
  'col.name': 'Name',
  'col.municipality': 'Municipality',
  'col.industry': 'Industry',
  'col.status': 'Status',
  'col.employees': 'Employees',
  'pagination.label': 'Pages',
  'pagination.prev': 'Previous',
  'pagination.next': 'Next',
  'pagination.page': 'Page {n}',
  'pagination.pageOf': 'Page {n} of {m}',
  'company.title': 'Company',
  'company.notFound': 'The company does not exist',
  'company.notFoundText': 'There is no company with CVR number {cvr}.',
  'company.back': 'Back to search',
  'company.details': 'Master data',
  'company.cvr': 'CVR number',
  'company.secondaryNames': 'Secondary names',
  'company.form': 'Company form',
  'company.address': 'Address',
  'company.municipality': 'Municipality',
  'company.industry': 'Industry',
  'company.status': 'Status',
  'company.foundedOn': 'Founded',
  'company.employees': 'Employees',
  'company.employeesValue': '{count} (interval {interval}, period {period})',
  'company.advertisingProtected': 'Advertising protected',
  'company.source': 'Source',
  'company.sourceCvr': 'CVR register',
  'company.sourceManual': 'Created manually',
  'company.updatedAt': 'Updated',
  'company.units': 'Production units (P-units)',
  'company.unitsCaption': 'Production units',
  'company.noUnits': 'The company has no registered production units.',
  'unit.pNumber': 'P-number',
  'unit.from': 'From',
  'unit.to': 'To',
  'unit.active': 'Active',
  'prospects.title': 'Prospective entrepreneurs',
  'prospects.intro': 'People considering starting a company who do not have a CVR number yet.',
  'prospects.list': 'Overview',
  'prospects.caption': 'Prospective entrepreneurs in your organisation',
  'prospects.empty': 'There are no prospective entrepreneurs yet.',
  'prospects.create': 'Create prospective entrepreneur',
  'prospects.personName': 'Name of person',
  'prospects.plannedName': 'Planned company name',
  'prospects.municipality': 'Municipality',
  'prospects.municipalityNone': 'No municipality selected',
  'prospects.description': 'Description',
  'prospects.createdAt': 'Created',
  'prospects.company': 'Company',
  'prospects.submit': 'Create',
  'prospects.created': 'The prospective entrepreneur has been created.',
  'prospects.link': 'Link to CVR',
  'prospects.linkLabel': 'CVR number for {name}',
  'prospects.linked': '{name} is linked to CVR {cvr}.',
  'prospects.readOnly': 'You have read access and cannot create prospective entrepreneurs.',
  'users.title': 'Users',
  'users.list': 'Users in the organisation',
  'users.caption': 'Users',
  'users.noAccess': 'Only administrators have access to user administration.',
  'users.create': 'Create user',
  'users.email': 'Email',
  'users.name': 'Name',
  'users.role': 'Role',
  'users.earlyWarning': 'Early Warning access',
  'users.organisation': 'Organisation',
  'users.password': 'Initial password',
  'users.passwordHint': 'At least 12 characters. The user should change it at first sign-in.',
  'users.status': 'Status',
  'users.actions': 'Action',
  'users.active': 'Active',
  'users.inactive': 'Deactivated',
  'users.deactivate': 'Deactivate {name}',
  'users.activate': 'Activate {name}',
  'users.deactivateShort': 'Deactivate',
  'users.activateShort': 'Activate',
  'users.submit': 'Create user',
  'users.created': 'The user has been created.',
  'users.updated': 'The user has been updated.',
  'role.adviser': 'Adviser',
  'role.manager': 'Manager',
  'role.admin': 'Administrator',
  'role.reader': 'Reader',
  'notFound.title': 'Page not found',
  'notFound.text': 'We could not find the page you are looking for.',
  'notFound.home': 'Go to the front page',
  'footer.text': 'Knudepunkt – the shared platform of the Danish business-promotion system',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { da, en };

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
  const template = dictionaries[lang][key];
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
  /** A register status (NORMAL, OPHØRT, …) in words; unknown codes are shown as the register writes them. */
  status: (value: string | null | undefined) => string;
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
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      n: (v) => numberFormat.format(v),
      d: (v) => {
        if (!v) return '';
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
        const date = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(v);
        return Number.isNaN(date.getTime()) ? v : dateFormat.format(date);
      },
      status: (v) => {
        if (!v) return translate(lang, 'common.none');
        const key = `companyStatus.${v.toUpperCase()}`;
        return key in dictionaries[lang] ? translate(lang, key as MessageKey) : v;
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
