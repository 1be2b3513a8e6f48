import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { offers } from './schema.ts';
import {
  catalogueQuery,
  newOfferBody,
  offerChangeBody,
  offerSchema,
  publicOfferPageSchema,
  publicOfferSchema,
  questionnaireSchema,
  selfAssessmentBody,
  selfAssessmentResultSchema,
} from './schemas.ts';
import { assess, questionnaires, questionnaireView, selfAssessmentKeys } from './self-assessment.ts';
import { pickLanguage } from '../../http/i18n.ts';

const idParams = z.object({ id: z.uuid() });

type OfferRow = typeof offers.$inferSelect;
const view = (o: OfferRow & { operator_name?: string }, operatorName: string) => {
  const { searchVector: _s, operatorId, ...rest } = o;
  return { ...rest, operator: { id: operatorId, name: operatorName }, createdAt: o.createdAt.toISOString(), updatedAt: o.updatedAt.toISOString() };
};

async function withOperator(db: Db, where: SQL, limit = 100, offset = 0, order: SQL = sql`o.title, o.id`) {
  const rows = (await db.execute<Record<string, unknown>>(sql`
    SELECT o.id FROM offers o WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`)).rows;
  const ids = rows.map((r) => String(r.id));
  if (ids.length === 0) return [];
  const full = await db.execute<{ id: string; name: string }>(sql`SELECT o.id, org.name FROM offers o JOIN organisations org ON org.id = o.operator_id WHERE o.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
  const names = new Map(full.rows.map((r) => [r.id, r.name]));
  const records = await db.select().from(offers).where(sql`${offers.id} IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
  const byId = new Map(records.map((r) => [r.id, r]));
  return ids.map((id) => view(byId.get(id)!, names.get(id) ?? ''));
}

function checkPeriod(start?: string | null, end?: string | null) {
  if (start && end && end < start) throw fieldProblem('periodEnd', 'offer.period');
}

/** A back-office offer with what the caller may do with it. */
const present = (actor: Actor, offer: ReturnType<typeof view>) => ({ ...offer, abilities: abilities.offer(actor, offer) });

/** Offers: managed by their operator in the back office, published to the public catalogue. */
export const offerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/offers',
    { schema: { tags: ['offers'], operationId: 'listOffers', summary: "The caller's organisation's offers, all statuses", response: { 200: z.object({ items: z.array(offerSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.offer.listOwn(actor));
      return { items: (await withOperator(db, sql`o.operator_id = ${actor.organisationId}`, 500)).map((o) => present(actor, o)) };
    },
  );

  app.post('/offers', { schema: { tags: ['offers'], operationId: 'createOffer', summary: 'Create an offer (as a draft)', body: newOfferBody, response: { 201: offerSchema } } }, async (request, reply) => {
    const actor = actorOf(request);
    authorize(policy.offer.create(actor));
    checkPeriod(request.body.periodStart, request.body.periodEnd);
    const [row] = await db.transaction(async (tx) => {
      const inserted = await tx.insert(offers).values({ ...request.body, operatorId: actor.organisationId }).returning({ id: offers.id });
      await audit(tx, actor, { action: 'create', entity: 'offer', entityId: inserted[0]!.id });
      return inserted;
    });
    const [created] = await withOperator(db, sql`o.id = ${row!.id}`);
    return reply.code(201).send(present(actor, created!));
  });

  const ownOffer = async (actor: Actor, id: string) => {
    const [offer] = await db.select().from(offers).where(eq(offers.id, id));
    authorizeVisible(!!offer && policy.offer.visible(actor, offer), 'offer.notFound');
    authorize(policy.offer.manage(actor, offer));
    return offer;
  };

  app.patch(
    '/offers/:id',
    { schema: { tags: ['offers'], operationId: 'changeOffer', summary: 'Change an offer; `version` must be the one read (else 409)', params: idParams, body: offerChangeBody, response: { 200: offerSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const offer = await ownOffer(actor, request.params.id);
      const { version, ...changes } = request.body;
      checkPeriod(changes.periodStart ?? offer.periodStart, changes.periodEnd ?? offer.periodEnd);
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(offers)
          .set({ ...changes, version: sql`${offers.version} + 1`, updatedAt: app.now() })
          .where(and(eq(offers.id, offer.id), eq(offers.version, version)))
          .returning({ id: offers.id });
        if (updated.length === 0) throw conflict('offer.stale');
        await audit(tx, actor, { action: 'update', entity: 'offer', entityId: offer.id, details: { fields: Object.keys(changes) } });
      });
      return present(actor, (await withOperator(db, sql`o.id = ${offer.id}`))[0]!);
    },
  );

  for (const [action, to, from] of [['publish', 'published', ['draft', 'archived']], ['archive', 'archived', ['draft', 'published']]] as const) {
    app.post(
      `/offers/:id/${action}`,
      { schema: { tags: ['offers'], operationId: `${action}Offer`, summary: `${action === 'publish' ? 'Publish' : 'Archive'} an offer`, params: idParams, response: { 200: offerSchema } } },
      async (request) => {
        const actor = actorOf(request);
        const offer = await ownOffer(actor, request.params.id);
        if (!(from as readonly string[]).includes(offer.status)) throw conflict('offer.transition', { from: offer.status, to });
        await db.transaction(async (tx) => {
          await tx.update(offers).set({ status: to, version: sql`${offers.version} + 1`, updatedAt: app.now() }).where(eq(offers.id, offer.id));
          await audit(tx, actor, { action, entity: 'offer', entityId: offer.id });
        });
        return present(actor, (await withOperator(db, sql`o.id = ${offer.id}`))[0]!);
      },
    );
  }

  // The public catalogue: no sign-in, published offers only.
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };

  app.get(
    '/public/offers',
    {
      config: publicConfig,
      schema: {
        tags: ['offers'],
        operationId: 'searchCatalogue',
        summary: 'Search the public catalogue: free text, theme, target group, phase, municipality',
        querystring: catalogueQuery,
        response: { 200: publicOfferPageSchema },
      },
    },
    async (request) => {
      const { q, theme, targetGroup, phase, municipality, page, pageSize } = request.query;
      const filters = [sql`o.status = 'published'`, sql`(o.period_end IS NULL OR o.period_end >= ${app.now().toISOString().slice(0, 10)}::date)`];
      let order = sql`o.title, o.id`;
      if (q) {
        // websearch syntax, Danish stemming: "eksport tyskland" finds "eksportere til Tyskland".
        filters.push(sql`o.search_vector @@ websearch_to_tsquery('danish', ${q})`);
        order = sql`ts_rank(o.search_vector, websearch_to_tsquery('danish', ${q})) DESC, o.title, o.id`;
      }
      if (theme) filters.push(sql`${theme} = ANY(o.themes)`);
      if (targetGroup) filters.push(sql`${targetGroup} = ANY(o.target_groups)`);
      if (phase) filters.push(sql`${phase} = ANY(o.phases)`);
      if (municipality) filters.push(sql`(cardinality(o.municipality_codes) = 0 OR ${municipality}::int = ANY(o.municipality_codes))`);
      const where = sql.join(filters, sql` AND `);
      const items = await withOperator(db, where, pageSize + 1, (page - 1) * pageSize, order);
      const [{ total }] = (await db.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM offers o WHERE ${where}`)).rows as [{ total: number }];
      return { items: items.slice(0, pageSize).map(publicView), page, pageSize, total: Number(total), hasMore: items.length > pageSize };
    },
  );

  app.get('/public/offers/:id', { config: publicConfig, schema: { tags: ['offers'], operationId: 'getPublicOffer', summary: 'A published offer', params: idParams, response: { 200: publicOfferSchema } } }, async (request) => {
    const [offer] = await withOperator(db, sql`o.id = ${request.params.id} AND o.status = 'published'`);
    if (!offer) throw notFound('offer.notFound');
    return publicView(offer);
  });

  // Self-assessments: a level with an explanation, and published offers on the theme to go on with.
  app.get(
    '/public/self-assessments',
    { config: publicConfig, schema: { tags: ['offers'], operationId: 'listSelfAssessments', summary: 'The self-assessment questionnaires', response: { 200: z.object({ items: z.array(questionnaireSchema) }) } } },
    async (request) => {
      const lang = pickLanguage(request.headers['accept-language']);
      return { items: questionnaires.map((q) => questionnaireView(q, lang)) };
    },
  );

  app.post(
    '/public/self-assessments/:key',
    {
      config: publicConfig,
      schema: {
        tags: ['offers'],
        operationId: 'answerSelfAssessment',
        summary: 'Answer a self-assessment: a level, an explanation and suggested offers',
        params: z.object({ key: z.enum(selfAssessmentKeys) }),
        body: selfAssessmentBody,
        response: { 200: selfAssessmentResultSchema },
      },
    },
    async (request) => {
      const lang = pickLanguage(request.headers['accept-language']);
      const questionnaire = questionnaires.find((q) => q.key === request.params.key)!;
      const missing = questionnaire.questions.find((question) => request.body.answers[question.id] === undefined);
      if (missing) throw fieldProblem(`answers.${missing.id}`, 'required');
      const result = assess(questionnaire, request.body.answers, lang);
      const suggestions = await withOperator(db, sql`o.status = 'published' AND ${result.theme} = ANY(o.themes)`, 5, 0);
      return { ...result, suggestedOffers: suggestions.map((o) => ({ id: o.id, title: o.title, summary: o.summary, operator: o.operator })) };
    },
  );
};

/** What the public sees of an offer: no internal version or status bookkeeping. */
function publicView(o: ReturnType<typeof view>) {
  const { version: _v, status: _s, ...rest } = o;
  return rest;
}