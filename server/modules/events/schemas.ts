/**
 * The events API's shapes (arrangementer, their participants, follow-up and networks): the routes
 * validate and serialise with them, and the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { isoDate, isoDateTime } from '../../lib/dates.ts';
import { versionSchema } from '../../lib/integers.ts';
import { pageSchema } from '../../lib/paging.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { themeKeys } from '../organisations/themes.ts';
import { eventKinds, eventStatuses, participantStatuses } from './schema.ts';

export { eventKinds, participantStatuses };

const title = z.string().trim().min(1).max(200);
const text = (max: number) => z.string().trim().max(max);
/** A moment PostgreSQL holds as written (lib/dates.ts). */
const instant = isoDateTime;

const eventFields = {
  kind: z.enum(eventKinds),
  title,
  description: text(5_000).optional(),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
  startsAt: instant,
  endsAt: instant,
  place: text(300).optional(),
  online: z.boolean().default(false),
  capacity: z.number().int().min(1).max(100_000).nullable().default(null),
  signupOpen: z.boolean().default(true),
  public: z.boolean().default(false),
  reminderDays: z.number().int().min(1).max(30).nullable().default(2),
  coOrganiserIds: z.array(z.uuid()).max(20).default([]),
  seriesId: z.uuid().nullable().default(null),
};

export const eventBody = z.strictObject(eventFields);

/** A change: any of the fields, with the version read. */
export const eventPatchBody = z.strictObject({
  kind: eventFields.kind.optional(),
  title: title.optional(),
  description: text(5_000).nullable().optional(),
  themes: z.array(z.enum(themeKeys)).max(12).optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  place: text(300).nullable().optional(),
  online: z.boolean().optional(),
  capacity: z.number().int().min(1).max(100_000).nullable().optional(),
  signupOpen: z.boolean().optional(),
  public: z.boolean().optional(),
  reminderDays: z.number().int().min(1).max(30).nullable().optional(),
  coOrganiserIds: z.array(z.uuid()).max(20).optional(),
  seriesId: z.uuid().nullable().optional(),
  version: versionSchema,
});

export const eventAbilitiesSchema = z.object({
  /** PATCH /events/:id, POST /events/:id/cancel */
  change: z.boolean(),
  /** GET /events/:id/participants and /follow-ups: the participants' personal data (organiser and co-organisers). */
  readParticipants: z.boolean(),
  /** POST /events/:id/attendance, /follow-up-tasks, /follow-ups, /evaluation */
  followUp: z.boolean(),
  /** PATCH /events/:id changing `coOrganiserIds` or `seriesId`: the organiser alone. */
  organise: z.boolean(),
  /** PATCH /events/:id with `coOrganiserIds` less the caller's own organisation: a co-organiser withdraws. */
  leave: z.boolean(),
});

const orgRef = z.object({ id: z.string(), name: z.string() });

export const eventSchema = z.object({
  id: z.string(),
  kind: z.enum(eventKinds),
  title: z.string(),
  description: z.string().nullable(),
  themes: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  online: z.boolean(),
  capacity: z.number().nullable(),
  signupOpen: z.boolean(),
  public: z.boolean(),
  status: z.enum(eventStatuses),
  reminderDays: z.number().nullable(),
  organiser: orgRef,
  coOrganisers: z.array(orgRef),
  series: z.object({ id: z.string(), title: z.string() }).nullable(),
  /** How many are registered (attended and no-shows included), waiting, attended and absent. */
  counts: z.object({ registered: z.number(), waitlisted: z.number(), attended: z.number(), noShow: z.number() }),
  /** It has begun: attendance can be registered, and sign-up and cancelling are over. */
  started: z.boolean(),
  /** Not cancelled and over: counts as held (the contract's goal 6). */
  held: z.boolean(),
  /** The evaluation questionnaire has been sent to the participants. */
  evaluationSent: z.boolean(),
  version: z.number(),
  abilities: eventAbilitiesSchema,
});

export const eventPageSchema = pageSchema(eventSchema);

export const eventsQuery = z.object({
  when: z.enum(['upcoming', 'past', 'all']).default('upcoming'),
  kind: z.enum(eventKinds).optional(),
  series: z.uuid().optional(),
  /** Only events the caller's organisation organises or co-organises. */
  mine: z.enum(['true', 'false']).optional(),
});

export const participantSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string() }).nullable(),
  prospect: z.object({ id: z.string() }).nullable(),
  companyName: z.string().nullable(),
  personName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  status: z.enum(participantStatuses),
  registeredAt: z.string(),
  /** What the person ticked; `awaitingConfirmation`: not in force until an organiser who has been in touch confirms it. */
  consents: z.object({ sharing: z.boolean(), evaluation: z.boolean(), awaitingConfirmation: z.boolean() }),
  /** The follow-up task made for this participant, if any (visible to its organisation only). */
  followUpTask: z.boolean(),
});
export const participantListSchema = z.object({ items: z.array(participantSchema) });

