import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { versionSchema } from '../../lib/integers.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { isoDate } from '../engagements/schemas.ts';
import { themeKeys } from '../organisations/themes.ts';
import { offerFormats, offerPhases, offers, targetGroups } from './schema.ts';
import { assess, questionnaires, questionnaireView } from './self-assessment.ts';
import { pickLanguage } from '../../http/i18n.ts';

const offerFields = {
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().min(1).max(500),
  description: z.string().trim().max(20_000).default(''),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
  targetGroups: z.array(z.enum(targetGroups)).max(4).default([]),
  phases: z.array(z.enum(offerPhases)).max(5).default([]),
  format: z.enum(offerFormats),
  price: z.enum(['free', 'paid']).default('free'),
  funding: z.string().trim().max(500).nullable().optional(),
  periodStart: isoDate.nullable().optional(),
  periodEnd: isoDate.nullable().optional(),
  municipalityCodes: z.array(z.number().int().min(100).max(999)).max(98).default([]),
  contactName: z.string().trim().max(200).nullable().optional(),
  contactEmail: z.email().max(320).nullable().optional(),
  link: z.url({ protocol: /^https?$/ }).max(2_000).nullable().optional(),
};
const newOfferBody = z.strictObject(offerFields);
const changeOfferBody = z.strictObject({ version: versionSchema, ...Object.fromEntries(Object.entries(offerFields).map(([k, v]) => [k, v.optional()])) });

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

/** Offers: managed by their operator in the back office, published to the public catalogue. */
export const offerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/offers', { schema: { tags: ['offers'], summary: "The caller's organisation's offers, all statuses" } }, async (request) => {
    const actor = actorOf(request);
    authorize(policy.offer.listOwn(actor));
    return { items: await withOperator(db, sql`o.operator_id = ${actor.organisationId}`, 500) };
  });

  app.post('/offers', { schema: { tags: ['offers'], summary: 'Create an offer (as a draft)', body: newOfferBody } }, async (request, reply) => {
    const actor = actorOf(request);
    authorize(policy.offer.create(actor));
    checkPeriod(request.body.periodStart, request.body.periodEnd);
    const [row] = await db.transaction(async (tx) => {
      const inserted = await tx.insert(offers).values({ ...request.body, operatorId: actor.organisationId }).returning({ id: offers.id });
      await audit(tx, actor, { action: 'create', entity: 'offer', entityId: inserted[0]!.id });
      return inserted;
    });
    const [created] = await withOperator(db, sql`o.id = ${row!.id}`);
    return reply.code(201).send(created);
  });

  const ownOffer = async (actor: ReturnType<typeof actorOf>, id: string) => {
    const [offer] = await db.select().from(offers).where(eq(offers.id, id));
    authorizeVisible(!!offer && policy.offer.visible(actor, offer), 'offer.notFound');
    authorize(policy.offer.manage(actor, offer));
    return offer;
  };

  app.patch('/offers/:id', { schema: { tags: ['offers'], summary: 'Change an offer; `version` must be the one read (else 409)', params: z.object({ id: z.uuid() }), body: changeOfferBody } }, async (request) => {
    const actor = actorOf(request);
    const offer = await ownOffer(actor, request.params.id);
    const { version, ...changes } = request.body as { version: number } & Partial<z.infer<typeof newOfferBody>>;
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
    return (await withOperator(db, sql`o.id = ${offer.id}`))[0];
  });

  for (const [action, to, from] of [['publish', 'published', ['draft', 'archived']], ['archive', 'archived', ['draft', 'published']]] as const) {
    app.post(`/offers/:id/${action}`, { schema: { tags: ['offers'], summary: `${action} an offer`, params: z.object({ id: z.uuid() }) } }, async (request) => {
      const actor = actorOf(request);
      const offer = await ownOffer(actor, request.params.id);
      if (!(from as readonly string[]).includes(offer.status)) throw conflict('offer.transition', { from: offer.status, to });
      await db.transaction(async (tx) => {
        await tx.update(offers).set({ status: to, version: sql`${offers.version} + 1`, updatedAt: app.now() }).where(eq(offers.id, offer.id));
        await audit(tx, actor, { action, entity: 'offer', entityId: offer.id });
      });
      return (await withOperator(db, sql`o.id = ${offer.id}`))[0];
    });
  }

  // The public catalogue: no sign-in, published offers only.
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };

  app.get(
    '/public/offers',
    {
      config: publicConfig,
      schema: {
        tags: ['offers'],
        summary: 'Search the public catalogue: free text, theme, target group, phase, municipality',
        querystring: z.object({
          q: z.string().trim().max(200).optional(),
          theme: z.enum(themeKeys).optional(),
          targetGroup: z.enum(targetGroups).optional(),
          phase: z.enum(offerPhases).optional(),
          municipality: z.coerce.number().int().min(100).max(999).optional(),
          page: z.coerce.number().int().min(1).max(1_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(50).default(20),
        }),
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

  app.get('/public/offers/:id', { config: publicConfig, schema: { tags: ['offers'], summary: 'A published offer', params: z.object({ id: z.uuid() }) } }, async (request) => {
    const [offer] = await withOperator(db, sql`o.id = ${request.params.id} AND o.status = 'published'`);
    if (!offer) throw notFound('offer.notFound');
    return publicView(offer);
  });

  // Self-assessments: a level with an explanation, and published offers on the theme to go on with.
  app.get('/public/self-assessments', { config: publicConfig, schema: { tags: ['offers'], summary: 'The self-assessment questionnaires' } }, async (request) => {
    const lang = pickLanguage(request.headers['accept-language']);
    return { items: questionnaires.map((q) => questionnaireView(q, lang)) };
  });

  app.post(
    '/public/self-assessments/:key',
    {
      config: publicConfig,
      schema: {
        tags: ['offers'],
        summary: 'Answer a self-assessment: a level, an explanation and suggested offers',
        params: z.object({ key: z.enum(['digital', 'export', 'green']) }),
        body: z.strictObject({ answers: z.record(z.string(), z.number().int().min(0).max(3)) }),
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