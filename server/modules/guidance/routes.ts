import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../lib/ids.ts';
import { pageQuery } from '../../lib/paging.ts';
import { danishDate } from '../../lib/working-days.ts';
import { pickLanguage } from '../../http/i18n.ts';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import {
  confirmedLeadSchema,
  guidanceReceiptSchema,
  guidanceRequestBody,
  idempotencyKeyHeaders,
  leadPageSchema,
  leadSchema,
  leadsQuery,
  leadStatusBody,
} from './schemas.ts';
import {
  changeLeadStatus,
  confirmLeadConsents,
  findLead,
  leadIdForKey,
  listLeads,
  presentLead as present,
  prospectFromLead,
  receiptOf,
  requestHashOf,
  submitGuidanceRequest,
} from './service.ts';

const byId = idParams('lead.notFound');

export const guidanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post(
    '/public/guidance-requests',
    {
      config: { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['guidance'],
        operationId: 'requestGuidance',
        summary: 'Request guidance (Få vejledning); the Idempotency-Key header makes a retry create nothing new',
        description: 'Answers 201 with the receipt of a new request, or 200 with the first receipt when the same key comes again with the same body (a retry); the same key with another body is refused (422).',
        headers: idempotencyKeyHeaders,
        body: guidanceRequestBody,
        response: { 201: guidanceReceiptSchema.describe('The request was received'), 200: guidanceReceiptSchema.describe('A retry: the receipt of the first request with this key') },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { website, ...input } = request.body;
      const now = app.now();
      // A filled honeypot gets a normal-looking answer and nothing is stored.
      if (website) return reply.code(201).send({ id: crypto.randomUUID(), receivedAt: now.toISOString(), organisation: { name: '' }, dueOn: danishDate(now) });
      // The same key with the same body is a retry (the first receipt); with another body, a 422.
      const requestHash = requestHashOf(input);
      const existing = await leadIdForKey(db, key, requestHash);
      if (existing) return reply.code(200).send(await receiptOf(db, existing));
      const id = await submitGuidanceRequest(db, now, key, input, app.config, requestHash);
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
        operationId: 'listLeads',
        summary: "Leads for the caller's local business service, or for the municipalities of the caller's hub",
        description: 'Filtered by status, overdue, municipality and theme, sorted by `sort` and `dir`, page by page.',
        querystring: leadsQuery.extend(pageQuery),
        response: { 200: leadPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.visibleTo(actor));
      const { page, pageSize, ...query } = request.query;
      const leads = await listLeads(db, actor, app.now(), pickLanguage(request.headers['accept-language']), query, { page, pageSize });
      return { ...leads, items: leads.items.map((lead) => present(actor, lead)) };
    },
  );

  app.get(
    '/guidance-requests/:id',
    {
      schema: {
        tags: ['guidance'],
        operationId: 'getLead',
        summary: 'One lead (the link in the mail about it); missing (404) for whoever may not see it',
        params: byId,
        response: { 200: leadSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.visibleTo(actor));
      return present(actor, await findLead(db, actor, app.now(), pickLanguage(request.headers['accept-language']), request.params.id));
    },
  );

  app.post(
    '/guidance-requests/:id/status',
    {
      schema: {
        tags: ['guidance'],
        operationId: 'changeLeadStatus',
        summary: 'Take a lead (in_progress), close it with its outcome, or reopen a closed one (in_progress)',
        params: byId,
        body: leadStatusBody,
        response: { 200: leadSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.handle(actor));
      const lang = pickLanguage(request.headers['accept-language']);
      return present(actor, await changeLeadStatus(db, actor, app.now(), lang, request.params.id, request.body));
    },
  );

  app.post(
    '/guidance-requests/:id/prospect',
    {
      schema: {
        tags: ['guidance'],
        operationId: 'createProspectFromLead',
        summary: 'Record a lead without CVR as a prospect (iværksætter) of your organisation, with its contact; the lead is linked and taken',
        params: byId,
        response: { 201: leadSchema.describe('The lead, linked to the new prospect') },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.createProspect(actor));
      const lang = pickLanguage(request.headers['accept-language']);
      return reply.code(201).send(present(actor, await prospectFromLead(db, actor, app.now(), lang, request.params.id)));
    },
  );

  app.post(
    '/guidance-requests/:id/confirm-consents',
    {
      schema: {
        tags: ['guidance'],
        operationId: 'confirmLeadConsents',
        summary: 'Confirm the consents the company gave on the web form (after being in touch with it); until then they are not in force',
        params: byId,
        response: { 200: confirmedLeadSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.handle(actor));
      return present(actor, await confirmLeadConsents(db, actor, app.now(), pickLanguage(request.headers['accept-language']), request.params.id));
    },
  );
};
