/**
 * The tasks (opgaver) API's request and response shapes: the routes validate and serialise with them,
 * and the web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { versionSchema } from '../../lib/integers.ts';
import { cvrSchema } from '../companies/schemas.ts';

const named = z.object({ id: z.string(), name: z.string() });

/** What the caller may do with a task, each the policy of the route that does it. */
export const taskAbilitiesSchema = z.object({
  /** PATCH /tasks/:id: title, due date, assignee, done/undone. */
  change: z.boolean(),
});

/** A task as the service reads it. */
export const taskDataSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** The last day to do it by (YYYY-MM-DD, end of that day in Denmark). */
  dueOn: z.string(),
  /** Open, and the due day has ended in Denmark. */
  overdue: z.boolean(),
  done: z.boolean(),
  doneAt: z.string().nullable(),
  doneBy: named.nullable(),
  assignee: named,
  createdBy: named,
  createdAt: z.string(),
  /** The engagement it follows up, if any (else it is on the company directly). */
  engagementId: z.string().nullable(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  /** The engagement's prospect, for a task on an engagement without a company. */
  prospect: z.object({ id: z.string(), personName: z.string() }).nullable(),
  /** The activity whose follow-up it is, when made in the same step. */
  activityId: z.string().nullable(),
  /** On an Early Warning engagement: seen by the EW team only. */
  confidential: z.boolean(),
  version: z.number(),
});

export const taskSchema = taskDataSchema.extend({ abilities: taskAbilitiesSchema });

export const taskStatuses = ['open', 'done'] as const;

export const taskListQuery = z.object({
  engagementId: z.uuid().optional(),
  companyCvr: cvrSchema.optional(),
  assignee: z.literal('me').optional(),
  status: z.enum(taskStatuses).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const taskPageSchema = z.object({
  items: z.array(taskSchema),
  page: z.number(),
  pageSize: z.number(),
  hasMore: z.boolean(),
  /** Whether the caller may give a task on what the list is filtered to (the engagement or the company): POST /tasks. */
  abilities: z.object({ create: z.boolean() }),
});

const title = z.string().trim().min(1).max(300);

/** A follow-up task as the activity form sends it along (POST …/activities, `followUp`). */
export const followUpBody = z.strictObject({
  title,
  dueOn: isoDate,
  /** A user of the caller's organisation who may act on it; the caller when left out. */
  assigneeUserId: z.uuid().optional(),
});

/** A new task: on an engagement (its company is taken from it) or directly on a company, not both. */
export const newTaskBody = followUpBody.extend({
  engagementId: z.uuid().optional(),
  companyCvr: cvrSchema.optional(),
});

export const taskChangeBody = z.strictObject({
  version: versionSchema,
  title: title.optional(),
  dueOn: isoDate.optional(),
  assigneeUserId: z.uuid().optional(),
  done: z.boolean().optional(),
});

export const assigneeQuery = z.object({
  /** For a task on this engagement: an Early Warning one can only be given to the EW team. */
  engagementId: z.uuid().optional(),
});

/** The users a task may be given to: names only. */
export const assigneesSchema = z.object({ items: z.array(named) });

export type Task = z.infer<typeof taskSchema>;
export type TaskData = z.infer<typeof taskDataSchema>;
export type TaskPage = z.infer<typeof taskPageSchema>;
export type NewTask = z.input<typeof newTaskBody>;
export type FollowUp = z.input<typeof followUpBody>;
export type TaskChange = z.input<typeof taskChangeBody>;
export type TaskListQuery = z.input<typeof taskListQuery>;
export type TaskStatus = (typeof taskStatuses)[number];
