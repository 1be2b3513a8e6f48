import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldProblem, HttpProblem } from '../../http/problem.ts';
import { municipalityCodeSchema } from '../../lib/integers.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { municipalities } from '../organisations/schema.ts';
import type { Db } from '../../db/client.ts';
import { prospects } from './schema.ts';

const prospectSchema = z.object({
  id: z.string(),
  personName: z.string(),
  plannedName: z.string().nullable(),
  municipality: z.object({ code: z.number(), name: z.string() }).nullable(),
  description: z.string().nullable(),
  organisationId: z.string(),
  companyCvr: z.string().nullable(),
  linkedAt: z.string().nullable(),
  createdAt: z.string(),
});

async function findProspects(db: Db, where: ReturnType<typeof eq>) {
  const rows = await db
    .select({ p: prospects, municipalityName: municipalities.name })
    .from(prospects)
    .leftJoin(municipalities, eq(municipalities.code, prospects.municipalityCode))
    .where(where)
    .orderBy(desc(prospects.createdAt));
  return rows.map(({ p, municipalityName }) => ({
    id: p.id,
    personName: p.personName,
    plannedName: p.plannedName,
    municipality: p.municipalityCode != null && municipalityName ? { code: p.municipalityCode, name: municipalityName } : null,
    description: p.description,
    organisationId: p.organisationId,
    companyCvr: p.companyCvr,
    linkedAt: p.linkedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  }));
}

export const prospectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/prospects',
    { schema: { tags: ['prospects'], summary: "Prospects (potentielle iværksættere) of the caller's organisation", response: { 200: z.object({ items: z.array(prospectSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.prospect.list(actor));
      const items = await findProspects(db, eq(prospects.organisationId, actor.organisationId));
      await audit(db, actor, { action: 'read', entity: 'prospect', details: { count: items.length } });
      return { items };
    },
  );

  app.post(
    '/prospects',
    {
      schema: {
        tags: ['prospects'],
        summary: 'Record a person planning a company (no CVR yet)',
        body: z.strictObject({
          personName: z.string().trim().min(1).max(200),
          plannedName: z.string().trim().max(300).optional(),
          municipalityCode: municipalityCodeSchema.optional(),
          description: z.string().trim().max(5000).optional(),
        }),
        response: { 201: prospectSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.prospect.create(actor));
      const { municipalityCode } = request.body;
      if (municipalityCode !== undefined) {
        const [known] = await db.select({ code: municipalities.code }).from(municipalities).where(eq(municipalities.code, municipalityCode));
        if (!known) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });
      }
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(prospects)
          .values({ ...request.body, organisationId: actor.organisationId, createdBy: actor.userId })
          .returning({ id: prospects.id });
        await audit(tx, actor, { action: 'create', entity: 'prospect', entityId: row!.id });
        return row!.id;
      });
      const [created] = await findProspects(db, eq(prospects.id, id));
      return reply.code(201).send(created!);
    },
  );

  app.post(
    '/prospects/:id/link',
    {
      schema: {
        tags: ['prospects'],
        summary: 'Link a prospect to the CVR number of the company it founded (once; cannot be changed)',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ cvr: cvrSchema }),
        response: { 200: prospectSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const [prospect] = await db.select().from(prospects).where(eq(prospects.id, request.params.id));
      authorizeVisible(!!prospect && policy.prospect.read(actor, prospect), 'prospect.notFound');
      authorize(policy.prospect.link(actor, prospect));
      if (prospect.companyCvr) throw new HttpProblem(409, 'prospect.alreadyLinked');
      const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, request.body.cvr));
      if (!company) throw fieldProblem('cvr', 'company.notFound', { cvr: request.body.cvr });
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(prospects)
          .set({ companyCvr: company.cvr, linkedAt: app.now() })
          .where(and(eq(prospects.id, prospect.id), isNull(prospects.companyCvr)))
          .returning({ id: prospects.id });
        if (updated.length === 0) throw new HttpProblem(409, 'prospect.alreadyLinked');
        await audit(tx, actor, { action: 'link', entity: 'prospect', entityId: prospect.id, companyCvr: company.cvr });
      });
      const [linked] = await findProspects(db, eq(prospects.id, prospect.id));
      return linked!;
    },
  );
};
