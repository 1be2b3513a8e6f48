import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conflict } from '../../http/problem.ts';
import { abilities, authorize, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { deliveryCategories } from '../engagements/schema.ts';
import { municipalities, organisations } from './schema.ts';
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
import { themes } from './themes.ts';
import { pickLanguage } from '../../http/i18n.ts';
import { users } from '../users/schema.ts';

const kkr = alias(organisations, 'kkr');
const hub = alias(organisations, 'hub');

const danishOrder = new Intl.Collator('da');

const idParams = z.object({ id: z.uuid() });

const presentCategory = <C extends { confidential: boolean }>(actor: Actor, category: C) => ({ ...category, abilities: abilities.deliveryCategory(actor, category) });

export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

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
      const items = await db
        .select({ id: organisations.id, key: organisations.key, name: organisations.name, type: organisations.type, municipalityCode: organisations.municipalityCode, parentId: organisations.parentId })
        .from(organisations)
        .orderBy(asc(organisations.type), asc(organisations.name));
      return { items };
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
      const items = await db
        .select({ code: municipalities.code, name: municipalities.name, region: municipalities.region, kkr: kkr.name, hub: hub.name, population2020: municipalities.population2020 })
        .from(municipalities)
        .innerJoin(kkr, eq(kkr.id, municipalities.kkrId))
        .innerJoin(hub, eq(hub.id, municipalities.hubId))
        .orderBy(asc(municipalities.name));
      return { items };
    },
  );

  app.get(
    '/public/municipalities',
    {
      config: { public: true },
      schema: { tags: ['organisations'], operationId: 'listPublicMunicipalities', summary: 'The 98 municipalities by code and name, without signing in', response: { 200: itemsOf(codeNameSchema) } },
    },
    async () => {
      // Danish alphabetical order (Æ, Ø, Å last; Aa as Å) whatever the database's collation.
      const items = await db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities);
      return { items: items.sort((a, b) => danishOrder.compare(a.name, b.name)) };
    },
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
      const items = await db
        .select({ id: users.id, name: users.name, email: users.email, role: users.role })
        .from(users)
        .where(and(eq(users.organisationId, actor.organisationId), eq(users.active, true)))
        .orderBy(asc(users.name));
      return { items };
    },
  );

  app.get(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listDeliveryCategories',
        summary: "A hub's delivery categories (leverancekategorier), each with whether the caller may choose it",
        params: idParams,
        response: { 200: itemsOf(deliveryCategoryWithAbilitiesSchema) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const items = await db
        .select({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential })
        .from(deliveryCategories)
        .where(and(eq(deliveryCategories.organisationId, request.params.id), eq(deliveryCategories.active, true)))
        .orderBy(deliveryCategories.name);
      return { items: items.map((c) => presentCategory(actor, c)) };
    },
  );

  app.post(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'createDeliveryCategory',
        summary: "Add a delivery category to a hub (the hub's admins)",
        params: idParams,
        body: newDeliveryCategoryBody,
        response: { 201: deliveryCategoryWithAbilitiesSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.organisation.configure(actor, request.params.id));
      const [row] = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(deliveryCategories)
          .values({ ...request.body, organisationId: request.params.id })
          .onConflictDoNothing()
          .returning({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential });
        if (inserted.length === 0) throw conflict('problem.409');
        await audit(tx, actor, { action: 'create', entity: 'delivery_category', entityId: inserted[0]!.id, details: request.body });
        return inserted;
      });
      return reply.code(201).send(presentCategory(actor, row!));
    },
  );
};
