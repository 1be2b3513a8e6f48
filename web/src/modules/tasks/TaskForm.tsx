/** The task form: give a new task on an engagement or a company, or change one (title, due date, assignee). */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { useSession } from '../auth/session.tsx';
import { DateField, ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, SuccessAlert, toDanishDate, toIsoDate } from '../../shared/components/Feedback.tsx';
import { isConflict } from '../../shared/components/ui.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { TASK_KEYS, tasksApi, useAssignees, type Task } from './api.ts';

/** YYYY-MM-DD `days` calendar days after today (a suggestion the adviser can change, not a deadline rule). */
export function daysAhead(days: number): string {
  const [y, m, d] = today().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export type TaskSubject = { engagementId: string; companyCvr?: undefined } | { companyCvr: string; engagementId?: undefined };

/**
 * Whom a task may be given to, as a select: the server's list (names only; the EW team for an Early
 * Warning engagement's task), with the current assignee kept when the list no longer has them.
 */
export function AssigneeSelect({
  id,
  engagementId,
  value,
  onChange,
  error,
  current,
}: {
  id: string;
  engagementId?: string | undefined;
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
  current?: { id: string; name: string } | undefined;
}) {
  const { t } = useI18n();
  const me = useSession().data?.user;
  const assignees = useAssignees(engagementId);
  // The server's choices, and the current assignee and the caller while the list loads or if it no longer has them.
  const options = [...new Map([...(assignees.data ?? []), current, me && { id: me.id, name: me.name }].filter((u) => !!u).map((u) => [u.id, u])).values()];
  return (
    <Field id={id} label={t('task.assignee')} error={error}>
      {(describedBy) => (
        <select id={id} className="form-select" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
          {options.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === me?.id ? t('task.me', { name: u.name }) : u.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const FIELDS = (p: string) =>
  [
    ['title', `${p}-title`],
    ['dueOn', `${p}-due`],
    ['assigneeUserId', `${p}-assignee`],
  ] as const;

/**
 * A new task on `subject`, or — with `task` — a change of that task. Errors are listed in an error
 * summary that takes focus; a new task's confirmation takes focus (and the form is ready for the next).
 */
export function TaskForm({ idPrefix, subject, task, onSaved, onCancel }: { idPrefix: string; subject: TaskSubject; task?: Task; onSaved?: (task: Task) => void; onCancel?: () => void }) {
  const { t, deadline } = useI18n();
  const qc = useQueryClient();
  const me = useSession().data?.user;
  const initial = { title: task?.title ?? '', due: toDanishDate(task?.dueOn ?? daysAhead(7)), assignee: task?.assignee.id ?? me?.id ?? '' };
  const [title, setTitle] = useState(initial.title);
  const [due, setDue] = useState(initial.due);
  const [assignee, setAssignee] = useState(initial.assignee);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [created, setCreated] = useState<{ task: Task; n: number } | null>(null);

  const save = useMutation({
    mutationFn: () => {
      const values = { title: title.trim(), dueOn: toIsoDate(due), assigneeUserId: assignee || undefined };
      return task ? tasksApi.change(task.id, { version: task.version, ...values }) : tasksApi.create({ ...subject, ...values });
    },
    onSuccess: (saved) => {
      for (const key of TASK_KEYS) void qc.invalidateQueries({ queryKey: key });
      if (task) {
        onSaved?.(saved);
        return;
      }
      setTitle('');
      setDue(toDanishDate(daysAhead(7)));
      setAssignee(me?.id ?? '');
      setCreated((c) => ({ task: saved, n: (c?.n ?? 0) + 1 }));
      onSaved?.(saved);
    },
    onError: (error) => {
      if (isConflict(error)) void qc.invalidateQueries({ queryKey: ['tasks'] });
      setSummaryFocus((n) => n + 1);
    },
  });
  const dirty = title !== initial.title || due !== initial.due || assignee !== initial.assignee;
  useUnsavedChanges(dirty && !save.isPending);

  const errors = { ...fieldErrorsOf(save.error), ...missing };
  const id = (name: string) => `${idPrefix}-${name}`;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!title.trim()) found.title = t('task.titleRequired');
    if (!due.trim()) found.dueOn = t('task.dueRequired');
    setMissing(found);
    if (Object.keys(found).length > 0) {
      save.reset();
      setSummaryFocus((n) => n + 1);
      return;
    }
    setCreated(null);
    save.mutate();
  };
  const summary = errorSummaryItems(errors, FIELDS(idPrefix));

  return (
    <form onSubmit={onSubmit} noValidate className="kp-task-form">
      {created && (
        <SuccessAlert focusKey={created.n}>{t('task.created', { title: created.task.title, due: deadline(created.task.dueOn) })}</SuccessAlert>
      )}
      <ErrorSummary id={id('errors')} heading={t('task.errorSummary')} items={summary} focusKey={summaryFocus} />
      {summary.length === 0 && <ErrorAlert error={save.error} />}
      <Field id={id('title')} label={t('task.title')} hint={t('task.titleHint')} error={errors.title}>
        {(describedBy) => (
          <input
            id={id('title')}
            className="form-input"
            required
            aria-required="true"
            autoComplete="off"
            maxLength={300}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={errors.title ? true : undefined}
          />
        )}
      </Field>
      <DateField id={id('due')} label={t('task.dueOn')} value={due} onChange={setDue} error={errors.dueOn} required />
      <AssigneeSelect id={id('assignee')} engagementId={subject.engagementId} value={assignee || (me?.id ?? '')} onChange={setAssignee} error={errors.assigneeUserId} current={task?.assignee} />
      <div className="mt-5">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {task ? t('task.save') : t('task.submit')}
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary ml-3" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
