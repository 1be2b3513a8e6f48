import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { auditPageSchema, auditQuery } from './schemas.ts';
import { findAuditEntries } from './service.ts';

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
      const scope = policy.audit.scope(actor);
      return findAuditEntries(db, actor, scope, request.query);
    },
  );
};
