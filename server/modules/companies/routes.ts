import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { municipalityCodeSchema } from '../../lib/integers.ts';
import { authorize, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { municipalities } from '../organisations/schema.ts';
import { searchNameOf } from './cvr-document.ts';
import { companies } from './schema.ts';
import { companySchema, companySummarySchema, cvrSchema, searchQuerySchema } from './schemas.ts';
import { getCompany, searchCompanies } from './service.ts';

export const companyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies',
    {
      schema: {
        tags: ['companies'],
        summary: 'Search companies by CVR (exact or prefix), P-number or name (typos tolerated); filter by municipality and industry',
        querystring: searchQuerySchema,
        response: {
          200: z.object({ items: z.array(companySummarySchema), page: z.number(), pageSize: z.number(), total: z.number(), totalCapped: z.boolean(), hasMore: z.boolean() }),
        },
      },
    },
    async (request) => {
      authorize(policy.company.read(actorOf(request)));
      return searchCompanies(db, request.query);
    },
  );

  app.get(
    '/public/companies/:cvr',
    {
      config: { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['companies'],
        summary: 'Look up a CVR number without signing in: the public name and municipality (the "Få vejledning" form)',
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ cvr: z.string(), name: z.string(), municipality: z.object({ code: z.number(), name: z.string() }).nullable() }) },
      },
    },
    async (request) => {
      const [row] = await db
        .select({ cvr: companies.cvr, name: companies.name, code: municipalities.code, municipalityName: municipalities.name })
        .from(companies)
        .leftJoin(municipalities, eq(municipalities.code, companies.municipalityCode))
        .where(eq(companies.cvr, request.params.cvr));
      if (!row) throw notFound('company.notFound', { cvr: request.params.cvr });
      return policy.company.publicView({ cvr: row.cvr, name: row.name ?? row.cvr, municipality: row.code === null ? null : { code: row.code, name: row.municipalityName! } });
    },
  );

  app.get(
    '/companies/:cvr',
    { schema: { tags: ['companies'], summary: "A company's register data and P-units", params: z.object({ cvr: cvrSchema }), response: { 200: companySchema } } },
    async (request) => {
      authorize(policy.company.read(actorOf(request)));
      const company = await getCompany(db, request.params.cvr);
      if (!company) throw notFound('company.notFound', { cvr: request.params.cvr });
      return company;
    },
  );

  app.post(
    '/companies',
    {
      schema: {
        tags: ['companies'],
        summary: 'Create a company by CVR (register data follows with the next CVR import)',
        body: z.strictObject({ cvr: cvrSchema, name: z.string().trim().min(1).max(300).optional(), municipalityCode: municipalityCodeSchema.optional() }),
        response: { 201: companySchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.company.create(actor));
      const { cvr, name = null, municipalityCode = null } = request.body;
      if (municipalityCode !== null) {
        const [known] = await db.select({ code: municipalities.code }).from(municipalities).where(eq(municipalities.code, municipalityCode));
        if (!known) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });
      }
      await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(companies)
          .values({ cvr, name, municipalityCode, searchName: searchNameOf(name, []), source: 'manual' })
          .onConflictDoNothing()
          .returning({ cvr: companies.cvr });
        if (inserted.length === 0) throw conflict('company.exists', { cvr });
        await audit(tx, actor, { action: 'create', entity: 'company', entityId: cvr, companyCvr: cvr });
      });
      return reply.code(201).send((await getCompany(db, cvr))!);
    },
  );
};
