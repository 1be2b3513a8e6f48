/**
 * The statistics API's request and response shapes: the route validates and serialises with them, and
 * the web takes its types from them (type imports only).
 */
import { z } from 'zod';

export const statisticsGroupings = ['municipality', 'hub', 'deliveryCategory', 'organisationType'] as const;

export const engagementStatisticsQuery = z.object({
  year: z.coerce.number<string | number>().int().min(2000).max(2100),
  groupBy: z.enum(statisticsGroupings).default('municipality'),
});

/** A group's counts; a suppressed group carries its key and label only. */
export const statisticsGroupSchema = z.object({
  key: z.string(),
  label: z.string(),
  companies: z.number().nullable(),
  engagements: z.number().nullable(),
  suppressed: z.boolean(),
});

export const engagementStatisticsSchema = z.object({
  year: z.number(),
  groupBy: z.enum(statisticsGroupings),
  suppressionLimit: z.number(),
  groups: z.array(statisticsGroupSchema),
});

export type StatisticsGroupBy = (typeof statisticsGroupings)[number];
export type EngagementStatisticsQuery = z.input<typeof engagementStatisticsQuery>;
export type StatisticsGroup = z.infer<typeof statisticsGroupSchema>;
export type EngagementStatistics = z.infer<typeof engagementStatisticsSchema>;
