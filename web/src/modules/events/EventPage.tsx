import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { DateField, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow, isForbiddenOrHidden, ScrollRegion } from '../../shared/components/ui.tsx';
import { useSession } from '../auth/session.tsx';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { eventsApi, signUpPath, type EventData, type Participant } from './api.ts';
import { EventWhen, kindLabel } from './components.tsx';
import './events.css';

/** One event: its facts, and for the organiser and co-organisers its participants, attendance and follow-up: /arrangementer/:id. */
export function EventPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const event = useQuery({ queryKey: ['events', 'detail', id], queryFn: () => eventsApi.get(id), retry: false });
  usePageTitle(event.data?.title ?? t('events.title'));
  if (event.isPending) return <Loading />;
  if (event.isError) {
    return (
      <>
        <h1>{t('events.title')}</h1>
        {isForbiddenOrHidden(event.error) ? <p>{t('events.notFound')}</p> : <ErrorAlert error={event.error} />}
      </>
    );
  }
  return <EventView event={event.data} />;
}

function EventView({ event }: { event: EventData }) {
  const { t, n } = useI18n();
  const qc = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancel = useMutation({
    mutationFn: () => eventsApi.cancel(event.id, event.version),
    onSuccess: (e) => {
      qc.setQueryData(['events', 'detail', e.id], e);
      void qc.invalidateQueries({ queryKey: ['events', 'list'] });
      setConfirmCancel(false);
    },
  });
  const session = useSession().data;
  const [leftKey, setLeftKey] = useState(0);
  // The organisation's own withdrawal as a co-organiser: the list less itself, which the server checks.
  const leave = useMutation({
    mutationFn: () => eventsApi.update(event.id, { coOrganiserIds: event.coOrganisers.map((o) => o.id).filter((id) => id !== session?.user.organisation.id), version: event.version }),
    onSuccess: (e) => {
      qc.setQueryData(['events', 'detail', e.id], e);
      void qc.invalidateQueries({ queryKey: ['events', 'list'] });
      setLeftKey((k) => k + 1);
    },
  });
  const started = event.started;
  return (
    <>
      <h1 tabIndex={-1}>{event.title}</h1>
      <p className="font-lead">
        {kindLabel(t, event.kind)} · <EventWhen startsAt={event.startsAt} endsAt={event.endsAt} />
      </p>
      {event.status === 'cancelled' && (
        <div className="alert alert-warning my-5">
          <div className="alert-body">
            <p className="alert-text">{t('events.cancelledNote')}</p>
          </div>
        </div>
      )}
      {cancel.isSuccess && <SuccessAlert focusKey={1}>{t('events.cancelDone')}</SuccessAlert>}
      <dl className="kp-dl">
        <DlRow label={t('events.organiser')}>{event.organiser.name}</DlRow>
        {event.coOrganisers.length > 0 && <DlRow label={t('events.coOrganisers')}>{event.coOrganisers.map((o) => o.name).join(', ')}</DlRow>}
        <DlRow label={t('events.place')}>{event.place ?? (event.online ? t('events.online') : t('common.none'))}</DlRow>
        <DlRow label={t('events.themes')}>{event.themes.length ? event.themes.map((k) => themeLabel(t, k)).join(', ') : t('common.none')}</DlRow>
        <DlRow label={t('events.col.participants')}>
          {event.capacity === null ? n(event.counts.registered) : t('events.seats', { n: n(event.counts.registered), of: n(event.capacity) })}
          {event.counts.waitlisted > 0 && ` · ${t('events.waitlistedCount', { n: n(event.counts.waitlisted) })}`}
        </DlRow>
        {event.held && <DlRow label={t('events.attendance')}>{t('events.attendanceCounts', { attended: n(event.counts.attended), noShow: n(event.counts.noShow) })}</DlRow>}
        {event.series && <DlRow label={t('events.series')}>{event.series.title}</DlRow>}
        <DlRow label={t('events.signup')}>
          {event.public && event.signupOpen && event.status === 'planned' ? <Link to={signUpPath(event.id)}>{t('events.signupPage')}</Link> : t('events.signupNotPublic')}
        </DlRow>
      </dl>
      {event.description && <p className="kp-events-description">{event.description}</p>}
      {event.abilities.change && event.status === 'planned' && (
        <div className="kp-events-actions">
          <Link to={`/arrangementer/${event.id}/ret`} className="button button-secondary">
            {t('events.edit')}
          </Link>
          {!started &&
            (confirmCancel ? (
              <>
                <span>{t('events.cancelConfirmText')}</span>
                <button type="button" className="button button-primary" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
                  {t('events.cancelConfirm')}
                </button>
                <button type="button" className="button button-tertiary" onClick={() => setConfirmCancel(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="button button-tertiary" onClick={() => setConfirmCancel(true)}>
                {t('events.cancelEvent')}
              </button>
            ))}
        </div>
      )}
      <ErrorAlert error={cancel.error} />
      {event.abilities.leave && (
        <div className="kp-events-actions">
          <button type="button" className="button button-tertiary" onClick={() => leave.mutate()} disabled={leave.isPending}>
            {t('events.leave')}
          </button>
        </div>
      )}
      {leftKey > 0 && <SuccessAlert focusKey={leftKey}>{t('events.left')}</SuccessAlert>}
      <ErrorAlert error={leave.error} />
      {event.abilities.readParticipants && <Participants event={event} started={started} />}
      {event.abilities.followUp && event.held && <Evaluation event={event} />}
      {event.abilities.readParticipants && <FollowUps event={event} />}
    </>
  );
}

function Participants({ event, started }: { event: EventData; started: boolean }) {
  const { t, d } = useI18n();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['events', 'participants', event.id], queryFn: () => eventsApi.participants(event.id) });
  const seated = (list.data?.items ?? []).filter((p) => ['registered', 'attended', 'no_show'].includes(p.status));
  const [marks, setMarks] = useState<Record<string, boolean> | null>(null);
  const attendedOf = (p: Participant) => marks?.[p.id] ?? p.status === 'attended';
  const [saved, setSaved] = useState(0);
  const save = useMutation({
    mutationFn: () => eventsApi.attendance(event.id, { participants: seated.map((p) => ({ id: p.id, status: attendedOf(p) ? 'attended' : 'no_show' })) }),
    onSuccess: (data) => {
      qc.setQueryData(['events', 'participants', event.id], data);
      void qc.invalidateQueries({ queryKey: ['events', 'detail', event.id] });
      setMarks(null);
      setSaved((k) => k + 1);
    },
  });
  const canMark = event.abilities.followUp && started && event.status === 'planned';
  const [confirmedKey, setConfirmedKey] = useState(0);
  const confirm = useMutation({
    mutationFn: (participantId: string) => eventsApi.confirmConsents(event.id, participantId),
    onSuccess: (data) => {
      qc.setQueryData(['events', 'participants', event.id], data);
      setConfirmedKey((k) => k + 1);
    },
  });
  const [removedKey, setRemovedKey] = useState(0);
  const remove = useMutation({
    mutationFn: (participantId: string) => eventsApi.cancelParticipant(event.id, participantId),
    onSuccess: (data) => {
      qc.setQueryData(['events', 'participants', event.id], data);
      void qc.invalidateQueries({ queryKey: ['events', 'detail', event.id] });
      setRemovedKey((k) => k + 1);
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <section className="kp-events-section" aria-labelledby="event-participants-heading">
      <h2 id="event-participants-heading">{t('events.participants')}</h2>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {saved > 0 && <SuccessAlert focusKey={saved}>{t('events.attendanceSaved')}</SuccessAlert>}
      <ErrorAlert error={save.error} />
      {confirmedKey > 0 && <SuccessAlert focusKey={confirmedKey}>{t('events.consentsConfirmed')}</SuccessAlert>}
      <ErrorAlert error={confirm.error} />
      {removedKey > 0 && <SuccessAlert focusKey={removedKey}>{t('events.participantCancelled')}</SuccessAlert>}
      <ErrorAlert error={remove.error} />
      {list.data && list.data.items.length === 0 && <p>{t('events.noParticipants')}</p>}
      {list.data && list.data.items.length > 0 && (
        <form onSubmit={onSubmit}>
          <ScrollRegion>
            <table className="table table--compact kp-events-participants">
              <caption>{t('events.participantsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('events.col.person')}</th>
                  <th scope="col">{t('events.col.company')}</th>
                  <th scope="col">{t('events.col.contact')}</th>
                  <th scope="col">{t('events.col.registered')}</th>
                  <th scope="col">{t('events.col.status')}</th>
                  <th scope="col">{t('events.col.consents')}</th>
                  {canMark && <th scope="col">{t('events.col.attended')}</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.personName}</th>
                    <td>{p.company ? <Link to={`/virksomheder/${p.company.cvr}`}>{p.company.name || `CVR ${p.company.cvr}`}</Link> : (p.companyName ?? t('events.noCvrShort'))}</td>
                    <td>
                      <a href={`mailto:${p.email}`}>{p.email}</a>
                      {p.phone && <div>{p.phone}</div>}
                    </td>
                    <td>{d(p.registeredAt)}</td>
                    <td>
                      {t(`events.participantStatus.${p.status}`)}
                      {p.followUpTask && <div>{t('events.followUpTaskMade')}</div>}
                      {(p.status === 'registered' || p.status === 'waitlisted') && event.abilities.followUp && event.status === 'planned' && (
                        <div>
                          <button type="button" className="function-link" onClick={() => remove.mutate(p.id)} disabled={remove.isPending}>
                            {t('events.cancelParticipant', { name: p.personName })}
                          </button>
                        </div>
                      )}
                    </td>
                    <td>
                      {consentText(t, p)}
                      {p.consents.awaitingConfirmation && event.abilities.followUp && (
                        <div>
                          <button type="button" className="function-link" onClick={() => confirm.mutate(p.id)} disabled={confirm.isPending}>
                            {t('events.confirmConsents', { name: p.personName })}
                          </button>
                        </div>
                      )}
                    </td>
                    {canMark && (
                      <td>
                        {['registered', 'attended', 'no_show'].includes(p.status) && (
                          <div className="form-group-checkbox">
                            <input id={`attended-${p.id}`} type="checkbox" className="form-checkbox" checked={attendedOf(p)} onChange={(e) => setMarks({ ...(marks ?? {}), [p.id]: e.target.checked })} />
                            <label className="form-label" htmlFor={`attended-${p.id}`}>
                              <span className="sr-only">{t('events.attendedLabel', { name: p.personName })}</span>
                              <span aria-hidden="true">{t('events.col.attended')}</span>
                            </label>
                          </div>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {canMark && seated.length > 0 && (
            <button type="submit" className="button button-primary mt-5" disabled={save.isPending}>
              {t('events.saveAttendance')}
            </button>
          )}
        </form>
      )}
      {canMark && event.counts.attended > 0 && <FollowUpTasks event={event} />}
    </section>
  );
}

function consentText(t: ReturnType<typeof useI18n>['t'], p: Participant): string {
  const given = [p.consents.sharing && t('events.consentSharing'), p.consents.evaluation && t('events.consentEvaluation')].filter(Boolean).join(', ');
  if (!given) return t('common.none');
  return p.consents.awaitingConfirmation ? t('events.consentsAwaiting', { given }) : given;
}

function FollowUpTasks({ event }: { event: EventData }) {
  const { t, deadline, n } = useI18n();
  const qc = useQueryClient();
  const [days, setDays] = useState('3');
  const make = useMutation({
    mutationFn: () => eventsApi.followUpTasks(event.id, { workingDays: Number(days) }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['events', 'participants', event.id] }),
  });
  const errors = fieldErrorsOf(make.error);
  return (
    <form
      className="kp-events-section"
      onSubmit={(e) => {
        e.preventDefault();
        make.mutate();
      }}
      aria-labelledby="event-tasks-heading"
    >
      <h3 id="event-tasks-heading">{t('events.followUpTasks')}</h3>
      <p>{t('events.followUpTasksIntro')}</p>
      <Field id="event-tasks-days" label={t('events.followUpDays')} error={errors.workingDays}>
        {(db) => <input id="event-tasks-days" className="form-input input-width-xs" inputMode="numeric" maxLength={2} value={days} onChange={(e) => setDays(e.target.value)} aria-describedby={db} />}
      </Field>
      {make.data && <SuccessAlert focusKey={make.submittedAt}>{t('events.followUpTasksMade', { n: n(make.data.created), due: deadline(make.data.dueOn) })}</SuccessAlert>}
      {!(make.error instanceof ApiError && make.error.problem.errors?.length) && <ErrorAlert error={make.error} />}
      <button type="submit" className="button button-secondary" disabled={make.isPending}>
        {t('events.followUpTasksMake')}
      </button>
    </form>
  );
}

function Evaluation({ event }: { event: EventData }) {
  const { t, n } = useI18n();
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: () => eventsApi.sendEvaluation(event.id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['events', 'detail', event.id] }),
  });
  return (
    <section className="kp-events-section" aria-labelledby="event-evaluation-heading">
      <h2 id="event-evaluation-heading">{t('events.evaluation')}</h2>
      {send.data && <SuccessAlert focusKey={send.submittedAt}>{t('events.evaluationSentNow', { n: n(send.data.invited) })}</SuccessAlert>}
      <ErrorAlert error={send.error} />
      {event.evaluationSent ? (
        !send.data && <p>{t('events.evaluationAlreadySent')}</p>
      ) : event.counts.attended === 0 ? (
        <p>{t('events.evaluationNoAttendees')}</p>
      ) : (
        <>
          <p>{t('events.evaluationIntro')}</p>
          <button type="button" className="button button-secondary" onClick={() => send.mutate()} disabled={send.isPending}>
            {t('events.evaluationSend')}
          </button>
        </>
      )}
    </section>
  );
}

function FollowUps({ event }: { event: EventData }) {
  const { t, d } = useI18n();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['events', 'follow-ups', event.id], queryFn: () => eventsApi.followUps(event.id) });
  const empty = { company: '', metWith: '', nextStep: '', dueOn: '' };
  const [v, setV] = useState(empty);
  const add = useMutation({
    mutationFn: () => {
      const company = v.company.replace(/\s/g, '');
      return eventsApi.addFollowUp(event.id, {
        ...(/^\d{8}$/.test(company) ? { companyCvr: company } : { companyName: v.company.trim() || undefined }),
        metWith: v.metWith.trim(),
        nextStep: v.nextStep.trim(),
        dueOn: v.dueOn.trim() ? toIsoDate(v.dueOn) : undefined,
      });
    },
    onSuccess: (data) => {
      qc.setQueryData(['events', 'follow-ups', event.id], data);
      setV(empty);
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <section className="kp-events-section" aria-labelledby="event-follow-ups-heading">
      <h2 id="event-follow-ups-heading">{t('events.followUps')}</h2>
      <p>{t('events.followUpsIntro')}</p>
      {list.isPending && <Loading />}
      <ErrorAlert error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('events.noFollowUps')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ScrollRegion>
          <table className="table table--compact">
            <caption className="sr-only">{t('events.followUps')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('events.col.company')}</th>
                <th scope="col">{t('events.metWith')}</th>
                <th scope="col">{t('events.nextStep')}</th>
                <th scope="col">{t('events.followUpDue')}</th>
                <th scope="col">{t('events.col.organiser')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.company.name ?? f.company.cvr}</th>
                  <td>{f.metWith}</td>
                  <td>{f.nextStep}</td>
                  <td>{f.dueOn ? d(f.dueOn) : t('common.none')}</td>
                  <td>{f.organisation.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {event.abilities.followUp && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
          className="kp-events-form"
          aria-labelledby="event-follow-up-add-heading"
        >
          <h3 id="event-follow-up-add-heading">{t('events.followUpAdd')}</h3>
          {add.isSuccess && <SuccessAlert focusKey={add.submittedAt}>{t('events.followUpAdded')}</SuccessAlert>}
          {!(add.error instanceof ApiError && add.error.problem.errors?.length) && <ErrorAlert error={add.error} />}
          <Field id="follow-up-company" label={t('events.followUpCompany')} hint={t('events.followUpCompanyHint')} error={errors.companyCvr ?? errors.companyName}>
            {(db) => <input id="follow-up-company" className="form-input" maxLength={200} value={v.company} onChange={(e) => setV({ ...v, company: e.target.value })} aria-describedby={db} />}
          </Field>
          <Field id="follow-up-met" label={t('events.metWith')} error={errors.metWith}>
            {(db) => <input id="follow-up-met" className="form-input" maxLength={500} value={v.metWith} onChange={(e) => setV({ ...v, metWith: e.target.value })} aria-describedby={db} />}
          </Field>
          <Field id="follow-up-next" label={t('events.nextStep')} error={errors.nextStep}>
            {(db) => <textarea id="follow-up-next" className="form-input" rows={3} maxLength={2000} value={v.nextStep} onChange={(e) => setV({ ...v, nextStep: e.target.value })} aria-describedby={db} />}
          </Field>
          <DateField id="follow-up-due" label={t('events.followUpDue')} value={v.dueOn} onChange={(x) => setV({ ...v, dueOn: x })} error={errors.dueOn} />
          <button type="submit" className="button button-secondary" disabled={add.isPending}>
            {t('events.followUpSave')}
          </button>
        </form>
      )}
    </section>
  );
}
