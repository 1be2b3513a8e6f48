import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { CSV_CONTENT_TYPE } from '../../lib/csv.ts';
import { actorOf } from '../auth/plugin.ts';
import { listCsvResponse, listSchema, newListBody } from './schemas.ts';
import { createList, exportListCsv, findList, findListOwnership, findListsOf } from './service.ts';

/**
 * Company lists from a search, e.g. for a campaign. Advertising-protected companies (reklamebeskyttede)
 * are left out when the list is made, and again whenever it is read, so they never reach a campaign.
 */
export const listRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post(
    '/lists',
    {
      schema: {
        tags: ['lists'],
        operationId: 'createList',
        summary: 'Make a company list from a search, without advertising-protected companies',
        body: newListBody,
        response: { 201: listSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.list.create(actor));
      const id = await createList(db, actor, request.body);
      return reply.code(201).send((await findList(db, id))!);
    },
  );

  app.get(
    '/lists',
    { schema: { tags: ['lists'], operationId: 'listLists', summary: "The organisation's company lists", response: { 200: z.object({ items: z.array(listSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      return { items: await findListsOf(db, actor.organisationId) };
    },
  );

  app.get(
    '/lists/:id/companies.csv',
    {
      schema: {
        tags: ['lists'],
        operationId: 'exportListCompanies',
        summary: 'The companies of a list as CSV (semicolon-separated, UTF-8)',
        params: idParams('list.notFound'),
        response: { 200: listCsvResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const list = await findListOwnership(db, request.params.id);
      authorizeVisible(!!list && policy.list.read(actor, list), 'list.notFound');
      const csv = await exportListCsv(db, actor, list.id);
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="liste-${list.id}.csv"`)
        .send(csv);
    },
  );
};
