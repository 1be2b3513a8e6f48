import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { engagementSchema } from '../engagements/schemas.ts';
import { findEngagements } from '../engagements/service.ts';
import { referralSchema } from '../referrals/schemas.ts';
import { findReferrals, overdueSql } from '../referrals/service.ts';

/** "Mit arbejde": what waits for the signed-in adviser today. */
export const workRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/me/work',
    {
      schema: {
        tags: ['work'],
        summary: "The caller's open engagements, referrals waiting for their organisation, and overdue referrals",
        response: { 200: z.object({ openEngagements: z.array(engagementSchema), referralsWaiting: z.array(referralSchema), overdue: z.array(referralSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const now = app.now();
      const work = {
        openEngagements: await findEngagements(db, actor, now, sql`e.responsible_user_id = ${actor.userId} AND e.status = 'open'`, { limit: 100, offset: 0 }, { ownOrganisation: true }),
        referralsWaiting: await findReferrals(db, actor, now, sql`r.to_organisation_id = ${actor.organisationId} AND r.status IN ('sent', 'received')`),
        overdue: await findReferrals(db, actor, now, overdueSql('r', now)),
      };
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
