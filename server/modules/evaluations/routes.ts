import { eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { authorize, policy, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../../lib/csv.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { isoDate } from '../engagements/schemas.ts';
import { danishDate } from '../../lib/working-days.ts';
import { DISCLOSURE_LIMIT } from '../../policies/disclosure.ts';
import { aggregateEvaluationResults, controlledQuery, type Figures } from './aggregate.ts';
import { computeResults, fulfilment, type Results, type Threshold } from './results.ts';
import { evaluationSettings, fulfilmentScales, type EffectAnswer } from './schema.ts';

/** Groups resting on fewer companies than this are suppressed under disclosure control (server/policies/disclosure.ts). */
export const ANSWER_SUPPRESSION_LIMIT = DISCLOSURE_LIMIT;

const filtersSchema = z.object({
  hub: z.uuid().optional(),
  municipality: z.coerce.number().int().min(100).max(999).optional(),
  deliveryCategory: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'invalidFormat' }).optional(),
  adviser: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  groupBy: z.enum(['hub', 'municipality', 'deliveryCategory', 'adviser', 'month']).optional(),
});
type Filters = z.infer<typeof filtersSchema>;

const groupExpressions = {
  hub: { key: sql`a.organisation_id::text`, label: sql`h.name` },
  municipality: { key: sql`c.municipality_code::text`, label: sql`m.name` },
  deliveryCategory: { key: sql`coalesce(dc.key, '-')`, label: sql`coalesce(dc.name, '(uden kategori)')` },
  adviser: { key: sql`coalesce(e.responsible_user_id::text, '-')`, label: sql`coalesce(u.name, '(ikke matchet)')` },
  month: { key: sql`to_char(a.answered_on, 'YYYY-MM')`, label: sql`to_char(a.answered_on, 'YYYY-MM')` },
} as const;

/** Internal to the server, never from the query string: leave out answers tied to an Early Warning engagement. */
type Scope = { withoutConfidential?: boolean };

