import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { CompanyCrm } from './CompanyCrm.tsx';
import { TasksSection } from '../tasks/TaskList.tsx';
import { CooperationSection } from '../matchmaking/CooperationSection.tsx';
import { companiesApi, type Company } from './api.ts';
import { ScrollRegion } from '../../shared/components/ui.tsx';

export function CompanyPage() {
  const { t } = useI18n();
  const { cvr = '' } = useParams();
  const company = useQuery({
    queryKey: ['company', cvr],
    queryFn: () => companiesApi.company(cvr),
  });
  const notFound = company.error instanceof ApiError && company.error.status === 404;
  usePageTitle(company.data?.name ?? (notFound ? t('company.notFound') : t('company.title')));

  if (company.isPending) return <Loading />;
  if (notFound) {
    return (
      <>
        <h1>{t('company.notFound')}</h1>
        <p>{t('company.notFoundText', { cvr })}</p>
        <p>
          <Link to="/">{t('company.back')}</Link>
        </p>
      </>
    );
  }
  if (company.isError) {
    return (
      <>
        <h1>{t('company.title')}</h1>
        <ErrorAlert error={company.error} />
      </>
    );
  }
  return <CompanyView c={company.data} />;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kp-dl-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function CompanyView({ c }: { c: Company }) {
  const { t, n, d, status } = useI18n();
  const none = t('common.none');
  const emp = c.employees;
  return (
    <>
      <p className="kp-back">
        <Link to="/" className="back-link">
          {t('company.back')}
        </Link>
      </p>
      <h1 className="kp-company-name">{c.name}</h1>
      {c.advertisingProtected && (
        <p>
          <span className="badge badge-warning kp-badge">{t('company.advertisingProtected')}</span>
        </p>
      )}
      <section aria-labelledby="company-details">
        <h2 id="company-details">{t('company.details')}</h2>
        <dl className="kp-dl">
          <Row label={t('company.cvr')}>{c.cvr}</Row>
          <Row label={t('company.secondaryNames')}>
            {c.secondaryNames.length === 0 ? (
              none
            ) : (
              <ul className="kp-plain-list">
                {c.secondaryNames.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            )}
          </Row>
          <Row label={t('company.form')}>{c.companyForm ? c.companyForm.long || c.companyForm.short : none}</Row>
          <Row label={t('company.address')}>{c.address?.text || none}</Row>
          <Row label={t('company.municipality')}>{c.municipality ? `${c.municipality.name} (${c.municipality.code})` : none}</Row>
          <Row label={t('company.industry')}>{c.industry ? `${c.industry.code} ${c.industry.text}` : none}</Row>
          <Row label={t('company.status')}>{status(c.status, { since: c.statusSince, ceased: c.ceased })}</Row>
          <Row label={t('company.foundedOn')}>{c.foundedOn ? d(c.foundedOn) : none}</Row>
          <Row label={t('company.employees')}>
            {emp && emp.count !== null
              ? emp.interval || emp.period
                ? t('company.employeesValue', { count: n(emp.count), interval: emp.interval ?? none, period: emp.period ?? none })
                : n(emp.count)
              : emp?.interval || none}
          </Row>
          <Row label={t('company.advertisingProtected')}>{c.advertisingProtected ? t('common.yes') : t('common.no')}</Row>
          <Row label={t('company.source')}>{c.source === 'manual' ? t('company.sourceManual') : t('company.sourceCvr')}</Row>
          {c.updatedAt && <Row label={t('company.updatedAt')}>{d(c.updatedAt)}</Row>}
        </dl>
      </section>
      <CompanyCrm cvr={c.cvr} abilities={c.abilities} />
      {c.abilities.readCrm && <TasksSection companyCvr={c.cvr} />}
      {c.abilities.readCrm && <CooperationSection cvr={c.cvr} />}
      {c.abilities.sendCases && (
        <p className="mt-5">
          <Link to={`/gode-historier/send?cvr=${c.cvr}`} className="button button-secondary">
            {t('company.sendCases')}
          </Link>
        </p>
      )}
      <section aria-labelledby="company-units" className="mt-7">
        <h2 id="company-units">{t('company.units')}</h2>
        {c.productionUnits.length === 0 ? (
          <p>{t('company.noUnits')}</p>
        ) : (
          <ScrollRegion>
            <table className="table table--zebra kp-units">
              <caption className="sr-only">{t('company.unitsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('unit.pNumber')}</th>
                  <th scope="col">{t('unit.from')}</th>
                  <th scope="col">{t('unit.to')}</th>
                  <th scope="col">{t('unit.active')}</th>
                </tr>
              </thead>
              <tbody>
                {c.productionUnits.map((u) => (
                  <tr key={u.pNumber}>
                    <td>{u.pNumber}</td>
                    <td>{u.validFrom ? d(u.validFrom) : none}</td>
                    <td>{u.validTo ? d(u.validTo) : none}</td>
                    <td>{u.active ? t('common.yes') : t('common.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </>
  );
}
