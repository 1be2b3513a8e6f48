import { and, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import type { Lang } from '../../http/i18n.ts';
import { pageOf, pageWindow, type Paging } from '../../lib/paging.ts';
import { isoTime } from '../../lib/rows.ts';
import { danishDate, deadlineAfter, deadlineText, isOverdue } from '../../lib/working-days.ts';
import { abilities, crmVisible, leadVisible, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { createContact } from '../contacts/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { offers } from '../offers/schema.ts';
import { assess, questionnaires } from '../offers/self-assessment.ts';
import { createProspect } from '../prospects/service.ts';
import { shorten } from '../referrals/service.ts';
import { users } from '../users/schema.ts';
import { notificationRecipients } from '../users/service.ts';
import { guidanceRequests, type LeadStatus } from './schema.ts';
import type { LeadSort, LeadSortDirection, leadsQuery, leadStatusBody } from './schemas.ts';
import { canonicalJson, sha256Hex } from '../../lib/hashing.ts';

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
/** SHA-256 of the request as validated (trimmed, defaults filled in), in canonical JSON. */
export function requestHashOf(input: GuidanceRequestInput): string {
  return sha256Hex(canonicalJson(input));
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

/** The web's detail view of a lead: the link in the mail about it. */
export const leadLink = (publicUrl: string, id: string) => `${publicUrl}/henvendelser/${id}`;

/**
 * The mail that tells the receiving organisation's advisers about a new request: who asks (the
 * company; without CVR the planned business or, failing that, the person), the need (shortened), the
 * deadline, and the link that opens this very request. Danish, then English.
 */
export function leadNotice(lead: { organisation: string; company: { cvr: string; name: string | null } | null; companyName: string | null; contactName: string; need: string; dueOn: string; link: string }) {
  // On one line: a name typed into the public form must not break the subject or the text's layout.
  const name = shorten(lead.company ? (lead.company.name ?? `CVR ${lead.company.cvr}`) : (lead.companyName ?? lead.contactName), 120);
  const da = lead.company ? `${name} (CVR ${lead.company.cvr})` : `${name} (uden CVR-nummer)`;
  const en = lead.company ? `${name} (CVR ${lead.company.cvr})` : `${name} (no CVR number)`;
  const need = shorten(lead.need);
  return {
    subject: `Ny henvendelse / New request: ${name}`,
    text:
      `${da} har bedt ${lead.organisation} om vejledning via "Få vejledning".\n\n` +
      `Behov: ${need}\n` +
      `Svarfrist: senest ${deadlineText(lead.dueOn, 'da')}\n\n` +
      `Åbn henvendelsen i Knudepunkt: ${lead.link}\n\n` +
      `---\n` +
      `${en} has asked ${lead.organisation} for guidance through "Get guidance".\n\n` +
      `Need: ${need}\n` +
      `Reply by: ${deadlineText(lead.dueOn, 'en')}\n\n` +
      `Open the request in Knudepunkt: ${lead.link}\n`,
  };
}

/**
 * Stores a request as a lead, records the consents the company chose, and queues the receipt mail and
 * the mail to the receiving organisation's advisers (`notificationRecipients`), all in one transaction.
 * Returns null when a concurrent submission with the same key got there first.
 */
export async function submitGuidanceRequest(
  db: Db,
  now: Date,
  key: string,
  input: GuidanceRequestInput,
  links: { publicUrl: string },
  requestHash: string = requestHashOf(input),
): Promise<string | null> {
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
    const notice = leadNotice({
      organisation: target.name, company: company ? { cvr: company.cvr, name: company.name } : null, companyName: input.companyName || null,
      contactName: input.contact.name, need: input.need, dueOn, link: leadLink(links.publicUrl, leadId),
    });
    for (const recipient of await notificationRecipients(tx, target.lbs, 'leads')) {
      await queueMail(tx, { to: recipient.email, dedupeKey: `guidance.new:${leadId}:${recipient.email}`, ...notice });
    }
    await audit(tx, null, { action: 'create', entity: 'guidance_request', entityId: leadId, companyCvr: company?.cvr ?? null });
    return leadId;
  });
}

type LeadRow = Record<string, unknown> & { self_assessment: { key: string; level: string; score: number; maxScore: number } | null };

/**
 * A lead's columns as `leadView` reads them. The engagement opened from it is named only to whoever
 * may see that engagement (`crmVisible`): an Early Warning case must not show through the lead its hub
 * and the EW team's colleagues see.
 */
const leadSelect = (actor: Actor, now: Date) => sql`
  SELECT g.id, g.company_cvr, g.company_name, g.municipality_code, m.name AS municipality_name, g.organisation_id, o.name AS organisation_name,
    g.contact_name, g.contact_email, g.contact_phone, g.need, g.themes, g.consent_sharing, g.consent_evaluation, g.self_assessment,
    g.offer_id, f.title AS offer_title, g.status, to_char(g.due_on, 'YYYY-MM-DD') AS due_on, g.created_at, g.handled_at, u.name AS handled_by_name, g.version,
    g.outcome, (SELECT e.id FROM engagements e WHERE e.id = g.engagement_id AND ${crmVisible(actor, 'e', now)}) AS engagement_id, g.prospect_id, p.person_name AS prospect_person_name, p.organisation_id AS prospect_organisation_id,
    EXISTS (SELECT 1 FROM consents sc WHERE sc.guidance_request_id = g.id AND sc.awaiting_confirmation AND sc.withdrawn_at IS NULL) AS consents_awaiting
  FROM guidance_requests g
  JOIN organisations o ON o.id = g.organisation_id
  JOIN municipalities m ON m.code = g.municipality_code
  LEFT JOIN offers f ON f.id = g.offer_id
  LEFT JOIN users u ON u.id = g.handled_by
  LEFT JOIN prospects p ON p.id = g.prospect_id`;

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
    overdue: isLeadOverdue(r.status as LeadStatus, r.due_on as string, now),
    createdAt: isoTime(r.created_at as Date)!,
    handledBy: r.handled_by_name ? { name: r.handled_by_name as string, at: isoTime(r.handled_at as Date) } : null,
    outcome: (r.outcome as string | null) ?? null,
    engagement: r.engagement_id ? { id: r.engagement_id as string } : null,
    prospect: r.prospect_id
      ? { id: r.prospect_id as string, personName: r.prospect_person_name as string, organisationId: r.prospect_organisation_id as string }
      : null,
    version: Number(r.version),
  };
}

