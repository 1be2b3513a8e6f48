import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import type { Lang } from '../../http/i18n.ts';
import { pageOf, pageWindow, type Paging } from '../../lib/paging.ts';
import { isoTime } from '../../lib/rows.ts';
import { deadlineAfter, deadlineText, isOverdue } from '../../lib/working-days.ts';
import { leadVisible, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { queueMail } from '../mail/outbox.ts';
import { offers } from '../offers/schema.ts';
import { assess, questionnaires } from '../offers/self-assessment.ts';
import { users } from '../users/schema.ts';
import { guidanceRequests, type LeadStatus } from './schema.ts';

/** Working days the local business service has to get back to the company. */
export const RESPONSE_DAYS = 2;

export interface GuidanceRequestInput {
  cvr?: string | undefined;
  noCvr: boolean;
  companyName?: string | undefined;
  municipalityCode?: number | undefined;
  contact: { name: string; email: string; phone?: string | undefined };
  need: string;
  themes: string[];
  consents: { sharing: boolean; evaluation: boolean };
  selfAssessment?: { key: 'digital' | 'export' | 'green'; answers: Record<string, number> } | undefined;
  offerId?: string | undefined;
}

/** The receipt the company sees: who will answer, and by when. */
export async function receiptOf(db: Db, id: string) {
  const [row] = (await db.execute<{ id: string; created_at: Date; name: string; due_on: string }>(sql`
    SELECT g.id, g.created_at, o.name, to_char(g.due_on, 'YYYY-MM-DD') AS due_on FROM guidance_requests g JOIN organisations o ON o.id = g.organisation_id WHERE g.id = ${id}`)).rows;
  return { id: row!.id, receivedAt: isoTime(row!.created_at)!, organisation: { name: row!.name }, dueOn: row!.due_on };
}

/** JSON with every object's keys sorted, so the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the request as validated (trimmed, defaults filled in), in canonical JSON. */
export function requestHashOf(input: GuidanceRequestInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * The lead an Idempotency-Key already made, if any. The same key with another body is refused (422):
 * it is a different request, and must not be answered with the first one's receipt. Leads stored
 * before bodies were hashed (no hash) keep answering with their receipt.
 */
export async function leadIdForKey(db: Db, key: string, requestHash: string): Promise<string | undefined> {
  const [row] = await db.select({ id: guidanceRequests.id, requestHash: guidanceRequests.requestHash }).from(guidanceRequests).where(eq(guidanceRequests.idempotencyKey, key));
  if (row && row.requestHash !== null && row.requestHash !== requestHash) throw new HttpProblem(422, 'guidance.idempotencyKeyReused');
  return row?.id;
}

/**
 * Scores a self-assessment sent along with a request on the server: the lead shows the level the
 * answers give, whatever the browser claimed.
 */
function scoredSelfAssessment(input: NonNullable<GuidanceRequestInput['selfAssessment']>) {
  const questionnaire = questionnaires.find((q) => q.key === input.key)!;
  const missing = questionnaire.questions.find((q) => input.answers[q.id] === undefined);
  if (missing) throw fieldProblem(`selfAssessment.answers.${missing.id}`, 'required');
  const { score, maxScore, level } = assess(questionnaire, input.answers, 'da');
  return { key: input.key, answers: input.answers, score, maxScore, level };
}

/** The local business service of a municipality, which receives its leads, and the hub that sees them too. */
export async function receiverOf(db: Db, municipalityCode: number) {
  const [row] = (await db.execute<{ lbs: string; hub_id: string; name: string }>(sql`
    SELECT o.id AS lbs, m.hub_id, o.name FROM municipalities m JOIN organisations o ON o.key = 'lbs:' || m.code WHERE m.code = ${municipalityCode}`)).rows;
  return row;
}

/** Where the lead lands: the local business service of the municipality, and that municipality's hub. */
async function receiverFor(db: Db, input: GuidanceRequestInput) {
  if (!input.cvr && !input.noCvr) throw fieldProblem('cvr', 'guidance.cvrOrNone');
  const [company] = input.cvr
    ? await db.select({ cvr: companies.cvr, name: companies.name, municipalityCode: companies.municipalityCode }).from(companies).where(eq(companies.cvr, input.cvr))
    : [];
  // A newly registered company may not be in Knudepunkt's copy of the register yet: it may then name its municipality.
  if (input.cvr && !company && !input.municipalityCode) throw fieldProblem('cvr', 'guidance.cvrUnknown', { cvr: input.cvr });
  const municipalityCode = company?.municipalityCode ?? input.municipalityCode;
  if (!municipalityCode) throw fieldProblem('municipalityCode', 'guidance.municipalityRequired');
  const target = await receiverOf(db, municipalityCode);
  if (!target) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });
  return { company, municipalityCode, target };
}

/**
 * Stores a request as a lead, records the consents the company chose and queues the receipt mail,
 * all in one transaction. Returns null when a concurrent submission with the same key got there first.
 */
