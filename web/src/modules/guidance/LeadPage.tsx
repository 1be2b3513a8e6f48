/**
 * One request (/henvendelser/:id), the page the mail about it links to: everything the company sent
 * (need, self-assessment, consents, contact), its deadline and status, what was made from it, and
 * for whoever may handle it the actions, each offered as the lead's `abilities` say.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { Deadline, OverdueBadge } from '../../shared/components/Deadline.tsx';
import { ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, Loading, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow, isConflict } from '../../shared/components/ui.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { levelLabel } from '../offers/self-assessment/labels.ts';
import { leadQueryKey, leadsApi, type Lead } from './api.ts';
import { LeadConsents, LeadContact, leadName, LeadStatusBadge } from './components.tsx';
import './leads.css';

/** The server's bound on an outcome (leadStatusBody). */
const MAX_OUTCOME = 5_000;

export function LeadPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const session = useSession();
  const canRead = !!session.data?.abilities.sections.leads;
  const lead = useQuery({ queryKey: leadQueryKey(id), queryFn: () => leadsApi.get(id), enabled: canRead && !!id });
  const notFound = lead.error instanceof ApiError && (lead.error.status === 404 || lead.error.status === 400);
  const l = lead.data;
  const title = notFound ? t('lead.notFound') : l ? t('lead.titleFor', { name: leadName(t, l) }) : t('lead.title');
  usePageTitle(title);

  if (!session.data) return <Loading />;
  return (
    <>
      <p className="kp-back">
        <Link to="/henvendelser" className="back-link">
          {t('lead.back')}
        </Link>
      </p>
      {!canRead ? (
        <>
          <h1>{t('lead.title')}</h1>
          <div className="alert alert-info my-5">
            <div className="alert-body">
              <p className="alert-heading">
                <strong>{t('leads.noAccessTitle')}</strong>
              </p>
              <p className="alert-text">{t('leads.noAccessText')}</p>
            </div>
          </div>
        </>
      ) : notFound ? (
        <>
          <h1>{t('lead.notFound')}</h1>
          <p>{t('lead.notFoundText')}</p>
        </>
      ) : lead.isPending ? (
        <Loading />
      ) : !l ? (
        <>
          <h1>{t('lead.title')}</h1>
          <ErrorAlert error={lead.error} />
        </>
      ) : (
        <article className={`kp-lead-page${l.overdue ? ' kp-lead-overdue' : ''}`} aria-labelledby="lead-heading">
          <h1 id="lead-heading">{title}</h1>
          <p className="kp-badges">
            <LeadStatusBadge status={l.status} />
            {l.overdue && <OverdueBadge />}
          </p>
          <LeadFacts lead={l} />
          {l.abilities.handle && (
            <section aria-labelledby="lead-actions-heading" className="mt-7">
              <h2 id="lead-actions-heading">{t('lead.actions')}</h2>
              <LeadActions key={l.id} lead={l} />
            </section>
          )}
        </article>
      )}
    </>
  );
}

function LeadFacts({ lead }: { lead: Lead }) {
  const { t, dt } = useI18n();
  return (
    <dl className="kp-dl kp-lead-facts">
      <DlRow label={t('lead.company')}>
        {lead.company ? (
          <>
            <Link to={`/virksomheder/${lead.company.cvr}`}>{leadName(t, lead)}</Link> (CVR {lead.company.cvr})
          </>
        ) : (
          <>
            {lead.companyName ? `${lead.companyName} – ` : ''}
            {t('leads.noCvr')}
          </>
        )}
      </DlRow>
      <DlRow label={t('leads.municipality')}>{lead.municipality.name}</DlRow>
      <DlRow label={t('leads.receiver')}>{lead.organisation.name}</DlRow>
      <DlRow label={t('leads.receivedAt')}>{dt(lead.createdAt)}</DlRow>
      <DlRow label={t('leads.dueAt')}>
        <Deadline dueOn={lead.dueOn} overdue={lead.overdue} />
      </DlRow>
      <DlRow label={t('leads.contact')}>
        <LeadContact contact={lead.contact} />
      </DlRow>
      <DlRow label={t('leads.need')}>
        <span className="kp-pre">{lead.need}</span>
      </DlRow>
      <DlRow label={t('leads.themes')}>{lead.themes.length ? lead.themes.map((k) => themeLabel(t, k)).join(', ') : t('common.none')}</DlRow>
      <DlRow label={t('leads.selfAssessment')}>
        {lead.selfAssessment
          ? t('leads.selfAssessmentResult', {
              title: lead.selfAssessment.title,
              level: levelLabel(t, lead.selfAssessment.level),
              score: lead.selfAssessment.score,
              max: lead.selfAssessment.maxScore,
            })
          : t('common.none')}
      </DlRow>
      <DlRow label={t('leads.consents')}>
        <LeadConsents consents={lead.consents} />
      </DlRow>
      {lead.offer && (
        <DlRow label={t('leads.offer')}>
          <Link to={`/tilbud/${lead.offer.id}`}>{lead.offer.title}</Link>
        </DlRow>
      )}
      {lead.handledBy && <DlRow label={t('leads.handledBy')}>{lead.handledBy.at ? `${lead.handledBy.name}, ${dt(lead.handledBy.at)}` : lead.handledBy.name}</DlRow>}
      {lead.outcome && (
        <DlRow label={t('lead.outcome')}>
          <span className="kp-pre">{lead.outcome}</span>
        </DlRow>
      )}
      {lead.engagement && (
        <DlRow label={t('lead.engagement')}>
          <Link to={`/forloeb/${lead.engagement.id}`}>{t('lead.engagementLink')}</Link>
        </DlRow>
      )}
      {lead.prospect && (
        <DlRow label={t('lead.prospect')}>
          {lead.prospect.personName} – <Link to="/ivaerksaettere">{t('lead.prospectLink')}</Link>
        </DlRow>
      )}
    </dl>
  );
}

