import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { fieldProblem, HttpProblem } from '../../http/problem.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { newSavedFilterBody, SAVED_FILTERS_PER_LIST, savedFilterListSchema, savedFilterSchema, savedFiltersQuery } from './schemas.ts';
import { countSavedFilters, deleteSavedFilter, findSavedFilterOwner, findSavedFilters, insertSavedFilter, normaliseQuery } from './service.ts';

const byId = idParams('savedFilter.notFound');

/** The caller's own saved filters; there is no route to anyone else's, and another user's id is missing (404). */
export const savedFilterRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/me/saved-filters',
    {
      schema: {
        tags: ['saved-filters'],
        operationId: 'listMySavedFilters',
        summary: "The caller's saved filters on one list (leads, referrals, engagements, tasks), by name",
        querystring: savedFiltersQuery,
        response: { 200: savedFilterListSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.savedFilter.use(actor));
      return { items: await findSavedFilters(db, actor.userId, request.query.list) };
    },
  );

  app.post(
    '/me/saved-filters',
    {
      schema: {
        tags: ['saved-filters'],
        operationId: 'createMySavedFilter',
        summary: "Save a list's query string under a name (the page is not kept); names are unique per user and list",
        body: newSavedFilterBody,
        response: { 201: savedFilterSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.savedFilter.use(actor));
      const { list, name } = request.body;
      const query = normaliseQuery(request.body.query);
      if (query === null) throw fieldProblem('query', 'savedFilter.queryFormat');
      if (query === '') throw fieldProblem('query', 'savedFilter.queryEmpty');
      if ((await countSavedFilters(db, actor.userId, list)) >= SAVED_FILTERS_PER_LIST) throw new HttpProblem(409, 'savedFilter.tooMany', { max: SAVED_FILTERS_PER_LIST });
      const saved = await insertSavedFilter(db, { userId: actor.userId, list, name, query });
      if (!saved) throw new HttpProblem(409, 'savedFilter.nameTaken', { name }, [{ field: 'name', key: 'savedFilter.nameTaken', params: { name } }]);
      return reply.code(201).send(saved);
    },
  );

  app.delete(
    '/me/saved-filters/:id',
    {
      schema: {
        tags: ['saved-filters'],
        operationId: 'deleteMySavedFilter',
        summary: "Delete one of the caller's saved filters",
        params: byId,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const filter = await findSavedFilterOwner(db, request.params.id);
      authorizeVisible(!!filter && policy.savedFilter.own(actor, filter), 'savedFilter.notFound');
      await deleteSavedFilter(db, filter.id);
      return reply.code(204).send(null);
    },
  );
};
