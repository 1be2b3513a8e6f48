import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { HttpProblem } from '../../http/problem.ts';
import { hasMessage, type Lang } from '../../http/i18n.ts';
import type { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { isoTime } from '../../lib/rows.ts';
import { abilities, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companySearchWhere } from '../companies/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { hmacToken, installationSecret } from '../system/secrets.ts';
import { industryGroupOf, sizeBandOf, sizeBandWhere } from './groups.ts';
import { questionnaireSchema, validateAnswers, type AnswerSet, type Question } from './questionnaire.ts';
import { computeSurveyResults } from './results.ts';
import { surveyBody, surveyChangeBody, type PublicAnswer, type Segment, type SegmentCount, type Survey, type SurveyInput } from './schemas.ts';
import { surveyInvitations, surveyResponses, surveys, type SurveyPurpose, type SurveyStatus } from './schema.ts';
import { hashToken } from '../../lib/hashing.ts';

const SECRET_KEY = 'survey-link-secret';
type Links = { publicUrl: string };

/*
 * A personal link's token is an HMAC (installation secret) of the invitation's random id: never
 * guessable, stored only hashed, and re-derived for a reminder instead of being kept.
 */

export const answerPath = (token: string) => `/undersoegelser/svar/${token}`;
export const publicLinkPath = (token: string) => `/undersoegelser/link/${token}`;

type SurveyRow = {
  id: string;
  organisation_id: string;
  organisation_name: string;
  title: string;
  purpose: SurveyPurpose;
  intro: string;
  questions: Question[] | string;
  status: SurveyStatus;
  attach_to_company: boolean;
  shared: boolean;
  public_token: string | null;
  event_id: string | null;
  reminder_round: number;
  created_at: Date;
  opened_at: Date | null;
  closed_at: Date | null;
  invited: number;
  responses: number;
};

export interface SurveyRecord {
  id: string;
  organisationId: string;
  organisationName: string;
  title: string;
  purpose: SurveyPurpose;
  intro: string;
  questions: Question[];
  status: SurveyStatus;
  attachToCompany: boolean;
  shared: boolean;
  publicToken: string | null;
  eventId: string | null;
  reminderRound: number;
  createdAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
  invited: number;
  responses: number;
}

const surveySelect = sql`
  SELECT s.id, s.organisation_id, o.name AS organisation_name, s.title, s.purpose, s.intro, s.questions, s.status, s.attach_to_company,
    s.shared, s.public_token, s.event_id, s.reminder_round, s.created_at, s.opened_at, s.closed_at,
    (SELECT count(*)::int FROM survey_invitations i WHERE i.survey_id = s.id) AS invited,
    (SELECT count(*)::int FROM survey_responses r WHERE r.survey_id = s.id) AS responses
  FROM surveys s JOIN organisations o ON o.id = s.organisation_id`;

function record(r: SurveyRow): SurveyRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    title: r.title,
    purpose: r.purpose,
    intro: r.intro,
    questions: typeof r.questions === 'string' ? JSON.parse(r.questions) : r.questions,
    status: r.status,
    attachToCompany: r.attach_to_company,
    shared: r.shared,
    publicToken: r.public_token,
    eventId: r.event_id,
    reminderRound: Number(r.reminder_round),
    createdAt: new Date(r.created_at),
    openedAt: r.opened_at ? new Date(r.opened_at) : null,
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    invited: Number(r.invited),
    responses: Number(r.responses),
  };
}

export async function findSurvey(db: Db, id: string): Promise<SurveyRecord | undefined> {
  const [row] = (await db.execute<SurveyRow>(sql`${surveySelect} WHERE s.id = ${id}`)).rows;
  return row ? record(row) : undefined;
}

/** The caller's organisation's surveys, and other organisations' shared surveys that are closed (their results). */
export async function listSurveys(db: Db, actor: Actor): Promise<SurveyRecord[]> {
  const rows = (await db.execute<SurveyRow>(sql`${surveySelect}
    WHERE s.organisation_id = ${actor.organisationId} OR (s.shared AND s.status = 'closed')
    ORDER BY (s.organisation_id = ${actor.organisationId}) DESC, s.created_at DESC LIMIT 200`)).rows;
  return rows.map(record);
}

