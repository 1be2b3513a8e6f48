/**
 * Closing an engagement: the outcome (required), then a confirm step that says what closing does
 * about the evaluation — an invitation to which contact, or why none — as the server decides it
 * (GET /engagements/:id/close-preview), and after closing a result that takes focus.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { DateField, ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, Loading, toDanishDate, toIsoDate, useAutoFocus } from '../../shared/components/Feedback.tsx';
import { isConflict } from '../../shared/components/ui.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { engagementsApi, type ClosedEngagement, type ClosePreview, type EngagementDetail } from './api.ts';
import { StaleAlert } from './components.tsx';

type Invitation = ClosePreview['evaluationInvitation'];
type Reason = NonNullable<Invitation['reason']>;

const reasonKeys: Record<Reason, MessageKey> = {
  noCompany: 'engagementClose.reason.noCompany',
  basic: 'engagementClose.reason.basic',
  notHub: 'engagementClose.reason.notHub',
  confidential: 'engagementClose.reason.confidential',
  alreadyInvited: 'engagementClose.reason.alreadyInvited',
  afterFirstMeeting: 'engagementClose.reason.afterFirstMeeting',
  noConsent: 'engagementClose.reason.noConsent',
  noContactEmail: 'engagementClose.reason.noContactEmail',
};

/** What closing did, for the result shown on the page: the invitation as the close answered, and the contact the preview named. */
export interface CloseResult {
  invitation: ClosedEngagement['evaluationInvitation'];
  contact: Invitation['contact'];
}

const FIELDS = [
  ['outcome', 'close-outcome'],
  ['closedOn', 'close-date'],
] as const;

