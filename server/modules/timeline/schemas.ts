/** The company timeline's response shape; the web takes its types from it (type imports only). */
import { z } from 'zod';

export const timelineItemSchema = z.object({
  kind: z.enum(['engagement', 'activity', 'referral']),
  id: z.string(),
  date: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  title: z.string(),
  detail: z.string().nullable(),
  engagementId: z.string().nullable(),
});

export type TimelineItem = z.infer<typeof timelineItemSchema>;
