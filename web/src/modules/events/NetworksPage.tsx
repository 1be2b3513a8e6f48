import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useSession } from '../auth/session.tsx';
import { eventsApi, type Series } from './api.ts';
import './events.css';

/** Networks (event series with member companies): /arrangementer/netvaerk. */
export function NetworksPage() {
  const { t } = useI18n();
  usePageTitle(t('series.title'));
  const abilities = useSession().data?.abilities;
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['event-series'], queryFn: () => eventsApi.series() });
  const [title, setTitle] = useState('');
  const create = useMutation({
    mutationFn: () => eventsApi.createSeries({ title: title.trim() }),
    onSuccess: () => {
      setTitle('');
      void qc.invalidateQueries({ queryKey: ['event-series'] });
    },
  });
  const errors = fieldErrorsOf(create.error);
  return (
    <>
      <h1>{t('series.title')}</h1>
      <p>{t('series.intro')}</p>
      <p>
        <Link to="/arrangementer">{t('events.title')}</Link>
      </p>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data?.items.length === 0 && <p>{t('series.empty')}</p>}
      {list.data?.items.map((s) => <SeriesBlock key={s.id} series={s} />)}
      {abilities?.create.eventSeries && (
        <form
          className="kp-events-section kp-events-form"
          aria-labelledby="series-create-heading"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <h2 id="series-create-heading">{t('series.create')}</h2>
          {create.isSuccess && <SuccessAlert focusKey={create.submittedAt}>{t('series.created', { title: create.data.title })}</SuccessAlert>}
          <Field id="series-title" label={t('series.titleField')} error={errors.title}>
            {(db) => <input id="series-title" className="form-input" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={db} />}
          </Field>
          <button type="submit" className="button button-secondary" disabled={create.isPending}>
            {t('series.create')}
          </button>
        </form>
      )}
    </>
  );
}

function SeriesBlock({ series }: { series: Series }) {
  const { t, n } = useI18n();
  const qc = useQueryClient();
  const [cvr, setCvr] = useState('');
  const add = useMutation({
    mutationFn: () => eventsApi.addMember(series.id, cvr.replace(/\s/g, '')),
    onSuccess: () => {
      setCvr('');
      void qc.invalidateQueries({ queryKey: ['event-series'] });
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <section className="kp-events-section" aria-labelledby={`series-${series.id}`}>
      <h2 id={`series-${series.id}`}>{series.title}</h2>
      <p>
        {series.organisation.name} · {t('series.members', { n: n(series.memberCount) })} · <Link to={`/arrangementer?serie=${series.id}`}>{t('series.events')}</Link>
      </p>
      {series.members && series.members.length > 0 && (
        <ul>
          {series.members.map((m) => (
            <li key={m.cvr}>
              <Link to={`/virksomheder/${m.cvr}`}>{m.name}</Link>
            </li>
          ))}
        </ul>
      )}
      {series.abilities.manage && (
        <form
          className="kp-events-actions"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Field id={`series-member-${series.id}`} label={t('series.addMember')} error={errors.cvr}>
            {(db) => <input id={`series-member-${series.id}`} className="form-input input-width-s" inputMode="numeric" maxLength={10} value={cvr} onChange={(e) => setCvr(e.target.value)} aria-describedby={db} />}
          </Field>
          <button type="submit" className="button button-secondary" disabled={add.isPending}>
            {t('series.add')}
          </button>
        </form>
      )}
    </section>
  );
}
