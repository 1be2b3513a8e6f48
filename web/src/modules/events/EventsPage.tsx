import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { UrlSelectFilter } from '../../shared/components/UrlSelectFilter.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { isUuid } from '../../shared/hooks/useListParams.ts';
import { EVENT_KINDS, eventPath, eventsApi } from './api.ts';
import { EventWhen, kindLabel } from './components.tsx';
import './events.css';

const isKind = (v: string | null): v is (typeof EVENT_KINDS)[number] => !!v && (EVENT_KINDS as readonly string[]).includes(v);

/** "Arrangementer": upcoming or past events of every organisation, by kind: /arrangementer. */
export function EventsPage() {
  const { t, n } = useI18n();
  usePageTitle(t('events.title'));
  const abilities = useSession().data?.abilities;
  const [params] = useSearchParams();
  const when = params.get('hvornaar') === 'tidligere' ? 'past' : 'upcoming';
  const kindParam = params.get('type');
  const kind = isKind(kindParam) ? kindParam : '';
  const seriesParam = params.get('serie');
  const series = isUuid(seriesParam) ? seriesParam : undefined;
  const { page, href } = usePageParam();
  // A network's events are shown whether past or upcoming.
  const list = useQuery({
    queryKey: ['events', 'list', when, kind, series, page],
    queryFn: () => eventsApi.list({ when: series ? 'all' : when, kind: kind || undefined, series, page }),
  });

  if (!abilities) return <Loading />;
  return (
    <>
      <h1>{t('events.title')}</h1>
      <p>{t('events.intro')}</p>
      <div className="kp-events-actions">
        {abilities.create.event && (
          <Link to="/arrangementer/nyt" className="button button-primary">
            {t('events.create')}
          </Link>
        )}
        <Link to="/arrangementer/kalender">{t('events.publicCalendar')}</Link>
        <Link to="/arrangementer/netvaerk">{t('series.title')}</Link>
      </div>
      <div className="kp-events-filters">
        <UrlSelectFilter
          param="hvornaar"
          value={when === 'past' ? 'tidligere' : ''}
          id="events-when"
          label={t('events.filterWhen')}
          formLabel={t('events.filterWhenLabel')}
          submitLabel={t('events.filter')}
          options={[
            { value: '', label: t('events.upcoming') },
            { value: 'tidligere', label: t('events.past') },
          ]}
          className="kp-events-filter-when"
        />
        <UrlSelectFilter
          param="type"
          value={kind}
          id="events-kind"
          label={t('events.filterKind')}
          formLabel={t('events.filterKindLabel')}
          submitLabel={t('events.filter')}
          options={[{ value: '', label: t('common.all') }, ...EVENT_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))]}
          className="kp-events-filter-kind"
        />
      </div>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data && (
        <>
          <p className="kp-count" role="status">
            {list.data.items.length === 0 ? t('events.empty') : t('events.count', { n: n(list.data.items.length) })}
          </p>
          {list.data.items.length > 0 && (
            <ScrollRegion>
              <table className="table table--compact kp-events-table">
                <caption className="sr-only">{when === 'past' ? t('events.past') : t('events.upcoming')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('events.col.title')}</th>
                    <th scope="col">{t('events.col.kind')}</th>
                    <th scope="col">{t('events.col.when')}</th>
                    <th scope="col">{t('events.col.organiser')}</th>
                    <th scope="col">{t('events.col.participants')}</th>
                    <th scope="col">{t('events.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((e) => (
                    <tr key={e.id}>
                      <th scope="row">
                        <Link to={eventPath(e.id)}>{e.title}</Link>
                      </th>
                      <td>{kindLabel(t, e.kind)}</td>
                      <td>
                        <EventWhen startsAt={e.startsAt} endsAt={e.endsAt} />
                      </td>
                      <td>{e.organiser.name}</td>
                      <td>{e.capacity === null ? n(e.counts.registered) : t('events.seats', { n: n(e.counts.registered), of: n(e.capacity) })}</td>
                      <td>{e.status === 'cancelled' ? t('events.status.cancelled') : e.held ? t('events.status.held') : t('events.status.planned')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          <Pager page={page} hasMore={list.data.hasMore} href={href} />
        </>
      )}
    </>
  );
}
