import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../lib/ids.ts';
import { notFound } from '../../http/problem.ts';
import { abilities, authorize, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { organisationExists } from '../users/service.ts';
import {
  codeNameSchema,
  colleagueSchema,
  deliveryCategoryWithAbilitiesSchema,
  itemsOf,
  municipalitySchema,
  newDeliveryCategoryBody,
  organisationSchema,
  themeSchema,
} from './schemas.ts';
import { activeColleagues, activeDeliveryCategories, createDeliveryCategory, listMunicipalities, listOrganisations, municipalityNames } from './service.ts';
import { themes } from './themes.ts';
import { pickLanguage } from '../../http/i18n.ts';

const byId = idParams('organisation.notFound');

const presentCategory = <C extends { confidential: boolean }>(actor: Actor, organisationId: string, category: C) => ({
  ...category,
  abilities: abilities.deliveryCategory(actor, { organisationId, confidential: category.confidential }),
});

export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  /** An organisation the path names: 404 naming the id when there is none (not an empty list). */
  const knownOrganisation = async (id: string) => {
    if (!(await organisationExists(db, id))) throw notFound('organisation.notFound');
    return id;
  };

  app.get(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listOrganisations',
        summary: 'All actors in the business-promotion system',
        response: { 200: itemsOf(organisationSchema) },
      },
    },
    async (request) => {
      authorize(policy.organisation.list(actorOf(request)));
      return { items: await listOrganisations(db) };
    },
  );

  app.get(
    '/municipalities',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listMunicipalities',
        summary: 'The 98 municipalities with region, KKR and business hub',
        response: { 200: itemsOf(municipalitySchema) },
      },
    },
    async (request) => {
      actorOf(request);
      return { items: await listMunicipalities(db) };
    },
  );

  app.get(
    '/public/municipalities',
    {
      config: { public: true },
      schema: { tags: ['organisations'], operationId: 'listPublicMunicipalities', summary: 'The 98 municipalities by code and name, without signing in', response: { 200: itemsOf(codeNameSchema) } },
    },
    async () => ({ items: await municipalityNames(db) }),
  );

  app.get(
    '/themes',
    { schema: { tags: ['organisations'], operationId: 'listThemes', summary: 'Themes of guidance, named in the requested language', response: { 200: itemsOf(themeSchema) } } },
    async (request) => {
      actorOf(request);
      const lang = pickLanguage(request.headers['accept-language']);
      return { items: themes.map((t) => ({ key: t.key, name: t[lang] })) };
    },
  );

  app.get(
    '/colleagues',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listColleagues',
        summary: "Active users of the caller's organisation (for choosing a responsible adviser)",
        response: { 200: itemsOf(colleagueSchema) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return { items: await activeColleagues(db, actor.organisationId) };
    },
  );

  app.get(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listDeliveryCategories',
        summary: "A hub's delivery categories (leverancekategorier), each with whether the caller may choose it",
        params: byId,
        response: { 200: itemsOf(deliveryCategoryWithAbilitiesSchema) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const items = await activeDeliveryCategories(db, await knownOrganisation(request.params.id));
      return { items: items.map((c) => presentCategory(actor, request.params.id, c)) };
    },
  );

  app.post(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'createDeliveryCategory',
        summary: "Add a delivery category to a hub (the hub's admins)",
        params: byId,
        body: newDeliveryCategoryBody,
        response: { 201: deliveryCategoryWithAbilitiesSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await knownOrganisation(request.params.id);
      authorize(policy.organisation.configure(actor, request.params.id));
      const row = await createDeliveryCategory(db, actor, request.params.id, request.body);
      return reply.code(201).send(presentCategory(actor, request.params.id, row));
    },
  );
};
