import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, Field, Fieldset, Loading, fieldErrorsOf, focusHeading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { PURPOSES, QUESTION_TYPES, surveysApi, type Question, type QuestionInput, type Survey, type SurveyInput } from './api.ts';
import { QuestionnaireFields, type Answers } from './QuestionnaireForm.tsx';
import './surveys.css';

type QType = (typeof QUESTION_TYPES)[number];

/** A question as the builder edits it: choices, rows and columns as lines of text. */
interface Draft {
  key: string;
  id: string;
  type: QType;
  text: string;
  required: boolean;
  options: string;
  rows: string;
  min: number;
  max: number;
  minLabel: string;
  maxLabel: string;
  maxLength: number;
}

let counter = 0;
const newKey = () => `k${++counter}`;
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

function blank(type: QType, existing: readonly Draft[]): Draft {
  let n = existing.length + 1;
  while (existing.some((d) => d.id === `q${n}`)) n++;
  return { key: newKey(), id: `q${n}`, type, text: '', required: false, options: '', rows: '', min: 1, max: 5, minLabel: '', maxLabel: '', maxLength: 2000 };
}

function fromQuestion(q: Question): Draft {
  const base = { key: newKey(), id: q.id, type: q.type, text: q.text, required: q.required, options: '', rows: '', min: 1, max: 5, minLabel: '', maxLabel: '', maxLength: 2000 };
  switch (q.type) {
    case 'single':
    case 'multiple':
      return { ...base, options: q.options.map((o) => o.label).join('\n') };
    case 'scale':
      return { ...base, min: q.min, max: q.max, minLabel: q.minLabel ?? '', maxLabel: q.maxLabel ?? '' };
    case 'text':
      return { ...base, maxLength: q.maxLength };
    case 'matrix':
      return { ...base, rows: q.rows.map((r) => r.label).join('\n'), options: q.columns.map((c) => c.label).join('\n') };
  }
}

const choices = (text: string, prefix: string) => lines(text).map((label, i) => ({ id: `${prefix}${i + 1}`, label }));

function toQuestion(d: Draft): QuestionInput {
  const base = { id: d.id, text: d.text, required: d.required };
  switch (d.type) {
    case 'single':
      return { ...base, type: 'single', options: choices(d.options, 'o') };
    case 'multiple':
      return { ...base, type: 'multiple', options: choices(d.options, 'o') };
    case 'scale':
      return { ...base, type: 'scale', min: d.min, max: d.max, ...(d.minLabel ? { minLabel: d.minLabel } : {}), ...(d.maxLabel ? { maxLabel: d.maxLabel } : {}) };
    case 'text':
      return { ...base, type: 'text', maxLength: d.maxLength };
    case 'matrix':
      return { ...base, type: 'matrix', rows: choices(d.rows, 'r'), columns: choices(d.options, 'c') };
  }
}

/** /undersoegelser/ny and /undersoegelser/:id/rediger: build a survey; the questions change only while it is a draft. */
export function SurveyBuilderPage() {
  const { id } = useParams();
  const { t } = useI18n();
  usePageTitle(t(id ? 'surveyBuilder.editTitle' : 'surveyBuilder.newTitle'));
  const existing = useQuery({ queryKey: ['survey', id], queryFn: () => surveysApi.get(id!), enabled: !!id });
  const abilities = useSession().data?.abilities;
  if (!abilities || (id && existing.isPending)) return <Loading />;
  if (existing.error) return <ErrorAlert error={existing.error} />;
  if (!id && !abilities.create.survey) return <p>{t('surveys.noAccess')}</p>;
  if (existing.data && !existing.data.abilities.change) return <p>{t('surveys.noAccess')}</p>;
  return <Builder survey={existing.data} />;
}

