import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
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
