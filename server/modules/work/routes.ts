import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { engagementSchema } from '../engagements/schemas.ts';
import { referralSchema } from '../referrals/schemas.ts';
import { myWork } from './service.ts';

/** "Mit arbejde": what waits for the signed-in adviser today. */
export const workRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/me/work',
    {
      schema: {
        tags: ['work'],
        summary: "The caller's open engagements, referrals waiting for their organisation, and overdue referrals",
        response: {
          200: z.object({
            openEngagements: z.array(engagementSchema),
            referralsWaiting: z.array(referralSchema),
            overdue: z.array(referralSchema),
            /** Lists longer than the overview shows (the rest is under Henvisninger). */
            more: z.object({ openEngagements: z.boolean(), referralsWaiting: z.boolean(), overdue: z.boolean() }),
          }),
        },
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
      return work;
    },
  );
};
