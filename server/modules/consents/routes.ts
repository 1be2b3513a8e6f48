import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { notFound } from '../../http/problem.ts';
import { abilities, authorize, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { consentSchema, newConsentBody, withdrawConsentBody, type ConsentData } from './schemas.ts';
import { findConsents, recordConsent, withdrawConsent } from './service.ts';

const present = (actor: Actor, consent: ConsentData) => ({ ...consent, abilities: abilities.consent(actor, consent) });

export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies/:cvr/consents',
    {
      schema: {
        tags: ['consents'],
        operationId: 'listCompanyConsents',
        summary: "A company's consents, active and withdrawn, that the caller's organisation recorded or is covered by",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(consentSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.consent.list(actor));
      const items = await findConsents(db, actor, app.now(), sql`sc.company_cvr = ${request.params.cvr}`);
      await audit(db, actor, { action: 'read', entity: 'consent', companyCvr: request.params.cvr, details: { count: items.length } });
      return { items: items.map((c) => present(actor, c)) };
    },
  );

  app.post(
    '/companies/:cvr/consents',
    {
      schema: {
        tags: ['consents'],
        operationId: 'recordConsent',
        summary: 'Record a consent given by the company: purpose, scope, who, when and how',
        params: z.object({ cvr: cvrSchema }),
        body: newConsentBody,
        response: { 201: consentSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.consent.record(actor));
      const now = app.now();
      const id = await recordConsent(db, actor, now, request.params.cvr, request.body);
      const [created] = await findConsents(db, actor, now, sql`sc.id = ${id}`);
      return reply.code(201).send(present(actor, created!));
    },
  );

  app.post(
    '/consents/:id/withdraw',
    {
      schema: {
        tags: ['consents'],
        operationId: 'withdrawConsent',
        summary: 'Withdraw a consent; takes effect at once',
        params: idParams('consent.notFound'),
        body: withdrawConsentBody,
        response: { 200: consentSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.consent.withdraw(actor));
      const now = app.now();
      // Only the recorder and the organisations the consent covers know it exists; others get 404.
      const [consent] = await findConsents(db, actor, now, sql`sc.id = ${request.params.id}`);
      if (!consent) throw notFound('consent.notFound');
      await withdrawConsent(db, actor, now, consent, request.body.note ?? null, app.config);
      const [withdrawn] = await findConsents(db, actor, now, sql`sc.id = ${consent.id}`);
      return present(actor, withdrawn!);
    },
  );
};
