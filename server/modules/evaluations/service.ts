/**
 * The evaluation results, comments and settings as the routes and other modules (the contracts' goals
 * 1 and 2) ask for them. Who may ask what is the routes' business (server/policies); these only query.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isoTime } from '../../lib/rows.ts';
import { DISCLOSURE_LIMIT } from '../../policies/disclosure.ts';
import { organisations } from '../organisations/schema.ts';
import { aggregateEvaluationResults, controlledQuery, type Figures, type ShownFigures } from './aggregate.ts';
import { computeResults, fulfilment, type Threshold } from './results.ts';
import { evaluationSettings, fulfilmentScales, type EffectAnswer } from './schema.ts';
import type { EvaluationFilters } from './schemas.ts';

/** Groups resting on fewer companies than this are suppressed under disclosure control (server/policies/disclosure.ts). */
export const ANSWER_SUPPRESSION_LIMIT = DISCLOSURE_LIMIT;

const groupExpressions = {
  hub: { key: sql`a.organisation_id::text`, label: sql`h.name` },
  municipality: { key: sql`c.municipality_code::text`, label: sql`m.name` },
  deliveryCategory: { key: sql`coalesce(dc.key, '-')`, label: sql`coalesce(dc.name, '(uden kategori)')` },
  adviser: { key: sql`coalesce(e.responsible_user_id::text, '-')`, label: sql`coalesce(u.name, '(ikke matchet)')` },
  month: { key: sql`to_char(a.answered_on, 'YYYY-MM')`, label: sql`to_char(a.answered_on, 'YYYY-MM')` },
} as const;

/** Internal to the server, never from the query string: leave out answers tied to an Early Warning engagement. */
type Scope = { withoutConfidential?: boolean };

function where(filters: EvaluationFilters & Scope, answerAlias = true): SQL {
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

export type GroupResult = ShownFigures;

/**
 * Results overall and per group, for the given filters, unsuppressed; the figures the contract's goals
 * 1 and 2 use, and what a hub sees of its own results. Every other query is answered by
 * `aggregateEvaluationResults` under disclosure control (./aggregate.ts).
 */
export async function evaluationResults(db: Db, filters: EvaluationFilters & Scope) {
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

export interface ResultsAnswer {
  overall: Figures;
  groups: Figures[];
  /** The query as it was answered: under disclosure control with its period and grouping filled in. */
  filters: EvaluationFilters;
  disclosureControl: boolean;
}

/**
 * The results as the route decided the caller may see them (`policy.evaluation.disclosureControl`,
 * `policy.evaluation.confidentialAnswers`): exact figures, or the query under disclosure control
 * (whole ended periods, one dimension, suppressed cells without figures), without dates for the
 * latest ended quarter and a cross table grouped by month (`controlledQuery`). Results, CSV and Excel alike.
 */
export async function resultsAnswer(db: Db, query: EvaluationFilters, access: { disclosureControl: boolean; confidentialAnswers: boolean }, today: string): Promise<ResultsAnswer> {
  // Exact figures; answers tied to an Early Warning case only for the EW team (they would date and
  // place the case by category, adviser and day).
  if (!access.disclosureControl) {
    const figures = await evaluationResults(db, { ...query, withoutConfidential: !access.confidentialAnswers });
    return { ...figures, filters: query, disclosureControl: false };
  }
  const filters: EvaluationFilters = controlledQuery(query, today);
  return { ...(await aggregateEvaluationResults(db, filters, today)), filters, disclosureControl: true };
}

/** The free-text comments of a hub's answers (`filters.hub`), newest first; those tied to an Early Warning engagement only with `confidentialAnswers`. */
export async function evaluationComments(db: Db, filters: EvaluationFilters, options: { confidentialAnswers: boolean }) {
  const rows = (await db.execute<{ id: string; answered_on: string; nps: number | null; effect: string | null; comment: string; company_cvr: string | null; company_name: string | null; engagement_id: string | null }>(sql`
    SELECT a.id, to_char(a.answered_on, 'YYYY-MM-DD') AS answered_on, a.nps, a.effect, a.comment, a.company_cvr, c.name AS company_name, a.engagement_id
    FROM evaluation_answers a ${joins}
    WHERE ${where(filters)} AND a.comment IS NOT NULL AND ${options.confidentialAnswers ? sql`TRUE` : sql`NOT coalesce(e.confidential, false)`}
    ORDER BY a.answered_on DESC LIMIT 500`)).rows;
  return rows.map((r) => ({
    id: r.id,
    answeredOn: r.answered_on,
    nps: r.nps,
    effect: r.effect,
    comment: r.comment,
    company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
    engagementId: r.engagement_id,
  }));
}

/** Imported answers of a hub that matched no specialised engagement. */
export async function unmatchedAnswers(db: Db, hubId: string) {
  const rows = (await db.execute<{ id: string; answered_on: string; company_cvr: string | null; nps: number | null; effect: string | null; created_at: Date }>(sql`
    SELECT id, to_char(answered_on, 'YYYY-MM-DD') AS answered_on, company_cvr, nps, effect, created_at FROM evaluation_answers
    WHERE organisation_id = ${hubId} AND source = 'import' AND engagement_id IS NULL ORDER BY answered_on DESC LIMIT 1000`)).rows;
  return rows.map((r) => ({ id: r.id, answeredOn: r.answered_on, companyCvr: r.company_cvr, nps: r.nps, effect: r.effect, createdAt: isoTime(r.created_at)! }));
}

export interface EvaluationSettingsValues {
  trigger: 'close' | 'first_meeting';
  daysAfterFirstMeeting: number;
  reminderAfterDays: number;
  linkValidDays: number;
}

/** A hub's settings, or the defaults while it has none of its own. */
export async function findEvaluationSettings(db: Db, organisationId: string): Promise<EvaluationSettingsValues> {
  const [row] = await db.select().from(evaluationSettings).where(eq(evaluationSettings.organisationId, organisationId));
  return row
    ? { trigger: row.trigger, daysAfterFirstMeeting: row.daysAfterFirstMeeting, reminderAfterDays: row.reminderAfterDays, linkValidDays: row.linkValidDays }
    : { trigger: 'close', daysAfterFirstMeeting: 30, reminderAfterDays: 7, linkValidDays: 30 };
}

export async function saveEvaluationSettings(db: Db, organisationId: string, values: EvaluationSettingsValues) {
  await db.insert(evaluationSettings).values({ organisationId, ...values }).onConflictDoUpdate({ target: evaluationSettings.organisationId, set: values });
}

/** The business hubs, whose guidance is evaluated: the hubs a results query can pick, by name. */
export async function evaluatedHubs(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.type, 'business_hub'));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'da'));
}
