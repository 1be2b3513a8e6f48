/**
 * The "Mit arbejde" API's shape and the menu's counts: the routes serialise with them, and the web
 * takes their types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { engagementSchema } from '../engagements/schemas.ts';
import { leadStatuses } from '../guidance/schema.ts';
import { referralStatuses } from '../referrals/schema.ts';
import { referralAbilitiesSchema } from '../referrals/schemas.ts';
import { taskAbilitiesSchema } from '../tasks/schemas.ts';

const named = z.object({ id: z.string(), name: z.string() });
const contact = z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() });

/** What every row of the list has: its deadline, whom it is about, and what is to be done. */
const workItemBase = {
  id: z.string(),
  /** The last day to act by (YYYY-MM-DD, end of that day in Denmark). */
  dueOn: z.string(),
  overdue: z.boolean(),
  /** The company, when it has a CVR number. */
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  /** Whom it is about without a company: the name a request gave, or an engagement's prospect. */
  name: z.string().nullable(),
  /** What is to be done: the task's title, the request's need, what the referral's receiver is asked (null when withheld). */
  what: z.string().nullable(),
};

/** One row of "what waits for me": a task of mine, a request or a referral waiting for my organisation. */
export const workItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('task'),
    ...workItemBase,
    /** The engagement it follows up (its page is the link), else it is on the company. */
    engagementId: z.string().nullable(),
    confidential: z.boolean(),
    version: z.number(),
    abilities: taskAbilitiesSchema,
  }),
  z.object({
    kind: z.literal('lead'),
    ...workItemBase,
    status: z.enum(leadStatuses),
    contact,
  }),
  z.object({
    kind: z.literal('referral'),
    ...workItemBase,
    status: z.enum(referralStatuses),
    from: named,
    /** The contact person the sender passed on (null when withheld or none). */
    contact: contact.nullable(),
    withheld: z.boolean(),
    abilities: referralAbilitiesSchema,
  }),
]);

export const myWorkSchema = z.object({
  /** What waits for me, overdue first, then by deadline: my open tasks, requests and referrals waiting for my organisation. */
  waiting: z.array(workItemSchema),
  /** My open engagements (I am responsible), newest first. */
  openEngagements: z.array(engagementSchema),
  /** Lists longer than the overview shows (the rest is under Henvendelser, Henvisninger and the companies). */
  more: z.object({ waiting: z.boolean(), openEngagements: z.boolean() }),
});

const newAndOverdue = z.object({ new: z.number().int(), overdue: z.number().int() });

/** The menu's counts (GET /me/counts): numbers only. */
export const myCountsSchema = z.object({
  /** Requests (henvendelser) the caller's organisation handles: status new, and those of them past their deadline. */
  leads: newAndOverdue,
  /** Referrals to the caller's organisation: not yet received (sent), and those waiting (sent or received) past their deadline. */
  referrals: newAndOverdue,
  /** The caller's own open tasks, and those of them past their due date. */
  tasks: z.object({ open: z.number().int(), overdue: z.number().int() }),
});

export type MyWork = z.infer<typeof myWorkSchema>;
export type WorkItem = z.infer<typeof workItemSchema>;
export type MyCounts = z.infer<typeof myCountsSchema>;
