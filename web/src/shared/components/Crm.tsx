import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ACTIVITY_TYPES,
  api,
  ApiError,
  type Activity,
  type ActivityInput,
  type ActivityType,
  type Contact,
  type EngagementStatus,
  type Organisation,
  type Referral,
  type ReferralStatus,
} from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { today } from '../hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, SuccessAlert, toDanishDate, toIsoDate } from './Feedback.tsx';

/** A row in a `kp-dl` description list. */
export function DlRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kp-dl-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

export function isForbiddenOrHidden(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

export interface TabDef {
  id: string;
  label: string;
  content: ReactNode;
}

/**
 * dkfds tabs (tab-container / tab-list / tab-button / tab-panel) with the WAI-ARIA tabs pattern:
 * arrow keys, Home and End move between tabs; only the selected tab is in the tab order.
 */
export function Tabs({ label, tabs, selected, onSelect }: { label: string; tabs: TabDef[]; selected: string; onSelect: (id: string) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const current = tabs.some((t) => t.id === selected) ? selected : (tabs[0]?.id ?? '');

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = tabs[next]!;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };

  return (
    <div className="tab-container kp-tabs">
      <div className="tab-list" role="tablist" aria-label={label}>
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            className="tab-button"
            id={`tab-${tab.id}`}
            aria-controls={`panel-${tab.id}`}
            aria-selected={tab.id === current}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            <span>{tab.label}</span>
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          className="tab-panel"
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          tabIndex={0}
          hidden={tab.id !== current}
        >
          {tab.id === current && tab.content}
        </div>
      ))}
    </div>
  );
}

/** A dkfds "details" disclosure (native <details>), used to fold away forms. */
export function Disclosure({ summary, children, className }: { summary: string; children: ReactNode; className?: string }) {
  return (
    <details className={`details${className ? ` ${className}` : ''}`}>
      <summary className="details-summary">
        <span className="details-summary-text">{summary}</span>
      </summary>
      <div className="details-text">{children}</div>
    </details>
  );
}

