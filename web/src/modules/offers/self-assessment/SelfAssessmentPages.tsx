import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../../../shared/api.ts';
import { useI18n, type Lang } from '../../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, Loading, useAutoFocus, usePageTitle } from '../../../shared/components/Feedback.tsx';
import { themeLabel } from '../catalogue/labels.ts';
import {
  isSelfAssessmentKey,
  selfAssessmentApi,
  SELF_ASSESSMENT_LEVELS,
  storeResultForGuidance,
  type Answers,
  type Questionnaire,
  type SelfAssessmentKey,
  type SelfAssessmentResult,
} from './api.ts';
import { levelLabel } from './labels.ts';
import './self-assessment.css';


/** The questionnaires come in the page's language; switching language fetches them again. */
function useQuestionnaires() {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['self-assessments', lang],
    queryFn: () => selfAssessmentApi.list(),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** The result is a pure function of the answers, so it is cached per language and re-asked after a language switch. */
const resultQueryKey = (key: SelfAssessmentKey, lang: Lang, answers: Answers) => ['self-assessment-result', key, lang, answers] as const;

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="kp-back">
      <Link to="/selvtest" className="back-link">
        {t('selfAssessment.back')}
      </Link>
    </p>
  );
}

export function SelfAssessmentListPage() {
  const { t, n } = useI18n();
  const list = useQuestionnaires();
  usePageTitle(t('selfAssessment.title'));

  return (
    <div className="kp-sa">
      <h1>{t('selfAssessment.title')}</h1>
      <p className="font-lead">{t('selfAssessment.intro')}</p>
      <h2>{t('selfAssessment.choose')}</h2>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data && (
        <ul className="kp-card-list kp-sa-cards">
          {list.data.items.map((q) => (
            <li key={q.key}>
              <article className="kp-card kp-sa-card">
                <h3 className="kp-card-title">
                  <Link to={`/selvtest/${encodeURIComponent(q.key)}`}>{q.title}</Link>
                </h3>
                {isSelfAssessmentKey(q.key) && <p>{t(`selfAssessment.desc.${q.key}`)}</p>}
                <p className="kp-sa-meta">{t('selfAssessment.questionCount', { n: n(q.questions.length) })}</p>
              </article>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SelfAssessmentPage() {
  const { key } = useParams();
  const list = useQuestionnaires();
  if (!isSelfAssessmentKey(key)) return <NotFoundView />;
  if (list.isPending || list.isError) return <PendingView list={list} />;
  const questionnaire = list.data.items.find((q) => q.key === key);
  if (!questionnaire) return <NotFoundView />;
  // Keyed by the test, so that going from one test to another starts afresh.
  return <SelfAssessmentRunner key={key} questionnaire={questionnaire} />;
}

function PendingView({ list }: { list: UseQueryResult<unknown> }) {
  const { t } = useI18n();
  usePageTitle(t('selfAssessment.title'));
  return (
    <div className="kp-sa">
      <BackLink />
      {list.isPending ? <Loading /> : <ErrorAlert error={list.error} />}
    </div>
  );
}

function NotFoundView() {
  const { t } = useI18n();
  usePageTitle(t('selfAssessment.notFoundTitle'));
  return (
    <div className="kp-sa">
      <h1>{t('selfAssessment.notFoundTitle')}</h1>
      <div className="alert alert-info my-5">
        <div className="alert-body">
          <p className="alert-text">{t('selfAssessment.notFoundText')}</p>
        </div>
      </div>
      <p>
        <Link to="/selvtest">{t('selfAssessment.notFoundLink')}</Link>
      </p>
    </div>
  );
}

/** The questionnaire, then its result on the same page; "Tag testen igen" goes back to an empty form. */
function SelfAssessmentRunner({ questionnaire }: { questionnaire: Questionnaire }) {
  const { t } = useI18n();
  const [submitted, setSubmitted] = useState<Answers | null>(null);
  const [retaken, setRetaken] = useState(false);
  usePageTitle(submitted ? t('selfAssessment.resultTitle', { title: questionnaire.title }) : questionnaire.title);

  if (submitted) {
    return (
      <ResultView
        questionnaire={questionnaire}
        answers={submitted}
        onRetake={() => {
          setSubmitted(null);
          setRetaken(true);
        }}
      />
    );
  }
  return <QuestionnaireForm questionnaire={questionnaire} focusHeading={retaken} onResult={setSubmitted} />;
}

type QuestionErrors = Record<string, string>;

/** The server's field errors (`answers.<id>`) per question; the server decides which answers are missing. */
function questionErrorsOf(error: unknown, questionnaire: Questionnaire): QuestionErrors {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const fields = error.fieldErrors();
  const out: QuestionErrors = {};
  for (const q of questionnaire.questions) {
    const message = fields[`answers.${q.id}`];
    if (message) out[q.id] = message;
  }
  return out;
}

function missingAnswers(questionnaire: Questionnaire, answers: Answers, message: string): QuestionErrors {
  const out: QuestionErrors = {};
  for (const q of questionnaire.questions) if (answers[q.id] === undefined) out[q.id] = message;
  return out;
}

const firstOptionId = (questionId: string) => `sa-${questionId}-0`;

interface FormProps {
  questionnaire: Questionnaire;
  focusHeading: boolean;
  onResult: (answers: Answers) => void;
}

function QuestionnaireForm({ questionnaire, focusHeading, onResult }: FormProps) {
  const { t, n, lang } = useI18n();
  const qc = useQueryClient();
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<QuestionErrors>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const headingRef = useAutoFocus<HTMLHeadingElement>(focusHeading);

  const submit = useMutation({
    mutationFn: (a: Answers) => selfAssessmentApi.assess(questionnaire.key, a),
    onSuccess: (result, a) => {
      qc.setQueryData(resultQueryKey(questionnaire.key, lang, a), result);
      onResult(a);
    },
    onError: (e) => {
      const fromServer = questionErrorsOf(e, questionnaire);
      if (Object.keys(fromServer).length === 0) return;
      setErrors(fromServer);
      setSummaryKey((k) => k + 1);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = missingAnswers(questionnaire, answers, t('selfAssessment.answerRequired'));
    setErrors(missing);
    if (Object.keys(missing).length > 0) {
      setSummaryKey((k) => k + 1);
      return;
    }
    submit.mutate(answers);
  };

  const choose = (questionId: string, value: number) => {
    setAnswers((a) => ({ ...a, [questionId]: value }));
    setErrors(({ [questionId]: _cleared, ...rest }) => rest);
  };

  const handled = Object.keys(questionErrorsOf(submit.error, questionnaire)).length > 0;
  // A line per unanswered question, linking to its first option (the summary scrolls its legend into view).
  const summaryItems = questionnaire.questions.flatMap((q, i) =>
    errors[q.id] ? [{ key: q.id, target: firstOptionId(q.id), text: t('selfAssessment.summaryItem', { n: n(i + 1), message: errors[q.id]! }) }] : [],
  );

  return (
    <div className="kp-sa">
      <BackLink />
      <h1 ref={headingRef} tabIndex={-1}>
        {questionnaire.title}
      </h1>
      <p className="font-lead">{t('selfAssessment.formIntro', { n: n(questionnaire.questions.length) })}</p>
      <p>{t('selfAssessment.anonymous')}</p>
      <ErrorSummary id="sa-error-summary" heading={t('selfAssessment.errorSummary')} items={summaryItems} focusKey={summaryKey} />
      <ErrorAlert error={handled ? null : submit.error} />
      <form onSubmit={onSubmit} noValidate className="kp-sa-form">
        {questionnaire.questions.map((q, i) => (
          <QuestionFieldset key={q.id} question={q} number={i + 1} value={answers[q.id]} error={errors[q.id]} onChoose={(v) => choose(q.id, v)} />
        ))}
        <button type="submit" className="button button-primary mt-5" disabled={submit.isPending}>
          {submit.isPending ? t('selfAssessment.submitting') : t('selfAssessment.submit')}
        </button>
      </form>
    </div>
  );
}

interface QuestionProps {
  question: Questionnaire['questions'][number];
  number: number;
  value: number | undefined;
  error: string | undefined;
  onChoose: (value: number) => void;
}

function QuestionFieldset({ question, number, value, error, onChoose }: QuestionProps) {
  const { t, n } = useI18n();
  const errorId = `sa-${question.id}-error`;
  return (
    <div className={`form-group kp-sa-question${error ? ' form-error' : ''}`}>
      <fieldset aria-describedby={error ? errorId : undefined}>
        <legend className="form-label">
          <span className="kp-sa-qnum">{t('selfAssessment.questionNumber', { n: n(number) })}</span>
          <span className="kp-sa-qtext">{question.text}</span>
        </legend>
        {error && (
          <span className="form-error-message" id={errorId}>
            <span className="sr-only">{t('selfAssessment.errorPrefix')} </span>
            {error}
          </span>
        )}
        {question.options.map((o) => {
          const id = `sa-${question.id}-${o.value}`;
          return (
            <div className="form-group-radio" key={o.value}>
              <input
                type="radio"
                className="form-radio"
                id={id}
                name={`sa-${question.id}`}
                value={o.value}
                checked={value === o.value}
                onChange={() => onChoose(o.value)}
                aria-invalid={error ? true : undefined}
              />
              <label className="form-label" htmlFor={id}>
                {o.label}
              </label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

interface ResultProps {
  questionnaire: Questionnaire;
  answers: Answers;
  onRetake: () => void;
}

function ResultView({ questionnaire, answers, onRetake }: ResultProps) {
  const { t, lang } = useI18n();
  const result = useQuery({
    queryKey: resultQueryKey(questionnaire.key, lang, answers),
    queryFn: () => selfAssessmentApi.assess(questionnaire.key, answers),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const headingRef = useAutoFocus<HTMLHeadingElement>(true);

  return (
    <div className="kp-sa kp-sa-result">
      <BackLink />
      <h1 ref={headingRef} tabIndex={-1}>
        {t('selfAssessment.resultTitle', { title: questionnaire.title })}
      </h1>
      {result.isPending && <Loading />}
      <ErrorAlert error={result.error} />
      {result.data && <ResultBody result={result.data} answers={answers} />}
      <div className="kp-button-row mt-7">
        <button type="button" className="button button-secondary" onClick={onRetake}>
          {t('selfAssessment.retake')}
        </button>
        <Link to="/selvtest">{t('selfAssessment.other')}</Link>
      </div>
    </div>
  );
}

function ResultBody({ result, answers }: { result: SelfAssessmentResult; answers: Answers }) {
  const { t } = useI18n();
  return (
    <>
      <LevelPanel result={result} />
      <p className="kp-sa-explanation">{result.explanation}</p>
      <Suggestions result={result} />
      <section className="kp-sa-guidance mt-7" aria-labelledby="sa-guidance-heading">
        <h2 id="sa-guidance-heading">{t('selfAssessment.guidanceHeading')}</h2>
        <p>{t('selfAssessment.guidanceText')}</p>
        {/* A link, so that it is navigation; the result is stored first for the guidance form to pick up. */}
        <Link to="/faa-vejledning" className="button button-primary" onClick={() => storeResultForGuidance(result, answers)}>
          {t('selfAssessment.sendWithGuidance')}
        </Link>
      </section>
    </>
  );
}

function LevelPanel({ result }: { result: SelfAssessmentResult }) {
  const { t, n } = useI18n();
  return (
    <div className="kp-sa-level">
      <p className="kp-sa-level-label">{t('selfAssessment.levelLabel')}</p>
      <p className="kp-sa-level-value">{levelLabel(t, result.level)}</p>
      <p className="kp-sa-score">{t('selfAssessment.score', { score: n(result.score), max: n(result.maxScore) })}</p>
      <ol className="kp-sa-scale" aria-label={t('selfAssessment.scale')}>
        {SELF_ASSESSMENT_LEVELS.map((level) => (
          <li key={level} className={level === result.level ? 'kp-sa-scale-current' : undefined} aria-current={level === result.level ? 'step' : undefined}>
            {levelLabel(t, level)}
            {level === result.level && <span className="sr-only"> {t('selfAssessment.yourLevel')}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Suggestions({ result }: { result: SelfAssessmentResult }) {
  const { t } = useI18n();
  return (
    <section className="mt-7" aria-labelledby="sa-suggestions-heading">
      <h2 id="sa-suggestions-heading">{t('selfAssessment.suggestions')}</h2>
      {result.suggestedOffers.length === 0 ? (
        <p>{t('selfAssessment.noSuggestions')}</p>
      ) : (
        <>
          <p>{t('selfAssessment.suggestionsIntro')}</p>
          <ul className="kp-card-list kp-sa-offers">
            {result.suggestedOffers.map((o) => (
              <li key={o.id}>
                <article className="kp-card kp-sa-offer">
                  <h3 className="kp-card-title">
                    <Link to={`/tilbud/${encodeURIComponent(o.id)}`}>{o.title}</Link>
                  </h3>
                  <p className="kp-sa-operator">{t('catalogue.by', { name: o.operator.name })}</p>
                  <p>{o.summary}</p>
                </article>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to={`/tilbud?theme=${encodeURIComponent(result.theme)}`}>{t('selfAssessment.themeLink', { theme: themeLabel(t, result.theme) })}</Link>
      </p>
    </section>
  );
}
