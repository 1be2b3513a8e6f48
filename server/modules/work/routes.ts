import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { presentEngagement } from '../engagements/service.ts';
import { myCountsSchema, myWorkSchema } from './schemas.ts';
import { myCounts, myWork } from './service.ts';

/** "Mit arbejde": what waits for the signed-in adviser today, and the menu's counts. */
export const workRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/me/work',
    {
      schema: {
        tags: ['work'],
        operationId: 'getMyWork',
        summary: "What waits for the caller (own open tasks, requests and referrals waiting for their organisation), overdue first and by deadline, then their open engagements",
        response: { 200: myWorkSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const work = await myWork(db, actor, app.now());
      // Requests and referrals carry their contact persons: the overview is a read of personal data.
      const count = (kind: string) => work.waiting.filter((i) => i.kind === kind).length;
      await audit(db, actor, {
        action: 'read',
        entity: 'work',
        details: { engagements: work.openEngagements.length, tasks: count('task'), leads: count('lead'), referrals: count('referral') },
      });
      return { ...work, openEngagements: work.openEngagements.map((e) => presentEngagement(actor, e)) };
    },
  );

  app.get(
    '/me/counts',
    {
      schema: {
        tags: ['work'],
        operationId: 'getMyCounts',
        summary: "The menu's counts: new and overdue requests and referrals waiting for the caller's organisation, the caller's open and overdue tasks",
        response: { 200: myCountsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      // The same rule as the sections the counts stand beside ("Mit arbejde", Henvisninger): aggregate-only users get 403.
      authorize(policy.crm.read(actor));
      // Numbers only — no names, no contents, no ids — so, unlike the lists they count, not an audited read of personal data.
      return myCounts(db, actor, app.now());
    },
  );
};
