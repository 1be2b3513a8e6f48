import { useI18n } from '../i18n.tsx';

/**
 * The one way a deadline is shown: the last day to act by, with its weekday, and a badge once it
 * has passed. The server decides `overdue` (the day has ended in Denmark).
 */
export function Deadline({ dueOn, overdue, prefix = false }: { dueOn: string; overdue?: boolean; prefix?: boolean }) {
  const { t, deadline } = useI18n();
  const text = deadline(dueOn);
  return (
    <span className="kp-deadline">
      <time dateTime={dueOn}>{prefix ? t('deadline.by', { date: text }) : text}</time>
      {overdue && <> <OverdueBadge /></>}
    </span>
  );
}

export function OverdueBadge() {
  const { t } = useI18n();
  return <span className="badge badge-error kp-badge kp-overdue">{t('deadline.overdue')}</span>;
}
