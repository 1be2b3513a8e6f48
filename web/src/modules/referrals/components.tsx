/**
 * Referral pieces: its status and overdue marks, its facts, the card on an engagement, and the
 * receiver's answers (receive, accept, and — with a confirm step and an outcome — decline or complete).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Deadline, OverdueBadge } from '../../shared/components/Deadline.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, SuccessAlert, useAutoFocus } from '../../shared/components/Feedback.tsx';
import { companyName, DlRow, isConflict } from '../../shared/components/ui.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { referralsApi, type Referral, type ReferralBox, type ReferralStatus } from './api.ts';

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

export { OverdueBadge };

/** The web address of a referral's own page (the link in every mail about it). */
export const referralPath = (id: string) => `/henvisninger/${encodeURIComponent(id)}`;

/** Where the receiver opens its own engagement from the referral (the form fills in company and need). */
export const receiverEngagementPath = (id: string) => `/forloeb/nyt?henvisning=${encodeURIComponent(id)}`;

/** What a referral is about: the company's name, or that it is a prospect. */
export function referralSubject(t: (key: MessageKey) => string, r: Referral): string {
  return r.company ? companyName(r.company) : t('referral.prospect');
}

/** A referral's facts as a description list; `full` adds the timestamps and the links the card leaves out. */
export function ReferralFacts({ r, full = false, showEngagementLink = true }: { r: Referral; full?: boolean; showEngagementLink?: boolean }) {
  const { t, dt } = useI18n();
  const none = t('common.none');
  return (
    <dl className="kp-dl kp-referral-facts">
      {full && (
        <DlRow label={t('referral.company')}>
          {r.company ? (
            <>
              <Link to={`/virksomheder/${r.company.cvr}`}>{companyName(r.company)}</Link> (CVR {r.company.cvr})
            </>
          ) : (
            t('referral.prospect')
          )}
        </DlRow>
      )}
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
        <Deadline dueOn={r.dueOn} overdue={r.overdue} />
      </DlRow>
      {full && r.receivedAt && <DlRow label={t('referral.receivedAt')}>{dt(r.receivedAt)}</DlRow>}
      {full && r.answeredAt && <DlRow label={t('referral.answeredAt')}>{dt(r.answeredAt)}</DlRow>}
      {full && r.completedAt && <DlRow label={t('referral.completedAt')}>{dt(r.completedAt)}</DlRow>}
      {!r.withheld && (
        <DlRow label={t('referral.needs')}>
          <span className="kp-referral-text">{r.needs || none}</span>
        </DlRow>
      )}
      {!r.withheld && r.reason && (
        <DlRow label={t('referral.reason')}>
          <span className="kp-referral-text">{r.reason}</span>
        </DlRow>
      )}
      {!r.withheld && (
        <DlRow label={t('referral.contact')}>{r.contact ? [r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(', ') : none}</DlRow>
      )}
      {r.declineReason && (
        <DlRow label={t('referral.declineReason')}>
          <span className="kp-referral-text">{r.declineReason}</span>
        </DlRow>
      )}
      {r.feedback && (
        <DlRow label={t('referral.feedback')}>
          <span className="kp-feedback kp-referral-text">{r.feedback}</span>
        </DlRow>
      )}
      {showEngagementLink && !r.withheld && (
        <DlRow label={t('referral.senderEngagement')}>
          <Link to={`/forloeb/${r.engagementId}`}>{t('referral.engagement')}</Link>
        </DlRow>
      )}
      {r.receiverEngagementId && (
        <DlRow label={t('referral.receiverEngagement')}>
          <Link to={`/forloeb/${r.receiverEngagementId}`}>{t('referral.receiverEngagementLink')}</Link>
        </DlRow>
      )}
    </dl>
  );
}

export function WithheldAlert() {
  const { t } = useI18n();
  return (
    <div className="alert alert-warning kp-withheld">
      <div className="alert-body">
        <p className="alert-text">{t('referral.withheld')}</p>
      </div>
    </div>
  );
}

/** A referral as a card (on an engagement): its facts, a link to its own page, and, for whoever may answer it, the answers. */
export function ReferralCard({ r, box, headingLevel = 2, hideEngagementLink = false }: { r: Referral; box: ReferralBox; headingLevel?: 2 | 3; hideEngagementLink?: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className={`kp-card kp-referral${r.overdue ? ' kp-referral-overdue' : ''}`} aria-labelledby={headingId}>
      <H id={headingId} className="kp-card-title">
        <Link to={referralPath(r.id)}>{referralSubject(t, r)}</Link>
        <span className="sr-only">, </span>
        <span className="kp-card-sub"> {box === 'inbox' ? `${t('referral.from')} ${r.from.name}` : `${t('referral.to')} ${r.to.name}`}</span>
      </H>
      <p className="kp-badges">
        <ReferralStatusBadge status={r.status} />
        {r.overdue && <OverdueBadge />}
      </p>
      {r.withheld && <WithheldAlert />}
      <ReferralFacts r={r} showEngagementLink={!hideEngagementLink} />
      {r.abilities.answer && <ReferralActions r={r} describedBy={headingId} headingLevel={headingLevel === 2 ? 3 : 4} />}
    </article>
  );
}

type Closing = 'decline' | 'complete';
type Done = 'received' | 'accepted' | 'declined' | 'completed';

const MAX_TEXT = 5_000;

/**
 * The receiver's answers, each shown only where the referral's abilities allow it: Modtag, Acceptér,
 * and the closing answers Afvis (with a reason) and Afslut med tilbagemelding (with feedback). A closing
 * answer is written, then confirmed; focus follows: the text field, the confirm heading, and the result.
 * After accepting, the result offers to open the receiver's own engagement.
 */
export function ReferralActions({ r, describedBy, headingLevel = 3 }: { r: Referral; describedBy?: string; headingLevel?: 2 | 3 | 4 }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const formId = useId();
  const textId = `${formId}-text`;
  const [mode, setMode] = useState<Closing | null>(null);
  const [step, setStep] = useState<'write' | 'confirm'>('write');
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [textFocus, setTextFocus] = useState(0);
  const [openerFocus, setOpenerFocus] = useState<{ key: number; mode: Closing } | null>(null);
  const [done, setDone] = useState<{ what: Done; key: number; openEngagement: boolean } | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const openers = useRef<Partial<Record<Closing, HTMLButtonElement | null>>>({});
  const H = `h${headingLevel}` as 'h2' | 'h3' | 'h4';

  useEffect(() => {
    if (textFocus) textRef.current?.focus();
  }, [textFocus]);
  useEffect(() => {
    if (openerFocus && mode === null) openers.current[openerFocus.mode]?.focus();
  }, [openerFocus, mode]);

  const act = useMutation({
    mutationFn: (a: { kind: 'receive' | 'accept' } | { kind: Closing; text: string }) => {
      switch (a.kind) {
        case 'receive':
          return referralsApi.receive(r.id, r.version);
        case 'accept':
          return referralsApi.accept(r.id, r.version);
        case 'decline':
          return referralsApi.decline(r.id, r.version, a.text);
        case 'complete':
          return referralsApi.complete(r.id, r.version, a.text);
      }
    },
    onSuccess: (changed, a) => {
      const what: Done = { receive: 'received', accept: 'accepted', decline: 'declined', complete: 'completed' }[a.kind] as Done;
      setDone((d) => ({ what, key: (d?.key ?? 0) + 1, openEngagement: changed.abilities.openEngagement }));
      setMode(null);
      setStep('write');
      setText('');
      // Show the answered referral at once wherever it is cached; the lists reload.
      qc.setQueryData(['referrals', 'detail', r.id], changed);
    },
    onError: (error) => {
      // A text the server refused goes back to the form, named in its error summary.
      if (Object.keys(fieldErrorsOf(error)).length > 0) {
        setStep('write');
        setSummaryFocus((n) => n + 1);
      }
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['referrals'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      void qc.invalidateQueries({ queryKey: ['me', 'counts'] });
      void qc.invalidateQueries({ queryKey: ['engagement'] });
    },
  });

  const open = (m: Closing) => {
    act.reset();
    setDone(null);
    setText('');
    setMissing({});
    setStep('write');
    setMode(m);
    setTextFocus((n) => n + 1);
  };
  const cancel = () => {
    // Back to the buttons, on the one that opened the form.
    if (mode) setOpenerFocus((f) => ({ key: (f?.key ?? 0) + 1, mode }));
    setMode(null);
    setStep('write');
    setMissing({});
    act.reset();
  };

  const field = mode === 'decline' ? 'reason' : 'feedback';
  const serverErrors = fieldErrorsOf(act.error);
  const errors: Record<string, string> = step === 'write' ? { ...serverErrors, ...missing } : {};
  const textError = errors[field];

  const onContinue = (ev: FormEvent) => {
    ev.preventDefault();
    const value = text.trim();
    const found: Record<string, string> = !value
      ? { [field]: t(mode === 'decline' ? 'referral.errorDeclineReason' : 'referral.errorFeedback') }
      : value.length > MAX_TEXT
        ? { [field]: t('referral.errorTooLong') }
        : {};
    setMissing(found);
    act.reset();
    if (Object.keys(found).length > 0) {
      setSummaryFocus((n) => n + 1);
      return;
    }
    setStep('confirm');
  };
  const back = () => {
    act.reset();
    setStep('write');
    setTextFocus((n) => n + 1);
  };

  useUnsavedChanges(mode !== null && text.trim() !== '');
  const stale = isConflict(act.error);
  return (
    <div className="kp-referral-actions">
      {done && <DoneAlert r={r} done={done} />}
      {stale ? (
        <div className="alert alert-warning my-5" role="alert">
          <div className="alert-body">
            <p className="alert-text">{t('referral.stale')}</p>
          </div>
        </div>
      ) : (
        mode === null && <ErrorAlert error={act.error} />
      )}
      {mode === null && (
        <div className="kp-button-row">
          {r.abilities.receive && (
            <button type="button" className="button button-primary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => act.mutate({ kind: 'receive' })}>
              {t('referral.receive')}
            </button>
          )}
          {r.abilities.accept && (
            <button type="button" className="button button-primary" aria-describedby={describedBy} disabled={act.isPending} onClick={() => act.mutate({ kind: 'accept' })}>
              {t('referral.accept')}
            </button>
          )}
          {r.abilities.decline && (
            <button
              type="button"
              className="button button-secondary"
              aria-describedby={describedBy}
              disabled={act.isPending}
              ref={(el) => {
                openers.current.decline = el;
              }}
              onClick={() => open('decline')}
            >
              {t('referral.decline')}
            </button>
          )}
          {r.abilities.complete && (
            <button
              type="button"
              className="button button-primary"
              aria-describedby={describedBy}
              disabled={act.isPending}
              ref={(el) => {
                openers.current.complete = el;
              }}
              onClick={() => open('complete')}
            >
              {t('referral.complete')}
            </button>
          )}
        </div>
      )}
      {mode === null && !done && r.abilities.openEngagement && <OpenEngagementOffer r={r} />}
      {mode !== null && step === 'write' && (
        <form onSubmit={onContinue} noValidate className="kp-referral-answer" aria-labelledby={`${formId}-heading`}>
          <H id={`${formId}-heading`} className="h4">
            {t(mode === 'decline' ? 'referral.declineHeading' : 'referral.completeHeading')}
          </H>
          <ErrorSummary id={`${formId}-errors`} heading={t('referral.errorsHeading')} items={errorSummaryItems(errors, [[field, textId]])} focusKey={summaryFocus} />
          <Field
            id={textId}
            label={mode === 'decline' ? t('referral.declineReason') : t('referral.feedback')}
            hint={mode === 'decline' ? t('referral.declineReasonHint') : t('referral.feedbackHint')}
            error={textError}
          >
            {(d) => (
              <textarea
                ref={textRef}
                id={textId}
                className="form-input"
                rows={4}
                required
                aria-required="true"
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-describedby={d}
                aria-invalid={textError ? true : undefined}
              />
            )}
          </Field>
          <div className="kp-button-row mt-5">
            <button type="submit" className="button button-primary">
              {t('referral.continue')}
            </button>
            <button type="button" className="button button-secondary" onClick={cancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {mode !== null && step === 'confirm' && (
        <ConfirmAnswer
          mode={mode}
          from={r.from.name}
          text={text.trim()}
          pending={act.isPending}
          error={stale ? null : act.error}
          headingLevel={headingLevel}
          onConfirm={() => act.mutate({ kind: mode, text: text.trim() })}
          onBack={back}
          onCancel={cancel}
        />
      )}
    </div>
  );
}

/** The confirm step of a closing answer: focus lands on its heading; it repeats the outcome the sender will get. */
function ConfirmAnswer({
  mode,
  from,
  text,
  pending,
  error,
  headingLevel,
  onConfirm,
  onBack,
  onCancel,
}: {
  mode: Closing;
  from: string;
  text: string;
  pending: boolean;
  error: unknown;
  headingLevel: 2 | 3 | 4;
  onConfirm: () => void;
  onBack: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const heading = useAutoFocus<HTMLHeadingElement>(true);
  const H = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  return (
    <div className="kp-confirm kp-referral-confirm" role="group" aria-labelledby={headingId}>
      <H id={headingId} className="h4" tabIndex={-1} ref={heading}>
        {t(mode === 'decline' ? 'referral.confirmDeclineHeading' : 'referral.confirmCompleteHeading')}
      </H>
      <p>{t(mode === 'decline' ? 'referral.confirmDeclineText' : 'referral.confirmCompleteText', { org: from })}</p>
      <blockquote className="kp-referral-quote">{text}</blockquote>
      <ErrorAlert error={error} />
      <div className="kp-button-row mt-5">
        <button type="button" className="button button-primary" onClick={onConfirm} disabled={pending}>
          {t(mode === 'decline' ? 'referral.declineSubmit' : 'referral.completeSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onBack} disabled={pending}>
          {t('referral.edit')}
        </button>
        <button type="button" className="button button-tertiary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** The result of an answer, focused; after accepting it offers the receiver's own engagement. */
function DoneAlert({ r, done }: { r: Referral; done: { what: Done; key: number; openEngagement: boolean } }) {
  const { t } = useI18n();
  return (
    <SuccessAlert focusKey={done.key}>
      {t(`referral.${done.what}` as MessageKey)}
      {done.what === 'accepted' && done.openEngagement && (
        <>
          {' '}
          {t('referral.openEngagementOffer')}
          <span className="kp-alert-action">
            <Link className="button button-primary" to={receiverEngagementPath(r.id)}>
              {t('referral.openEngagement')}
            </Link>
          </span>
        </>
      )}
    </SuccessAlert>
  );
}

/** On an accepted referral without the receiver's own engagement yet: the offer to open it. */
function OpenEngagementOffer({ r }: { r: Referral }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-open-engagement">
      <div className="alert-body">
        <p className="alert-text">{t('referral.openEngagementOffer')}</p>
        <p className="mt-3">
          <Link className="button button-primary" to={receiverEngagementPath(r.id)}>
            {t('referral.openEngagement')}
          </Link>
        </p>
      </div>
    </div>
  );
}
