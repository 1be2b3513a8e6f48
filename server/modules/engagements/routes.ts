import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem } from '../../http/problem.ts';
import { danishDate } from '../../lib/working-days.ts';
import { authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { findActivities } from '../activities/service.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { findReferrals } from '../referrals/service.ts';
import { referralSchema } from '../referrals/schemas.ts';
import { users } from '../users/schema.ts';
import { inviteToEvaluation, settingsFor } from '../evaluations/invitations.ts';
import { deliveryCategories, engagements } from './schema.ts';
import { activitySchema, closeBody, engagementChangeBody, engagementSchema, newEngagementBody } from './schemas.ts';
import { findEngagement, findEngagements } from './service.ts';

const idParams = z.object({ id: z.uuid() });

/** The responsible adviser is an active user of the organisation, with the EW permission for a confidential engagement. */
async function assertResponsible(db: Db, organisationId: string, userId: string, confidential: boolean) {
  const [user] = await db.select({ id: users.id, earlyWarning: users.earlyWarning }).from(users).where(and(eq(users.id, userId), eq(users.organisationId, organisationId), eq(users.active, true)));
  if (!user) throw fieldProblem('responsibleUserId', 'engagement.responsibleUnknown');
  if (confidential && !user.earlyWarning) throw fieldProblem('responsibleUserId', 'engagement.responsibleNotEw');
}

async function categoryOf(db: Db, organisationId: string, categoryId: string) {
  const [category] = await db.select().from(deliveryCategories).where(and(eq(deliveryCategories.id, categoryId), eq(deliveryCategories.organisationId, organisationId)));
  if (!category) throw fieldProblem('deliveryCategoryId', 'engagement.categoryUnknown');
  return category;
}

/** An engagement the actor may change: invisible ones are 404, visible but not theirs 403. */
export async function engagementForChange(db: Db, actor: Actor, now: Date, id: string) {
  const engagement = await findEngagement(db, actor, now, id);
  authorizeVisible(!!engagement, 'engagement.notFound');
  authorize(policy.crm.change(actor, { organisationId: engagement.organisation.id, confidential: engagement.confidential }));
  return engagement;
}

export const engagementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/engagements',
    {
      schema: {
        tags: ['engagements'],
        summary: "The caller's organisation's engagements (Early Warning ones only for the EW team)",
        querystring: z.object({
          status: z.enum(['open', 'closed']).optional(),
          responsible: z.literal('me').optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(engagementSchema), page: z.number(), pageSize: z.number(), hasMore: z.boolean() }) },
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
      return { items: rows.slice(0, pageSize), page, pageSize, hasMore: rows.length > pageSize };
    },
  );

  app.get(
    '/companies/:cvr/engagements',
    { schema: { tags: ['engagements'], summary: "A company's engagements the caller may see, from every organisation", params: z.object({ cvr: cvrSchema }), response: { 200: z.object({ items: z.array(engagementSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findEngagements(db, actor, app.now(), sql`e.company_cvr = ${request.params.cvr}`);
      await audit(db, actor, { action: 'read', entity: 'engagement', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((e) => e.organisation.id) });
      return { items };
    },
  );

  app.post(
    '/engagements',
    { schema: { tags: ['engagements'], summary: 'Open an engagement (vejledningsforløb)', body: newEngagementBody, response: { 201: engagementSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const body = request.body;
      if (!body.companyCvr === !body.prospectId) throw fieldProblem('companyCvr', 'engagement.subjectRequired');
      if (body.companyCvr) {
        const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, body.companyCvr));
        if (!company) throw fieldProblem('companyCvr', 'company.notFound', { cvr: body.companyCvr });
      } else {
        const [prospect] = await db.execute<{ organisation_id: string }>(sql`SELECT organisation_id FROM prospects WHERE id = ${body.prospectId}`).then((r) => r.rows);
        if (!prospect || prospect.organisation_id !== actor.organisationId) throw fieldProblem('prospectId', 'prospect.notFound');
      }
      const responsibleUserId = body.responsibleUserId ?? actor.userId;
      const category = body.deliveryCategoryId ? await categoryOf(db, actor.organisationId, body.deliveryCategoryId) : null;
      const confidential = body.confidential || !!category?.confidential;
      if (confidential && !policy.crm.createConfidential(actor)) throw new HttpProblem(403, 'engagement.confidentialForbidden');
      await assertResponsible(db, actor.organisationId, responsibleUserId, confidential);
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(engagements)
          .values({
            companyCvr: body.companyCvr ?? null,
            prospectId: body.prospectId ?? null,
            organisationId: actor.organisationId,
            responsibleUserId,
            level: body.level,
            deliveryCategoryId: category?.id ?? null,
            themes: body.themes,
            description: body.description,
            openedOn: body.openedOn ?? danishDate(app.now()),
            confidential,
          })
          .returning({ id: engagements.id });
        await audit(tx, actor, { action: 'create', entity: 'engagement', entityId: row!.id, companyCvr: body.companyCvr ?? null, details: { confidential } });
        return row!.id;
      });
      return reply.code(201).send((await findEngagement(db, actor, app.now(), id))!);
    },
  );

  app.get(
    '/engagements/:id',
    {
      schema: {
        tags: ['engagements'],
        summary: 'An engagement with its activities and referrals',
        params: idParams,
        response: { 200: engagementSchema.extend({ activities: z.array(activitySchema), referrals: z.array(referralSchema) }) },
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
      return { ...engagement, activities: activityList, referrals: referralList };
    },
  );

  app.patch(
    '/engagements/:id',
    { schema: { tags: ['engagements'], summary: 'Change an engagement; `version` must be the one read (else 409)', params: idParams, body: engagementChangeBody, response: { 200: engagementSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      const { version, deliveryCategoryId, ...changes } = request.body;
      if (changes.responsibleUserId) await assertResponsible(db, actor.organisationId, changes.responsibleUserId, engagement.confidential);
      const category = deliveryCategoryId ? await categoryOf(db, actor.organisationId, deliveryCategoryId) : null;
      if (category?.confidential && !engagement.confidential) throw new HttpProblem(403, 'engagement.confidentialForbidden');
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(engagements)
          .set({ ...changes, ...(deliveryCategoryId !== undefined ? { deliveryCategoryId } : {}), version: sql`${engagements.version} + 1`, updatedAt: now })
          .where(and(eq(engagements.id, engagement.id), eq(engagements.version, version)))
          .returning({ id: engagements.id });
        if (updated.length === 0) throw conflict('engagement.stale');
        await audit(tx, actor, { action: 'update', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null, details: { fields: Object.keys(request.body) } });
      });
      return (await findEngagement(db, actor, now, engagement.id))!;
    },
  );

  app.post(
    '/engagements/:id/close',
    { schema: { tags: ['engagements'], summary: 'Close an open engagement with its outcome', params: idParams, body: closeBody, response: { 200: engagementSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      if (engagement.status === 'closed') throw conflict('engagement.alreadyClosed');
      const closedOn = request.body.closedOn ?? danishDate(now);
      if (closedOn < engagement.openedOn) throw fieldProblem('closedOn', 'engagement.closedBeforeOpened');
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(engagements)
          .set({ status: 'closed', closedOn, outcome: request.body.outcome, version: sql`${engagements.version} + 1`, updatedAt: now })
          .where(and(eq(engagements.id, engagement.id), eq(engagements.version, request.body.version), eq(engagements.status, 'open')))
          .returning({ id: engagements.id });
        if (updated.length === 0) throw conflict('engagement.stale');
        await audit(tx, actor, { action: 'close', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null });
        // Specialised guidance is evaluated: the invitation is queued with the closing, or not at all.
        if ((await settingsFor(tx, engagement.organisation.id)).trigger === 'close') await inviteToEvaluation(tx, engagement.id, now, app.config);
      });
      return (await findEngagement(db, actor, now, engagement.id))!;
    },
  );

  app.get(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['engagements'],
        summary: "A hub's delivery categories (leverancekategorier)",
        params: idParams,
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), confidential: z.boolean() })) }) },
      },
    },
    async (request) => {
      actorOf(request);
      const items = await db
        .select({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential })
        .from(deliveryCategories)
        .where(and(eq(deliveryCategories.organisationId, request.params.id), eq(deliveryCategories.active, true)))
        .orderBy(deliveryCategories.name);
      return { items };
    },
  );

  app.post(
    '/organisations/:id/delivery-categories',
    {
      schema: {
        tags: ['engagements'],
        summary: "Add a delivery category to a hub (the hub's admins)",
        params: idParams,
        body: z.strictObject({ key: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'invalidFormat' }), name: z.string().trim().min(1).max(100), confidential: z.boolean().default(false) }),
        response: { 201: z.object({ id: z.string(), key: z.string(), name: z.string(), confidential: z.boolean() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.organisation.configure(actor, request.params.id));
      const [row] = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(deliveryCategories)
          .values({ ...request.body, organisationId: request.params.id })
          .onConflictDoNothing()
          .returning({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential });
        if (inserted.length === 0) throw conflict('problem.409');
        await audit(tx, actor, { action: 'create', entity: 'delivery_category', entityId: inserted[0]!.id, details: request.body });
        return inserted;
      });
      return reply.code(201).send(row!);
    },
  );
};
