/**
 * "Opret forløb" from a request (/forloeb/nyt?henvendelse=<id>): the engagement form loads the request
 * here, shows its company (or the prospect made from it) read-only, and starts themes and description
 * from it; on save it sends `guidanceRequestId`, and the server links the request and takes it.
 */
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, InfoAlert, Loading } from '../../shared/components/Feedback.tsx';
import { leadPath, leadQueryKey, leadsApi, type Lead } from './api.ts';
import { leadName } from './components.tsx';

export interface LeadSource {
  /** The request, when the caller may open an engagement from it now. */
  lead: Lead | undefined;
  pending: boolean;
  error: unknown;
  /** Loaded, but no engagement can be opened from it (closed, already linked, neither CVR nor own prospect). */
  blocked: Lead | undefined;
}

/** The request named by `?henvendelse=` ('' for none), as the engagement form uses it. */
export function useLeadSource(id: string): LeadSource {
  const query = useQuery({ queryKey: leadQueryKey(id), queryFn: () => leadsApi.get(id), enabled: !!id });
  const data = query.data;
  const openable = !!data && data.abilities.createEngagement;
  return { lead: openable ? data : undefined, pending: !!id && query.isPending, error: query.error, blocked: data && !openable ? data : undefined };
}

/** Instead of the form while the request loads, or when no engagement can be opened from it. */
export function LeadSourceProblem({ source }: { source: LeadSource }) {
  const { t } = useI18n();
  if (source.pending) return <Loading />;
  if (source.blocked) {
    const l = source.blocked;
    return (
      <InfoAlert>
        {t(l.engagement ? 'lead.sourceHasEngagement' : 'lead.sourceUnavailable')}{' '}
        {l.engagement ? <Link to={`/forloeb/${l.engagement.id}`}>{t('lead.engagementLink')}</Link> : <Link to={leadPath(l.id)}>{t('lead.sourceLink')}</Link>}
      </InfoAlert>
    );
  }
  return <ErrorAlert error={source.error} />;
}

/** Back to the request the engagement is opened from. */
export function LeadBackLink({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <p className="kp-back">
      <Link to={leadPath(id)} className="back-link">
        {t('lead.sourceBack')}
      </Link>
    </p>
  );
}

/** Who the engagement is for, read-only in the form: the request's company (its CVR is sent, not typed), or its prospect. */
export function LeadSourceSubject({ lead }: { lead: Lead }) {
  const { t, d } = useI18n();
  return (
    <div className="form-group kp-lead-source">
      <p className="form-label">{t(lead.company ? 'lead.company' : 'lead.prospect')}</p>
      <p className="kp-lead-source-subject">
        {lead.company ? (
          <>
            <strong>{leadName(t, lead)}</strong> (CVR {lead.company.cvr})
          </>
        ) : (
          <strong>{lead.prospect?.personName}</strong>
        )}
      </p>
      <p className="form-hint">
        {t('lead.sourceFrom', { date: d(lead.createdAt) })} <Link to={leadPath(lead.id)}>{t('lead.sourceLink')}</Link>
      </p>
    </div>
  );
}
