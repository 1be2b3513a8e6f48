import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { casesApi, CASES_KEY, type CaseStory } from './api.ts';
import './cases.css';

const statusClass = { draft: 'badge-info', published: 'badge-success', archived: '' } as const;

export function CaseStatusTag({ status }: { status: CaseStory['status'] }) {
  const { t } = useI18n();
  return <span className={`badge ${statusClass[status]}`}>{t(`cases.status.${status}`)}</span>;
}

/** The cases the organisation is behind, every status: /gode-historier. */
export function CasesPage() {
  const { t, n, d } = useI18n();
  usePageTitle(t('cases.title'));
  const abilities = useSession().data?.abilities;
  const cases = useQuery({ queryKey: CASES_KEY, queryFn: () => casesApi.list(), enabled: !!abilities?.sections.cases });
  if (!abilities) return <Loading />;
  if (!abilities.sections.cases) {
    return (
      <>
        <h1>{t('cases.title')}</h1>
        <p>{t('cases.noAccess')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('cases.title')}</h1>
      <p>{t('cases.intro')}</p>
      <div className="kp-button-row">
        {abilities.create.case && (
          <Link to="/gode-historier/ny" className="button button-primary">{t('cases.create')}</Link>
        )}
        {abilities.create.sendCases && (
          <Link to="/gode-historier/send" className="button button-secondary">{t('cases.send')}</Link>
        )}
        <Link to="/historier" className="button button-tertiary">{t('cases.libraryLink')}</Link>
      </div>
      {!abilities.create.case && <p>{t('cases.readOnly')}</p>}
      {cases.isPending && <Loading />}
      <ErrorAlert error={cases.error} />
      {cases.data && (
        <>
          <p className="kp-count" role="status">
            {cases.data.items.length === 0 ? t('cases.empty') : cases.data.items.length === 1 ? t('cases.countOne') : t('cases.count', { n: n(cases.data.items.length) })}
          </p>
          {cases.data.items.length > 0 && (
            <table className="table table--responsive-headers kp-cases-table">
              <caption className="sr-only">{t('cases.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.col.title')}</th>
                  <th scope="col">{t('cases.col.status')}</th>
                  <th scope="col">{t('cases.col.public')}</th>
                  <th scope="col">{t('cases.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.data.items.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" data-title={t('cases.col.title')}>
                      <Link to={`/gode-historier/${c.id}`}>{c.title}</Link>
                    </th>
                    <td data-title={t('cases.col.status')}>
                      <CaseStatusTag status={c.status} />
                    </td>
                    <td data-title={t('cases.col.public')}>
                      {c.public ? t('cases.public.yes') : c.status === 'published' ? t('cases.public.noConsent') : t('cases.public.no')}
                    </td>
                    <td data-title={t('cases.col.updated')}>{d(c.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
