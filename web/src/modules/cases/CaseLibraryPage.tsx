import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { usePublicMunicipalities } from '../organisations/hooks.ts';
import { libraryApi, type LibraryFilters, type PublicCase } from './api.ts';
import { CASE_BENEFITS, CASE_INDUSTRIES, CASE_JOB_CONTENTS, CASE_REGIONS, CASE_SIZES, isOneOf } from './options.ts';
import { benefitLabel, industryLabel, jobContentLabel, regionLabel, sizeLabel } from './labels.ts';
import './cases.css';

const MUNICIPALITY_RE = /^[1-9]\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Filters = Required<Omit<LibraryFilters, 'page'>> & { page: number };

/** The filters as the URL holds them (a shareable search); unknown values are dropped so that the API never sees them. */
function filtersFrom(params: URLSearchParams): Filters {
  const pick = <T extends string>(list: readonly T[], key: string) => {
    const v = params.get(key);
    return isOneOf(list, v) ? v : '';
  };
  const municipality = params.get('municipality')?.trim() ?? '';
  const offer = params.get('offer')?.trim() ?? '';
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim().slice(0, 200) ?? '',
    industry: pick(CASE_INDUSTRIES, 'industry'),
    region: pick(CASE_REGIONS, 'region'),
    municipality: MUNICIPALITY_RE.test(municipality) ? municipality : '',
    jobContent: pick(CASE_JOB_CONTENTS, 'jobContent'),
    companySize: pick(CASE_SIZES, 'companySize'),
    benefit: pick(CASE_BENEFITS, 'benefit'),
    offer: UUID_RE.test(offer) ? offer : '',
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

function toParams(f: LibraryFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) out[k] = String(v);
  return out;
}

/** The public library of case stories: /historier, no sign-in. */
export function CaseLibraryPage() {
  const { t, n } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  usePageTitle(t('cases.library.title'));
  const results = useQuery({ queryKey: ['public-cases', filters], queryFn: () => libraryApi.search(filters), placeholderData: keepPreviousData });
  const pageLink = (page: number) => `?${new URLSearchParams(toParams({ ...filters, page })).toString()}`;

  return (
    <div className="kp-catalogue kp-cases-library">
      <h1>{t('cases.library.title')}</h1>
      <p className="font-lead">{t('cases.library.intro')}</p>
      <SearchForm key={params.toString()} initial={filters} onSearch={(f) => setParams(toParams({ ...f, offer: filters.offer, page: 1 }))} />
      <section aria-labelledby="cases-results-heading" className="mt-7">
        <h2 id="cases-results-heading">{t('cases.library.results')}</h2>
        <div role="status" className="kp-cases-count">
          {results.data && <p>{results.data.total === 1 ? t('cases.library.countOne') : t('cases.library.count', { n: n(results.data.total) })}</p>}
        </div>
        {results.isPending && <Loading />}
        <ErrorAlert error={results.error} />
        {results.data && results.data.items.length === 0 && <p>{t('cases.library.none')}</p>}
        {results.data && results.data.items.length > 0 && (
          <ul className="kp-card-list kp-cases-results">
            {results.data.items.map((c) => (
              <CaseCard key={c.id} story={c} />
            ))}
          </ul>
        )}
        {results.data && (filters.page > 1 || results.data.hasMore) && (
          <nav className="kp-pagination" aria-label={t('pagination.label')}>
            {filters.page > 1 ? <Link to={pageLink(filters.page - 1)}>{t('pagination.prev')}</Link> : <span className="kp-pagination-spacer" />}
            <span aria-current="page">{t('pagination.pageOf', { n: n(filters.page), m: n(Math.max(1, Math.ceil(results.data.total / results.data.pageSize))) })}</span>
            {results.data.hasMore ? <Link to={pageLink(filters.page + 1)}>{t('pagination.next')}</Link> : <span className="kp-pagination-spacer" />}
          </nav>
        )}
      </section>
    </div>
  );
}

