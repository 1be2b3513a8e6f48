import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.ts';
import { pageQuery } from '../../lib/paging.ts';
import { versionSchema } from '../../lib/integers.ts';
import { pickLanguage } from '../../http/i18n.ts';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { themeKeys } from '../organisations/themes.ts';
import { leadStatuses } from './schema.ts';
import { changeLeadStatus, confirmLeadConsents, leadIdForKey, listLeads, receiptOf, requestHashOf, submitGuidanceRequest } from './service.ts';

const requestBody = z.strictObject({
  cvr: cvrSchema.optional(),
  noCvr: z.boolean().default(false),
  companyName: z.string().trim().max(200).optional(),
  municipalityCode: z.number().int().min(100).max(999).optional(),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
  }),
  need: z.string().trim().min(1).max(2_000),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
  consents: z.strictObject({ sharing: z.boolean(), evaluation: z.boolean() }),
  /** A self-assessment to send along: its answers; the server scores them itself. */
  selfAssessment: z.object({ key: z.enum(['digital', 'export', 'green']), answers: z.record(z.string(), z.number().int().min(0).max(3)) }).optional(),
  /** The published offer the company asked from. */
  offerId: z.uuid().optional(),
  /** Honeypot: hidden in the form, so only robots fill it in. */
  website: z.string().max(500).optional(),
});

const receiptSchema = z.object({ id: z.string(), receivedAt: z.string(), organisation: z.object({ name: z.string() }), dueAt: z.string() });

export const guidanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post(
    '/public/guidance-requests',
    {
      config: { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['guidance'],
        summary: 'Request guidance (Få vejledning); send an Idempotency-Key header so a retry creates nothing new',
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: requestBody,
        response: { 201: receiptSchema, 200: receiptSchema },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!key || !/^[\w-]{8,100}$/.test(key)) throw new HttpProblem(400, 'guidance.idempotencyKey');
      const { website, ...input } = request.body;
      const now = app.now();
      // A filled honeypot gets a normal-looking answer and nothing is stored.
      if (website) return reply.code(201).send({ id: crypto.randomUUID(), receivedAt: now.toISOString(), organisation: { name: '' }, dueAt: now.toISOString() });
      // The same key with the same body is a retry (the first receipt); with another body, a 422.
      const requestHash = requestHashOf(input);
      const existing = await leadIdForKey(db, key, requestHash);
      if (existing) return reply.code(200).send(await receiptOf(db, existing));
      const id = await submitGuidanceRequest(db, now, key, input, requestHash);
      // null: a concurrent request with this key won the race; answer as if it had come first.
      if (!id) return reply.code(200).send(await receiptOf(db, (await leadIdForKey(db, key, requestHash))!));
      return reply.code(201).send(await receiptOf(db, id));
    },
  );

  app.get(
    '/guidance-requests',
    {
      schema: {
        tags: ['guidance'],
        summary: "Leads for the caller's local business service, or for the municipalities of the caller's hub",
        querystring: z.object({ status: z.enum(leadStatuses).optional(), ...pageQuery }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.visibleTo(actor));
      const { status, page, pageSize } = request.query;
      return listLeads(db, actor, app.now(), pickLanguage(request.headers['accept-language']), status, { page, pageSize });
    },
  );

  app.post(
    '/guidance-requests/:id/status',
    {
      schema: {
        tags: ['guidance'],
        summary: 'Take a lead (in_progress) or close it',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ status: z.enum(['in_progress', 'closed']), version: versionSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.handle(actor));
      const lang = pickLanguage(request.headers['accept-language']);
      return changeLeadStatus(db, actor, app.now(), lang, request.params.id, request.body.status, request.body.version);
    },
  );

  app.post(
    '/guidance-requests/:id/confirm-consents',
    {
      schema: {
        tags: ['guidance'],
        summary: 'Confirm the consents the company gave on the web form (after being in touch with it); until then they are not in force',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.handle(actor));
      return confirmLeadConsents(db, actor, app.now(), pickLanguage(request.headers['accept-language']), request.params.id);
    },
  );
};