export async function submitGuidanceRequest(db: Db, now: Date, key: string, input: GuidanceRequestInput, requestHash: string = requestHashOf(input)): Promise<string | null> {
  const { company, municipalityCode, target } = await receiverFor(db, input);
  const selfAssessment = input.selfAssessment ? scoredSelfAssessment(input.selfAssessment) : null;
  const dueOn = deadlineAfter(now, RESPONSE_DAYS);
  if (input.offerId) {
    const [offer] = await db.select({ id: offers.id }).from(offers).where(and(eq(offers.id, input.offerId), eq(offers.status, 'published')));
    if (!offer) throw fieldProblem('offerId', 'offer.notFound');
  }
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(guidanceRequests)
      .values({
        idempotencyKey: key,
        requestHash,
        companyCvr: company?.cvr ?? null,
        companyName: company?.name ?? input.companyName ?? null,
        municipalityCode,
        organisationId: target.lbs,
        hubId: target.hub_id,
        contactName: input.contact.name,
        contactEmail: input.contact.email,
        contactPhone: input.contact.phone ?? null,
        need: input.need,
        themes: input.themes,
        consentSharing: input.consents.sharing,
        consentEvaluation: input.consents.evaluation,
        selfAssessment,
        offerId: input.offerId ?? null,
        dueOn,
        createdAt: now,
      })
      .onConflictDoNothing({ target: guidanceRequests.idempotencyKey })
      .returning({ id: guidanceRequests.id });
    if (inserted.length === 0) return null;
    const leadId = inserted[0]!.id;
    if (company) {
      // The company's consents, given on the web, recorded against the person who asked.
      const system = (await tx.select({ id: users.id }).from(users).where(eq(users.organisationId, target.lbs)).limit(1))[0];
      const [contact] = system
        ? await tx
            .insert(contacts)
            .values({ companyCvr: company.cvr, organisationId: target.lbs, name: input.contact.name, email: input.contact.email, phone: input.contact.phone ?? null, createdBy: system.id })
            .returning({ id: contacts.id })
        : [];
      // Anyone can type a CVR number into the form: the consents wait for an adviser's confirmation.
      for (const purpose of (['sharing', 'evaluation'] as const).filter((p) => input.consents[p])) {
        await tx.insert(consents).values({
          companyCvr: company.cvr,
          purpose,
          scope: 'all',
          givenByContactId: contact?.id ?? null,
          givenByName: input.contact.name,
          givenAt: now,
          channel: 'web',
          recordedByOrganisationId: target.lbs,
          awaitingConfirmation: true,
          guidanceRequestId: leadId,
        });
      }
    }
    await queueMail(tx, {
      to: input.contact.email,
      dedupeKey: `guidance.receipt:${leadId}`,
      subject: 'Vi har modtaget din henvendelse / We have received your request',
      text:
        `Tak for din henvendelse om vejledning. ${target.name} vender tilbage senest ${deadlineText(dueOn, 'da')}.\nReference: ${leadId}\n\n` +
        `Thank you for your request. ${target.name} will get back to you by ${deadlineText(dueOn, 'en')} at the latest.\nReference: ${leadId}\n`,
    });
    await audit(tx, null, { action: 'create', entity: 'guidance_request', entityId: leadId, companyCvr: company?.cvr ?? null });
    return leadId;
  });
}

type LeadRow = Record<string, unknown> & { self_assessment: { key: string; level: string; score: number; maxScore: number } | null };

const leadSelect = sql`
  SELECT g.id, g.company_cvr, g.company_name, g.municipality_code, m.name AS municipality_name, g.organisation_id, o.name AS organisation_name,
    g.contact_name, g.contact_email, g.contact_phone, g.need, g.themes, g.consent_sharing, g.consent_evaluation, g.self_assessment,
    g.offer_id, f.title AS offer_title, g.status, to_char(g.due_on, 'YYYY-MM-DD') AS due_on, g.created_at, g.handled_at, u.name AS handled_by_name, g.version,
    EXISTS (SELECT 1 FROM consents sc WHERE sc.guidance_request_id = g.id AND sc.awaiting_confirmation AND sc.withdrawn_at IS NULL) AS consents_awaiting
  FROM guidance_requests g
  JOIN organisations o ON o.id = g.organisation_id
  JOIN municipalities m ON m.code = g.municipality_code
  LEFT JOIN offers f ON f.id = g.offer_id
  LEFT JOIN users u ON u.id = g.handled_by`;

