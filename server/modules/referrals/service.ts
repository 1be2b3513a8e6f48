import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { abilities, consentInForce, referralVisible, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { danishDate, isOverdue } from '../../lib/working-days.ts';
import { consents } from '../consents/schema.ts';
import { offers } from '../offers/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { users } from '../users/schema.ts';
import { referrals, type ReferralStatus } from './schema.ts';
import type { newReferralBody } from './schemas.ts';

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
  version: number;
}

type Row = {
  id: string; engagement_id: string; company_cvr: string | null; company_name: string | null; from_organisation_id: string; from_name: string;
  to_organisation_id: string; to_name: string; offer_id: string | null; offer_title: string | null; reason: string; needs: string; contact_id: string | null; contact_name: string | null;
  contact_email: string | null; contact_phone: string | null; consent_active: boolean; status: ReferralView['status'];
  decline_reason: string | null; feedback: string | null; due_on: string; sent_at: Date; sent_by: string; sent_by_name: string;
  received_at: Date | null; answered_at: Date | null; completed_at: Date | null; version: number;
};

/** Not answered (accepted or declined) by the deadline fixed when it was sent. */
export const overdueSql = (alias: string, now: Date) => sql`(${sql.raw(alias)}.status IN ('sent', 'received') AND ${sql.raw(alias)}.due_on < ${danishDate(now)}::date)`;

export async function findReferrals(db: Db, actor: Actor, now: Date, where: SQL, { limit = 200, offset = 0 } = {}): Promise<ReferralView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT r.id, r.engagement_id, r.company_cvr, c.name AS company_name, r.from_organisation_id, fo.name AS from_name,
      r.to_organisation_id, tor.name AS to_name, r.offer_id, ofr.title AS offer_title, r.reason, r.needs, r.contact_id, ct.name AS contact_name, ct.email AS contact_email,
      ct.phone AS contact_phone, ${consentInForce('sc', now)} AS consent_active,
      r.status, r.decline_reason, r.feedback, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, r.sent_at, r.sent_by, u.name AS sent_by_name, r.received_at, r.answered_at,
      r.completed_at, r.version
    FROM referrals r
      JOIN organisations fo ON fo.id = r.from_organisation_id
      JOIN organisations tor ON tor.id = r.to_organisation_id
      JOIN consents sc ON sc.id = r.consent_id
      JOIN users u ON u.id = r.sent_by
      LEFT JOIN companies c ON c.cvr = r.company_cvr
      LEFT JOIN contacts ct ON ct.id = r.contact_id
      LEFT JOIN offers ofr ON ofr.id = r.offer_id
    WHERE ${referralVisible(actor, 'r')} AND ${where}
    ORDER BY r.sent_at DESC NULLS LAST, r.id
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
      version: Number(r.version),
    };
  });
}

/** A referral with what the actor may do with it, as every answer that returns one sends it. */
export const presentReferral = <R extends ReferralView>(actor: Actor, referral: R) => ({ ...referral, abilities: abilities.referral(actor, referral) });

/** A published offer, whose operator receives a referral to it. */
export async function findPublishedOffer(db: Db, offerId: string): Promise<{ id: string; operatorId: string } | undefined> {
  const [offer] = await db.select({ id: offers.id, operatorId: offers.operatorId }).from(offers).where(and(eq(offers.id, offerId), eq(offers.status, 'published')));
  return offer;
}

/** The organisation a referral would go to. */
export async function findReceiver(db: Db, organisationId: string) {
  const [receiver] = await db.select({ id: organisations.id, name: organisations.name, type: organisations.type }).from(organisations).where(eq(organisations.id, organisationId));
  return receiver;
}

type ReferralSubject = { companyCvr: string | null; prospectId: string | null };

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

/** Whom a new referral is announced to: the receiving organisation's active advisers and managers. */
export async function referralNoticeRecipients(db: Db, organisationId: string): Promise<{ email: string }[]> {
  return db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.organisationId, organisationId), eq(users.active, true), inArray(users.role, ['adviser', 'manager'])));
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
