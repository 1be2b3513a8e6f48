/**
 * Henvisninger: the organisation's inbox and outbox as a compact table sorted on the server, with
 * filters that apply at once. The URL holds box, filters, sort and page (so saved filters and the
 * back button work); each row opens the referral's own page. An old mail link (?id=…) goes there too.
 */
import { Link, Navigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { SortHeader, SortSelect } from '../../shared/components/SortableList.tsx';
import { isUuid, nextSort, readSort, sortParams, useListParams, type ListSort } from '../../shared/hooks/useListParams.ts';
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

const referralSort: ListSort<ReferralSort> = {
  columns: REFERRAL_SORTS,
  words: { deadline: 'frist', company: 'virksomhed', sent: 'sendt', status: 'status' },
  fallback: 'sent',
  /** Newest first for when it was sent; soonest deadline, A–Å and the status order otherwise (as the server). */
  defaultDir: (sort) => (sort === 'sent' ? 'desc' : 'asc'),
};

function toStatus(v: string | null): ReferralStatus | '' {
  return (REFERRAL_STATUSES as readonly string[]).includes(v ?? '') ? (v as ReferralStatus) : '';
}

export function ReferralsPage() {
  const { t } = useI18n();
  usePageTitle(t('referrals.title'));
  const session = useSession();
  const abilities = session.data?.abilities;
  const { params, change } = useListParams();
  const box: ReferralBox = params.get('boks') === 'ud' ? 'outbox' : 'inbox';
  const status = toStatus(params.get('status'));
  const overdue = params.get('overskredet') === '1';
  const { sort, dir } = readSort(params, referralSort);

  // A link from an older mail (/henvisninger?id=…) opens that referral's own page.
  const oldLink = params.get('id');
  if (isUuid(oldLink)) return <Navigate to={referralPath(oldLink)} replace />;

  if (!abilities) return <Loading />;
  if (!abilities.sections.referrals) {
    return (
      <>
        <h1>{t('referrals.title')}</h1>
        <AggregateOnlyNote />
      </>
    );
  }

  const selectBox = (id: string) => change({ boks: id === 'outbox' ? 'ud' : null });
  const sortBy = (column: ReferralSort) => change(sortParams(referralSort, nextSort(referralSort, { sort, dir }, column)));

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
      <SortSelect
        id="referrals-sort"
        label={t('referrals.sortLabel')}
        columns={REFERRAL_SORTS}
        value={{ sort, dir }}
        optionLabel={(s, d) => t(d === 'asc' ? 'referrals.sortAsc' : 'referrals.sortDesc', { col: t(columnLabel[s]) })}
        onChange={(next) => onChange(sortParams(referralSort, next))}
      />
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

function ReferralTable({ box, items, sort, dir, onSort }: { box: ReferralBox; items: Referral[]; sort: ReferralSort; dir: SortDirection; onSort: (c: ReferralSort) => void }) {
  const { t, d } = useI18n();
  const partyLabel = t(box === 'inbox' ? 'referrals.col.from' : 'referrals.col.to');
  const header = (column: ReferralSort) => <SortHeader label={t(columnLabel[column])} active={column === sort} dir={dir} onSort={() => onSort(column)} />;
  return (
    <ScrollRegion className="kp-sort-table-scroll">
      <table className={`table table--compact table--responsive-headers kp-sort-table kp-referrals-table kp-referrals-${box}`}>
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
            <tr key={r.id} className={r.overdue ? 'kp-sort-table-overdue' : undefined}>
              <th scope="row" data-title={t('referrals.col.company')}>
                <Link to={referralPath(r.id)}>{referralSubject(t, r)}</Link>
                {r.company && <span className="kp-sort-table-sub">CVR {r.company.cvr}</span>}
              </th>
              <td data-title={t('referrals.col.need')} className="kp-referral-need">
                {r.withheld ? <em>{t('referral.withheldShort')}</em> : <span className="kp-sort-table-need">{r.needs || t('common.none')}</span>}
              </td>
              <td data-title={partyLabel}>
                {box === 'inbox' ? r.from.name : r.to.name}
                {r.offer && <span className="kp-sort-table-sub">{r.offer.name}</span>}
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
