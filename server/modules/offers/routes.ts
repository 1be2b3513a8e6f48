import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { endsBeforeStart } from '../../lib/dates.ts';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
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
import { assess, checkSelfAssessment, questionnaires, questionnaireView, selfAssessmentKeys } from './self-assessment.ts';
import { changeOffer, createOffer, findOffer, listOffersOf, moveOffer, offerWithOperator, publishedOffer, searchCatalogue, suggestedOffers, type OfferView } from './service.ts';
import { pickLanguage } from '../../http/i18n.ts';

const byId = idParams('offer.notFound');

function checkPeriod(start?: string | null, end?: string | null) {
  if (endsBeforeStart(start, end)) throw fieldProblem('periodEnd', 'offer.period');
}

/** A back-office offer with what the caller may do with it. */
const present = (actor: Actor, offer: OfferView) => ({ ...offer, abilities: abilities.offer(actor, offer) });

/** Offers: managed by their operator in the back office, published to the public catalogue. */
export const offerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/offers',
    { schema: { tags: ['offers'], operationId: 'listOffers', summary: "The caller's organisation's offers, all statuses", response: { 200: z.object({ items: z.array(offerSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.offer.listOwn(actor));
      return { items: (await listOffersOf(db, actor.organisationId)).map((o) => present(actor, o)) };
    },
  );

  app.post('/offers', { schema: { tags: ['offers'], operationId: 'createOffer', summary: 'Create an offer (as a draft)', body: newOfferBody, response: { 201: offerSchema } } }, async (request, reply) => {
    const actor = actorOf(request);
    authorize(policy.offer.create(actor));
    checkPeriod(request.body.periodStart, request.body.periodEnd);
    const id = await createOffer(db, actor, request.body);
    const created = await offerWithOperator(db, id);
    return reply.code(201).send(present(actor, created!));
  });

  const ownOffer = async (actor: Actor, id: string) => {
    const offer = await findOffer(db, id);
    authorizeVisible(!!offer && policy.offer.visible(actor, offer), 'offer.notFound');
    authorize(policy.offer.manage(actor, offer));
    return offer;
  };

  app.patch(
    '/offers/:id',
    { schema: { tags: ['offers'], operationId: 'changeOffer', summary: 'Change an offer; `version` must be the one read (else 409)', params: byId, body: offerChangeBody, response: { 200: offerSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const offer = await ownOffer(actor, request.params.id);
      const { version, ...changes } = request.body;
      checkPeriod(changes.periodStart ?? offer.periodStart, changes.periodEnd ?? offer.periodEnd);
      await changeOffer(db, actor, offer.id, version, changes, app.now());
      return present(actor, (await offerWithOperator(db, offer.id))!);
    },
  );

  for (const [action, to, from] of [['publish', 'published', ['draft', 'archived']], ['archive', 'archived', ['draft', 'published']]] as const) {
    app.post(
      `/offers/:id/${action}`,
      { schema: { tags: ['offers'], operationId: `${action}Offer`, summary: `${action === 'publish' ? 'Publish' : 'Archive'} an offer`, params: byId, response: { 200: offerSchema } } },
      async (request) => {
        const actor = actorOf(request);
        const offer = await ownOffer(actor, request.params.id);
        if (!(from as readonly string[]).includes(offer.status)) throw conflict('offer.transition', { from: offer.status, to });
        await moveOffer(db, actor, offer.id, action, to, app.now());
        return present(actor, (await offerWithOperator(db, offer.id))!);
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
      const { page, pageSize } = request.query;
      const { items, total, hasMore } = await searchCatalogue(db, request.query, app.now().toISOString().slice(0, 10));
      return { items: items.map(publicView), page, pageSize, total, hasMore };
    },
  );

  app.get('/public/offers/:id', { config: publicConfig, schema: { tags: ['offers'], operationId: 'getPublicOffer', summary: 'A published offer', params: byId, response: { 200: publicOfferSchema } } }, async (request) => {
    const offer = await publishedOffer(db, request.params.id);
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
      const result = assess(questionnaire, checkSelfAssessment(questionnaire, request.body.answers), lang);
      const suggestions = await suggestedOffers(db, result.theme);
      return { ...result, suggestedOffers: suggestions.map((o) => ({ id: o.id, title: o.title, summary: o.summary, operator: o.operator })) };
    },
  );
};

/** What the public sees of an offer: no internal version or status bookkeeping. */
function publicView(o: OfferView) {
  const { version: _v, status: _s, ...rest } = o;
  return rest;
}