import { Link, useSearchParams } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { UrlSelectFilter } from '../../shared/components/UrlSelectFilter.tsx';
import { isOneOf } from './catalogue/options.ts';
import { themeLabel } from './catalogue/labels.ts';
import { OFFER_STATUSES, type Offer, type OfferStatus } from './api.ts';
import { CatalogueLink, NoAccess, ReadOnly, StatusTag, useOffers, type T } from './shared.tsx';
import './offers.css';

/** The operator's offers, every status: /vores-tilbud. */

function toStatus(v: string | null): OfferStatus | '' {
  return isOneOf(OFFER_STATUSES, v) ? v : '';
}

export function OffersPage() {
  const { t } = useI18n();
  usePageTitle(t('offers.title'));
  const abilities = useSession().data?.abilities;
  const [params] = useSearchParams();
  const status = toStatus(params.get('status'));

  if (!abilities) return <Loading />;
  return (
    <>
      <h1>{t('offers.title')}</h1>
      {abilities.sections.offers ? (
        <>
          <p className="kp-offers-intro">{t('offers.intro')}</p>
          <p className="kp-offers-intro">{t('offers.introPublic')}</p>
          {abilities.create.offer ? (
            <p>
              <Link to="/vores-tilbud/ny" className="button button-primary kp-offers-create">
                {t('offers.create')}
              </Link>
            </p>
          ) : (
            <ReadOnly />
          )}
          <UrlSelectFilter
            param="status"
            value={status}
            id="offers-status"
            label={t('offers.filterStatus')}
            formLabel={t('offers.filterLabel')}
            submitLabel={t('offers.filter')}
            options={[...OFFER_STATUSES.map((s) => ({ value: s, label: t(`offers.filter.${s}`) })), { value: '', label: t('offers.filter.all') }]}
            className="kp-offers-filter mt-5"
          />
          <OfferList status={status} />
        </>
      ) : (
        <NoAccess />
      )}
    </>
  );
}

function countText(t: T, n: (v: number) => string, count: number, status: OfferStatus | ''): string {
  if (count === 0) return status ? t('offers.emptyStatus') : t('offers.empty');
  return count === 1 ? t('offers.countOne') : t('offers.count', { n: n(count) });
}

function OfferList({ status }: { status: OfferStatus | '' }) {
  const { t, n } = useI18n();
  const offers = useOffers();
  if (offers.isPending) return <Loading />;
  if (offers.isError) return <ErrorAlert error={offers.error} />;
  const items = offers.data.items.filter((o) => !status || o.status === status);
  return (
    <>
      <p className="kp-count kp-offers-count" role="status">
        {countText(t, n, items.length, status)}
      </p>
      {items.length > 0 && <OfferTable items={items} />}
    </>
  );
}

/** A dkfds table that turns into one block per offer below 768 px (the headers move into `data-title`). */
function OfferTable({ items }: { items: Offer[] }) {
  const { t, d } = useI18n();
  return (
    <table className="table table--responsive-headers kp-offers-table">
      <caption className="sr-only">{t('offers.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('offers.col.title')}</th>
          <th scope="col">{t('offers.status')}</th>
          <th scope="col">{t('offers.col.themes')}</th>
          <th scope="col">{t('offers.col.updated')}</th>
          <th scope="col">{t('offers.col.catalogue')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((o) => (
          <tr key={o.id} className="kp-offers-row">
            <th scope="row" data-title={t('offers.col.title')}>
              <Link to={`/vores-tilbud/${o.id}`}>{o.title}</Link>
            </th>
            <td data-title={t('offers.status')}>
              <StatusTag status={o.status} />
            </td>
            <td data-title={t('offers.col.themes')}>{o.themes.length ? o.themes.map((k) => themeLabel(t, k)).join(', ') : t('common.none')}</td>
            <td data-title={t('offers.col.updated')} className="kp-offers-updated">
              {d(o.updatedAt)}
            </td>
            <td data-title={t('offers.col.catalogue')}>
              {o.status === 'published' ? <CatalogueLink offer={o} /> : t('offers.notInCatalogue')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
