import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { municipalities, organisations, organisationTypes } from './schema.ts';

const kkr = alias(organisations, 'kkr');
const hub = alias(organisations, 'hub');

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
};
