import { useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import type { CodeName } from '../organisations/api.ts';
import { useI18n, type Lang, type MessageKey, type TParams } from '../../shared/i18n.tsx';
import { CheckboxList, ErrorAlert, ErrorSummary, errorSummaryItems, Field, Fieldset, Loading, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import type { PublicOffer } from '../offers/catalogue/api.ts';
import { usePublicMunicipalities } from '../organisations/hooks.ts';
import { usePublicOffer } from '../offers/catalogue/hooks.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { CATALOGUE_THEMES, isOneOf } from '../offers/catalogue/options.ts';
import {
  clearSelfAssessment,
  guidanceApi,
  newIdempotencyKey,
  readSelfAssessment,
  type CompanyLookup,
  type GuidanceReceipt,
  type GuidanceRequestInput,
  type StoredSelfAssessment,
} from './api.ts';
import { levelLabel } from '../offers/self-assessment/labels.ts';
import './guidance.css';

type T = (key: MessageKey, params?: TParams) => string;

const NEED_MAX = 2000;
const CVR_RE = /^\d{8}$/;

/** People paste CVR numbers as "DK 12 34 56 78" or "12345678". */
const normalizeCvr = (s: string) => s.replace(/[\s.-]/g, '').replace(/^DK/i, '');

interface Values {
  cvr: string;
  noCvr: boolean;
  companyName: string;
  municipalityCode: string;
  name: string;
  email: string;
  phone: string;
  need: string;
  /** null until the user touches the themes: until then the offer's themes are preselected. */
  themes: string[] | null;
  sharing: boolean;
  evaluation: boolean;
  website: string;
}

const EMPTY: Values = {
  cvr: '',
  noCvr: false,
  companyName: '',
  municipalityCode: '',
  name: '',
  email: '',
  phone: '',
  need: '',
  themes: null,
  sharing: false,
  evaluation: false,
  website: '',
};

/** Which error a change of a value resolves (errors are keyed by the API's field paths). */
const ERROR_KEY_OF: Record<keyof Values, string> = {
  cvr: 'cvr',
  noCvr: 'cvr',
  companyName: 'companyName',
  municipalityCode: 'municipalityCode',
  name: 'contact.name',
  email: 'contact.email',
  phone: 'contact.phone',
  need: 'need',
  themes: 'themes',
  sharing: 'consents',
  evaluation: 'consents',
  website: 'website',
};

/** The error keys in the order of the form, with the element the error summary links to. */
const FIELD_TARGETS: [string, string | null][] = [
  ['offerId', 'guidance-offer-remove'],
  ['selfAssessment', 'guidance-self-assessment-toggle'],
  ['cvr', 'guidance-cvr'],
  ['noCvr', 'guidance-no-cvr'],
  ['companyName', 'guidance-company-name'],
  ['municipalityCode', 'guidance-municipality'],
  ['contact.name', 'guidance-name'],
  ['contact.email', 'guidance-email'],
  ['contact.phone', 'guidance-phone'],
  ['need', 'guidance-need'],
  ['themes', `guidance-theme-${CATALOGUE_THEMES[0]}`],
  ['consents', 'guidance-consent-sharing'],
];

type Errors = Record<string, string>;

/** `themes.3` belongs to the themes fieldset, `consents.sharing` to the consents fieldset. */
function errorKeyOf(field: string): string {
  const head = field.split('.')[0] ?? '';
  return ['themes', 'consents', 'selfAssessment', 'offerId'].includes(head) ? head : field;
}

/**
 * The server's messages are shown as they are, except for the two things the user did not type: a
 * generic "required" about a stored self-assessment answer or an offer id says nothing useful.
 */
function serverErrors(t: T, e: ApiError): Errors {
  const out: Errors = {};
  for (const { field, message } of e.problem.errors ?? []) {
    const key = errorKeyOf(field ?? '');
    if (!(key in out)) out[key] = message;
  }
  if (out.selfAssessment) out.selfAssessment = t('guidance.selfAssessmentInvalid');
  if (out.offerId) out.offerId = t('guidance.offerInvalid');
  return out;
}

/** "Sønderborg" → "Sønderborg Kommune"; two municipalities are not called "<name> Kommune". */
function municipalityTitle(t: T, m: CodeName): string {
  if (/kommune$/i.test(m.name)) return m.name;
  if (m.code === 101) return t('guidance.municipalityName101');
  if (m.code === 400) return t('guidance.municipalityName400');
  return t('guidance.municipalityName', { name: m.name });
}

export function GuidanceRequestPage() {
  const [params, setParams] = useSearchParams();
  const [sent, setSent] = useState<{ receipt: GuidanceReceipt; email: string } | null>(null);
  const [fill, setFill] = useState(0);
  const offerId = params.get('tilbud') ?? '';

  if (sent) {
    const startOver = () => {
      setSent(null);
      setFill((f) => f + 1);
      // The offer has been asked about; a new request is about something else.
      if (offerId) setParams({}, { replace: true });
    };
    return <Receipt receipt={sent.receipt} email={sent.email} onNew={startOver} />;
  }
  return <GuidanceForm key={fill} offerId={offerId} focusHeading={fill > 0} onSent={(receipt, email) => setSent({ receipt, email })} />;
}

type Lookup = { kind: 'found'; company: CompanyLookup } | { kind: 'notFound' } | { kind: 'invalid'; message: string };

/** The language is part of the key: the register's "malformed CVR" message comes from the server. */
function lookupOptions(cvr: string, lang: Lang) {
  return {
    queryKey: ['public-company', cvr, lang],
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: async (): Promise<Lookup> => {
      try {
        return { kind: 'found', company: await guidanceApi.company(cvr) };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return { kind: 'notFound' };
        if (e instanceof ApiError && e.status === 400) return { kind: 'invalid', message: e.fieldErrors().cvr ?? e.problem.detail ?? '' };
        throw e;
      }
    },
  };
}

function useCompanyLookup(cvr: string) {
  const { lang } = useI18n();
  return useQuery({
    ...lookupOptions(cvr, lang),
    enabled: CVR_RE.test(cvr),
    // Keep the answer on screen while a language switch fetches it again.
    placeholderData: (prev: Lookup | undefined, prevQuery) => (prevQuery?.queryKey[1] === cvr ? prev : undefined),
  });
}

function lookupError(t: T, cvr: string, lookup: Lookup | undefined, failed: boolean): string | undefined {
  if (failed) return t('guidance.cvrLookupFailed');
  if (lookup?.kind === 'notFound') return t('guidance.cvrNotFound', { cvr });
  if (lookup?.kind === 'invalid') return lookup.message || t('guidance.cvrFormat');
  return undefined;
}

/**
 * The municipality is asked for without a CVR number, for a company the register knows without one,
 * and for a number the register does not know (yet): a company registered this week may name its own.
 */
function needsMunicipality(v: Values, lookup: Lookup | undefined, serverAsked: boolean): boolean {
  if (v.noCvr || serverAsked) return true;
  return lookup?.kind === 'notFound' || (lookup?.kind === 'found' && !lookup.company.municipality);
}

/** An unknown CVR number stops being an error once the company names its municipality. */
function cvrLookupError(t: T, v: Values, lookup: Lookup | undefined, failed: boolean): string | undefined {
  if (lookup?.kind === 'notFound' && v.municipalityCode) return undefined;
  return lookupError(t, normalizeCvr(v.cvr), lookup, failed);
}

function validate(t: T, v: Values, lookup: Lookup | undefined): Errors {
  const errors: Errors = {};
  const cvr = normalizeCvr(v.cvr);
  if (!v.noCvr) {
    const lookupMessage = cvrLookupError(t, v, lookup, false);
    if (!cvr) errors.cvr = t('guidance.cvrRequired');
    else if (!CVR_RE.test(cvr)) errors.cvr = t('guidance.cvrFormat');
    else if (lookupMessage) errors.cvr = lookupMessage;
  }
  // An unknown CVR number already says "choose the municipality" at the CVR field.
  if (needsMunicipality(v, lookup, false) && !v.municipalityCode && lookup?.kind !== 'notFound') errors.municipalityCode = t('guidance.municipalityRequired');
  if (!v.name.trim()) errors['contact.name'] = t('guidance.nameRequired');
  if (!v.email.trim()) errors['contact.email'] = t('guidance.emailRequired');
  if (!v.need.trim()) errors.need = t('guidance.needRequired');
  return errors;
}

interface InputExtras {
  themes: string[];
  showMunicipality: boolean;
  selfAssessment: StoredSelfAssessment | null;
  offerId: string | undefined;
}

function buildInput(v: Values, x: InputExtras): GuidanceRequestInput {
  const company = v.noCvr ? { noCvr: true, companyName: v.companyName.trim() || undefined } : { cvr: normalizeCvr(v.cvr) };
  return {
    ...company,
    municipalityCode: x.showMunicipality && v.municipalityCode ? Number(v.municipalityCode) : undefined,
    contact: { name: v.name.trim(), email: v.email.trim(), phone: v.phone.trim() || undefined },
    need: v.need.trim(),
    themes: x.themes.filter((k) => isOneOf(CATALOGUE_THEMES, k)),
    consents: { sharing: v.sharing, evaluation: v.evaluation },
    selfAssessment: x.selfAssessment ? { key: x.selfAssessment.key, answers: x.selfAssessment.answers } : undefined,
    offerId: x.offerId,
    // Only a robot fills in the hidden field; a human's request never carries it.
    website: v.website || undefined,
  };
}

interface FormProps {
  offerId: string;
  focusHeading: boolean;
  onSent: (receipt: GuidanceReceipt, email: string) => void;
}

function GuidanceForm({ offerId, focusHeading, onSent }: FormProps) {
  const { t, lang } = useI18n();
  usePageTitle(t('guidance.title'));
  const qc = useQueryClient();
  const headingRef = useAutoFocus<HTMLHeadingElement>(focusHeading);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [v, setV] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [lookedUp, setLookedUp] = useState('');
  const [selfAssessment] = useState(readSelfAssessment);
  const [includeSelfAssessment, setIncludeSelfAssessment] = useState(true);
  const [includeOffer, setIncludeOffer] = useState(true);
  // Once the server has asked for the municipality, the select stays, also after the error is fixed.
  const [serverAskedMunicipality, setServerAskedMunicipality] = useState(false);
  const checking = useRef(false);

  // The offer the company came from; an unknown or malformed id is simply ignored.
  const offer = usePublicOffer(offerId);
  const cvr = normalizeCvr(v.cvr);
  const lookup = useCompanyLookup(lookedUp);
  const current = !v.noCvr && lookedUp === cvr && CVR_RE.test(cvr);
  const currentLookup = current ? lookup.data : undefined;
  const found = currentLookup?.kind === 'found' ? currentLookup.company : null;
  const showMunicipality = needsMunicipality(v, currentLookup, serverAskedMunicipality);
  const themes = v.themes ?? (offer.data?.themes ?? []).filter((k) => isOneOf(CATALOGUE_THEMES, k));

  const update = <K extends keyof Values>(key: K, value: Values[K]) => {
    setV((p) => ({ ...p, [key]: value }));
    setErrors((e) => {
      const { [ERROR_KEY_OF[key]]: _gone, ...rest } = e;
      return rest;
    });
  };

  const dropError = (key: string, then: () => void) => {
    setErrors(({ [key]: _gone, ...rest }) => rest);
    then();
  };

  const submit = useMutation({
    mutationFn: (input: GuidanceRequestInput) => guidanceApi.submit(input, idempotencyKey),
    onSuccess: (receipt, input) => {
      clearSelfAssessment();
      onSent(receipt, input.contact.email);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 400 && e.problem.errors?.length) {
        const next = serverErrors(t, e);
        setErrors(next);
        if (next.municipalityCode) setServerAskedMunicipality(true);
        setSummaryKey((k) => k + 1);
      }
    },
  });

  const findCompany = () => {
    if (CVR_RE.test(cvr)) setLookedUp(cvr);
    else setErrors((e) => ({ ...e, cvr: cvr ? t('guidance.cvrFormat') : t('guidance.cvrRequired') }));
  };

  /** Looks the CVR number up first when the user submits straight from the field (Enter). */
  const lookupBeforeSubmit = async (): Promise<Lookup | undefined> => {
    if (v.noCvr || !CVR_RE.test(cvr)) return undefined;
    setLookedUp(cvr);
    return qc.fetchQuery(lookupOptions(cvr, lang)).catch(() => undefined);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (submit.isPending || checking.current) return;
    checking.current = true;
    try {
      const result = await lookupBeforeSubmit();
      const withMunicipality = needsMunicipality(v, result, serverAskedMunicipality);
      const next = validate(t, v, result);
      setErrors(next);
      if (Object.keys(next).length > 0) {
        setSummaryKey((k) => k + 1);
        return;
      }
      const sa = selfAssessment && includeSelfAssessment ? selfAssessment : null;
      submit.mutate(buildInput(v, { themes, showMunicipality: withMunicipality, selfAssessment: sa, offerId: includeOffer ? offer.data?.id : undefined }));
    } finally {
      checking.current = false;
    }
  };

  const otherError = submit.error instanceof ApiError && submit.error.status === 400 && submit.error.problem.errors?.length ? null : submit.error;
  const cvrError = errors.cvr ?? (current ? cvrLookupError(t, v, lookup.data, lookup.isError) : undefined);

  return (
    <div className="kp-guidance">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('guidance.title')}
      </h1>
      <p className="font-lead">{t('guidance.intro')}</p>
      <ErrorSummary id="guidance-error-summary" heading={t('guidance.errorSummary')} items={summaryItems(errors)} focusKey={summaryKey} />
      <ErrorAlert error={otherError} />
      {offer.data && includeOffer && <OfferBox offer={offer.data} error={errors.offerId} onRemove={() => dropError('offerId', () => setIncludeOffer(false))} />}
      {selfAssessment && (
        <SelfAssessmentBox
          result={selfAssessment}
          included={includeSelfAssessment}
          onToggle={() => dropError('selfAssessment', () => setIncludeSelfAssessment((x) => !x))}
          error={errors.selfAssessment}
        />
      )}
      <p>{t('guidance.optionalNote')}</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="kp-guidance-form">
        <CompanySection
          v={v}
          update={update}
          errors={errors}
          cvrError={cvrError}
          searching={current && lookup.isFetching && !lookup.data}
          found={found}
          onFind={findCompany}
          showMunicipality={showMunicipality}
        />
        <ContactSection v={v} update={update} errors={errors} />
        <NeedSection v={v} update={update} errors={errors} themes={themes} />
        <ConsentSection v={v} update={update} error={errors.consents} />
        <Honeypot value={v.website} onChange={(x) => update('website', x)} />
        <button type="submit" className="button button-primary mt-6" disabled={submit.isPending}>
          {submit.isPending ? t('guidance.submitting') : t('guidance.submit')}
        </button>
      </form>
    </div>
  );
}

