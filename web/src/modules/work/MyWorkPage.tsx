import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { User } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { Deadline } from '../../shared/components/Deadline.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useThemeName } from '../organisations/hooks.ts';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { companyName } from '../../shared/components/ui.tsx';
import { EngagementLink } from '../engagements/components.tsx';
import type { Referral } from '../referrals/api.ts';
import { ReferralStatusBadge } from '../referrals/components.tsx';
import { workApi } from './api.ts';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';

export function MyWorkPage() {
  const { t } = useI18n();
  usePageTitle(t('myWork.title'));
  const session = useSession();
  const user = session.data?.user;
  const abilities = session.data?.abilities;
  return (
    <>
      <h1>{t('myWork.title')}</h1>
      {!user || !abilities ? <Loading /> : !abilities.sections.myWork ? <AggregateOnlyNote /> : <MyWork user={user} />}
    </>
  );
}

function MyWork({ user }: { user: User }) {
  const { t, d } = useI18n();
  const themeName = useThemeName();
  const work = useQuery({ queryKey: ['my-work'], queryFn: () => workApi.myWork() });
  const none = t('common.none');
  if (work.isPending) return <Loading />;
  if (work.isError) return <ErrorAlert error={work.error} />;
  const { openEngagements, referralsWaiting, overdue, more } = work.data;

  return (
    <>
      <section aria-labelledby="work-open" className="mt-5">
        <h2 id="work-open">{t('myWork.open')}</h2>
        {openEngagements.length === 0 ? (
          <p>{t('myWork.openEmpty')}</p>
        ) : (
          <div className="table--responsive-scroll">
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
          </div>
        )}
        {more.openEngagements && <p className="kp-work-more">{t('myWork.moreEngagements', { n: openEngagements.length })}</p>}
      </section>

      <section aria-labelledby="work-waiting" className="mt-7">
        <h2 id="work-waiting">{t('myWork.waiting')}</h2>
        {referralsWaiting.length === 0 ? (
          <p>{t('myWork.waitingEmpty')}</p>
        ) : (
          <ReferralTable items={referralsWaiting} user={user} caption={t('myWork.waitingCaption')} className="kp-work-waiting" />
        )}
        {more.referralsWaiting && (
          <p className="kp-work-more">
            {t('myWork.moreWaiting')} <Link to="/henvisninger">{t('myWork.moreWaitingLink')}</Link>
          </p>
        )}
      </section>

      <section aria-labelledby="work-overdue" className="mt-7">
        <h2 id="work-overdue">{t('myWork.overdue')}</h2>
        {overdue.length === 0 ? (
          <p>{t('myWork.overdueEmpty')}</p>
        ) : (
          <ReferralTable items={overdue} user={user} caption={t('myWork.overdueCaption')} className="kp-work-overdue" />
        )}
        {more.overdue && (
          <p className="kp-work-more">
            {t('myWork.moreOverdue')} <Link to="/henvisninger?overskredet=1">{t('myWork.moreOverdueLink')}</Link>
          </p>
        )}
      </section>
      <p className="mt-7">
        <Link to="/henvisninger">{t('myWork.allReferrals')}</Link>
      </p>
    </>
  );
}

function ReferralTable({ items, user, caption, className }: { items: Referral[]; user: User; caption: string; className: string }) {
  const { t } = useI18n();
  return (
    <div className="table--responsive-scroll">
      <table className={`table table--zebra ${className}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('myWork.subject')}</th>
            <th scope="col">{t('myWork.direction')}</th>
            <th scope="col">{t('referral.from')}</th>
            <th scope="col">{t('referral.to')}</th>
            <th scope="col">{t('referrals.status')}</th>
            <th scope="col">{t('referral.due')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const incoming = r.to.id === user.organisation.id;
            return (
              <tr key={r.id}>
                <td>
                  <Link to={incoming ? '/henvisninger' : `/henvisninger?boks=ud`}>{r.company ? companyName(r.company) : t('referral.prospect')}</Link>
                </td>
                <td>{incoming ? t('myWork.incoming') : t('myWork.outgoing')}</td>
                <td>{r.from.name}</td>
                <td>{r.to.name}</td>
                <td>
                  <ReferralStatusBadge status={r.status} />
                </td>
                <td className="kp-nowrap">
                  <Deadline dueOn={r.dueOn} overdue={r.overdue} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
