import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only: the database refuses UPDATE and DELETE (trigger in the migrations). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    organisationId: uuid('organisation_id'),
    /** The other organisations whose records or consents the action touched (read under a consent, withdrew, …): they see the entry too. */
    holderOrganisationIds: uuid('holder_organisation_ids').array(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    companyCvr: text('company_cvr'),
    details: jsonb('details'),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.at), index('audit_log_company_idx').on(t.companyCvr, t.at), index('audit_log_holder_idx').using('gin', t.holderOrganisationIds)],
);
