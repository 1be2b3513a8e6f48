import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntryVisible, authorize, policy } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { actorOf } from '../auth/plugin.ts';
import { auditPageSchema, auditQuery } from './schemas.ts';

const PAGE = 50;

/** The audit log viewer: admins see their organisation's entries, a system admin everyone's. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first, filtered by user, company and time',
        operationId: 'listAuditEntries',
        querystring: auditQuery,
        response: { 200: auditPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.audit.read(actor));
      const { userId, userEmail, cvr, from, to, page } = request.query;
      const scope = policy.audit.scope(actor);
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
    },
  );
};
