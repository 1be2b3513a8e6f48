import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  companyCvr?: string | null;
  details?: Record<string, unknown>;
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
    details: entry.details ?? null,
  });
}
