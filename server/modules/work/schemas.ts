/**
 * The "Mit arbejde" API's shape: the route serialises with it, and the web takes its type from it
 * (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { engagementSchema } from '../engagements/schemas.ts';
import { referralSchema } from '../referrals/schemas.ts';

export const myWorkSchema = z.object({
  openEngagements: z.array(engagementSchema),
  referralsWaiting: z.array(referralSchema),
  overdue: z.array(referralSchema),
  /** Lists longer than the overview shows (the rest is under Henvisninger). */
  more: z.object({ openEngagements: z.boolean(), referralsWaiting: z.boolean(), overdue: z.boolean() }),
});

export type MyWork = z.infer<typeof myWorkSchema>;