export function presentSurvey(actor: Actor, s: SurveyRecord): Survey {
  const own = policy.survey.read(actor, s);
  return {
    id: s.id,
    title: s.title,
    purpose: s.purpose,
    intro: s.intro,
    questions: s.questions,
    status: s.status,
    attachToCompany: s.attachToCompany,
    shared: s.shared,
    publicPath: own && s.publicToken ? publicLinkPath(s.publicToken) : null,
    eventId: s.eventId,
    organisation: { id: s.organisationId, name: s.organisationName },
    // Counts of the owner's own sending; anyone else reads the protected results.
    invited: own ? s.invited : null,
    responses: own ? s.responses : null,
    reminderRound: s.reminderRound,
    createdAt: s.createdAt.toISOString(),
    openedAt: isoTime(s.openedAt),
    closedAt: isoTime(s.closedAt),
    abilities: abilities.survey(actor, { organisation: { id: s.organisationId }, shared: s.shared, status: s.status }),
  };
}

/** Validates a body for callers other than the routes (which validate first): field errors as a 400, never a 500. */
function parseBody<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new HttpProblem(400, 'validation.failed', {}, parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', key: hasMessage(i.message) ? i.message : 'invalidFormat' })));
}

const newPublicToken = () => randomBytes(18).toString('base64url');

/**
 * Creates a draft survey owned by the actor's organisation. `input` is the POST body (validated here
 * too, so another module — the events' evaluation — may call it directly).
 */
export async function createSurvey(db: Db, actor: Actor, input: SurveyInput): Promise<string> {
  if (!policy.survey.create(actor)) throw new HttpProblem(403, 'problem.403');
  const body = parseBody(surveyBody, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveys)
      .values({
        organisationId: actor.organisationId,
        title: body.title,
        purpose: body.purpose,
        intro: body.intro,
        questions: body.questions,
        attachToCompany: body.attachToCompany,
        shared: body.shared,
        publicToken: body.publicLink ? newPublicToken() : null,
        eventId: body.eventId ?? null,
        createdBy: actor.userId,
      })
      .returning({ id: surveys.id });
    await audit(tx, actor, { action: 'create', entity: 'survey', entityId: row!.id, details: { title: body.title, purpose: body.purpose, eventId: body.eventId ?? null } });
    return row!.id;
  });
}

/** Changes a survey; its questions only while it is a draft (answers already given were to the questions as they were). */
export async function changeSurvey(db: Db, actor: Actor, survey: SurveyRecord, input: unknown, now: Date): Promise<void> {
  const body = parseBody(surveyChangeBody, input);
  if (body.questions && survey.status !== 'draft') throw new HttpProblem(409, 'survey.questionsFixed');
  // Sending chose its companies by the purpose (advertising-protected ones only for an analysis), and reminders go on under it.
  if (body.purpose !== undefined && body.purpose !== survey.purpose && survey.status !== 'draft') throw new HttpProblem(409, 'survey.purposeFixed');
  const set: SQL[] = [sql`updated_at = ${now.toISOString()}::timestamptz`];
  if (body.title !== undefined) set.push(sql`title = ${body.title}`);
  if (body.purpose !== undefined) set.push(sql`purpose = ${body.purpose}`);
  if (body.intro !== undefined) set.push(sql`intro = ${body.intro}`);
  if (body.questions !== undefined) set.push(sql`questions = ${JSON.stringify(questionnaireSchema.parse(body.questions))}::jsonb`);
  if (body.attachToCompany !== undefined) set.push(sql`attach_to_company = ${body.attachToCompany}`);
  if (body.shared !== undefined) set.push(sql`shared = ${body.shared}`);
  if (body.eventId !== undefined) set.push(sql`event_id = ${body.eventId}`);
  if (body.publicLink === true && !survey.publicToken) set.push(sql`public_token = ${newPublicToken()}`);
  if (body.publicLink === false) set.push(sql`public_token = NULL`);
  await db.transaction(async (tx) => {
    // Still a draft when the questions or purpose change: a concurrent send or answer must not mix in.
    const fixed = body.questions !== undefined || (body.purpose !== undefined && body.purpose !== survey.purpose);
    const changed = (await tx.execute(sql`UPDATE surveys SET ${sql.join(set, sql`, `)} WHERE id = ${survey.id} ${fixed ? sql`AND status = 'draft'` : sql``} RETURNING id`)).rows;
    if (changed.length === 0) throw new HttpProblem(409, body.questions !== undefined ? 'survey.questionsFixed' : 'survey.purposeFixed');
    await audit(tx, actor, { action: 'update', entity: 'survey', entityId: survey.id, details: { fields: Object.keys(body) } });
  });
}

