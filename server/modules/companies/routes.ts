import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http/problem.ts';
import { abilities, authorize, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { companySchema, companySearchResultSchema, cvrSchema, newCompanyBody, publicCompanySchema, searchQuerySchema, type CompanyData } from './schemas.ts';
import { createCompany, findPublicCompany, getCompany, searchCompanies } from './service.ts';
import { fastSerializer } from '../../http/fast-serializer.ts';

const cvrParams = z.object({ cvr: cvrSchema });

const present = (actor: Actor, company: CompanyData) => ({ ...company, abilities: abilities.company(actor) });

export const companyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies',
    {
      schema: {
        tags: ['companies'],
        operationId: 'searchCompanies',
        summary: 'Search companies by CVR (exact or prefix), P-number or name (typos tolerated); filter by municipality and industry',
        querystring: searchQuerySchema,
        response: { 200: companySearchResultSchema },
      },
      // Every search box keystroke (debounced) lands here: see fast-serializer.ts.
      serializerCompiler: fastSerializer,
    },
    async (request) => {
      authorize(policy.company.read(actorOf(request)));
      return searchCompanies(app.database, request.query);
    },
  );

  app.get(
    '/public/companies/:cvr',
    {
      config: { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['companies'],
        operationId: 'lookUpPublicCompany',
        summary: 'Look up a CVR number without signing in: the public name and municipality (the "Få vejledning" form)',
        params: cvrParams,
        response: { 200: publicCompanySchema },
      },
    },
    async (request) => {
      const company = await findPublicCompany(db, request.params.cvr);
      if (!company) throw notFound('company.notFound', { cvr: request.params.cvr });
      return company;
    },
  );

  app.get(
    '/companies/:cvr',
    {
      schema: {
        tags: ['companies'],
        operationId: 'getCompany',
        summary: "A company's register data and P-units, with what the caller may do on its page",
        params: cvrParams,
        response: { 200: companySchema },
      },
      // The most frequent read there is (every company page and link): see fast-serializer.ts.
      serializerCompiler: fastSerializer,
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.company.read(actor));
      const company = await getCompany(app.database, request.params.cvr);
      if (!company) throw notFound('company.notFound', { cvr: request.params.cvr });
      return present(actor, company);
    },
  );

  app.post(
    '/companies',
    {
      schema: {
        tags: ['companies'],
        operationId: 'createCompany',
        summary: 'Create a company by CVR (register data follows with the next CVR import)',
        body: newCompanyBody,
        response: { 201: companySchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.company.create(actor));
      const cvr = await createCompany(db, actor, request.body);
      return reply.code(201).send(present(actor, (await getCompany(db, cvr))!));
    },
  );
};
