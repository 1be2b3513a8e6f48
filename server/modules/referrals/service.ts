import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { abilities, authorize, consentInForce, policy, referralReceivable, referralVisible, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { danishDate, deadlineText, isOverdue } from '../../lib/working-days.ts';
import { consents } from '../consents/schema.ts';
import { offers } from '../offers/schema.ts';
import { users } from '../users/schema.ts';
import { referrals, type ReferralStatus } from './schema.ts';
import type { newReferralBody, ReferralSort, SortDirection } from './schemas.ts';

export interface ReferralView {
  id: string;
  engagementId: string;
  company: { cvr: string; name: string | null } | null;
  from: { id: string; name: string };
  to: { id: string; name: string };
  offer: { id: string; name: string } | null;
  reason: string | null;
  needs: string | null;
  contact: { id: string; name: string; email: string | null; phone: string | null } | null;
  /** For the receiver once the consent behind the referral is no longer active: the content is held back. */
  withheld: boolean;
  status: 'sent' | 'received' | 'accepted' | 'declined' | 'completed';
  declineReason: string | null;
  feedback: string | null;
  /** The last working day to answer by (YYYY-MM-DD, end of that day in Denmark). */
  dueOn: string;
  overdue: boolean;
  sentAt: string;
  sentBy: { id: string; name: string };
  receivedAt: string | null;
  answeredAt: string | null;
  completedAt: string | null;
  /** The receiver's own engagement opened from it: for the receiver only (the sender cannot open it). */
  receiverEngagementId: string | null;
  version: number;
}

type Row = {
  id: string; engagement_id: string; company_cvr: string | null; company_name: string | null; from_organisation_id: string; from_name: string;
  to_organisation_id: string; to_name: string; offer_id: string | null; offer_title: string | null; reason: string; needs: string; contact_id: string | null; contact_name: string | null;
  contact_email: string | null; contact_phone: string | null; consent_active: boolean; status: ReferralView['status'];
  decline_reason: string | null; feedback: string | null; due_on: string; sent_at: Date; sent_by: string; sent_by_name: string;
  received_at: Date | null; answered_at: Date | null; completed_at: Date | null; receiver_engagement_id: string | null; version: number;
};

/** Not answered (accepted or declined) by the deadline fixed when it was sent. */
export const overdueSql = (alias: string, now: Date) => sql`(${sql.raw(alias)}.status IN ('sent', 'received') AND ${sql.raw(alias)}.due_on < ${danishDate(now)}::date)`;

/** The receiver's answers: from which statuses each is allowed, and what it sets. */
export const referralTransitions = {
  receive: { from: ['sent'], to: 'received' },
  accept: { from: ['sent', 'received'], to: 'accepted' },
  decline: { from: ['sent', 'received'], to: 'declined' },
  complete: { from: ['accepted'], to: 'completed' },
} as const satisfies Record<string, { from: readonly ReferralStatus[]; to: ReferralStatus }>;

/** A referral is open (the same company should not be referred to the same receiver again) until declined or completed. */
const openStatuses = ['sent', 'received', 'accepted'] as const satisfies readonly ReferralStatus[];
/** The receiver opens its own engagement once it has accepted the referral. */
const engagementStatuses: readonly ReferralStatus[] = ['accepted', 'completed'];

/** The order of a list of referrals; each ends on the id, so pages neither lose nor repeat a row. */
export interface ReferralOrder {
  sort: ReferralSort;
  dir: SortDirection;
}

function orderSql({ sort, dir }: ReferralOrder): SQL {
  const d = sql.raw(dir === 'desc' ? 'DESC' : 'ASC');
  switch (sort) {
    case 'deadline':
      return sql`r.due_on ${d}, r.sent_at DESC, r.id`;
    case 'company':
      // Referrals of a prospect (no company) come last either way.
      return sql`c.name ${d} NULLS LAST, r.company_cvr ${d} NULLS LAST, r.sent_at DESC, r.id`;
    case 'status':
      // In the order a referral passes them, not alphabetically.
      return sql`array_position(ARRAY['sent', 'received', 'accepted', 'declined', 'completed']::text[], r.status) ${d}, r.due_on, r.id`;
    case 'sent':
      return sql`r.sent_at ${d} NULLS LAST, r.id ${d}`;
  }
}

export async function findReferrals(
  db: Db,
  actor: Actor,
  now: Date,
  where: SQL,
  { limit = 200, offset = 0, order = { sort: 'sent', dir: 'desc' } }: { limit?: number; offset?: number; order?: ReferralOrder } = {},
): Promise<ReferralView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT r.id, r.engagement_id, r.company_cvr, c.name AS company_name, r.from_organisation_id, fo.name AS from_name,
      r.to_organisation_id, tor.name AS to_name, r.offer_id, ofr.title AS offer_title, r.reason, r.needs, r.contact_id, ct.name AS contact_name, ct.email AS contact_email,
      ct.phone AS contact_phone, ${consentInForce('sc', now)} AS consent_active,
      r.status, r.decline_reason, r.feedback, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, r.sent_at, r.sent_by, u.name AS sent_by_name, r.received_at, r.answered_at,
      r.completed_at, r.receiver_engagement_id, r.version
    FROM referrals r
      JOIN organisations fo ON fo.id = r.from_organisation_id
      JOIN organisations tor ON tor.id = r.to_organisation_id
      JOIN consents sc ON sc.id = r.consent_id
      JOIN users u ON u.id = r.sent_by
      LEFT JOIN companies c ON c.cvr = r.company_cvr
      LEFT JOIN contacts ct ON ct.id = r.contact_id
      LEFT JOIN offers ofr ON ofr.id = r.offer_id
    WHERE ${referralVisible(actor, 'r')} AND ${where}
    ORDER BY ${orderSql(order)}
    LIMIT ${limit} OFFSET ${offset}`)).rows;
  return rows.map((r) => {
    const withheld = r.from_organisation_id !== actor.organisationId && !r.consent_active;
    return {
      id: r.id,
      engagementId: r.engagement_id,
      company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
      from: { id: r.from_organisation_id, name: r.from_name },
      to: { id: r.to_organisation_id, name: r.to_name },
      offer: r.offer_id ? { id: r.offer_id, name: r.offer_title ?? '' } : null,
      reason: withheld ? null : r.reason,
      needs: withheld ? null : r.needs,
      contact: withheld || !r.contact_id ? null : { id: r.contact_id, name: r.contact_name ?? '', email: r.contact_email, phone: r.contact_phone },
      withheld,
      status: r.status,
      declineReason: r.decline_reason,
      feedback: r.feedback,
      dueOn: r.due_on,
      overdue: (r.status === 'sent' || r.status === 'received') && isOverdue(r.due_on, now),
      sentAt: isoTime(r.sent_at)!,
      sentBy: { id: r.sent_by, name: r.sent_by_name },
      receivedAt: isoTime(r.received_at),
      answeredAt: isoTime(r.answered_at),
      completedAt: isoTime(r.completed_at),
      receiverEngagementId: r.to_organisation_id === actor.organisationId ? r.receiver_engagement_id : null,
      version: Number(r.version),
    };
  });
}

/**
 * A referral with what the actor may do with it now, as every answer that returns one sends it: the
 * policy (`abilities.referral`) and, for each answer, whether the referral's status allows it.
 */
export const presentReferral = <R extends ReferralView>(actor: Actor, referral: R) => {
  const allowed = abilities.referral(actor, referral);
  const fits = (action: keyof typeof referralTransitions) => allowed.answer && (referralTransitions[action].from as readonly string[]).includes(referral.status);
  return {
    ...referral,
    abilities: {
      answer: allowed.answer,
      receive: fits('receive'),
      accept: fits('accept'),
      decline: fits('decline'),
      complete: fits('complete'),
      openEngagement: allowed.openEngagement && !!referral.company && engagementStatuses.includes(referral.status) && !referral.receiverEngagementId,
    },
  };
};

/** A published offer, whose operator receives a referral to it. */
export async function findPublishedOffer(db: Db, offerId: string): Promise<{ id: string; operatorId: string } | undefined> {
  const [offer] = await db.select({ id: offers.id, operatorId: offers.operatorId }).from(offers).where(and(eq(offers.id, offerId), eq(offers.status, 'published')));
  return offer;
}

/** The organisation a referral would go to, and whether it may receive one at all (`referralReceivable`). */
export async function findReceiver(db: Db, organisationId: string): Promise<{ id: string; name: string; receivable: boolean } | undefined> {
  const [receiver] = (await db.execute<{ id: string; name: string; receivable: boolean }>(sql`
    SELECT o.id, o.name, ${referralReceivable('o')} AS receivable FROM organisations o WHERE o.id = ${organisationId}`)).rows;
  return receiver;
}

export type ReferralSubject = { companyCvr: string | null; prospectId: string | null };

/** Referrals (alias r) about the subject: of the company, or from an engagement with the prospect. */
const aboutSubject = (subject: ReferralSubject): SQL =>
  subject.companyCvr
    ? sql`r.company_cvr = ${subject.companyCvr}`
    : sql`r.engagement_id IN (SELECT e.id FROM engagements e WHERE e.prospect_id = ${subject.prospectId})`;

/**
 * The organisations the actor may refer the subject to (`referralReceivable`, not its own): the hub of
 * the company's (or prospect's) municipality first as the suggestion, then by name. Each says whether
 * the subject already has an open referral to it — only one the actor can see (`referralVisible`), so
 * another organisation's referral of the same company is never betrayed.
 */
export async function referralReceivers(db: Db, actor: Actor, subject: ReferralSubject) {
  const municipality = subject.companyCvr
    ? sql`(SELECT c.municipality_code FROM companies c WHERE c.cvr = ${subject.companyCvr})`
    : sql`(SELECT p.municipality_code FROM prospects p WHERE p.id = ${subject.prospectId})`;
  const rows = (await db.execute<{ id: string; name: string; suggested: boolean; open_referral_id: string | null }>(sql`
    SELECT o.id, o.name,
      coalesce(o.id = (SELECT m.hub_id FROM municipalities m WHERE m.code = ${municipality}), false) AS suggested,
      (SELECT r.id FROM referrals r
        WHERE r.to_organisation_id = o.id AND r.status IN (${sql.join(openStatuses.map((st) => sql`${st}`), sql`, `)})
          AND ${aboutSubject(subject)} AND ${referralVisible(actor, 'r')}
        ORDER BY r.sent_at DESC, r.id LIMIT 1) AS open_referral_id
    FROM organisations o
    WHERE ${referralReceivable('o')} AND o.id <> ${actor.organisationId}
    ORDER BY suggested DESC, o.name, o.id`)).rows;
  return rows.map((r) => ({ id: r.id, name: r.name, suggested: !!r.suggested, openReferral: r.open_referral_id ? { id: r.open_referral_id } : null }));
}

/** Records the sharing consent given with a referral, named for its receiver only; its id. */
export async function insertReferralConsent(
  db: Db,
  actor: Actor,
  now: Date,
  subject: ReferralSubject,
  receiverId: string,
  consent: NonNullable<z.output<typeof newReferralBody>['consent']>,
): Promise<string> {
  const [row] = await db
    .insert(consents)
    .values({
      ...subject,
      purpose: 'sharing',
      scope: 'named',
      organisationIds: [receiverId],
      givenByName: consent.givenByName,
      givenByContactId: consent.givenByContactId ?? null,
      channel: consent.channel,
      givenAt: now,
      recordedBy: actor.userId,
      recordedByOrganisationId: actor.organisationId,
    })
    .returning({ id: consents.id });
  return row!.id;
}

export interface ReferralValues {
  engagementId: string;
  companyCvr: string | null;
  toOrganisationId: string;
  offerId: string | null;
  reason: string;
  needs: string;
  consentId: string;
  contactId: string | null;
  dueOn: string;
}

/** Records a referral the actor's organisation sends now, checked and authorised by the caller; its id. */
export async function insertReferral(db: Db, actor: Actor, now: Date, referral: ReferralValues): Promise<string> {
  const [row] = await db
    .insert(referrals)
    .values({ ...referral, fromOrganisationId: actor.organisationId, sentBy: actor.userId, sentAt: now })
    .returning({ id: referrals.id });
  return row!.id;
}

/** A text cut to at most `max` characters on one line, at a word where it can, with an ellipsis when cut. */
export function shorten(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > max / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

/**
 * The mail that tells the receiving organisation's advisers about a new referral: who refers which
 * company (name and CVR; a prospect is not named), what the receiver is asked for (shortened), the
 * deadline, and the link that opens this very referral. Danish, then English. It names no contact person.
 */
export function referralNotice(referral: {
  from: string;
  to: string;
  company: { cvr: string; name: string | null } | null;
  needs: string;
  dueOn: string;
  link: string;
}): { subject: string; text: string } {
  const { company } = referral;
  const da = company ? `${company.name ?? 'en virksomhed'} (CVR ${company.cvr})` : 'en iværksætter';
  const en = company ? `${company.name ?? 'a company'} (CVR ${company.cvr})` : 'a prospective entrepreneur';
  const need = shorten(referral.needs);
  return {
    subject: `Ny henvisning fra ${referral.from}: ${company ? (company.name ?? `CVR ${company.cvr}`) : 'iværksætter'}`,
    text:
      `${referral.from} har henvist ${da} til ${referral.to}.\n\n` +
      `Behov: ${need}\n` +
      `Svarfrist: senest ${deadlineText(referral.dueOn, 'da')}\n\n` +
      `Åbn henvisningen i Knudepunkt: ${referral.link}\n\n` +
      `---\n` +
      `${referral.from} has referred ${en} to ${referral.to}.\n\n` +
      `Need: ${need}\n` +
      `Reply by: ${deadlineText(referral.dueOn, 'en')}\n\n` +
      `Open the referral in Knudepunkt: ${referral.link}\n`,
  };
}

export type ReferralAnswer = 'receive' | 'accept' | 'decline' | 'complete';

/**
 * Moves a referral on to `to` by the receiver's answer, if it is still at the version and status read;
 * the id of the user who sent it, or undefined when it changed meanwhile.
 */
export async function answerReferral(
  db: Db,
  actor: Actor,
  now: Date,
  referral: { id: string; status: ReferralStatus },
  answer: { action: ReferralAnswer; to: ReferralStatus; version: number; reason?: string; feedback?: string },
): Promise<string | undefined> {
  const { action } = answer;
  const [updated] = await db
    .update(referrals)
    .set({
      status: answer.to,
      version: sql`${referrals.version} + 1`,
      ...(action === 'receive' ? { receivedAt: now } : {}),
      ...(action === 'accept' || action === 'decline' ? { answeredAt: now, answeredBy: actor.userId, receivedAt: sql`coalesce(${referrals.receivedAt}, ${now.toISOString()}::timestamptz)` } : {}),
      ...(action === 'decline' ? { declineReason: answer.reason } : {}),
      ...(action === 'complete' ? { completedAt: now, feedback: answer.feedback } : {}),
    })
    .where(and(eq(referrals.id, referral.id), eq(referrals.version, answer.version), eq(referrals.status, referral.status)))
    .returning({ sentBy: referrals.sentBy });
  return updated?.sentBy;
}

/** A user's e-mail address, if the user exists. */
export async function userEmail(db: Db, userId: string): Promise<string | undefined> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return user?.email;
}

/**
 * The referral a new engagement of the actor's organisation is opened from (POST /engagements with
 * `referralId`), checked: one the actor can see (else a field error, as for any unknown id), whose
 * receiver is the actor's organisation (else 403), accepted or completed and not yet linked to an
 * engagement (else 409), and about the very company the engagement is for (else a field error).
 */
export async function referralForReceiverEngagement(db: Db, actor: Actor, referralId: string, subject: ReferralSubject): Promise<{ id: string }> {
  const [referral] = (await db.execute<{ id: string; to_organisation_id: string; company_cvr: string | null; status: ReferralStatus; receiver_engagement_id: string | null }>(sql`
    SELECT r.id, r.to_organisation_id, r.company_cvr, r.status, r.receiver_engagement_id FROM referrals r
    WHERE r.id = ${referralId} AND ${referralVisible(actor, 'r')}`)).rows;
  if (!referral) throw fieldProblem('referralId', 'referral.notFound');
  authorize(policy.referral.openEngagement(actor, { toOrganisationId: referral.to_organisation_id }));
  if (!engagementStatuses.includes(referral.status)) throw conflict('referral.notAccepted');
  if (referral.receiver_engagement_id) throw conflict('referral.engagementLinked');
  if (!referral.company_cvr || referral.company_cvr !== subject.companyCvr) throw fieldProblem('companyCvr', 'referral.companyDiffers');
  return { id: referral.id };
}

/** Links the receiver's new engagement to the referral it was opened from, in the caller's transaction; 409 if another got there first. */
export async function linkReceiverEngagement(db: Db, actor: Actor, referralId: string, engagementId: string): Promise<void> {
  const updated = await db
    .update(referrals)
    .set({ receiverEngagementId: engagementId })
    .where(and(eq(referrals.id, referralId), eq(referrals.toOrganisationId, actor.organisationId), isNull(referrals.receiverEngagementId)))
    .returning({ id: referrals.id });
  if (updated.length === 0) throw conflict('referral.engagementLinked');
}
