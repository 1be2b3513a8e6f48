import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { evaluationConsentFor } from '../../policies/index.ts';
import { danishDate } from '../../lib/working-days.ts';
import { audit } from '../audit/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { hmacToken, installationSecret } from '../system/secrets.ts';
import { evaluationAnswers, evaluationInvitations } from './schema.ts';
import type { evaluationAnswerBody, InvitationReason } from './schemas.ts';
import { hashToken } from '../../lib/hashing.ts';

const DAY = 86_400_000;
const SECRET_KEY = 'evaluation-link-secret';

type Links = Pick<Config, 'publicUrl'>;

export type EvaluationSettingsRow = {
  trigger: 'close' | 'first_meeting';
  days_after_first_meeting: number;
  reminder_after_days: number;
  link_valid_days: number;
};

export async function settingsFor(db: Db, organisationId: string): Promise<EvaluationSettingsRow> {
  const [row] = (await db.execute<EvaluationSettingsRow>(sql`
    SELECT trigger, days_after_first_meeting, reminder_after_days, link_valid_days FROM evaluation_settings WHERE organisation_id = ${organisationId}`)).rows;
  return row ?? { trigger: 'close', days_after_first_meeting: 30, reminder_after_days: 7, link_valid_days: 30 };
}

/** The personal link's token: an HMAC of the invitation id, so it can be re-derived for the reminder but never guessed. */
export async function invitationToken(db: Db, invitationId: string) {
  return hmacToken(await installationSecret(db, SECRET_KEY), invitationId);
}

function invitationMail(links: Links, token: string, hubName: string, reminder: boolean) {
  const url = `${links.publicUrl}/evaluering/${token}`;
  return {
    subject: reminder ? `Påmindelse: Hvordan var vejledningen fra ${hubName}?` : `Hvordan var vejledningen fra ${hubName}?`,
    text:
      `${reminder ? 'En venlig påmindelse. ' : ''}Din virksomhed har fået vejledning af ${hubName}. Vil du bruge et minut på at svare på to spørgsmål?\n\n` +
      `${url}\n\nLinket er personligt og kan bruges én gang.\n\n` +
      `Ønsker du ikke at blive spurgt igen, kan du framelde dig her: ${url}/afmeld\n\n` +
      `— In English: ${hubName} would like to hear how the guidance went. Answer two questions at the link above.\n`,
  };
}

/** When an invitation is considered: at closing (if the hub invites then), or by the first-meeting job. */
export type InvitationOccasion = 'close' | 'firstMeeting';

export type InvitationDecision =
  | { willSend: true; reason: null; contact: { id: string; name: string; email: string }; engagement: { companyCvr: string; organisationId: string; organisationName: string } }
  | { willSend: false; reason: InvitationReason; contact: null };

const noInvitation = (reason: InvitationReason): InvitationDecision => ({ willSend: false, reason, contact: null });

/**
 * Whether an evaluation invitation goes out for an engagement on this occasion, and to whom: the one
 * decision that both the invitation itself and the preview before closing (`GET
 * /engagements/:id/close-preview`) use, so what the adviser is told is what closing does. Reads only.
 */
