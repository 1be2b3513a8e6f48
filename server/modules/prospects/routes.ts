import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { linkProspectBody, newProspectBody, prospectSchema, type ProspectData } from './schemas.ts';
import { createProspect, findProspect, findProspectOwnership, findProspectsOf, linkProspect } from './service.ts';

const present = (actor: Actor, prospect: ProspectData) => ({ ...prospect, abilities: abilities.prospect(actor, prospect) });

export const prospectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/prospects',
    {
      schema: {
        tags: ['prospects'],
        operationId: 'listProspects',
        summary: "Prospects (potentielle iværksættere) of the caller's organisation",
        response: { 200: z.object({ items: z.array(prospectSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.prospect.list(actor));
      const items = await findProspectsOf(db, actor.organisationId);
      await audit(db, actor, { action: 'read', entity: 'prospect', details: { count: items.length } });
      return { items: items.map((p) => present(actor, p)) };
    },
  );

  app.post(
    '/prospects',
    {
      schema: {
        tags: ['prospects'],
        operationId: 'createProspect',
        summary: 'Record a person planning a company (no CVR yet)',
        body: newProspectBody,
        response: { 201: prospectSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.prospect.create(actor));
      const id = await createProspect(db, actor, request.body);
      return reply.code(201).send(present(actor, (await findProspect(db, id))!));
    },
  );

  app.post(
    '/prospects/:id/link',
    {
      schema: {
        tags: ['prospects'],
        operationId: 'linkProspect',
        summary: 'Link a prospect to the CVR number of the company it founded (once; cannot be changed)',
        params: idParams('prospect.notFound'),
        body: linkProspectBody,
        response: { 200: prospectSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const prospect = await findProspectOwnership(db, request.params.id);
      authorizeVisible(!!prospect && policy.prospect.read(actor, prospect), 'prospect.notFound');
      authorize(policy.prospect.link(actor, prospect));
      await linkProspect(db, actor, app.now(), prospect, request.body.cvr);
      return present(actor, (await findProspect(db, prospect.id))!);
    },
  );
};
