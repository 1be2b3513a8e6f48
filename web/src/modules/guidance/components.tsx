/** Pieces of a lead (henvendelse) that the list, its page and the engagement form share. */
import type { MessageKey, TParams } from '../../shared/i18n.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import type { Lead, LeadStatus } from './api.ts';

type T = (key: MessageKey, params?: TParams) => string;

/** Who asks: the company's name, else the planned business's, else the person's. */
export function leadName(t: T, lead: Pick<Lead, 'company' | 'companyName' | 'contact'>): string {
  return lead.company?.name || lead.companyName || (lead.company ? `CVR ${lead.company.cvr}` : lead.contact.name || t('leads.unnamed'));
}

const statusBadgeClass: Record<LeadStatus, string> = { new: 'badge-info', in_progress: 'badge-warning', closed: 'badge-success' };

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useI18n();
  return <span className={`badge kp-badge ${statusBadgeClass[status]}`}>{t(`leads.status.${status}`)}</span>;
}

export function LeadContact({ contact }: { contact: Lead['contact'] }) {
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

export function LeadConsents({ consents }: { consents: Lead['consents'] }) {
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