/** The result of the last action: it takes focus, so a keyboard or screen reader user lands on it. */
type NoticeBody = { tone: 'success' | 'warning'; text: string; prospect?: boolean } | { tone: 'error'; error: unknown };
type Notice = NoticeBody & { key: number };

function NoticeBox({ notice }: { notice: Notice }) {
  const { t } = useI18n();
  const ref = useAutoFocus<HTMLDivElement>(notice.key);
  if (notice.tone === 'error') {
    return (
      <div ref={ref} tabIndex={-1} className="kp-lead-notice">
        <ErrorAlert error={notice.error} />
      </div>
    );
  }
  return (
    <div ref={ref} tabIndex={-1} className={`alert alert-${notice.tone} my-5 kp-lead-notice`} role={notice.tone === 'warning' ? 'alert' : 'status'}>
      <div className="alert-body">
        <p className="alert-text">
          {notice.text}
          {notice.prospect && (
            <>
              {' '}
              <Link to="/ivaerksaettere">{t('lead.prospectLink')}</Link>
            </>
          )}
        </p>
      </div>
    </div>
  );
}

type Action = { kind: 'take' | 'reopen' | 'confirmConsents' | 'prospect' } | { kind: 'close'; outcome: string };

/**
 * Take, close (with an outcome, in a confirm panel), reopen, confirm the web consents, "Opret forløb"
 * and "Opret som iværksætter": each shown where the lead's abilities and status allow it.
 */
