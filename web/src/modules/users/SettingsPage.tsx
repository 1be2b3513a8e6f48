import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorSummary, Fieldset, Loading, ErrorAlert, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ApiError } from '../../shared/api.ts';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { mySettingsApi, type MySettings, type MySettingsChange } from './api.ts';

export const MY_SETTINGS_KEY = ['me', 'settings'] as const;

type Kind = keyof MySettings['notifications'];
const kinds: readonly { kind: Kind; label: MessageKey; hint: MessageKey }[] = [
  { kind: 'leads', label: 'settings.leads', hint: 'settings.leadsHint' },
  { kind: 'referrals', label: 'settings.referrals', hint: 'settings.referralsHint' },
];

/** "Indstillinger": the signed-in user's own settings — which mails about new work they get. */
export function SettingsPage() {
  const { t } = useI18n();
  usePageTitle(t('settings.title'));
  const settings = useQuery({ queryKey: MY_SETTINGS_KEY, queryFn: mySettingsApi.get });
  return (
    <div className="row">
      <div className="col-12 col-lg-8">
        <h1>{t('settings.title')}</h1>
        <p className="font-lead">{t('settings.intro')}</p>
        {settings.isPending ? <Loading /> : settings.isError ? <ErrorAlert error={settings.error} /> : <NotificationForm settings={settings.data} />}
      </div>
    </div>
  );
}

function NotificationForm({ settings }: { settings: MySettings }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const user = useSession().data?.user;
  const [chosen, setChosen] = useState(settings.notifications);
  const [saved, setSaved] = useState<{ key: number; text: MessageKey } | null>(null);

  const save = useMutation({
    mutationFn: (body: MySettingsChange) => mySettingsApi.put(body),
    onSuccess: (next, body) => {
      qc.setQueryData(MY_SETTINGS_KEY, next);
      setChosen(next.notifications);
      setSaved((s) => ({ key: (s?.key ?? 0) + 1, text: body.notifications.leads === null ? 'settings.resetDone' : 'settings.saved' }));
    },
  });

  const current = save.data ?? settings;
  const dirty = chosen.leads !== current.notifications.leads || chosen.referrals !== current.notifications.referrals;
  useUnsavedChanges(dirty);

  const submit = (body: MySettingsChange) => {
    setSaved(null);
    save.mutate(body);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ notifications: chosen });
  };
  const errorText = save.error instanceof ApiError ? save.error.problem.detail || save.error.message : save.error ? t('common.errorGeneric') : '';

  return (
    <form onSubmit={onSubmit} noValidate>
      <ErrorSummary id="settings-errors" heading={t('settings.failed')} items={errorText ? [{ key: 'error', text: errorText }] : []} focusKey={save.isError ? save.submittedAt : 0} />
      <Fieldset
        id="settings-mails"
        legend={t('settings.mails', { organisation: user?.organisation.name ?? '' })}
        hint={t('settings.mailsHint', { email: user?.email ?? '' })}
      >
        {kinds.map(({ kind, label, hint }) => (
          <div className="form-group-checkbox" key={kind}>
            <input
              type="checkbox"
              className="form-checkbox"
              id={`notify-${kind}`}
              name={`notify-${kind}`}
              checked={chosen[kind]}
              onChange={(e) => {
                const on = e.target.checked;
                setChosen((c) => ({ ...c, [kind]: on }));
              }}
              aria-describedby={`notify-${kind}-hint`}
            />
            <label className="form-label" htmlFor={`notify-${kind}`}>
              {t(label)}
            </label>
            <span className="form-hint" id={`notify-${kind}-hint`}>
              {t(hint)} {t(current.notifiedByDefault[kind] ? 'settings.defaultOn' : 'settings.defaultOff')}
            </span>
          </div>
        ))}
      </Fieldset>
      {saved && !dirty && (
        <SuccessAlert focusKey={saved.key}>
          {t(saved.text)}
        </SuccessAlert>
      )}
      <div className="kp-button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? t('settings.saving') : t('settings.save')}
        </button>
        {(current.chosen.leads || current.chosen.referrals) && (
          <button type="button" className="button button-secondary" disabled={save.isPending} onClick={() => submit({ notifications: { leads: null, referrals: null } })}>
            {t('settings.reset')}
          </button>
        )}
      </div>
    </form>
  );
}
