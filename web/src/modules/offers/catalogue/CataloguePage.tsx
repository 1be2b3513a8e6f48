import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../../shared/components/Feedback.tsx';
import { usePublicMunicipalities } from '../../organisations/hooks.ts';
import { catalogueApi, type CatalogueFilters, type PublicOffer } from './api.ts';
import { CATALOGUE_PHASES, CATALOGUE_TARGET_GROUPS, CATALOGUE_THEMES, isOneOf } from './options.ts';
import { phaseLabel, priceLabel, targetGroupLabel, themeLabel } from './labels.ts';

const MUNICIPALITY_RE = /^[1-9]\d{2}$/;

/** The filters as the URL holds them; unknown values are dropped so that the API never sees them. */
function filtersFrom(params: URLSearchParams): Required<Omit<CatalogueFilters, 'page'>> & { page: number } {
  const theme = params.get('theme');
  const targetGroup = params.get('targetGroup');
  const phase = params.get('phase');
  const municipality = params.get('municipality')?.trim() ?? '';
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim().slice(0, 200) ?? '',
    theme: isOneOf(CATALOGUE_THEMES, theme) ? theme : '',
    targetGroup: isOneOf(CATALOGUE_TARGET_GROUPS, targetGroup) ? targetGroup : '',
    phase: isOneOf(CATALOGUE_PHASES, phase) ? phase : '',
    municipality: MUNICIPALITY_RE.test(municipality) ? municipality : '',
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

function toParams(f: CatalogueFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) out[k] = String(v);
  }
  return out;
}

export function CataloguePage() {
  const { t, n } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  usePageTitle(t('catalogue.title'));

  const results = useQuery({
    queryKey: ['public-offers', filters],
    queryFn: () => catalogueApi.search(filters),
    placeholderData: keepPreviousData,
  });

  const pageLink = (page: number) => `?${new URLSearchParams(toParams({ ...filters, page })).toString()}`;

  return (
    <div className="kp-catalogue">
      <h1>{t('catalogue.title')}</h1>
      <p className="font-lead">{t('catalogue.intro')}</p>

      {/* Remounted when the URL changes (back/forward), so the fields always show the search in the URL. */}
      <SearchForm key={params.toString()} initial={filters} onSearch={(f) => setParams(toParams({ ...f, page: 1 }))} />

      <section aria-labelledby="catalogue-results-heading" className="mt-7">
        <h2 id="catalogue-results-heading">{t('catalogue.results')}</h2>
        <div role="status" className="kp-catalogue-count">
          {results.data && <p>{results.data.total === 1 ? t('catalogue.countOne') : t('catalogue.count', { n: n(results.data.total) })}</p>}
        </div>
        {results.isPending && <Loading />}
        <ErrorAlert error={results.error} />
        {results.data && results.data.items.length === 0 && <p>{t('catalogue.none')}</p>}
        {results.data && results.data.items.length > 0 && (
          <ul className="kp-card-list kp-catalogue-results">
            {results.data.items.map((o) => (
              <OfferCard key={o.id} offer={o} />
            ))}
          </ul>
        )}
        {results.data && (filters.page > 1 || results.data.hasMore) && (
          <nav className="kp-pagination" aria-label={t('pagination.label')}>
            {filters.page > 1 ? <Link to={pageLink(filters.page - 1)}>{t('pagination.prev')}</Link> : <span className="kp-pagination-spacer" />}
            <span aria-current="page">
              {t('pagination.pageOf', { n: n(filters.page), m: n(Math.max(1, Math.ceil(results.data.total / results.data.pageSize))) })}
            </span>
            {results.data.hasMore ? <Link to={pageLink(filters.page + 1)}>{t('pagination.next')}</Link> : <span className="kp-pagination-spacer" />}
          </nav>
        )}
      </section>
    </div>
  );
}

