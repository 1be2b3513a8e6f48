/** Referral pieces: its status and overdue marks, and the card with the receiver's answers. */
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Deadline, OverdueBadge } from '../../shared/components/Deadline.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf } from '../../shared/components/Feedback.tsx';
import { companyName, DlRow, isConflict } from '../../shared/components/ui.tsx';
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

/** A referral as a dkfds card-like block with its details and, for whoever may answer it, the answers. */
export function ReferralCard({ r, box, headingLevel = 2, hideEngagementLink = false }: { r: Referral; box: ReferralBox; headingLevel?: 2 | 3; hideEngagementLink?: boolean }) {
  const { t, dt } = useI18n();
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
          <Deadline dueOn={r.dueOn} overdue={r.overdue} />
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
      {r.abilities.answer && <ReferralActions r={r} describedBy={headingId} />}
    </article>
  );
}

type ReferralAction = { kind: 'receive' } | { kind: 'accept' } | { kind: 'decline'; reason: string } | { kind: 'complete'; feedback: string };

/** The receiver's answers: Modtag → Acceptér / Afvis (with reason) → Afslut med tilbagemelding; which one fits is the referral's status. */
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
          return referralsApi.receive(r.id, r.version);
        case 'accept':
          return referralsApi.accept(r.id, r.version);
        case 'decline':
          return referralsApi.decline(r.id, r.version, a.reason);
        case 'complete':
          return referralsApi.complete(r.id, r.version, a.feedback);
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
