/**
 * "Opret eget forløb" from an accepted referral (/forloeb/nyt?henvisning=<id>): the engagement form
 * loads the referral here, shows its company read-only and starts the description from its need; on
 * save it sends `referralId`, and the server links the new engagement to the referral.
 */
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, InfoAlert, Loading } from '../../shared/components/Feedback.tsx';
import { companyName } from '../../shared/components/ui.tsx';
import { referralsApi, type Referral } from './api.ts';
import { referralPath } from './components.tsx';

export interface ReferralSource {
  /** The referral, when the caller may open its own engagement from it now. */
  referral: Referral | undefined;
  pending: boolean;
  error: unknown;
  /** Loaded, but no engagement can be opened from it (not accepted, no company, already linked, not the receiver). */
  blocked: Referral | undefined;
}

/** The referral named by `?henvisning=` ('' for none), as the engagement form uses it. */
export function useReferralSource(id: string): ReferralSource {
  const query = useQuery({ queryKey: ['referrals', 'detail', id], queryFn: () => referralsApi.get(id), enabled: !!id });
  const data = query.data;
  const openable = !!data && data.abilities.openEngagement && !!data.company;
  return { referral: openable ? data : undefined, pending: !!id && query.isPending, error: query.error, blocked: data && !openable ? data : undefined };
}

/** Instead of the form while the referral loads, or when no engagement can be opened from it. */
export function ReferralSourceProblem({ source }: { source: ReferralSource }) {
  const { t } = useI18n();
  if (source.pending) return <Loading />;
  if (source.blocked) {
    const r = source.blocked;
    return (
      <InfoAlert>
        {t(r.receiverEngagementId ? 'referral.sourceHasEngagement' : 'referral.sourceUnavailable')}{' '}
        {r.receiverEngagementId ? <Link to={`/forloeb/${r.receiverEngagementId}`}>{t('referral.receiverEngagementLink')}</Link> : <Link to={referralPath(r.id)}>{t('referral.sentLink')}</Link>}
      </InfoAlert>
    );
  }
  return <ErrorAlert error={source.error} />;
}

/** Back to the referral the engagement is opened from. */
export function ReferralBackLink({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <p className="kp-back">
      <Link to={referralPath(id)} className="back-link">
        {t('referral.sourceBack')}
      </Link>
    </p>
  );
}

/** The company of the referral, read-only in the engagement form (its CVR is sent, not typed). */
export function ReferralSourceCompany({ referral }: { referral: Referral }) {
  const { t } = useI18n();
  const company = referral.company!;
  return (
    <div className="form-group kp-referral-source">
      <p className="form-label">{t('referral.company')}</p>
      <p className="kp-referral-source-company">
        <strong>{companyName(company)}</strong> (CVR {company.cvr})
      </p>
      <p className="form-hint">
        {t('referral.sourceFrom', { org: referral.from.name })} <Link to={referralPath(referral.id)}>{t('referral.sentLink')}</Link>
      </p>
    </div>
  );
}
