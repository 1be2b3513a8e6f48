import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import {
  CheckboxList,
  DateField,
  ErrorAlert,
  ErrorSummary,
  errorSummaryItems,
  Field,
  Fieldset,
  focusHeading,
  Loading,
  toDanishDate,
  toIsoDate,
  usePageTitle,
} from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { useSession } from '../auth/session.tsx';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { CATALOGUE_THEMES, isOneOf } from '../offers/catalogue/options.ts';
import { useOrganisations } from '../organisations/hooks.ts';
import { copenhagenInstant, copenhagenParts, EVENT_KINDS, eventPath, eventsApi, type EventData, type EventInput, type EventKind } from './api.ts';
import { kindLabel } from './components.tsx';
import './events.css';

interface Values {
  kind: EventKind;
  title: string;
  description: string;
  themes: string[];
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  place: string;
  online: boolean;
  capacity: string;
  signupOpen: boolean;
  public: boolean;
  reminderDays: string;
  coOrganiserIds: string[];
  seriesId: string;
}

const blank: Values = {
  kind: 'workshop', title: '', description: '', themes: [], startDate: '', startTime: '09:00', endDate: '', endTime: '12:00', place: '', online: false,
  capacity: '', signupOpen: true, public: true, reminderDays: '2', coOrganiserIds: [], seriesId: '',
};

function valuesOf(e: EventData): Values {
  const s = copenhagenParts(e.startsAt);
  const en = copenhagenParts(e.endsAt);
  return {
    kind: e.kind, title: e.title, description: e.description ?? '', themes: e.themes, startDate: toDanishDate(s.date), startTime: s.time, endDate: toDanishDate(en.date),
    endTime: en.time, place: e.place ?? '', online: e.online, capacity: e.capacity === null ? '' : String(e.capacity), signupOpen: e.signupOpen, public: e.public,
    reminderDays: e.reminderDays === null ? '' : String(e.reminderDays), coOrganiserIds: e.coOrganisers.map((o) => o.id), seriesId: e.series?.id ?? '',
  };
}

const FIELD_TARGETS: [string, string | null][] = [
  ['kind', 'event-kind'],
  ['title', 'event-title'],
  ['description', 'event-description'],
  ['startsAt', 'event-start-date'],
  ['endsAt', 'event-end-date'],
  ['place', 'event-place'],
  ['capacity', 'event-capacity'],
  ['reminderDays', 'event-reminder'],
  ['coOrganiserIds', 'event-co-organiser'],
  ['seriesId', 'event-series'],
];

/** Create (/arrangementer/nyt) or change (/arrangementer/:id/ret) an event. */
export function EventFormPage() {
  const { id } = useParams();
  const event = useQuery({ queryKey: ['events', 'detail', id], queryFn: () => eventsApi.get(id!), enabled: !!id });
  if (id && event.isPending) return <Loading />;
  if (id && event.isError) return <ErrorAlert error={event.error} />;
  return <EventForm key={event.data?.version ?? 'new'} event={event.data} />;
}

