/**
 * The activities API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { followUpBody, taskSchema } from '../tasks/schemas.ts';
import { activityTypes } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

export const activitySchema = z.object({
  id: z.string(),
  engagementId: z.string().nullable(),
  companyCvr: z.string().nullable(),
  organisation: named,
  user: named,
  type: z.enum(activityTypes),
  occurredOn: z.string(),
  durationMinutes: z.number().nullable(),
  subject: z.string(),
  notes: z.string().nullable(),
  contact: named.nullable(),
  confidential: z.boolean(),
});

export const newActivityBody = z.strictObject({
  type: z.enum(activityTypes),
  occurredOn: isoDate,
  durationMinutes: z.number().int().min(0).max(24 * 60).optional(),
  subject: z.string().trim().min(1).max(300),
  notes: z.string().trim().max(10_000).optional(),
  contactId: z.uuid().optional(),
  /** A follow-up task made in the same step (same transaction): on the same engagement or company. */
  followUp: followUpBody.optional(),
});

/** The answer to recording an activity: the activity, and its follow-up task when one was asked for. */
export const createdActivitySchema = activitySchema.extend({ followUp: taskSchema.nullable() });

export type Activity = z.infer<typeof activitySchema>;
export type CreatedActivity = z.infer<typeof createdActivitySchema>;
export type NewActivity = z.input<typeof newActivityBody>;
export type { ActivityType } from './schema.ts';
