import { useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { usePublicMunicipalities } from '../organisations/hooks.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { CheckboxList, DateField, ErrorAlert, ErrorSummary, errorSummaryItems, Field, Fieldset, Loading, toDanishDate, toIsoDate, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { isConflict } from '../../shared/components/ui.tsx';
import { CATALOGUE_FORMATS, CATALOGUE_PHASES, CATALOGUE_TARGET_GROUPS, CATALOGUE_THEMES, isOneOf } from './catalogue/options.ts';
import { formatLabel, phaseLabel, priceLabel, targetGroupLabel, themeLabel } from './catalogue/labels.ts';
import { OFFERS_KEY, offersApi, type Offer, type OfferInput, type OfferStatus } from './api.ts';
import { CatalogueLink, NoAccess, ReadOnly, StatusTag, useOffers, type T } from './shared.tsx';
import './offers.css';

/* ------------------------------------------------------------------ the form: /vores-tilbud/ny and /vores-tilbud/:id */

interface Values {
  title: string;
  summary: string;
  description: string;
  themes: string[];
  targetGroups: string[];
  phases: string[];
  format: string;
  price: 'free' | 'paid';
  funding: string;
  /** Dates as typed (dd.mm.åååå). */
  periodStart: string;
  periodEnd: string;
  municipalityCodes: number[];
  contactName: string;
  contactEmail: string;
  link: string;
}

type Errors = Record<string, string>;
type Update = <K extends keyof Values>(key: K, value: Values[K]) => void;

function toValues(o: Offer | null): Values {
  return {
    title: o?.title ?? '',
    summary: o?.summary ?? '',
    description: o?.description ?? '',
    themes: o?.themes ?? [],
    targetGroups: o?.targetGroups ?? [],
    phases: o?.phases ?? [],
    format: o?.format ?? '',
    price: o?.price ?? 'free',
    funding: o?.funding ?? '',
    periodStart: toDanishDate(o?.periodStart),
    periodEnd: toDanishDate(o?.periodEnd),
    municipalityCodes: o?.municipalityCodes ?? [],
    contactName: o?.contactName ?? '',
    contactEmail: o?.contactEmail ?? '',
    link: o?.link ?? '',
  };
}

const orNull = (s: string) => s.trim() || null;

function toInput(v: Values): OfferInput {
  return {
    title: v.title.trim(),
    summary: v.summary.trim(),
    description: v.description.trim(),
    // The boxes offer only these keys.
    themes: v.themes.filter((k) => isOneOf(CATALOGUE_THEMES, k)),
    targetGroups: v.targetGroups.filter((k) => isOneOf(CATALOGUE_TARGET_GROUPS, k)),
    phases: v.phases.filter((k) => isOneOf(CATALOGUE_PHASES, k)),
    // validate() stops an empty choice before it is sent; the server would refuse it at its field.
    format: v.format as OfferInput['format'],
    price: v.price,
    funding: orNull(v.funding),
    periodStart: v.periodStart.trim() ? toIsoDate(v.periodStart) : null,
    periodEnd: v.periodEnd.trim() ? toIsoDate(v.periodEnd) : null,
    municipalityCodes: v.municipalityCodes,
    contactName: orNull(v.contactName),
    contactEmail: orNull(v.contactEmail),
    link: orNull(v.link),
  };
}

/** Arrays are sets here: ticking a box off and on again is no change. */
const canonical = (x: unknown) => JSON.stringify(Array.isArray(x) ? [...(x as (string | number)[])].sort() : x);

/** The fields that differ from the offer as last read; null when nothing changed. */
function changesOf(base: Offer, input: OfferInput): Partial<OfferInput> | null {
  const before = toInput(toValues(base));
  const keys = (Object.keys(input) as (keyof OfferInput)[]).filter((k) => canonical(input[k]) !== canonical(before[k]));
  return keys.length ? Object.fromEntries(keys.map((k) => [k, input[k]])) : null;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}$/;

function validate(t: T, v: Values): Errors {
  const errors: Errors = {};
  if (!v.title.trim()) errors.title = t('offers.error.titleRequired');
  if (!v.summary.trim()) errors.summary = t('offers.error.summaryRequired');
  if (!v.format) errors.format = t('offers.error.formatRequired');
  const start = v.periodStart.trim() ? toIsoDate(v.periodStart) : '';
  const end = v.periodEnd.trim() ? toIsoDate(v.periodEnd) : '';
  if (start && !ISO_RE.test(start)) errors.periodStart = t('offers.error.date');
  if (end && !ISO_RE.test(end)) errors.periodEnd = t('offers.error.date');
  else if (ISO_RE.test(start) && end && end < start) errors.periodEnd = t('offers.error.periodOrder');
  if (v.link.trim() && !/^https?:\/\/\S/i.test(v.link.trim())) errors.link = t('offers.error.link');
  return errors;
}

/** `themes.3` belongs to the themes fieldset, `municipalityCodes.0` to the municipality picker. */
function serverErrors(e: ApiError): Errors {
  const out: Errors = {};
  for (const { field, message } of e.problem.errors ?? []) {
    const key = (field ?? '').split('.')[0] ?? '';
    if (!(key in out)) out[key] = message;
  }
  return out;
}

const hasFieldErrors = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 400 && !!e.problem.errors?.length;

/** The error keys in the order of the form, with the element the error summary links to. */
const FIELD_TARGETS: [keyof Values, string][] = [
  ['title', 'offer-title'],
  ['summary', 'offer-summary'],
  ['description', 'offer-description'],
  ['themes', `offer-themes-${CATALOGUE_THEMES[0]}`],
  ['targetGroups', `offer-targetGroups-${CATALOGUE_TARGET_GROUPS[0]}`],
  ['phases', `offer-phases-${CATALOGUE_PHASES[0]}`],
  ['format', 'offer-format'],
  ['price', 'offer-price-free'],
  ['funding', 'offer-funding'],
  ['periodStart', 'offer-period-start'],
  ['periodEnd', 'offer-period-end'],
  ['municipalityCodes', 'offer-municipality-filter'],
  ['contactName', 'offer-contact-name'],
  ['contactEmail', 'offer-contact-email'],
  ['link', 'offer-link'],
];

type Notice = 'created' | 'saved' | 'noChanges' | 'published' | 'archived';

interface LocationState {
  notice?: Notice;
}

export function OfferEditPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const abilities = useSession().data?.abilities;
  const isNew = id === 'ny';
  const offers = useOffers(!!abilities?.sections.offers);
  const location = useLocation();
  const navigate = useNavigate();
  const [reloads, setReloads] = useState(0);
  const offer = isNew ? null : offers.data?.items.find((o) => o.id === id);
  usePageTitle(isNew ? t('offers.newTitle') : (offer?.title ?? t('offers.editTitle')));

  if (!abilities) return <Loading />;
  if (!abilities.sections.offers) return <Shell title={t('offers.title')}><NoAccess /></Shell>;
  if (isNew && !abilities.create.offer) return <Shell title={t('offers.newTitle')}><ReadOnly /></Shell>;
  if (!isNew && offers.isPending) return <Loading />;
  if (!isNew && offers.isError) return <ErrorAlert error={offers.error} />;
  if (offer === undefined) return <NotFound />;
  if (offer && !offer.abilities.manage) return <Shell title={t('offers.editTitle')}><ReadOnly /></Shell>;

  const reload = async () => {
    await offers.refetch();
    void navigate(location.pathname, { replace: true, state: null });
    setReloads((r) => r + 1);
  };
  const notice = (location.state as LocationState | null)?.notice;
  return <OfferEditor key={`${id}:${reloads}`} offer={offer} initialNotice={notice} onReload={() => void reload()} />;
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <BackLink />
      <h1>{title}</h1>
      {children}
    </>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p>
      <Link to="/vores-tilbud" className="back-link">
        {t('offers.back')}
      </Link>
    </p>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Shell title={t('offers.notFoundTitle')}>
      <div className="alert alert-info my-5">
        <div className="alert-body">
          <p className="alert-text">{t('offers.notFoundText')}</p>
        </div>
      </div>
    </Shell>
  );
}

