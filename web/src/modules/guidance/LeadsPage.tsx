/**
 * Henvendelser: the requests the caller's organisation handles, as a compact table sorted on the
 * server, with filters that apply at once. The URL holds filters, sort and page (so saved filters and
 * the back button work); each row opens the request's own page. An old link (?id=…) goes there too.
 */
import { Link, Navigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { Deadline } from '../../shared/components/Deadline.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { CATALOGUE_THEMES, isOneOf } from '../offers/catalogue/options.ts';
import { ErrorAlert, Field, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { SortHeader, SortSelect } from '../../shared/components/SortableList.tsx';
import { isUuid, nextSort, readSort, sortParams, useListParams, type ListSort } from '../../shared/hooks/useListParams.ts';
import { SavedFilters } from '../../shared/components/SavedFilters.tsx';
import { LEAD_SORTS, LEAD_STATUSES, leadPath, leadsApi, type Lead, type LeadSort, type LeadSortDirection, type LeadStatus } from './api.ts';
import { leadName, LeadStatusBadge } from './components.tsx';
import './leads.css';
import { ScrollRegion } from '../../shared/components/ui.tsx';

const leadSort: ListSort<LeadSort> = {
  columns: LEAD_SORTS,
  words: { deadline: 'frist', company: 'virksomhed', received: 'modtaget', status: 'status' },
  fallback: 'received',
  /** Newest first for when it came; soonest deadline, A–Å and the status order otherwise (as the server). */
  defaultDir: (sort) => (sort === 'received' ? 'desc' : 'asc'),
};

const columnLabel: Record<LeadSort, MessageKey> = {
  deadline: 'leads.col.deadline',
  company: 'leads.col.company',
  received: 'leads.col.received',
  status: 'leads.col.status',
};

interface ListState {
  status: LeadStatus | '';
  overdue: boolean;
  municipality: number | null;
  theme: string;
  sort: LeadSort;
  dir: LeadSortDirection;
}

function readParams(params: URLSearchParams): ListState {
  const status = params.get('status');
  const municipality = Number(params.get('kommune'));
  const theme = params.get('tema');
  return {
    status: isOneOf(LEAD_STATUSES, status) ? status : '',
    overdue: params.get('overskredet') === '1',
    municipality: Number.isInteger(municipality) && municipality >= 100 && municipality <= 999 ? municipality : null,
    theme: isOneOf(CATALOGUE_THEMES, theme) ? theme : '',
    ...readSort(params, leadSort),
  };
}

export function LeadsPage() {
  const { t } = useI18n();
  usePageTitle(t('leads.title'));
  const abilities = useSession().data?.abilities;
  const { params, change } = useListParams();
  const state = readParams(params);

  // A link from an older mail or bookmark (/henvendelser?id=…) opens that request's own page.
  const oldLink = params.get('id');
  if (isUuid(oldLink)) return <Navigate to={leadPath(oldLink)} replace />;

  if (!abilities) return <Loading />;
  if (!abilities.sections.leads) {
    return (
      <>
        <h1>{t('leads.title')}</h1>
        <NoAccess />
      </>
    );
  }

  const sortBy = (column: LeadSort) => change(sortParams(leadSort, nextSort(leadSort, state, column)));

  return (
    <>
      <h1>{t('leads.title')}</h1>
      <p className="kp-lead-intro">{t('leads.intro')}</p>
      <LeadList state={state} onChange={change} onSort={sortBy} />
    </>
  );
}

function NoAccess() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-leads-no-access">
      <div className="alert-body">
        <p className="alert-heading">
          <strong>{t('leads.noAccessTitle')}</strong>
        </p>
        <p className="alert-text">{t('leads.noAccessText')}</p>
      </div>
    </div>
  );
}

function LeadList({ state, onChange, onSort }: { state: ListState; onChange: (set: Record<string, string | null>) => void; onSort: (c: LeadSort) => void }) {
  const { t, n } = useI18n();
  const { page, href } = usePageParam();
  const leads = useQuery({
    queryKey: ['leads', 'list', { ...state, page }],
    queryFn: () => leadsApi.list({ ...state, page }),
    // The table stays while another filter or sort loads, so focus on a filter or heading is not lost.
    placeholderData: (previous) => previous,
  });
  // The server is the authority on who may read leads; a 403 gets the same explanation as KKR.
  if (leads.error instanceof ApiError && leads.error.status === 403) return <NoAccess />;
  const filtered = !!state.status || state.overdue || state.municipality !== null || !!state.theme;
  const items = leads.data?.items ?? [];
  return (
    <>
      <Filters state={state} municipalities={leads.data?.municipalities ?? []} onChange={onChange} />
      <SavedFilters list="leads" />
      {leads.isPending ? (
        <Loading />
      ) : leads.isError ? (
        <ErrorAlert error={leads.error} />
      ) : (
        <>
          <p className="kp-count" role="status">
            {items.length === 0 && page === 1
              ? t(filtered ? 'leads.emptyFiltered' : 'leads.empty')
              : leads.data.hasMore || page > 1
                ? t('leads.countPage', { n: n(items.length), page: n(page) })
                : items.length === 1
                  ? t('leads.countOne')
                  : t('leads.count', { n: n(items.length) })}
          </p>
          {items.length > 0 && <LeadTable items={items} sort={state.sort} dir={state.dir} onSort={onSort} />}
          <Pager page={page} hasMore={leads.data.hasMore} href={href} />
        </>
      )}
    </>
  );
}

