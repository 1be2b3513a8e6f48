import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Abilities } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { Deadline } from '../../shared/components/Deadline.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useThemeName } from '../organisations/hooks.ts';
import { ErrorAlert, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { companyName, ScrollRegion } from '../../shared/components/ui.tsx';
import { ConfidentialBadge, EngagementLink } from '../engagements/components.tsx';
import { ReferralStatusBadge } from '../referrals/components.tsx';
import { TASK_KEYS, tasksApi } from '../tasks/api.ts';
import { workApi, type WorkItem } from './api.ts';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';

export function MyWorkPage() {
  const { t } = useI18n();
  usePageTitle(t('myWork.title'));
  const session = useSession();
  const abilities = session.data?.abilities;
  return (
    <>
      <h1>{t('myWork.title')}</h1>
      {!abilities ? <Loading /> : !abilities.sections.myWork ? <AggregateOnlyNote /> : <MyWork sections={abilities.sections} />}
    </>
  );
}

/** Where a row leads: the request's or referral's own page, the task's engagement or company. */
function detailPath(item: WorkItem): string | null {
  switch (item.kind) {
    case 'lead':
      return `/henvendelser/${item.id}`;
    case 'referral':
      return `/henvisninger/${item.id}`;
    case 'task':
      return item.engagementId ? `/forloeb/${item.engagementId}` : item.company ? `/virksomheder/${item.company.cvr}` : null;
  }
}

function MyWork({ sections }: { sections: Abilities['sections'] }) {
  const { t, d } = useI18n();
  const themeName = useThemeName();
  const qc = useQueryClient();
  const work = useQuery({ queryKey: ['my-work'], queryFn: () => workApi.myWork() });
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const complete = useMutation({
    mutationFn: (item: Extract<WorkItem, { kind: 'task' }>) => tasksApi.change(item.id, { version: item.version, done: true }),
    onSuccess: (task) => {
      setNotice((old) => ({ text: t('task.markedDone', { title: task.title }), n: (old?.n ?? 0) + 1 }));
      for (const key of TASK_KEYS) void qc.invalidateQueries({ queryKey: key });
    },
    onError: () => void qc.invalidateQueries({ queryKey: ['my-work'] }),
  });
  const none = t('common.none');
  if (work.isPending) return <Loading />;
  if (work.isError) return <ErrorAlert error={work.error} />;
  const { waiting, openEngagements, more } = work.data;

  return (
    <>
      <section aria-labelledby="work-waiting" className="mt-5">
        <h2 id="work-waiting">{t('myWork.waiting')}</h2>
        <p>{t('myWork.waitingIntro')}</p>
        {notice && <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert>}
        <ErrorAlert error={complete.error} />
        {waiting.length === 0 ? (
          <p className="kp-work-waiting-empty">{t('myWork.waitingEmpty')}</p>
        ) : (
          <ScrollRegion>
            <table className="table table--compact kp-work-waiting">
              <caption className="sr-only">{t('myWork.waitingCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('myWork.colDeadline')}</th>
                  <th scope="col">{t('myWork.colKind')}</th>
                  <th scope="col">{t('myWork.colCompany')}</th>
                  <th scope="col">{t('myWork.colWhat')}</th>
                  <th scope="col">{t('myWork.colAction')}</th>
                </tr>
              </thead>
              <tbody>
                {waiting.map((item) => (
                  <WaitingRow key={`${item.kind}-${item.id}`} item={item} pending={complete.isPending} onComplete={(task) => complete.mutate(task)} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        {more.waiting && (
          <p className="kp-work-more">
            {t('myWork.moreWaiting')}{' '}
            {sections.leads && <Link to="/henvendelser">{t('myWork.allLeads')}</Link>}
            {sections.leads && sections.referrals && ` ${t('myWork.and')} `}
            {sections.referrals && <Link to="/henvisninger">{t('myWork.allReferrals')}</Link>}.
          </p>
        )}
      </section>

      <section aria-labelledby="work-open" className="mt-7">
        <h2 id="work-open">{t('myWork.open')}</h2>
        {openEngagements.length === 0 ? (
          <p>{t('myWork.openEmpty')}</p>
        ) : (
          <ScrollRegion>
            <table className="table table--zebra kp-work-open">
              <caption className="sr-only">{t('myWork.openCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('engagements.col')}</th>
                  <th scope="col">{t('engagement.openedOn')}</th>
                  <th scope="col">{t('engagement.level')}</th>
                  <th scope="col">{t('engagement.category')}</th>
                  <th scope="col">{t('engagement.themes')}</th>
                </tr>
              </thead>
              <tbody>
                {openEngagements.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <EngagementLink id={e.id} label={e.company ? companyName(e.company) : (e.prospect?.personName ?? t('engagements.open'))} confidential={e.confidential} />
                    </td>
                    <td className="kp-nowrap">{d(e.openedOn)}</td>
                    <td>{t(`level.${e.level}` as MessageKey)}</td>
                    <td>{e.deliveryCategory?.name ?? none}</td>
                    <td>{e.themes.length ? e.themes.map(themeName).join(', ') : none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        {more.openEngagements && <p className="kp-work-more">{t('myWork.moreEngagements', { n: openEngagements.length })}</p>}
      </section>
    </>
  );
}

function WaitingRow({ item, pending, onComplete }: { item: WorkItem; pending: boolean; onComplete: (task: Extract<WorkItem, { kind: 'task' }>) => void }) {
  const { t } = useI18n();
  const path = detailPath(item);
  const what = item.what ?? t('myWork.withheld');
  const contact = item.kind !== 'task' && item.contact ? [item.contact.name, item.contact.phone ?? item.contact.email].filter(Boolean).join(', ') : null;
  return (
    <tr className={`kp-work-${item.kind}`}>
      <td className="kp-nowrap">
        <Deadline dueOn={item.dueOn} overdue={item.overdue} />
      </td>
      <td>
        {t(`myWork.kind.${item.kind}`)}
        {item.kind === 'lead' && (
          <>
            <br />
            <span className="badge badge-info kp-badge">{t(`leads.status.${item.status}` as MessageKey)}</span>
          </>
        )}
        {item.kind === 'referral' && (
          <>
            <br />
            <ReferralStatusBadge status={item.status} /> <span className="kp-work-from">{t('myWork.from', { org: item.from.name })}</span>
          </>
        )}
        {item.kind === 'task' && item.confidential && (
          <>
            <br />
            <ConfidentialBadge />
          </>
        )}
      </td>
      <td>{item.company ? companyName(item.company) : (item.name ?? t('myWork.unnamed'))}</td>
      <td>
        {path ? <Link to={path}>{what}</Link> : what}
        {contact && (
          <>
            <br />
            <span className="kp-work-contact">{t('myWork.contact', { contact })}</span>
          </>
        )}
      </td>
      <td className="kp-nowrap">
        {item.kind === 'task' && item.abilities.change && (
          <button type="button" className="button button-secondary" disabled={pending} onClick={() => onComplete(item)}>
            {t('task.markDoneShort')}
            <span className="sr-only">: {item.what}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
