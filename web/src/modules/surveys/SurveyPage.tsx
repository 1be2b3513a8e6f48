import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, Field, Fieldset, Loading, SuccessAlert, errorSummaryItems, fieldErrorsOf, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow, ScrollRegion, companyName } from '../../shared/components/ui.tsx';
import { SIZE_BANDS, surveysApi, type AnswerValue, type Segment, type SegmentCount, type Survey } from './api.ts';
import { StatusTag } from './SurveysPage.tsx';
import './surveys.css';

/** /undersoegelser/:id: a survey of the organisation; open, close, send to a segment and remind. */
export function SurveyPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const survey = useQuery({ queryKey: ['survey', id], queryFn: () => surveysApi.get(id) });
  usePageTitle(survey.data?.title ?? t('surveys.title'));
  if (survey.isPending) return <Loading />;
  if (survey.error) return <ErrorAlert error={survey.error} />;
  return <SurveyView survey={survey.data} />;
}

function SurveyView({ survey }: { survey: Survey }) {
  const { t, n, d } = useI18n();
  const qc = useQueryClient();
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  const done = (s: Survey, text: string) => {
    qc.setQueryData(['survey', s.id], s);
    void qc.invalidateQueries({ queryKey: ['surveys'] });
    setMessage((m) => ({ text, key: (m?.key ?? 0) + 1 }));
  };
  const status = useMutation({
    mutationFn: (to: 'open' | 'close') => (to === 'open' ? surveysApi.open(survey.id) : surveysApi.close(survey.id)),
    onSuccess: (s) => done(s, t(s.status === 'open' ? 'survey.openedNow' : 'survey.closedNow')),
  });
  const remind = useMutation({
    mutationFn: () => surveysApi.remind(survey.id),
    onSuccess: (r) => done(r.survey, t('survey.reminded', { n: r.reminded, round: r.round })),
  });
  const publicUrl = survey.publicPath ? `${window.location.origin}${survey.publicPath}` : null;
  return (
    <>
      <p>
        <Link to="/undersoegelser">{t('surveys.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{survey.title}</h1>
      {message && <SuccessAlert focusKey={message.key}>{message.text}</SuccessAlert>}
      <ErrorAlert error={status.error ?? remind.error} />
      <dl className="kp-survey-facts">
        <DlRow label={t('surveys.col.status')}>
          <StatusTag status={survey.status} />
        </DlRow>
        <DlRow label={t('survey.purpose')}>{t(`surveys.purpose.${survey.purpose}`)}</DlRow>
        <DlRow label={t('survey.questions')}>{n(survey.questions.length)}</DlRow>
        {survey.invited !== null && <DlRow label={t('survey.invited')}>{n(survey.invited)}</DlRow>}
        {survey.responses !== null && <DlRow label={t('survey.responses')}>{n(survey.responses)}</DlRow>}
        {survey.reminderRound > 0 && <DlRow label={t('survey.reminderRounds')}>{n(survey.reminderRound)}</DlRow>}
        {survey.openedAt && <DlRow label={t('survey.openedAt')}>{d(survey.openedAt)}</DlRow>}
        {survey.closedAt && <DlRow label={t('survey.closedAt')}>{d(survey.closedAt)}</DlRow>}
        <DlRow label={t('survey.attach')}>{t(survey.attachToCompany ? 'common.yes' : 'common.no')}</DlRow>
        <DlRow label={t('survey.shared')}>{t(survey.shared ? 'common.yes' : 'common.no')}</DlRow>
        {publicUrl && (
          <DlRow label={t('survey.publicLink')}>
            <a href={publicUrl}>{publicUrl}</a>
          </DlRow>
        )}
      </dl>
      <div className="kp-survey-actions">
        {survey.abilities.results && (
          <Link className="button button-primary" to={`/undersoegelser/${survey.id}/resultater`}>
            {t('survey.results')}
          </Link>
        )}
        {survey.abilities.change && survey.status === 'draft' && (
          <Link className="button button-secondary" to={`/undersoegelser/${survey.id}/rediger`}>
            {t('survey.edit')}
          </Link>
        )}
        {survey.abilities.change && survey.status === 'draft' && (
          <button type="button" className="button button-secondary" disabled={status.isPending} onClick={() => status.mutate('open')}>
            {t('survey.open')}
          </button>
        )}
        {survey.abilities.change && survey.status === 'open' && (
          <button type="button" className="button button-secondary" disabled={status.isPending} onClick={() => status.mutate('close')}>
            {t('survey.close')}
          </button>
        )}
      </div>
      {survey.abilities.answers && survey.attachToCompany && <AttachedAnswers survey={survey} />}
      {survey.abilities.send && survey.status !== 'closed' && <SendPanel survey={survey} onSent={(s, invited) => done(s, t('survey.sent', { n: invited }))} />}
      {survey.abilities.send && survey.status === 'open' && (survey.invited ?? 0) > 0 && (
        <section aria-labelledby="survey-remind-heading" className="kp-survey-section">
          <h2 id="survey-remind-heading">{t('survey.remindHeading')}</h2>
          <p>{t('survey.remindText', { n: (survey.invited ?? 0) - (survey.responses ?? 0) })}</p>
          <button type="button" className="button button-secondary" disabled={remind.isPending} onClick={() => remind.mutate()}>
            {t('survey.remind')}
          </button>
        </section>
      )}
    </>
  );
}

function SendPanel({ survey, onSent }: { survey: Survey; onSent: (s: Survey, invited: number) => void }) {
  const { t, n } = useI18n();
  const [municipality, setMunicipality] = useState('');
  const [industry, setIndustry] = useState('');
  const [bands, setBands] = useState<string[]>([]);
  const [activeOnly, setActiveOnly] = useState(true);
  const [count, setCount] = useState<SegmentCount | null>(null);
  const [summaryKey, setSummaryKey] = useState(0);
  const [countKey, setCountKey] = useState(0);
  const segment = (): Segment => ({
    ...(municipality.trim() ? { municipality: Number(municipality) } : {}),
    ...(industry.trim() ? { industry: industry.trim() } : {}),
    ...(bands.length ? { sizeBands: bands as Segment['sizeBands'] } : {}),
    ...(activeOnly ? { status: 'NORMAL' } : {}),
  });
  const counting = useMutation({
    mutationFn: () => surveysApi.count(survey.id, segment()),
    onSuccess: (c) => {
      setCount(c);
      setCountKey((k) => k + 1);
    },
    onError: () => setSummaryKey((k) => k + 1),
  });
  const sending = useMutation({
    mutationFn: () => surveysApi.send(survey.id, segment()),
    onSuccess: (r) => {
      setCount(null);
      onSent(r.survey, r.invited);
    },
    onError: () => setSummaryKey((k) => k + 1),
  });
  const countRef = useAutoFocus<HTMLDivElement>(countKey);
  const errors = { ...fieldErrorsOf(counting.error), ...fieldErrorsOf(sending.error) };
  const onCount = (e: FormEvent) => {
    e.preventDefault();
    counting.mutate();
  };
  return (
    <section aria-labelledby="survey-send-heading" className="kp-survey-section">
      <h2 id="survey-send-heading">{t('survey.sendHeading')}</h2>
      <p>{t('survey.sendIntro')}</p>
      <ErrorSummary id="survey-send-errors" heading={t('surveyBuilder.errors')} items={errorSummaryItems(errors, [['municipality', 'segment-municipality'], ['industry', 'segment-industry']])} focusKey={summaryKey} />
      <form onSubmit={onCount} noValidate>
        <Field id="segment-municipality" label={t('survey.municipality')} hint={t('survey.municipalityHint')} error={errors.municipality}>
          {(describedBy) => <input className="form-input input-width-xs" id="segment-municipality" inputMode="numeric" value={municipality} onChange={(e) => setMunicipality(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <Field id="segment-industry" label={t('survey.industry')} hint={t('survey.industryHint')} error={errors.industry}>
          {(describedBy) => <input className="form-input input-width-s" id="segment-industry" inputMode="numeric" value={industry} onChange={(e) => setIndustry(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <Fieldset id="segment-size" legend={t('survey.size')} hint={t('survey.sizeHint')}>
          <ul className="nobullet-list">
            {SIZE_BANDS.map((b) => (
              <li key={b}>
                <input className="form-checkbox" type="checkbox" id={`segment-size-${b}`} checked={bands.includes(b)} onChange={(e) => setBands(e.target.checked ? [...bands, b] : bands.filter((x) => x !== b))} />
                <label htmlFor={`segment-size-${b}`}>{t(`surveys.size.${b}`)}</label>
              </li>
            ))}
          </ul>
        </Fieldset>
        <div className="form-group">
          <input className="form-checkbox" type="checkbox" id="segment-active" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} />
          <label htmlFor="segment-active">{t('survey.activeOnly')}</label>
        </div>
        <button type="submit" className="button button-secondary" disabled={counting.isPending}>
          {t('survey.count')}
        </button>
      </form>
      {count && (
        <div className="kp-survey-count" tabIndex={-1} ref={countRef}>
          <h3>{t('survey.countHeading')}</h3>
          <ul>
            <li>{t('survey.countCompanies', { n: n(count.companies) })}</li>
            <li>{t('survey.countProtected', { n: n(count.advertisingProtected) })}</li>
            <li>{t('survey.countObjected', { n: n(count.objected) })}</li>
            <li>{t('survey.countWithoutEmail', { n: n(count.withoutEmail) })}</li>
            <li>{t('survey.countAlready', { n: n(count.alreadyInvited) })}</li>
          </ul>
          <p>
            <strong>{t('survey.countWillInvite', { n: n(count.willInvite) })}</strong>
          </p>
          <button type="button" className="button button-primary" disabled={sending.isPending || count.willInvite === 0} onClick={() => sending.mutate()}>
            {t('survey.send', { n: n(count.willInvite) })}
          </button>
        </div>
      )}
    </section>
  );
}

/** The answers on companies' records: fetched only when asked for, since each company's read is logged. */
function AttachedAnswers({ survey }: { survey: Survey }) {
  const { t, d } = useI18n();
  const [show, setShow] = useState(false);
  const list = useQuery({ queryKey: ['survey-attached', survey.id], queryFn: () => surveysApi.attached(survey.id), enabled: show });
  const headingRef = useAutoFocus<HTMLHeadingElement>(show && !!list.data);
  const answerText = (q: Survey['questions'][number], v: AnswerValue | undefined): string => {
    if (v === undefined) return '–';
    if (q.type === 'single') return q.options.find((o) => o.id === v)?.label ?? String(v);
    if (q.type === 'multiple') return (v as string[]).map((id) => q.options.find((o) => o.id === id)?.label ?? id).join(', ');
    if (q.type === 'matrix') return Object.entries(v as Record<string, string>).map(([r, c]) => `${q.rows.find((x) => x.id === r)?.label}: ${q.columns.find((x) => x.id === c)?.label}`).join('; ');
    return String(v);
  };
  return (
    <section aria-labelledby="survey-attached-heading" className="kp-survey-section">
      <h2 id="survey-attached-heading">{t('survey.attachedHeading')}</h2>
      <p>{t('survey.attachedText')}</p>
      {!show && (
        <button type="button" className="button button-secondary" onClick={() => setShow(true)}>
          {t('survey.attachedShow')}
        </button>
      )}
      {show && list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data && (
        <>
          <h3 ref={headingRef} tabIndex={-1}>{t('survey.attachedCount', { n: list.data.items.length })}</h3>
          {list.data.items.length > 0 && (
            <ScrollRegion>
              <table className="table table--compact">
                <caption className="sr-only">{t('survey.attachedHeading')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('survey.company')}</th>
                    <th scope="col">{t('survey.answeredAt')}</th>
                    {survey.questions.map((q) => (
                      <th key={q.id} scope="col">{q.text}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={`/virksomheder/${r.company.cvr}`}>{companyName(r.company)}</Link>
                      </th>
                      <td>{d(r.createdAt)}</td>
                      {survey.questions.map((q) => (
                        <td key={q.id}>{answerText(q, r.answers[q.id])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </>
      )}
    </section>
  );
}