/** Status, overdue, municipality (a hub has several), theme and (on a narrow screen, where the headings are hidden) the sort: each applies when chosen. */
function Filters({ state, municipalities, onChange }: { state: ListState; municipalities: { code: number; name: string }[]; onChange: (set: Record<string, string | null>) => void }) {
  const { t } = useI18n();
  // Keep a chosen municipality selectable even before the list (and its choices) has loaded.
  const showMunicipality = municipalities.length > 1 || state.municipality !== null;
  return (
    <form className="kp-filter-row kp-leads-filter mb-5" aria-label={t('leads.filterLabel')} aria-describedby="leads-filter-hint" onSubmit={(e) => e.preventDefault()}>
      <p id="leads-filter-hint" className="sr-only">
        {t('leads.filterHint')}
      </p>
      <Field id="leads-status" label={t('leads.status')}>
        {(db) => (
          <select id="leads-status" className="form-select" value={state.status} onChange={(e) => onChange({ status: e.target.value || null })} aria-describedby={db}>
            <option value="">{t('leads.filter.all')}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`leads.filter.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {showMunicipality && (
        <Field id="leads-municipality" label={t('leads.municipality')}>
          {(db) => (
            <select
              id="leads-municipality"
              className="form-select"
              value={state.municipality ?? ''}
              onChange={(e) => onChange({ kommune: e.target.value || null })}
              aria-describedby={db}
            >
              <option value="">{t('leads.allMunicipalities')}</option>
              {state.municipality !== null && !municipalities.some((m) => m.code === state.municipality) && <option value={state.municipality}>{state.municipality}</option>}
              {municipalities.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field id="leads-theme" label={t('leads.theme')}>
        {(db) => (
          <select id="leads-theme" className="form-select" value={state.theme} onChange={(e) => onChange({ tema: e.target.value || null })} aria-describedby={db}>
            <option value="">{t('leads.allThemes')}</option>
            {CATALOGUE_THEMES.map((k) => (
              <option key={k} value={k}>
                {themeLabel(t, k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-group kp-filter-checkbox">
        <div className="form-group-checkbox">
          <input id="leads-overdue" type="checkbox" className="form-checkbox" checked={state.overdue} onChange={(e) => onChange({ overskredet: e.target.checked ? '1' : null })} />
          <label className="form-label" htmlFor="leads-overdue">
            {t('leads.onlyOverdue')}
          </label>
        </div>
      </div>
      <SortSelect
        id="leads-sort"
        label={t('leads.sortLabel')}
        columns={LEAD_SORTS}
        value={state}
        optionLabel={(s, d) => t(d === 'asc' ? 'leads.sortAsc' : 'leads.sortDesc', { col: t(columnLabel[s]) })}
        onChange={(next) => onChange(sortParams(leadSort, next))}
      />
    </form>
  );
}

function LeadTable({ items, sort, dir, onSort }: { items: Lead[]; sort: LeadSort; dir: LeadSortDirection; onSort: (c: LeadSort) => void }) {
  const { t, d } = useI18n();
  const header = (column: LeadSort) => <SortHeader label={t(columnLabel[column])} active={column === sort} dir={dir} onSort={() => onSort(column)} />;
  return (
    <ScrollRegion className="kp-sort-table-scroll">
      <table className="table table--compact table--responsive-headers kp-sort-table kp-leads-table">
        <caption className="sr-only">
          {t('leads.caption')}. {t('leads.sortHint')}
        </caption>
        <thead>
          <tr>
            {header('company')}
            <th scope="col">{t('leads.col.need')}</th>
            <th scope="col">{t('leads.col.municipality')}</th>
            {header('received')}
            {header('deadline')}
            {header('status')}
          </tr>
        </thead>
        <tbody>
          {items.map((lead) => (
            <tr key={lead.id} className={lead.overdue ? 'kp-sort-table-overdue' : undefined}>
              <th scope="row" data-title={t('leads.col.company')}>
                <Link to={leadPath(lead.id)}>{leadName(t, lead)}</Link>
                <span className="kp-sort-table-sub">{lead.company ? `CVR ${lead.company.cvr}` : t('leads.noCvr')}</span>
              </th>
              <td data-title={t('leads.col.need')}>
                <span className="kp-sort-table-need">{lead.need}</span>
              </td>
              <td data-title={t('leads.col.municipality')}>{lead.municipality.name}</td>
              <td data-title={t('leads.col.received')} className="kp-nowrap">
                {d(lead.createdAt)}
              </td>
              <td data-title={t('leads.col.deadline')}>
                <Deadline dueOn={lead.dueOn} overdue={lead.overdue} />
              </td>
              <td data-title={t('leads.col.status')}>
                <LeadStatusBadge status={lead.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
