/**
 * The evaluation API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only), so a change here breaks the web's type check.
 * The tables are in ./schema.ts.
 */
import { z } from 'zod';
import { isoDate, rangeRefinement } from '../../lib/dates.ts';
import { effectAnswers, type EffectAnswer } from './schema.ts';

/** Why closing an engagement (or the first-meeting job) sends no evaluation invitation. */
export const invitationReasons = [
  /** An engagement of a prospect: no company to ask. */
  'noCompany',
  /** Basic guidance is not evaluated. */
  'basic',
  /** Only business hubs evaluate their specialised guidance. */
  'notHub',
  /** Early Warning (confidential) is never evaluated. */
  'confidential',
  /** The engagement has its invitation already (at most one per engagement). */
  'alreadyInvited',
  /** The hub invites a number of days after the first meeting, not at closing. */
  'afterFirstMeeting',
  /** No evaluation consent in force that lets the organisation ask. */
  'noConsent',
  /** None of the organisation's own contacts of the company has an e-mail address. */
  'noContactEmail',
] as const;
export type InvitationReason = (typeof invitationReasons)[number];

/**
 * Whether closing an engagement sends the company an evaluation invitation: to which contact, or why
 * not (`reason`). The server's own decision (evaluations/invitations.ts), never worked out by the web.
 */
export const invitationPreviewSchema = z.object({
  willSend: z.boolean(),
  /** The contact the invitation goes to (when `willSend`). */
  contact: z.object({ name: z.string(), email: z.string() }).nullable(),
  /** Why none goes out (when not `willSend`). */
  reason: z.enum(invitationReasons).nullable(),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

/** What results can be grouped by, in the order the dashboard offers them. */
export const evaluationGroupings = ['hub', 'municipality', 'deliveryCategory', 'adviser', 'month'] as const;

/** A query for results (and comments): filters on one hub, municipality, category or adviser, a period and a grouping. */
const evaluationFilters = z.object({
  hub: z.uuid().optional(),
  // The web sends what it read from its own address bar: a string is as good as a number here.
  municipality: z.coerce.number<string | number>().int().min(100).max(999).optional(),
  deliveryCategory: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'invalidFormat' }).optional(),
  adviser: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  groupBy: z.enum(evaluationGroupings).optional(),
});
const periodInOrder = rangeRefinement('from', 'to', 'range.toBeforeFrom');
export const evaluationQuery = evaluationFilters.superRefine(periodInOrder);

/** Comments belong to one hub: the query names it. */
export const evaluationCommentsQuery = evaluationFilters.extend({ hub: z.uuid() }).superRefine(periodInOrder);

export const evaluationExportParams = z.object({ format: z.enum(['csv', 'xlsx']) });

/** The figures of a group that is shown. */
const figures = {
  key: z.string(),
  label: z.string(),
  answers: z.number(),
  npsAnswers: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
  /** % promoters − % detractors; null without answers ("no data", not 0). */
  nps: z.number().nullable(),
  npsMarginOfError: z.number().nullable(),
  effectAnswers: z.number(),
  /** Answers to the effect question, by answer. */
  effectCounts: z.object(Object.fromEntries(effectAnswers.map((a) => [a, z.number()])) as Record<EffectAnswer, z.ZodNumber>),
  effectShare: z.number().nullable(),
  effectMarginOfError: z.number().nullable(),
  invitations: z.number(),
  responseRate: z.number().nullable(),
  npsFulfilment: z.number().nullable(),
  effectFulfilment: z.number().nullable(),
};

const withheldFigures = Object.fromEntries(Object.keys(figures).filter((k) => k !== 'key' && k !== 'label').map((k) => [k, z.null()])) as {
  [K in Exclude<keyof typeof figures, 'key' | 'label'>]: z.ZodNull;
};

/** A group's results; one suppressed under disclosure control carries its key and label only, every figure null. */
export const evaluationResultSchema = z.discriminatedUnion('suppressed', [
  z.object({ ...figures, suppressed: z.literal(false) }),
  z.object({ key: z.string(), label: z.string(), ...withheldFigures, suppressed: z.literal(true) }),
]);

export const evaluationResultsSchema = z.object({
  overall: evaluationResultSchema,
  groups: z.array(evaluationResultSchema),
  suppressionLimit: z.number(),
  /** Whether the figures are under disclosure control (all but a hub's own results). */
  disclosureControl: z.boolean(),
  /** The period answered: under disclosure control without dates, the latest ended quarter. */
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** The grouping answered: under disclosure control, a cross table is grouped by month. */
  groupBy: z.enum(evaluationGroupings).nullable(),
});

