import { eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { fieldProblem } from '../../http/problem.ts';
import { authorize, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { assertContactOf } from '../contacts/service.ts';
import { engagementForChange } from '../engagements/routes.ts';
import { activitySchema, newActivityBody } from '../engagements/schemas.ts';
import { activities } from './schema.ts';
import { findActivities } from './service.ts';

type NewActivity = z.infer<typeof newActivityBody>;

async function insertActivity(
  db: Db,
  actor: Actor,
  now: Date,
  body: NewActivity,
  subject: { engagementId: string | null; companyCvr: string | null; prospectId: string | null; confidential: boolean },
) {
  if (body.contactId) await assertContactOf(db, actor, now, body.contactId, subject, 'contactId');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(activities)
      .values({ ...body, ...subject, organisationId: actor.organisationId, userId: actor.userId })
      .returning({ id: activities.id });
    await audit(tx, actor, { action: 'create', entity: 'activity', entityId: row!.id, companyCvr: subject.companyCvr });
    return row!.id;
  });
  const [created] = await findActivities(db, actor, now, sql`a.id = ${id}`);
  return created!;
}

export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post(
    '/engagements/:id/activities',
    { schema: { tags: ['activities'], summary: 'Record an activity on an engagement', params: z.object({ id: z.uuid() }), body: newActivityBody, response: { 201: activitySchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementForChange(db, actor, now, request.params.id);
      const activity = await insertActivity(db, actor, now, request.body, {
        engagementId: engagement.id,
        companyCvr: engagement.company?.cvr ?? null,
        prospectId: engagement.prospect?.id ?? null,
        confidential: engagement.confidential,
      });
      return reply.code(201).send(activity);
    },
  );

  app.post(
    '/companies/:cvr/activities',
    { schema: { tags: ['activities'], summary: 'Record an activity directly on a company', params: z.object({ cvr: cvrSchema }), body: newActivityBody, response: { 201: activitySchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, request.params.cvr));
      if (!company) throw fieldProblem('cvr', 'company.notFound', { cvr: request.params.cvr });
      const activity = await insertActivity(db, actor, app.now(), request.body, { engagementId: null, companyCvr: company.cvr, prospectId: null, confidential: false });
      return reply.code(201).send(activity);
    },
  );
};
