import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { timelineItemSchema } from './schemas.ts';
import { companyTimeline } from './service.ts';

export const timelineRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies/:cvr/timeline',
    {
      schema: {
        tags: ['companies'],
        operationId: 'getCompanyTimeline',
        summary: "A company's timeline across organisations (engagements, activities, referrals)",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(timelineItemSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await companyTimeline(db, actor, app.now(), request.params.cvr);
      await audit(db, actor, { action: 'read', entity: 'timeline', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((i) => i.organisation.id) });
      return { items };
    },
  );
};
