import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { pickLanguage } from '../../http/i18n.ts';
import { fileResponse } from '../../http/openapi.ts';
import { authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import {
  answeredSchema,
  attachedResponsesSchema,
  idempotencyHeaders,
  publicAnswerBody,
  publicSurveySchema,
  reminderResultSchema,
  resultsQuery,
  segmentBody,
  segmentCountSchema,
  sendResultSchema,
  surveyBody,
  surveyChangeBody,
  surveyListSchema,
  surveyResultsSchema,
  surveySchema,
  tokenParams,
} from './schemas.ts';
import {
  answerByToken,
  answerPublicLink,
  attachedResponses,
  changeSurvey,
  countSegment,
  createSurvey,
  findSurvey,
  listSurveys,
  lookupPublicLink,
  lookupToken,
  objectByToken,
  presentSurvey,
  sendReminders,
  sendToSegment,
  setSurveyStatus,
  surveyResults,
  type SurveyRecord,
} from './service.ts';
import { resultsWorkbook } from './export.ts';

const byId = idParams('survey.notFound');
const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Spørgeskemaundersøgelser: the owner's back office, results for the owner and (shared, protected) for others, and the public answer page. */
export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const links = { publicUrl: app.config.publicUrl };

  /** A survey of the caller's own organisation (else 404). */
  const ownSurvey = async (actor: Actor, id: string) => {
    const survey = await findSurvey(db, id);
    authorizeVisible(!!survey && policy.survey.read(actor, survey), 'survey.notFound');
    return survey;
  };
  /** A survey whose results the caller may read: its own, or another organisation's shared one once closed (else 404: an open one is not confirmed to exist). */
  const resultsOf = async (actor: Actor, id: string): Promise<SurveyRecord> => {
    const survey = await findSurvey(db, id);
    authorizeVisible(!!survey && policy.survey.results(actor, survey), 'survey.notFound');
    return survey;
  };
  const present = async (actor: Actor, id: string) => presentSurvey(actor, (await findSurvey(db, id))!);

  app.get('/surveys', { schema: { tags: ['surveys'], operationId: 'listSurveys', summary: "The organisation's surveys, and other organisations' shared, closed ones", response: { 200: surveyListSchema } } }, async (request) => {
    const actor = actorOf(request);
    return { items: (await listSurveys(db, actor)).map((s) => presentSurvey(actor, s)) };
  });

  app.post(
    '/surveys',
    { schema: { tags: ['surveys'], operationId: 'createSurvey', summary: 'Build a survey (a draft) for the organisation', body: surveyBody, response: { 201: surveySchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.survey.create(actor));
      const id = await createSurvey(db, actor, request.body);
      return reply.code(201).send(await present(actor, id));
    },
  );

  app.get('/surveys/:id', { schema: { tags: ['surveys'], operationId: 'getSurvey', summary: 'A survey of the organisation', params: byId, response: { 200: surveySchema } } }, async (request) => {
    const actor = actorOf(request);
    return presentSurvey(actor, await ownSurvey(actor, request.params.id));
  });

  app.patch(
    '/surveys/:id',
    { schema: { tags: ['surveys'], operationId: 'changeSurvey', summary: 'Change a survey (its questions only while a draft)', params: byId, body: surveyChangeBody, response: { 200: surveySchema } } },
    async (request) => {
      const actor = actorOf(request);
      const survey = await ownSurvey(actor, request.params.id);
      authorize(policy.survey.manage(actor, survey));
      await changeSurvey(db, actor, survey, request.body, app.now());
      return present(actor, survey.id);
    },
  );

  for (const status of ['open', 'close'] as const) {
    app.post(
      `/surveys/:id/${status}`,
      {
        schema: {
          tags: ['surveys'],
          operationId: status === 'open' ? 'openSurvey' : 'closeSurvey',
          summary: status === 'open' ? 'Open a draft for answers' : 'Close the survey: no more answers',
          params: byId,
          response: { 200: surveySchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const survey = await ownSurvey(actor, request.params.id);
        authorize(policy.survey.manage(actor, survey));
        await setSurveyStatus(db, actor, survey, status === 'open' ? 'open' : 'closed', app.now());
        return present(actor, survey.id);
      },
    );
  }

  app.post(
    '/surveys/:id/segment-count',
    { schema: { tags: ['surveys'], operationId: 'countSurveySegment', summary: 'How many companies of a segment the survey would be sent to, and why the rest would not', params: byId, body: segmentBody, response: { 200: segmentCountSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const survey = await ownSurvey(actor, request.params.id);
      authorize(policy.survey.manage(actor, survey));
      return countSegment(db, actor, survey, request.body);
    },
  );

  app.post(
    '/surveys/:id/send',
    {
      schema: {
        tags: ['surveys'],
        operationId: 'sendSurvey',
        summary: "Send the survey to a segment's companies by personal single-use links (the organisation's contacts' e-mail addresses)",
        params: byId,
        body: segmentBody,
        response: { 200: sendResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const survey = await ownSurvey(actor, request.params.id);
      authorize(policy.survey.manage(actor, survey));
      const invited = await sendToSegment(db, actor, survey, request.body, links);
      return { invited, survey: await present(actor, survey.id) };
    },
  );

  app.post(
    '/surveys/:id/reminders',
    { schema: { tags: ['surveys'], operationId: 'remindSurvey', summary: 'A reminder round: mail everyone invited who has not answered, once per round', params: byId, response: { 200: reminderResultSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const survey = await ownSurvey(actor, request.params.id);
      authorize(policy.survey.manage(actor, survey));
      const result = await sendReminders(db, actor, survey, links);
      return { ...result, survey: await present(actor, survey.id) };
    },
  );

  app.get(
    '/surveys/:id/results',
    {
      schema: {
        tags: ['surveys'],
        operationId: 'getSurveyResults',
        summary: 'Response rate, distributions and breakdowns by industry and size; protected (fewer than 5 companies withheld) for anyone but the owner',
        params: byId,
        querystring: resultsQuery,
        response: { 200: surveyResultsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const survey = await resultsOf(actor, request.params.id);
      const results = await surveyResults(db, actor, survey, request.query.question, pickLanguage(request.headers['accept-language']));
      await audit(db, actor, { action: 'read', entity: 'survey_results', entityId: survey.id, details: { disclosureControl: results.disclosureControl } });
      return results;
    },
  );

  app.get(
    '/surveys/:id/results.xlsx',
    {
      schema: {
        tags: ['surveys'],
        operationId: 'exportSurveyResults',
        summary: 'The results as an Excel workbook, protected as on the page',
        params: byId,
        querystring: resultsQuery,
        response: { 200: fileResponse('The results as an Excel workbook', [XLSX_CONTENT_TYPE]) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const survey = await resultsOf(actor, request.params.id);
      const lang = pickLanguage(request.headers['accept-language']);
      const results = await surveyResults(db, actor, survey, request.query.question, lang);
      const book: ExcelJS.Workbook = resultsWorkbook(results, lang);
      await audit(db, actor, { action: 'export', entity: 'survey_results', entityId: survey.id, details: { disclosureControl: results.disclosureControl } });
      const buffer = Buffer.from(await book.xlsx.writeBuffer());
      return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', 'attachment; filename="undersoegelse.xlsx"').send(buffer);
    },
  );

  app.get(
    '/surveys/:id/responses',
    { schema: { tags: ['surveys'], operationId: 'listAttachedSurveyResponses', summary: "The answers attached to companies' records (the survey attaches them and the company agreed); audited", params: byId, response: { 200: attachedResponsesSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const survey = await ownSurvey(actor, request.params.id);
      authorizeVisible(policy.survey.answers(actor, survey), 'survey.notFound');
      return { items: await attachedResponses(db, actor, survey) };
    },
  );
};

/** The respondent's side: no sign-in; a personal single-use link, or the survey's public link. */
export const surveyPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };

  app.get(
    '/public/surveys/answer/:token',
    { config: publicConfig, schema: { tags: ['surveys'], operationId: 'getSurveyByLink', summary: 'The survey behind a personal link, or why it cannot be answered', params: tokenParams, response: { 200: publicSurveySchema } } },
    async (request) => lookupToken(db, request.params.token),
  );

  app.post(
    '/public/surveys/answer/:token',
    {
      config: publicConfig,
      schema: { tags: ['surveys'], operationId: 'answerSurveyByLink', summary: 'Answer once through a personal link', params: tokenParams, body: publicAnswerBody, response: { 201: answeredSchema } },
    },
    async (request, reply) => {
      await answerByToken(db, request.params.token, request.body, app.now());
      return reply.code(201).send({ state: 'answered' as const });
    },
  );

  app.post(
    '/public/surveys/answer/:token/unsubscribe',
    { config: publicConfig, schema: { tags: ['surveys'], operationId: 'unsubscribeSurveys', summary: "Say no to the organisation's surveys", params: tokenParams, response: { 200: z.object({ state: z.literal('unsubscribed') }) } } },
    async (request) => {
      await objectByToken(db, request.params.token);
      return { state: 'unsubscribed' as const };
    },
  );

  app.get(
    '/public/surveys/link/:token',
    { config: publicConfig, schema: { tags: ['surveys'], operationId: 'getSurveyByPublicLink', summary: 'The survey behind a public link', params: tokenParams, response: { 200: publicSurveySchema } } },
    async (request) => lookupPublicLink(db, request.params.token),
  );

  app.post(
    '/public/surveys/link/:token',
    {
      config: publicConfig,
      schema: {
        tags: ['surveys'],
        operationId: 'answerSurveyByPublicLink',
        summary: 'Answer through a public link; the Idempotency-Key header answers once per browser',
        params: tokenParams,
        headers: idempotencyHeaders,
        body: publicAnswerBody,
        response: { 201: answeredSchema.describe('The answer was stored'), 200: answeredSchema.describe('Already answered with this key') },
      },
    },
    async (request, reply) => {
      const stored = await answerPublicLink(db, request.params.token, request.headers['idempotency-key'], request.body, app.now());
      return reply.code(stored ? 201 : 200).send({ state: 'answered' as const });
    },
  );
};
