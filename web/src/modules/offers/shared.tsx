import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n, type MessageKey, type TParams } from '../../shared/i18n.tsx';
import { OFFERS_KEY, offersApi, type Offer, type OfferStatus } from './api.ts';

/**
 * What the offers pages share: the list query and small status pieces. Who may open the pages and
 * edit offers comes from the server (`abilities.sections.offers`, `abilities.create.offer`, `offer.abilities.manage`).
 */
export type T = (key: MessageKey, params?: TParams) => string;

export function useOffers(enabled = true) {
  return useQuery({ queryKey: OFFERS_KEY, queryFn: offersApi.list, enabled });
}

export function NoAccess() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-offers-no-access">
      <div className="alert-body">
        <p className="alert-heading">
          <strong>{t('offers.noAccessTitle')}</strong>
        </p>
        <p className="alert-text">{t('offers.noAccessText')}</p>
      </div>
    </div>
  );
}

export function ReadOnly() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-offers-read-only">
      <div className="alert-body">
        <p className="alert-text">{t('offers.readOnly')}</p>
      </div>
    </div>
  );
}

const statusBadgeClass: Record<OfferStatus, string> = { draft: 'badge-info', published: 'badge-success', archived: '' };

export function StatusTag({ status }: { status: OfferStatus }) {
  const { t } = useI18n();
  return <span className={`badge kp-badge kp-offer-status ${statusBadgeClass[status]}`}>{t(`offers.status.${status}`)}</span>;
}

export function CatalogueLink({ offer }: { offer: Offer }) {
  const { t } = useI18n();
  return (
    <Link to={`/tilbud/${offer.id}`} className="kp-offer-catalogue-link">
      {t('offers.seeInCatalogue')}
      <span className="sr-only">: {offer.title}</span>
    </Link>
  );
}
