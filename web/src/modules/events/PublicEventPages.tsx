import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, errorSummaryItems, Field, Fieldset, Loading, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { newIdempotencyKey } from '../guidance/api.ts';
import { publicEventsApi, signUpPath, type PublicEvent, type SignUpInput, type SignUpReceipt } from './api.ts';
import { EventWhen, kindLabel } from './components.tsx';
import './events.css';

/** People paste CVR numbers as "DK 12 34 56 78" or "12345678". */
const normalizeCvr = (s: string) => s.replace(/[\s.-]/g, '').replace(/^DK/i, '');

/** The public list of events one can sign up for: /arrangementer/kalender. */
export function PublicEventsPage() {
  const { t } = useI18n();
  usePageTitle(t('eventsPublic.title'));
  const list = useQuery({ queryKey: ['public-events'], queryFn: () => publicEventsApi.list() });
  return (
    <div className="kp-events-public">
      <h1>{t('eventsPublic.title')}</h1>
      <p className="font-lead">{t('eventsPublic.intro')}</p>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('eventsPublic.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="unstyled-list kp-events-cards">
          {list.data.items.map((e) => (
            <li key={e.id} className="kp-events-card">
              <h2 className="h3">
                <Link to={signUpPath(e.id)}>{e.title}</Link>
              </h2>
              <p className="kp-events-meta">
                {kindLabel(t, e.kind)} · <EventWhen startsAt={e.startsAt} endsAt={e.endsAt} /> · {e.place ?? (e.online ? t('events.online') : '')}
              </p>
              <p className="kp-events-meta">{t('events.organisedBy', { name: e.organiser.name })}</p>
              {e.full && <p className="kp-events-meta">{t('eventsPublic.fullNote')}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface Values {
  cvr: string;
  noCvr: boolean;
  companyName: string;
  name: string;
  email: string;
  phone: string;
  sharing: boolean;
  evaluation: boolean;
  website: string;
}
const EMPTY: Values = { cvr: '', noCvr: false, companyName: '', name: '', email: '', phone: '', sharing: false, evaluation: false, website: '' };

const FIELD_TARGETS: [string, string | null][] = [
  ['cvr', 'signup-cvr'],
  ['companyName', 'signup-company-name'],
  ['person.name', 'signup-name'],
  ['person.email', 'signup-email'],
  ['person.phone', 'signup-phone'],
  ['consents', 'signup-consent-sharing'],
];

/** The sign-up page of one public event: /arrangementer/:id/tilmelding. Works on a phone (one column). */
export function EventSignUpPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const event = useQuery({ queryKey: ['public-event', id], queryFn: () => publicEventsApi.get(id), retry: false });
  const [receipt, setReceipt] = useState<{ receipt: SignUpReceipt; email: string } | null>(null);
  usePageTitle(event.data?.title ?? t('eventsPublic.signUpTitle'));
  if (event.isPending) return <Loading />;
  if (event.isError) {
    const missing = event.error instanceof ApiError && (event.error.status === 404 || event.error.status === 400);
    return (
      <div className="kp-events-public">
        <h1>{t('eventsPublic.signUpTitle')}</h1>
        {missing ? <p>{t('eventsPublic.notFound')}</p> : <ErrorAlert error={event.error} />}
        <p>
          <Link to="/arrangementer/kalender">{t('eventsPublic.allEvents')}</Link>
        </p>
      </div>
    );
  }
  if (receipt) return <SignUpReceiptView event={event.data} receipt={receipt.receipt} email={receipt.email} />;
  return <SignUpForm event={event.data} onDone={(r, email) => setReceipt({ receipt: r, email })} />;
}

function EventFacts({ event }: { event: PublicEvent }) {
  const { t } = useI18n();
  return (
    <>
      <p className="font-lead">
        {kindLabel(t, event.kind)} · <EventWhen startsAt={event.startsAt} endsAt={event.endsAt} />
      </p>
      <dl className="kp-dl">
        <div className="kp-dl-row">
          <dt>{t('events.place')}</dt>
          <dd>{event.place ?? (event.online ? t('events.online') : t('common.none'))}</dd>
        </div>
        <div className="kp-dl-row">
          <dt>{t('events.organiser')}</dt>
          <dd>{event.organiser.name}</dd>
        </div>
      </dl>
      {event.description && <p className="kp-events-description">{event.description}</p>}
    </>
  );
}

function SignUpForm({ event, onDone }: { event: PublicEvent; onDone: (r: SignUpReceipt, email: string) => void }) {
  const { t } = useI18n();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [v, setV] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const update = <K extends keyof Values>(key: K, value: Values[K]) => setV((p) => ({ ...p, [key]: value }));

  const submit = useMutation({
    mutationFn: (input: SignUpInput) => publicEventsApi.signUp(event.id, input, idempotencyKey),
    onSuccess: (r, input) => onDone(r, input.person.email),
    onError: (e) => {
      if (e instanceof ApiError && e.problem.errors?.length) {
        const next: Record<string, string> = {};
        for (const { field, message } of e.problem.errors) {
          const key = field.startsWith('consents') ? 'consents' : field;
          next[key] ??= message;
        }
        setErrors(next);
        setSummaryKey((k) => k + 1);
      }
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (submit.isPending) return;
    const next: Record<string, string> = {};
    const cvr = normalizeCvr(v.cvr);
    if (!v.noCvr && !/^\d{8}$/.test(cvr)) next.cvr = cvr ? t('eventsPublic.cvrFormat') : t('eventsPublic.cvrRequired');
    if (!v.name.trim()) next['person.name'] = t('eventsPublic.nameRequired');
    if (!v.email.trim()) next['person.email'] = t('eventsPublic.emailRequired');
    setErrors(next);
    if (Object.keys(next).length) {
      setSummaryKey((k) => k + 1);
      return;
    }
    submit.mutate({
      ...(v.noCvr ? { noCvr: true, companyName: v.companyName.trim() || undefined } : { cvr }),
      person: { name: v.name.trim(), email: v.email.trim(), phone: v.phone.trim() || undefined },
      consents: { sharing: v.sharing, evaluation: v.evaluation },
      website: v.website || undefined,
    });
  };

  const otherError = submit.error instanceof ApiError && submit.error.problem.errors?.length ? null : submit.error;
  return (
    <div className="kp-events-public">
      <h1>{event.title}</h1>
      <EventFacts event={event} />
      {!event.signupOpen ? (
        <div className="alert alert-info my-5">
          <div className="alert-body">
            <p className="alert-text">{event.cancelled ? t('eventsPublic.cancelled') : t('eventsPublic.closed')}</p>
          </div>
        </div>
      ) : (
        <>
          <h2>{t('eventsPublic.signUpTitle')}</h2>
          {event.full && <p className="kp-events-full">{t('eventsPublic.fullNote')}</p>}
          <ErrorSummary id="signup-error-summary" heading={t('eventsPublic.errorSummary')} items={errorSummaryItems(errors, FIELD_TARGETS)} focusKey={summaryKey} />
          <ErrorAlert error={otherError} />
          <form onSubmit={onSubmit} noValidate className="kp-events-form">
            {!v.noCvr && (
              <Field id="signup-cvr" label={t('eventsPublic.cvr')} hint={t('eventsPublic.cvrHint')} error={errors.cvr}>
                {(db) => (
                  <input id="signup-cvr" className="form-input input-width-s" inputMode="numeric" autoComplete="off" maxLength={14} value={v.cvr}
                    onChange={(e) => update('cvr', e.target.value)} aria-describedby={db} aria-invalid={errors.cvr ? true : undefined} />
                )}
              </Field>
            )}
            <div className="form-group">
              <div className="form-group-checkbox">
                <input id="signup-no-cvr" type="checkbox" className="form-checkbox" checked={v.noCvr} onChange={(e) => update('noCvr', e.target.checked)} aria-describedby="signup-no-cvr-hint" />
                <label className="form-label" htmlFor="signup-no-cvr">{t('eventsPublic.noCvr')}</label>
                <span className="form-hint" id="signup-no-cvr-hint">{t('eventsPublic.noCvrHint')}</span>
              </div>
            </div>
            {v.noCvr && (
              <Field id="signup-company-name" label={t('eventsPublic.companyName')} error={errors.companyName}>
                {(db) => (
                  <input id="signup-company-name" className="form-input" autoComplete="organization" maxLength={200} value={v.companyName}
                    onChange={(e) => update('companyName', e.target.value)} aria-describedby={db} />
                )}
              </Field>
            )}
            <Field id="signup-name" label={t('eventsPublic.name')} error={errors['person.name']}>
              {(db) => (
                <input id="signup-name" className="form-input" autoComplete="name" maxLength={200} value={v.name} onChange={(e) => update('name', e.target.value)}
                  aria-describedby={db} aria-invalid={errors['person.name'] ? true : undefined} />
              )}
            </Field>
            <Field id="signup-email" label={t('eventsPublic.email')} hint={t('eventsPublic.emailHint')} error={errors['person.email']}>
              {(db) => (
                <input id="signup-email" type="email" className="form-input" autoComplete="email" maxLength={320} value={v.email} onChange={(e) => update('email', e.target.value)}
                  aria-describedby={db} aria-invalid={errors['person.email'] ? true : undefined} />
              )}
            </Field>
            <Field id="signup-phone" label={t('eventsPublic.phone')} error={errors['person.phone']}>
              {(db) => (
                <input id="signup-phone" type="tel" className="form-input" autoComplete="tel" maxLength={20} value={v.phone} onChange={(e) => update('phone', e.target.value)}
                  aria-describedby={db} aria-invalid={errors['person.phone'] ? true : undefined} />
              )}
            </Field>
            <Fieldset id="signup-consents" legend={t('guidance.consents')} hint={t('guidance.consentsHint')} error={errors.consents}>
              {(['sharing', 'evaluation'] as const).map((k) => (
                <div className="form-group-checkbox" key={k}>
                  <input id={`signup-consent-${k}`} type="checkbox" className="form-checkbox" checked={v[k]} onChange={(e) => update(k, e.target.checked)} aria-describedby={`signup-consent-${k}-hint`} />
                  <label className="form-label" htmlFor={`signup-consent-${k}`}>
                    {t(k === 'sharing' ? 'guidance.consentSharing' : 'guidance.consentEvaluation')}
                  </label>
                  <span className="form-hint" id={`signup-consent-${k}-hint`}>
                    {t(k === 'sharing' ? 'guidance.consentSharingHint' : 'guidance.consentEvaluationHint')}
                  </span>
                </div>
              ))}
            </Fieldset>
            {/* Only robots fill in the hidden field. */}
            <div className="kp-events-hp" aria-hidden="true">
              <label htmlFor="signup-website">{t('guidance.honeypot')}</label>
              <input id="signup-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={v.website} onChange={(e) => update('website', e.target.value)} />
            </div>
            <button type="submit" className="button button-primary mt-5" disabled={submit.isPending}>
              {submit.isPending ? t('eventsPublic.submitting') : t('eventsPublic.submit')}
            </button>
          </form>
        </>
      )}
    </div>
  );
}

function SignUpReceiptView({ event, receipt, email }: { event: PublicEvent; receipt: SignUpReceipt; email: string }) {
  const { t } = useI18n();
  const title = receipt.status === 'registered' ? t('eventsPublic.registeredTitle') : t('eventsPublic.waitlistedTitle');
  usePageTitle(title);
  const ref = useAutoFocus<HTMLHeadingElement>(true);
  return (
    <div className="kp-events-public">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      <div className="alert alert-success my-5">
        <div className="alert-body">
          <p className="alert-text">
            {receipt.status === 'registered' ? t('eventsPublic.registeredText', { title: event.title }) : t('eventsPublic.waitlistedText', { title: event.title })}
          </p>
        </div>
      </div>
      <p>{t('eventsPublic.mailSent', { email })}</p>
      <p>
        <Link to="/arrangementer/kalender">{t('eventsPublic.allEvents')}</Link>
      </p>
    </div>
  );
}

/** The personal cancellation link from the mail: /arrangementer/afmelding/:token. */
export function EventCancelPage() {
  const { t } = useI18n();
  const { token = '' } = useParams();
  usePageTitle(t('eventsCancel.title'));
  const registration = useQuery({ queryKey: ['event-registration', token], queryFn: () => publicEventsApi.registration(token), retry: false });
  const cancel = useMutation({ mutationFn: () => publicEventsApi.cancel(token) });
  const doneRef = useAutoFocus<HTMLHeadingElement>(cancel.isSuccess);
  if (registration.isPending) return <Loading />;
  if (registration.isError) {
    const unknown = registration.error instanceof ApiError && (registration.error.status === 404 || registration.error.status === 400);
    return (
      <div className="kp-events-public">
        <h1>{t('eventsCancel.title')}</h1>
        {unknown ? <p>{t('eventsCancel.unknown')}</p> : <ErrorAlert error={registration.error} />}
      </div>
    );
  }
  const r = registration.data;
  if (cancel.isSuccess || r.status === 'cancelled') {
    return (
      <div className="kp-events-public">
        <h1 ref={doneRef} tabIndex={-1}>
          {t('eventsCancel.doneTitle')}
        </h1>
        <div className="alert alert-success my-5">
          <div className="alert-body">
            <p className="alert-text">{t('eventsCancel.doneText', { title: r.event.title })}</p>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="kp-events-public">
      <h1>{t('eventsCancel.title')}</h1>
      <p className="font-lead">{r.event.title}</p>
      <dl className="kp-dl">
        <div className="kp-dl-row">
          <dt>{t('events.starts')}</dt>
          <dd>
            <EventWhen startsAt={r.event.startsAt} />
          </dd>
        </div>
        <div className="kp-dl-row">
          <dt>{t('events.organiser')}</dt>
          <dd>{r.event.organiser}</dd>
        </div>
        <div className="kp-dl-row">
          <dt>{t('eventsCancel.yourStatus')}</dt>
          <dd>{t(`events.participantStatus.${r.status}`)}</dd>
        </div>
      </dl>
      <ErrorAlert error={cancel.error} />
      {r.cancellable ? (
        <button type="button" className="button button-primary mt-5" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          {t('eventsCancel.confirm')}
        </button>
      ) : (
        <p>{t('eventsCancel.notCancellable')}</p>
      )}
    </div>
  );
}