/** Keeps the list in the query cache in step with an offer just saved. */
function useRememberOffer() {
  const qc = useQueryClient();
  return (o: Offer) =>
    qc.setQueryData<{ items: Offer[] }>(OFFERS_KEY, (old) =>
      old ? { items: old.items.some((x) => x.id === o.id) ? old.items.map((x) => (x.id === o.id ? o : x)) : [...old.items, o] } : old,
    );
}

type Action = 'save' | 'publish' | 'archive';

interface EditorProps {
  /** null for a new offer. */
  offer: Offer | null;
  initialNotice?: Notice;
  onReload: () => void;
}

/**
 * The offer as read when the editor opened is the base of the optimistic lock: a background refetch
 * must not quietly move the version on under the user's changes, so only our own saves and an
 * explicit reload (a new editor) change it.
 */
function OfferEditor({ offer, initialNotice, onReload }: EditorProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const remember = useRememberOffer();
  const [base, setBase] = useState<Offer | null>(offer);
  const [values, setValues] = useState<Values>(() => toValues(offer));
  const [errors, setErrors] = useState<Errors>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);
  const [noticeKey, setNoticeKey] = useState(initialNotice ? 1 : 0);

  const update: Update = (key, value) => {
    setValues((p) => ({ ...p, [key]: value }));
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
  };

  const saved = (o: Offer) => {
    remember(o);
    setBase(o);
    setValues(toValues(o));
  };

  const run = useMutation({
    mutationFn: async (action: Action): Promise<{ offer: Offer; notice: Notice }> => {
      const input = toInput(values);
      if (!base) return { offer: await offersApi.create(input), notice: 'created' };
      const change = changesOf(base, input);
      let current = base;
      if (change) {
        current = await offersApi.update(base.id, { ...change, version: base.version });
        saved(current);
      }
      if (action === 'save') return { offer: current, notice: change ? 'saved' : 'noChanges' };
      const moved = action === 'publish' ? await offersApi.publish(current.id) : await offersApi.archive(current.id);
      return { offer: moved, notice: action === 'publish' ? 'published' : 'archived' };
    },
    onMutate: () => setNotice(undefined),
    onSuccess: (result) => {
      if (result.notice === 'created') {
        remember(result.offer);
        void navigate(`/vores-tilbud/${result.offer.id}`, { state: { notice: 'created' } satisfies LocationState });
        return;
      }
      saved(result.offer);
      setNotice(result.notice);
      setNoticeKey((k) => k + 1);
    },
    onError: (e) => {
      if (hasFieldErrors(e)) {
        setErrors(serverErrors(e));
        setSummaryKey((k) => k + 1);
      }
    },
  });

  const submit = (action: Action) => {
    if (run.isPending) return;
    const found = validate(t, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setSummaryKey((k) => k + 1);
      return;
    }
    run.mutate(action);
  };

  const noticeRef = useAutoFocus<HTMLDivElement>(noticeKey);
  const otherError = hasFieldErrors(run.error) || isConflict(run.error) ? null : run.error;

  return (
    <div className="kp-offer-editor">
      <BackLink />
      <h1>{base ? base.title : t('offers.newTitle')}</h1>
      {base ? <StatusLine offer={base} /> : <p className="kp-offers-intro">{t('offers.newIntro')}</p>}
      {notice && <NoticeAlert notice={notice} offer={base} noticeRef={noticeRef} />}
      {isConflict(run.error) && <StaleAlert onReload={onReload} />}
      <ErrorAlert error={otherError} />
      <ErrorSummary id="offer-error-summary" heading={t('offers.errorSummary')} items={errorSummaryItems(errors, FIELD_TARGETS)} focusKey={summaryKey} />
      <OfferForm values={values} update={update} errors={errors} onSubmit={() => submit('save')}>
        <FormButtons offer={base} pending={run.isPending} onAction={submit} />
      </OfferForm>
    </div>
  );
}

