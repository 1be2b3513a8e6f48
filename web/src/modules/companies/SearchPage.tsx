import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useMunicipalities } from '../organisations/hooks.ts';
import { companiesApi, type CompanySearchResult } from './api.ts';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { SavedFilters } from '../../shared/components/SavedFilters.tsx';

const PAGE_SIZE = 20;

function toPage(v: string | null): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function SearchPage() {
  const { t } = useI18n();
  usePageTitle(t('search.title'));
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const municipality = params.get('municipality') ?? '';
  const industry = params.get('industry') ?? '';
  const page = toPage(params.get('page'));

  const search = useQuery({
    queryKey: ['companies', { q, municipality, industry, page }],
    queryFn: () => companiesApi.search({ q, municipality, industry, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const fe = fieldErrorsOf(search.error);

  return (
    <>
      <h1>{t('search.title')}</h1>
      <SearchForm key={`${q}|${municipality}|${industry}`} q={q} municipality={municipality} industry={industry} fieldErrors={fe} />
      <SavedFilters list="companies" />

      <section aria-labelledby="results-heading" className="mt-7">
        <h2 id="results-heading">{t('search.results')}</h2>
        {search.isPending && <Loading />}
        <ErrorAlert error={search.error} />
        {search.data && <Results data={search.data} params={params} busy={search.isFetching} />}
      </section>
    </>
  );
}

interface SearchFormProps {
  q: string;
  municipality: string;
  industry: string;
  fieldErrors: Record<string, string>;
}

/** The search form; remounted (keyed) whenever the URL query changes, so back/forward and reload restore it. */
function SearchForm({ q, municipality, industry, fieldErrors: fe }: SearchFormProps) {
  const { t } = useI18n();
  const [, setParams] = useSearchParams();
  const municipalities = useMunicipalities();
  const [qInput, setQInput] = useState(q);
  const [munInput, setMunInput] = useState(municipality);
  const [indInput, setIndInput] = useState(industry);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (qInput.trim()) next.set('q', qInput.trim());
    if (munInput) next.set('municipality', munInput);
    if (indInput.trim()) next.set('industry', indInput.trim());
    setParams(next);
  };

  return (
      <form role="search" onSubmit={onSubmit} className="kp-search-form" aria-label={t('search.title')}>
        <Field id="search-q" label={t('search.query')} error={fe.q}>
          {(describedBy) => (
            <input
              id="search-q"
              name="q"
              type="search"
              className="form-input input-width-xl"
              value={qInput}
              onChange={(e) => setQInput(e.target.value)}
              aria-describedby={describedBy}
              autoComplete="off"
            />
          )}
        </Field>
        <div className="kp-filter-row">
          <Field id="search-municipality" label={t('search.municipality')} error={fe.municipality}>
            {(describedBy) => (
              <select
                id="search-municipality"
                name="municipality"
                className="form-select"
                value={munInput}
                onChange={(e) => setMunInput(e.target.value)}
                aria-describedby={describedBy}
              >
                <option value="">{t('common.all')}</option>
                {(municipalities.data ?? []).map((m) => (
                  <option key={m.code} value={String(m.code)}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="search-industry" label={t('search.industry')} hint={t('search.industryHint')} error={fe.industry}>
            {(describedBy) => (
              <input
                id="search-industry"
                name="industry"
                type="text"
                inputMode="numeric"
                className="form-input input-width-s"
                value={indInput}
                onChange={(e) => setIndInput(e.target.value)}
                aria-describedby={describedBy}
              />
            )}
          </Field>
        </div>
        <div className="button-row mt-5">
          <button type="submit" className="button button-primary">
            {t('search.submit')}
          </button>
          {(q || municipality || industry) && (
            <Link to="/" className="button button-secondary">
              {t('search.reset')}
            </Link>
          )}
        </div>
      </form>
  );
}

function Results({ data, params, busy }: { data: CompanySearchResult; params: URLSearchParams; busy: boolean }) {
  const { t, n, status } = useI18n();
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params);
    if (p <= 1) next.delete('page');
    else next.set('page', String(p));
    const s = next.toString();
    return s ? `/?${s}` : '/';
  };
  const countText = data.totalCapped
    ? t('search.countCapped', { n: n(data.total) })
    : data.total === 1
      ? t('search.countOne')
      : t('search.count', { n: n(data.total) });
  const totalPages = data.totalCapped ? null : Math.max(1, Math.ceil(data.total / data.pageSize));
  const hasNext = data.hasMore || (totalPages !== null && data.page < totalPages);
  const hasPrev = data.page > 1;

  return (
    <div aria-busy={busy}>
      <p className="kp-count" role="status">
        <strong>{countText}</strong>
      </p>
      {data.items.length === 0 ? (
        <p>{t('search.noResults')}</p>
      ) : (
        <ScrollRegion>
          <table className="table table--zebra kp-results">
            <caption className="sr-only">{t('search.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.cvr')}</th>
                <th scope="col">{t('col.name')}</th>
                <th scope="col">{t('col.municipality')}</th>
                <th scope="col">{t('col.industry')}</th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col" className="text-align-right">{t('col.employees')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.cvr}>
                  <td>{c.cvr}</td>
                  <td>
                    <Link to={`/virksomheder/${c.cvr}`}>{c.name}</Link>
                    {c.advertisingProtected && (
                      <>
                        {' '}
                        <span className="badge badge-small">{t('company.advertisingProtected')}</span>
                      </>
                    )}
                  </td>
                  <td>{c.municipality?.name ?? t('common.none')}</td>
                  <td>{c.industry ? `${c.industry.code} ${c.industry.text}` : t('common.none')}</td>
                  <td>{status(c.status, { since: c.statusSince, ceased: c.ceased })}</td>
                  <td className="text-align-right">{c.employees === null ? t('common.none') : n(c.employees)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {(hasPrev || hasNext) && (
        <nav className="pagination kp-pagination" aria-label={t('pagination.label')}>
          {hasPrev ? (
            <Link to={pageHref(data.page - 1)} className="button button-arrow button-previous">
              <span className="pagination-nav-link">{t('pagination.prev')}</span>
            </Link>
          ) : (
            <span className="kp-pagination-spacer" />
          )}
          <span className="kp-pagination-current">
            {totalPages ? t('pagination.pageOf', { n: n(data.page), m: n(totalPages) }) : t('pagination.page', { n: n(data.page) })}
          </span>
          {hasNext ? (
            <Link to={pageHref(data.page + 1)} className="button button-arrow button-next">
              <span className="pagination-nav-link">{t('pagination.next')}</span>
            </Link>
          ) : (
            <span className="kp-pagination-spacer" />
          )}
        </nav>
      )}
    </div>
  );
}