/** Opens a draft for answers, or closes an open survey (no more answers; other organisations may then read shared results). */
export async function setSurveyStatus(db: Db, actor: Actor, survey: SurveyRecord, status: 'open' | 'closed', now: Date): Promise<void> {
  if (status === 'open' && survey.status !== 'draft') throw new HttpProblem(409, 'survey.notDraft');
  if (status === 'closed' && survey.status === 'closed') throw new HttpProblem(409, 'survey.closed');
  await db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE surveys SET status = ${status}, updated_at = ${now.toISOString()}::timestamptz,
      ${status === 'open' ? sql`opened_at = ${now.toISOString()}::timestamptz` : sql`closed_at = ${now.toISOString()}::timestamptz, opened_at = coalesce(opened_at, ${now.toISOString()}::timestamptz)`}
      WHERE id = ${survey.id}`);
    await audit(tx, actor, { action: status === 'open' ? 'open' : 'close', entity: 'survey', entityId: survey.id });
  });
}

// ————— Sending —————

/**
 * The segment's companies, each with how sending treats it: the organisation's own contact with an
 * e-mail address (the register holds none), left out if advertising-protected and the purpose does
 * not allow it, if the company or that address said no to the organisation's surveys, or if already invited.
 */
async function segmentRows(db: Db, actor: Actor, survey: SurveyRecord, segment: Segment) {
  const search = await companySearchWhere(db, { municipality: segment.municipality, industry: segment.industry });
  const extra: SQL[] = [];
  if (segment.sizeBands?.length) extra.push(sizeBandWhere(segment.sizeBands));
  if (segment.status) extra.push(sql`upper(c.status) = upper(${segment.status})`);
  const where = search ? sql`${search.where}${extra.length ? sql` AND ${sql.join(extra, sql` AND `)}` : sql``}` : sql`WHERE FALSE`;
  const allowProtected = survey.purpose === 'analysis';
  return (await db.execute<{ cvr: string; email: string | null; name: string | null; outcome: 'protected' | 'objected' | 'noEmail' | 'invited' | 'invite' }>(sql`
    WITH seg AS (SELECT c.cvr, c.advertising_protected FROM companies c ${where} LIMIT 50000),
    mail AS (
      SELECT DISTINCT ON (ct.company_cvr) ct.company_cvr AS cvr, lower(ct.email) AS email, ct.name
      FROM contacts ct JOIN seg ON seg.cvr = ct.company_cvr
      WHERE ct.organisation_id = ${actor.organisationId} AND ct.email IS NOT NULL AND ct.email <> '' AND ct.erased_at IS NULL
      ORDER BY ct.company_cvr, ct.created_at)
    SELECT seg.cvr, m.email, m.name,
      CASE WHEN seg.advertising_protected AND NOT ${allowProtected} THEN 'protected'
        WHEN EXISTS (SELECT 1 FROM survey_objections so WHERE so.organisation_id = ${actor.organisationId} AND (so.company_cvr = seg.cvr OR so.email = m.email)) THEN 'objected'
        WHEN m.email IS NULL THEN 'noEmail'
        WHEN EXISTS (SELECT 1 FROM survey_invitations i WHERE i.survey_id = ${survey.id} AND (i.company_cvr = seg.cvr OR i.email = m.email)) THEN 'invited'
        ELSE 'invite' END AS outcome
    FROM seg LEFT JOIN mail m ON m.cvr = seg.cvr
    ORDER BY seg.cvr`)).rows;
}

export async function countSegment(db: Db, actor: Actor, survey: SurveyRecord, segment: Segment): Promise<SegmentCount> {
  const rows = await segmentRows(db, actor, survey, segment);
  const n = (o: string) => rows.filter((r) => r.outcome === o).length;
  return { companies: rows.length, advertisingProtected: n('protected'), objected: n('objected'), withoutEmail: n('noEmail'), alreadyInvited: n('invited'), willInvite: n('invite') };
}

/** Sends the survey to the segment's companies that may be asked (see `segmentRows`); audited with the segment. */
export async function sendToSegment(db: Db, actor: Actor, survey: SurveyRecord, segment: Segment, links?: Links): Promise<number> {
  const rows = (await segmentRows(db, actor, survey, segment)).filter((r) => r.outcome === 'invite');
  const invited = await inviteRecipients(db, actor, survey.id, rows.map((r) => ({ email: r.email!, name: r.name ?? undefined, companyCvr: r.cvr })), links);
  await audit(db, actor, { action: 'send', entity: 'survey', entityId: survey.id, details: { segment, invited } });
  return invited;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invitationMail(links: Links, token: string, survey: SurveyRecord, reminder: boolean) {
  const url = `${links.publicUrl}${answerPath(token)}`;
  return {
    subject: `${reminder ? 'Påmindelse: ' : ''}${survey.title} (${survey.organisationName})`,
    text:
      `${reminder ? 'En venlig påmindelse: vi mangler stadig dit svar.\n\n' : ''}${survey.organisationName} beder om din virksomheds svar på spørgeskemaet "${survey.title}".\n\n` +
      `${survey.intro ? `${survey.intro}\n\n` : ''}${url}\n\nLinket er personligt og kan bruges én gang.\n\n` +
      `Ønsker du ikke flere spørgeskemaer fra ${survey.organisationName}, kan du framelde dig her: ${url}/afmeld\n\n` +
      `— In English: ${survey.organisationName} asks your company to answer the survey "${survey.title}" at the personal link above (it works once).\n`,
  };
}

/**
 * Invites recipients by personal single-use links, mailed through the outbox in the transaction that
 * stores the invitations; opens a draft survey. Skips addresses already invited to the survey and
 * those (or companies) that said no to the organisation's surveys. The number invited.
 * The events module calls this for its post-event evaluation.
 */
export async function inviteRecipients(db: Db, actor: Actor, surveyId: string, recipients: { email: string; name?: string; companyCvr?: string | null }[], links: Links = loadConfig()): Promise<number> {
  const survey = await findSurvey(db, surveyId);
  if (!survey || !policy.survey.read(actor, survey)) throw new HttpProblem(404, 'survey.notFound');
  if (!policy.survey.manage(actor, survey)) throw new HttpProblem(403, 'problem.403');
  if (survey.status === 'closed') throw new HttpProblem(409, 'survey.closed');
  const seen = new Set<string>();
  const wanted = recipients
    .map((r) => ({ ...r, email: r.email.trim().toLowerCase() }))
    .filter((r) => EMAIL.test(r.email) && !seen.has(r.email) && seen.add(r.email));
  if (wanted.length === 0) return 0;
  const secret = await installationSecret(db, SECRET_KEY);
  return db.transaction(async (tx) => {
    if (survey.status === 'draft') await tx.execute(sql`UPDATE surveys SET status = 'open', opened_at = now(), updated_at = now() WHERE id = ${survey.id}`);
    const objected = new Set(
      (await tx.execute<{ email: string; company_cvr: string | null }>(sql`SELECT email, company_cvr FROM survey_objections WHERE organisation_id = ${survey.organisationId}`)).rows.flatMap((o) => [o.email, o.company_cvr ? `cvr:${o.company_cvr}` : '']),
    );
    const allowed = wanted.filter((r) => !objected.has(r.email) && !(r.companyCvr && objected.has(`cvr:${r.companyCvr}`)));
    let invited = 0;
    for (let i = 0; i < allowed.length; i += 500) {
      const chunk = allowed.slice(i, i + 500).map((r) => {
        const id = crypto.randomUUID();
        const token = hmacToken(secret, id);
        return { row: { id, surveyId: survey.id, email: r.email, name: r.name ?? null, companyCvr: r.companyCvr ?? null, tokenHash: hashToken(token) }, token };
      });
      const inserted = await tx.insert(surveyInvitations).values(chunk.map((c) => c.row)).onConflictDoNothing().returning({ id: surveyInvitations.id });
      const ids = new Set(inserted.map((r) => r.id));
      for (const c of chunk) {
        if (!ids.has(c.row.id)) continue;
        await queueMail(tx, { to: c.row.email, dedupeKey: `survey.invite:${c.row.id}`, ...invitationMail(links, c.token, survey, false) });
        invited++;
      }
    }
    await audit(tx, actor, { action: 'invite', entity: 'survey', entityId: survey.id, details: { invited } });
    return invited;
  });
}

/** Each round mails everyone who has not answered; more than a few would be a flood, not a reminder. */
export const MAX_REMINDER_ROUNDS = 3;

/** A reminder round: one mail to every invitation not answered yet, at most once per round, at most `MAX_REMINDER_ROUNDS` rounds. */
export async function sendReminders(db: Db, actor: Actor, survey: SurveyRecord, links: Links = loadConfig()): Promise<{ reminded: number; round: number }> {
  if (survey.status !== 'open') throw new HttpProblem(409, 'survey.notOpen');
  if (survey.reminderRound >= MAX_REMINDER_ROUNDS) throw new HttpProblem(409, 'survey.tooManyReminders', { maximum: MAX_REMINDER_ROUNDS });
  const secret = await installationSecret(db, SECRET_KEY);
  return db.transaction(async (tx) => {
    const [bumped] = (await tx.execute<{ round: number }>(sql`UPDATE surveys SET reminder_round = reminder_round + 1
      WHERE id = ${survey.id} AND status = 'open' AND reminder_round < ${MAX_REMINDER_ROUNDS} RETURNING reminder_round AS round`)).rows;
    if (!bumped) throw new HttpProblem(409, 'survey.tooManyReminders', { maximum: MAX_REMINDER_ROUNDS });
    const { round } = bumped;
    const due = (await tx.execute<{ id: string; email: string }>(sql`
      UPDATE survey_invitations SET reminded_round = ${round}
      WHERE survey_id = ${survey.id} AND answered_at IS NULL AND reminded_round < ${round}
        AND NOT EXISTS (SELECT 1 FROM survey_objections so WHERE so.organisation_id = ${survey.organisationId} AND (so.email = survey_invitations.email OR so.company_cvr = survey_invitations.company_cvr))
      RETURNING id, email`)).rows;
    for (const invitation of due) {
      await queueMail(tx, { to: invitation.email, dedupeKey: `survey.reminder:${invitation.id}:${round}`, ...invitationMail(links, hmacToken(secret, invitation.id), survey, true) });
    }
    await audit(tx, actor, { action: 'remind', entity: 'survey', entityId: survey.id, details: { round, reminded: due.length } });
    return { reminded: due.length, round: Number(round) };
  });
}

// ————— Answering (public) —————

type InvitationRow = {
  id: string;
  survey_id: string;
  email: string;
  company_cvr: string | null;
  answered_at: Date | null;
};

async function invitationByToken(db: Db, token: string) {
  const [row] = (await db.execute<InvitationRow>(sql`SELECT id, survey_id, email, company_cvr, answered_at FROM survey_invitations WHERE token_hash = ${hashToken(token)}`)).rows;
  return row;
}

function publicView(s: SurveyRecord) {
  return { title: s.title, intro: s.intro, organisation: s.organisationName, questions: s.questions, attachToCompany: s.attachToCompany };
}

/** What the answer page shows for a personal link: the survey, or why it cannot be answered. */
export async function lookupToken(db: Db, token: string) {
  const invitation = await invitationByToken(db, token);
  const survey = invitation && (await findSurvey(db, invitation.survey_id));
  if (!invitation || !survey) return { state: 'unknown' as const, survey: null };
  const state = invitation.answered_at ? ('answered' as const) : survey.status !== 'open' ? ('closed' as const) : ('open' as const);
  return { state, survey: state === 'open' ? { ...publicView(survey), attachToCompany: survey.attachToCompany && !!invitation.company_cvr } : null };
}

export async function lookupPublicLink(db: Db, publicToken: string) {
  const survey = await surveyByPublicToken(db, publicToken);
  if (!survey) return { state: 'unknown' as const, survey: null };
  return { state: survey.status === 'open' ? ('open' as const) : ('closed' as const), survey: survey.status === 'open' ? { ...publicView(survey), attachToCompany: false } : null };
}

async function surveyByPublicToken(db: Db, publicToken: string) {
  const [row] = (await db.execute<{ id: string }>(sql`SELECT id FROM surveys WHERE public_token = ${publicToken}`)).rows;
  return row ? findSurvey(db, row.id) : undefined;
}

function checkAnswers(survey: SurveyRecord, answers: Record<string, unknown>): AnswerSet {
  const checked = validateAnswers(survey.questions, answers);
  if (!checked.ok) throw new HttpProblem(400, 'validation.failed', {}, checked.issues);
  return checked.answers;
}

async function companyGroups(db: Db, cvr: string | null) {
  if (!cvr) return { industryGroup: null, sizeBand: null };
  const [c] = (await db.execute<{ industry_code: string | null; employees: number | null }>(sql`SELECT industry_code, employees FROM companies WHERE cvr = ${cvr}`)).rows;
  return { industryGroup: industryGroupOf(c?.industry_code), sizeBand: sizeBandOf(c?.employees) };
}

/**
 * Holds the survey open for the rest of the answer's transaction: a close waits for it, and an answer
 * that comes after a close is refused, so results read once closed stay as they were read.
 */
async function lockOpen(tx: Db, surveyId: string) {
  const [row] = (await tx.execute<{ status: SurveyStatus }>(sql`SELECT status FROM surveys WHERE id = ${surveyId} FOR SHARE`)).rows;
  if (row?.status !== 'open') throw new HttpProblem(410, 'survey.closedForAnswers');
}

/**
 * An answer through a personal link: refused when the link is unknown (404), the survey not open
 * (410), the link used (409) or the answers do not fit the questions (400); else stored once — the
 * conditional update is the single-use guard, so of concurrent submissions exactly one wins.
 */
export async function answerByToken(db: Db, token: string, body: PublicAnswer, now: Date): Promise<void> {
  const invitation = await invitationByToken(db, token);
  const survey = invitation && (await findSurvey(db, invitation.survey_id));
  if (!invitation || !survey) throw new HttpProblem(404, 'survey.unknownLink');
  if (survey.status !== 'open') throw new HttpProblem(410, 'survey.closedForAnswers');
  if (invitation.answered_at) throw new HttpProblem(409, 'survey.alreadyAnswered');
  const answers = checkAnswers(survey, body.answers);
  const groups = await companyGroups(db, invitation.company_cvr);
  const attached = survey.attachToCompany && body.attachToCompany === true && !!invitation.company_cvr;
  await db.transaction(async (tx) => {
    await lockOpen(tx, survey.id);
    const claimed = (await tx.execute(sql`UPDATE survey_invitations SET answered_at = ${now.toISOString()}::timestamptz WHERE id = ${invitation.id} AND answered_at IS NULL RETURNING id`)).rows;
    if (claimed.length === 0) throw new HttpProblem(409, 'survey.alreadyAnswered');
    await tx.insert(surveyResponses).values({ surveyId: survey.id, invitationId: invitation.id, companyCvr: invitation.company_cvr, ...groups, answers, attached, source: 'link', createdAt: now });
    await audit(tx, null, { action: 'answer', entity: 'survey', entityId: survey.id, companyCvr: attached ? invitation.company_cvr : null, holders: [survey.organisationId] });
  });
}

/** An answer through the public link: no company; the same Idempotency-Key answers once (true: stored now). */
export async function answerPublicLink(db: Db, publicToken: string, key: string, body: PublicAnswer, now: Date): Promise<boolean> {
  const survey = await surveyByPublicToken(db, publicToken);
  if (!survey) throw new HttpProblem(404, 'survey.unknownLink');
  if (survey.status !== 'open') throw new HttpProblem(410, 'survey.closedForAnswers');
  const answers = checkAnswers(survey, body.answers);
  return db.transaction(async (tx) => {
    await lockOpen(tx, survey.id);
    const inserted = await tx
      .insert(surveyResponses)
      .values({ surveyId: survey.id, idempotencyKey: key, answers, source: 'public', createdAt: now })
      .onConflictDoNothing()
      .returning({ id: surveyResponses.id });
    if (inserted.length > 0) await audit(tx, null, { action: 'answer', entity: 'survey', entityId: survey.id, details: { via: 'public' }, holders: [survey.organisationId] });
    return inserted.length > 0;
  });
}

/** "Afmeld": the recipient says no to the organisation's surveys; later segments and reminders leave it out. */
export async function objectByToken(db: Db, token: string): Promise<void> {
  const invitation = await invitationByToken(db, token);
  const survey = invitation && (await findSurvey(db, invitation.survey_id));
  if (!invitation || !survey) throw new HttpProblem(404, 'survey.unknownLink');
  await db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO survey_objections (organisation_id, email, company_cvr) VALUES (${survey.organisationId}, ${invitation.email}, ${invitation.company_cvr}) ON CONFLICT DO NOTHING`);
    await audit(tx, null, { action: 'object', entity: 'survey', entityId: survey.id, companyCvr: invitation.company_cvr, holders: [survey.organisationId] });
  });
}