export async function invitationDecision(db: Db, engagementId: string, now: Date, occasion: InvitationOccasion): Promise<InvitationDecision> {
  const [engagement] = (await db.execute<{ company_cvr: string | null; organisation_id: string; organisation_name: string; level: string; org_type: string; confidential: boolean; invited: boolean }>(sql`
    SELECT e.company_cvr, e.organisation_id, o.name AS organisation_name, e.level, o.type AS org_type, e.confidential,
      EXISTS (SELECT 1 FROM evaluation_invitations i WHERE i.engagement_id = e.id) AS invited
    FROM engagements e JOIN organisations o ON o.id = e.organisation_id WHERE e.id = ${engagementId}`)).rows;
  if (!engagement?.company_cvr) return noInvitation('noCompany');
  if (engagement.level !== 'specialised') return noInvitation('basic');
  if (engagement.org_type !== 'business_hub') return noInvitation('notHub');
  // Early Warning (confidential) is never evaluated: a mail and an answer would carry the case past the EW team.
  if (engagement.confidential) return noInvitation('confidential');
  if (engagement.invited) return noInvitation('alreadyInvited');
  if (occasion === 'close' && (await settingsFor(db, engagement.organisation_id)).trigger !== 'close') return noInvitation('afterFirstMeeting');
  // Only the hub's own evaluation consent (or one the company gave itself) and only a contact the hub
  // recorded: a contact or consent added by anyone else never redirects this organisation's invitation.
  const [consent] = (await db.execute<{ given_by_contact_id: string | null }>(sql`
    SELECT sc.given_by_contact_id FROM consents sc
    WHERE sc.company_cvr = ${engagement.company_cvr} AND ${evaluationConsentFor('sc', sql`${engagement.organisation_id}::uuid`, now)}
    ORDER BY sc.given_at DESC LIMIT 1`)).rows;
  if (!consent) return noInvitation('noConsent');
  // The person who consented, if the hub recorded them, else the hub's earliest contact with an address.
  const [contact] = (await db.execute<{ id: string; name: string; email: string }>(sql`
    SELECT id, name, email FROM contacts
    WHERE company_cvr = ${engagement.company_cvr} AND organisation_id = ${engagement.organisation_id} AND email IS NOT NULL AND erased_at IS NULL
    ORDER BY (id = ${consent.given_by_contact_id}::uuid) DESC NULLS LAST, created_at
    LIMIT 1`)).rows;
  if (!contact) return noInvitation('noContactEmail');
  return {
    willSend: true,
    reason: null,
    contact,
    engagement: { companyCvr: engagement.company_cvr, organisationId: engagement.organisation_id, organisationName: engagement.organisation_name },
  };
}

export type InviteOutcome = 'invited' | InvitationReason;

/**
 * Queues the evaluation invitation of a specialised engagement, at most once (unique per engagement),
 * when `invitationDecision` says so: an evaluation consent in force and a contact with an e-mail address.
 */
export async function inviteToEvaluation(db: Db, engagementId: string, now: Date, links: Links, occasion: InvitationOccasion): Promise<InviteOutcome> {
  const decision = await invitationDecision(db, engagementId, now, occasion);
  if (!decision.willSend) return decision.reason;
  const { contact, engagement } = decision;
  const settings = await settingsFor(db, engagement.organisationId);
  const id = crypto.randomUUID();
  const token = await invitationToken(db, id);
  const inserted = await db
    .insert(evaluationInvitations)
    .values({
      id,
      engagementId,
      companyCvr: engagement.companyCvr,
      organisationId: engagement.organisationId,
      contactId: contact.id,
      email: contact.email,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.link_valid_days * DAY),
    })
    .onConflictDoNothing({ target: evaluationInvitations.engagementId })
    .returning({ id: evaluationInvitations.id });
  if (inserted.length === 0) return 'alreadyInvited';
  await queueMail(db, { to: contact.email, dedupeKey: `evaluation.invite:${engagementId}`, ...invitationMail(links, token, engagement.organisationName, false) });
  await audit(db, null, { action: 'invite', entity: 'evaluation', entityId: id, companyCvr: engagement.companyCvr });
  return 'invited';
}

/** Invitations for hubs that ask a number of days after the first meeting rather than at closing. */
export async function inviteAfterFirstMeeting(db: Db, now: Date, links: Links): Promise<number> {
  const due = (await db.execute<{ id: string }>(sql`
    SELECT e.id FROM engagements e
      JOIN evaluation_settings s ON s.organisation_id = e.organisation_id AND s.trigger = 'first_meeting'
      JOIN LATERAL (SELECT min(a.occurred_on) AS first_meeting FROM activities a WHERE a.engagement_id = e.id AND a.type = 'meeting') fm ON TRUE
    WHERE e.level = 'specialised' AND e.company_cvr IS NOT NULL AND NOT e.confidential
      AND fm.first_meeting + s.days_after_first_meeting <= ${danishDate(now)}::date
      AND NOT EXISTS (SELECT 1 FROM evaluation_invitations i WHERE i.engagement_id = e.id)
    LIMIT 500`)).rows;
  let invited = 0;
  for (const { id } of due) if ((await db.transaction((tx) => inviteToEvaluation(tx, id, now, links, 'firstMeeting'))) === 'invited') invited++;
  return invited;
}

