import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { authorize, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { assertContactOf } from '../contacts/service.ts';
import { organisations } from '../organisations/schema.ts';
import { consentChannels, consentPurposes, consentScopes, consents } from './schema.ts';
import { findConsents, withdrawConsents } from './service.ts';

const named = z.object({ id: z.string(), name: z.string() });
export const consentSchema = z.object({
  id: z.string(),
  companyCvr: z.string().nullable(),
  prospectId: z.string().nullable(),
  purpose: z.enum(consentPurposes),
  scope: z.enum(consentScopes),
  organisations: z.array(named),
  givenByName: z.string(),
  givenByContactId: z.string().nullable(),
  givenAt: z.string(),
  channel: z.string(),
  recordedByOrganisation: named.nullable(),
  expiresAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.object({ via: z.enum(['organisation', 'company']), organisation: named.nullable() }).nullable(),
  awaitingConfirmation: z.boolean(),
  active: z.boolean(),
  abilities: z.object({ withdraw: z.boolean() }),
});

export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies/:cvr/consents',
    {
      schema: {
        tags: ['consents'],
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
      return { items };
    },
  );

  app.post(
    '/companies/:cvr/consents',
    {
      schema: {
        tags: ['consents'],
        summary: 'Record a consent given by the company: purpose, scope, who, when and how',
        params: z.object({ cvr: cvrSchema }),
        body: z.strictObject({
          purpose: z.enum(consentPurposes),
          scope: z.enum(consentScopes),
          organisationIds: z.array(z.uuid()).max(200).default([]),
          givenByContactId: z.uuid().optional(),
          givenByName: z.string().trim().min(1).max(200),
          channel: z.enum(consentChannels),
          expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
        }),
        response: { 201: consentSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.consent.record(actor));
      const now = app.now();
      const body = request.body;
      const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, request.params.cvr));
      if (!company) throw notFound('company.notFound', { cvr: request.params.cvr });
      const organisationIds = body.scope === 'named' ? [...new Set(body.organisationIds)] : [];
      if (body.scope === 'named') {
        if (organisationIds.length === 0) throw fieldProblem('organisationIds', 'consent.organisationsRequired');
        const found = await db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, organisationIds));
        if (found.length !== organisationIds.length) throw fieldProblem('organisationIds', 'consent.organisationUnknown');
      }
      // The giver is a person the recording organisation has itself recorded.
      if (body.givenByContactId) await assertContactOf(db, actor, now, body.givenByContactId, { companyCvr: company.cvr, prospectId: null }, 'givenByContactId', { own: true });
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt <= now) throw fieldProblem('expiresAt', 'consent.expiryPast');
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(consents)
          .values({
            companyCvr: company.cvr,
            purpose: body.purpose,
            scope: body.scope,
            organisationIds,
            givenByContactId: body.givenByContactId ?? null,
            givenByName: body.givenByName,
            givenAt: now,
            channel: body.channel,
            recordedBy: actor.userId,
            recordedByOrganisationId: actor.organisationId,
            expiresAt,
          })
          .returning({ id: consents.id });
        await audit(tx, actor, { action: 'create', entity: 'consent', entityId: row!.id, companyCvr: company.cvr, details: { purpose: body.purpose, scope: body.scope } });
        return row!.id;
      });
      const [created] = await findConsents(db, actor, now, sql`sc.id = ${id}`);
      return reply.code(201).send(created!);
    },
  );

  app.post(
    '/consents/:id/withdraw',
    {
      schema: {
        tags: ['consents'],
        summary: 'Withdraw a consent; takes effect at once',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ note: z.string().trim().max(2_000).optional() }),
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
      if (consent.withdrawnAt) throw conflict('consent.alreadyWithdrawn');
      await db.transaction(async (tx) => {
        const withdrawn = await withdrawConsents(tx, { actor }, now, sql`sc.id = ${consent.id}`, request.body.note ?? null, app.config);
        if (withdrawn.length === 0) throw conflict('consent.alreadyWithdrawn');
      });
      const [withdrawn] = await findConsents(db, actor, now, sql`sc.id = ${consent.id}`);
      return withdrawn!;
    },
  );
};
