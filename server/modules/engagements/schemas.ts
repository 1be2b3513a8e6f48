/**
 * The engagements API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { versionSchema } from '../../lib/integers.ts';
import { themeKeys } from '../organisations/themes.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { activitySchema } from '../activities/schemas.ts';
import { referralSchema } from '../referrals/schemas.ts';
import { invitationPreviewSchema, invitationReasons } from '../evaluations/schemas.ts';
import { engagementLevels, engagementStatuses } from './schema.ts';

/** Other modules' date fields take it from here (it began as the engagement dates' check). */
export { isoDate };

const named = z.object({ id: z.string(), name: z.string() });

/** What the caller may do with an engagement, each the policy of the route that does it; whether it is still open is its state. */
export const engagementAbilitiesSchema = z.object({
  /** PATCH /engagements/:id */
  change: z.boolean(),
  /** POST /engagements/:id/activities */
  logActivity: z.boolean(),
  /** POST /engagements/:id/close */
  close: z.boolean(),
  /** POST /engagements/:id/referrals: never an Early Warning one, which is not shared. */
  refer: z.boolean(),
});

/** An engagement as the service reads it. */
export const engagementDataSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  prospect: z.object({ id: z.string(), personName: z.string() }).nullable(),
  organisation: named,
  responsible: named,
  level: z.enum(engagementLevels),
  deliveryCategory: z.object({ id: z.string(), key: z.string(), name: z.string(), confidential: z.boolean() }).nullable(),
  themes: z.array(z.string()),
  status: z.enum(engagementStatuses),
  outcome: z.string().nullable(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  description: z.string(),
  confidential: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** An engagement with what the caller may do with it. */
export const engagementSchema = engagementDataSchema.extend({ abilities: engagementAbilitiesSchema });

/** An engagement with its activities and referrals (the engagement page). */
export const engagementDetailSchema = engagementSchema.extend({ activities: z.array(activitySchema), referrals: z.array(referralSchema) });

export const engagementListQuery = z.object({
  status: z.enum(engagementStatuses).optional(),
  responsible: z.literal('me').optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const engagementPageSchema = z.object({ items: z.array(engagementSchema), page: z.number(), pageSize: z.number(), hasMore: z.boolean() });

export const newEngagementBody = z.strictObject({
  companyCvr: cvrSchema.optional(),
  prospectId: z.uuid().optional(),
  level: z.enum(engagementLevels),
  deliveryCategoryId: z.uuid().optional(),
  themes: z.array(z.enum(themeKeys)).max(20).default([]),
  description: z.string().trim().max(10_000).default(''),
  responsibleUserId: z.uuid().optional(),
  openedOn: isoDate.optional(),
  confidential: z.boolean().default(false),
  /** Opened by the receiver from a referral it accepted: the referral is linked to the new engagement (same company only). */
  referralId: z.uuid().optional(),
  /** "Opret forløb" from a request (henvendelse): the request is linked to the new engagement and taken (same company or prospect only). */
  guidanceRequestId: z.uuid().optional(),
});

export const engagementChangeBody = z.strictObject({
  version: versionSchema,
  description: z.string().trim().max(10_000).optional(),
  themes: z.array(z.enum(themeKeys)).max(20).optional(),
  responsibleUserId: z.uuid().optional(),
  deliveryCategoryId: z.uuid().nullable().optional(),
  level: z.enum(engagementLevels).optional(),
});

export const closeBody = z.strictObject({
  version: versionSchema,
  outcome: z.string().trim().min(1).max(5_000),
  closedOn: isoDate.optional(),
});

/** Before closing: what closing would do about the evaluation (GET /engagements/:id/close-preview). */
export const closePreviewSchema = z.object({ evaluationInvitation: invitationPreviewSchema });

/** A closed engagement, with what became of its evaluation invitation (`reason`: why none went out). */
export const closedEngagementSchema = engagementSchema.extend({
  evaluationInvitation: z.object({ sent: z.boolean(), reason: z.enum(invitationReasons).nullable() }),
});

export type EngagementData = z.infer<typeof engagementDataSchema>;
export type Engagement = z.infer<typeof engagementSchema>;
export type EngagementAbilities = z.infer<typeof engagementAbilitiesSchema>;
export type EngagementDetail = z.infer<typeof engagementDetailSchema>;
export type EngagementPage = z.infer<typeof engagementPageSchema>;
/** The list's query string as the web sends it (numbers as numbers; the server coerces the text). */
export type EngagementListQuery = Partial<z.output<typeof engagementListQuery>>;
export type NewEngagement = z.input<typeof newEngagementBody>;
export type EngagementChange = z.input<typeof engagementChangeBody>;
export type EngagementClosing = z.input<typeof closeBody>;
export type ClosePreview = z.infer<typeof closePreviewSchema>;
export type ClosedEngagement = z.infer<typeof closedEngagementSchema>;
export type EngagementLevel = Engagement['level'];
export type EngagementStatus = Engagement['status'];
