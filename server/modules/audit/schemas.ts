/** The audit log viewer's shapes; the web's AuditEntry type is this one. */
import { z } from 'zod';
import { rangeRefinement } from '../../lib/dates.ts';
import { isoDate } from '../engagements/schemas.ts';

const named = z.object({ id: z.string(), name: z.string() });

export const auditQuery = z.object({
  userId: z.uuid().optional(),
  userEmail: z.string().trim().max(320).optional(),
  cvr: z.string().regex(/^\d{8}$/, { message: 'cvr.format' }).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
}).superRefine(rangeRefinement('from', 'to', 'range.toBeforeFrom'));

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  user: named.extend({ email: z.string() }).nullable(),
  organisation: named.nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  companyCvr: z.string().nullable(),
  /** Another organisation's action on the viewer's records or consents (other holders are never named). */
  aboutOwnRecords: z.boolean(),
  details: z.unknown(),
});

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), page: z.number(), hasMore: z.boolean() });

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
/** The filters as the web sends them (the page is coerced from the query string). */
export type AuditQuery = Partial<z.output<typeof auditQuery>>;