function where(filters: Filters & Scope, answerAlias = true): SQL {
  const parts = [sql`TRUE`];
  if (filters.withoutConfidential) parts.push(sql`NOT coalesce(e.confidential, false)`);
  if (filters.hub) parts.push(sql`a.organisation_id = ${filters.hub}`);
  if (filters.municipality) parts.push(sql`c.municipality_code = ${filters.municipality}`);
  if (filters.deliveryCategory) parts.push(sql`dc.key = ${filters.deliveryCategory}`);
  if (filters.adviser) parts.push(sql`e.responsible_user_id = ${filters.adviser}`);
  const dateColumn = answerAlias ? sql`a.answered_on` : sql`(a.created_at AT TIME ZONE 'Europe/Copenhagen')::date`;
  if (filters.from) parts.push(sql`${dateColumn} >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`${dateColumn} <= ${filters.to}::date`);
  return sql.join(parts, sql` AND `);
}

const joins = sql`
  JOIN organisations h ON h.id = a.organisation_id
  LEFT JOIN engagements e ON e.id = a.engagement_id
  LEFT JOIN companies c ON c.cvr = a.company_cvr
  LEFT JOIN municipalities m ON m.code = c.municipality_code
  LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
  LEFT JOIN users u ON u.id = e.responsible_user_id`;

export interface GroupResult extends Results {
  key: string;
  label: string;
  invitations: number;
  responseRate: number | null;
  npsFulfilment: number | null;
  effectFulfilment: number | null;
  suppressed: boolean;
}

/**
 * Results overall and per group, for the given filters, unsuppressed; the figures the contract's goals
 * 1 and 2 use, and what a hub sees of its own results. Every other query is answered by
 * `aggregateEvaluationResults` under disclosure control (./aggregate.ts).
 */
export async function evaluationResults(db: Db, filters: Filters & Scope) {
  const group = filters.groupBy ? groupExpressions[filters.groupBy] : { key: sql`'all'`, label: sql`'Alle'` };
  const answerRows = (await db.execute<{ key: string; label: string; nps: number | null; effect: EffectAnswer | null; n: number }>(sql`
    SELECT ${group.key} AS key, ${group.label} AS label, a.nps, a.effect, count(*)::int AS n
    FROM evaluation_answers a ${joins}
    WHERE ${where(filters)}
    GROUP BY 1, 2, 3, 4`)).rows;
  // Invitations (for the response rate) filtered the same way; `a` here is the invitation.
  // An invitation has no answer date; by month it counts when it was sent.
  const invitationGroup = filters.groupBy === 'month' ? sql`to_char((a.created_at AT TIME ZONE 'Europe/Copenhagen')::date, 'YYYY-MM')` : group.key;
  const invitationRows = (await db.execute<{ key: string; invited: number; answered: number }>(sql`
    SELECT ${invitationGroup} AS key, count(*)::int AS invited, count(a.answered_at)::int AS answered
    FROM evaluation_invitations a ${joins}
    WHERE ${where(filters, false)}
    GROUP BY 1`)).rows;
  const scales = new Map((await db.select().from(fulfilmentScales)).map((s) => [s.key, s.thresholds as Threshold[]]));
  const groups = new Map<string, { label: string; rows: { nps: number | null; effect: EffectAnswer | null; count: number }[] }>();
  for (const r of answerRows) {
    const key = r.key ?? '-';
    const entry = groups.get(key) ?? { label: r.label ?? '-', rows: [] };
    entry.rows.push({ nps: r.nps === null ? null : Number(r.nps), effect: r.effect, count: Number(r.n) });
    groups.set(key, entry);
  }
  const invitations = new Map(invitationRows.map((r) => [r.key ?? '-', r]));
  const build = (key: string, label: string, rows: { nps: number | null; effect: EffectAnswer | null; count: number }[]): GroupResult => {
    const results = computeResults(rows);
    const inv = invitations.get(key);
    const invited = key === '*' ? invitationRows.reduce((s, r) => s + Number(r.invited), 0) : Number(inv?.invited ?? 0);
    const answered = key === '*' ? invitationRows.reduce((s, r) => s + Number(r.answered), 0) : Number(inv?.answered ?? 0);
    return {
      key,
      label,
      ...results,
      invitations: invited,
      responseRate: invited > 0 ? (100 * answered) / invited : null,
      npsFulfilment: fulfilment(results.nps, scales.get('goal1_nps') ?? []),
      effectFulfilment: fulfilment(results.effectShare, scales.get('goal2_effect') ?? []),
      suppressed: false,
    };
  };
  const overall = build('*', 'I alt', [...groups.values()].flatMap((g) => g.rows));
  const byGroup = filters.groupBy ? [...groups.entries()].map(([key, g]) => build(key, g.label, g.rows)).sort((a, b) => a.label.localeCompare(b.label, 'da')) : [];
  return { overall, groups: byGroup };
}

/** A suppressed group (under disclosure control) carries its key and label only: every figure is null. */
const resultSchema = z.object({
  key: z.string(), label: z.string(), answers: z.number().nullable(), npsAnswers: z.number().nullable(), promoters: z.number().nullable(), passives: z.number().nullable(), detractors: z.number().nullable(),
  nps: z.number().nullable(), npsMarginOfError: z.number().nullable(), effectAnswers: z.number().nullable(), effectCounts: z.record(z.string(), z.number()).nullable(),
  effectShare: z.number().nullable(), effectMarginOfError: z.number().nullable(), invitations: z.number().nullable(), responseRate: z.number().nullable(),
  npsFulfilment: z.number().nullable(), effectFulfilment: z.number().nullable(), suppressed: z.boolean(),
});

interface Answer {
  overall: Figures;
  groups: Figures[];
  /** The query as it was answered: under disclosure control with its period and grouping filled in. */
  filters: Filters;
  disclosureControl: boolean;
}

/**
 * The results as the actor may see them (`policy.evaluation.disclosureControl`): a hub looking at its
 * own results as they are; every other query under disclosure control (whole ended periods, one
 * dimension, suppressed cells without figures), without dates for the latest ended quarter and a
 * cross table grouped by month (`controlledQuery`). Results, CSV and Excel alike.
 */
async function resultsFor(db: Db, actor: Actor, query: Filters, today: string): Promise<Answer> {
  // The hub's own exact figures; answers tied to an Early Warning case only for the EW team (they would
  // date and place the case by category, adviser and day).
  if (!policy.evaluation.disclosureControl(actor, query)) {
    const figures = await evaluationResults(db, { ...query, withoutConfidential: !policy.evaluation.confidentialAnswers(actor) });
    return { ...figures, filters: query, disclosureControl: false };
  }
  const filters: Filters = controlledQuery(query, today);
  return { ...(await aggregateEvaluationResults(db, filters, today)), filters, disclosureControl: true };
}

function authorizeFilters(actor: Actor, filters: Filters) {
  if (filters.adviser || filters.groupBy === 'adviser') authorize(policy.evaluation.byAdviser(actor, filters.hub));
}

const fmt = (v: number | null, digits = 1) => (v === null ? '' : v.toFixed(digits).replace('.', ','));

export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/evaluations/results',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'NPS and effect share with answers, response rate and 95 % margins, overall and per group; under disclosure control unless a hub asks for its own results',
        querystring: filtersSchema,
        response: {
          200: z.object({
            overall: resultSchema,
            groups: z.array(resultSchema),
            suppressionLimit: z.number(),
            /** Whether the figures are under disclosure control (all but a hub's own results). */
            disclosureControl: z.boolean(),
            /** The period answered: under disclosure control without dates, the latest ended quarter. */
            period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
            /** The grouping answered: under disclosure control, a cross table is grouped by month. */
            groupBy: filtersSchema.shape.groupBy.unwrap().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.results(actor));
      authorizeFilters(actor, request.query);
      const { overall, groups, filters, disclosureControl } = await resultsFor(db, actor, request.query, danishDate(app.now()));
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
    { schema: { tags: ['evaluations'], summary: 'The results per group as CSV or Excel', params: z.object({ format: z.enum(['csv', 'xlsx']) }), querystring: filtersSchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.results(actor));
      // Grouped by hub unless asked otherwise; under disclosure control a query filtered on another
      // dimension is then grouped by month (`controlledQuery`), as the results are.
      const query = { ...request.query, groupBy: request.query.groupBy ?? 'hub' };
      authorizeFilters(actor, query);
      const { overall, groups, filters } = await resultsFor(db, actor, query, danishDate(app.now()));
      const header = ['Gruppe', 'Svar', 'Inviterede', 'Svarprocent', 'NPS', 'NPS ± (95 %)', 'Effektandel %', 'Effekt ± (95 %)', 'Mål 1 opfyldelse %', 'Mål 2 opfyldelse %', 'Undertrykt'];
      const rows = [...groups, overall].map((g) => [g.label, g.answers, g.invitations, g.responseRate, g.nps, g.npsMarginOfError, g.effectShare, g.effectMarginOfError, g.npsFulfilment, g.effectFulfilment, g.suppressed ? 'ja' : 'nej'] as const);
      await audit(db, actor, { action: 'export', entity: 'evaluation_results', details: { format: request.params.format, filters } });
      if (request.params.format === 'csv') {
        // Group labels are names people typed (advisers, categories): the one CSV writer defuses formulas.
        const csv = toCsv(header, rows, { formatNumber: (v) => fmt(v) });
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
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="brugerevaluering.xlsx"')
        .send(buffer);
    },
  );

  app.get(
    '/evaluations/comments',
    {
      schema: {
        tags: ['evaluations'],
        summary: "Free-text comments: only for the hub that gave the guidance",
        querystring: filtersSchema.extend({ hub: z.uuid() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), answeredOn: z.string(), nps: z.number().nullable(), effect: z.string().nullable(), comment: z.string(), company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(), engagementId: z.string().nullable() })) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.comments(actor, request.query.hub));
      const rows = (await db.execute<{ id: string; answered_on: string; nps: number | null; effect: string | null; comment: string; company_cvr: string | null; company_name: string | null; engagement_id: string | null }>(sql`
        SELECT a.id, to_char(a.answered_on, 'YYYY-MM-DD') AS answered_on, a.nps, a.effect, a.comment, a.company_cvr, c.name AS company_name, a.engagement_id
        FROM evaluation_answers a ${joins}
        WHERE ${where(request.query)} AND a.comment IS NOT NULL AND ${policy.evaluation.confidentialAnswers(actor) ? sql`TRUE` : sql`NOT coalesce(e.confidential, false)`}
        ORDER BY a.answered_on DESC LIMIT 500`)).rows;
      await audit(db, actor, { action: 'read', entity: 'evaluation_comment', details: { count: rows.length } });
      return { items: rows.map((r) => ({ id: r.id, answeredOn: r.answered_on, nps: r.nps, effect: r.effect, comment: r.comment, company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null, engagementId: r.engagement_id })) };
    },
  );

  app.get(
    '/evaluations/unmatched',
    {
      schema: {
        tags: ['evaluations'],
        summary: "Imported answers that matched no specialised engagement, attributed to the hub of the company's municipality",
        querystring: z.object({ hub: z.uuid() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), answeredOn: z.string(), companyCvr: z.string().nullable(), nps: z.number().nullable(), effect: z.string().nullable(), createdAt: z.string() })) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.comments(actor, request.query.hub));
      const rows = (await db.execute<{ id: string; answered_on: string; company_cvr: string | null; nps: number | null; effect: string | null; created_at: Date }>(sql`
        SELECT id, to_char(answered_on, 'YYYY-MM-DD') AS answered_on, company_cvr, nps, effect, created_at FROM evaluation_answers
        WHERE organisation_id = ${request.query.hub} AND source = 'import' AND engagement_id IS NULL ORDER BY answered_on DESC LIMIT 1000`)).rows;
      return { items: rows.map((r) => ({ id: r.id, answeredOn: r.answered_on, companyCvr: r.company_cvr, nps: r.nps, effect: r.effect, createdAt: isoTime(r.created_at)! })) };
    },
  );

  const settingsSchema = z.object({ trigger: z.enum(['close', 'first_meeting']), daysAfterFirstMeeting: z.number().int().min(1).max(365), reminderAfterDays: z.number().int().min(1).max(90), linkValidDays: z.number().int().min(1).max(365) });

  app.get(
    '/organisations/:id/evaluation-settings',
    { schema: { tags: ['evaluations'], summary: "A hub's evaluation settings", params: z.object({ id: z.uuid() }), response: { 200: settingsSchema } } },
    async (request) => {
      actorOf(request);
      const [row] = await db.select().from(evaluationSettings).where(eq(evaluationSettings.organisationId, request.params.id));
      return row ? { trigger: row.trigger, daysAfterFirstMeeting: row.daysAfterFirstMeeting, reminderAfterDays: row.reminderAfterDays, linkValidDays: row.linkValidDays } : { trigger: 'close' as const, daysAfterFirstMeeting: 30, reminderAfterDays: 7, linkValidDays: 30 };
    },
  );

  app.put(
    '/organisations/:id/evaluation-settings',
    { schema: { tags: ['evaluations'], summary: "Change a hub's evaluation settings (its admins and managers)", params: z.object({ id: z.uuid() }), body: settingsSchema, response: { 200: settingsSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.evaluation.configure(actor, request.params.id));
      await db.transaction(async (tx) => {
        await tx.insert(evaluationSettings).values({ organisationId: request.params.id, ...request.body }).onConflictDoUpdate({ target: evaluationSettings.organisationId, set: request.body });
        await audit(tx, actor, { action: 'update', entity: 'evaluation_settings', entityId: request.params.id, details: request.body });
      });
      return request.body;
    },
  );
};
