import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { EFFECT_ANSWERS, evaluationsApi, type EffectAnswer, type PublicEvaluation, type PublicEvaluationState } from './api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, Loading, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';

const COMMENT_MAX = 2000;
const NPS_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** The state of a link; a malformed token (400) or an unknown one (404) both mean "unknown link". */
function usePublicEvaluation(token: string) {
  return useQuery<PublicEvaluation>({
    queryKey: ['public-evaluation', token],
    queryFn: async () => {
      try {
        return await evaluationsApi.publicEvaluation(token);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return { state: 'unknown', hub: null, effectAnswers: [] };
        throw e;
      }
    },
    staleTime: 0,
  });
}

type View = Exclude<PublicEvaluationState, 'open'> | 'thanks' | 'unsubscribedNow';

const views: Record<View, { title: MessageKey; text: MessageKey; tone: 'success' | 'info' }> = {
  thanks: { title: 'evalPublic.thanksTitle', text: 'evalPublic.thanksText', tone: 'success' },
  answered: { title: 'evalPublic.answeredTitle', text: 'evalPublic.answeredText', tone: 'info' },
  expired: { title: 'evalPublic.expiredTitle', text: 'evalPublic.expiredText', tone: 'info' },
  unknown: { title: 'evalPublic.unknownTitle', text: 'evalPublic.unknownText', tone: 'info' },
  unsubscribed: { title: 'evalPublic.unsubscribedTitle', text: 'evalPublic.unsubscribedText', tone: 'info' },
  unsubscribedNow: { title: 'evalUnsub.doneTitle', text: 'evalUnsub.doneText', tone: 'success' },
};

/** A friendly end state (thank you, already answered, expired, unknown, unsubscribed): never an error page. */
function StateView({ view, hub, focus }: { view: View; hub: string; focus: boolean }) {
  const { t } = useI18n();
  const v = views[view];
  // Focus moves to the heading when this view replaces the form, so that screen readers announce it.
  const ref = useAutoFocus<HTMLHeadingElement>(focus);
  return (
    <div className={`kp-eval-public kp-eval-state kp-eval-state-${view}`}>
      <h1 ref={ref} tabIndex={-1}>{t(v.title)}</h1>
      <div className={`alert alert-${v.tone} my-5`}>
        <div className="alert-body">
          <p className="alert-text">{t(v.text, { hub })}</p>
        </div>
      </div>
      {(view === 'thanks' || view === 'answered' || view === 'unsubscribedNow') && <p>{t('evalPublic.closeNote')}</p>}
    </div>
  );
}

export function EvaluationAnswerPage() {
  const { t } = useI18n();
  const { token = '' } = useParams();
  const state = usePublicEvaluation(token);
  const [done, setDone] = useState<View | null>(null);
  const view: View | null = done ?? (state.data && state.data.state !== 'open' ? state.data.state : null);
  usePageTitle(t(view ? views[view].title : 'evalPublic.title'));

  if (state.isPending) return <Loading />;
  if (state.isError) return <ErrorAlert error={state.error} />;
  const hub = state.data.hub ?? t('evalPublic.hubFallback');
  if (view) return <StateView view={view} hub={hub} focus={!!done} />;
  return <AnswerForm token={token} hub={hub} onDone={setDone} />;
}

interface Errors {
  nps?: string;
  effect?: string;
  comment?: string;
}