export const attendanceBody = z.strictObject({
  participants: z.array(z.strictObject({ id: z.uuid(), status: z.enum(['attended', 'no_show']) })).min(1).max(2_000),
});

export const followUpTasksBody = z.strictObject({
  /** "Contact within N working days". */
  workingDays: z.number().int().min(1).max(60),
  title: z.string().trim().min(1).max(200).optional(),
  assigneeUserId: z.uuid().optional(),
});
export const followUpTasksResultSchema = z.object({ created: z.number(), dueOn: z.iso.date() });

export const followUpBody = z.strictObject({
  companyCvr: cvrSchema.optional(),
  companyName: z.string().trim().min(1).max(200).optional(),
  metWith: z.string().trim().min(1).max(500),
  nextStep: z.string().trim().min(1).max(2_000),
  dueOn: isoDate.optional(),
});
export const followUpSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string().nullable(), name: z.string().nullable() }),
  metWith: z.string(),
  nextStep: z.string(),
  dueOn: z.string().nullable(),
  organisation: orgRef,
  createdAt: z.string(),
});
export const followUpListSchema = z.object({ items: z.array(followUpSchema) });

export const evaluationResultSchema = z.object({ invited: z.number(), surveyId: z.string() });

// --- Networks (event series) ---

export const seriesBody = z.strictObject({
  title,
  description: text(5_000).optional(),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
});
export const seriesAbilitiesSchema = z.object({ manage: z.boolean() });
export const seriesSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  themes: z.array(z.string()),
  organisation: orgRef,
  memberCount: z.number(),
  /** The member companies: the owning organisation's alone; null for others. */
  members: z.array(z.object({ cvr: z.string(), name: z.string() })).nullable(),
  abilities: seriesAbilitiesSchema,
});
export const seriesListSchema = z.object({ items: z.array(seriesSchema) });
export const seriesMemberBody = z.strictObject({ cvr: cvrSchema });

// --- The public entry point ---

export const publicEventSchema = z.object({
  id: z.string(),
  kind: z.enum(eventKinds),
  title: z.string(),
  description: z.string().nullable(),
  themes: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  online: z.boolean(),
  organiser: z.object({ name: z.string() }),
  /** Sign-up is possible now (open, planned, not started). */
  signupOpen: z.boolean(),
  /** No seats left: a sign-up goes on the waiting list. */
  full: z.boolean(),
  cancelled: z.boolean(),
});
export const publicEventListSchema = z.object({ items: z.array(publicEventSchema) });

export const signUpBody = z.strictObject({
  cvr: cvrSchema.optional(),
  noCvr: z.boolean().default(false),
  /** Without CVR: the planned business, if any. */
  companyName: z.string().trim().max(200).optional(),
  person: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
  }),
  consents: z.strictObject({ sharing: z.boolean(), evaluation: z.boolean() }),
  /** Honeypot: hidden in the form, so only robots fill it in. */
  website: z.string().max(500).optional(),
});
export const signUpReceiptSchema = z.object({
  id: z.string(),
  status: z.enum(['registered', 'waitlisted']),
  event: z.object({ title: z.string(), startsAt: z.string() }),
});

export const cancelTokenParams = z.object({ token: z.string().regex(/^[\w-]{20,100}$/, { message: 'event.cancelToken' }) });
export const publicRegistrationSchema = z.object({
  status: z.enum(participantStatuses),
  event: z.object({ title: z.string(), startsAt: z.string(), organiser: z.string() }),
  /** Cancelling is still possible (a live sign-up, the event not begun). */
  cancellable: z.boolean(),
});

export type EventData = z.infer<typeof eventSchema>;
export type EventInput = z.input<typeof eventBody>;
export type EventPatch = z.input<typeof eventPatchBody>;
export type EventPage = z.infer<typeof eventPageSchema>;
export type EventsQuery = z.input<typeof eventsQuery>;
export type EventKind = (typeof eventKinds)[number];
export type Participant = z.infer<typeof participantSchema>;
export type ParticipantStatus = (typeof participantStatuses)[number];
export type AttendanceInput = z.input<typeof attendanceBody>;
export type FollowUpTasksInput = z.input<typeof followUpTasksBody>;
export type FollowUpTasksResult = z.infer<typeof followUpTasksResultSchema>;
export type FollowUpInput = z.input<typeof followUpBody>;
export type FollowUp = z.infer<typeof followUpSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type SeriesInput = z.input<typeof seriesBody>;
export type PublicEvent = z.infer<typeof publicEventSchema>;
export type SignUpInput = z.input<typeof signUpBody>;
export type SignUpReceipt = z.infer<typeof signUpReceiptSchema>;
export type PublicRegistration = z.infer<typeof publicRegistrationSchema>;
