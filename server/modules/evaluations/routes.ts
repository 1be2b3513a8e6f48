import { fileResponse } from '../../http/openapi.ts';
import { notFound } from '../../http/problem.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { abilities, authorize, policy, type Actor } from '../../policies/index.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../../lib/csv.ts';
import { danishDate } from '../../lib/working-days.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { organisationExists } from '../users/service.ts';
import {
  evaluationChoicesSchema,
  evaluationCommentSchema,
  evaluationCommentsQuery,
  evaluationExportParams,
  evaluationGroupings,
  evaluationQuery,
  evaluationResultsSchema,
  evaluationSettingsBody,
  evaluationSettingsSchema,
  unmatchedAnswerSchema,
  type EvaluationFilters,
} from './schemas.ts';
import {
  ANSWER_SUPPRESSION_LIMIT,
  evaluatedHubs,
  evaluationComments,
  findEvaluationSettings,
  resultsAnswer,
  saveEvaluationSettings,
  unmatchedAnswers,
  type EvaluationSettingsValues,
} from './service.ts';

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const organisationParams = idParams('organisation.notFound');

function authorizeFilters(actor: Actor, filters: EvaluationFilters) {
  if (filters.adviser || filters.groupBy === 'adviser') authorize(policy.evaluation.byAdviser(actor, filters.hub));
}

/** How the caller may see results of this query: the very rules the results route applies. */
const accessOf = (actor: Actor, query: EvaluationFilters) => ({
  disclosureControl: policy.evaluation.disclosureControl(actor, query),
  confidentialAnswers: policy.evaluation.confidentialAnswers(actor),
});

/** The groupings the results route accepts from the caller for a hub (or for all hubs). */
const groupingsFor = (actor: Actor, hubId: string | undefined) => evaluationGroupings.filter((g) => g !== 'adviser' || policy.evaluation.byAdviser(actor, hubId));

const presentSettings = (actor: Actor, hubId: string, settings: EvaluationSettingsValues) => ({ ...settings, abilities: abilities.evaluationSettings(actor, hubId) });

const fmt = (v: number | null, digits = 1) => (v === null ? '' : v.toFixed(digits).replace('.', ','));

