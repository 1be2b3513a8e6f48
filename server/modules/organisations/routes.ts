import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { municipalities, organisations, organisationTypes } from './schema.ts';
import { themes } from './themes.ts';
import { pickLanguage } from '../../http/i18n.ts';
import { users } from '../users/schema.ts';

const kkr = alias(organisations, 'kkr');
const hub = alias(organisations, 'hub');

const danishOrder = new Intl.Collator('da');

export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'All actors in the business-promotion system',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), type: z.enum(organisationTypes), municipalityCode: z.number().nullable(), parentId: z.string().nullable() })),
          }),
        },
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
        summary: 'The 98 municipalities with region, KKR and business hub',
        response: {
          200: z.object({
            items: z.array(z.object({ code: z.number(), name: z.string(), region: z.string(), kkr: z.string(), hub: z.string(), population2020: z.number().nullable() })),
          }),
        },
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
      schema: { tags: ['organisations'], summary: 'The 98 municipalities by code and name, without signing in', response: { 200: z.object({ items: z.array(z.object({ code: z.number(), name: z.string() })) }) } },
    },
    async () => {
      // Danish alphabetical order (Æ, Ø, Å last; Aa as Å) whatever the database's collation.
      const items = await db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities);
      return { items: items.sort((a, b) => danishOrder.compare(a.name, b.name)) };
    },
  );

  app.get(
    '/themes',
    { schema: { tags: ['organisations'], summary: 'Themes of guidance, named in the requested language', response: { 200: z.object({ items: z.array(z.object({ key: z.string(), name: z.string() })) }) } } },
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
        summary: "Active users of the caller's organisation (for choosing a responsible adviser)",
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string() })) }) },
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
};