/** One reminder per unanswered, live invitation after the hub's reminder delay. */
export async function sendReminders(db: Db, now: Date, links: Links): Promise<number> {
  const due = (await db.execute<{ id: string; email: string; organisation_name: string }>(sql`
    SELECT i.id, i.email, o.name AS organisation_name
    FROM evaluation_invitations i
      JOIN organisations o ON o.id = i.organisation_id
      LEFT JOIN evaluation_settings s ON s.organisation_id = i.organisation_id
    WHERE i.answered_at IS NULL AND i.unsubscribed_at IS NULL AND i.reminded_at IS NULL
      AND i.expires_at > ${now.toISOString()}::timestamptz
      AND i.created_at + make_interval(days => coalesce(s.reminder_after_days, 7)) <= ${now.toISOString()}::timestamptz
    LIMIT 500`)).rows;
  for (const invitation of due) {
    const token = await invitationToken(db, invitation.id);
    await db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE evaluation_invitations SET reminded_at = ${now.toISOString()}::timestamptz WHERE id = ${invitation.id} AND reminded_at IS NULL`);
      await queueMail(tx, { to: invitation.email, dedupeKey: `evaluation.reminder:${invitation.id}`, ...invitationMail(links, token, invitation.organisation_name, true) });
    });
  }
  return due.length;
}

/** The invitation behind a personal link, with its hub's name, whatever its state. */
export async function findInvitationByToken(db: Db, token: string) {
  const [row] = (await db.execute<{ id: string; organisation_name: string; answered_at: Date | null; expires_at: Date; unsubscribed_at: Date | null }>(sql`
      SELECT i.id, o.name AS organisation_name, i.answered_at, i.expires_at, i.unsubscribed_at
      FROM evaluation_invitations i JOIN organisations o ON o.id = i.organisation_id WHERE i.token_hash = ${hashToken(token)}`)).rows;
  return row;
}

/**
 * Marks the invitation behind a link answered now, if it is still open (not answered, unsubscribed or
 * expired); the invitation, or undefined when it was not open.
 */
export async function claimInvitation(db: Db, tokenHash: string, now: Date) {
  const [invitation] = (await db.execute<{ id: string; engagement_id: string; company_cvr: string | null; organisation_id: string }>(sql`
          UPDATE evaluation_invitations SET answered_at = ${now.toISOString()}::timestamptz
          WHERE token_hash = ${tokenHash} AND answered_at IS NULL AND unsubscribed_at IS NULL AND expires_at > ${now.toISOString()}::timestamptz
          RETURNING id, engagement_id, company_cvr, organisation_id`)).rows;
  return invitation;
}

/** Stores the company's answer given through the link of a claimed invitation. */
export async function insertLinkAnswer(
  db: Db,
  invitation: { id: string; engagement_id: string; company_cvr: string | null; organisation_id: string },
  now: Date,
  answer: z.output<typeof evaluationAnswerBody>,
): Promise<void> {
  await db.insert(evaluationAnswers).values({
    invitationId: invitation.id,
    engagementId: invitation.engagement_id,
    companyCvr: invitation.company_cvr,
    organisationId: invitation.organisation_id,
    answeredOn: danishDate(now),
    nps: answer.nps,
    effect: answer.effect,
    comment: answer.comment || null,
    source: 'link',
  });
}

/** Marks the invitation unsubscribed now; the CVR number of its company. */
export async function unsubscribeInvitation(db: Db, invitationId: string, now: Date): Promise<string | null> {
  const [invitation] = (await db.execute<{ company_cvr: string | null }>(sql`
            UPDATE evaluation_invitations SET unsubscribed_at = ${now.toISOString()}::timestamptz WHERE id = ${invitationId} RETURNING company_cvr`)).rows;
  return invitation!.company_cvr;
}