function LeadActions({ lead }: { lead: Lead }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [closing, setClosing] = useState(false);
  const [closeButtonFocus, setCloseButtonFocus] = useState(0);
  // Bumped when the server refuses the outcome: the panel's error summary takes focus again.
  const [closeErrorKey, setCloseErrorKey] = useState(0);
  const closeButton = useAutoFocus<HTMLButtonElement>(closeButtonFocus);
  const say = (n: NoticeBody) => setNotice((old) => ({ ...n, key: (old?.key ?? 0) + 1 }));

  const act = useMutation({
    mutationFn: (a: Action) => {
      switch (a.kind) {
        case 'take':
        case 'reopen':
          return leadsApi.setStatus(lead.id, { status: 'in_progress', version: lead.version });
        case 'close':
          return leadsApi.setStatus(lead.id, { status: 'closed', outcome: a.outcome, version: lead.version });
        case 'confirmConsents':
          return leadsApi.confirmConsents(lead.id);
        case 'prospect':
          return leadsApi.createProspect(lead.id);
      }
    },
    onMutate: () => setNotice(null),
    onSuccess: (changed, a) => {
      qc.setQueryData(leadQueryKey(lead.id), changed);
      setClosing(false);
      const text = {
        take: t('leads.taken'),
        reopen: t('lead.reopened'),
        close: t('leads.closed'),
        confirmConsents: t('lead.consentsConfirmed'),
        prospect: t('lead.prospectCreated', { name: changed.prospect?.personName ?? '' }),
      }[a.kind];
      say({ tone: 'success', text, prospect: a.kind === 'prospect' });
    },
    onError: (error, a) => {
      // A refused outcome stays in the panel, named in its error summary.
      if (a.kind === 'close' && Object.keys(fieldErrorsOf(error)).length > 0) {
        setCloseErrorKey((n) => n + 1);
        return;
      }
      setClosing(false);
      say(isConflict(error) ? { tone: 'warning', text: t('lead.stale') } : { tone: 'error', error });
      if (isConflict(error)) void qc.invalidateQueries({ queryKey: leadQueryKey(lead.id) });
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['leads', 'list'] });
      void qc.invalidateQueries({ queryKey: ['me', 'counts'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      void qc.invalidateQueries({ queryKey: ['prospects'] });
      void qc.invalidateQueries({ queryKey: ['company'] });
    },
  });

  const open = lead.status !== 'closed';
  return (
    <div className="kp-lead-actions">
      {notice && <NoticeBox notice={notice} />}
      {closing ? (
        <ClosePanel
          pending={act.isPending}
          serverErrors={act.variables?.kind === 'close' ? fieldErrorsOf(act.error) : {}}
          serverErrorKey={closeErrorKey}
          onClose={(outcome) => act.mutate({ kind: 'close', outcome })}
          onCancel={() => {
            act.reset();
            setClosing(false);
            // Back on the button that opened the panel.
            setCloseButtonFocus((n) => n + 1);
          }}
        />
      ) : (
        <div className="kp-button-row">
          {lead.status === 'new' && (
            <button type="button" className="button button-primary" aria-describedby="lead-heading" disabled={act.isPending} onClick={() => act.mutate({ kind: 'take' })}>
              {t('leads.take')}
            </button>
          )}
          {lead.abilities.createEngagement && (
            <Link to={`/forloeb/nyt?henvendelse=${encodeURIComponent(lead.id)}`} className="button button-primary" aria-describedby="lead-heading">
              {t('leads.createEngagement')}
            </Link>
          )}
          {lead.abilities.createProspect && (
            <button
              type="button"
              className="button button-secondary"
              aria-describedby="lead-heading lead-prospect-hint"
              disabled={act.isPending}
              onClick={() => act.mutate({ kind: 'prospect' })}
            >
              {t('lead.createProspect')}
            </button>
          )}
          {open ? (
            <button
              ref={closeButton}
              type="button"
              className="button button-secondary"
              aria-describedby="lead-heading"
              disabled={act.isPending}
              onClick={() => {
                setNotice(null);
                act.reset();
                setClosing(true);
              }}
            >
              {t('leads.close')}
            </button>
          ) : (
            <button type="button" className="button button-secondary" aria-describedby="lead-heading" disabled={act.isPending} onClick={() => act.mutate({ kind: 'reopen' })}>
              {t('lead.reopen')}
            </button>
          )}
        </div>
      )}
      {!closing && lead.abilities.createProspect && (
        <p className="form-hint kp-lead-hint" id="lead-prospect-hint">
          {t('lead.createProspectHint')}
        </p>
      )}
      {!closing && lead.consents.awaitingConfirmation && lead.abilities.confirmConsents && (
        <div className="kp-lead-confirm mt-5">
          <p className="form-hint" id="lead-confirm-hint">
            {t('leads.confirmConsentsHint')}
          </p>
          <button
            type="button"
            className="button button-secondary"
            aria-describedby="lead-heading lead-confirm-hint"
            disabled={act.isPending}
            onClick={() => act.mutate({ kind: 'confirmConsents' })}
          >
            {t('leads.confirmConsents')}
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Closing asks for confirmation and an outcome: an inline panel whose text field takes focus when it
 * opens; a missing outcome is named in an error summary that takes focus, before any round trip.
 */
function ClosePanel({
  pending,
  serverErrors,
  serverErrorKey,
  onClose,
  onCancel,
}: {
  pending: boolean;
  /** The outcome the server refused, by field. */
  serverErrors: Record<string, string>;
  serverErrorKey: number;
  onClose: (outcome: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const formId = useId();
  const textId = `${formId}-outcome`;
  const [outcome, setOutcome] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const textRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    textRef.current?.focus();
  }, []);
  useUnsavedChanges(outcome.trim() !== '' && !pending);

  const errors = { ...serverErrors, ...missing };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const value = outcome.trim();
    const found: Record<string, string> = !value ? { outcome: t('lead.outcomeRequired') } : value.length > MAX_OUTCOME ? { outcome: t('lead.outcomeTooLong') } : {};
    setMissing(found);
    if (Object.keys(found).length > 0) {
      setSummaryFocus((n) => n + 1);
      return;
    }
    onClose(value);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };

  return (
    <form onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate className="kp-confirm kp-lead-close" aria-labelledby={`${formId}-heading`}>
      <h3 id={`${formId}-heading`} className="h4">
        {t('lead.closeHeading')}
      </h3>
      <p>{t('lead.closeText')}</p>
      <ErrorSummary id={`${formId}-errors`} heading={t('lead.errorsHeading')} items={errorSummaryItems(errors, [['outcome', textId]])} focusKey={summaryFocus + serverErrorKey} />
      <Field id={textId} label={t('lead.outcome')} hint={t('lead.outcomeHint')} error={errors.outcome}>
        {(db) => (
          <textarea
            ref={textRef}
            id={textId}
            className="form-input"
            rows={4}
            required
            aria-required="true"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
            aria-describedby={db}
            aria-invalid={errors.outcome ? true : undefined}
          />
        )}
      </Field>
      <div className="kp-button-row mt-5">
        <button type="submit" className="button button-primary" disabled={pending}>
          {t('lead.closeSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
