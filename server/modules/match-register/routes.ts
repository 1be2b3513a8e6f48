import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse } from '../../http/openapi.ts';
import { idParams, recordId } from '../../lib/ids.ts';
import { authorize, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { documentTypes } from '../contracts/render.ts';
import { renderMatchReport } from './report.ts';
import {
  matchProjectChangeBody,
  matchProjectSchema,
  matchProjectSummarySchema,
  partnerCandidateSchema,
  newMatchBody,
  newMatchProjectBody,
  progressSchema,
  registeredMatchSchema,
  reportQuery,
  workplacesImportBody,
} from './schemas.ts';
import {
  changeProject,
  createProject,
  deleteMatch,
  importWorkplaces,
  listMatches,
  listProjects,
  normaliseNewProject,
  partnerCandidates,
  presentProject,
  progressOf,
  readableProject,
  registerMatch,
} from './service.ts';

const tags = ['match-register'];
const projectParams = idParams('matchProject.notFound');
const matchParams = projectParams.extend({ matchId: recordId('registeredMatch.notFound') });

/** The match register of a cross-sector project (Vækst Via Viden 2.0): targets split between partners, matches, progress. */
export const matchRegisterRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/match-projects',
    { schema: { tags, operationId: 'listMatchProjects', summary: "The match projects the caller's organisation owns or takes part in", response: { 200: z.object({ items: z.array(matchProjectSummarySchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.matchProject.list(actor));
      return { items: await listProjects(db, actor) };
    },
  );

  app.post(
    '/match-projects',
    {
      schema: {
        tags,
        operationId: 'createMatchProject',
        summary: "Create a project owned by the caller's organisation: period, match types, partners, the total and the municipalities' part",
        body: newMatchProjectBody,
        response: { 201: matchProjectSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.matchProject.create(actor));
      const id = await createProject(db, actor, actor.organisationId, normaliseNewProject(request.body));
      return reply.code(201).send(await presentProject(db, actor, (await readableProject(db, actor, id))));
    },
  );

  app.get(
    '/match-projects/partner-candidates',
    {
      schema: {
        tags,
        operationId: 'listMatchPartnerCandidates',
        summary: 'The organisations that may be partners of a new project (those that work with companies), for whoever may create one',
        response: { 200: z.object({ items: z.array(partnerCandidateSchema) }) },
      },
    },
    async (request) => {
      authorize(policy.matchProject.create(actorOf(request)));
      return { items: await partnerCandidates(db) };
    },
  );

  app.get(
    '/match-projects/:id',
    { schema: { tags, operationId: 'getMatchProject', summary: 'A project with its partners and target split; missing (404) for whoever is not its owner or partner', params: projectParams, response: { 200: matchProjectSchema } } },
    async (request) => {
      const actor = actorOf(request);
      return presentProject(db, actor, await readableProject(db, actor, request.params.id));
    },
  );

  app.patch(
    '/match-projects/:id',
    {
      schema: {
        tags,
        operationId: 'changeMatchProject',
        summary: 'Targets by hand (per municipality and per other partner), workplaces, exclusions and the credit rule, at the version read (409 when changed meanwhile)',
        params: projectParams,
        body: matchProjectChangeBody,
        response: { 200: matchProjectSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      authorize(policy.matchProject.manage(actor, project));
      await changeProject(db, actor, project, request.body);
      return presentProject(db, actor, project);
    },
  );

  app.post(
    '/match-projects/:id/workplaces',
    {
      schema: {
        tags,
        operationId: 'importMatchProjectWorkplaces',
        summary: "Workplaces per municipality from a Danmarks Statistik StatBank CSV export (e.g. ERHV2; semicolon-separated, Windows-1252 or UTF-8), base64-encoded; every municipality of the project must be in it except those left out by the project's rule",
        params: projectParams,
        body: workplacesImportBody,
        response: { 200: matchProjectSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      authorize(policy.matchProject.manage(actor, project));
      await importWorkplaces(db, actor, project, Buffer.from(request.body.contentBase64, 'base64'));
      return presentProject(db, actor, project);
    },
  );

  app.get(
    '/match-projects/:id/progress',
    { schema: { tags, operationId: 'getMatchProjectProgress', summary: 'Matches against the targets: in total, per municipality and per partner, by type and by quarter', params: projectParams, response: { 200: progressSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      return progressOf(db, project, app.now());
    },
  );

  app.get(
    '/match-projects/:id/report',
    {
      schema: {
        tags,
        operationId: 'exportMatchProjectReport',
        summary: "The steering group's status report as Excel, Word or PDF, in the contract reports' layout",
        params: projectParams,
        querystring: reportQuery,
        response: { 200: fileResponse('The status report', Object.values(documentTypes)) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      const { format } = request.query;
      const [presentation, progress] = await Promise.all([presentProject(db, actor, project), progressOf(db, project, app.now())]);
      await audit(db, actor, { action: 'export', entity: 'match_project', entityId: project.id, details: { format } });
      return reply
        .type(documentTypes[format])
        .header('content-disposition', `attachment; filename="matchregister-status-${progress.asOf}.${format}"`)
        .send(await renderMatchReport(presentation, progress, format));
    },
  );

  app.get(
    '/match-projects/:id/matches',
    {
      schema: {
        tags,
        operationId: 'listRegisteredMatches',
        summary: "The matches the caller's organisation registered or helped make (others' matches count only in the progress), newest first, at most 1,000",
        params: projectParams,
        response: { 200: z.object({ items: z.array(registeredMatchSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      const items = await listMatches(db, actor, project);
      if (items.length > 0) await audit(db, actor, { action: 'read', entity: 'registered_match', entityId: project.id, details: { count: items.length } });
      return { items };
    },
  );

  app.post(
    '/match-projects/:id/matches',
    {
      schema: {
        tags,
        operationId: 'registerMatch',
        summary: 'Register a match: company (CVR), type, date, the candidate’s education level and institution — no CPR number, no name — and the other partners that helped; 409 when a match like it exists, until confirmed',
        params: projectParams,
        body: newMatchBody,
        response: { 201: registeredMatchSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      authorize(policy.matchProject.register(actor, project));
      const id = await registerMatch(db, actor, project, request.body);
      const match = (await listMatches(db, actor, project)).find((m) => m.id === id)!;
      return reply.code(201).send(match);
    },
  );

  app.delete(
    '/match-projects/:id/matches/:matchId',
    { schema: { tags, operationId: 'deleteRegisteredMatch', summary: 'Delete a match registered in error (the partner that registered it)', params: matchParams, response: { 204: z.null().describe('Deleted') } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const project = await readableProject(db, actor, request.params.id);
      await deleteMatch(db, actor, project, request.params.matchId);
      return reply.code(204).send(null);
    },
  );
};
