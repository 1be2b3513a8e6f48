import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { globalSearchQuery, globalSearchResultSchema } from './schemas.ts';
import { searchCompaniesBriefly, searchOwnEngagements, searchOwnProspects, type Found } from './service.ts';

const none = <T>(): Found<T> => ({ items: [], more: false });

/** The header's search field: companies, the caller's organisation's engagements and prospects, a few of each. */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        operationId: 'searchEverything',
        summary: "A few companies (CVR or name), engagements of the caller's organisation and its prospects matching q, grouped by kind",
        querystring: globalSearchQuery,
        response: { 200: globalSearchResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.company.read(actor));
      const { q } = request.query;
      // Each kind only as far as the caller may see it: KKR and national readers get companies only.
      const [companies, engagements, prospects] = await Promise.all([
        searchCompaniesBriefly(app.database, q),
        policy.crm.read(actor) ? searchOwnEngagements(db, actor, q) : none<never>(),
        policy.prospect.list(actor) ? searchOwnProspects(db, actor, q) : none<never>(),
      ]);
      // Engagements name companies' and persons' cases, prospects are persons: showing any is a read of personal data.
      if (engagements.items.length > 0 || prospects.items.length > 0) {
        await audit(db, actor, {
          action: 'read',
          entity: 'search',
          details: { engagements: engagements.items.map((e) => e.id), prospects: prospects.items.map((p) => p.id) },
        });
      }
      return {
        companies: companies.items,
        engagements: engagements.items,
        prospects: prospects.items,
        more: { companies: companies.more, engagements: engagements.more, prospects: prospects.more },
      };
    },
  );
};