export function EngagementStatusBadge({ status }: { status: EngagementStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge kp-badge ${status === 'open' ? 'badge-info' : 'badge-success'}`}>
      {t(`engagementStatus.${status}` as MessageKey)}
    </span>
  );
}

const referralBadgeClass: Record<ReferralStatus, string> = {
  sent: 'badge-info',
  received: 'badge-info',
  accepted: 'badge-success',
  declined: 'badge-warning',
  completed: 'badge-success',
};

export function ReferralStatusBadge({ status }: { status: ReferralStatus }) {
  const { t } = useI18n();
  return <span className={`badge kp-badge ${referralBadgeClass[status]}`}>{t(`referralStatus.${status}` as MessageKey)}</span>;
}

export function OverdueBadge() {
  const { t } = useI18n();
  return <span className="badge badge-error kp-badge kp-overdue">{t('referral.overdue')}</span>;
}

export function ConfidentialBadge() {
  const { t } = useI18n();
  return <span className="badge badge-warning kp-badge kp-confidential">{t('engagement.confidential')}</span>;
}

/** An engagement's link in a list, marked when it is confidential (Early Warning). */
export function EngagementLink({ id, label, confidential }: { id: string; label: string; confidential: boolean }) {
  return (
    <>
      <Link to={`/forloeb/${id}`}>{label}</Link>
      {confidential && (
        <>
          {' '}
          <ConfidentialBadge />
        </>
      )}
    </>
  );
}

export const activityTypeKey = (type: ActivityType): MessageKey => `activityType.${type}`;

/** The "Registrér aktivitet" form, for an engagement or for a company. */
export function ActivityForm({
  idPrefix,
  contacts,
  submit,
  invalidate,
}: {
  idPrefix: string;
  contacts: Contact[];
  submit: (input: ActivityInput) => Promise<Activity>;
  invalidate: readonly unknown[][];
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [type, setType] = useState<ActivityType>('meeting');
  const [occurredOn, setOccurredOn] = useState(() => toDanishDate(today()));
  const [duration, setDuration] = useState('');
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const [contactId, setContactId] = useState('');

  const create = useMutation({
    mutationFn: () =>
      submit({
        type,
        occurredOn: toIsoDate(occurredOn),
        durationMinutes: duration.trim() ? Number(duration) : undefined,
        subject: subject.trim(),
        notes: notes.trim() || undefined,
        contactId: contactId || undefined,
      }),
    onSuccess: () => {
      setDuration('');
      setSubject('');
      setNotes('');
      setContactId('');
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
    },
  });
  const fe = fieldErrorsOf(create.error);
  const id = (name: string) => `${idPrefix}-${name}`;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate className="kp-activity-form">
      {create.isSuccess && <SuccessAlert>{t('activity.created')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <Field id={id('type')} label={t('activity.type')} error={fe.type}>
        {(describedBy) => (
          <select id={id('type')} className="form-select" value={type} onChange={(e) => setType(e.target.value as ActivityType)} aria-describedby={describedBy} aria-invalid={fe.type ? true : undefined}>
            {ACTIVITY_TYPES.map((a) => (
              <option key={a} value={a}>
                {t(activityTypeKey(a))}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField id={id('date')} label={t('activity.occurredOn')} value={occurredOn} onChange={setOccurredOn} error={fe.occurredOn} required />
      <Field id={id('duration')} label={`${t('activity.duration')} (${t('common.optional')})`} error={fe.durationMinutes}>
        {(describedBy) => (
          <input id={id('duration')} type="number" min={0} step={5} inputMode="numeric" className="form-input input-width-xs" value={duration} onChange={(e) => setDuration(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.durationMinutes ? true : undefined} />
        )}
      </Field>
      <Field id={id('subject')} label={t('activity.subject')} error={fe.subject}>
        {(describedBy) => (
          <input id={id('subject')} className="form-input" required aria-required="true" autoComplete="off" value={subject} onChange={(e) => setSubject(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.subject ? true : undefined} />
        )}
      </Field>
      <Field id={id('notes')} label={`${t('activity.notes')} (${t('common.optional')})`} error={fe.notes}>
        {(describedBy) => (
          <textarea id={id('notes')} className="form-input" rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.notes ? true : undefined} />
        )}
      </Field>
      <Field id={id('contact')} label={`${t('activity.contact')} (${t('common.optional')})`} error={fe.contactId}>
        {(describedBy) => (
          <select id={id('contact')} className="form-select" value={contactId} onChange={(e) => setContactId(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.contactId ? true : undefined}>
            <option value="">{t('activity.noContact')}</option>
            {contacts
              .filter((c) => !c.erased)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title ? `${c.name} (${c.title})` : c.name}
                </option>
              ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
        {t('activity.submit')}
      </button>
    </form>
  );
}

/** A company's name, or its CVR number while the register data has not arrived. */
export function companyName(c: { cvr: string; name: string | null }): string {
  return c.name || `CVR ${c.cvr}`;
}

/** A referral as a dkfds card-like block with its details and, in the inbox, its actions. */
export function ReferralCard({ r, box, headingLevel = 2, hideEngagementLink = false }: { r: Referral; box: 'inbox' | 'outbox'; headingLevel?: 2 | 3; hideEngagementLink?: boolean }) {
  const { t, d, dt } = useI18n();
  const headingId = useId();
  const none = t('common.none');
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className={`kp-card kp-referral${r.overdue ? ' kp-referral-overdue' : ''}`} aria-labelledby={headingId}>
      <H id={headingId} className="kp-card-title">
        {r.company ? <Link to={`/virksomheder/${r.company.cvr}`}>{companyName(r.company)}</Link> : t('referral.prospect')}
        <span className="sr-only">, </span>
        <span className="kp-card-sub"> {box === 'inbox' ? `${t('referral.from')} ${r.from.name}` : `${t('referral.to')} ${r.to.name}`}</span>
      </H>
      <p className="kp-badges">
        <ReferralStatusBadge status={r.status} />
        {r.overdue && <OverdueBadge />}
      </p>
      {r.withheld && (
        <div className="alert alert-warning kp-withheld">
          <div className="alert-body">
            <p className="alert-text">{t('referral.withheld')}</p>
          </div>
        </div>
      )}
      <dl className="kp-dl">
        <DlRow label={t('referral.from')}>{r.from.name}</DlRow>
        <DlRow label={t('referral.to')}>{r.to.name}</DlRow>
        {r.offer && (
          <DlRow label={t('referral.offer')}>
            <Link to={`/tilbud/${r.offer.id}`}>{r.offer.name}</Link>
          </DlRow>
        )}
        <DlRow label={t('referral.sentAt')}>
          {dt(r.sentAt)}, {r.sentBy.name}
        </DlRow>
        <DlRow label={t('referral.due')}>
          {d(r.dueAt)} {r.overdue && <OverdueBadge />}
        </DlRow>
        {!r.withheld && <DlRow label={t('referral.reason')}>{r.reason || none}</DlRow>}
        {!r.withheld && <DlRow label={t('referral.needs')}>{r.needs || none}</DlRow>}
        {!r.withheld && (
          <DlRow label={t('referral.contact')}>
            {r.contact ? [r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(', ') : none}
          </DlRow>
        )}
        {r.declineReason && <DlRow label={t('referral.declineReason')}>{r.declineReason}</DlRow>}
        {r.feedback && (
          <DlRow label={t('referral.feedback')}>
            <span className="kp-feedback">{r.feedback}</span>
          </DlRow>
        )}
      </dl>
      {!hideEngagementLink && (
        <p className="mt-3">
          <Link to={`/forloeb/${r.engagementId}`}>{t('referral.engagement')}</Link>
        </p>
      )}
      {box === 'inbox' && <ReferralActions r={r} describedBy={headingId} />}
    </article>
  );
}

type ReferralAction = { kind: 'receive' } | { kind: 'accept' } | { kind: 'decline'; reason: string } | { kind: 'complete'; feedback: string };

/** Inbox actions: Modtag → Acceptér / Afvis (with reason) → Afslut med tilbagemelding. */
function ReferralActions({ r, describedBy }: { r: Referral; describedBy: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'none' | 'decline' | 'complete'>('none');
  const [text, setText] = useState('');
  const formId = useId();

  const act = useMutation({
    mutationFn: (a: ReferralAction) => {
      switch (a.kind) {
        case 'receive':
          return api.receiveReferral(r.id, r.version);
        case 'accept':
          return api.acceptReferral(r.id, r.version);
        case 'decline':
          return api.declineReferral(r.id, r.version, a.reason);
        case 'complete':
          return api.completeReferral(r.id, r.version, a.feedback);
      }
    },
    onSuccess: () => {
      setMode('none');
      setText('');
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['referrals'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      void qc.invalidateQueries({ queryKey: ['engagement'] });
    },
  });
  const fe = fieldErrorsOf(act.error);
  const textField = mode === 'decline' ? 'reason' : 'feedback';
  const textError = fe[textField] ?? fe.text;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'decline') act.mutate({ kind: 'decline', reason: text.trim() });
    else if (mode === 'complete') act.mutate({ kind: 'complete', feedback: text.trim() });
  };

  const open = (m: 'decline' | 'complete') => {
    act.reset();
    setText('');
    setMode(m);
  };

  return (
    <div className="kp-referral-actions">
      {isConflict(act.error) ? (
        <div className="alert alert-warning my-5" role="alert">
          <div className="alert-body">
            <p className="alert-text">{t('referral.stale')}</p>
          </div>
        </div>
      ) : (
        <ErrorAlert error={act.error} />
      )}
      {mode === 'none' && (
        <div className="kp-button-row">
          {r.status === 'sent' && (
            <button type="button" className="button button-primary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => act.mutate({ kind: 'receive' })}>
              {t('referral.receive')}
            </button>
          )}
          {r.status === 'received' && (
            <>
              <button type="button" className="button button-primary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => act.mutate({ kind: 'accept' })}>
                {t('referral.accept')}
              </button>
              <button type="button" className="button button-secondary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => open('decline')}>
                {t('referral.decline')}
              </button>
            </>
          )}
          {r.status === 'accepted' && (
            <button type="button" className="button button-primary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => open('complete')}>
              {t('referral.complete')}
            </button>
          )}
        </div>
      )}
      {mode !== 'none' && (
        <form onSubmit={onSubmit} noValidate className="kp-referral-form">
          <Field id={`${formId}-text`} label={mode === 'decline' ? t('referral.declineReason') : t('referral.feedback')} error={textError}>
            {(d) => (
              <textarea
                id={`${formId}-text`}
                className="form-input"
                rows={4}
                required
                aria-required="true"
                autoFocus
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-describedby={d}
                aria-invalid={textError ? true : undefined}
              />
            )}
          </Field>
          <div className="kp-button-row mt-5">
            <button type="submit" className="button button-primary" disabled={act.isPending}>
              {mode === 'decline' ? t('referral.declineSubmit') : t('referral.completeSubmit')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setMode('none')}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

const ORG_TYPE_ORDER = ['business_hub', 'local_business_service', 'national_authority', 'kkr', 'operator'];

/** <option>s for organisations, grouped by type (erhvervshuse, lokale erhvervsservicer, …). */
export function OrganisationOptions({ organisations, exclude }: { organisations: Organisation[]; exclude?: string }) {
  const { t } = useI18n();
  const types = [...new Set(organisations.map((o) => o.type))].sort((a, b) => {
    const ia = ORG_TYPE_ORDER.indexOf(a);
    const ib = ORG_TYPE_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return (
    <>
      {types.map((type) => {
        const key = `orgType.${type}`;
        return (
          <optgroup key={type} label={key in ORG_TYPE_LABEL_KEYS ? t(key as MessageKey) : type}>
            {organisations
              .filter((o) => o.type === type && o.id !== exclude)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </optgroup>
        );
      })}
    </>
  );
}

const ORG_TYPE_LABEL_KEYS: Record<string, true> = {
  'orgType.business_hub': true,
  'orgType.local_business_service': true,
  'orgType.kkr': true,
  'orgType.national_authority': true,
  'orgType.operator': true,
};