export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  /** The hub the path names: 404 naming the id when there is none (not another hub's defaults). */
  const knownOrganisation = async (id: string) => {
    if (!(await organisationExists(db, id))) throw notFound('organisation.notFound');
  };

  app.get(
    '/evaluations/choices',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'getEvaluationChoices',
        summary: "What the results dashboard offers the caller: the hubs, with what the caller may do with each one's results, and where it opens",
        response: { 200: evaluationChoicesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.results(actor));
      const hubs = (await evaluatedHubs(db)).map((h) => ({ ...h, groupings: groupingsFor(actor, h.id), abilities: abilities.evaluationHub(actor, h.id) }));
      // It opens where the caller sees exact figures: their own hub's results.
      const ownHub = hubs.find((h) => !policy.evaluation.disclosureControl(actor, { hub: h.id }))?.id ?? null;
      return { hubs, ownHub, groupings: groupingsFor(actor, undefined), abilities: abilities.evaluations(actor) };
    },
  );

  app.get(
    '/evaluations/results',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'getEvaluationResults',
        summary: 'NPS and effect share with answers, response rate and 95 % margins, overall and per group; under disclosure control unless a hub asks for its own results',
        querystring: evaluationQuery,
        response: { 200: evaluationResultsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.results(actor));
      authorizeFilters(actor, request.query);
      const { overall, groups, filters, disclosureControl } = await resultsAnswer(db, request.query, accessOf(actor, request.query), danishDate(app.now()));
      return {
        overall,
        groups,
        suppressionLimit: ANSWER_SUPPRESSION_LIMIT,
        disclosureControl,
        period: { from: filters.from ?? null, to: filters.to ?? null },
        groupBy: filters.groupBy ?? null,
      };
    },
  );

  app.get(
    '/evaluations/results.:format',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'exportEvaluationResults',
        summary: 'The results per group as CSV or Excel',
        params: evaluationExportParams,
        querystring: evaluationQuery,
        response: { 200: fileResponse('The results per group, the overall last (CSV with semicolons and decimal commas, or an Excel workbook)', ['text/csv', XLSX_CONTENT_TYPE]) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.results(actor));
      // Grouped by hub unless asked otherwise; under disclosure control a query filtered on another
      // dimension is then grouped by month (`controlledQuery`), as the results are.
      const query = { ...request.query, groupBy: request.query.groupBy ?? 'hub' };
      authorizeFilters(actor, query);
      const { overall, groups, filters } = await resultsAnswer(db, query, accessOf(actor, query), danishDate(app.now()));
      const header = ['Gruppe', 'Svar', 'Inviterede', 'Svarprocent', 'NPS', 'NPS ± (95 %)', 'Effektandel %', 'Effekt ± (95 %)', 'Mål 1 opfyldelse %', 'Mål 2 opfyldelse %', 'Undertrykt'];
      const rows = [...groups, overall].map((g) => [g.label, g.answers, g.invitations, g.responseRate, g.nps, g.npsMarginOfError, g.effectShare, g.effectMarginOfError, g.npsFulfilment, g.effectFulfilment, g.suppressed ? 'ja' : 'nej'] as const);
      await audit(db, actor, { action: 'export', entity: 'evaluation_results', details: { format: request.params.format, filters } });
      if (request.params.format === 'csv') {
        // Group labels are names people typed (advisers, categories): the one CSV writer defuses formulas.
        const csv = Buffer.from(toCsv(header, rows, { formatNumber: (v) => fmt(v) }), 'utf8');
        return reply.type(CSV_CONTENT_TYPE).header('content-disposition', 'attachment; filename="brugerevaluering.csv"').send(csv);
      }
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Brugerevaluering');
      sheet.addRow(header).font = { bold: true };
      for (const r of rows) sheet.addRow(r.map((v) => (v === null ? '' : v)));
      sheet.columns.forEach((c, i) => {
        c.width = i === 0 ? 36 : 14;
        if (i >= 3 && i <= 9) c.numFmt = '0.0';
      });
      const buffer = Buffer.from(await book.xlsx.writeBuffer());
      return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', 'attachment; filename="brugerevaluering.xlsx"').send(buffer);
    },
  );

  app.get(
    '/evaluations/comments',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'listEvaluationComments',
        summary: 'Free-text comments: only for the hub that gave the guidance',
        querystring: evaluationCommentsQuery,
        response: { 200: z.object({ items: z.array(evaluationCommentSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.comments(actor, request.query.hub));
      const items = await evaluationComments(db, request.query, { confidentialAnswers: policy.evaluation.confidentialAnswers(actor) });
      await audit(db, actor, { action: 'read', entity: 'evaluation_comment', details: { count: items.length } });
      return { items };
    },
  );

  app.get(
    '/evaluations/unmatched',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'listUnmatchedEvaluationAnswers',
        summary: "Imported answers that matched no specialised engagement, attributed to the hub of the company's municipality",
        querystring: z.object({ hub: z.uuid() }),
        response: { 200: z.object({ items: z.array(unmatchedAnswerSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.comments(actor, request.query.hub));
      return { items: await unmatchedAnswers(db, request.query.hub) };
    },
  );

  app.get(
    '/organisations/:id/evaluation-settings',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'getEvaluationSettings',
        summary: "A hub's evaluation settings, with whether the caller may change them",
        params: organisationParams,
        response: { 200: evaluationSettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await knownOrganisation(request.params.id);
      return presentSettings(actor, request.params.id, await findEvaluationSettings(db, request.params.id));
    },
  );

  app.put(
    '/organisations/:id/evaluation-settings',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'updateEvaluationSettings',
        summary: "Change a hub's evaluation settings (its admins and managers)",
        params: organisationParams,
        body: evaluationSettingsBody,
        response: { 200: evaluationSettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await knownOrganisation(request.params.id);
      authorize(policy.evaluation.configure(actor, request.params.id));
      await db.transaction(async (tx) => {
        await saveEvaluationSettings(tx, request.params.id, request.body);
        await audit(tx, actor, { action: 'update', entity: 'evaluation_settings', entityId: request.params.id, details: request.body });
      });
      return presentSettings(actor, request.params.id, request.body);
    },
  );
};
