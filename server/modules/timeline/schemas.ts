/**
 * The company timeline's response shape; the web takes its types from it (type imports only). Each
 * item carries data, never text: the web words it in the reader's language (titles, statuses, kinds).
 */
import { z } from 'zod';
import { activityTypes } from '../activities/schema.ts';
import { consentChannels, consentPurposes } from '../consents/schema.ts';
import { engagementLevels } from '../engagements/schema.ts';
import { leadStatuses } from '../guidance/schema.ts';
import { selfAssessmentKeys, selfAssessmentLevels } from '../offers/self-assessment.ts';
import { referralStatuses } from '../referrals/schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

const base = {
  id: z.string(),
  /** The day it happened (YYYY-MM-DD, Danish time). */
  date: z.string(),
  /** The organisation whose record it is (or that acted); null: the company itself (a consent it withdrew). */
  organisation: named.nullable(),
  /** The engagement it belongs to, when the caller may open it. */
  engagementId: z.string().nullable(),
};

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('engagement'),
    level: z.enum(engagementLevels),
    closed: z.boolean(),
    /** The delivery category's name (the organisation's own wording), if any. */
    deliveryCategory: z.string().nullable(),
    description: z.string().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('activity'),
    activityType: z.enum(activityTypes),
    subject: z.string(),
    notes: z.string().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('referral'),
    /** The receiving organisation. */
    to: named,
    status: z.enum(referralStatuses),
  }),
  z.object({
    ...base,
    kind: z.literal('request'),
    /** A request (henvendelse) from "Få vejledning": only the organisations that may see the lead see it. */
    status: z.enum(leadStatuses),
    need: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('selfAssessment'),
    /** The request the result came with (its id is the item's id too). */
    requestId: z.string(),
    questionnaire: z.enum(selfAssessmentKeys),
    level: z.enum(selfAssessmentLevels),
    score: z.number(),
    maxScore: z.number(),
  }),
  z.object({
    ...base,
    kind: z.literal('consent'),
    /** A consent given (recorded), or its withdrawal. */
    event: z.enum(['given', 'withdrawn']),
    purpose: z.enum(consentPurposes),
    channel: z.enum(consentChannels),
    /** Given on the public form and not yet confirmed by an adviser. */
    awaitingConfirmation: z.boolean(),
  }),
  z.object({
    ...base,
    kind: z.literal('surveyAnswer'),
    /** An answer the company agreed to attach to its record; only the survey's organisation sees it (the answers themselves on the survey's page). */
    surveyId: z.string(),
    title: z.string(),
  }),
]);

export const timelineKinds = ['engagement', 'activity', 'referral', 'request', 'selfAssessment', 'consent', 'surveyAnswer'] as const;

export type TimelineItem = z.infer<typeof timelineItemSchema>;
export type TimelineKind = TimelineItem['kind'];