export type LeadView = ReturnType<typeof leadView>;

/** A lead with what the caller may do with it (`abilities.lead`). */
export const presentLead = <L extends LeadView>(actor: Actor, lead: L) => ({ ...lead, abilities: abilities.lead(actor, lead) });

/** Past its deadline and not taken yet: the one rule behind `overdue` on a lead, for a row read and (below) as SQL; keep the two alike. */
export function isLeadOverdue(status: LeadStatus, dueOn: string, now: Date): boolean {
  return status === 'new' && isOverdue(dueOn, now);
}

/** `isLeadOverdue` as SQL over alias `g`, to filter and sort on. */
export const leadOverdueSql = (now: Date) => sql`(g.status = 'new' AND g.due_on < ${danishDate(now)}::date)`;

function leadOrderSql(sort: LeadSort, dir: LeadSortDirection): SQL {
  const d = sql.raw(dir === 'desc' ? 'DESC' : 'ASC');
  switch (sort) {
    case 'deadline':
      return sql`g.due_on ${d}, g.created_at DESC, g.id`;
    case 'company':
      // The name the list shows: the company's, else the planned business's, else the person's.
      return sql`lower(coalesce(g.company_name, g.contact_name)) ${d}, g.created_at DESC, g.id`;
    case 'status':
      // In the order a lead passes them, not alphabetically.
      return sql`array_position(ARRAY['new', 'in_progress', 'closed']::text[], g.status) ${d}, g.due_on, g.id`;
    case 'received':
      return sql`g.created_at ${d}, g.id ${d}`;
  }
}

type LeadFilters = Omit<z.output<typeof leadsQuery>, 'sort' | 'dir'>;

export async function listLeads(db: Db, actor: Actor, now: Date, lang: Lang, query: z.output<typeof leadsQuery>, paging: Paging) {
  const { limit, offset } = pageWindow(paging);
  const { sort, dir, ...filters } = query;
  const where = [leadVisible(actor, 'g')];
  if (filters.status) where.push(sql`g.status = ${filters.status}`);
  if (filters.overdue === 'true') where.push(leadOverdueSql(now));
  if (filters.overdue === 'false') where.push(sql`NOT ${leadOverdueSql(now)}`);
  if (filters.municipality) where.push(sql`g.municipality_code = ${filters.municipality}`);
  if (filters.theme) where.push(sql`${filters.theme} = ANY(g.themes)`);
  const rows = (await db.execute<LeadRow>(sql`${leadSelect(actor, now)}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${leadOrderSql(sort, dir ?? (sort === 'received' ? 'desc' : 'asc'))} LIMIT ${limit} OFFSET ${offset}`)).rows;
  const page = pageOf(rows, paging);
  // The filter's choices: every municipality the caller's leads come from (a hub has several).
  const municipalities = (await db.execute<{ code: number; name: string }>(sql`
    SELECT DISTINCT m.code, m.name FROM guidance_requests g JOIN municipalities m ON m.code = g.municipality_code
    WHERE ${leadVisible(actor, 'g')} ORDER BY m.name`)).rows.map((m) => ({ code: Number(m.code), name: m.name }));
  // Leads carry a person's name, e-mail and phone: reading them is audited.
  await audit(db, actor, { action: 'read', entity: 'guidance_request', details: { count: page.items.length, page: paging.page, ...filtersOf(filters) } });
  return { ...page, items: page.items.map((r) => leadView(r, now, lang)), municipalities };
}

