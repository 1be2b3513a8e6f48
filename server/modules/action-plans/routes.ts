import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, recordId } from '../../lib/ids.ts';
import { fileResponse } from '../../http/openapi.ts';
import { notFound } from '../../http/problem.ts';
import { pageOf, pageWindow } from '../../lib/paging.ts';
import { authorize, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { documentTypes, renderPlan } from './render.ts';
import {
  actionPlanChangeBody,
  actionPlanListQuery,
  actionPlanPageSchema,
  actionPlanSchema,
  assessmentBody,
  exportQuery,
  initiativeChangeBody,
  linkTargetQuery,
  linkTargetsSchema,
  milestoneChangeBody,
  newActionPlanBody,
  newInitiativeBody,
  newLinkBody,
  newMilestoneBody,
} from './schemas.ts';
import {
  addInitiative,
  addLink,
  addMilestone,
  assessInitiative,
  changeInitiative,
  changeMilestone,
  changePlan,
  createPlan,
  deleteInitiative,
  deleteLink,
  deleteMilestone,
  deletePlan,
  findPlanRecord,
  initiativeOf,
  linkTargets,
  listPlans,
  milestoneOf,
  readPlan,
} from './service.ts';

const planParams = idParams('actionPlan.notFound');
const initiativeParams = planParams.extend({ initiativeId: recordId('actionPlan.initiativeNotFound') });
const milestoneParams = initiativeParams.extend({ milestoneId: recordId('actionPlan.milestoneNotFound') });
const linkParams = initiativeParams.extend({ linkId: recordId('actionPlan.linkNotFound') });
const tags = ['action-plans'];

/** Handleplaner: public plans of an organisation, with initiatives whose progress comes from what carries them. */
export const actionPlanRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  const planOr404 = async (id: string) => {
    const plan = await findPlanRecord(db, id);
    if (!plan) throw notFound('actionPlan.notFound');
    return plan;
  };

  /** The plan the actor may edit (404 if missing, 403 if not the owner's or a named partner's). */
  const editablePlan = async (actor: Actor, id: string) => {
    const plan = await planOr404(id);
    authorize(policy.actionPlan.edit(actor, plan));
    return plan;
  };

  /**
   * The plan as every answer sends it. A reading that labels engagements or referrals (personal data) is
   * audited with the records and the organisations holding them, so a read under another's consent shows
   * in that organisation's audit view.
   */
  const present = async (actor: Actor, id: string) => {
    const read = await readPlan(db, actor, app.now(), id);
    if (!read) throw notFound('actionPlan.notFound');
    const { engagements, referrals, holders } = read.crmRead;
    if (engagements.length + referrals.length > 0) await audit(db, actor, { action: 'read', entity: 'action_plan', entityId: id, details: { engagements, referrals }, holders });
    return read.plan;
  };

  app.get(
    '/action-plans',
    { schema: { tags, operationId: 'listActionPlans', summary: 'Action plans (public documents: every signed-in user reads them), latest period first', querystring: actionPlanListQuery, response: { 200: actionPlanPageSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.actionPlan.read(actor));
      const { page, pageSize, ownerOrganisationId } = request.query;
      const rows = await listPlans(db, actor, { ownerOrganisationId }, pageWindow({ page, pageSize }));
      return { ...pageOf(rows, { page, pageSize }), abilities: { create: policy.actionPlan.create(actor) } };
    },
  );

  app.post(
    '/action-plans',
    { schema: { tags, operationId: 'createActionPlan', summary: "A new action plan owned by the caller's organisation", body: newActionPlanBody, response: { 201: actionPlanSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.actionPlan.create(actor));
      const id = await createPlan(db, actor, { ...request.body, ownerOrganisationId: actor.organisationId }, app.now());
      return reply.code(201).send(await present(actor, id));
    },
  );

  app.get(
    '/action-plans/link-targets',
    {
      schema: {
        tags,
        operationId: 'listActionPlanLinkTargets',
        summary: 'What the caller may link to an initiative: engagements, offers or referrals they can see, events their organisation (co-)organises, by company name, CVR or title (at most 20); finding engagements or referrals is audited',
        querystring: linkTargetQuery,
        response: { 200: linkTargetsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.actionPlan.create(actor));
      const { items, holders } = await linkTargets(db, actor, app.now(), request.query.kind, request.query.q);
      // Engagements and referrals found are a read of CRM records, as in the engagement lists.
      if (holders && items.length > 0) await audit(db, actor, { action: 'read', entity: 'action_plan_link_target', details: { kind: request.query.kind, ids: items.map((i) => i.id) }, holders });
      return { items };
    },
  );

  app.get(
    '/action-plans/:id',
    { schema: { tags, operationId: 'getActionPlan', summary: 'An action plan with its initiatives, milestones, links and progress', params: planParams, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.actionPlan.read(actor));
      return present(actor, request.params.id);
    },
  );

  app.patch(
    '/action-plans/:id',
    { schema: { tags, operationId: 'changeActionPlan', summary: 'Change the plan (title, period, focus areas, purpose) at the version read (409 when changed meanwhile)', params: planParams, body: actionPlanChangeBody, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      await changePlan(db, actor, plan, request.body, app.now());
      return present(actor, plan.id);
    },
  );

  app.delete(
    '/action-plans/:id',
    { schema: { tags, operationId: 'deleteActionPlan', summary: 'Delete the plan with its initiatives (its owner only)', params: planParams, response: { 204: z.null().describe('Deleted') } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await planOr404(request.params.id);
      authorize(policy.actionPlan.delete(actor, plan));
      await deletePlan(db, actor, plan);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/action-plans/:id/export',
    {
      schema: {
        tags,
        operationId: 'exportActionPlan',
        summary: "The plan as a Word or PDF document in the layout of the plan's table (Indsats · Indhold/beskrivelse · Målsætning(er) · Ansvarlig), with status, progress and assessment",
        params: planParams,
        querystring: exportQuery,
        response: { 200: fileResponse('The plan as a Word or PDF file', Object.values(documentTypes)) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.actionPlan.read(actor));
      const plan = await present(actor, request.params.id);
      const { format } = request.query;
      await audit(db, actor, { action: 'export', entity: 'action_plan', entityId: plan.id, details: { format } });
      const name = plan.title.normalize('NFKD').replace(/[^\w -]/g, '').trim().replace(/\s+/g, '-').toLowerCase().slice(0, 80) || 'handleplan';
      return reply
        .type(documentTypes[format])
        .header('content-disposition', `attachment; filename="${name}.${format}"`)
        .send(await renderPlan(plan, format, app.now()));
    },
  );

  app.post(
    '/action-plans/:id/initiatives',
    { schema: { tags, operationId: 'addActionPlanInitiative', summary: 'Add an initiative at the end of the plan (at most 200; 409 beyond); only the owner may name an organisation not yet on the plan (403); the plan as it is then', params: planParams, body: newInitiativeBody, response: { 201: actionPlanSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const body = request.body;
      await addInitiative(db, actor, plan, { ...body, focusArea: body.focusArea ?? null, responsibleOrganisationId: body.responsibleOrganisationId ?? null, responsibleName: body.responsibleName ?? null }, app.now());
      return reply.code(201).send(await present(actor, plan.id));
    },
  );

  app.patch(
    '/action-plans/:id/initiatives/:initiativeId',
    {
      schema: {
        tags,
        operationId: 'changeActionPlanInitiative',
        summary: 'Change an initiative (texts, responsible, partners, status, position) at the version read; only the owner may give an organisation edit rights or take them (403); the plan as it is then',
        params: initiativeParams,
        body: initiativeChangeBody,
        response: { 200: actionPlanSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const initiative = await initiativeOf(db, plan.id, request.params.initiativeId);
      await changeInitiative(db, actor, plan, initiative, request.body, app.now());
      return present(actor, plan.id);
    },
  );

  app.delete(
    '/action-plans/:id/initiatives/:initiativeId',
    { schema: { tags, operationId: 'deleteActionPlanInitiative', summary: 'Delete an initiative with its milestones and links (the owner, or another editor when no organisation loses its edit rights by it; else 403); the plan as it is then', params: initiativeParams, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const initiative = await initiativeOf(db, plan.id, request.params.initiativeId);
      await deleteInitiative(db, actor, plan, initiative, app.now());
      return present(actor, plan.id);
    },
  );

  app.post(
    '/action-plans/:id/initiatives/:initiativeId/assessment',
    {
      schema: {
        tags,
        operationId: 'assessActionPlanInitiative',
        summary: "Set (or clear) the initiative's manual assessment with a comment, signed by the caller, at the version read",
        params: initiativeParams,
        body: assessmentBody,
        response: { 200: actionPlanSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const initiative = await initiativeOf(db, plan.id, request.params.initiativeId);
      await assessInitiative(db, actor, plan, initiative, request.body, app.now());
      return present(actor, plan.id);
    },
  );

  app.post(
    '/action-plans/:id/initiatives/:initiativeId/milestones',
    { schema: { tags, operationId: 'addActionPlanMilestone', summary: 'Add a milestone to an initiative (at most 50; 409 beyond); the plan as it is then', params: initiativeParams, body: newMilestoneBody, response: { 201: actionPlanSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const initiative = await initiativeOf(db, plan.id, request.params.initiativeId);
      await addMilestone(db, actor, plan, initiative.id, request.body, app.now());
      return reply.code(201).send(await present(actor, plan.id));
    },
  );

  app.patch(
    '/action-plans/:id/initiatives/:initiativeId/milestones/:milestoneId',
    { schema: { tags, operationId: 'changeActionPlanMilestone', summary: 'Change a milestone (title, due date, done date or not done); the plan as it is then', params: milestoneParams, body: milestoneChangeBody, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      await milestoneOf(db, plan.id, request.params.initiativeId, request.params.milestoneId);
      await changeMilestone(db, actor, plan, request.params.milestoneId, request.body, app.now());
      return present(actor, plan.id);
    },
  );

  app.delete(
    '/action-plans/:id/initiatives/:initiativeId/milestones/:milestoneId',
    { schema: { tags, operationId: 'deleteActionPlanMilestone', summary: 'Delete a milestone; the plan as it is then', params: milestoneParams, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      await milestoneOf(db, plan.id, request.params.initiativeId, request.params.milestoneId);
      await deleteMilestone(db, actor, plan, request.params.milestoneId, app.now());
      return present(actor, plan.id);
    },
  );

  app.post(
    '/action-plans/:id/initiatives/:initiativeId/links',
    {
      schema: {
        tags,
        operationId: 'addActionPlanLink',
        summary: 'Link an engagement, offer or referral the caller can see, or an event its organisation (co-)organises, to an initiative (an Early Warning engagement never; at most 200 links, 409 beyond); the plan as it is then',
        params: initiativeParams,
        body: newLinkBody,
        response: { 201: actionPlanSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      const initiative = await initiativeOf(db, plan.id, request.params.initiativeId);
      await addLink(db, actor, plan, initiative.id, request.body, app.now());
      return reply.code(201).send(await present(actor, plan.id));
    },
  );

  app.delete(
    '/action-plans/:id/initiatives/:initiativeId/links/:linkId',
    { schema: { tags, operationId: 'deleteActionPlanLink', summary: 'Remove a link from an initiative; the plan as it is then', params: linkParams, response: { 200: actionPlanSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await editablePlan(actor, request.params.id);
      await initiativeOf(db, plan.id, request.params.initiativeId);
      await deleteLink(db, actor, plan, request.params.initiativeId, request.params.linkId, app.now());
      return present(actor, plan.id);
    },
  );
};
