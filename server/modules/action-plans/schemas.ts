/**
 * The action plans (handleplaner) API's request and response shapes: the routes validate and serialise
 * with them, and the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { versionSchema } from '../../lib/integers.ts';
import { initiativeAssessments, initiativeStatuses, linkKinds } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

/**
 * Characters a Word document (XML 1.0) cannot hold or a PDF cannot show: control characters, lone
 * surrogates and the noncharacters U+FFFE/U+FFFF. One of them in a plan would break its export for
 * every reader, so they are refused (400 naming the field) rather than silently dropped. Prose keeps
 * tab and line breaks; a one-line text has none.
 */
const NOT_IN_ONE_LINE = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;
const NOT_IN_PROSE = /(?![\t\n\r])[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;
const oneLine = (max: number) => z.string().trim().min(1).max(max).refine((v) => !NOT_IN_ONE_LINE.test(v), { message: 'actionPlan.invalidCharacter' });
const prose = (max: number, min = 0) => z.string().trim().min(min).max(max).refine((v) => !NOT_IN_PROSE.test(v), { message: 'actionPlan.invalidCharacter' });

const title = oneLine(300);
const longText = prose(10_000);
/** A short label in a list (a focus area, an outside actor's name). */
const label = oneLine(200);
const objective = prose(2_000, 1);

export const actionPlanAbilitiesSchema = z.object({
  /** PATCH the plan; add, change and delete its initiatives, milestones, links and assessments: the owner and the organisations named on its initiatives. */
  change: z.boolean(),
  /** DELETE the plan: its owner. */
  delete: z.boolean(),
  /** Name any organisation on an initiative (giving it edit rights) and remove any: its owner. Others may only name organisations already on the plan. */
  manage: z.boolean(),
});

/**
 * Derived from the initiative's links each time it is read, never stored. The same for every reader
 * (the plan is a public document), so no reader can learn anything by comparing figures with another.
 */
export const progressSchema = z.object({
  /**
   * Companies (and would-be companies) of linked engagements, linked referrals and participants of linked
   * events that were held: distinct among the links each organisation made, summed over the organisations.
   */
  companiesReached: z.number(),
  /** Linked events not cancelled that have ended. */
  eventsHeld: z.number(),
  /** Linked referrals. */
  referralsMade: z.number(),
});

export const linkSchema = z.object({
  id: z.string(),
  kind: z.enum(linkKinds),
  /** Whether the caller may see what is linked; if not, only that a link exists (it counts in the progress). */
  visible: z.boolean(),
  targetId: z.string().nullable(),
  /** What is linked, in a line (a company's name, an event's title and date); null when not visible. */
  label: z.string().nullable(),
  createdAt: z.string(),
});

export const milestoneSchema = z.object({
  id: z.string(),
  title: z.string(),
  dueOn: z.string(),
  doneOn: z.string().nullable(),
});

export const initiativeSchema = z.object({
  id: z.string(),
  position: z.number(),
  title: z.string(),
  /** One of the plan's focus areas, or null. */
  focusArea: z.string().nullable(),
  description: z.string(),
  objectives: z.array(z.string()),
  /** An organisation in Knudepunkt, or a named outside actor. */
  responsible: z.object({ organisation: named.nullable(), name: z.string().nullable() }),
  partners: z.object({ organisations: z.array(named), names: z.array(z.string()) }),
  status: z.enum(initiativeStatuses),
  assessment: z
    .object({ value: z.enum(initiativeAssessments), comment: z.string().nullable(), by: named.nullable(), at: z.string() })
    .nullable(),
  milestones: z.array(milestoneSchema),
  links: z.array(linkSchema),
  progress: progressSchema,
  version: z.number(),
  /** `delete`: the owner, or another editor when no organisation loses its edit rights by it (none is named on this initiative only). */
  abilities: z.object({ delete: z.boolean() }),
});

export const actionPlanSchema = z.object({
  id: z.string(),
  owner: named,
  title: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  focusAreas: z.array(z.string()),
  description: z.string().nullable(),
  initiatives: z.array(initiativeSchema),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: actionPlanAbilitiesSchema,
});

export const actionPlanSummarySchema = z.object({
  id: z.string(),
  owner: named,
  title: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  focusAreas: z.array(z.string()),
  initiativeCount: z.number(),
  abilities: actionPlanAbilitiesSchema,
});

export const actionPlanListQuery = z.object({
  /** Only plans owned by this organisation. */
  ownerOrganisationId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const actionPlanPageSchema = z.object({
  items: z.array(actionPlanSummarySchema),
  page: z.number(),
  pageSize: z.number(),
  hasMore: z.boolean(),
  abilities: z.object({ create: z.boolean() }),
});

const planFields = {
  title,
  periodStart: isoDate,
  periodEnd: isoDate,
  focusAreas: z.array(label).max(20),
  description: longText.nullable(),
};

export const newActionPlanBody = z.strictObject({
  ...planFields,
  focusAreas: planFields.focusAreas.default([]),
  description: planFields.description.optional(),
});

export const actionPlanChangeBody = z.strictObject({ version: versionSchema, ...z.object(planFields).partial().shape });

const initiativeFields = {
  title,
  focusArea: label.nullable(),
  description: longText,
  objectives: z.array(objective).min(1).max(20),
  responsibleOrganisationId: z.uuid().nullable(),
  responsibleName: label.nullable(),
  partnerOrganisationIds: z.array(z.uuid()).max(30),
  partnerNames: z.array(label).max(30),
  status: z.enum(initiativeStatuses),
};

export const newInitiativeBody = z.strictObject({
  ...initiativeFields,
  description: initiativeFields.description.default(''),
  focusArea: initiativeFields.focusArea.optional(),
  responsibleOrganisationId: initiativeFields.responsibleOrganisationId.optional(),
  responsibleName: initiativeFields.responsibleName.optional(),
  partnerOrganisationIds: initiativeFields.partnerOrganisationIds.default([]),
  partnerNames: initiativeFields.partnerNames.default([]),
  status: initiativeFields.status.default('planned'),
});

/** A change at the version read; `position` moves the initiative within the plan (1 = first). */
export const initiativeChangeBody = z.strictObject({
  version: versionSchema,
  ...z.object(initiativeFields).partial().shape,
  position: z.number().int().min(1).max(1_000).optional(),
});

export const assessmentBody = z.strictObject({
  version: versionSchema,
  /** null clears the assessment. */
  assessment: z.enum(initiativeAssessments).nullable(),
  comment: longText.optional(),
});

export const newMilestoneBody = z.strictObject({ title, dueOn: isoDate, doneOn: isoDate.nullable().optional() });
export const milestoneChangeBody = z.strictObject({ title: title.optional(), dueOn: isoDate.optional(), doneOn: isoDate.nullable().optional() });

export const newLinkBody = z.strictObject({ kind: z.enum(linkKinds), targetId: z.uuid() });

export const linkTargetQuery = z.object({
  kind: z.enum(linkKinds),
  /** Words of a company's name, a CVR number, an event's or offer's title. */
  q: z.string().trim().max(100).default(''),
});

/** What the caller may link, found through each kind's own visibility rule. */
export const linkTargetsSchema = z.object({ items: z.array(z.object({ id: z.string(), label: z.string() })) });

export const exportFormats = ['docx', 'pdf'] as const;
export const exportQuery = z.object({ format: z.enum(exportFormats) });

export type ActionPlan = z.infer<typeof actionPlanSchema>;
export type ActionPlanSummary = z.infer<typeof actionPlanSummarySchema>;
export type ActionPlanPage = z.infer<typeof actionPlanPageSchema>;
export type Initiative = z.infer<typeof initiativeSchema>;
export type Milestone = z.infer<typeof milestoneSchema>;
export type PlanLink = z.infer<typeof linkSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type NewActionPlan = z.input<typeof newActionPlanBody>;
export type ActionPlanChange = z.input<typeof actionPlanChangeBody>;
export type NewInitiative = z.input<typeof newInitiativeBody>;
export type InitiativeChange = z.input<typeof initiativeChangeBody>;
export type AssessmentChange = z.input<typeof assessmentBody>;
export type NewMilestone = z.input<typeof newMilestoneBody>;
export type MilestoneChange = z.input<typeof milestoneChangeBody>;
export type NewLink = z.input<typeof newLinkBody>;
export type LinkTargetQuery = z.input<typeof linkTargetQuery>;
export type LinkTargets = z.infer<typeof linkTargetsSchema>;
