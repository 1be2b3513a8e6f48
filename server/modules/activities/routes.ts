import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { fieldProblem } from '../../http/problem.ts';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { engagementForChange } from '../engagements/service.ts';
import { createdActivitySchema, newActivityBody } from './schemas.ts';
import { findCompanyCvr, insertActivity } from './service.ts';

export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post(
    '/engagements/:id/activities',
    {
      schema: {
        tags: ['activities'],
        operationId: 'createEngagementActivity',
        summary: 'Record an activity on an engagement, with its follow-up task (followUp) in the same step',
        params: idParams('engagement.notFound'),
        body: newActivityBody,
        response: { 201: createdActivitySchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      if (request.body.followUp) authorize(policy.task.create(actor, { organisationId: engagement.organisation.id, confidential: engagement.confidential }));
      const activity = await insertActivity(db, actor, now, request.body, {
        engagementId: engagement.id,
        companyCvr: engagement.company?.cvr ?? null,
        prospectId: engagement.prospect?.id ?? null,
        confidential: engagement.confidential,
      });
      return reply.code(201).send(activity);
    },
  );

  app.post(
    '/companies/:cvr/activities',
    {
      schema: {
        tags: ['activities'],
        operationId: 'createCompanyActivity',
        summary: 'Record an activity directly on a company, with its follow-up task (followUp) in the same step',
        params: z.object({ cvr: cvrSchema }),
        body: newActivityBody,
        response: { 201: createdActivitySchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      if (request.body.followUp) authorize(policy.task.create(actor));
      const companyCvr = await findCompanyCvr(db, request.params.cvr);
      if (companyCvr === undefined) throw fieldProblem('cvr', 'company.notFound', { cvr: request.params.cvr });
      const activity = await insertActivity(db, actor, app.now(), request.body, { engagementId: null, companyCvr, prospectId: null, confidential: false });
      return reply.code(201).send(activity);
    },
  );
};
