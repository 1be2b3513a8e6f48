/**
 * Henvisninger: the organisation's inbox and outbox as a compact table sorted on the server, with
 * filters that apply at once. The URL holds box, filters, sort and page (so saved filters and the
 * back button work); each row opens the referral's own page. An old mail link (?id=…) goes there too.
 */
import { Link, Navigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { PAGE_PARAM, Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { REFERRAL_SORTS, REFERRAL_STATUSES, referralsApi, type Referral, type ReferralBox, type ReferralSort, type ReferralStatus, type SortDirection } from './api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { Tabs, ScrollRegion } from '../../shared/components/ui.tsx';
import { Deadline } from '../../shared/components/Deadline.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { SavedFilters } from '../../shared/components/SavedFilters.tsx';
import { referralPath, ReferralStatusBadge, referralSubject } from './components.tsx';
import './referrals.css';

/** The URL's words (Danish, like the app's other parameters) for the server's sort columns and directions. */
const SORT_PARAM = 'sorter';
const DIR_PARAM = 'retning';
const sortWords: Record<ReferralSort, string> = { deadline: 'frist', company: 'virksomhed', sent: 'sendt', status: 'status' };
const dirWords: Record<SortDirection, string> = { asc: 'stigende', desc: 'faldende' };
/** Newest first for when it was sent; soonest deadline, A–Å and the status order otherwise. */
const defaultDir = (sort: ReferralSort): SortDirection => (sort === 'sent' ? 'desc' : 'asc');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toStatus(v: string | null): ReferralStatus | '' {
  return (REFERRAL_STATUSES as readonly string[]).includes(v ?? '') ? (v as ReferralStatus) : '';
}

function readSort(params: URLSearchParams): { sort: ReferralSort; dir: SortDirection } {
  const sort = REFERRAL_SORTS.find((s) => sortWords[s] === params.get(SORT_PARAM)) ?? 'sent';
  const dir = (Object.keys(dirWords) as SortDirection[]).find((d) => dirWords[d] === params.get(DIR_PARAM)) ?? defaultDir(sort);
  return { sort, dir };
}

export function ReferralsPage() {
  const { t } = useI18n();
  usePageTitle(t('referrals.title'));
  const session = useSession();
  const abilities = session.data?.abilities;
  const [params, setParams] = useSearchParams();
  const box: ReferralBox = params.get('boks') === 'ud' ? 'outbox' : 'inbox';
  const status = toStatus(params.get('status'));
  const overdue = params.get('overskredet') === '1';
  const { sort, dir } = readSort(params);

  // A link from an older mail (/henvisninger?id=…) opens that referral's own page.
  const oldLink = params.get('id');
  if (oldLink && UUID.test(oldLink)) return <Navigate to={referralPath(oldLink)} replace />;

  if (!abilities) return <Loading />;
  if (!abilities.sections.referrals) {
    return (
      <>
        <h1>{t('referrals.title')}</h1>
        <AggregateOnlyNote />
      </>
    );
  }

  /** Changes parameters and starts again at the first page; `replace` for choices within the page. */
  const change = (set: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(set)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    next.delete(PAGE_PARAM);
    setParams(next, { replace: true });
  };
  const selectBox = (id: string) => change({ boks: id === 'outbox' ? 'ud' : null });
  const sortBy = (column: ReferralSort) => {
    const nextDir = column === sort ? (dir === 'asc' ? 'desc' : 'asc') : defaultDir(column);
    change({ [SORT_PARAM]: sortWords[column], [DIR_PARAM]: dirWords[nextDir] });
  };

  const list = { status, overdue, sort, dir, onSort: sortBy };
  return (
    <>
      <h1>{t('referrals.title')}</h1>
      <Filters status={status} overdue={overdue} sort={sort} dir={dir} onChange={change} />
      <SavedFilters list="referrals" />
      <Tabs
        label={t('referrals.boxes')}
        selected={box}
        onSelect={selectBox}
        tabs={[
          { id: 'inbox', label: t('referrals.inbox'), content: <ReferralList box="inbox" {...list} /> },
          { id: 'outbox', label: t('referrals.outbox'), content: <ReferralList box="outbox" {...list} /> },
        ]}
      />
    </>
  );
}

/** Status, "overdue only" and (on a narrow screen, where the table's headings are hidden) the sort: each applies as soon as it is chosen. */
function Filters({
  status,
  overdue,
  sort,
  dir,
  onChange,
}: {
  status: ReferralStatus | '';
  overdue: boolean;
  sort: ReferralSort;
  dir: SortDirection;
  onChange: (set: Record<string, string | null>) => void;
}) {
  const { t } = useI18n();
  const sortOptions = REFERRAL_SORTS.flatMap((s) =>
    (['asc', 'desc'] as const).map((d) => ({ value: `${s}:${d}`, label: t(d === 'asc' ? 'referrals.sortAsc' : 'referrals.sortDesc', { col: t(columnLabel[s]) }) })),
  );
  return (
    <form className="kp-filter-row kp-referral-filter mb-5" aria-label={t('referrals.filter')} aria-describedby="referrals-filter-hint" onSubmit={(e) => e.preventDefault()}>
      <p id="referrals-filter-hint" className="sr-only">
        {t('referrals.filterHint')}
      </p>
      <Field id="referrals-status" label={t('referrals.status')}>
        {(db) => (
          <select id="referrals-status" className="form-select" value={status} onChange={(e) => onChange({ status: e.target.value || null })} aria-describedby={db}>
            <option value="">{t('common.all')}</option>
            {REFERRAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`referralStatus.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-group kp-filter-checkbox">
        <div className="form-group-checkbox">
          <input
            id="referrals-overdue"
            type="checkbox"
            className="form-checkbox"
            checked={overdue}
            onChange={(e) => onChange({ overskredet: e.target.checked ? '1' : null })}
          />
          <label className="form-label" htmlFor="referrals-overdue">
            {t('referrals.onlyOverdue')}
          </label>
        </div>
      </div>
      <div className="kp-referral-sort-select">
        <Field id="referrals-sort" label={t('referrals.sortLabel')}>
          {(db) => (
            <select
              id="referrals-sort"
              className="form-select"
              value={`${sort}:${dir}`}
              onChange={(e) => {
                const [s, d] = e.target.value.split(':') as [ReferralSort, SortDirection];
                onChange({ [SORT_PARAM]: sortWords[s], [DIR_PARAM]: dirWords[d] });
              }}
              aria-describedby={db}
            >
              {sortOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </form>
  );
}

const columnLabel: Record<ReferralSort, MessageKey> = {
  deadline: 'referrals.col.deadline',
  company: 'referrals.col.company',
  sent: 'referrals.col.sent',
  status: 'referrals.col.status',
};

interface ListProps {
  box: ReferralBox;
  status: ReferralStatus | '';
  overdue: boolean;
  sort: ReferralSort;
  dir: SortDirection;
  onSort: (column: ReferralSort) => void;
}

function ReferralList({ box, status, overdue, sort, dir, onSort }: ListProps) {
  const { t, n } = useI18n();
  const { page, href } = usePageParam();
  const referrals = useQuery({
    queryKey: ['referrals', 'list', { box, status, overdue, sort, dir, page }],
    queryFn: () => referralsApi.list({ box, status, overdue, sort, dir, page }),
    placeholderData: (previous) => previous,
  });
  if (referrals.isPending) return <Loading />;
  if (referrals.isError) return <ErrorAlert error={referrals.error} />;
  const items = referrals.data.items;
  const filtered = !!status || overdue;
  return (
    <>
      <p className="kp-count" role="status">
        {items.length === 0 && page === 1
          ? t(filtered ? 'referrals.emptyFiltered' : 'referrals.empty')
          : items.length === 1
            ? t('referrals.countOne')
            : t('referrals.count', { n: n(items.length) })}
      </p>
      {items.length > 0 && <ReferralTable box={box} items={items} sort={sort} dir={dir} onSort={onSort} />}
      <Pager page={page} hasMore={referrals.data.hasMore} href={href} />
    </>
  );
}

/** A column heading that sorts the list (the server sorts): `aria-sort` on the sorted one; a second press turns the order. */
function SortHeader({ column, sort, dir, onSort }: { column: ReferralSort; sort: ReferralSort; dir: SortDirection; onSort: (c: ReferralSort) => void }) {
  const { t } = useI18n();
  const active = column === sort;
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined} className="kp-sortable">
      <button type="button" className="button button-unstyled kp-sort-button" onClick={() => onSort(column)}>
        {t(columnLabel[column])}
        <span className={`kp-sort-icon${active ? ' kp-sort-icon--active' : ''}`} aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '▲▼'}
        </span>
      </button>
    </th>
  );
}

function ReferralTable({ box, items, sort, dir, onSort }: { box: ReferralBox; items: Referral[]; sort: ReferralSort; dir: SortDirection; onSort: (c: ReferralSort) => void }) {
  const { t, d } = useI18n();
  const partyLabel = t(box === 'inbox' ? 'referrals.col.from' : 'referrals.col.to');
  const header = (column: ReferralSort) => <SortHeader column={column} sort={sort} dir={dir} onSort={onSort} />;
  return (
    <ScrollRegion className="kp-table-scroll">
      <table className={`table table--compact table--responsive-headers kp-referrals-table kp-referrals-${box}`}>
        <caption className="sr-only">
          {t(box === 'inbox' ? 'referrals.captionInbox' : 'referrals.captionOutbox')}. {t('referrals.sortHint')}
        </caption>
        <thead>
          <tr>
            {header('company')}
            <th scope="col">{t('referrals.col.need')}</th>
            <th scope="col">{partyLabel}</th>
            {header('sent')}
            {header('deadline')}
            {header('status')}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} className={r.overdue ? 'kp-referral-row-overdue' : undefined}>
              <th scope="row" data-title={t('referrals.col.company')}>
                <Link to={referralPath(r.id)}>{referralSubject(t, r)}</Link>
                {r.company && <span className="kp-referral-sub">CVR {r.company.cvr}</span>}
              </th>
              <td data-title={t('referrals.col.need')} className="kp-referral-need">
                {r.withheld ? <em>{t('referral.withheldShort')}</em> : <span className="kp-referral-need-text">{r.needs || t('common.none')}</span>}
              </td>
              <td data-title={partyLabel}>
                {box === 'inbox' ? r.from.name : r.to.name}
                {r.offer && <span className="kp-referral-sub">{r.offer.name}</span>}
              </td>
              <td data-title={t('referrals.col.sent')} className="kp-nowrap">
                {d(r.sentAt)}
              </td>
              <td data-title={t('referrals.col.deadline')}>
                <Deadline dueOn={r.dueOn} overdue={r.overdue} />
              </td>
              <td data-title={t('referrals.col.status')}>
                <ReferralStatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