function StatusLine({ offer }: { offer: Offer }) {
  const { t, dt } = useI18n();
  const text: Record<OfferStatus, MessageKey> = { draft: 'offers.statusDraft', published: 'offers.statusPublished', archived: 'offers.statusArchived' };
  return (
    <div className="kp-offer-status-line mb-5">
      <StatusTag status={offer.status} />
      <p>{t(text[offer.status])}</p>
      {offer.status === 'published' && <CatalogueLink offer={offer} />}
      <p className="kp-updated">{t('offers.lastUpdated', { date: dt(offer.updatedAt) })}</p>
    </div>
  );
}

function NoticeAlert({ notice, offer, noticeRef }: { notice: Notice; offer: Offer | null; noticeRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useI18n();
  const kind = notice === 'noChanges' ? 'alert-info' : 'alert-success';
  return (
    <div className={`alert ${kind} my-5 kp-offer-notice`} role="status" tabIndex={-1} ref={noticeRef}>
      <div className="alert-body">
        <p className="alert-text">
          {t(`offers.${notice}`)}
          {notice === 'published' && offer && (
            <>
              {' '}
              <CatalogueLink offer={offer} />
            </>
          )}
        </p>
      </div>
    </div>
  );
}

function StaleAlert({ onReload }: { onReload: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-warning my-5 kp-stale" role="alert">
      <div className="alert-body">
        <p className="alert-text">{t('offers.stale')}</p>
        <button type="button" className="button button-secondary mt-3" onClick={onReload}>
          {t('offers.reload')}
        </button>
      </div>
    </div>
  );
}

function FormButtons({ offer, pending, onAction }: { offer: Offer | null; pending: boolean; onAction: (a: Action) => void }) {
  const { t } = useI18n();
  if (!offer) {
    return (
      <div className="kp-button-row mt-6">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('offers.saving') : t('offers.createDraft')}
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="kp-button-row mt-6">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('offers.saving') : t('offers.save')}
        </button>
      </div>
      <section className="kp-offer-actions" aria-labelledby="offer-actions-heading">
        <h2 id="offer-actions-heading" className="h3">
          {t('offers.actionsTitle')}
        </h2>
        <p className="form-hint" id="offer-actions-hint">
          {t('offers.actionsHint')}
        </p>
        <div className="kp-button-row">
          {offer.status !== 'published' && (
            <button type="button" className="button button-secondary kp-offer-publish" disabled={pending} aria-describedby="offer-actions-hint" onClick={() => onAction('publish')}>
              {t('offers.publish')}
            </button>
          )}
          {offer.status !== 'archived' && (
            <button type="button" className="button button-secondary kp-offer-archive" disabled={pending} aria-describedby="offer-actions-hint" onClick={() => onAction('archive')}>
              {t('offers.archive')}
            </button>
          )}
        </div>
      </section>
    </>
  );
}