/** The honeypot's error is for robots: it is never listed. */
function summaryItems({ website: _robots, ...errors }: Errors) {
  return errorSummaryItems(errors, FIELD_TARGETS);
}

/** The offer asked about; should it be withdrawn meanwhile, the request can still go without it. */
function OfferBox({ offer, error, onRemove }: { offer: PublicOffer; error?: string; onRemove: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5">
      <div className="alert-body">
        <p className="alert-text kp-guidance-offer">
          {t('guidance.offerAbout')} <Link to={`/tilbud/${encodeURIComponent(offer.id)}`}>{offer.title}</Link>
        </p>
        {error && (
          <>
            <p className="form-error-message">{error}</p>
            <button type="button" className="button button-secondary mt-3" id="guidance-offer-remove" onClick={onRemove}>
              {t('guidance.offerRemove')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

interface SelfAssessmentBoxProps {
  result: StoredSelfAssessment;
  included: boolean;
  onToggle: () => void;
  error?: string;
}

function SelfAssessmentBox({ result, included, onToggle, error }: SelfAssessmentBoxProps) {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-guidance-self-assessment">
      <div className="alert-body">
        <p className="alert-text" aria-live="polite">
          {included
            ? t('guidance.selfAssessmentIncluded', { title: result.title, level: levelLabel(t, result.level) })
            : t('guidance.selfAssessmentExcluded', { title: result.title })}
        </p>
        {error && <p className="form-error-message">{error}</p>}
        <button type="button" className="button button-secondary mt-3" id="guidance-self-assessment-toggle" onClick={onToggle}>
          {included ? t('guidance.selfAssessmentRemove') : t('guidance.selfAssessmentAdd')}
        </button>
      </div>
    </div>
  );
}

interface SectionProps {
  v: Values;
  update: <K extends keyof Values>(key: K, value: Values[K]) => void;
  errors: Errors;
}

interface CompanySectionProps extends SectionProps {
  cvrError: string | undefined;
  searching: boolean;
  found: CompanyLookup | null;
  onFind: () => void;
  showMunicipality: boolean;
}

function CompanySection({ v, update, errors, cvrError, searching, found, onFind, showMunicipality }: CompanySectionProps) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="guidance-company-heading" className="kp-guidance-section">
      <h2 id="guidance-company-heading">{t('guidance.company')}</h2>
      {!v.noCvr && (
        <Field id="guidance-cvr" label={t('guidance.cvr')} hint={t('guidance.cvrHint')} error={cvrError}>
          {(db) => (
            <>
              <div className="kp-guidance-cvr-row">
                <input
                  id="guidance-cvr"
                  name="cvr"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={14}
                  className="form-input input-width-s"
                  value={v.cvr}
                  onChange={(e) => update('cvr', e.target.value)}
                  onBlur={() => CVR_RE.test(normalizeCvr(v.cvr)) && onFind()}
                  aria-describedby={[db, 'guidance-cvr-result'].filter(Boolean).join(' ')}
                  aria-invalid={cvrError ? true : undefined}
                />
                <button type="button" className="button button-secondary" onClick={onFind}>
                  {t('guidance.cvrFind')}
                </button>
              </div>
              <div id="guidance-cvr-result" aria-live="polite" className="kp-guidance-cvr-result">
                {searching && <p>{t('guidance.cvrSearching')}</p>}
                {found && <CompanyFound company={found} />}
              </div>
            </>
          )}
        </Field>
      )}
      <div className={`form-group${errors.noCvr ? ' form-error' : ''}`}>
        {errors.noCvr && (
          <span className="form-error-message" id="guidance-no-cvr-error">
            {errors.noCvr}
          </span>
        )}
        <div className="form-group-checkbox">
          <input
            id="guidance-no-cvr"
            type="checkbox"
            className="form-checkbox"
            checked={v.noCvr}
            onChange={(e) => update('noCvr', e.target.checked)}
            aria-describedby={['guidance-no-cvr-hint', errors.noCvr ? 'guidance-no-cvr-error' : ''].filter(Boolean).join(' ')}
          />
          <label className="form-label" htmlFor="guidance-no-cvr">
            {t('guidance.noCvr')}
          </label>
          <span className="form-hint" id="guidance-no-cvr-hint">
            {t('guidance.noCvrHint')}
          </span>
        </div>
      </div>
      {v.noCvr && (
        <Field id="guidance-company-name" label={t('guidance.companyName')} error={errors.companyName}>
          {(db) => (
            <input
              id="guidance-company-name"
              name="organization"
              type="text"
              autoComplete="organization"
              maxLength={200}
              className="form-input"
              value={v.companyName}
              onChange={(e) => update('companyName', e.target.value)}
              aria-describedby={db}
              aria-invalid={errors.companyName ? true : undefined}
            />
          )}
        </Field>
      )}
      {showMunicipality && <MunicipalitySelect value={v.municipalityCode} onChange={(x) => update('municipalityCode', x)} error={errors.municipalityCode} />}
    </section>
  );
}

function CompanyFound({ company }: { company: CompanyLookup }) {
  const { t } = useI18n();
  return (
    <p className="kp-guidance-found">
      {company.municipality
        ? t('guidance.cvrFound', { name: company.name, municipality: municipalityTitle(t, company.municipality) })
        : t('guidance.cvrFoundNoMunicipality', { name: company.name })}
    </p>
  );
}

function MunicipalitySelect({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const { t } = useI18n();
  const list = usePublicMunicipalities();
  return (
    <Field id="guidance-municipality" label={t('guidance.municipality')} hint={t('guidance.municipalityHint')} error={error}>
      {(db) => (
        <>
          <select
            id="guidance-municipality"
            name="municipality"
            className="form-select"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            aria-describedby={db}
            aria-invalid={error ? true : undefined}
            aria-required="true"
            aria-busy={list.isPending ? true : undefined}
          >
            <option value="">{t('guidance.municipalityChoose')}</option>
            {(list.data ?? []).map((m) => (
              <option key={m.code} value={String(m.code)}>
                {m.name}
              </option>
            ))}
          </select>
          {list.isPending && <Loading />}
          <ErrorAlert error={list.error} />
        </>
      )}
    </Field>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (v: string) => void;
  type: 'text' | 'email' | 'tel';
  autoComplete: string;
  maxLength: number;
}

function TextField({ id, label, hint, error, value, onChange, type, autoComplete, maxLength }: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(db) => (
        <input
          id={id}
          name={autoComplete}
          type={type}
          autoComplete={autoComplete}
          maxLength={maxLength}
          className="form-input"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={db}
          aria-invalid={error ? true : undefined}
        />
      )}
    </Field>
  );
}

function ContactSection({ v, update, errors }: SectionProps) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="guidance-contact-heading" className="kp-guidance-section">
      <h2 id="guidance-contact-heading">{t('guidance.contact')}</h2>
      <TextField id="guidance-name" label={t('guidance.name')} error={errors['contact.name']} value={v.name} onChange={(x) => update('name', x)} type="text" autoComplete="name" maxLength={200} />
      <TextField
        id="guidance-email"
        label={t('guidance.email')}
        hint={t('guidance.emailHint')}
        error={errors['contact.email']}
        value={v.email}
        onChange={(x) => update('email', x)}
        type="email"
        autoComplete="email"
        maxLength={320}
      />
      <TextField id="guidance-phone" label={t('guidance.phone')} error={errors['contact.phone']} value={v.phone} onChange={(x) => update('phone', x)} type="tel" autoComplete="tel" maxLength={20} />
    </section>
  );
}

