import { fileResponse } from '../../http/openapi.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, recordId } from '../../lib/ids.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import { danishDate } from '../../lib/working-days.ts';
import { contentMatchesType } from '../../lib/file-signature.ts';
import { isoTime } from '../../lib/rows.ts';
import { int4Param, municipalityCodeParam } from '../../lib/integers.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { isMonthEnd, lastEndedMonthEnd } from '../../policies/disclosure.ts';
import { discloseGoals, evaluationTable, figuresMayHaveBeenSeen, overTimeFor, previousPublished, publishedOverTime, withEvaluationTable, type GoalOverTime } from './disclosure.ts';
import { indicatorSchema } from './indicator-types.ts';
import { countsAlike } from './indicators.ts';
import { documentTypes, renderReport } from './render.ts';
import { reportDocument, takeSnapshot, type Snapshot } from './reports.ts';
import {
  addGoalEvidence,
  changeContract,
  changeStatusReport,
  contractParties,
  createStatusReport,
  exportContract,
  findContract,
  findContractRecord,
  findGoal,
  findGoalEvidence,
  findStatusReport,
  importContract,
  intentDeclarationsOf,
  listContracts,
  listGoalEvidence,
  municipalityOf,
  publishStatusReport,
  readTemplate,
  recordIntentDeclaration,
  replaceGoalIndicator,
  statusReportsInOrder,
  statusReportsOf,
  type EvidenceFile,
} from './service.ts';
import { contractStatuses, type statusReports } from './schema.ts';
import {
  contractChangeBody,
  contractExportSchema,
  contractImportBody,
  contractInput,
  contractReportSchema,
  contractSchema,
  contractSummarySchema,
  contractTemplateSchema,
  createdSchema,
  evidenceSchema,
  indicatorChangeSchema,
  intentDeclarationBody,
  intentDeclarationsSchema,
  newEvidenceBody,
  newStatusReportBody,
  okSchema,
  reportQuery,
  statusReportChangeBody,
  statusReportQuery,
  statusReportSchema,
} from './schemas.ts';

const contractParams = idParams('contract.notFound');
const reportParams = idParams('report.notFound');
/** A goal's number in a path, bounded as goal definitions are (1–99, contracts/service.ts). */
const goalNumberParam = int4Param(1, 99);
const documentMediaTypes = Object.values(documentTypes);

// Evidence for manual goals: links, or files of a few document and image types up to 5 MB.
const evidenceTypes: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
};
const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

const presentContract = <C extends { hubId: string; kkrId: string }>(actor: Actor, contract: C) => ({ ...contract, abilities: abilities.contract(actor, contract) });

const parseSnapshot = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Snapshot;