/** One case in a list: its title links to its page (heading level given, so it fits the page it is on). */
export function CaseCard({ story, level = 3 }: { story: PublicCase; level?: 2 | 3 }) {
  const { t } = useI18n();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <li>
      <article className="kp-card kp-case-card">
        <Heading className="kp-card-title">
          <Link to={`/historier/${encodeURIComponent(story.id)}`}>{story.title}</Link>
        </Heading>
        <p className="kp-case-by">{t('cases.by', { names: story.organisations.map((o) => o.name).join(', ') })}</p>
        <p>{story.summary || story.story.slice(0, 240)}</p>
        <p className="kp-badges">
          {story.industries.slice(0, 1).map((k) => (
            <span key={k} className="badge">{industryLabel(t, k)}</span>
          ))}
          {story.jobContents.slice(0, 2).map((k) => (
            <span key={k} className="badge">{jobContentLabel(t, k)}</span>
          ))}
          {story.benefits.slice(0, 2).map((k) => (
            <span key={k} className="badge badge-success">{benefitLabel(t, k)}</span>
          ))}
        </p>
      </article>
    </li>
  );
}

type FormFilters = Omit<Filters, 'page' | 'offer'>;

function Select({ id, name, label, value, onChange, options, allLabel }: { id: string; name: string; label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; allLabel: string }) {
  return (
    <div className="form-group">
      <label className="form-label" htmlFor={id}>{label}</label>
      <select id={id} name={name} className="form-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

function SearchForm({ initial, onSearch }: { initial: FormFilters; onSearch: (f: FormFilters) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState<FormFilters>(initial);
  const municipalities = usePublicMunicipalities();
  const set = (key: keyof FormFilters) => (v: string) => setF((prev) => ({ ...prev, [key]: v }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onSearch({ ...f, q: f.q.trim() });
  };
  const all = t('cases.library.all');
  const opts = (list: readonly string[], label: (k: string) => string) => list.map((k) => ({ value: k, label: label(k) }));
  return (
    <form role="search" aria-label={t('cases.library.filters')} onSubmit={onSubmit} noValidate className="kp-catalogue-form">
      <div className="form-group">
        <label className="form-label" htmlFor="cases-q">{t('cases.library.q')}</label>
        <span className="form-hint" id="cases-q-hint">{t('cases.library.qHint')}</span>
        <input id="cases-q" name="q" type="search" className="form-input input-width-xl" value={f.q} maxLength={200} onChange={(e) => set('q')(e.target.value)} aria-describedby="cases-q-hint" />
      </div>
      <div className="kp-catalogue-filters">
        <Select id="cases-industry" name="industry" label={t('cases.field.industry')} value={f.industry} onChange={set('industry')} options={opts(CASE_INDUSTRIES, (k) => industryLabel(t, k))} allLabel={all} />
        <Select id="cases-region" name="region" label={t('cases.field.region')} value={f.region} onChange={set('region')} options={opts(CASE_REGIONS, (k) => regionLabel(t, k))} allLabel={all} />
        <Select
          id="cases-municipality"
          name="municipality"
          label={t('cases.field.municipality')}
          value={f.municipality}
          onChange={set('municipality')}
          options={[
            ...(f.municipality && !municipalities.data?.some((m) => String(m.code) === f.municipality) ? [{ value: f.municipality, label: f.municipality }] : []),
            ...(municipalities.data ?? []).map((m) => ({ value: String(m.code), label: m.name })),
          ]}
          allLabel={t('cases.library.allMunicipalities')}
        />
        <Select id="cases-job" name="jobContent" label={t('cases.field.jobContent')} value={f.jobContent} onChange={set('jobContent')} options={opts(CASE_JOB_CONTENTS, (k) => jobContentLabel(t, k))} allLabel={all} />
        <Select id="cases-size" name="companySize" label={t('cases.field.companySize')} value={f.companySize} onChange={set('companySize')} options={opts(CASE_SIZES, (k) => sizeLabel(t, k))} allLabel={all} />
        <Select id="cases-benefit" name="benefit" label={t('cases.field.benefits')} value={f.benefit} onChange={set('benefit')} options={opts(CASE_BENEFITS, (k) => benefitLabel(t, k))} allLabel={all} />
      </div>
      <div className="kp-button-row mt-5">
        <button type="submit" className="button button-primary">{t('cases.library.submit')}</button>
        <Link to="/historier" className="button button-secondary">{t('cases.library.reset')}</Link>
      </div>
    </form>
  );
}

