import type { MessageKey, TParams } from '../../shared/i18n.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { EVENT_KINDS } from './api.ts';

type T = (key: MessageKey, params?: TParams) => string;

const isKind = (k: string): k is (typeof EVENT_KINDS)[number] => (EVENT_KINDS as readonly string[]).includes(k);

/** An event kind in words; an unknown one (a newer server) as it is. */
export const kindLabel = (t: T, k: string) => (isKind(k) ? t(`events.kind.${k}`) : k);

/** When an event is: its start, and its end when it ends on another day, or the end time on the same day. */
export function EventWhen({ startsAt, endsAt }: { startsAt: string; endsAt?: string }) {
  const { dt, lang } = useI18n();
  if (!endsAt) return <>{dt(startsAt)}</>;
  const sameDay = new Date(startsAt).toDateString() === new Date(endsAt).toDateString();
  const end = sameDay ? new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(endsAt)) : dt(endsAt);
  return (
    <>
      {dt(startsAt)}–{end}
    </>
  );
}
