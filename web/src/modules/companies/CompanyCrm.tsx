import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { engagementsApi, type Engagement } from '../engagements/api.ts';
import { activitiesApi } from '../activities/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { useThemeName } from '../organisations/hooks.ts';
import { ErrorAlert, Loading } from '../../shared/components/Feedback.tsx';
import { Disclosure, isForbiddenOrHidden, Tabs, ScrollRegion } from '../../shared/components/ui.tsx';
import { ActivityForm } from '../activities/ActivityForm.tsx';
import { EngagementLink, EngagementStatusBadge } from '../engagements/components.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { ConsentsPanel } from '../consents/ConsentsPanel.tsx';
import { ContactsPanel } from '../contacts/ContactsPanel.tsx';
import { useCompanyContacts } from '../contacts/api.ts';
import { companiesApi, type CompanyAbilities } from './api.ts';
import { timelineKey, timelineRow } from './timelineText.ts';

const TAB_IDS = ['tidslinje', 'forloeb', 'kontakter', 'samtykker'] as const;

/** Shared-CRM sections of the company page: timeline, engagements, contacts and consents, with the actions the server allows. */
export function CompanyCrm({ cvr, abilities }: { cvr: string; abilities: CompanyAbilities }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('fane') ?? TAB_IDS[0];

  if (!abilities.readCrm) {
    return (
      <section aria-labelledby="company-crm" className="mt-7">
        <h2 id="company-crm">{t('crm.title')}</h2>
        <AggregateOnlyNote />
      </section>
    );
  }

  const select = (id: string) => {
    const next = new URLSearchParams(params);
    if (id === TAB_IDS[0]) next.delete('fane');
    else next.set('fane', id);
    setParams(next, { replace: true });
  };

  return (
    <section aria-labelledby="company-crm" className="mt-7 kp-crm">
      <h2 id="company-crm">{t('crm.title')}</h2>
      <Tabs
        label={t('crm.tabsLabel')}
        selected={tab}
        onSelect={select}
        tabs={[
          { id: 'tidslinje', label: t('tabs.timeline'), content: <TimelinePanel cvr={cvr} canLogActivity={abilities.logActivity} /> },
          { id: 'forloeb', label: t('tabs.engagements'), content: <EngagementsPanel cvr={cvr} canCreate={abilities.createEngagement} /> },
          { id: 'kontakter', label: t('tabs.contacts'), content: <ContactsPanel cvr={cvr} canAdd={abilities.addContact} /> },
          { id: 'samtykker', label: t('tabs.consents'), content: <ConsentsPanel cvr={cvr} canRecord={abilities.recordConsent} /> },
        ]}
      />
    </section>
  );
}

function TimelinePanel({ cvr, canLogActivity }: { cvr: string; canLogActivity: boolean }) {
  const { t, d } = useI18n();
  const timeline = useQuery({ queryKey: ['company', cvr, 'timeline'], queryFn: () => companiesApi.timeline(cvr) });
  const contacts = useCompanyContacts(cvr, canLogActivity);
  const none = t('common.none');
  if (timeline.isPending) return <Loading />;
  if (isForbiddenOrHidden(timeline.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.timeline')}</h3>
      <p>{t('timeline.intro')}</p>
      <ErrorAlert error={timeline.error} />
      {canLogActivity && (
        <Disclosure summary={t('activity.registerCompany')} className="kp-company-activity">
          <ActivityForm
            idPrefix="company-activity"
            contacts={contacts.data?.items ?? []}
            submit={(input) => activitiesApi.addToCompany(cvr, input)}
            invalidate={[['company', cvr, 'timeline']]}
          />
        </Disclosure>
      )}
      {timeline.data &&
        (timeline.data.items.length === 0 ? (
          <p>{t('timeline.empty')}</p>
        ) : (
          <ScrollRegion>
            <table className="table table--zebra kp-timeline">
              <caption className="sr-only">{t('timeline.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('col.date')}</th>
                  <th scope="col">{t('col.kind')}</th>
                  <th scope="col">{t('col.organisation')}</th>
                  <th scope="col">{t('col.title')}</th>
                  <th scope="col">{t('col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {timeline.data.items.map((item) => {
                  const row = timelineRow(item, t);
                  return (
                    <tr key={timelineKey(item)} data-kind={item.kind}>
                      <td className="kp-nowrap">{d(item.date)}</td>
                      <td>{row.kind}</td>
                      <td>{row.organisation}</td>
                      <td>{row.href ? <Link to={row.href}>{row.title}</Link> : row.title}</td>
                      <td>{row.detail ? <span className="kp-pre">{row.detail}</span> : none}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        ))}
    </>
  );
}

/** A short, descriptive link text for an engagement. */
export function engagementLabel(e: Engagement, fallback: string): string {
  const text = e.description.trim() || e.deliveryCategory?.name || fallback;
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

function EngagementsPanel({ cvr, canCreate }: { cvr: string; canCreate: boolean }) {
  const { t, d } = useI18n();
  const themeName = useThemeName();
  const engagements = useQuery({ queryKey: ['company', cvr, 'engagements'], queryFn: () => engagementsApi.ofCompany(cvr) });
  const none = t('common.none');
  if (engagements.isPending) return <Loading />;
  if (isForbiddenOrHidden(engagements.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.engagements')}</h3>
      {canCreate && (
        <p>
          <Link to={`/forloeb/nyt?cvr=${encodeURIComponent(cvr)}`} className="button button-primary kp-create-engagement">
            {t('engagements.create')}
          </Link>
        </p>
      )}
      <ErrorAlert error={engagements.error} />
      {engagements.data &&
        (engagements.data.items.length === 0 ? (
          <p>{t('engagements.empty')}</p>
        ) : (
          <ScrollRegion>
            <table className="table table--zebra kp-engagements">
              <caption className="sr-only">{t('engagements.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('engagements.col')}</th>
                  <th scope="col">{t('engagement.openedOn')}</th>
                  <th scope="col">{t('engagement.status')}</th>
                  <th scope="col">{t('engagement.organisation')}</th>
                  <th scope="col">{t('engagement.responsible')}</th>
                  <th scope="col">{t('engagement.category')}</th>
                  <th scope="col">{t('engagement.themes')}</th>
                </tr>
              </thead>
              <tbody>
                {engagements.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <EngagementLink id={e.id} label={engagementLabel(e, t('engagements.open'))} confidential={e.confidential} />
                    </td>
                    <td className="kp-nowrap">{d(e.openedOn)}</td>
                    <td>
                      <EngagementStatusBadge status={e.status} />
                    </td>
                    <td>{e.organisation.name}</td>
                    <td>{e.responsible.name}</td>
                    <td>{e.deliveryCategory?.name ?? none}</td>
                    <td>{e.themes.length ? e.themes.map(themeName).join(', ') : none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ))}
    </>
  );
}
