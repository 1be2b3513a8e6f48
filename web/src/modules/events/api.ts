/** Events (arrangementer): types from the server's schemas and the API calls, back office and public. */
import { qs, request } from '../../shared/api.ts';
import type {
  AttendanceInput,
  EventData,
  EventInput,
  EventKind,
  EventPage,
  EventPatch,
  FollowUp,
  FollowUpInput,
  FollowUpTasksInput,
  FollowUpTasksResult,
  Participant,
  ParticipantStatus,
  PublicEvent,
  PublicRegistration,
  Series,
  SeriesInput,
  SignUpInput,
  SignUpReceipt,
} from '#server/modules/events/schemas.ts';

export type { EventData, EventInput, EventKind, FollowUp, Participant, ParticipantStatus, PublicEvent, PublicRegistration, Series, SignUpInput, SignUpReceipt };

export const EVENT_KINDS = ['workshop', 'network_meeting', 'course', 'fair', 'delegation_visit', 'academy', 'webinar', 'other'] as const satisfies readonly EventKind[];
export const EVENT_WHEN = ['upcoming', 'past'] as const;

const path = (id: string) => `/events/${encodeURIComponent(id)}`;

export const eventsApi = {
  list: (p: { when: string; kind?: string; series?: string; page?: number }) =>
    request<EventPage>('GET', `/events${qs({ when: p.when, kind: p.kind, series: p.series, page: p.page && p.page > 1 ? p.page : undefined })}`),
  get: (id: string) => request<EventData>('GET', path(id)),
  create: (input: EventInput) => request<EventData>('POST', '/events', input),
  update: (id: string, patch: EventPatch) => request<EventData>('PATCH', path(id), patch),
  cancel: (id: string, version: number) => request<EventData>('POST', `${path(id)}/cancel`, { version }),
  participants: (id: string) => request<{ items: Participant[] }>('GET', `${path(id)}/participants`),
  attendance: (id: string, input: AttendanceInput) => request<{ items: Participant[] }>('POST', `${path(id)}/attendance`, input),
  confirmConsents: (id: string, participantId: string) =>
    request<{ items: Participant[] }>('POST', `${path(id)}/participants/${encodeURIComponent(participantId)}/confirm-consents`, {}),
  cancelParticipant: (id: string, participantId: string) =>
    request<{ items: Participant[] }>('POST', `${path(id)}/participants/${encodeURIComponent(participantId)}/cancel`, {}),
  followUpTasks: (id: string, input: FollowUpTasksInput) => request<FollowUpTasksResult>('POST', `${path(id)}/follow-up-tasks`, input),
  sendEvaluation: (id: string) => request<{ invited: number; surveyId: string }>('POST', `${path(id)}/evaluation`, {}),
  followUps: (id: string) => request<{ items: FollowUp[] }>('GET', `${path(id)}/follow-ups`),
  addFollowUp: (id: string, input: FollowUpInput) => request<{ items: FollowUp[] }>('POST', `${path(id)}/follow-ups`, input),
  series: () => request<{ items: Series[] }>('GET', '/event-series'),
  createSeries: (input: SeriesInput) => request<Series>('POST', '/event-series', input),
  addMember: (id: string, cvr: string) => request<Series>('POST', `/event-series/${encodeURIComponent(id)}/members`, { cvr }),
  removeMember: (id: string, cvr: string) => request<Series>('DELETE', `/event-series/${encodeURIComponent(id)}/members/${encodeURIComponent(cvr)}`),
};

export const publicEventsApi = {
  list: () => request<{ items: PublicEvent[] }>('GET', '/public/events'),
  get: (id: string) => request<PublicEvent>('GET', `/public/events/${encodeURIComponent(id)}`),
  signUp: (id: string, input: SignUpInput, idempotencyKey: string) =>
    request<SignUpReceipt>('POST', `/public/events/${encodeURIComponent(id)}/registrations`, input, { 'Idempotency-Key': idempotencyKey }),
  registration: (token: string) => request<PublicRegistration>('GET', `/public/event-registrations/${encodeURIComponent(token)}`),
  cancel: (token: string) => request<PublicRegistration>('POST', `/public/event-registrations/${encodeURIComponent(token)}/cancel`, {}),
};

export const eventPath = (id: string) => `/arrangementer/${encodeURIComponent(id)}`;
export const signUpPath = (id: string) => `/arrangementer/${encodeURIComponent(id)}/tilmelding`;

/**
 * A date (dd.mm.åååå or ISO) and a time (tt:mm) in Denmark as an ISO instant, whatever the browser's
 * time zone: the offset of Europe/Copenhagen at that moment (summer or winter time) is looked up.
 */
export function copenhagenInstant(isoDate: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const tm = /^(\d{1,2})[:.](\d{2})$/.exec(time.trim());
  if (!d || !tm) return null;
  const [y, mo, day, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(tm[1]), Number(tm[2])];
  if (h > 23 || mi > 59) return null;
  const guess = Date.UTC(y, mo - 1, day, h, mi);
  const offset = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .formatToParts(new Date(at))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - at;
  };
  const instant = guess - offset(guess - offset(guess));
  return new Date(instant).toISOString();
}

/** An instant as its date (YYYY-MM-DD) and time (tt:mm) in Denmark, for the form. */
export function copenhagenParts(iso: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}