function leadView(r: LeadRow, now: Date, lang: Lang) {
  const sa = r.self_assessment;
  const questionnaire = sa ? questionnaires.find((q) => q.key === sa.key) : undefined;
  return {
    id: r.id as string,
    company: r.company_cvr ? { cvr: r.company_cvr as string, name: (r.company_name as string | null) ?? '' } : null,
    companyName: r.company_name as string | null,
    municipality: { code: Number(r.municipality_code), name: r.municipality_name as string },
    organisation: { id: r.organisation_id as string, name: r.organisation_name as string },
    contact: { name: r.contact_name as string, email: r.contact_email as string, phone: r.contact_phone as string | null },
    need: r.need as string,
    themes: r.themes as string[],
    consents: { sharing: r.consent_sharing as boolean, evaluation: r.consent_evaluation as boolean, awaitingConfirmation: r.consents_awaiting as boolean },
    selfAssessment: sa && questionnaire ? { key: sa.key, title: questionnaire.title[lang], level: sa.level, score: sa.score, maxScore: sa.maxScore } : null,
    offer: r.offer_id ? { id: r.offer_id as string, title: r.offer_title as string } : null,
    status: r.status as LeadStatus,
    dueOn: r.due_on as string,
    overdue: r.status === 'new' && isOverdue(r.due_on as string, now),
    createdAt: isoTime(r.created_at as Date)!,
    handledBy: r.handled_by_name ? { name: r.handled_by_name as string, at: isoTime(r.handled_at as Date) } : null,
    version: Number(r.version),
  };
}

export async function listLeads(db: Db, actor: Actor, now: Date, lang: Lang, status: LeadStatus | undefined, paging: Paging) {
  const { limit, offset } = pageWindow(paging);
  const rows = (await db.execute<LeadRow>(sql`${leadSelect}
    WHERE ${leadVisible(actor, 'g')} ${status ? sql`AND g.status = ${status}` : sql``}
    ORDER BY g.created_at DESC, g.id LIMIT ${limit} OFFSET ${offset}`)).rows;
  const page = pageOf(rows, paging);
  // Leads carry a person's name, e-mail and phone: reading them is audited.
  await audit(db, actor, { action: 'read', entity: 'guidance_request', details: { count: page.items.length, page: paging.page, status: status ?? null } });
  return { ...page, items: page.items.map((r) => leadView(r, now, lang)) };
}

const nextStatuses: Record<LeadStatus, LeadStatus[]> = { new: ['in_progress', 'closed'], in_progress: ['closed'], closed: [] };

/** Takes a lead (in_progress) or closes it; a stale version or a closed lead is a conflict and changes nothing. */
export async function changeLeadStatus(db: Db, actor: Actor, now: Date, lang: Lang, id: string, to: LeadStatus, version: number) {
  const [row] = (await db.execute<LeadRow>(sql`${leadSelect} WHERE g.id = ${id} AND ${leadVisible(actor, 'g')}`)).rows;
  if (!row) throw notFound('lead.notFound');
  if (!nextStatuses[row.status as LeadStatus].includes(to)) throw conflict('lead.transition', { from: row.status as string, to });
  const updated = await db
    .update(guidanceRequests)
    .set({ status: to, handledBy: actor.userId, handledAt: now, version: sql`${guidanceRequests.version} + 1` })
    .where(and(eq(guidanceRequests.id, id), eq(guidanceRequests.version, version)))
    .returning({ id: guidanceRequests.id });
  if (updated.length === 0) throw conflict('lead.stale');
  await audit(db, actor, { action: 'update', entity: 'guidance_request', entityId: id, companyCvr: (row.company_cvr as string | null) ?? null, details: { status: to } });
  const [fresh] = (await db.execute<LeadRow>(sql`${leadSelect} WHERE g.id = ${id}`)).rows;
  return leadView(fresh!, now, lang);
}

/**
 * An adviser who has been in touch with the company confirms the consents it gave on the web form;
 * from then on they count like any other consent.
 */
export async function confirmLeadConsents(db: Db, actor: Actor, now: Date, lang: Lang, id: string) {
  const [row] = (await db.execute<LeadRow>(sql`${leadSelect} WHERE g.id = ${id} AND ${leadVisible(actor, 'g')}`)).rows;
  if (!row) throw notFound('lead.notFound');
  const confirmed = await db.transaction(async (tx) => {
    // A consent confirmed from the public form belongs to the organisation that confirmed it: it opens that organisation's records only.
    const updated = await tx
      .update(consents)
      .set({ awaitingConfirmation: false, confirmedBy: actor.userId, confirmedAt: now, recordedBy: actor.userId, recordedByOrganisationId: actor.organisationId })
      .where(and(eq(consents.guidanceRequestId, id), eq(consents.awaitingConfirmation, true), isNull(consents.withdrawnAt)))
      .returning({ id: consents.id, purpose: consents.purpose });
    if (updated.length === 0) throw conflict('lead.noConsentsToConfirm');
    await audit(tx, actor, {
      action: 'confirm_consent', entity: 'guidance_request', entityId: id, companyCvr: (row.company_cvr as string | null) ?? null, details: { consents: updated },
      holders: [row.organisation_id as string],
    });
    return updated;
  });
  const [fresh] = (await db.execute<LeadRow>(sql`${leadSelect} WHERE g.id = ${id}`)).rows;
  return { ...leadView(fresh!, now, lang), confirmed: confirmed.map((c) => c.purpose) };
}
