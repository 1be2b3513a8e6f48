import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, focusHeading, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { ACTION_PLANS_KEY, useActionPlans } from './api.ts';
import { PlanForm } from './forms.tsx';

/** Handleplaner: every organisation's plans (public documents), /handleplaner. */
export function ActionPlansPage() {
  const { t, d, n } = useI18n();
  usePageTitle(t('actionPlans.title'));
  const plans = useActionPlans();
  return (
    <>
      <h1>{t('actionPlans.title')}</h1>
      <p className="font-lead">{t('actionPlans.intro')}</p>
      {plans.data?.abilities.create && (
        <p>
          <Link to="/handleplaner/ny" className="button button-primary">
            {t('actionPlans.create')}
          </Link>
        </p>
      )}
      {plans.isPending ? (
        <Loading />
      ) : plans.isError ? (
        <ErrorAlert error={plans.error} />
      ) : plans.data.items.length === 0 ? (
        <p>{t('actionPlans.empty')}</p>
      ) : (
        <ScrollRegion label={t('actionPlans.title')}>
          <table className="table table--zebra kp-action-plans-table">
            <caption className="sr-only">{t('actionPlans.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('actionPlans.col.title')}</th>
                <th scope="col">{t('actionPlans.col.owner')}</th>
                <th scope="col">{t('actionPlans.col.period')}</th>
                <th scope="col">{t('actionPlans.col.focusAreas')}</th>
                <th scope="col" className="kp-num">
                  {t('actionPlans.col.initiatives')}
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/handleplaner/${p.id}`}>{p.title}</Link>
                  </td>
                  <td>{p.owner.name}</td>
                  <td className="kp-nowrap">
                    {d(p.periodStart)}–{d(p.periodEnd)}
                  </td>
                  <td>{p.focusAreas.join(', ')}</td>
                  <td className="kp-num">{n(p.initiativeCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}

/** A new plan of the caller's organisation, /handleplaner/ny; on success its page, heading focused. */
export function ActionPlanNewPage() {
  const { t } = useI18n();
  usePageTitle(t('actionPlans.new.title'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  return (
    <>
      <h1>{t('actionPlans.new.title')}</h1>
      <PlanForm
        onSaved={(plan) => {
          qc.setQueryData([...ACTION_PLANS_KEY, plan.id], plan);
          void qc.invalidateQueries({ queryKey: ACTION_PLANS_KEY, exact: true });
          void navigate(`/handleplaner/${plan.id}`, { state: focusHeading });
        }}
        onCancel={() => void navigate('/handleplaner')}
      />
    </>
  );
}
