/** Engagement pieces other pages show: its status, its confidential mark, its link; the stale-version alert. */
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import type { EngagementStatus } from './api.ts';

export function EngagementStatusBadge({ status }: { status: EngagementStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge kp-badge ${status === 'open' ? 'badge-info' : 'badge-success'}`}>
      {t(`engagementStatus.${status}` as MessageKey)}
    </span>
  );
}

export function ConfidentialBadge() {
  const { t } = useI18n();
  return <span className="badge badge-warning kp-badge kp-confidential">{t('engagement.confidential')}</span>;
}

/** An engagement's link in a list, marked when it is confidential (Early Warning). */
export function EngagementLink({ id, label, confidential }: { id: string; label: string; confidential: boolean }) {
  return (
    <>
      <Link to={`/forloeb/${id}`}>{label}</Link>
      {confidential && (
        <>
          {' '}
          <ConfidentialBadge />
        </>
      )}
    </>
  );
}

/** Shown on 409: someone else changed the engagement; offer to reload it. */
export function StaleAlert({ id }: { id: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  return (
    <div className="alert alert-warning my-5 kp-stale" role="alert">
      <div className="alert-body">
        <p className="alert-text">{t('engagement.stale')}</p>
        <button type="button" className="button button-secondary mt-3" onClick={() => void qc.invalidateQueries({ queryKey: ['engagement', id] })}>
          {t('common.reload')}
        </button>
      </div>
    </div>
  );
}