function NeedSection({ v, update, errors, themes }: SectionProps & { themes: string[] }) {
  const { t, n } = useI18n();
  const left = NEED_MAX - v.need.length;
  return (
    <section aria-labelledby="guidance-request-heading" className="kp-guidance-section">
      <h2 id="guidance-request-heading">{t('guidance.request')}</h2>
      <Field id="guidance-need" label={t('guidance.need')} hint={t('guidance.needHint')} error={errors.need}>
        {(db) => (
          <>
            <textarea
              id="guidance-need"
              name="need"
              className="form-input kp-guidance-need"
              rows={6}
              maxLength={NEED_MAX}
              value={v.need}
              onChange={(e) => update('need', e.target.value)}
              aria-describedby={[db, 'guidance-need-count'].filter(Boolean).join(' ')}
              aria-invalid={errors.need ? true : undefined}
            />
            <span className="form-hint character-limit" id="guidance-need-count" aria-live="polite">
              {t('guidance.charsLeft', { n: n(left) })}
            </span>
          </>
        )}
      </Field>
      <ThemesFieldset chosen={themes} onChange={(x) => update('themes', x)} error={errors.themes} />
    </section>
  );
}

function ThemesFieldset({ chosen, onChange, error }: { chosen: string[]; onChange: (themes: string[]) => void; error?: string }) {
  const { t } = useI18n();
  return (
    <Fieldset id="guidance-themes" legend={t('guidance.themes')} hint={t('guidance.themesHint')} error={error}>
      <CheckboxList idPrefix="guidance-theme" className="kp-guidance-themes" options={CATALOGUE_THEMES} label={(k) => themeLabel(t, k)} chosen={chosen} onChange={onChange} />
    </Fieldset>
  );
}

