export type Lang = 'da' | 'en';

/** Picks Danish unless the request prefers English (Accept-Language order and q-values respected). */
export function pickLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'da';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('da') || tag.startsWith('nb') || tag.startsWith('no')) return 'da';
    if (tag.startsWith('en')) return 'en';
  }
  return 'da';
}

type Params = Record<string, string | number>;
type Message = string | ((p: Params) => string);

const da: Record<string, Message> = {
  'problem.400': 'Forespørgslen er ugyldig.',
  'problem.401': 'Du er ikke logget ind.',
  'problem.403': 'Du har ikke adgang til denne handling.',
  'problem.404': 'Det findes ikke.',
  'problem.405': 'Metoden er ikke tilladt.',
  'problem.409': 'Konflikt med eksisterende data.',
  'problem.410': 'Det findes ikke længere.',
  'problem.413': 'Forespørgslen er for stor.',
  'problem.415': 'Indholdstypen understøttes ikke. Send JSON.',
  'problem.429': 'For mange forsøg. Vent lidt, og prøv igen.',
  'problem.500': 'Der opstod en uventet fejl. Prøv igen senere.',
  'problem.503': 'Tjenesten er ikke klar.',
  'validation.failed': 'Et eller flere felter er ikke udfyldt korrekt.',
  'validation.invalidJson': 'Indholdet er ikke gyldig JSON.',
  required: 'Feltet skal udfyldes.',
  invalidType: (p) => `Feltet har en forkert type (forventet ${p.expected}).`,
  tooShort: (p) => `Skal være mindst ${p.minimum} tegn.`,
  tooLong: (p) => `Må højst være ${p.maximum} tegn.`,
  tooSmall: (p) => `Skal være mindst ${p.minimum}.`,
  tooBig: (p) => `Må højst være ${p.maximum}.`,
  invalidEmail: 'Skal være en gyldig e-mailadresse.',
  invalidFormat: 'Feltet har et ugyldigt format.',
  invalidOption: (p) => `Skal være en af: ${p.options}.`,
  unknownField: (p) => `Ukendt felt: ${p.keys}.`,
  'cvr.format': 'Et CVR-nummer består af 8 cifre.',
  'cvr.checksum': 'CVR-nummeret er ugyldigt (kontrolcifferet passer ikke, modulus 11).',
  'pNumber.format': 'Et P-nummer består af 10 cifre.',
  'auth.invalidCredentials': 'Forkert e-mail eller adgangskode.',
  'auth.sessionExpired': 'Din session er udløbet. Log ind igen.',
  'auth.csrf': 'Sikkerhedstoken (CSRF) mangler eller er ugyldigt. Genindlæs siden, og prøv igen.',
  'company.notFound': (p) => `Der findes ingen virksomhed med CVR-nummer ${p.cvr}.`,
  'company.exists': (p) => `Virksomheden med CVR-nummer ${p.cvr} findes allerede.`,
  'prospect.notFound': 'Iværksætteren findes ikke.',
  'prospect.alreadyLinked': 'Iværksætteren er allerede knyttet til et CVR-nummer, og det kan ikke ændres.',
  'user.notFound': 'Brugeren findes ikke.',
  'user.emailTaken': 'Der findes allerede en bruger med denne e-mailadresse.',
  'user.organisationUnknown': 'Organisationen findes ikke.',
  'user.cannotDeactivateSelf': 'Du kan ikke deaktivere dig selv.',
  'municipality.unknown': (p) => `Ukendt kommunekode: ${p.code}.`,
  'organisation.notFound': 'Organisationen findes ikke.',
  'engagement.notFound': 'Forløbet findes ikke.',
  'engagement.stale': 'Forløbet er ændret af en anden, siden du hentede det. Genindlæs, og prøv igen.',
  'engagement.alreadyClosed': 'Forløbet er allerede lukket.',
  'engagement.closedBeforeOpened': 'Lukkedatoen kan ikke ligge før startdatoen.',
  'engagement.categoryUnknown': 'Leverancekategorien findes ikke i din organisation.',
  'engagement.responsibleUnknown': 'Den ansvarlige skal være en aktiv bruger i din organisation.',
  'engagement.subjectRequired': 'Angiv enten et CVR-nummer eller en iværksætter (ikke begge).',
  'engagement.confidentialForbidden': 'Kun Early Warning-teamet kan oprette fortrolige forløb.',
  'contact.notFound': 'Kontaktpersonen findes ikke.',
  'contact.unknown': 'Kontaktpersonen findes ikke på denne virksomhed.',
  'contact.alreadyErased': 'Kontaktpersonen er allerede slettet.',
  'consent.notFound': 'Samtykket findes ikke.',
  'consent.alreadyWithdrawn': 'Samtykket er allerede tilbagekaldt.',
  'consent.organisationsRequired': 'Vælg mindst én organisation, når samtykket gælder navngivne organisationer.',
  'consent.organisationUnknown': 'En af de valgte organisationer findes ikke.',
  'consent.expiryPast': 'Udløbsdatoen skal ligge i fremtiden.',
  'referral.notFound': 'Henvisningen findes ikke.',
  'referral.toOwn': 'Du kan ikke henvise til din egen organisation.',
  'referral.receiverCannotAnswer': 'KKR-sekretariater og nationale myndigheder ser kun aggregerede tal og kan ikke modtage henvisninger.',
  'engagement.responsibleNotEw': 'Et fortroligt Early Warning-forløb skal have en ansvarlig med Early Warning-adgang.',
  'referral.organisationUnknown': 'Den modtagende organisation findes ikke.',
  'referral.consentRequired': 'Virksomheden har ikke givet samtykke til deling med modtageren. Registrér samtykket sammen med henvisningen.',
  'referral.confidential': 'Fortrolige forløb (Early Warning) kan ikke henvises.',
  'referral.transition': (p) => `Henvisningen kan ikke ændres fra status "${p.from}" på denne måde.`,
  'referral.stale': 'Henvisningen er ændret af en anden, siden du hentede den. Genindlæs, og prøv igen.',
  'list.notFound': 'Listen findes ikke.',
  'contract.notFound': 'Kontrakten findes ikke.',
  'contract.goalInvalid': (p) => `Mål ${p.number} (${p.title}) er ugyldigt: ${p.problem}. Intet er gemt.`,
  'contract.unknownIndicator': (p) => `Mål ${p.number}: ukendt indikator "${p.type}". Kendte indikatorer: ${p.known}.`,
  'contract.malformedIndicator': (p) => `Mål ${p.number}: indikatoren eller skalaen er ugyldig (${p.where}: ${p.problem}).`,
  'contract.goalNumberTaken': (p) => `Mål nummer ${p.number} findes flere gange.`,
  'report.notFound': 'Statusrapporten findes ikke.',
  'offer.notFound': 'Tilbuddet findes ikke.',
  'offer.stale': 'Tilbuddet er ændret af en anden, siden du hentede det. Genindlæs, og prøv igen.',
  'offer.transition': (p) => `Tilbuddet kan ikke gå fra "${p.from}" til "${p.to}".`,
  'offer.period': 'Slutdatoen kan ikke ligge før startdatoen.',
  'contract.statusBackwards': (p) => `En kontrakt kan ikke gå fra "${p.from}" tilbage til "${p.to}".`,
  'evidence.type': (p) => `Filtypen er ikke tilladt. Tilladte typer: ${p.types}.`,
  'evidence.size': (p) => `Filen er for stor (højst ${p.max}).`,
  'report.published': 'Statusrapporten er offentliggjort og kan ikke ændres. Udsend en ny version.',
  'evaluation.unknown': 'Linket er ukendt. Tjek, at du har brugt hele linket fra mailen.',
  'evaluation.expired': 'Linket er udløbet.',
  'evaluation.alreadyAnswered': 'Der er allerede svaret via dette link. Tak for dit svar.',
  'evaluation.unsubscribed': 'Du har frameldt dig evalueringen.',
};

