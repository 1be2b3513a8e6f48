import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usersApi } from '../users/api.ts';
import { useSession } from '../auth/session.tsx';
import { auditApi, type AuditEntry } from './api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { Pager, usePageParam } from '../../shared/components/Pager.tsx';
import { DateField, ErrorAlert, Field, fieldErrorsOf, InfoAlert, Loading, toDanishDate, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';

export function AuditPage() {
  const { t } = useI18n();
  usePageTitle(t('audit.title'));
  const session = useSession();
  return (
    <>
      <h1>{t('audit.title')}</h1>
      {session.data?.abilities.sections.audit ? <AuditLog /> : <InfoAlert>{t('audit.noAccess')}</InfoAlert>}
    </>
  );
}

function AuditLog() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const user = params.get('bruger') ?? '';
  const cvr = params.get('cvr') ?? '';
  const from = params.get('fra') ?? '';
  const to = params.get('til') ?? '';
  const { page, href } = usePageParam();
  const byEmail = user.includes('@');

  // The API filters by user id; an e-mail is looked up among the users the admin can see.
  const users = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list(), enabled: byEmail });
  const emailMatch = byEmail ? users.data?.items.find((u) => u.email.toLowerCase() === user.trim().toLowerCase()) : undefined;
  const userId = byEmail ? emailMatch?.id : user.trim() || undefined;
  const unknownEmail = byEmail && users.isSuccess && !emailMatch;

  const log = useQuery({
    queryKey: ['audit', { userId, cvr, from, to, page }],
    queryFn: () => auditApi.entries({ userId, cvr: cvr || undefined, from: from || undefined, to: to || undefined, page }),
    enabled: !byEmail || !!emailMatch,
    placeholderData: keepPreviousData,
  });
  const fe = fieldErrorsOf(log.error);

  return (
    <>
      <p>{t('audit.intro')}</p>
      <AuditFilters key={`${user}|${cvr}|${from}|${to}`} user={user} cvr={cvr} from={from} to={to} fieldErrors={{ ...fe, ...(unknownEmail ? { userId: t('audit.unknownUser', { email: user }) } : {}) }} />
      <section aria-labelledby="audit-entries" className="mt-7">
        <h2 id="audit-entries">{t('audit.entries')}</h2>
        {(log.isLoading || (byEmail && users.isPending)) && <Loading />}
        <ErrorAlert error={log.error ?? users.error} />
        {log.data && !unknownEmail && <AuditTable items={log.data.items} />}
        {log.data && !unknownEmail && <Pager page={log.data.page ?? page} hasMore={log.data.hasMore} href={href} />}
      </section>
    </>
  );
}

function AuditFilters({ user, cvr, from, to, fieldErrors: fe }: { user: string; cvr: string; from: string; to: string; fieldErrors: Record<string, string> }) {
  const { t } = useI18n();
  const [, setParams] = useSearchParams();
  const [userInput, setUserInput] = useState(user);
  const [cvrInput, setCvrInput] = useState(cvr);
  const [fromInput, setFromInput] = useState(() => toDanishDate(from) || from);
  const [toInput, setToInput] = useState(() => toDanishDate(to) || to);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (userInput.trim()) next.set('bruger', userInput.trim());
    if (cvrInput.trim()) next.set('cvr', cvrInput.replace(/\s+/g, ''));
    if (fromInput.trim()) next.set('fra', toIsoDate(fromInput));
    if (toInput.trim()) next.set('til', toIsoDate(toInput));
    setParams(next);
  };
  const userError = fe.userId ?? fe.user;
  return (
    <form onSubmit={onSubmit} className="kp-audit-filter" aria-label={t('audit.filters')} noValidate>
      <div className="kp-filter-row">
        <Field id="audit-user" label={t('audit.user')} error={userError}>
          {(db) => (
            <input id="audit-user" className="form-input" autoComplete="off" value={userInput} onChange={(e) => setUserInput(e.target.value)} aria-describedby={db} aria-invalid={userError ? true : undefined} />
          )}
        </Field>
        <Field id="audit-cvr" label={t('audit.cvr')} error={fe.cvr}>
          {(db) => (
            <input id="audit-cvr" className="form-input input-width-s" inputMode="numeric" maxLength={8} autoComplete="off" value={cvrInput} onChange={(e) => setCvrInput(e.target.value)} aria-describedby={db} aria-invalid={fe.cvr ? true : undefined} />
          )}
        </Field>
        <DateField id="audit-from" label={t('audit.from')} value={fromInput} onChange={setFromInput} error={fe.from} />
        <DateField id="audit-to" label={t('audit.to')} value={toInput} onChange={setToInput} error={fe.to} />
      </div>
      <div className="kp-button-row mt-5">
        <button type="submit" className="button button-primary">
          {t('audit.filter')}
        </button>
        <Link to="/admin/log" className="button button-secondary">
          {t('audit.reset')}
        </Link>
      </div>
    </form>
  );
}

function AuditTable({ items }: { items: AuditEntry[] }) {
  const { t, dt } = useI18n();
  const none = t('common.none');
  if (items.length === 0) return <p>{t('audit.empty')}</p>;
  return (
    <ScrollRegion>
      <table className="table table--zebra table--compact kp-audit">
        <caption className="sr-only">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.userCol')}</th>
            <th scope="col">{t('audit.organisation')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.entity')}</th>
            <th scope="col">{t('audit.cvrCol')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td className="kp-nowrap">{dt(a.at)}</td>
              <td>{a.user ? `${a.user.name} (${a.user.email})` : t('audit.system')}</td>
              <td>{a.organisation?.name ?? none}</td>
              <td>{a.action}</td>
              <td>
                {a.entity}
                {a.entityId ? <span className="kp-muted"> {a.entityId}</span> : null}
              </td>
              <td>{a.companyCvr ? <Link to={`/virksomheder/${a.companyCvr}`}>{a.companyCvr}</Link> : none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

