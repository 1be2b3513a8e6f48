import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { presentEngagement } from '../engagements/service.ts';
import { presentReferral } from '../referrals/service.ts';
import { myWorkSchema } from './schemas.ts';
import { myWork } from './service.ts';

/** "Mit arbejde": what waits for the signed-in adviser today. */
export const workRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/me/work',
    {
      schema: {
        tags: ['work'],
        operationId: 'getMyWork',
        summary: "The caller's open engagements, referrals waiting for their organisation, and overdue referrals",
        response: { 200: myWorkSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const work = await myWork(db, actor, app.now());
      // Referrals carry contact details: the overview is a read of personal data.
      await audit(db, actor, {
        action: 'read',
        entity: 'work',
        details: { engagements: work.openEngagements.length, referralsWaiting: work.referralsWaiting.length, overdue: work.overdue.length },
      });
      return {
        ...work,
        openEngagements: work.openEngagements.map((e) => presentEngagement(actor, e)),
        referralsWaiting: work.referralsWaiting.map((r) => presentReferral(actor, r)),
        overdue: work.overdue.map((r) => presentReferral(actor, r)),
      };
    },
  );
};
