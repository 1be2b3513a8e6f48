import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useI18n } from '../../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../../shared/components/Feedback.tsx';
import type { PublicOffer } from './api.ts';
import { usePublicMunicipalities } from '../../organisations/hooks.ts';
import { usePublicOffer } from './hooks.ts';
import { formatLabel, phaseLabel, priceLabel, targetGroupLabel, themeLabel } from './labels.ts';
import { OfferCases } from '../../cases/OfferCases.tsx';

function safeLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const u = new URL(link);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="kp-back">
      <Link to="/tilbud" className="back-link">
        {t('catalogue.back')}
      </Link>
    </p>
  );
}

export function CatalogueOfferPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const offer = usePublicOffer(id);
  usePageTitle(offer.data ? offer.data.title : offer.data === null ? t('catalogue.notFoundTitle') : t('catalogue.title'));

  if (offer.isPending) return <Loading />;
  if (offer.isError) return <ErrorAlert error={offer.error} />;
  if (!offer.data) {
    return (
      <div className="kp-offer kp-offer-not-found">
        <BackLink />
        <h1>{t('catalogue.notFoundTitle')}</h1>
        <div className="alert alert-info my-5">
          <div className="alert-body">
            <p className="alert-text">{t('catalogue.notFoundText')}</p>
          </div>
        </div>
      </div>
    );
  }
  return <OfferView offer={offer.data} />;
}

function Tags({ items, label }: { items: string[]; label: (k: string) => string }) {
  if (items.length === 0) return <>–</>;
  return (
    <ul className="nobullet-list kp-badges kp-tag-list" style={{ margin: 0, maxWidth: 'none' }}>
      {items.map((k) => (
        <li key={k} className="badge">
          {label(k)}
        </li>
      ))}
    </ul>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function OfferView({ offer: o }: { offer: PublicOffer }) {
  const { t, d } = useI18n();
  const municipalities = usePublicMunicipalities();
  const municipalityName = (code: number) => municipalities.data?.find((m) => m.code === code)?.name ?? String(code);
  const paragraphs = o.description
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const link = safeLink(o.link);
  const period =
    o.periodStart && o.periodEnd
      ? `${d(o.periodStart)} – ${d(o.periodEnd)}`
      : o.periodStart
        ? t('catalogue.periodFrom', { from: d(o.periodStart) })
        : o.periodEnd
          ? t('catalogue.periodTo', { to: d(o.periodEnd) })
          : t('catalogue.periodOpen');

  return (
    <article className="kp-offer">
      <BackLink />
      <h1 className="kp-offer-title">{o.title}</h1>
      <p className="kp-offer-operator">{t('catalogue.by', { name: o.operator.name })}</p>
      <p className="font-lead">{o.summary}</p>

      {paragraphs.length > 0 && (
        <section aria-labelledby="offer-description">
          <h2 id="offer-description">{t('catalogue.description')}</h2>
          {paragraphs.map((p, i) => (
            <p key={i} className="kp-pre">
              {p}
            </p>
          ))}
        </section>
      )}

      <section aria-labelledby="offer-details">
        <h2 id="offer-details">{t('catalogue.details')}</h2>
        <dl className="kp-dl kp-offer-dl">
          <Row label={t('catalogue.themes')}>
            <Tags items={o.themes} label={(k) => themeLabel(t, k)} />
          </Row>
          <Row label={t('catalogue.targetGroups')}>
            <Tags items={o.targetGroups} label={(k) => targetGroupLabel(t, k)} />
          </Row>
          <Row label={t('catalogue.phases')}>
            <Tags items={o.phases} label={(k) => phaseLabel(t, k)} />
          </Row>
          <Row label={t('catalogue.format')}>{formatLabel(t, o.format)}</Row>
          <Row label={t('catalogue.price')}>{priceLabel(t, o.price)}</Row>
          {o.funding && <Row label={t('catalogue.funding')}>{o.funding}</Row>}
          <Row label={t('catalogue.period')}>{period}</Row>
          <Row label={t('catalogue.municipalities')}>
            {o.municipalityCodes.length === 0 ? t('catalogue.wholeCountry') : o.municipalityCodes.map((c) => municipalityName(c)).join(', ')}
          </Row>
          {(o.contactName || o.contactEmail) && (
            <Row label={t('catalogue.contact')}>
              {o.contactName}
              {o.contactName && o.contactEmail && <br />}
              {o.contactEmail && <a href={`mailto:${o.contactEmail}`} style={{ overflowWrap: 'anywhere' }}>{o.contactEmail}</a>}
            </Row>
          )}
        </dl>
      </section>

      <div className="kp-button-row mt-7">
        {link && (
          <a href={link} target="_blank" rel="noopener noreferrer" className="button button-primary kp-offer-link">
            {t('catalogue.link')} <span className="sr-only">{t('catalogue.linkNewWindow')}</span>
          </a>
        )}
        <Link to={`/faa-vejledning?tilbud=${encodeURIComponent(o.id)}`} className="button button-secondary kp-offer-guidance">
          {t('guidance.offerLink')}
        </Link>
      </div>
      <OfferCases offerId={o.id} />
    </article>
  );
}
