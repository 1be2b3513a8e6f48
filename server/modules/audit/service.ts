import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isoTime } from '../../lib/rows.ts';
import { auditEntryVisible, type Actor } from '../../policies/index.ts';
import type { z } from 'zod';
import type { AuditPage, auditQuery } from './schemas.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  companyCvr?: string | null;
  details?: Record<string, unknown>;
  /**
   * Organisations whose records or consents the action touched. Those other than the actor's own see
   * the entry in their audit view: a read of their records under a consent, a withdrawal of their consent.
   */
  holders?: readonly (string | null | undefined)[];
}

/** The holders other than the actor's organisation, once each; null when there are none. */
function otherHolders(actor: Actor | null, holders: AuditEntry['holders']): string[] | null {
  const others = [...new Set((holders ?? []).filter((h): h is string => !!h && h !== actor?.organisationId))].sort();
  return others.length > 0 ? others : null;
}

/** Appends to the audit log; called inside the same transaction as the change it describes. */
export async function audit(db: Db, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    userId: actor?.userId ?? null,
    organisationId: actor?.organisationId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    companyCvr: entry.companyCvr ?? null,
    holderOrganisationIds: otherHolders(actor, entry.holders),
    details: entry.details ?? null,
  });
}

const PAGE = 50;

/**
 * A page of the audit log, newest first, for `actor`: everything for a system admin (`scope` null),
 * else what the organisation's users did and what others did to its records and consents.
 */
export async function findAuditEntries(db: Db, actor: Actor, scope: string | null, query: z.output<typeof auditQuery>): Promise<AuditPage> {
  const { userId, userEmail, cvr, from, to, page } = query;
  const filters = [sql`TRUE`];
  // An organisation sees what its users did, and what others did to its records and consents.
  if (scope) filters.push(sql`(l.organisation_id = ${scope} OR ${scope}::uuid = ANY(l.holder_organisation_ids))`);
  filters.push(auditEntryVisible(actor, 'l', 'u'));
  if (userId) filters.push(sql`l.user_id = ${userId}`);
  if (userEmail) filters.push(sql`u.email = ${userEmail.toLowerCase()}`);
  if (cvr) filters.push(sql`l.company_cvr = ${cvr}`);
  if (from) filters.push(sql`l.at >= (${from}::date)::timestamptz`);
  if (to) filters.push(sql`l.at < (${to}::date + 1)::timestamptz`);
  const rows = (await db.execute<{ id: number; at: Date; user_id: string | null; user_name: string | null; user_email: string | null; organisation_id: string | null; organisation_name: string | null; action: string; entity: string; entity_id: string | null; company_cvr: string | null; details: unknown; about_own_records: boolean | null }>(sql`
    SELECT l.id, l.at, l.user_id, u.name AS user_name, u.email AS user_email, l.organisation_id, o.name AS organisation_name,
      l.action, l.entity, l.entity_id, l.company_cvr, l.details,
      ${scope ?? null}::uuid = ANY(l.holder_organisation_ids) AS about_own_records
    FROM audit_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN organisations o ON o.id = l.organisation_id
    WHERE ${sql.join(filters, sql` AND `)}
    ORDER BY l.id DESC LIMIT ${PAGE + 1} OFFSET ${(page - 1) * PAGE}`)).rows;
  return {
    items: rows.slice(0, PAGE).map((r) => ({
      id: Number(r.id),
      at: isoTime(r.at)!,
      user: r.user_id ? { id: r.user_id, name: r.user_name ?? '', email: r.user_email ?? '' } : null,
      organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name ?? '' } : null,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      companyCvr: r.company_cvr,
      // Another organisation's action on the viewer's records or consents (other holders are never named).
      aboutOwnRecords: r.about_own_records === true,
      details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
    })),
    page,
    hasMore: rows.length > PAGE,
  };
}
