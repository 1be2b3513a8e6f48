import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { PAGE_PARAM, Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { REFERRAL_STATUSES, referralsApi, type ReferralBox, type ReferralStatus } from './api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { Tabs } from '../../shared/components/ui.tsx';
import { ReferralCard } from './components.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';

type Box = ReferralBox;

function toStatus(v: string | null): ReferralStatus | '' {
  return (REFERRAL_STATUSES as readonly string[]).includes(v ?? '') ? (v as ReferralStatus) : '';
}

export function ReferralsPage() {
  const { t } = useI18n();
  usePageTitle(t('referrals.title'));
  const session = useSession();
  const abilities = session.data?.abilities;
  const [params, setParams] = useSearchParams();
  const box: Box = params.get('boks') === 'ud' ? 'outbox' : 'inbox';
  const status = toStatus(params.get('status'));
  const overdue = params.get('overskredet') === '1';

  if (!abilities) return <Loading />;
  if (!abilities.sections.referrals) {
    return (
      <>
        <h1>{t('referrals.title')}</h1>
        <AggregateOnlyNote />
      </>
    );
  }

  const select = (id: string) => {
    const next = new URLSearchParams(params);
    if (id === 'outbox') next.set('boks', 'ud');
    else next.delete('boks');
    next.delete(PAGE_PARAM);
    setParams(next, { replace: true });
  };

  return (
    <>
      <h1>{t('referrals.title')}</h1>
      <FilterForm key={`${status}|${overdue}`} status={status} overdue={overdue} />
      <Tabs
        label={t('referrals.boxes')}
        selected={box}
        onSelect={select}
        tabs={[
          { id: 'inbox', label: t('referrals.inbox'), content: <ReferralList box="inbox" status={status} overdue={overdue} /> },
          { id: 'outbox', label: t('referrals.outbox'), content: <ReferralList box="outbox" status={status} overdue={overdue} /> },
        ]}
      />
    </>
  );
}

function FilterForm({ status, overdue }: { status: ReferralStatus | ''; overdue: boolean }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [statusInput, setStatusInput] = useState<string>(status);
  const [overdueInput, setOverdueInput] = useState(overdue);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params);
    if (statusInput) next.set('status', statusInput);
    else next.delete('status');
    if (overdueInput) next.set('overskredet', '1');
    else next.delete('overskredet');
    next.delete(PAGE_PARAM);
    setParams(next);
  };
  return (
    <form onSubmit={onSubmit} className="kp-filter-row kp-referral-filter mb-5" aria-label={t('referrals.filter')}>
      <Field id="referrals-status" label={t('referrals.status')}>
        {(db) => (
          <select id="referrals-status" className="form-select" value={statusInput} onChange={(e) => setStatusInput(e.target.value)} aria-describedby={db}>
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
          <input id="referrals-overdue" type="checkbox" className="form-checkbox" checked={overdueInput} onChange={(e) => setOverdueInput(e.target.checked)} />
          <label className="form-label" htmlFor="referrals-overdue">
            {t('referrals.onlyOverdue')}
          </label>
        </div>
      </div>
      <div className="form-group kp-filter-submit">
        <button type="submit" className="button button-secondary">
          {t('referrals.filter')}
        </button>
      </div>
    </form>
  );
}

function ReferralList({ box, status, overdue }: { box: Box; status: ReferralStatus | ''; overdue: boolean }) {
  const { t } = useI18n();
  const { page, href } = usePageParam();
  const referrals = useQuery({
    queryKey: ['referrals', { box, status, overdue, page }],
    queryFn: () => referralsApi.list({ box, status, overdue, page }),
  });
  if (referrals.isPending) return <Loading />;
  if (referrals.isError) return <ErrorAlert error={referrals.error} />;
  const items = referrals.data.items;
  if (items.length === 0 && page === 1) return <p>{t('referrals.empty')}</p>;
  return (
    <>
      <ul className={`kp-card-list kp-referrals-${box}`}>
        {items.map((r) => (
          <li key={r.id}>
            <ReferralCard r={r} box={box} />
          </li>
        ))}
      </ul>
      <Pager page={page} hasMore={referrals.data.hasMore} href={href} />
    </>
  );
}