export const contractRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  const contractOr404 = async (id: string) => {
    const contract = await findContractRecord(db, id);
    if (!contract) throw notFound('contract.notFound');
    return contract;
  };

  const goalOf = async (contractId: string, number: number) => {
    const goal = await findGoal(db, contractId, number);
    if (goal) return goal;
    // No such goal: because there is no such contract, if that is why.
    await contractOr404(contractId);
    throw notFound();
  };

  app.get(
    '/contracts',
    { schema: { tags: ['contracts'], operationId: 'listContracts', summary: 'Performance contracts (resultatkontrakter)', response: { 200: z.object({ items: z.array(contractSummarySchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.contract.read(actor));
      return { items: (await listContracts(db)).map((c) => presentContract(actor, c)) };
    },
  );

  app.post(
    '/contracts/import',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'importContract',
        summary: 'Import a contract from JSON (e.g. the shipped 2020 template), optionally for another period',
        body: contractImportBody,
        response: { 201: createdSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { override, ...input } = request.body;
      // Only a party may create a contract: the actor's organisation must be its hub or its KKR.
      const parties = await contractParties(db, input);
      authorize(policy.contract.create(actor, parties));
      const id = await importContract(db, input, override, parties);
      await audit(db, actor, { action: 'create', entity: 'contract', entityId: id, details: { title: input.title, goals: input.goals.length } });
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/contracts/template',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'getContractTemplate',
        summary: 'The shipped template: the 2020 contract between KKR Syddanmark and Erhvervshus Sydjylland, in the import format',
        response: { 200: contractTemplateSchema },
      },
    },
    async (request) => {
      actorOf(request);
      return contractInput.parse(readTemplate());
    },
  );

  app.get(
    '/contracts/:id',
    { schema: { tags: ['contracts'], operationId: 'getContract', summary: 'A contract with its goal definitions', params: contractParams, response: { 200: contractSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.contract.read(actor));
      const contract = await findContract(db, request.params.id);
      if (!contract) throw notFound('contract.notFound');
      return presentContract(actor, contract);
    },
  );

  app.get(
    '/contracts/:id/export',
    { schema: { tags: ['contracts'], operationId: 'exportContract', summary: 'The contract as JSON, in the import format', params: contractParams, response: { 200: contractExportSchema } } },
    async (request) => {
      authorize(policy.contract.read(actorOf(request)));
      const contract = await contractOr404(request.params.id);
      return exportContract(db, contract);
    },
  );

  app.put(
    '/contracts/:id/goals/:number/indicator',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'replaceGoalIndicator',
        summary: "Replace a goal's indicator (e.g. tick off deliverables, set manual fulfilment and justification)",
        params: contractParams.extend({ number: goalNumberParam }),
        // Checked in the handler, so that the problem names the goal.
        body: z.unknown().describe("The goal's new indicator, as in the import format"),
        response: { 200: indicatorChangeSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      authorize(policy.contract.manage(actor, contract));
      const goal = await goalOf(contract.id, request.params.number);
      const parsed = indicatorSchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpProblem(400, 'contract.goalInvalid', { number: goal.number, title: goal.title, problem: `${issue.path.join('.')}: ${issue.message}` }, [
          { field: `indicator${issue.path.length ? '.' + issue.path.join('.') : ''}`, key: 'contract.malformedIndicator', params: { number: goal.number, where: issue.path.join('.') || 'indicator', problem: issue.message } },
        ]);
      }
      // Once KKR and national readers may have seen its figures, what a goal counts stays as it was
      // (disclosure control compares them with the hub's other figures; ./disclosure.ts).
      if (!countsAlike(goal.indicator, parsed.data) && (await figuresMayHaveBeenSeen(db, contract, danishDate(app.now())))) throw conflict('contract.countsFixed', { number: goal.number });
      await replaceGoalIndicator(db, actor, contract.id, goal, parsed.data);
      return { number: goal.number, indicator: parsed.data };
    },
  );

  app.get(
    '/contracts/:id/report',
    {
      schema: {
        tags: ['contracts'],
        summary:
          'Every goal computed from live data as of a date (value, target, fulfilment 0–100). KKR and national readers: as of the end of a month that has ended (by default the latest), figures resting on fewer than 5 companies withheld',
        operationId: 'getContractReport',
        params: contractParams,
        querystring: reportQuery,
        response: { 200: fileResponse('The report as JSON, or as a Word, PDF or Excel file (`format`)', documentMediaTypes, contractReportSchema) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.contract.read(actor));
      const today = danishDate(app.now());
      const contract = await contractOr404(request.params.id);
      const controlled = policy.contract.disclosureControl(actor, contract);
      // Under disclosure control live figures are of whole, finished months: a date moved by a day
      // (or the same date a day later) would otherwise give away a single day's answers.
      const at = request.query.at ?? (controlled ? lastEndedMonthEnd(today) : today);
      if (controlled && (!isMonthEnd(at) || at >= today)) throw fieldProblem('at', 'disclosure.monthEnd');
      const computed = await takeSnapshot(db, request.params.id, at);
      if (!computed) throw notFound('contract.notFound');
      // Figures at one month end must not differ from another date's by fewer than 5 companies either.
      // Evaluation goals are sums of cells of the protected evaluation table: shown only where those are.
      const overTime = controlled
        ? await withEvaluationTable(
            evaluationTable(db, contract, today),
            computed,
            previousPublished(await statusReportsOf(db, request.params.id), computed.asOf),
            (await overTimeFor(db, request.params.id, [computed.asOf], today)).get(computed.asOf),
          )
        : undefined;
      const snapshot = discloseGoals(computed, controlled, overTime);
      // The web shows what applied (the month-end hint) from this, never from the user's organisation.
      if (request.query.format === 'json') return { contractId: request.params.id, disclosureControl: controlled, ...snapshot };
      const document = await reportDocument(db, request.params.id, { snapshot, status: 'live', version: null, directorComment: null, goalComments: {} });
      return reply
        .type(documentTypes[request.query.format])
        .header('content-disposition', `attachment; filename="resultatkontrakt-${at}.${request.query.format}"`)
        .send(await renderReport(document, request.query.format));
    },
  );

  app.get(
    '/contracts/:id/intent-declarations',
    { schema: { tags: ['contracts'], operationId: 'listIntentDeclarations', summary: "Intent declarations per municipality for the contract's year", params: contractParams, response: { 200: intentDeclarationsSchema } } },
    async (request) => {
      authorize(policy.contract.read(actorOf(request)));
      const contract = await contractOr404(request.params.id);
      const year = Number(contract.periodStart.slice(0, 4));
      return { year, items: await intentDeclarationsOf(db, contract.hubId, year) };
    },
  );

  app.put(
    '/contracts/:id/intent-declarations/:municipalityCode',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'recordIntentDeclaration',
        summary: "Record a municipality's intent declaration, evaluation meeting and key account manager",
        params: contractParams.extend({ municipalityCode: municipalityCodeParam }),
        body: intentDeclarationBody,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      authorize(policy.contract.manage(actor, contract));
      const municipality = await municipalityOf(db, request.params.municipalityCode);
      if (!municipality || municipality.hub_id !== contract.hubId) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: request.params.municipalityCode });
      const year = Number(contract.periodStart.slice(0, 4));
      await recordIntentDeclaration(db, actor, { contractId: contract.id, hubId: contract.hubId, municipalityCode: request.params.municipalityCode, year }, request.body);
      return { ok: true as const };
    },
  );

  // Status reports: draft → comments → publish (frozen); a new version can be issued.
  // The stored snapshot keeps every figure; readers under disclosure control get it withheld on reading.
  const reportView = (actor: Actor, contract: { hubId: string }, r: typeof statusReports.$inferSelect, controlled = false, overTime?: Map<string, Map<number, GoalOverTime>>) => ({
    id: r.id,
    contractId: r.contractId,
    asOf: r.asOf,
    version: r.version,
    status: r.status,
    snapshot: discloseGoals(parseSnapshot(r.snapshot), controlled, overTime?.get(r.id)),
    directorComment: r.directorComment,
    goalComments: r.goalComments,
    createdAt: r.createdAt.toISOString(),
    publishedAt: isoTime(r.publishedAt),
    abilities: abilities.statusReport(actor, contract),
  });

  /**
   * What readers under disclosure control may see of a contract's status reports, by report id: each
   * judged against the published ones before it by their frozen figures, and its evaluation goals
   * against the live decisions of the protected evaluation table for its date (./disclosure.ts).
   */
  const reportsOverTime = async (contract: { hubId: string; periodStart: string; periodEnd: string }, rows: (typeof statusReports.$inferSelect)[]) => {
    const parsed = rows.map((r) => ({ ...r, snapshot: parseSnapshot(r.snapshot) }));
    const frozen = publishedOverTime(parsed);
    const shownAt = evaluationTable(db, contract, danishDate(app.now()));
    const result = new Map<string, Map<number, GoalOverTime>>();
    for (const r of parsed) result.set(r.id, await withEvaluationTable(shownAt, r.snapshot, previousPublished(parsed, r.asOf), frozen.get(r.id)));
    return result;
  };

  const reportFor = async (id: string, actor: Actor) => {
    const report = await findStatusReport(db, id);
    const contract = report ? await contractOr404(report.contractId) : null;
    authorizeVisible(!!report && !!contract && (report.status === 'published' || policy.contract.readDraft(actor, contract)), 'report.notFound');
    return { report, contract: contract! };
  };

  app.get(
    '/contracts/:id/status-reports',
    { schema: { tags: ['contracts'], operationId: 'listStatusReports', summary: 'Status reports of a contract (drafts only for the hub)', params: contractParams, response: { 200: z.object({ items: z.array(statusReportSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      const rows = await statusReportsInOrder(db, contract.id);
      const controlled = policy.contract.disclosureControl(actor, contract);
      const visible = rows.filter((r) => r.status === 'published' || policy.contract.readDraft(actor, contract));
      const overTime = controlled ? await reportsOverTime(contract, rows) : undefined;
      return { items: visible.map((r) => reportView(actor, contract, r, controlled, overTime)) };
    },
  );

  app.post(
    '/contracts/:id/status-reports',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'createStatusReport',
        summary: 'Start a status report: a draft snapshot of every goal as of a date',
        params: contractParams,
        body: newStatusReportBody,
        response: { 201: statusReportSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      authorize(policy.contract.report(actor, contract));
      const snapshot = (await takeSnapshot(db, contract.id, request.body.asOf))!;
      const row = await createStatusReport(db, actor, contract.id, snapshot);
      return reply.code(201).send(reportView(actor, contract, row));
    },
  );

  app.get(
    '/status-reports/:id',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'getStatusReport',
        summary: 'A status report (published ones are frozen)',
        params: reportParams,
        querystring: statusReportQuery,
        response: { 200: fileResponse('The status report as JSON, or as a Word, PDF or Excel file (`format`)', documentMediaTypes, statusReportSchema) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { report, contract } = await reportFor(request.params.id, actor);
      const controlled = policy.contract.disclosureControl(actor, contract);
      const all = controlled ? await statusReportsOf(db, report.contractId) : [];
      const overTime = controlled ? await reportsOverTime(contract, all) : undefined;
      if (request.query.format === 'json') return reportView(actor, contract, report, controlled, overTime);
      const document = await reportDocument(db, report.contractId, { snapshot: discloseGoals(parseSnapshot(report.snapshot), controlled, overTime?.get(report.id)), status: report.status, version: report.version, directorComment: report.directorComment, goalComments: report.goalComments });
      await audit(db, actor, { action: 'export', entity: 'status_report', entityId: report.id, details: { format: request.query.format } });
      return reply
        .type(documentTypes[request.query.format])
        .header('content-disposition', `attachment; filename="statusrapport-${report.asOf}-v${report.version}.${request.query.format}"`)
        .send(await renderReport(document, request.query.format));
    },
  );

  app.patch(
    '/status-reports/:id',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'changeStatusReport',
        summary: "Comment a draft: the director's comment and a comment per goal; `refresh` recomputes the figures",
        params: reportParams,
        body: statusReportChangeBody,
        response: { 200: statusReportSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { report, contract } = await reportFor(request.params.id, actor);
      authorize(policy.contract.report(actor, contract));
      if (report.status === 'published') throw conflict('report.published');
      const snapshot = request.body.refresh ? await takeSnapshot(db, contract.id, report.asOf) : undefined;
      const updated = await changeStatusReport(db, actor, report, request.body, snapshot);
      return reportView(actor, contract, updated);
    },
  );

  app.post(
    '/status-reports/:id/publish',
    { schema: { tags: ['contracts'], operationId: 'publishStatusReport', summary: 'Publish a draft to KKR; its figures are frozen from now on', params: reportParams, response: { 200: statusReportSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const { report, contract } = await reportFor(request.params.id, actor);
      authorize(policy.contract.report(actor, contract));
      const published = await publishStatusReport(db, actor, report.id, app.now());
      return reportView(actor, contract, published);
    },
  );

  app.patch(
    '/contracts/:id',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'changeContract',
        summary: 'Rename a contract or move it along draft → active → closed',
        params: contractParams,
        body: contractChangeBody,
        response: { 200: contractSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      authorize(policy.contract.manage(actor, contract));
      const order = contractStatuses.indexOf(contract.status);
      if (request.body.status && contractStatuses.indexOf(request.body.status) < order) throw conflict('contract.statusBackwards', { from: contract.status, to: request.body.status });
      await changeContract(db, actor, contract.id, request.body);
      return presentContract(actor, (await findContract(db, contract.id))!);
    },
  );

  const goalParams = contractParams.extend({ number: goalNumberParam });

  app.get(
    '/contracts/:id/goals/:number/evidence',
    { schema: { tags: ['contracts'], operationId: 'listGoalEvidence', summary: "A goal's evidence (links and uploaded files)", params: goalParams, response: { 200: z.object({ items: z.array(evidenceSchema) }) } } },
    async (request) => {
      authorize(policy.contract.read(actorOf(request)));
      const goal = await goalOf(request.params.id, request.params.number);
      const rows = await listGoalEvidence(db, goal.id);
      return { items: rows.map((r) => ({ ...r, addedAt: r.addedAt.toISOString() })) };
    },
  );

  app.post(
    '/contracts/:id/goals/:number/evidence',
    {
      bodyLimit: Math.ceil(MAX_EVIDENCE_BYTES * 1.4) + 10_000,
      schema: {
        tags: ['contracts'],
        operationId: 'addGoalEvidence',
        summary: 'Add evidence for a deliverable: a link, or a file (base64; PDF, Word, Excel, PowerPoint, PNG, JPEG or text; at most 5 MB)',
        params: goalParams,
        body: newEvidenceBody,
        response: { 201: createdSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const contract = await contractOr404(request.params.id);
      authorize(policy.contract.manage(actor, contract));
      const goal = await goalOf(contract.id, request.params.number);
      const body = request.body;
      let file: EvidenceFile | null = null;
      if ('contentBase64' in body) {
        if (!evidenceTypes[body.contentType]) throw fieldProblem('contentType', 'evidence.type', { types: Object.values(evidenceTypes).join(', ') });
        const bytes = Buffer.from(body.contentBase64, 'base64');
        if (bytes.length === 0) throw fieldProblem('contentBase64', 'required');
        if (bytes.length > MAX_EVIDENCE_BYTES) throw fieldProblem('contentBase64', 'evidence.size', { max: '5 MB' });
        // Trust the bytes, not the declared type: a file whose content is not what it claims is refused.
        if (!contentMatchesType(body.contentType, bytes)) {
          const type = { type: evidenceTypes[body.contentType]!.toUpperCase() };
          throw new HttpProblem(415, 'evidence.content', type, [{ field: 'contentBase64', key: 'evidence.content', params: type }]);
        }
        file = { fileName: body.fileName, contentType: body.contentType, content: bytes.toString('base64'), sizeBytes: bytes.length };
      }
      const id = await addGoalEvidence(db, actor, contract.id, goal, { deliverable: body.deliverable, url: 'url' in body ? body.url : null, file });
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/contracts/:id/goals/:number/evidence/:evidenceId',
    {
      schema: {
        tags: ['contracts'],
        operationId: 'downloadGoalEvidence',
        summary: 'Download an uploaded evidence file',
        params: goalParams.extend({ evidenceId: recordId('evidence.notFound') }),
        response: { 200: fileResponse('The file as it was uploaded', [...Object.keys(evidenceTypes), 'application/octet-stream']) },
      },
    },
    async (request, reply) => {
      authorize(policy.contract.read(actorOf(request)));
      const goal = await goalOf(request.params.id, request.params.number);
      const evidence = await findGoalEvidence(db, goal.id, request.params.evidenceId);
      if (!evidence?.content) throw notFound('evidence.notFound');
      return reply
        .type(evidence.contentType ?? 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${(evidence.fileName ?? 'bilag').replace(/[^\w. -]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(evidence.content, 'base64'));
    },
  );
};
