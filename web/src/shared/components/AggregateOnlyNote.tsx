import { useI18n } from '../i18n.tsx';

/** The note shown instead of company-level CRM data to those who see aggregates only (KKR and national authorities). */
export function AggregateOnlyNote() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-aggregate-only">
      <div className="alert-body">
        <p className="alert-heading">
          <strong>{t('crm.aggregateOnly')}</strong>
        </p>
        <p className="alert-text">{t('crm.aggregateOnlyText')}</p>
      </div>
    </div>
  );
}
