/**
 * One referral (/henvisninger/:id), the page every mail about it links to: open to its sender and its
 * receiver alike, with everything it carries and, for whoever may answer it, the answers.
 */
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { referralsApi } from './api.ts';
import { OverdueBadge, ReferralActions, ReferralFacts, ReferralStatusBadge, referralSubject, WithheldAlert } from './components.tsx';
import './referrals.css';

export function ReferralPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data?.user;
  const readCrm = !!session.data?.abilities.sections.referrals;
  const referral = useQuery({
    queryKey: ['referrals', 'detail', id],
    queryFn: () => referralsApi.get(id),
    enabled: readCrm && !!id,
  });
  const notFound = referral.error instanceof ApiError && (referral.error.status === 404 || referral.error.status === 400);
  const r = referral.data;
  const title = notFound ? t('referral.notFound') : r ? t('referral.titleFor', { name: referralSubject(t, r) }) : t('referral.title');
  usePageTitle(title);

  if (!user || !session.data) return <Loading />;
  if (!readCrm) {
    return (
      <>
        <h1>{t('referral.title')}</h1>
        <AggregateOnlyNote />
      </>
    );
  }
  // Back to the box the referral is in for the caller: received ones in the inbox, sent ones in the outbox.
  const back = r && r.to.id !== user.organisation.id ? '/henvisninger?boks=ud' : '/henvisninger';
  return (
    <>
      <p className="kp-back">
        <Link to={back} className="back-link">
          {t('referral.back')}
        </Link>
      </p>
      {notFound ? (
        <>
          <h1>{t('referral.notFound')}</h1>
          <p>{t('referral.notFoundText')}</p>
        </>
      ) : referral.isPending ? (
        <Loading />
      ) : !r ? (
        <>
          <h1>{t('referral.title')}</h1>
          <ErrorAlert error={referral.error} />
        </>
      ) : (
        <article className={`kp-referral-page${r.overdue ? ' kp-referral-overdue' : ''}`} aria-labelledby="referral-heading">
          <h1 id="referral-heading">{t('referral.titleFor', { name: referralSubject(t, r) })}</h1>
          <p className="kp-badges">
            <ReferralStatusBadge status={r.status} />
            {r.overdue && <OverdueBadge />}
          </p>
          {r.withheld && <WithheldAlert />}
          <ReferralFacts r={r} full />
          {r.abilities.answer && (
            <section aria-labelledby="referral-actions-heading" className="mt-7">
              <h2 id="referral-actions-heading">{t('referral.actions')}</h2>
              <ReferralActions key={r.id} r={r} describedBy="referral-heading" headingLevel={3} />
            </section>
          )}
        </article>
      )}
    </>
  );
}