/** The filters a list was read with, for the audit entry (none left undefined). */
const filtersOf = (f: LeadFilters) => ({ status: f.status ?? null, overdue: f.overdue ?? null, municipality: f.municipality ?? null, theme: f.theme ?? null });

async function visibleLeadRow(db: Db, actor: Actor, now: Date, id: string): Promise<LeadRow> {
  const [row] = (await db.execute<LeadRow>(sql`${leadSelect(actor, now)} WHERE g.id = ${id} AND ${leadVisible(actor, 'g')}`)).rows;
  if (!row) throw notFound('lead.notFound');
  return row;
}

async function freshLead(db: Db, actor: Actor, now: Date, lang: Lang, id: string) {
  const [fresh] = (await db.execute<LeadRow>(sql`${leadSelect(actor, now)} WHERE g.id = ${id}`)).rows;
  return leadView(fresh!, now, lang);
}

/** One lead the caller can reach (`leadVisible`, as the list), else 404; the read is audited (it holds a person's contact data). */
export async function findLead(db: Db, actor: Actor, now: Date, lang: Lang, id: string) {
  const row = await visibleLeadRow(db, actor, now, id);
  await audit(db, actor, {
    action: 'read', entity: 'guidance_request', entityId: id, companyCvr: (row.company_cvr as string | null) ?? null, holders: [row.organisation_id as string],
  });
  return leadView(row, now, lang);
}

/** Which status moves there are: take or close a new lead, close one in progress, reopen a closed one. */
const nextStatuses: Record<LeadStatus, LeadStatus[]> = { new: ['in_progress', 'closed'], in_progress: ['closed'], closed: ['in_progress'] };

/**
 * Takes a lead (in_progress), closes it with its outcome, or reopens a closed one (in_progress, the
 * outcome cleared: it no longer describes how the lead ended). A stale version or a move its status
 * does not allow is a conflict and changes nothing.
 */
export async function changeLeadStatus(db: Db, actor: Actor, now: Date, lang: Lang, id: string, change: z.output<typeof leadStatusBody>) {
  const row = await visibleLeadRow(db, actor, now, id);
  const from = row.status as LeadStatus;
  if (!nextStatuses[from].includes(change.status)) throw conflict('lead.transition', { from, to: change.status });
  const outcome = change.status === 'closed' ? change.outcome : null;
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(guidanceRequests)
      .set({ status: change.status, outcome, handledBy: actor.userId, handledAt: now, version: sql`${guidanceRequests.version} + 1` })
      .where(and(eq(guidanceRequests.id, id), eq(guidanceRequests.version, change.version), eq(guidanceRequests.status, from)))
      .returning({ id: guidanceRequests.id });
    if (updated.length === 0) throw conflict('lead.stale');
    const action = from === 'closed' ? 'reopen' : change.status === 'closed' ? 'close' : 'take';
    await audit(tx, actor, {
      action: 'update', entity: 'guidance_request', entityId: id, companyCvr: (row.company_cvr as string | null) ?? null, details: { status: change.status, action },
      holders: [row.organisation_id as string],
    });
  });
  return freshLead(db, actor, now, lang, id);
}

/**
 * An adviser who has been in touch with the company confirms the consents it gave on the web form;
 * from then on they count like any other consent.
 */
export async function confirmLeadConsents(db: Db, actor: Actor, now: Date, lang: Lang, id: string) {
  const row = await visibleLeadRow(db, actor, now, id);
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
  // The web form asks only for sharing and evaluation, so those are the purposes confirmed here.
  const purposes = confirmed.map((c) => c.purpose).filter((p): p is 'sharing' | 'evaluation' => p === 'sharing' || p === 'evaluation');
  return { ...(await freshLead(db, actor, now, lang, id)), confirmed: purposes };
}

