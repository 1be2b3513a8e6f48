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
        summary: "A company's timeline across organisations (engagements, activities, referrals, requests, self-assessments, consents), as data for the web to word",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(timelineItemSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await companyTimeline(db, actor, app.now(), request.params.cvr);
      // Holders: the organisations whose CRM records were read under their consent (as the engagement and contact lists say).
      const holders = items.filter((i) => i.kind === 'engagement' || i.kind === 'activity' || i.kind === 'referral').map((i) => i.organisation?.id);
      await audit(db, actor, { action: 'read', entity: 'timeline', companyCvr: request.params.cvr, details: { count: items.length }, holders });
      return { items };
    },
  );
};