function Builder({ survey }: { survey?: Survey }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [title, setTitle] = useState(survey?.title ?? '');
  const [purpose, setPurpose] = useState<SurveyInput['purpose']>(survey?.purpose ?? 'analysis');
  const [intro, setIntro] = useState(survey?.intro ?? '');
  const [attach, setAttach] = useState(survey?.attachToCompany ?? false);
  const [shared, setShared] = useState(survey?.shared ?? false);
  const [publicLink, setPublicLink] = useState(!!survey?.publicPath);
  const [drafts, setDrafts] = useState<Draft[]>(() => (survey ? survey.questions.map(fromQuestion) : []));
  const [newType, setNewType] = useState<QType>('single');
  const [preview, setPreview] = useState(false);
  const [previewAnswers, setPreviewAnswers] = useState<Answers>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const questionsFixed = !!survey && survey.status !== 'draft';

  useEffect(() => {
    if (focusKey) document.getElementById(`qb-${focusKey}-text`)?.focus();
  }, [focusKey]);

  const save = useMutation({
    mutationFn: () => {
      const body: SurveyInput = { title, purpose, intro, attachToCompany: attach, shared, publicLink, questions: drafts.map(toQuestion) };
      if (!survey) return surveysApi.create(body);
      const { questions, ...rest } = body;
      return surveysApi.change(survey.id, questionsFixed ? rest : { ...rest, questions });
    },
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      qc.setQueryData(['survey', s.id], s);
      void navigate(`/undersoegelser/${s.id}`, { state: focusHeading });
    },
    onError: () => setSummaryKey((k) => k + 1),
  });
  const snapshot = JSON.stringify([title, purpose, intro, attach, shared, publicLink, drafts.map(toQuestion)]);
  const [initial] = useState(snapshot);
  useUnsavedChanges(snapshot !== initial && !save.isPending && !save.isSuccess);
  const errors = fieldErrorsOf(save.error);
  const questionError = (i: number) => Object.entries(errors).filter(([k]) => k.startsWith(`questions.${i}.`) || k === `questions.${i}`).map(([, v]) => v).join(' ');

  const update = (key: string, change: Partial<Draft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const move = (index: number, by: -1 | 1) =>
    setDrafts((ds) => {
      const next = [...ds];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      setFocusKey(null);
      return next;
    });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  const summary = Object.entries(errors).map(([field, text]) => {
    const m = /^questions\.(\d+)/.exec(field);
    const d = m ? drafts[Number(m[1])] : undefined;
    return { key: field, target: d ? `qb-${d.key}-text` : field === 'title' ? 'survey-title' : null, text: d ? `${t('surveyBuilder.question')} ${Number(m![1]) + 1}: ${text}` : text };
  });

  return (
    <>
      <p>
        <Link to={survey ? `/undersoegelser/${survey.id}` : '/undersoegelser'}>{t('surveys.back')}</Link>
      </p>
      <h1>{t(survey ? 'surveyBuilder.editTitle' : 'surveyBuilder.newTitle')}</h1>
      <ErrorSummary id="survey-builder-errors" heading={t('surveyBuilder.errors')} items={summary} focusKey={summaryKey} />
      <ErrorAlert error={save.error && Object.keys(errors).length === 0 ? save.error : null} />
      <form onSubmit={onSubmit} noValidate className="kp-survey-builder">
        <Field id="survey-title" label={t('surveyBuilder.title')} error={errors.title}>
          {(describedBy) => <input className="form-input" id="survey-title" value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <Fieldset id="survey-purpose" legend={t('surveyBuilder.purpose')} hint={t('surveyBuilder.purposeHint')} error={errors.purpose}>
          <ul className="nobullet-list">
            {PURPOSES.map((p) => (
              <li key={p}>
                <input className="form-radio" type="radio" name="survey-purpose" id={`survey-purpose-${p}`} checked={purpose === p} disabled={questionsFixed} onChange={() => setPurpose(p)} />
                <label htmlFor={`survey-purpose-${p}`}>{t(`surveys.purpose.${p}`)}</label>
              </li>
            ))}
          </ul>
        </Fieldset>
        <Field id="survey-intro" label={t('surveyBuilder.intro')} hint={t('surveyBuilder.introHint')} error={errors.intro}>
          {(describedBy) => <textarea className="form-input" id="survey-intro" rows={3} value={intro} onChange={(e) => setIntro(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <Fieldset id="survey-options" legend={t('surveyBuilder.options')}>
          <ul className="nobullet-list">
            <li>
              <input className="form-checkbox" type="checkbox" id="survey-attach" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
              <label htmlFor="survey-attach">{t('surveyBuilder.attach')}</label>
            </li>
            <li>
              <input className="form-checkbox" type="checkbox" id="survey-shared" checked={shared} onChange={(e) => setShared(e.target.checked)} />
              <label htmlFor="survey-shared">{t('surveyBuilder.shared')}</label>
            </li>
            <li>
              <input className="form-checkbox" type="checkbox" id="survey-public" checked={publicLink} onChange={(e) => setPublicLink(e.target.checked)} />
              <label htmlFor="survey-public">{t('surveyBuilder.publicLink')}</label>
            </li>
          </ul>
        </Fieldset>

        <h2>{t('surveyBuilder.questions')}</h2>
        {questionsFixed && <p className="form-hint">{t('surveyBuilder.questionsFixed')}</p>}
        {errors.questions && <p className="form-error-message">{errors.questions}</p>}
        <ol className="kp-survey-questions">
          {drafts.map((d, i) => (
            <li key={d.key} className="kp-survey-question">
              <QuestionEditor draft={d} index={i} disabled={questionsFixed} error={questionError(i)} onChange={(c) => update(d.key, c)} />
              {!questionsFixed && (
                <div className="kp-survey-question-actions">
                  <button type="button" className="button button-tertiary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('surveyBuilder.moveUpLabel', { n: i + 1 })}>
                    {t('surveyBuilder.moveUp')}
                  </button>
                  <button type="button" className="button button-tertiary" disabled={i === drafts.length - 1} onClick={() => move(i, 1)} aria-label={t('surveyBuilder.moveDownLabel', { n: i + 1 })}>
                    {t('surveyBuilder.moveDown')}
                  </button>
                  <button type="button" className="button button-tertiary" onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))} aria-label={t('surveyBuilder.removeLabel', { n: i + 1 })}>
                    {t('surveyBuilder.remove')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
        {!questionsFixed && (
          <div className="kp-survey-add">
            <Field id="survey-new-type" label={t('surveyBuilder.newType')}>
              {(describedBy) => (
                <select className="form-select" id="survey-new-type" value={newType} onChange={(e) => setNewType(e.target.value as QType)} aria-describedby={describedBy}>
                  {QUESTION_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`surveys.type.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                const d = blank(newType, drafts);
                setDrafts((ds) => [...ds, d]);
                setFocusKey(d.key);
              }}
            >
              {t('surveyBuilder.add')}
            </button>
          </div>
        )}
        <div className="kp-survey-builder-actions">
          <button type="button" className="button button-secondary" aria-expanded={preview} aria-controls="survey-preview" onClick={() => setPreview((p) => !p)}>
            {t(preview ? 'surveyBuilder.hidePreview' : 'surveyBuilder.preview')}
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('surveyBuilder.save')}
          </button>
        </div>
      </form>
      {preview && (
        <section id="survey-preview" className="kp-survey-preview" aria-labelledby="survey-preview-heading">
          <h2 id="survey-preview-heading">{t('surveyBuilder.previewHeading')}</h2>
          <PreviewBody drafts={drafts} title={title} intro={intro} answers={previewAnswers} setAnswers={setPreviewAnswers} />
        </section>
      )}
    </>
  );
}

function PreviewBody({ drafts, title, intro, answers, setAnswers }: { drafts: Draft[]; title: string; intro: string; answers: Answers; setAnswers: (f: (a: Answers) => Answers) => void }) {
  const { t } = useI18n();
  // Only questions that are complete enough to show; the server names what is missing when saving.
  const questions = drafts.map(toQuestion).filter((q): q is Question & QuestionInput => {
    if (!q.text) return false;
    if (q.type === 'single' || q.type === 'multiple') return q.options.length >= 2;
    if (q.type === 'matrix') return q.rows.length >= 1 && q.columns.length >= 2;
    if (q.type === 'scale') return q.min < q.max;
    return true;
  }) as Question[];
  return (
    <div className="kp-survey-public">
      <p className="h3">{title || t('surveyBuilder.untitled')}</p>
      {intro && <p>{intro}</p>}
      {questions.length === 0 ? <p>{t('surveyBuilder.previewEmpty')}</p> : <QuestionnaireFields prefix="preview" questions={questions} answers={answers} errors={{}} onChange={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))} />}
    </div>
  );
}

function QuestionEditor({ draft: d, index, disabled, error, onChange }: { draft: Draft; index: number; disabled: boolean; error: string; onChange: (c: Partial<Draft>) => void }) {
  const { t } = useI18n();
  const p = `qb-${d.key}`;
  return (
    <fieldset className={`form-group${error ? ' form-error' : ''}`} disabled={disabled}>
      <legend className="h4">
        {t('surveyBuilder.question')} {index + 1}: {t(`surveys.type.${d.type}`)}
      </legend>
      {error && <span className="form-error-message">{error}</span>}
      <Field id={`${p}-text`} label={t('surveyBuilder.questionText')}>
        {(describedBy) => <input className="form-input" id={`${p}-text`} value={d.text} onChange={(e) => onChange({ text: e.target.value })} aria-describedby={describedBy} />}
      </Field>
      {(d.type === 'single' || d.type === 'multiple' || d.type === 'matrix') && (
        <Field id={`${p}-options`} label={t(d.type === 'matrix' ? 'surveyBuilder.columns' : 'surveyBuilder.choices')} hint={t('surveyBuilder.oneALine')}>
          {(describedBy) => <textarea className="form-input" id={`${p}-options`} rows={4} value={d.options} onChange={(e) => onChange({ options: e.target.value })} aria-describedby={describedBy} />}
        </Field>
      )}
      {d.type === 'matrix' && (
        <Field id={`${p}-rows`} label={t('surveyBuilder.rows')} hint={t('surveyBuilder.oneALine')}>
          {(describedBy) => <textarea className="form-input" id={`${p}-rows`} rows={4} value={d.rows} onChange={(e) => onChange({ rows: e.target.value })} aria-describedby={describedBy} />}
        </Field>
      )}
      {d.type === 'scale' && (
        <div className="kp-survey-scale">
          <Field id={`${p}-min`} label={t('surveyBuilder.min')}>
            {(describedBy) => <input className="form-input input-width-xs" type="number" min={0} max={10} id={`${p}-min`} value={d.min} onChange={(e) => onChange({ min: Number(e.target.value) })} aria-describedby={describedBy} />}
          </Field>
          <Field id={`${p}-max`} label={t('surveyBuilder.max')}>
            {(describedBy) => <input className="form-input input-width-xs" type="number" min={1} max={10} id={`${p}-max`} value={d.max} onChange={(e) => onChange({ max: Number(e.target.value) })} aria-describedby={describedBy} />}
          </Field>
          <Field id={`${p}-minLabel`} label={t('surveyBuilder.minLabel')}>
            {(describedBy) => <input className="form-input" id={`${p}-minLabel`} value={d.minLabel} onChange={(e) => onChange({ minLabel: e.target.value })} aria-describedby={describedBy} />}
          </Field>
          <Field id={`${p}-maxLabel`} label={t('surveyBuilder.maxLabel')}>
            {(describedBy) => <input className="form-input" id={`${p}-maxLabel`} value={d.maxLabel} onChange={(e) => onChange({ maxLabel: e.target.value })} aria-describedby={describedBy} />}
          </Field>
        </div>
      )}
      {d.type === 'text' && (
        <Field id={`${p}-maxLength`} label={t('surveyBuilder.maxLength')}>
          {(describedBy) => <input className="form-input input-width-s" type="number" min={1} max={5000} id={`${p}-maxLength`} value={d.maxLength} onChange={(e) => onChange({ maxLength: Number(e.target.value) })} aria-describedby={describedBy} />}
        </Field>
      )}
      <div className="form-group">
        <input className="form-checkbox" type="checkbox" id={`${p}-required`} checked={d.required} onChange={(e) => onChange({ required: e.target.checked })} />
        <label htmlFor={`${p}-required`}>{t('surveyBuilder.required')}</label>
      </div>
    </fieldset>
  );
}
