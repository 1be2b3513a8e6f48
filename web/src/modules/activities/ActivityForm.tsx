/** The "Registrér aktivitet" form, on the engagement page and on the company page, with its optional follow-up task. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contact } from '#server/modules/contacts/schemas.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import {
  DateField,
  ErrorAlert,
  ErrorSummary,
  errorSummaryItems,
  Field,
  fieldErrorsOf,
  SuccessAlert,
  toDanishDate,
  toIsoDate,
} from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { useSession } from '../auth/session.tsx';
import { TASK_KEYS } from '../tasks/api.ts';
import { AssigneeSelect, daysAhead } from '../tasks/TaskForm.tsx';
import { ACTIVITY_TYPES, type ActivityType, type CreatedActivity, type NewActivity } from './api.ts';

export const activityTypeKey = (type: ActivityType): MessageKey => `activityType.${type}`;

/** The form's fields in order, each with the element its error summary line focuses. */
const FIELDS = (p: string) =>
  [
    ['type', `${p}-type`],
    ['occurredOn', `${p}-date`],
    ['durationMinutes', `${p}-duration`],
    ['subject', `${p}-subject`],
    ['notes', `${p}-notes`],
    ['contactId', `${p}-contact`],
    ['followUp.title', `${p}-followup-title`],
    ['followUp.dueOn', `${p}-followup-due`],
    ['followUp.assigneeUserId', `${p}-followup-assignee`],
  ] as const;

/**
 * The form itself, for an engagement (`engagementId`, which also decides whom its follow-up may go to)
 * or for a company. After recording, focus lands on the confirmation; errors are listed in an error
 * summary that takes focus.
 */
