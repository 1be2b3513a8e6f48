import { lazy, Suspense, useMemo, type ComponentProps } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, InfoAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { UrlSelectFilter } from '../../shared/components/UrlSelectFilter.tsx';
import { resultsExportUrl, surveysApi, type Breakdown, type QuestionResult, type SurveyResults } from './api.ts';

const LazyBarsChart = lazy(() => import('../../shared/BarsChart.tsx'));
function BarsChart(props: Omit<ComponentProps<typeof LazyBarsChart>, 'className'>) {
  return (
    <Suspense fallback={<div className="kp-survey-chart" />}>
      <LazyBarsChart {...props} className="kp-survey-chart" />
    </Suspense>
  );
}
import './surveys.css';

/** /undersoegelser/:id/resultater: response rate, charts, breakdowns by industry and size, Excel. */
export function SurveyResultsPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const question = params.get('spoergsmaal') ?? undefined;
  const { t } = useI18n();
  const results = useQuery({ queryKey: ['survey-results', id, question], queryFn: () => surveysApi.results(id, question) });
  usePageTitle(results.data ? `${t('surveyResults.title')}: ${results.data.survey.title}` : t('surveyResults.title'));
  if (results.isPending) return <Loading />;
  if (results.error) return <ErrorAlert error={results.error} />;
  return <ResultsView results={results.data} question={question} />;
}

function ResultsView({ results, question }: { results: SurveyResults; question: string | undefined }) {
  const { t, n } = useI18n();
  const figure = (v: number | null, suffix = '') => (v === null ? t('surveyResults.hidden') : `${n(v)}${suffix}`);
  const breakdownQuestion = results.breakdowns[0]?.questionId;
  const choosable = results.questions.filter((q) => q.type === 'single' || q.type === 'multiple' || q.type === 'scale');
  return (
    <>
      <p>
        <Link to="/undersoegelser">{t('surveys.back')}</Link>
      </p>
      <h1 tabIndex={-1}>
        {t('surveyResults.title')}: {results.survey.title}
      </h1>
      <p>{results.survey.organisation.name}</p>
      {results.disclosureControl && <InfoAlert>{t('surveyResults.protected')}</InfoAlert>}
      <section aria-labelledby="results-rate" className="kp-survey-section">
        <h2 id="results-rate">{t('surveyResults.rate')}</h2>
        <dl className="kp-survey-kpis">
          <div>
            <dt>{t('surveyResults.responses')}</dt>
            <dd>{figure(results.responses)}</dd>
          </div>
          <div>
            <dt>{t('surveyResults.invited')}</dt>
            <dd>{figure(results.invited)}</dd>
          </div>
          <div>
            <dt>{t('surveyResults.responseRate')}</dt>
            <dd>{figure(results.responseRate, ' %')}</dd>
          </div>
        </dl>
        <p>
          <a className="button button-secondary" href={resultsExportUrl(results.survey.id, question)} download>
            {t('surveyResults.excel')}
          </a>
        </p>
      </section>

      {results.breakdowns.length > 0 && (
        <section aria-labelledby="results-breakdowns" className="kp-survey-section">
          <h2 id="results-breakdowns">{t('surveyResults.breakdowns')}</h2>
          {choosable.length > 1 && (
            <UrlSelectFilter
              param="spoergsmaal"
              value={breakdownQuestion ?? ''}
              id="results-question"
              label={t('surveyResults.breakdownQuestion')}
              formLabel={t('surveyResults.breakdownQuestion')}
              submitLabel={t('surveyResults.show')}
              options={choosable.map((q) => ({ value: q.id, label: q.text }))}
              className="kp-survey-filter"
            />
          )}
          {results.breakdowns.map((b) => (
            <BreakdownView key={b.by} breakdown={b} question={results.questions.find((q) => q.id === b.questionId)!} />
          ))}
        </section>
      )}

      <section aria-labelledby="results-questions" className="kp-survey-section">
        <h2 id="results-questions">{t('surveyResults.questions')}</h2>
        {results.questions.map((q, i) => (
          <QuestionView key={q.id} q={q} index={i} />
        ))}
      </section>
    </>
  );
}

function QuestionView({ q, index }: { q: QuestionResult; index: number }) {
  const { t, n } = useI18n();
  const rows = new Map((q.rows ?? []).map((r) => [r.id, r.label]));
  const label = (c: QuestionResult['categories'][number]) => (c.row ? `${rows.get(c.row)}: ${c.label}` : c.label);
  const categories = useMemo(() => q.categories.map(label), [q]); // eslint-disable-line react-hooks/exhaustive-deps
  const series = useMemo(() => [{ name: t('surveyResults.percent'), values: q.categories.map((c) => c.percent) }], [q, t]);
  const headingId = `results-q-${q.id}`;
  return (
    <article className="kp-survey-result" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {index + 1}. {q.text}
      </h3>
      <p>{t('surveyResults.answered', { n: q.answered === null ? t('surveyResults.hidden') : n(q.answered) })}</p>
      {q.type === 'text' ? (
        q.texts ? (
          q.texts.length ? (
            <ul className="kp-survey-texts">
              {q.texts.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          ) : (
            <p>{t('surveyResults.noTexts')}</p>
          )
        ) : (
          <p>{t('surveyResults.textsOwnerOnly')}</p>
        )
      ) : (
        <div className="kp-survey-result-body">
          <BarsChart label={t('surveyResults.chartLabel', { question: q.text })} categories={categories} series={series} />
          <ScrollRegion>
            <table className="table table--compact">
              <caption className="sr-only">{q.text}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('surveyResults.answer')}</th>
                  <th scope="col" className="text-align-right">{t('surveyResults.count')}</th>
                  <th scope="col" className="text-align-right">{t('surveyResults.percent')}</th>
                </tr>
              </thead>
              <tbody>
                {q.categories.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{label(c)}</th>
                    <td className="text-align-right">{c.count === null ? t('surveyResults.hidden') : n(c.count)}</td>
                    <td className="text-align-right">{c.percent === null ? '–' : `${n(c.percent)} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {q.mean !== undefined && q.mean !== null && <p>{t('surveyResults.mean', { n: n(q.mean) })}</p>}
        </div>
      )}
    </article>
  );
}

function BreakdownView({ breakdown: b, question }: { breakdown: Breakdown; question: QuestionResult }) {
  const { t, n } = useI18n();
  const title = t(b.by === 'industry' ? 'surveyResults.byIndustry' : 'surveyResults.bySize', { question: question.text });
  const categories = useMemo(() => b.groups.map((g) => g.label), [b]);
  const series = useMemo(() => b.categories.map((c, i) => ({ name: c.label, values: b.groups.map((g) => g.cells[i]!.percent) })), [b]);
  const headingId = `results-by-${b.by}`;
  return (
    <article className="kp-survey-result" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <BarsChart label={title} categories={categories} series={series} stacked={question.type !== 'multiple'} />
      <ScrollRegion>
        <table className="table table--compact kp-survey-breakdown">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t(b.by === 'industry' ? 'surveyResults.industry' : 'surveyResults.size')}</th>
              <th scope="col" className="text-align-right">{t('surveyResults.answeredCol')}</th>
              {b.categories.map((c) => (
                <th key={c.key} scope="col" className="text-align-right">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.groups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.label}</th>
                <td className="text-align-right">{g.answered === null ? t('surveyResults.hidden') : n(g.answered)}</td>
                {g.cells.map((c) => (
                  <td key={c.key} className="text-align-right">
                    {c.count === null ? t('surveyResults.hidden') : `${n(c.percent ?? 0)} % (${n(c.count)})`}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </article>
  );
}
