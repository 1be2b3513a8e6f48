import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, Loading, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { surveysApi, type PublicSurvey } from './api.ts';
import { QuestionnaireFields, answersBody, firstInputId, missingRequired, type Answers } from './QuestionnaireForm.tsx';
import './surveys.css';

type Kind = 'personal' | 'public' | 'unsubscribe';
type View = 'answered' | 'closed' | 'unknown' | 'thanks' | 'unsubscribed';

const views: Record<View, { title: MessageKey; text: MessageKey; tone: 'success' | 'info' }> = {
  thanks: { title: 'surveyAnswer.thanksTitle', text: 'surveyAnswer.thanksText', tone: 'success' },
  answered: { title: 'surveyAnswer.answeredTitle', text: 'surveyAnswer.answeredText', tone: 'info' },
  closed: { title: 'surveyAnswer.closedTitle', text: 'surveyAnswer.closedText', tone: 'info' },
  unknown: { title: 'surveyAnswer.unknownTitle', text: 'surveyAnswer.unknownText', tone: 'info' },
  unsubscribed: { title: 'surveyAnswer.unsubscribedTitle', text: 'surveyAnswer.unsubscribedText', tone: 'success' },
};

function StateView({ view, focus }: { view: View; focus: boolean }) {
  const { t } = useI18n();
  const ref = useAutoFocus<HTMLHeadingElement>(focus);
  const v = views[view];
  usePageTitle(t(v.title));
  return (
    <div className="kp-survey-public">
      <h1 ref={ref} tabIndex={-1}>{t(v.title)}</h1>
      <div className={`alert alert-${v.tone} my-5`}>
        <div className="alert-body">
          <p className="alert-text">{t(v.text)}</p>
        </div>
      </div>
    </div>
  );
}

/** A browser answers a public link once: one key per survey, kept in this browser. */
function browserKey(token: string): string {
  const name = `kp-survey-${token}`;
  let key = localStorage.getItem(name);
  if (!key) {
    key = crypto.randomUUID();
    localStorage.setItem(name, key);
  }
  return key;
}

/** The respondent's page: /undersoegelser/svar/:token (personal), /undersoegelser/link/:token (public), …/afmeld. No sign-in. */
export function SurveyAnswerPage({ kind }: { kind: Kind }) {
  const { token = '' } = useParams();
  const state = useQuery<PublicSurvey>({
    queryKey: ['public-survey', kind, token],
    queryFn: async () => {
      try {
        return await (kind === 'public' ? surveysApi.byPublicLink(token) : surveysApi.byLink(token));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return { state: 'unknown', survey: null };
        throw e;
      }
    },
    staleTime: 0,
    enabled: kind !== 'unsubscribe',
  });
  const [done, setDone] = useState<View | null>(null);
  if (kind === 'unsubscribe') return done ? <StateView view={done} focus /> : <Unsubscribe token={token} onDone={setDone} />;
  if (done) return <StateView view={done} focus />;
  if (state.isPending) return <Loading />;
  if (state.isError) return <ErrorAlert error={state.error} />;
  if (state.data.state !== 'open' || !state.data.survey) return <StateView view={state.data.state === 'open' ? 'unknown' : state.data.state} focus={false} />;
  return <AnswerForm kind={kind} token={token} survey={state.data.survey} onDone={setDone} />;
}

function Unsubscribe({ token, onDone }: { token: string; onDone: (v: View) => void }) {
  const { t } = useI18n();
  usePageTitle(t('surveyAnswer.unsubscribeTitle'));
  const m = useMutation({
    mutationFn: () => surveysApi.unsubscribe(token),
    onSuccess: () => onDone('unsubscribed'),
    onError: (e) => e instanceof ApiError && (e.status === 404 || e.status === 400) && onDone('unknown'),
  });
  return (
    <div className="kp-survey-public">
      <h1>{t('surveyAnswer.unsubscribeTitle')}</h1>
      <p>{t('surveyAnswer.unsubscribeText')}</p>
      <ErrorAlert error={m.error instanceof ApiError && m.error.status === 404 ? null : m.error} />
      <button type="button" className="button button-primary" disabled={m.isPending} onClick={() => m.mutate()}>
        {t('surveyAnswer.unsubscribe')}
      </button>
    </div>
  );
}

function AnswerForm({ kind, token, survey, onDone }: { kind: Kind; token: string; survey: NonNullable<PublicSurvey['survey']>; onDone: (v: View) => void }) {
  const { t } = useI18n();
  usePageTitle(survey.title);
  const [answers, setAnswers] = useState<Answers>({});
  const [attach, setAttach] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const submit = useMutation({
    mutationFn: () => {
      const body = { answers: answersBody(answers), attachToCompany: attach };
      return kind === 'public' ? surveysApi.answerByPublicLink(token, browserKey(token), body) : surveysApi.answerByLink(token, body);
    },
    onSuccess: () => onDone('thanks'),
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      if (e.status === 400 && e.problem.errors?.length) {
        setErrors(e.fieldErrors());
        setSummaryKey((k) => k + 1);
      } else if (e.status === 409) onDone('answered');
      else if (e.status === 410) onDone('closed');
      else if (e.status === 404) onDone('unknown');
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = missingRequired(survey.questions, answers);
    const next = Object.fromEntries(missing.map((q) => [`answers.${q.id}`, t('surveyAnswer.required')]));
    setErrors(next);
    if (missing.length > 0) {
      setSummaryKey((k) => k + 1);
      return;
    }
    submit.mutate();
  };
  const items = Object.entries(errors).map(([field, text]) => {
    const qid = field.split('.')[1];
    const q = survey.questions.find((x) => x.id === qid);
    return { key: field, target: q ? firstInputId('survey', q) : null, text: q ? `${q.text}: ${text}` : text };
  });
  const otherError = submit.error instanceof ApiError && [400, 404, 409, 410].includes(submit.error.status) ? null : submit.error;
  return (
    <div className="kp-survey-public">
      <p className="kp-survey-owner">{survey.organisation}</p>
      <h1>{survey.title}</h1>
      {survey.intro && <p className="font-lead">{survey.intro}</p>}
      <ErrorSummary id="survey-error-summary" heading={t('surveyAnswer.errorSummary')} items={items} focusKey={summaryKey} />
      <ErrorAlert error={otherError} />
      <form onSubmit={onSubmit} noValidate className="kp-survey-form">
        <QuestionnaireFields prefix="survey" questions={survey.questions} answers={answers} errors={errors} onChange={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))} />
        {survey.attachToCompany && (
          <div className="form-group">
            <input className="form-checkbox" type="checkbox" id="survey-attach" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
            <label htmlFor="survey-attach">{t('surveyAnswer.attach', { organisation: survey.organisation })}</label>
          </div>
        )}
        <button type="submit" className="button button-primary" disabled={submit.isPending}>
          {t('surveyAnswer.submit')}
        </button>
      </form>
    </div>
  );
}
