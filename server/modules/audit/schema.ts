import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only: the database refuses UPDATE and DELETE (trigger in the migrations). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    organisationId: uuid('organisation_id'),
    /** The organisation whose records or consents the action touched, when that is not the actor's own: it sees the entry too. */
    holderOrganisationId: uuid('holder_organisation_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    companyCvr: text('company_cvr'),
    details: jsonb('details'),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.at), index('audit_log_company_idx').on(t.companyCvr, t.at), index('audit_log_holder_idx').on(t.holderOrganisationId, t.id)],
);