/* ------------------------------------------------------------------ the form's fields */

interface FormProps {
  values: Values;
  update: Update;
  errors: Errors;
  onSubmit: () => void;
  children: ReactNode;
}

function OfferForm({ values, update, errors, onSubmit, children }: FormProps) {
  const { t } = useI18n();
  return (
    <form
      className="kp-offer-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <p>{t('offers.requiredNote')}</p>
      <AboutSection values={values} update={update} errors={errors} />
      <ClassificationSection values={values} update={update} errors={errors} />
      <PracticalSection values={values} update={update} errors={errors} />
      <ContactSection values={values} update={update} errors={errors} />
      {children}
    </form>
  );
}

interface SectionProps {
  values: Values;
  update: Update;
  errors: Errors;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="kp-offer-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

interface TextInputProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (v: string) => void;
  maxLength: number;
  type?: 'text' | 'email' | 'url';
  autoComplete?: string;
  required?: boolean;
  rows?: number;
}

/** A text input, or a textarea when `rows` is given. */
function TextInput({ id, label, hint, error, value, onChange, maxLength, type = 'text', autoComplete = 'off', required, rows }: TextInputProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(db) => {
        const common = {
          id,
          className: 'form-input',
          maxLength,
          value,
          'aria-describedby': db,
          'aria-invalid': error ? true : undefined,
          'aria-required': required ? true : undefined,
        };
        return rows ? (
          <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type={type} autoComplete={autoComplete} onChange={(e) => onChange(e.target.value)} />
        );
      }}
    </Field>
  );
}