function OfferCard({ offer }: { offer: PublicOffer }) {
  const { t } = useI18n();
  return (
    <li>
      <article className="kp-card kp-offer-card">
        <h3 className="kp-card-title">
          <Link to={`/tilbud/${encodeURIComponent(offer.id)}`}>{offer.title}</Link>
        </h3>
        <p className="kp-offer-operator">{t('catalogue.by', { name: offer.operator.name })}</p>
        <p>{offer.summary}</p>
        <p className="kp-badges">
          <span className={`badge ${offer.price === 'free' ? 'badge-success' : 'badge-info'}`}>{priceLabel(t, offer.price)}</span>
          {offer.themes.slice(0, 3).map((k) => (
            <span key={k} className="badge">
              {themeLabel(t, k)}
            </span>
          ))}
        </p>
      </article>
    </li>
  );
}

type FormFilters = Omit<CatalogueFilters, 'page'>;

function SearchForm({ initial, onSearch }: { initial: FormFilters; onSearch: (f: FormFilters) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState(initial.q ?? '');
  const [theme, setTheme] = useState(initial.theme ?? '');
  const [targetGroup, setTargetGroup] = useState(initial.targetGroup ?? '');
  const [phase, setPhase] = useState(initial.phase ?? '');
  const [municipality, setMunicipality] = useState(initial.municipality ?? '');
  const municipalities = usePublicMunicipalities();

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onSearch({ q: q.trim(), theme, targetGroup, phase, municipality });
  };

  return (
    <form role="search" aria-label={t('catalogue.filters')} onSubmit={onSubmit} noValidate className="kp-catalogue-form">
      <div className="form-group">
        <label className="form-label" htmlFor="catalogue-q">
          {t('catalogue.q')}
        </label>
        <span className="form-hint" id="catalogue-q-hint">
          {t('catalogue.qHint')}
        </span>
        <input
          id="catalogue-q"
          name="q"
          type="search"
          className="form-input input-width-xl"
          value={q}
          maxLength={200}
          onChange={(e) => setQ(e.target.value)}
          aria-describedby="catalogue-q-hint"
        />
      </div>
      <div className="kp-catalogue-filters">
        <div className="form-group">
          <label className="form-label" htmlFor="catalogue-theme">
            {t('catalogue.theme')}
          </label>
          <select id="catalogue-theme" name="theme" className="form-select" value={theme} onChange={(e) => setTheme(e.target.value)}>
            <option value="">{t('catalogue.all')}</option>
            {CATALOGUE_THEMES.map((k) => (
              <option key={k} value={k}>
                {themeLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="catalogue-target">
            {t('catalogue.targetGroup')}
          </label>
          <select id="catalogue-target" name="targetGroup" className="form-select" value={targetGroup} onChange={(e) => setTargetGroup(e.target.value)}>
            <option value="">{t('catalogue.all')}</option>
            {CATALOGUE_TARGET_GROUPS.map((k) => (
              <option key={k} value={k}>
                {targetGroupLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="catalogue-phase">
            {t('catalogue.phase')}
          </label>
          <select id="catalogue-phase" name="phase" className="form-select" value={phase} onChange={(e) => setPhase(e.target.value)}>
            <option value="">{t('catalogue.all')}</option>
            {CATALOGUE_PHASES.map((k) => (
              <option key={k} value={k}>
                {phaseLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="catalogue-municipality">
            {t('catalogue.municipality')}
          </label>
          <span className="form-hint" id="catalogue-municipality-hint">
            {t('catalogue.municipalityHint')}
          </span>
          <select
            id="catalogue-municipality"
            name="municipality"
            className="form-select"
            value={municipality}
            onChange={(e) => setMunicipality(e.target.value)}
            aria-describedby="catalogue-municipality-hint"
          >
            <option value="">{t('catalogue.allMunicipalities')}</option>
            {/* A code from a shared link stays choosable while the list loads. */}
            {municipality && !municipalities.data?.some((m) => String(m.code) === municipality) && <option value={municipality}>{municipality}</option>}
            {(municipalities.data ?? []).map((m) => (
              <option key={m.code} value={String(m.code)}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="kp-button-row mt-5">
        <button type="submit" className="button button-primary">
          {t('catalogue.submit')}
        </button>
        <Link to="/tilbud" className="button button-secondary">
          {t('catalogue.reset')}
        </Link>
      </div>
    </form>
  );
}