function AnswerForm({ token, hub, onDone }: { token: string; hub: string; onDone: (v: View) => void }) {
  const { t, n } = useI18n();
  const qc = useQueryClient();
  const [nps, setNps] = useState<number | null>(null);
  const [effect, setEffect] = useState<EffectAnswer | ''>('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [summaryKey, setSummaryKey] = useState(0);

  const submit = useMutation({
    // Only sent once both are given (onSubmit checks).
    mutationFn: () => evaluationsApi.answerEvaluation(token, { nps: nps!, effect: effect as EffectAnswer, comment: comment.trim() || undefined }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['public-evaluation', token] });
      onDone('thanks');
    },
    onError: async (e) => {
      if (!(e instanceof ApiError)) return;
      if (e.status === 400 && e.problem.errors?.length) {
        const fe = e.fieldErrors();
        setErrors({ nps: fe.nps, effect: fe.effect, comment: fe.comment });
        setSummaryKey((k) => k + 1);
      } else if (e.status === 409) {
        onDone('answered');
      } else if (e.status === 404) {
        onDone('unknown');
      } else if (e.status === 410) {
        // Gone: expired or unsubscribed; the link's state tells which.
        const fresh = await qc.fetchQuery({ queryKey: ['public-evaluation', token], queryFn: () => evaluationsApi.publicEvaluation(token), staleTime: 0 }).catch(() => null);
        onDone(fresh?.state === 'unsubscribed' ? 'unsubscribed' : 'expired');
      }
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    if (nps === null) next.nps = t('evalPublic.npsRequired');
    if (!effect) next.effect = t('evalPublic.effectRequired');
    if (comment.length > COMMENT_MAX) next.comment = t('evalPublic.commentTooLong');
    setErrors(next);
    if (next.nps || next.effect || next.comment) {
      setSummaryKey((k) => k + 1);
      return;
    }
    submit.mutate();
  };

  const summaryItems = [
    errors.nps ? { key: 'nps', target: 'eval-nps-0', text: errors.nps } : null,
    errors.effect ? { key: 'effect', target: 'eval-effect-0', text: errors.effect } : null,
    errors.comment ? { key: 'comment', target: 'eval-comment', text: errors.comment } : null,
  ].filter((x) => x !== null);

  const left = COMMENT_MAX - comment.length;
  const otherError = submit.error instanceof ApiError && [400, 404, 409, 410].includes(submit.error.status) ? null : submit.error;

  return (
    <div className="kp-eval-public">
      <h1>{t('evalPublic.title')}</h1>
      <p className="font-lead">{t('evalPublic.intro', { hub })}</p>
      <ErrorSummary id="eval-error-summary" heading={t('evalPublic.errorSummary')} items={summaryItems} focusKey={summaryKey} />
      <ErrorAlert error={otherError} />
      <p>{t('evalPublic.requiredNote')}</p>
      <form onSubmit={onSubmit} noValidate className="kp-eval-form">
        <div className={`form-group${errors.nps ? ' form-error' : ''}`}>
          <fieldset aria-describedby={['eval-nps-hint', errors.nps ? 'eval-nps-error' : ''].filter(Boolean).join(' ')}>
            <legend className="form-label">{t('evalPublic.npsQuestion')}</legend>
            <span className="form-hint" id="eval-nps-hint">
              {t('evalPublic.npsHint')}
            </span>
            {errors.nps && (
              <span className="form-error-message" id="eval-nps-error">
                <span className="sr-only">{t('evalPublic.errorPrefix')} </span>
                {errors.nps}
              </span>
            )}
            <div className="kp-nps-scale">
              {NPS_VALUES.map((v) => (
                <div className={`form-group-radio kp-nps-option${v === 0 || v === 10 ? ' kp-nps-end' : ''}`} key={v}>
                  <input
                    type="radio"
                    className="form-radio"
                    id={`eval-nps-${v}`}
                    name="eval-nps"
                    value={v}
                    checked={nps === v}
                    onChange={() => {
                      setNps(v);
                      setErrors((e) => ({ ...e, nps: undefined }));
                    }}
                  />
                  <label className="form-label" htmlFor={`eval-nps-${v}`}>
                    {v === 0 ? t('evalPublic.npsLow') : v === 10 ? t('evalPublic.npsHigh') : n(v)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>

        <div className={`form-group${errors.effect ? ' form-error' : ''}`}>
          <fieldset aria-describedby={errors.effect ? 'eval-effect-error' : undefined}>
            <legend className="form-label">{t('evalPublic.effectQuestion')}</legend>
            {errors.effect && (
              <span className="form-error-message" id="eval-effect-error">
                <span className="sr-only">{t('evalPublic.errorPrefix')} </span>
                {errors.effect}
              </span>
            )}
            {EFFECT_ANSWERS.map((a, i) => (
              <div className="form-group-radio" key={a}>
                <input
                  type="radio"
                  className="form-radio"
                  id={`eval-effect-${i}`}
                  name="eval-effect"
                  value={a}
                  checked={effect === a}
                  onChange={() => {
                    setEffect(a);
                    setErrors((e) => ({ ...e, effect: undefined }));
                  }}
                />
                <label className="form-label" htmlFor={`eval-effect-${i}`}>
                  {t(`effectAnswer.${a}`)}
                </label>
              </div>
            ))}
          </fieldset>
        </div>

        <div className={`form-group form-limit${errors.comment ? ' form-error' : ''}`}>
          <label className="form-label" htmlFor="eval-comment">
            {t('evalPublic.comment')}
          </label>
          <span className="form-hint" id="eval-comment-hint">
            {t('evalPublic.commentHint')}
          </span>
          {errors.comment && (
            <span className="form-error-message" id="eval-comment-error">
              <span className="sr-only">{t('evalPublic.errorPrefix')} </span>
              {errors.comment}
            </span>
          )}
          <textarea
            id="eval-comment"
            name="comment"
            className="form-input kp-eval-comment"
            rows={5}
            value={comment}
            onChange={(e) => {
              setComment(e.target.value);
              if (e.target.value.length <= COMMENT_MAX) setErrors((er) => ({ ...er, comment: undefined }));
            }}
            aria-describedby={['eval-comment-hint', 'eval-comment-count', errors.comment ? 'eval-comment-error' : ''].filter(Boolean).join(' ')}
            aria-invalid={errors.comment ? true : undefined}
          />
          <span className={`form-hint character-limit${left < 0 ? ' limit-exceeded' : ''}`} id="eval-comment-count" aria-live="polite">
            {left >= 0 ? t('evalPublic.charsLeft', { n: n(left) }) : t('evalPublic.charsOver', { n: n(-left) })}
          </span>
        </div>

        <button type="submit" className="button button-primary mt-5" disabled={submit.isPending}>
          {submit.isPending ? t('evalPublic.submitting') : t('evalPublic.submit')}
        </button>
      </form>
      <p className="mt-7">
        <Link to={`/evaluering/${encodeURIComponent(token)}/afmeld`}>{t('evalPublic.unsubscribeLink')}</Link>
      </p>
    </div>
  );
}

export function EvaluationUnsubscribePage() {
  const { t } = useI18n();
  const { token = '' } = useParams();
  const qc = useQueryClient();
  const state = usePublicEvaluation(token);
  const unsubscribe = useMutation({
    mutationFn: () => evaluationsApi.unsubscribeEvaluation(token),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['public-evaluation', token] }),
  });
  const unknownNow = unsubscribe.error instanceof ApiError && (unsubscribe.error.status === 404 || unsubscribe.error.status === 400);
  const done: View | null = unsubscribe.isSuccess ? 'unsubscribedNow' : unknownNow ? 'unknown' : null;
  const stateView: View | null = state.data && (state.data.state === 'unknown' || state.data.state === 'unsubscribed') ? state.data.state : null;
  const view = done ?? stateView;
  usePageTitle(t(view ? views[view].title : 'evalUnsub.title'));

  if (done) return <StateView view={done} hub="" focus />;
  if (state.isPending) return <Loading />;
  if (state.isError) return <ErrorAlert error={state.error} />;
  const hub = state.data.hub ?? t('evalPublic.hubFallback');
  if (stateView) return <StateView view={stateView} hub={hub} focus={false} />;

  return (
    <div className="kp-eval-public">
      <h1>{t('evalUnsub.title')}</h1>
      <p className="font-lead">{t('evalUnsub.text', { hub })}</p>
      <ErrorAlert error={unsubscribe.error} />
      <div className="kp-button-row mt-5">
        <button type="button" className="button button-primary" onClick={() => unsubscribe.mutate()} disabled={unsubscribe.isPending}>
          {unsubscribe.isPending ? t('evalUnsub.submitting') : t('evalUnsub.submit')}
        </button>
        {state.data.state === 'open' && (
          <Link to={`/evaluering/${encodeURIComponent(token)}`} className="button button-secondary">
            {t('evalUnsub.back')}
          </Link>
        )}
      </div>
    </div>
  );
}
