import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { endsBeforeStart } from '../../lib/dates.ts';
import { fieldProblem, HttpProblem, conflict } from '../../http/problem.ts';
import { danishDate } from '../../lib/working-days.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { findActivities } from '../activities/service.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { leadForEngagement, linkLeadEngagement } from '../guidance/service.ts';
import { findReferrals, linkReceiverEngagement, presentReferral, referralForReceiverEngagement } from '../referrals/service.ts';
import {
  closeBody,
  closedEngagementSchema,
  closePreviewSchema,
  engagementChangeBody,
  engagementDetailSchema,
  engagementListQuery,
  engagementPageSchema,
  engagementSchema,
  newEngagementBody,
} from './schemas.ts';
import {
  assertResponsible,
  categoryOf,
  closeEngagement,
  closePreview,
  companyExists,
  engagementForChange,
  findEngagement,
  findEngagements,
  insertEngagement,
  presentEngagement,
  prospectOrganisationId,
  updateEngagement,
} from './service.ts';

const byId = idParams('engagement.notFound');

export const engagementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/engagements',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'listEngagements',
        summary: "The caller's organisation's engagements (Early Warning ones only for the EW team)",
        querystring: engagementListQuery,
        response: { 200: engagementPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const { status, responsible, page, pageSize } = request.query;
      const filters = [sql`TRUE`];
      if (status) filters.push(sql`e.status = ${status}`);
      if (responsible) filters.push(sql`e.responsible_user_id = ${actor.userId}`);
      const rows = await findEngagements(db, actor, app.now(), sql.join(filters, sql` AND `), { limit: pageSize + 1, offset: (page - 1) * pageSize }, { ownOrganisation: true });
      await audit(db, actor, { action: 'read', entity: 'engagement', details: { list: 'organisation', count: Math.min(rows.length, pageSize) } });
      return { items: rows.slice(0, pageSize).map((e) => presentEngagement(actor, e)), page, pageSize, hasMore: rows.length > pageSize };
    },
  );

  app.get(
    '/companies/:cvr/engagements',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'listCompanyEngagements',
        summary: "A company's engagements the caller may see, from every organisation",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(engagementSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findEngagements(db, actor, app.now(), sql`e.company_cvr = ${request.params.cvr}`);
      await audit(db, actor, { action: 'read', entity: 'engagement', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((e) => e.organisation.id) });
      return { items: items.map((e) => presentEngagement(actor, e)) };
    },
  );

  app.post(
    '/engagements',
    { schema: { tags: ['engagements'], operationId: 'createEngagement', summary: 'Open an engagement (vejledningsforløb)', body: newEngagementBody, response: { 201: engagementSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const body = request.body;
      if (!body.companyCvr === !body.prospectId) throw fieldProblem('companyCvr', 'engagement.subjectRequired');
      if (body.companyCvr) {
        if (!(await companyExists(db, body.companyCvr))) throw fieldProblem('companyCvr', 'company.notFound', { cvr: body.companyCvr });
      } else {
        if ((await prospectOrganisationId(db, body.prospectId!)) !== actor.organisationId) throw fieldProblem('prospectId', 'prospect.notFound');
      }
      const responsibleUserId = body.responsibleUserId ?? actor.userId;
      const category = body.deliveryCategoryId ? await categoryOf(db, actor.organisationId, body.deliveryCategoryId) : null;
      const confidential = body.confidential || !!category?.confidential;
      if (confidential && !policy.crm.createConfidential(actor)) throw new HttpProblem(403, 'engagement.confidentialForbidden');
      await assertResponsible(db, actor.organisationId, responsibleUserId, confidential);
      // The receiver's own engagement from a referral it accepted (referrals module): checked now, linked with the insert.
      const { referralId, guidanceRequestId, ...fields } = body;
      const fromReferral = referralId ? await referralForReceiverEngagement(db, actor, referralId, { companyCvr: body.companyCvr ?? null, prospectId: body.prospectId ?? null }) : null;
      // "Opret forløb" from a request (guidance module): checked now, linked and the request taken with the insert.
      if (guidanceRequestId) authorize(policy.guidanceRequest.openEngagement(actor));
      const fromLead = guidanceRequestId ? await leadForEngagement(db, actor, guidanceRequestId, { companyCvr: body.companyCvr ?? null, prospectId: body.prospectId ?? null }) : null;
      const id = await db.transaction(async (tx) => {
        const engagementId = await insertEngagement(tx, actor, {
          ...fields,
          responsibleUserId,
          deliveryCategoryId: category?.id ?? null,
          openedOn: body.openedOn ?? danishDate(app.now()),
          confidential,
        });
        if (fromReferral) await linkReceiverEngagement(tx, actor, fromReferral.id, engagementId);
        if (fromLead) await linkLeadEngagement(tx, actor, app.now(), fromLead.id, engagementId);
        return engagementId;
      });
      return reply.code(201).send(presentEngagement(actor, (await findEngagement(db, actor, app.now(), id))!));
    },
  );

  app.get(
    '/engagements/:id',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'getEngagement',
        summary: 'An engagement with its activities and referrals',
        params: byId,
        response: { 200: engagementDetailSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await findEngagement(db, actor, now, request.params.id);
      authorizeVisible(!!engagement, 'engagement.notFound');
      const [activityList, referralList] = [
        await findActivities(db, actor, now, sql`a.engagement_id = ${engagement.id}`),
        await findReferrals(db, actor, now, sql`r.engagement_id = ${engagement.id}`),
      ];
      await audit(db, actor, {
        action: 'read', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null,
        holders: [engagement.organisation.id, ...activityList.map((a) => a.organisation.id)],
      });
      return { ...presentEngagement(actor, engagement), activities: activityList, referrals: referralList.map((r) => presentReferral(actor, r)) };
    },
  );

  app.patch(
    '/engagements/:id',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'changeEngagement',
        summary: 'Change an engagement; `version` must be the one read (else 409)',
        params: byId,
        body: engagementChangeBody,
        response: { 200: engagementSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      const { responsibleUserId, deliveryCategoryId } = request.body;
      if (responsibleUserId) await assertResponsible(db, actor.organisationId, responsibleUserId, engagement.confidential);
      const category = deliveryCategoryId ? await categoryOf(db, actor.organisationId, deliveryCategoryId) : null;
      if (category?.confidential && !engagement.confidential) throw new HttpProblem(403, 'engagement.confidentialForbidden');
      await updateEngagement(db, actor, now, engagement, request.body);
      return presentEngagement(actor, (await findEngagement(db, actor, now, engagement.id))!);
    },
  );

  app.get(
    '/engagements/:id/close-preview',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'previewEngagementClose',
        summary: 'What closing the engagement would do: whether an evaluation invitation goes out, to which contact, or why not',
        params: byId,
        response: { 200: closePreviewSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      // Whoever may close it may ask what closing would do (and no one else learns the contact).
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      if (engagement.status === 'closed') throw conflict('engagement.alreadyClosed');
      const preview = await closePreview(db, now, engagement);
      if (preview.evaluationInvitation.contact) {
        await audit(db, actor, { action: 'read', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null, details: { closePreview: true } });
      }
      return preview;
    },
  );

  app.post(
    '/engagements/:id/close',
    {
      schema: {
        tags: ['engagements'],
        operationId: 'closeEngagement',
        summary: 'Close an open engagement with its outcome; a specialised one may invite the company to evaluate it',
        params: byId,
        body: closeBody,
        response: { 200: closedEngagementSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      if (engagement.status === 'closed') throw conflict('engagement.alreadyClosed');
      const closedOn = request.body.closedOn ?? danishDate(now);
      if (endsBeforeStart(engagement.openedOn, closedOn)) throw fieldProblem('closedOn', 'engagement.closedBeforeOpened');
      const invitation = await closeEngagement(db, actor, now, engagement, { ...request.body, closedOn }, app.config);
      return {
        ...presentEngagement(actor, (await findEngagement(db, actor, now, engagement.id))!),
        evaluationInvitation: { sent: invitation === 'invited', reason: invitation === 'invited' ? null : invitation },
      };
    },
  );
};
