import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { surveysApi, type Survey } from './api.ts';
import './surveys.css';

const statusBadgeClass: Record<Survey['status'], string> = { draft: 'badge-info', open: 'badge-success', closed: '' };

export function StatusTag({ status }: { status: Survey['status'] }) {
  const { t } = useI18n();
  return <span className={`badge kp-badge kp-survey-status ${statusBadgeClass[status]}`}>{t(`surveys.status.${status}`)}</span>;
}

/** /undersoegelser: the organisation's surveys, and other organisations' shared results. */
export function SurveysPage() {
  const { t, d, n } = useI18n();
  usePageTitle(t('surveys.title'));
  const abilities = useSession().data?.abilities;
  const list = useQuery({ queryKey: ['surveys'], queryFn: surveysApi.list });
  if (!abilities || list.isPending) return <Loading />;
  return (
    <>
      <h1>{t('surveys.title')}</h1>
      <p>{t('surveys.intro')}</p>
      {abilities.create.survey && (
        <p>
          <Link to="/undersoegelser/ny" className="button button-primary">
            {t('surveys.create')}
          </Link>
        </p>
      )}
      <ErrorAlert error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('surveys.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ScrollRegion>
          <table className="table table--compact kp-surveys-table">
            <caption className="sr-only">{t('surveys.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.col.title')}</th>
                <th scope="col">{t('surveys.col.owner')}</th>
                <th scope="col">{t('surveys.col.status')}</th>
                <th scope="col">{t('surveys.col.responses')}</th>
                <th scope="col">{t('surveys.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={s.abilities.change || s.invited !== null ? `/undersoegelser/${s.id}` : `/undersoegelser/${s.id}/resultater`}>{s.title}</Link>
                  </td>
                  <td>{s.organisation.name}</td>
                  <td>
                    <StatusTag status={s.status} />
                  </td>
                  <td>{s.responses === null ? t('surveys.shared') : `${n(s.responses)} / ${n(s.invited ?? 0)}`}</td>
                  <td>{d(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
