import { Fragment } from 'react';
import { useI18n } from '../../shared/i18n.tsx';
import { Field, Fieldset } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import type { AnswerValue, Question } from './api.ts';

export type Answers = Record<string, AnswerValue | undefined>;

/** The id of the first input of a question, which an error summary links to. */
export function firstInputId(prefix: string, q: Question): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return `${prefix}-${q.id}-${q.options[0]!.id}`;
    case 'scale':
      return `${prefix}-${q.id}-${q.min}`;
    case 'text':
      return `${prefix}-${q.id}`;
    case 'matrix':
      return `${prefix}-${q.id}-${q.rows[0]!.id}-${q.columns[0]!.id}`;
  }
}

/**
 * The questions of a questionnaire as form controls (dkfds radios, checkboxes, text area and a matrix
 * table of radios). Used by the answer page and by the builder's preview.
 */
export function QuestionnaireFields({ prefix, questions, answers, onChange, errors }: { prefix: string; questions: readonly Question[]; answers: Answers; onChange: (id: string, value: AnswerValue | undefined) => void; errors: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <>
      {questions.map((q, index) => {
        const legend = `${index + 1}. ${q.text}${q.required ? '' : ` (${t('surveys.optional')})`}`;
        const error = errors[`answers.${q.id}`] ?? Object.entries(errors).find(([k]) => k.startsWith(`answers.${q.id}.`))?.[1];
        const id = `${prefix}-${q.id}`;
        switch (q.type) {
          case 'single':
          case 'scale': {
            const options = q.type === 'single' ? q.options.map((o) => ({ value: o.id as string | number, label: o.label, key: o.id })) : Array.from({ length: q.max - q.min + 1 }, (_, i) => {
              const v = q.min + i;
              const named = v === q.min ? q.minLabel : v === q.max ? q.maxLabel : undefined;
              return { value: v as string | number, label: named ? `${v} – ${named}` : String(v), key: String(v) };
            });
            return (
              <Fieldset key={q.id} id={id} legend={legend} hint={q.help} error={error}>
                <ul className="nobullet-list kp-survey-options">
                  {options.map((o) => (
                    <li key={o.key}>
                      <input className="form-radio" type="radio" id={`${id}-${o.key}`} name={id} checked={answers[q.id] === o.value} onChange={() => onChange(q.id, o.value)} />
                      <label htmlFor={`${id}-${o.key}`}>{o.label}</label>
                    </li>
                  ))}
                </ul>
              </Fieldset>
            );
          }
          case 'multiple': {
            const chosen = (answers[q.id] as string[] | undefined) ?? [];
            return (
              <Fieldset key={q.id} id={id} legend={legend} hint={q.help ?? (q.maxChoices ? t('surveys.chooseAtMost', { n: q.maxChoices }) : t('surveys.chooseAny'))} error={error}>
                <ul className="nobullet-list kp-survey-options">
                  {q.options.map((o) => (
                    <li key={o.id}>
                      <input
                        className="form-checkbox"
                        type="checkbox"
                        id={`${id}-${o.id}`}
                        checked={chosen.includes(o.id)}
                        onChange={(e) => onChange(q.id, e.target.checked ? [...chosen, o.id] : chosen.filter((c) => c !== o.id))}
                      />
                      <label htmlFor={`${id}-${o.id}`}>{o.label}</label>
                    </li>
                  ))}
                </ul>
              </Fieldset>
            );
          }
          case 'text':
            return (
              <Field key={q.id} id={id} label={legend} hint={q.help ?? t('surveys.maxChars', { n: q.maxLength })} error={error}>
                {(describedBy) => (
                  <textarea className="form-input" id={id} rows={4} maxLength={q.maxLength} aria-describedby={describedBy} value={(answers[q.id] as string | undefined) ?? ''} onChange={(e) => onChange(q.id, e.target.value)} />
                )}
              </Field>
            );
          case 'matrix': {
            const value = (answers[q.id] as Record<string, string> | undefined) ?? {};
            return (
              <Fieldset key={q.id} id={id} legend={legend} hint={q.help} error={error}>
                <ScrollRegion label={q.text}>
                  <table className="table table--compact kp-survey-matrix">
                    <thead>
                      <tr>
                        <td />
                        {q.columns.map((c) => (
                          <th key={c.id} scope="col">{c.label}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {q.rows.map((r) => (
                        <tr key={r.id}>
                          <th scope="row" id={`${id}-${r.id}`}>{r.label}</th>
                          {q.columns.map((c) => (
                            <Fragment key={c.id}>
                              <td>
                                <input
                                  className="form-radio"
                                  type="radio"
                                  id={`${id}-${r.id}-${c.id}`}
                                  name={`${id}-${r.id}`}
                                  checked={value[r.id] === c.id}
                                  onChange={() => onChange(q.id, { ...value, [r.id]: c.id })}
                                />
                                <label htmlFor={`${id}-${r.id}-${c.id}`}>
                                  <span className="sr-only">{`${r.label}: ${c.label}`}</span>
                                </label>
                              </td>
                            </Fragment>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              </Fieldset>
            );
          }
        }
      })}
    </>
  );
}

/** What the respondent must still answer, checked before sending (the server checks again). */
export function missingRequired(questions: readonly Question[], answers: Answers): Question[] {
  return questions.filter((q) => {
    if (!q.required) return false;
    const v = answers[q.id];
    if (v === undefined || v === '') return true;
    if (Array.isArray(v)) return v.length === 0;
    if (q.type === 'matrix') return q.rows.some((r) => !(v as Record<string, string>)[r.id]);
    return typeof v === 'string' && v.trim() === '';
  });
}

/** The answers as the server takes them: blanks left out. */
export function answersBody(answers: Answers): Record<string, AnswerValue> {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))) as Record<string, AnswerValue>;
}