/** A lead that is still open and not yet used for an engagement or prospect; else a conflict naming why. */
function assertOpenForCreation(row: Record<string, unknown>) {
  if (row.status === 'closed') throw conflict('lead.closed');
  if (row.engagement_id) throw conflict('lead.engagementLinked');
}

/**
 * "Opret forløb" from a lead (POST /engagements with `guidanceRequestId`), checked before the insert:
 * the caller reaches the lead (else a 404 at the field), may open an engagement from it (403), the lead
 * is open and has none yet (409), and the engagement is for the lead's company, or for the prospect the
 * caller's organisation made from it (else a field error).
 */
export async function leadForEngagement(db: Db, actor: Actor, leadId: string, subject: { companyCvr: string | null; prospectId: string | null }): Promise<{ id: string }> {
  // The raw link, not the one leadSelect shows: an engagement hidden from the caller still counts.
  const [row] = (await db.execute<{ id: string; status: LeadStatus; company_cvr: string | null; prospect_id: string | null; engagement_id: string | null }>(sql`
    SELECT g.id, g.status, g.company_cvr, g.prospect_id, g.engagement_id FROM guidance_requests g WHERE g.id = ${leadId} AND ${leadVisible(actor, 'g')}`)).rows;
  if (!row) throw fieldProblem('guidanceRequestId', 'lead.notFound');
  assertOpenForCreation(row);
  const matches = row.company_cvr ? row.company_cvr === subject.companyCvr : !!row.prospect_id && row.prospect_id === subject.prospectId;
  if (!matches) throw fieldProblem(row.company_cvr ? 'companyCvr' : 'prospectId', 'lead.subjectDiffers');
  return { id: row.id };
}

/**
 * Links the new engagement to its lead in the caller's transaction and moves the lead on: a new lead
 * is taken (in_progress), one in progress stays so. 409 if it was closed or linked meanwhile.
 */
export async function linkLeadEngagement(tx: Db, actor: Actor, now: Date, leadId: string, engagementId: string): Promise<void> {
  const updated = await tx
    .update(guidanceRequests)
    .set({ engagementId, status: 'in_progress', handledBy: actor.userId, handledAt: now, version: sql`${guidanceRequests.version} + 1` })
    .where(and(eq(guidanceRequests.id, leadId), isNull(guidanceRequests.engagementId), ne(guidanceRequests.status, 'closed')))
    .returning({ companyCvr: guidanceRequests.companyCvr, organisationId: guidanceRequests.organisationId });
  if (updated.length === 0) throw conflict('lead.engagementLinked');
  await audit(tx, actor, {
    action: 'update', entity: 'guidance_request', entityId: leadId, companyCvr: updated[0]!.companyCvr, details: { engagement: engagementId, status: 'in_progress' },
    holders: [updated[0]!.organisationId],
  });
}

/**
 * "Opret som iværksætter": a lead without CVR becomes a prospect of the caller's organisation in one
 * step — the person who asked, the business they plan, the lead's municipality and need — with the
 * person as its contact; the lead is linked to it and taken (in_progress). Authorised by the caller.
 */
export async function prospectFromLead(db: Db, actor: Actor, now: Date, lang: Lang, id: string) {
  const row = await visibleLeadRow(db, actor, now, id);
  assertOpenForCreation(row);
  if (row.company_cvr) throw conflict('lead.hasCompany');
  if (row.prospect_id) throw conflict('lead.prospectLinked');
  await db.transaction(async (tx) => {
    const prospectId = await createProspect(tx, actor, {
      personName: row.contact_name as string,
      plannedName: (row.company_name as string | null) ?? undefined,
      municipalityCode: Number(row.municipality_code),
      description: row.need as string,
    });
    await createContact(tx, actor, { prospectId }, {
      name: row.contact_name as string,
      email: row.contact_email as string,
      phone: (row.contact_phone as string | null) ?? undefined,
    });
    const updated = await tx
      .update(guidanceRequests)
      .set({ prospectId, status: 'in_progress', handledBy: actor.userId, handledAt: now, version: sql`${guidanceRequests.version} + 1` })
      .where(and(eq(guidanceRequests.id, id), isNull(guidanceRequests.prospectId), ne(guidanceRequests.status, 'closed')))
      .returning({ id: guidanceRequests.id });
    // Another adviser got there first: nothing of this one's is kept.
    if (updated.length === 0) throw conflict('lead.prospectLinked');
    await audit(tx, actor, {
      action: 'update', entity: 'guidance_request', entityId: id, details: { prospect: prospectId, status: 'in_progress' }, holders: [row.organisation_id as string],
    });
  });
  return freshLead(db, actor, now, lang, id);
}
