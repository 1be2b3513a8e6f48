/** The "Registrér aktivitet" form, on the engagement page and on the company page. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contact } from '#server/modules/contacts/schemas.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, SuccessAlert, toDanishDate, toIsoDate } from '../../shared/components/Feedback.tsx';
import { ACTIVITY_TYPES, type Activity, type ActivityType, type NewActivity } from './api.ts';

export const activityTypeKey = (type: ActivityType): MessageKey => `activityType.${type}`;

/** The form itself, for an engagement or for a company. */
export function ActivityForm({
  idPrefix,
  contacts,
  submit,
  invalidate,
}: {
  idPrefix: string;
  contacts: Pick<Contact, 'id' | 'name' | 'title' | 'erased'>[];
  submit: (input: NewActivity) => Promise<Activity>;
  invalidate: readonly unknown[][];
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [type, setType] = useState<ActivityType>('meeting');
  const [occurredOn, setOccurredOn] = useState(() => toDanishDate(today()));
  const [duration, setDuration] = useState('');
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const [contactId, setContactId] = useState('');

  const create = useMutation({
    mutationFn: () =>
      submit({
        type,
        occurredOn: toIsoDate(occurredOn),
        durationMinutes: duration.trim() ? Number(duration) : undefined,
        subject: subject.trim(),
        notes: notes.trim() || undefined,
        contactId: contactId || undefined,
      }),
    onSuccess: () => {
      setDuration('');
      setSubject('');
      setNotes('');
      setContactId('');
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
    },
  });
  const fe = fieldErrorsOf(create.error);
  const id = (name: string) => `${idPrefix}-${name}`;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate className="kp-activity-form">
      {create.isSuccess && <SuccessAlert>{t('activity.created')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <Field id={id('type')} label={t('activity.type')} error={fe.type}>
        {(describedBy) => (
          <select id={id('type')} className="form-select" value={type} onChange={(e) => setType(e.target.value as ActivityType)} aria-describedby={describedBy} aria-invalid={fe.type ? true : undefined}>
            {ACTIVITY_TYPES.map((a) => (
              <option key={a} value={a}>
                {t(activityTypeKey(a))}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField id={id('date')} label={t('activity.occurredOn')} value={occurredOn} onChange={setOccurredOn} error={fe.occurredOn} required />
      <Field id={id('duration')} label={`${t('activity.duration')} (${t('common.optional')})`} error={fe.durationMinutes}>
        {(describedBy) => (
          <input id={id('duration')} type="number" min={0} step={5} inputMode="numeric" className="form-input input-width-xs" value={duration} onChange={(e) => setDuration(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.durationMinutes ? true : undefined} />
        )}
      </Field>
      <Field id={id('subject')} label={t('activity.subject')} error={fe.subject}>
        {(describedBy) => (
          <input id={id('subject')} className="form-input" required aria-required="true" autoComplete="off" value={subject} onChange={(e) => setSubject(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.subject ? true : undefined} />
        )}
      </Field>
      <Field id={id('notes')} label={`${t('activity.notes')} (${t('common.optional')})`} error={fe.notes}>
        {(describedBy) => (
          <textarea id={id('notes')} className="form-input" rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.notes ? true : undefined} />
        )}
      </Field>
      <Field id={id('contact')} label={`${t('activity.contact')} (${t('common.optional')})`} error={fe.contactId}>
        {(describedBy) => (
          <select id={id('contact')} className="form-select" value={contactId} onChange={(e) => setContactId(e.target.value)} aria-describedby={describedBy} aria-invalid={fe.contactId ? true : undefined}>
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
      <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
        {t('activity.submit')}
      </button>
    </form>
  );
}