function AboutSection({ values: v, update, errors }: SectionProps) {
  const { t } = useI18n();
  return (
    <Section id="offer-about" title={t('offers.section.about')}>
      <TextInput id="offer-title" label={t('offers.field.title')} error={errors.title} value={v.title} onChange={(x) => update('title', x)} maxLength={200} required />
      <TextInput
        id="offer-summary"
        label={t('offers.field.summary')}
        hint={t('offers.field.summaryHint')}
        error={errors.summary}
        value={v.summary}
        onChange={(x) => update('summary', x)}
        maxLength={500}
        rows={3}
        required
      />
      <TextInput
        id="offer-description"
        label={t('offers.field.description')}
        hint={t('offers.field.descriptionHint')}
        error={errors.description}
        value={v.description}
        onChange={(x) => update('description', x)}
        maxLength={20_000}
        rows={8}
      />
    </Section>
  );
}

function ClassificationSection({ values: v, update, errors }: SectionProps) {
  const { t } = useI18n();
  return (
    <Section id="offer-classification" title={t('offers.section.classification')}>
      <Fieldset id="offer-themes" legend={t('offers.field.themes')} hint={t('offers.field.themesHint')} error={errors.themes}>
        <CheckboxList idPrefix="offer-themes" className="kp-offer-options" options={CATALOGUE_THEMES} label={(k) => themeLabel(t, k)} chosen={v.themes} onChange={(x) => update('themes', x)} />
      </Fieldset>
      <Fieldset id="offer-targetGroups" legend={t('offers.field.targetGroups')} hint={t('offers.field.targetGroupsHint')} error={errors.targetGroups}>
        <CheckboxList idPrefix="offer-targetGroups" className="kp-offer-options" options={CATALOGUE_TARGET_GROUPS} label={(k) => targetGroupLabel(t, k)} chosen={v.targetGroups} onChange={(x) => update('targetGroups', x)} />
      </Fieldset>
      <Fieldset id="offer-phases" legend={t('offers.field.phases')} hint={t('offers.field.phasesHint')} error={errors.phases}>
        <CheckboxList idPrefix="offer-phases" className="kp-offer-options" options={CATALOGUE_PHASES} label={(k) => phaseLabel(t, k)} chosen={v.phases} onChange={(x) => update('phases', x)} />
      </Fieldset>
    </Section>
  );
}