function ConsentSection({ v, update, error }: Omit<SectionProps, 'errors'> & { error?: string }) {
  const { t } = useI18n();
  return (
    <Fieldset id="guidance-consents" legend={t('guidance.consents')} hint={t('guidance.consentsHint')} error={error}>
      <ConsentCheckbox id="guidance-consent-sharing" label={t('guidance.consentSharing')} hint={t('guidance.consentSharingHint')} checked={v.sharing} onChange={(x) => update('sharing', x)} />
      <ConsentCheckbox
        id="guidance-consent-evaluation"
        label={t('guidance.consentEvaluation')}
        hint={t('guidance.consentEvaluationHint')}
        checked={v.evaluation}
        onChange={(x) => update('evaluation', x)}
      />
    </Fieldset>
  );
}

function ConsentCheckbox({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="form-group-checkbox">
      <input id={id} type="checkbox" className="form-checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      <span className="form-hint" id={`${id}-hint`}>
        {hint}
      </span>
    </div>
  );
}

/** A field people never see or reach; robots that fill in every field give themselves away. */
function Honeypot({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="kp-guidance-hp" aria-hidden="true">
      <label htmlFor="guidance-website">{t('guidance.honeypot')}</label>
      <input id="guidance-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function Receipt({ receipt, email, onNew }: { receipt: GuidanceReceipt; email: string; onNew: () => void }) {
  const { t, dt, deadline } = useI18n();
  usePageTitle(t('guidance.receiptTitle'));
  const headingRef = useAutoFocus<HTMLHeadingElement>(true);
  return (
    <div className="kp-guidance kp-guidance-receipt">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('guidance.receiptTitle')}
      </h1>
      <div className="alert alert-success my-5">
        <div className="alert-body">
          {receipt.organisation.name && <p className="alert-text">{t('guidance.receiptWho', { organisation: receipt.organisation.name })}</p>}
          <p className="alert-text kp-guidance-due">{t('guidance.receiptDue', { date: deadline(receipt.dueOn) })}</p>
        </div>
      </div>
      <dl className="kp-dl">
        <div className="kp-dl-row">
          <dt>{t('guidance.receiptReference')}</dt>
          <dd className="kp-guidance-reference">{receipt.id}</dd>
        </div>
        <div className="kp-dl-row">
          <dt>{t('guidance.receiptReceived')}</dt>
          <dd>{dt(receipt.receivedAt)}</dd>
        </div>
      </dl>
      <p className="mt-5">{t('guidance.receiptMail', { email })}</p>
      <h2>{t('guidance.receiptMeanwhile')}</h2>
      <ul>
        <li>
          <Link to="/tilbud">{t('guidance.receiptCatalogue')}</Link>
        </li>
        <li>
          <Link to="/selvtest">{t('guidance.receiptSelfAssessment')}</Link>
        </li>
      </ul>
      <button type="button" className="button button-secondary mt-5" onClick={onNew}>
        {t('guidance.receiptNew')}
      </button>
    </div>
  );
}
