import { z } from 'zod';
import { versionSchema } from '../../lib/integers.ts';
import { themeKeys } from '../organisations/themes.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { engagementLevels } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });
/**
 * A calendar date YYYY-MM-DD that exists (one check, so a bad value gives one message). Year 0000
 * exists for JavaScript but not for PostgreSQL (SQLSTATE 22008), so years run from 0001.
 */
export const isoDate = z.string().refine(
  (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v.startsWith('0000')) return false;
    const date = new Date(`${v}T00:00:00Z`);
    // 2025-02-30 parses as 2 March; only a date that round-trips exists.
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
  },
  { message: 'invalidFormat' },
);

export const engagementSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  prospect: z.object({ id: z.string(), personName: z.string() }).nullable(),
  organisation: named,
  responsible: named,
  level: z.enum(engagementLevels),
  deliveryCategory: z.object({ id: z.string(), key: z.string(), name: z.string(), confidential: z.boolean() }).nullable(),
  themes: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  outcome: z.string().nullable(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  description: z.string(),
  confidential: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const activitySchema = z.object({
  id: z.string(),
  engagementId: z.string().nullable(),
  companyCvr: z.string().nullable(),
  organisation: named,
  user: named,
  type: z.enum(['meeting', 'call', 'mail', 'event', 'note']),
  occurredOn: z.string(),
  durationMinutes: z.number().nullable(),
  subject: z.string(),
  notes: z.string().nullable(),
  contact: named.nullable(),
  confidential: z.boolean(),
});

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

export const newActivityBody = z.strictObject({
  type: z.enum(['meeting', 'call', 'mail', 'event', 'note']),
  occurredOn: isoDate,
  durationMinutes: z.number().int().min(0).max(24 * 60).optional(),
  subject: z.string().trim().min(1).max(300),
  notes: z.string().trim().max(10_000).optional(),
  contactId: z.uuid().optional(),
});