function PracticalSection({ values: v, update, errors }: SectionProps) {
  const { t } = useI18n();
  return (
    <Section id="offer-practical" title={t('offers.section.practical')}>
      <Field id="offer-format" label={t('offers.field.format')} error={errors.format}>
        {(db) => (
          <select
            id="offer-format"
            className="form-select"
            value={v.format}
            onChange={(e) => update('format', e.target.value)}
            aria-describedby={db}
            aria-invalid={errors.format ? true : undefined}
            aria-required="true"
          >
            <option value="">{t('offers.field.formatChoose')}</option>
            {CATALOGUE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {formatLabel(t, f)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <PriceRadios value={v.price} onChange={(x) => update('price', x)} error={errors.price} />
      <TextInput
        id="offer-funding"
        label={t('offers.field.funding')}
        hint={t('offers.field.fundingHint')}
        error={errors.funding}
        value={v.funding}
        onChange={(x) => update('funding', x)}
        maxLength={500}
      />
      <Fieldset id="offer-period" legend={t('offers.field.period')} hint={t('offers.field.periodHint')}>
        <DateField id="offer-period-start" label={t('offers.field.periodStart')} value={v.periodStart} onChange={(x) => update('periodStart', x)} error={errors.periodStart} />
        <DateField id="offer-period-end" label={t('offers.field.periodEnd')} value={v.periodEnd} onChange={(x) => update('periodEnd', x)} error={errors.periodEnd} />
      </Fieldset>
      <MunicipalityPicker chosen={v.municipalityCodes} onChange={(x) => update('municipalityCodes', x)} error={errors.municipalityCodes} />
    </Section>
  );
}

function PriceRadios({ value, onChange, error }: { value: 'free' | 'paid'; onChange: (v: 'free' | 'paid') => void; error?: string }) {
  const { t } = useI18n();
  return (
    <Fieldset id="offer-price" legend={t('offers.field.price')} error={error}>
      {(['free', 'paid'] as const).map((p) => (
        <div className="form-group-radio" key={p}>
          <input type="radio" className="form-radio" id={`offer-price-${p}`} name="offer-price" value={p} checked={value === p} onChange={() => onChange(p)} />
          <label className="form-label" htmlFor={`offer-price-${p}`}>
            {priceLabel(t, p)}
          </label>
        </div>
      ))}
    </Fieldset>
  );
}


interface PickerProps {
  chosen: number[];
  onChange: (codes: number[]) => void;
  error?: string;
}

/**
 * 98 municipalities as checkboxes in a fieldset, with a filter field to shorten the list; what is
 * chosen is summed up above the list, also for municipalities the filter hides.
 */
function MunicipalityPicker({ chosen, onChange, error }: PickerProps) {
  const { t, n } = useI18n();
  const list = usePublicMunicipalities();
  const [query, setQuery] = useState('');
  const all = list.data ?? [];
  const q = query.trim().toLocaleLowerCase('da');
  const shown = q ? all.filter((m) => m.name.toLocaleLowerCase('da').includes(q)) : all;
  const names = all.filter((m) => chosen.includes(m.code)).map((m) => m.name);
  const toggle = (code: number, on: boolean) => onChange(on ? [...chosen.filter((c) => c !== code), code].sort((a, b) => a - b) : chosen.filter((c) => c !== code));

  // Enter in the filter field would otherwise submit the whole form.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') e.preventDefault();
  };

  return (
    <Fieldset id="offer-municipalities" legend={t('offers.field.municipalities')} hint={t('offers.field.municipalitiesHint')} error={error} describedBy="offer-municipalities-chosen">
      <p className="kp-offer-chosen" id="offer-municipalities-chosen">
        {chosen.length === 0 ? t('offers.field.municipalitiesNone') : t('offers.field.municipalitiesChosen', { n: n(chosen.length), names: names.join(', ') })}
      </p>
      {chosen.length > 0 && (
        <button type="button" className="button button-tertiary kp-offer-clear" onClick={() => onChange([])}>
          {t('offers.field.municipalitiesClear')}
        </button>
      )}
      <Field id="offer-municipality-filter" label={t('offers.field.municipalityFilter')} hint={t('offers.field.municipalityFilterHint')}>
        {(db) => (
          <input
            id="offer-municipality-filter"
            type="search"
            className="form-input input-width-m"
            autoComplete="off"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby={db}
            aria-controls="offer-municipality-list"
          />
        )}
      </Field>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {/* Always rendered, so that screen readers announce when the filter leaves nothing. */}
      <p aria-live="polite" className="kp-offer-no-match">
        {q && list.data && shown.length === 0 ? t('offers.field.municipalitiesNoMatch', { q: query.trim() }) : ''}
      </p>
      <div id="offer-municipality-list" className="kp-offer-municipality-list" hidden={shown.length === 0}>
        {shown.map((m) => (
          <div className="form-group-checkbox" key={m.code}>
            <input type="checkbox" className="form-checkbox" id={`offer-municipality-${m.code}`} checked={chosen.includes(m.code)} onChange={(e) => toggle(m.code, e.target.checked)} />
            <label className="form-label" htmlFor={`offer-municipality-${m.code}`}>
              {m.name}
            </label>
          </div>
        ))}
      </div>
    </Fieldset>
  );
}

function ContactSection({ values: v, update, errors }: SectionProps) {
  const { t } = useI18n();
  return (
    <Section id="offer-contact" title={t('offers.section.contact')}>
      <TextInput id="offer-contact-name" label={t('offers.field.contactName')} error={errors.contactName} value={v.contactName} onChange={(x) => update('contactName', x)} maxLength={200} />
      <TextInput
        id="offer-contact-email"
        label={t('offers.field.contactEmail')}
        error={errors.contactEmail}
        value={v.contactEmail}
        onChange={(x) => update('contactEmail', x)}
        maxLength={320}
        type="email"
      />
      <TextInput
        id="offer-link"
        label={t('offers.field.link')}
        hint={t('offers.field.linkHint')}
        error={errors.link}
        value={v.link}
        onChange={(x) => update('link', x)}
        maxLength={2_000}
        type="url"
      />
    </Section>
  );
}
