import { Link } from 'react-router';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { useSession } from '../auth/session.tsx';
import { useMatchProjects } from './api.ts';

/** Matchregister: the match projects the caller's organisation owns or takes part in, /matchregister. */
export function MatchRegisterPage() {
  const { t, d, n } = useI18n();
  usePageTitle(t('matchRegister.title'));
  const projects = useMatchProjects();
  const canCreate = useSession().data?.abilities.create.matchProject ?? false;
  return (
    <>
      <h1>{t('matchRegister.title')}</h1>
      <p className="font-lead">{t('matchRegister.intro')}</p>
      {canCreate && (
        <p>
          <Link to="/matchregister/nyt" className="button button-primary">
            {t('matchRegister.new.title')}
          </Link>
        </p>
      )}
      {projects.isPending ? (
        <Loading />
      ) : projects.isError ? (
        <ErrorAlert error={projects.error} />
      ) : projects.data.items.length === 0 ? (
        <p>{t('matchRegister.empty')}</p>
      ) : (
        <ScrollRegion>
          <table className="table table--zebra">
            <caption className="sr-only">{t('matchRegister.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('matchRegister.col.name')}</th>
                <th scope="col">{t('matchRegister.col.owner')}</th>
                <th scope="col">{t('matchRegister.col.period')}</th>
                <th scope="col" className="kp-num">
                  {t('matchRegister.col.target')}
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/matchregister/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.owner.name}</td>
                  <td className="kp-nowrap">
                    {d(p.periodStart)}–{d(p.periodEnd)}
                  </td>
                  <td className="kp-num">{n(p.targetTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
