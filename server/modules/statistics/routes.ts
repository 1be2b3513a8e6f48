import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fieldProblem } from '../../http/problem.ts';
import { danishDate } from '../../lib/working-days.ts';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { engagementStatisticsQuery, engagementStatisticsSchema } from './schemas.ts';
import { engagementStatistics, SUPPRESSION_LIMIT } from './service.ts';

/**
 * Aggregates of the CRM for everyone, KKR and national readers included: counts of companies and
 * engagements per group, Early Warning included (it is counted, never shown), small groups suppressed;
 * for KKR and national readers under full disclosure control (server/policies/disclosure.ts).
 */
export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/statistics/engagements',
    {
      schema: {
        tags: ['statistics'],
        operationId: 'getEngagementStatistics',
        summary: 'Engagements and distinct companies per group in a year; groups under 5 companies are suppressed (for KKR and national readers: ended years, with complementary suppression)',
        querystring: engagementStatisticsQuery,
        response: { 200: engagementStatisticsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.statistics.read(actor));
      const { year, groupBy } = request.query;
      const controlled = policy.statistics.disclosureControl(actor);
      // Whole years that have ended (a running year's figures change daily).
      if (controlled && year >= Number(danishDate(app.now()).slice(0, 4))) throw fieldProblem('year', 'disclosure.notEnded');
      const groups = await engagementStatistics(db, year, groupBy, controlled);
      return { year, groupBy, suppressionLimit: SUPPRESSION_LIMIT, groups };
    },
  );
};