export function ActivityForm({
  idPrefix,
  contacts,
  submit,
  invalidate,
  engagementId,
}: {
  idPrefix: string;
  contacts: Pick<Contact, 'id' | 'name' | 'title' | 'erased'>[];
  submit: (input: NewActivity) => Promise<CreatedActivity>;
  invalidate: readonly unknown[][];
  engagementId?: string;
}) {
  const { t, deadline } = useI18n();
  const qc = useQueryClient();
  const me = useSession().data?.user;
  const [type, setType] = useState<ActivityType>('meeting');
  const [occurredOn, setOccurredOn] = useState(() => toDanishDate(today()));
  const [duration, setDuration] = useState('');
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const [contactId, setContactId] = useState('');
  // The follow-up task: its title follows the subject ("Følg op: …") until the adviser writes one.
  const [followUp, setFollowUp] = useState(false);
  const [followUpTitle, setFollowUpTitle] = useState<string | null>(null);
  const [followUpDue, setFollowUpDue] = useState(() => toDanishDate(daysAhead(7)));
  const [assignee, setAssignee] = useState(me?.id ?? '');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [result, setResult] = useState<{ activity: CreatedActivity; n: number } | null>(null);

  const taskTitle = followUpTitle ?? (subject.trim() ? t('activity.followUpPrefix', { subject: subject.trim() }) : '');

  const create = useMutation({
    mutationFn: () =>
      submit({
        type,
        occurredOn: toIsoDate(occurredOn),
        durationMinutes: duration.trim() ? Number(duration) : undefined,
        subject: subject.trim(),
        notes: notes.trim() || undefined,
        contactId: contactId || undefined,
        followUp: followUp ? { title: taskTitle.trim(), dueOn: toIsoDate(followUpDue), assigneeUserId: assignee || undefined } : undefined,
      }),
    onSuccess: (activity) => {
      setDuration('');
      setSubject('');
      setNotes('');
      setContactId('');
      setFollowUp(false);
      setFollowUpTitle(null);
      setFollowUpDue(toDanishDate(daysAhead(7)));
      setAssignee(me?.id ?? '');
      setResult((r) => ({ activity, n: (r?.n ?? 0) + 1 }));
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
      if (activity.followUp) for (const key of TASK_KEYS) void qc.invalidateQueries({ queryKey: key });
    },
    onError: () => setSummaryFocus((n) => n + 1),
  });
  useUnsavedChanges((subject.trim() !== '' || notes.trim() !== '') && !create.isPending);

  const errors = { ...fieldErrorsOf(create.error), ...missing };
  const summary = errorSummaryItems(errors, FIELDS(idPrefix));
  const id = (name: string) => `${idPrefix}-${name}`;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!subject.trim()) found.subject = t('activity.subjectRequired');
    if (followUp && !taskTitle.trim()) found['followUp.title'] = t('task.titleRequired');
    if (followUp && !followUpDue.trim()) found['followUp.dueOn'] = t('task.dueRequired');
    setMissing(found);
    if (Object.keys(found).length > 0) {
      create.reset();
      setSummaryFocus((n) => n + 1);
      return;
    }
    setResult(null);
    create.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate className="kp-activity-form">
      {result && (
        <SuccessAlert focusKey={result.n}>
          {result.activity.followUp
            ? t('activity.createdWithTask', { title: result.activity.followUp.title, due: deadline(result.activity.followUp.dueOn) })
            : t('activity.created')}
        </SuccessAlert>
      )}
      <ErrorSummary id={id('errors')} heading={t('activity.errorSummary')} items={summary} focusKey={summaryFocus} />
      {summary.length === 0 && <ErrorAlert error={create.error} />}
      <Field id={id('type')} label={t('activity.type')} error={errors.type}>
        {(describedBy) => (
          <select id={id('type')} className="form-select" value={type} onChange={(e) => setType(e.target.value as ActivityType)} aria-describedby={describedBy} aria-invalid={errors.type ? true : undefined}>
            {ACTIVITY_TYPES.map((a) => (
              <option key={a} value={a}>
                {t(activityTypeKey(a))}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField id={id('date')} label={t('activity.occurredOn')} value={occurredOn} onChange={setOccurredOn} error={errors.occurredOn} required />
      <Field id={id('duration')} label={`${t('activity.duration')} (${t('common.optional')})`} error={errors.durationMinutes}>
        {(describedBy) => (
          <input id={id('duration')} type="number" min={0} step={5} inputMode="numeric" className="form-input input-width-xs" value={duration} onChange={(e) => setDuration(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.durationMinutes ? true : undefined} />
        )}
      </Field>
      <Field id={id('subject')} label={t('activity.subject')} error={errors.subject}>
        {(describedBy) => (
          <input id={id('subject')} className="form-input" required aria-required="true" autoComplete="off" value={subject} onChange={(e) => setSubject(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.subject ? true : undefined} />
        )}
      </Field>
      <Field id={id('notes')} label={`${t('activity.notes')} (${t('common.optional')})`} error={errors.notes}>
        {(describedBy) => (
          <textarea id={id('notes')} className="form-input" rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.notes ? true : undefined} />
        )}
      </Field>
      <Field id={id('contact')} label={`${t('activity.contact')} (${t('common.optional')})`} error={errors.contactId}>
        {(describedBy) => (
          <select id={id('contact')} className="form-select" value={contactId} onChange={(e) => setContactId(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.contactId ? true : undefined}>
            <option value="">{t('activity.noContact')}</option>
            {contacts
              .filter((c) => !c.erased)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title ? `${c.name} (${c.title})` : c.name}
                </option>
              ))}
          </select>
        )}
      </Field>
      <fieldset className="kp-activity-followup mt-5">
        <legend className="h4">{t('activity.followUp')}</legend>
        <div className="form-group-checkbox">
          <input type="checkbox" className="form-checkbox" id={id('followup')} checked={followUp} onChange={(e) => setFollowUp(e.target.checked)} aria-describedby={id('followup-hint')} />
          <label className="form-label" htmlFor={id('followup')}>
            {t('activity.followUpAdd')}
          </label>
          <span className="form-hint" id={id('followup-hint')}>
            {t('activity.followUpHint')}
          </span>
        </div>
        {followUp && (
          <div className="kp-activity-followup-fields">
            <Field id={id('followup-title')} label={t('task.title')} error={errors['followUp.title']}>
              {(describedBy) => (
                <input
                  id={id('followup-title')}
                  className="form-input"
                  required
                  aria-required="true"
                  autoComplete="off"
                  maxLength={300}
                  value={taskTitle}
                  onChange={(e) => setFollowUpTitle(e.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={errors['followUp.title'] ? true : undefined}
                />
              )}
            </Field>
            <DateField id={id('followup-due')} label={t('task.dueOn')} value={followUpDue} onChange={setFollowUpDue} error={errors['followUp.dueOn']} required />
            <AssigneeSelect id={id('followup-assignee')} engagementId={engagementId} value={assignee || (me?.id ?? '')} onChange={setAssignee} error={errors['followUp.assigneeUserId']} />
          </div>
        )}
      </fieldset>
      <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
        {t('activity.submit')}
      </button>
    </form>
  );
}