// ————— Results —————

export async function surveyResults(db: Db, actor: Actor, survey: SurveyRecord, question: string | undefined, lang: Lang) {
  const protect = policy.survey.disclosureControl(actor, survey);
  const rows = (await db.execute<{ answers: AnswerSet | string; industry_group: string | null; size_band: string | null }>(sql`
    SELECT answers, industry_group, size_band FROM survey_responses WHERE survey_id = ${survey.id} ORDER BY created_at DESC`)).rows.map((r) => ({
    answers: typeof r.answers === 'string' ? (JSON.parse(r.answers) as AnswerSet) : r.answers,
    industryGroup: r.industry_group,
    sizeBand: r.size_band,
  }));
  const [counts] = (await db.execute<{ invited: number; answered: number }>(sql`
    SELECT count(*)::int AS invited, count(answered_at)::int AS answered FROM survey_invitations WHERE survey_id = ${survey.id}`)).rows;
  const showTexts = policy.survey.answers(actor, survey);
  const results = computeSurveyResults({
    questions: survey.questions,
    rows,
    invited: Number(counts?.invited ?? 0),
    answeredInvitations: Number(counts?.answered ?? 0),
    protect,
    showTexts,
    breakdownQuestion: question,
    lang,
  });
  return { survey: { id: survey.id, title: survey.title, status: survey.status, organisation: { id: survey.organisationId, name: survey.organisationName } }, ...results };
}

/** The answers attached to companies' records (the survey attaches and the respondent agreed); each company's read audited. */
export async function attachedResponses(db: Db, actor: Actor, survey: SurveyRecord) {
  const rows = (await db.execute<{ id: string; company_cvr: string; name: string | null; answers: AnswerSet | string; created_at: Date }>(sql`
    SELECT r.id, r.company_cvr, c.name, r.answers, r.created_at FROM survey_responses r JOIN companies c ON c.cvr = r.company_cvr
    WHERE r.survey_id = ${survey.id} AND r.attached ORDER BY c.name, r.created_at LIMIT 1000`)).rows;
  await db.transaction(async (tx) => {
    for (const r of rows) await audit(tx, actor, { action: 'read', entity: 'survey_response', entityId: r.id, companyCvr: r.company_cvr, details: { surveyId: survey.id } });
  });
  return rows.map((r) => ({ id: r.id, company: { cvr: r.company_cvr, name: r.name }, answers: typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers, createdAt: isoTime(r.created_at)! }));
}