export function CloseEngagement({ e, onClosed }: { e: EngagementDetail; onClosed: (result: CloseResult) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState('');
  const [closedOn, setClosedOn] = useState(() => toDanishDate(today()));
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [outcomeFocus, setOutcomeFocus] = useState(0);
  const outcomeRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (outcomeFocus) outcomeRef.current?.focus();
  }, [outcomeFocus]);

  // Asked afresh each time the confirm step opens: consents and contacts may have changed meanwhile.
  const preview = useQuery({
    queryKey: ['close-preview', e.id],
    queryFn: () => engagementsApi.closePreview(e.id),
    enabled: step === 'confirm',
    staleTime: 0,
    gcTime: 0,
  });

  const close = useMutation({
    mutationFn: () => engagementsApi.close(e.id, { version: e.version, outcome: outcome.trim(), closedOn: closedOn.trim() ? toIsoDate(closedOn) : undefined }),
    onSuccess: (closed) => {
      const { evaluationInvitation, ...engagement } = closed;
      // Show the closed engagement at once; the page's result then takes focus.
      qc.setQueryData<EngagementDetail>(['engagement', e.id], (old) => (old ? { ...old, ...engagement } : old));
      void qc.invalidateQueries({ queryKey: ['engagement', e.id] });
      if (e.company) void qc.invalidateQueries({ queryKey: ['company', e.company.cvr] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      onClosed({ invitation: evaluationInvitation, contact: preview.data?.evaluationInvitation.contact ?? null });
    },
    onError: (error) => {
      // A field the server refused (e.g. a closing date before the opening) is put right in the form.
      if (error instanceof ApiError && Object.keys(error.fieldErrors()).length > 0) {
        setStep('form');
        setSummaryFocus((n) => n + 1);
      }
    },
  });
  useUnsavedChanges(outcome.trim() !== '' && !close.isSuccess);

  const errors = step === 'form' ? { ...fieldErrorsOf(close.error), ...missing } : {};
  const onContinue = (ev: FormEvent) => {
    ev.preventDefault();
    const found: Record<string, string> = outcome.trim() ? {} : { outcome: t('engagementClose.outcomeRequired') };
    setMissing(found);
    if (Object.keys(found).length > 0) {
      setSummaryFocus((n) => n + 1);
      return;
    }
    close.reset();
    setStep('confirm');
  };
  const back = () => {
    setStep('form');
    close.reset();
    setOutcomeFocus((n) => n + 1);
  };

  if (step === 'confirm') {
    return (
      <ConfirmPanel
        e={e}
        preview={preview}
        pending={close.isPending}
        error={close.error}
        onConfirm={() => close.mutate()}
        onBack={back}
      />
    );
  }

  return (
    <form onSubmit={onContinue} noValidate className="kp-close-form">
      <p>{t('engagementClose.intro')}</p>
      <ErrorSummary id="close-errors" heading={t('engagementClose.errorSummary')} items={errorSummaryItems(errors, FIELDS)} focusKey={summaryFocus} />
      {isConflict(close.error) && <StaleAlert id={e.id} />}
      <Field id="close-outcome" label={t('engagement.outcome')} hint={t('engagementClose.outcomeHint')} error={errors.outcome}>
        {(db) => (
          <textarea
            ref={outcomeRef}
            id="close-outcome"
            className="form-input"
            rows={4}
            required
            aria-required="true"
            value={outcome}
            onChange={(ev) => setOutcome(ev.target.value)}
            aria-describedby={db}
            aria-invalid={errors.outcome ? true : undefined}
          />
        )}
      </Field>
      <DateField id="close-date" label={t('engagement.closedOnLabel')} value={closedOn} onChange={setClosedOn} error={errors.closedOn} />
      <button type="submit" className="button button-primary mt-5">
        {t('engagementClose.continue')}
      </button>
    </form>
  );
}

/** The confirm step: focus lands on its heading; it names the evaluation invitation's contact, or why none goes out. */
function ConfirmPanel({
  e,
  preview,
  pending,
  error,
  onConfirm,
  onBack,
}: {
  e: EngagementDetail;
  preview: { data?: ClosePreview | undefined; isPending: boolean; error: unknown };
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const heading = useAutoFocus<HTMLHeadingElement>(true);
  const invitation = preview.data?.evaluationInvitation;
  return (
    <div className="kp-confirm kp-close-confirm" role="group" aria-labelledby="close-confirm-heading">
      <h3 id="close-confirm-heading" tabIndex={-1} ref={heading}>
        {t('engagementClose.confirmHeading')}
      </h3>
      <p>{t('engagementClose.confirmText')}</p>
      {isConflict(error) ? <StaleAlert id={e.id} /> : <ErrorAlert error={error} />}
      <h4>{t('engagementClose.evaluation')}</h4>
      {preview.isPending && !preview.error ? (
        <Loading />
      ) : preview.error ? (
        <ErrorAlert error={preview.error} />
      ) : invitation ? (
        <p className="kp-close-evaluation">{invitationText(t, invitation)}</p>
      ) : null}
      <div className="kp-button-row mt-5">
        <button type="button" className="button button-primary" onClick={onConfirm} disabled={pending || preview.isPending}>
          {t('engagementClose.confirm')}
        </button>
        <button type="button" className="button button-secondary" onClick={onBack} disabled={pending}>
          {t('engagementClose.back')}
        </button>
      </div>
    </div>
  );
}

function invitationText(t: (key: MessageKey, params?: Record<string, string | number>) => string, invitation: Invitation): string {
  if (invitation.reason) return t('engagementClose.none', { reason: t(reasonKeys[invitation.reason]) });
  return invitation.contact ? t('engagementClose.willSend', { name: invitation.contact.name, email: invitation.contact.email }) : '';
}

/** The result after closing, focused so a keyboard or screen reader user lands on it. */
export function CloseResultAlert({ result }: { result: CloseResult }) {
  const { t } = useI18n();
  const ref = useAutoFocus<HTMLDivElement>(true);
  const { invitation, contact } = result;
  const evaluation = invitation.sent
    ? contact
      ? t('engagementClose.sent', { name: contact.name, email: contact.email })
      : t('engagementClose.sentNoName')
    : invitation.reason && invitation.reason !== 'basic'
      ? t('engagementClose.noneSent', { reason: t(reasonKeys[invitation.reason]) })
      : null;
  return (
    <div className="alert alert-success my-5 kp-close-result" role="status" tabIndex={-1} ref={ref}>
      <div className="alert-body">
        <p className="alert-text">
          {t('engagement.closedOk')}
          {evaluation && <> {evaluation}</>}
        </p>
      </div>
    </div>
  );
}