function EventForm({ event }: { event: EventData | undefined }) {
  const { t } = useI18n();
  const title = event ? t('events.editTitle') : t('events.createTitle');
  usePageTitle(title);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const session = useSession().data;
  const organisations = useOrganisations(true);
  const series = useQuery({ queryKey: ['event-series'], queryFn: () => eventsApi.series() });
  const initial = event ? valuesOf(event) : blank;
  const [v, setV] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [coPick, setCoPick] = useState('');
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const update = <K extends keyof Values>(key: K, value: Values[K]) => setV((p) => ({ ...p, [key]: value }));

  const save = useMutation({
    mutationFn: (input: EventInput) => (event ? eventsApi.update(event.id, { ...input, version: event.version }) : eventsApi.create(input)),
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: ['events'] });
      setV(valuesOf(saved));
      void navigate(eventPath(saved.id), { state: focusHeading });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.problem.errors?.length) {
        const next: Record<string, string> = {};
        for (const { field, message } of e.problem.errors) next[field.split('.')[0]!] ??= message;
        setErrors(next);
        setSummaryKey((k) => k + 1);
      }
    },
  });
  useUnsavedChanges(dirty && !save.isPending && !save.isSuccess);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!v.title.trim()) next.title = t('events.titleRequired');
    const startsAt = copenhagenInstant(toIsoDate(v.startDate), v.startTime);
    const endsAt = copenhagenInstant(toIsoDate(v.endDate || v.startDate), v.endTime);
    if (!startsAt) next.startsAt = t('events.whenInvalid');
    if (!endsAt) next.endsAt = t('events.whenInvalid');
    const capacity = v.capacity.trim() ? Number(v.capacity) : null;
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1)) next.capacity = t('events.capacityInvalid');
    const reminderDays = v.reminderDays.trim() ? Number(v.reminderDays) : null;
    if (reminderDays !== null && (!Number.isInteger(reminderDays) || reminderDays < 1 || reminderDays > 30)) next.reminderDays = t('events.reminderInvalid');
    setErrors(next);
    if (Object.keys(next).length) {
      setSummaryKey((k) => k + 1);
      return;
    }
    save.mutate({
      kind: v.kind, title: v.title.trim(), description: v.description.trim() || undefined, themes: v.themes.filter((k) => isOneOf(CATALOGUE_THEMES, k)), startsAt: startsAt!, endsAt: endsAt!,
      place: v.place.trim() || undefined, online: v.online, capacity, signupOpen: v.signupOpen, public: v.public, reminderDays, coOrganiserIds: v.coOrganiserIds,
      seriesId: v.seriesId || null,
    });
  };

  const orgName = (id: string) => organisations.data?.find((o) => o.id === id)?.name ?? id;
  const ownId = event?.organiser.id ?? session?.user.organisation.id;
  const otherError = save.error instanceof ApiError && save.error.problem.errors?.length ? null : save.error;
  const ownSeries = (series.data?.items ?? []).filter((s) => s.abilities.manage || s.id === v.seriesId);
  // Who co-organises and the network are the organiser's to decide; a co-organiser's form sends them unchanged.
  const organise = !event || event.abilities.organise;

  return (
    <>
      <h1>{title}</h1>
      <ErrorSummary id="event-error-summary" heading={t('events.errorSummary')} items={errorSummaryItems(errors, FIELD_TARGETS)} focusKey={summaryKey} />
      <ErrorAlert error={otherError} />
      <form onSubmit={onSubmit} noValidate className="kp-events-form">
        <Field id="event-kind" label={t('events.kind')} error={errors.kind}>
          {(db) => (
            <select id="event-kind" className="form-select" value={v.kind} onChange={(e) => update('kind', e.target.value as EventKind)} aria-describedby={db}>
              {EVENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(t, k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="event-title" label={t('events.titleField')} error={errors.title}>
          {(db) => (
            <input id="event-title" className="form-input" maxLength={200} value={v.title} onChange={(e) => update('title', e.target.value)} aria-describedby={db}
              aria-invalid={errors.title ? true : undefined} aria-required="true" />
          )}
        </Field>
        <Field id="event-description" label={t('events.description')} error={errors.description}>
          {(db) => <textarea id="event-description" className="form-input" rows={5} maxLength={5000} value={v.description} onChange={(e) => update('description', e.target.value)} aria-describedby={db} />}
        </Field>
        <Fieldset id="event-themes" legend={t('events.themes')}>
          <CheckboxList idPrefix="event-theme" className="kp-events-themes" options={CATALOGUE_THEMES} label={(k) => themeLabel(t, k)} chosen={v.themes} onChange={(x) => update('themes', x)} />
        </Fieldset>
        <DateField id="event-start-date" label={t('events.startDate')} value={v.startDate} onChange={(x) => update('startDate', x)} error={errors.startsAt} required />
        <Field id="event-start-time" label={t('events.startTime')} hint={t('events.timeHint')}>
          {(db) => <input id="event-start-time" className="form-input kp-events-time" inputMode="numeric" maxLength={5} value={v.startTime} onChange={(e) => update('startTime', e.target.value)} aria-describedby={db} />}
        </Field>
        <DateField id="event-end-date" label={t('events.endDate')} value={v.endDate} onChange={(x) => update('endDate', x)} error={errors.endsAt} />
        <Field id="event-end-time" label={t('events.endTime')} hint={t('events.timeHint')}>
          {(db) => <input id="event-end-time" className="form-input kp-events-time" inputMode="numeric" maxLength={5} value={v.endTime} onChange={(e) => update('endTime', e.target.value)} aria-describedby={db} />}
        </Field>
        <Field id="event-place" label={t('events.place')} error={errors.place}>
          {(db) => <input id="event-place" className="form-input" maxLength={300} value={v.place} onChange={(e) => update('place', e.target.value)} aria-describedby={db} />}
        </Field>
        <Fieldset id="event-options" legend={t('events.options')}>
          {(['online', 'public', 'signupOpen'] as const).map((k) => (
            <div className="form-group-checkbox" key={k}>
              <input id={`event-${k}`} type="checkbox" className="form-checkbox" checked={v[k]} onChange={(e) => update(k, e.target.checked)} />
              <label className="form-label" htmlFor={`event-${k}`}>
                {t(`events.option.${k}`)}
              </label>
            </div>
          ))}
        </Fieldset>
        <Field id="event-capacity" label={t('events.capacity')} hint={t('events.capacityHint')} error={errors.capacity}>
          {(db) => (
            <input id="event-capacity" className="form-input input-width-xs" inputMode="numeric" maxLength={6} value={v.capacity} onChange={(e) => update('capacity', e.target.value)}
              aria-describedby={db} aria-invalid={errors.capacity ? true : undefined} />
          )}
        </Field>
        <Field id="event-reminder" label={t('events.reminderDays')} hint={t('events.reminderHint')} error={errors.reminderDays}>
          {(db) => (
            <input id="event-reminder" className="form-input input-width-xs" inputMode="numeric" maxLength={2} value={v.reminderDays} onChange={(e) => update('reminderDays', e.target.value)}
              aria-describedby={db} aria-invalid={errors.reminderDays ? true : undefined} />
          )}
        </Field>
        {organise && (
          <>
            <Field id="event-co-organiser" label={t('events.coOrganisers')} hint={t('events.coOrganisersHint')} error={errors.coOrganiserIds}>
              {(db) => (
                <div className="kp-events-actions">
                  <select id="event-co-organiser" className="form-select" value={coPick} onChange={(e) => setCoPick(e.target.value)} aria-describedby={db}>
                    <option value="">{t('events.coOrganiserChoose')}</option>
                    {(organisations.data ?? []).filter((o) => o.id !== ownId && !v.coOrganiserIds.includes(o.id)).map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                  <button type="button" className="button button-secondary" disabled={!coPick} onClick={() => { update('coOrganiserIds', [...v.coOrganiserIds, coPick]); setCoPick(''); }}>
                    {t('events.coOrganiserAdd')}
                  </button>
                </div>
              )}
            </Field>
            {v.coOrganiserIds.length > 0 && (
              <ul className="kp-events-co">
                {v.coOrganiserIds.map((id) => (
                  <li key={id}>
                    {orgName(id)}{' '}
                    <button type="button" className="function-link" onClick={() => update('coOrganiserIds', v.coOrganiserIds.filter((x) => x !== id))}>
                      {t('events.coOrganiserRemove', { name: orgName(id) })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <Field id="event-series" label={t('events.series')} hint={t('events.seriesHint')} error={errors.seriesId}>
              {(db) => (
                <select id="event-series" className="form-select" value={v.seriesId} onChange={(e) => update('seriesId', e.target.value)} aria-describedby={db}>
                  <option value="">{t('events.seriesNone')}</option>
                  {ownSeries.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        <div className="kp-events-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {event ? t('events.save') : t('events.create')}
          </button>
          <Link to={event ? eventPath(event.id) : '/arrangementer'}>{t('common.cancel')}</Link>
        </div>
      </form>
    </>
  );
}
