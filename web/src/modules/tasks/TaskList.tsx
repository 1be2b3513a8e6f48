/**
 * The tasks section of the engagement page and the company page: the organisation's open tasks (due
 * soonest first), the completed ones folded away, and a form for a new one where the server allows it.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { Deadline } from '../../shared/components/Deadline.tsx';
import { ErrorAlert, Loading, SuccessAlert, useAutoFocus } from '../../shared/components/Feedback.tsx';
import { Disclosure, isForbiddenOrHidden, ScrollRegion } from '../../shared/components/ui.tsx';
import { ConfidentialBadge } from '../engagements/components.tsx';
import { TASK_KEYS, tasksApi, type Task } from './api.ts';
import { TaskForm, type TaskSubject } from './TaskForm.tsx';

/** The section with its h2, for the engagement page (`engagementId`) or the company page (`companyCvr`). */
export function TasksSection(subject: TaskSubject) {
  const { t } = useI18n();
  const headingId = `tasks-${subject.engagementId ?? subject.companyCvr}`;
  return (
    <section aria-labelledby={headingId} className="mt-7 kp-tasks">
      <h2 id={headingId}>{t('tasks.title')}</h2>
      <TaskList {...subject} />
    </section>
  );
}

/** The list itself (without a heading), with the create form when the caller may give a task here. */
export function TaskList(subject: TaskSubject) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const query = subject.engagementId ? { engagementId: subject.engagementId } : { companyCvr: subject.companyCvr };
  const tasks = useQuery({ queryKey: ['tasks', query], queryFn: () => tasksApi.list({ ...query, pageSize: 100 }) });
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const announce = (text: string) => setNotice((old) => ({ text, n: (old?.n ?? 0) + 1 }));

  const toggle = useMutation({
    mutationFn: (task: Task) => tasksApi.change(task.id, { version: task.version, done: !task.done }),
    onSuccess: (task) => {
      announce(t(task.done ? 'task.markedDone' : 'task.reopened', { title: task.title }));
      for (const key of TASK_KEYS) void qc.invalidateQueries({ queryKey: key });
    },
    // Someone else changed it meanwhile (409): show the list as it is now; the message says why.
    onError: () => void qc.invalidateQueries({ queryKey: ['tasks'] }),
  });

  if (tasks.isPending) return <Loading />;
  // An engagement the caller cannot see, or no CRM access: nothing to show here.
  if (isForbiddenOrHidden(tasks.error)) return null;
  if (tasks.isError) return <ErrorAlert error={tasks.error} />;
  const open = tasks.data.items.filter((x) => !x.done);
  const done = tasks.data.items.filter((x) => x.done);
  const idPrefix = `task-${subject.engagementId ?? subject.companyCvr}`;

  return (
    <>
      <p>{t('tasks.intro')}</p>
      {notice && <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert>}
      <ErrorAlert error={toggle.error} />
      {tasks.data.abilities.create && (
        <Disclosure summary={t('tasks.create')} className="kp-task-create">
          <TaskForm idPrefix={`${idPrefix}-new`} subject={subject} />
        </Disclosure>
      )}
      {open.length === 0 ? (
        <p className="kp-tasks-empty">{t('tasks.empty')}</p>
      ) : (
        <TaskTable
          tasks={open}
          caption={t('tasks.openCaption')}
          className="kp-tasks-open"
          showSubject={!subject.engagementId}
          pending={toggle.isPending}
          onToggle={(task) => toggle.mutate(task)}
          onEdit={(task) => setEditing(task)}
        />
      )}
      {editing && (
        <EditTask
          key={editing.id}
          idPrefix={`${idPrefix}-edit`}
          subject={subject}
          task={editing}
          onSaved={(task) => {
            setEditing(null);
            announce(t('task.saved', { title: task.title }));
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {done.length > 0 && (
        <Disclosure summary={t('tasks.done', { n: done.length })} className="kp-tasks-done-list mt-5">
          <TaskTable tasks={done} caption={t('tasks.doneCaption')} className="kp-tasks-done" showSubject={!subject.engagementId} pending={toggle.isPending} onToggle={(task) => toggle.mutate(task)} />
        </Disclosure>
      )}
      {tasks.data.hasMore && <p>{t('tasks.more')}</p>}
    </>
  );
}

function EditTask({ idPrefix, subject, task, onSaved, onCancel }: { idPrefix: string; subject: TaskSubject; task: Task; onSaved: (task: Task) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const heading = useAutoFocus<HTMLHeadingElement>(true);
  return (
    <div className="kp-task-edit mt-5">
      <h3 ref={heading} tabIndex={-1}>
        {t('task.editHeading')}: {task.title}
      </h3>
      <TaskForm idPrefix={idPrefix} subject={subject} task={task} onSaved={onSaved} onCancel={onCancel} />
    </div>
  );
}

function TaskTable({
  tasks,
  caption,
  className,
  showSubject,
  pending,
  onToggle,
  onEdit,
}: {
  tasks: Task[];
  caption: string;
  className: string;
  showSubject: boolean;
  pending: boolean;
  onToggle: (task: Task) => void;
  onEdit?: (task: Task) => void;
}) {
  const { t, d } = useI18n();
  const anyAction = tasks.some((x) => x.abilities.change);
  const doneList = tasks.some((x) => x.done);
  return (
    <ScrollRegion>
      <table className={`table table--compact ${className}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('task.title')}</th>
            <th scope="col">{doneList ? t('task.doneOn') : t('task.dueOn')}</th>
            <th scope="col">{doneList ? t('task.doneBy') : t('task.assignee')}</th>
            {showSubject && <th scope="col">{t('task.on')}</th>}
            {anyAction && <th scope="col">{t('task.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id}>
              <td>
                {task.title}
                {task.confidential && (
                  <>
                    {' '}
                    <ConfidentialBadge />
                  </>
                )}
              </td>
              <td className="kp-nowrap">{task.done ? (task.doneAt ? d(task.doneAt) : '') : <Deadline dueOn={task.dueOn} overdue={task.overdue} />}</td>
              <td>{task.done ? (task.doneBy?.name ?? '') : task.assignee.name}</td>
              {showSubject && <td>{task.engagementId ? <Link to={`/forloeb/${task.engagementId}`}>{t('task.onEngagement')}</Link> : t('task.onCompany')}</td>}
              {anyAction && (
                <td className="kp-nowrap">
                  {task.abilities.change && (
                    <>
                      <button type="button" className="button button-secondary" disabled={pending} onClick={() => onToggle(task)}>
                        {task.done ? t('task.reopenShort') : t('task.markDoneShort')}
                        <span className="sr-only">: {task.title}</span>
                      </button>
                      {onEdit && !task.done && (
                        <button type="button" className="button button-tertiary ml-3" onClick={() => onEdit(task)}>
                          {t('task.editShort')}
                          <span className="sr-only">: {task.title}</span>
                        </button>
                      )}
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
