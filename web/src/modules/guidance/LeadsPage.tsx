import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { Deadline, OverdueBadge } from '../../shared/components/Deadline.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { isOneOf } from '../offers/catalogue/options.ts';
import { ErrorAlert, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow, isConflict } from '../../shared/components/ui.tsx';
import { UrlSelectFilter } from '../../shared/components/UrlSelectFilter.tsx';
import { LEAD_STATUSES, leadsApi, type Lead, type LeadStatus } from './api.ts';
import { levelLabel } from '../offers/self-assessment/labels.ts';
import { Pager, usePageParam } from '../../shared/components/Pager.tsx';
import './leads.css';

function toStatus(v: string | null): LeadStatus | '' {
  return isOneOf(LEAD_STATUSES, v) ? v : '';
}

export function LeadsPage() {
  const { t } = useI18n();
  usePageTitle(t('leads.title'));
  const abilities = useSession().data?.abilities;
  const [params] = useSearchParams();
  const status = toStatus(params.get('status'));

  if (!abilities) return <Loading />;
  return (
    <>
      <h1>{t('leads.title')}</h1>
      {!abilities.sections.leads ? (
        <NoAccess />
      ) : (
        <>
          <p className="kp-lead-intro">{t('leads.intro')}</p>
          <UrlSelectFilter
            param="status"
            value={status}
            id="leads-status"
            label={t('leads.status')}
            formLabel={t('leads.filterLabel')}
            submitLabel={t('leads.filter')}
            options={[...LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.filter.${s}`) })), { value: '', label: t('leads.filter.all') }]}
            className="kp-leads-filter mb-5"
          />
          <LeadList key={status} status={status} />
        </>
      )}
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

/** Feedback on an action whose lead has left the filtered list (and with it the card's own messages). */
type Notice = { tone: 'success' | 'warning'; text: string } | { tone: 'error'; error: unknown };

function LeadList({ status }: { status: LeadStatus | '' }) {
  const { t, n } = useI18n();
  const [notice, setNotice] = useState<Notice | null>(null);
  const { page, href } = usePageParam();
  const listKey = ['leads', { status, page }] as const;
  const leads = useQuery({ queryKey: listKey, queryFn: () => leadsApi.list(status, page) });
  if (leads.isPending) return <Loading />;
  // The server is the authority on who may read leads; a 403 gets the same explanation as KKR.
  if (leads.error instanceof ApiError && leads.error.status === 403) return <NoAccess />;
  if (leads.isError) return <ErrorAlert error={leads.error} />;
  const items = leads.data.items;
  return (
    <>
      <p className="kp-count" role="status">
        {leads.data.hasMore || page > 1
          ? t('leads.countPage', { n: n(items.length), page: n(page) })
          : items.length === 0
            ? t('leads.empty')
            : items.length === 1
              ? t('leads.countOne')
              : t('leads.count', { n: n(items.length) })}
      </p>
      <LeadNotice notice={notice} />
      {items.length > 0 && (
        <ul className="kp-card-list kp-leads">
          {items.map((lead) => (
            <li key={lead.id}>
              <LeadCard lead={lead} listKey={listKey} onNotice={setNotice} />
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} hasMore={leads.data.hasMore} href={href} />
    </>
  );
}

/** Takes the focus when it appears: the card the user acted on has just disappeared. */
function LeadNotice({ notice }: { notice: Notice | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) ref.current?.focus();
  }, [notice]);
  if (!notice) return null;
  if (notice.tone === 'error') {
    return (
      <div ref={ref} tabIndex={-1} className="kp-leads-notice">
        <ErrorAlert error={notice.error} />
      </div>
    );
  }
  return (
    <div ref={ref} tabIndex={-1} className={`alert alert-${notice.tone} my-5 kp-leads-notice`} role={notice.tone === 'warning' ? 'alert' : 'status'}>
      <div className="alert-body">
        <p className="alert-text">{notice.text}</p>
      </div>
    </div>
  );
}

const statusBadgeClass: Record<LeadStatus, string> = { new: 'badge-info', in_progress: 'badge-warning', closed: 'badge-success' };

function leadName(lead: Lead, unnamed: string): string {
  return lead.company?.name || lead.companyName || (lead.company ? `CVR ${lead.company.cvr}` : unnamed);
}

function LeadCard({ lead, listKey, onNotice }: { lead: Lead; listKey: readonly unknown[]; onNotice: (n: Notice | null) => void }) {
  const { t, dt } = useI18n();
  const headingId = useId();
  const name = leadName(lead, t('leads.unnamed'));
  return (
    <article className={`kp-card kp-lead${lead.overdue ? ' kp-lead-overdue' : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="kp-card-title" tabIndex={-1}>
        {lead.company ? <Link to={`/virksomheder/${lead.company.cvr}`}>{name}</Link> : name}
        <span className="sr-only">, </span>
        <span className="kp-card-sub"> {lead.company ? `CVR ${lead.company.cvr}` : t('leads.noCvr')}</span>
      </h2>
      <p className="kp-badges">
        <span className={`badge kp-badge ${statusBadgeClass[lead.status]}`}>{t(`leads.status.${lead.status}`)}</span>
        {lead.overdue && <OverdueBadge />}
      </p>
      <dl className="kp-dl">
        <DlRow label={t('leads.municipality')}>{lead.municipality.name}</DlRow>
        <DlRow label={t('leads.receiver')}>{lead.organisation.name}</DlRow>
        <DlRow label={t('leads.receivedAt')}>{dt(lead.createdAt)}</DlRow>
        <DlRow label={t('leads.dueAt')}>
          <Deadline dueOn={lead.dueOn} overdue={lead.overdue} />
        </DlRow>
        <DlRow label={t('leads.contact')}>
          <LeadContact contact={lead.contact} />
        </DlRow>
        <DlRow label={t('leads.need')}>
          <span className="kp-pre">{lead.need}</span>
        </DlRow>
        <DlRow label={t('leads.themes')}>{lead.themes.length ? lead.themes.map((k) => themeLabel(t, k)).join(', ') : t('common.none')}</DlRow>
        <DlRow label={t('leads.consents')}>
          <LeadConsents consents={lead.consents} />
        </DlRow>
        {lead.handledBy && (
          <DlRow label={t('leads.handledBy')}>{lead.handledBy.at ? `${lead.handledBy.name}, ${dt(lead.handledBy.at)}` : lead.handledBy.name}</DlRow>
        )}
        {lead.offer && (
          <DlRow label={t('leads.offer')}>
            <Link to={`/tilbud/${lead.offer.id}`}>{lead.offer.title}</Link>
          </DlRow>
        )}
        {lead.selfAssessment && (
          <DlRow label={t('leads.selfAssessment')}>
            {t('leads.selfAssessmentResult', {
              title: lead.selfAssessment.title,
              level: levelLabel(t, lead.selfAssessment.level),
              score: lead.selfAssessment.score,
              max: lead.selfAssessment.maxScore,
            })}
          </DlRow>
        )}
      </dl>
      {lead.abilities.handle && <LeadActions lead={lead} headingId={headingId} listKey={listKey} onNotice={onNotice} />}
    </article>
  );
}

function LeadContact({ contact }: { contact: Lead['contact'] }) {
  return (
    <ul className="nobullet-list kp-lead-list">
      <li>{contact.name}</li>
      <li>
        <a href={`mailto:${contact.email}`} className="kp-break">
          {contact.email}
        </a>
      </li>
      {contact.phone && (
        <li>
          <a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a>
        </li>
      )}
    </ul>
  );
}

function LeadConsents({ consents }: { consents: Lead['consents'] }) {
  const { t } = useI18n();
  const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));
  return (
    <ul className="nobullet-list kp-lead-list">
      <li>
        {t('leads.consentSharing')}: {yesNo(consents.sharing)}
      </li>
      <li>
        {t('leads.consentEvaluation')}: {yesNo(consents.evaluation)}
      </li>
      {consents.awaitingConfirmation && (
        <li>
          <span className="badge badge-warning kp-badge">{t('leads.consentAwaiting')}</span>
        </li>
      )}
    </ul>
  );
}

function EngagementLink({ cvr, headingId }: { cvr: string; headingId: string }) {
  const { t } = useI18n();
  return (
    <Link to={`/forloeb/nyt?cvr=${encodeURIComponent(cvr)}`} className="button button-secondary kp-lead-engagement" aria-describedby={headingId}>
      {t('leads.createEngagement')}
    </Link>
  );
}

type Target = Exclude<LeadStatus, 'new'>;

/**
 * "Tag den" (new → in progress) and "Afslut" (→ closed), with the lead's version as the optimistic
 * lock. Messages show in the card; when the lead leaves the filtered list they show above the list.
 */
function LeadActions({ lead, headingId, listKey, onNotice }: { lead: Lead; headingId: string; listKey: readonly unknown[]; onNotice: (n: Notice | null) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const name = leadName(lead, t('leads.unnamed'));
  const goneNotice = (error: unknown, status: Target): Notice => {
    if (!error) return { tone: 'success', text: t(status === 'closed' ? 'leads.goneClosed' : 'leads.goneTaken', { name }) };
    return isConflict(error) ? { tone: 'warning', text: t('leads.goneStale', { name }) } : { tone: 'error', error };
  };
  const act = useMutation({
    mutationFn: (status: Target) => leadsApi.setStatus(lead.id, status, lead.version),
    onMutate: () => onNotice(null),
    onSettled: async (_data, error, status) => {
      await qc.invalidateQueries({ queryKey: ['leads'] });
      const listed = qc.getQueryData<{ items: Lead[] }>(listKey)?.items.some((l) => l.id === lead.id);
      if (!listed) {
        onNotice(goneNotice(error, status));
        return;
      }
      // The button pressed may be gone: keep the keyboard user on this lead (after the refetched list has rendered).
      setTimeout(() => document.getElementById(headingId)?.focus(), 0);
    },
  });
  const done = act.isSuccess ? (act.variables === 'closed' ? t('leads.closed') : t('leads.taken')) : '';
  return (
    <div className="kp-lead-actions mt-5">
      {isConflict(act.error) ? (
        <div className="alert alert-warning my-5 kp-stale" role="alert">
          <div className="alert-body">
            <p className="alert-text">{t('leads.stale')}</p>
          </div>
        </div>
      ) : (
        <ErrorAlert error={act.error} />
      )}
      {done && <SuccessAlert>{done}</SuccessAlert>}
      <div className="kp-button-row">
        {lead.status === 'new' && (
          <button type="button" className="button button-primary" aria-describedby={headingId} disabled={act.isPending} onClick={() => act.mutate('in_progress')}>
            {t('leads.take')}
          </button>
        )}
        {lead.status !== 'closed' && (
          <button type="button" className="button button-secondary" aria-describedby={headingId} disabled={act.isPending} onClick={() => act.mutate('closed')}>
            {t('leads.close')}
          </button>
        )}
        {lead.company && <EngagementLink cvr={lead.company.cvr} headingId={headingId} />}
      </div>
      {lead.consents.awaitingConfirmation && lead.abilities.confirmConsents && <ConfirmConsents lead={lead} headingId={headingId} />}
    </div>
  );
}

/**
 * Consents ticked on the public form are not in force until an adviser who has talked to the
 * company confirms them: anyone can type a CVR number into the form.
 */
function ConfirmConsents({ lead, headingId }: { lead: Lead; headingId: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const hintId = `${headingId}-confirm-hint`;
  const confirm = useMutation({
    mutationFn: () => leadsApi.confirmConsents(lead.id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['leads'] });
      // The button is gone once confirmed: keep the keyboard user on this lead.
      setTimeout(() => document.getElementById(headingId)?.focus(), 0);
    },
  });
  return (
    <div className="kp-lead-confirm mt-5">
      <ErrorAlert error={confirm.error} />
      <p className="form-hint" id={hintId}>
        {t('leads.confirmConsentsHint')}
      </p>
      <button type="button" className="button button-secondary" aria-describedby={`${headingId} ${hintId}`} disabled={confirm.isPending} onClick={() => confirm.mutate()}>
        {t('leads.confirmConsents')}
      </button>
    </div>
  );
}