const en: Record<string, Message> = {
  'problem.400': 'The request is invalid.',
  'problem.401': 'You are not signed in.',
  'problem.403': 'You are not allowed to do this.',
  'problem.404': 'Not found.',
  'problem.405': 'Method not allowed.',
  'problem.409': 'Conflict with existing data.',
  'problem.410': 'It no longer exists.',
  'problem.413': 'The request is too large.',
  'problem.415': 'Unsupported content type. Send JSON.',
  'problem.429': 'Too many attempts. Wait a moment and try again.',
  'problem.500': 'An unexpected error occurred. Please try again later.',
  'problem.503': 'The service is not ready.',
  'validation.failed': 'One or more fields are not filled in correctly.',
  'validation.invalidJson': 'The body is not valid JSON.',
  required: 'This field is required.',
  invalidType: (p) => `The field has the wrong type (expected ${p.expected}).`,
  tooShort: (p) => `Must be at least ${p.minimum} characters.`,
  tooLong: (p) => `Must be at most ${p.maximum} characters.`,
  tooSmall: (p) => `Must be at least ${p.minimum}.`,
  tooBig: (p) => `Must be at most ${p.maximum}.`,
  invalidEmail: 'Must be a valid e-mail address.',
  invalidFormat: 'The field has an invalid format.',
  invalidOption: (p) => `Must be one of: ${p.options}.`,
  unknownField: (p) => `Unknown field: ${p.keys}.`,
  'cvr.format': 'A CVR number has 8 digits.',
  'cvr.checksum': 'The CVR number is invalid (the check digit does not match, modulus 11).',
  'pNumber.format': 'A P-number has 10 digits.',
  'auth.invalidCredentials': 'Wrong e-mail or password.',
  'auth.sessionExpired': 'Your session has expired. Please sign in again.',
  'auth.csrf': 'The security token (CSRF) is missing or invalid. Reload the page and try again.',
  'company.notFound': (p) => `There is no company with CVR number ${p.cvr}.`,
  'company.exists': (p) => `The company with CVR number ${p.cvr} already exists.`,
  'prospect.notFound': 'The prospect does not exist.',
  'prospect.alreadyLinked': 'The prospect is already linked to a CVR number, and that cannot be changed.',
  'user.notFound': 'The user does not exist.',
  'user.emailTaken': 'A user with this e-mail address already exists.',
  'user.organisationUnknown': 'The organisation does not exist.',
  'user.cannotDeactivateSelf': 'You cannot deactivate yourself.',
  'municipality.unknown': (p) => `Unknown municipality code: ${p.code}.`,
  'organisation.notFound': 'The organisation does not exist.',
  'engagement.notFound': 'The engagement does not exist.',
  'engagement.stale': 'Someone else changed the engagement after you loaded it. Reload and try again.',
  'engagement.alreadyClosed': 'The engagement is already closed.',
  'engagement.closedBeforeOpened': 'The closing date cannot be before the opening date.',
  'engagement.categoryUnknown': 'The delivery category does not exist in your organisation.',
  'engagement.responsibleUnknown': 'The responsible adviser must be an active user of your organisation.',
  'engagement.subjectRequired': 'Give either a CVR number or a prospect (not both).',
  'engagement.confidentialForbidden': 'Only the Early Warning team can create confidential engagements.',
  'contact.notFound': 'The contact does not exist.',
  'contact.unknown': 'The contact does not exist on this company.',
  'contact.alreadyErased': 'The contact has already been erased.',
  'consent.notFound': 'The consent does not exist.',
  'consent.alreadyWithdrawn': 'The consent has already been withdrawn.',
  'consent.organisationsRequired': 'Choose at least one organisation when the consent covers named organisations.',
  'consent.organisationUnknown': 'One of the chosen organisations does not exist.',
  'consent.expiryPast': 'The expiry date must be in the future.',
  'referral.notFound': 'The referral does not exist.',
  'referral.toOwn': 'You cannot refer to your own organisation.',
  'referral.receiverCannotAnswer': 'KKR secretariats and national authorities see aggregates only and cannot receive referrals.',
  'engagement.responsibleNotEw': 'A confidential Early Warning engagement needs a responsible adviser with the Early Warning permission.',
  'referral.organisationUnknown': 'The receiving organisation does not exist.',
  'referral.consentRequired': 'The company has not consented to sharing with the receiver. Record the consent with the referral.',
  'referral.confidential': 'Confidential (Early Warning) engagements cannot be referred.',
  'referral.transition': (p) => `The referral cannot change this way from status "${p.from}".`,
  'referral.stale': 'Someone else changed the referral after you loaded it. Reload and try again.',
  'list.notFound': 'The list does not exist.',
  'contract.notFound': 'The contract does not exist.',
  'contract.goalInvalid': (p) => `Goal ${p.number} (${p.title}) is invalid: ${p.problem}. Nothing was saved.`,
  'contract.unknownIndicator': (p) => `Goal ${p.number}: unknown indicator "${p.type}". Known indicators: ${p.known}.`,
  'contract.malformedIndicator': (p) => `Goal ${p.number}: the indicator or its scale is malformed (${p.where}: ${p.problem}).`,
  'contract.goalNumberTaken': (p) => `Goal number ${p.number} appears more than once.`,
  'report.notFound': 'The status report does not exist.',
  'offer.notFound': 'The offer does not exist.',
  'offer.stale': 'Someone else changed the offer after you loaded it. Reload and try again.',
  'offer.transition': (p) => `The offer cannot go from "${p.from}" to "${p.to}".`,
  'offer.period': 'The end date cannot be before the start date.',
  'contract.statusBackwards': (p) => `A contract cannot go from "${p.from}" back to "${p.to}".`,
  'evidence.type': (p) => `This file type is not allowed. Allowed types: ${p.types}.`,
  'evidence.size': (p) => `The file is too large (at most ${p.max}).`,
  'report.published': 'The status report is published and cannot be changed. Issue a new version.',
  'evaluation.unknown': 'The link is unknown. Check that you used the whole link from the e-mail.',
  'evaluation.expired': 'The link has expired.',
  'evaluation.alreadyAnswered': 'This link has already been used to answer. Thank you for your answer.',
  'evaluation.unsubscribed': 'You have unsubscribed from the evaluation.',
};

const dictionaries: Record<Lang, Record<string, Message>> = { da, en };

export function translate(lang: Lang, key: string, params: Params = {}): string {
  const message = dictionaries[lang][key] ?? dictionaries.da[key];
  if (message === undefined) return key;
  return typeof message === 'function' ? message(params) : message;
}

export function hasMessage(key: string): boolean {
  return key in da;
}