export const evaluationCommentSchema = z.object({
  id: z.string(),
  answeredOn: z.string(),
  nps: z.number().nullable(),
  effect: z.string().nullable(),
  comment: z.string(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  engagementId: z.string().nullable(),
});

export const unmatchedAnswerSchema = z.object({
  id: z.string(),
  answeredOn: z.string(),
  companyCvr: z.string().nullable(),
  nps: z.number().nullable(),
  effect: z.string().nullable(),
  createdAt: z.string(),
});

export const evaluationHubAbilitiesSchema = z.object({
  /** Per-adviser figures (filter and grouping) for this hub. */
  byAdviser: z.boolean(),
  /** The free-text comments (and unmatched imported answers) of this hub. */
  comments: z.boolean(),
  /** Change this hub's evaluation settings. */
  configure: z.boolean(),
});

/** What the dashboard offers the caller: the hubs to pick, where it opens, and what the caller may filter by. */
export const evaluationChoicesSchema = z.object({
  /** Every hub, by name, with what the caller may do with its results and the groupings it may ask for. */
  hubs: z.array(z.object({ id: z.string(), name: z.string(), groupings: z.array(z.enum(evaluationGroupings)), abilities: evaluationHubAbilitiesSchema })),
  /** The hub whose own results the caller sees as they are: where the dashboard opens; null for anyone else. */
  ownHub: z.string().nullable(),
  /** The groupings for all hubs at once. */
  groupings: z.array(z.enum(evaluationGroupings)),
  abilities: z.object({
    /** Answers tied to an Early Warning engagement, and so a filter on a confidential delivery category. */
    confidentialAnswers: z.boolean(),
  }),
});

export const evaluationTriggers = ['close', 'first_meeting'] as const;

export const evaluationSettingsBody = z.object({
  trigger: z.enum(evaluationTriggers),
  daysAfterFirstMeeting: z.number().int().min(1).max(365),
  reminderAfterDays: z.number().int().min(1).max(90),
  linkValidDays: z.number().int().min(1).max(365),
});

export const evaluationSettingsAbilitiesSchema = z.object({
  /** Change the settings (the hub's admins and managers, or a system admin). */
  configure: z.boolean(),
});

export const evaluationSettingsSchema = evaluationSettingsBody.extend({ abilities: evaluationSettingsAbilitiesSchema });

export const publicEvaluationStates = ['open', 'answered', 'expired', 'unknown', 'unsubscribed'] as const;

/** Any string is accepted: a mangled link is simply an unknown one, which the page explains. */
export const evaluationTokenParams = z.object({ token: z.string().min(1).max(200) });

export const publicEvaluationSchema = z.object({
  state: z.enum(publicEvaluationStates),
  hub: z.string().nullable(),
  effectAnswers: z.array(z.enum(effectAnswers)),
});

export const evaluationAnswerBody = z.strictObject({
  nps: z.number().int().min(0).max(10),
  effect: z.enum(effectAnswers),
  comment: z.string().trim().max(2_000).optional(),
});

export const evaluationAnsweredSchema = z.object({ state: z.literal('answered') });
export const evaluationUnsubscribedSchema = z.object({ state: z.literal('unsubscribed') });


export type EvaluationGroupBy = (typeof evaluationGroupings)[number];
export type EvaluationQuery = z.input<typeof evaluationQuery>;
export type EvaluationFilters = z.infer<typeof evaluationQuery>;
export type EvaluationCommentsQuery = z.input<typeof evaluationCommentsQuery>;
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;
export type EvaluationFigures = Extract<EvaluationResult, { suppressed: false }>;
export type EvaluationResults = z.infer<typeof evaluationResultsSchema>;
export type EvaluationComment = z.infer<typeof evaluationCommentSchema>;
export type UnmatchedAnswer = z.infer<typeof unmatchedAnswerSchema>;
export type EvaluationChoices = z.infer<typeof evaluationChoicesSchema>;
export type EvaluationHub = EvaluationChoices['hubs'][number];
export type EvaluationTrigger = (typeof evaluationTriggers)[number];
export type EvaluationSettingsInput = z.input<typeof evaluationSettingsBody>;
export type EvaluationSettings = z.infer<typeof evaluationSettingsSchema>;
export type PublicEvaluationState = (typeof publicEvaluationStates)[number];
export type PublicEvaluation = z.infer<typeof publicEvaluationSchema>;
export type EvaluationAnswerInput = z.input<typeof evaluationAnswerBody>;
export type { EffectAnswer } from './schema.ts';
export { effectAnswers };
export type EvaluationAnswered = z.infer<typeof evaluationAnsweredSchema>;
export type EvaluationUnsubscribed = z.infer<typeof evaluationUnsubscribedSchema>;
