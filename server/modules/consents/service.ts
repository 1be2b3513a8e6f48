import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, notFound } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { assertContactOf } from '../contacts/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { organisations } from '../organisations/schema.ts';
import { activeSharingConsent, consentInForce, consentVisible, type Actor } from '../../policies/index.ts';
import { consents } from './schema.ts';
import type { z } from 'zod';
import type { ConsentData, newConsentBody } from './schemas.ts';

type Row = {
  id: string; company_cvr: string | null; prospect_id: string | null; purpose: ConsentData['purpose']; scope: 'all' | 'named';
  organisations: { id: string; name: string }[] | null; given_by_name: string; given_by_contact_id: string | null; given_at: Date;
  channel: string; recorded_by_organisation_id: string | null; recorded_org_name: string | null; expires_at: Date | null;
  withdrawn_at: Date | null; withdrawn_via: 'organisation' | 'company' | null; withdrawn_by_organisation_id: string | null; withdrawn_org_name: string | null;
  awaiting_confirmation: boolean; active: boolean;
};

/**
 * Consents matching `where` that the actor may know of (`consentVisible`); `null` as actor is the
 * system itself (a data-protection export made by the holder of the contact).
 */
export async function findConsents(db: Db, actor: Actor | null, now: Date, where: SQL): Promise<ConsentData[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT sc.id, sc.company_cvr, sc.prospect_id, sc.purpose, sc.scope,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) ORDER BY o.name), '[]'::jsonb)
         FROM organisations o WHERE o.id = ANY(sc.organisation_ids)) AS organisations,
      sc.given_by_name, sc.given_by_contact_id, sc.given_at, sc.channel, sc.recorded_by_organisation_id, ro.name AS recorded_org_name,
      sc.expires_at, sc.withdrawn_at, sc.withdrawn_via, sc.withdrawn_by_organisation_id, wo.name AS withdrawn_org_name,
      sc.awaiting_confirmation, ${consentInForce('sc', now)} AS active
    FROM consents sc
      LEFT JOIN organisations ro ON ro.id = sc.recorded_by_organisation_id
      LEFT JOIN organisations wo ON wo.id = sc.withdrawn_by_organisation_id
    WHERE ${actor ? consentVisible(actor, 'sc') : sql`TRUE`} AND ${where}
    ORDER BY sc.given_at DESC`)).rows;
  return rows.map((r) => ({
    id: r.id,
    companyCvr: r.company_cvr,
    prospectId: r.prospect_id,
    purpose: r.purpose,
    scope: r.scope,
    organisations: typeof r.organisations === 'string' ? JSON.parse(r.organisations) : (r.organisations ?? []),
    givenByName: r.given_by_name,
    givenByContactId: r.given_by_contact_id,
    givenAt: isoTime(r.given_at)!,
    channel: r.channel,
    recordedByOrganisation: r.recorded_by_organisation_id ? { id: r.recorded_by_organisation_id, name: r.recorded_org_name ?? '' } : null,
    expiresAt: isoTime(r.expires_at),
    withdrawnAt: isoTime(r.withdrawn_at),
    withdrawnBy: r.withdrawn_at
      ? { via: r.withdrawn_via ?? 'organisation', organisation: r.withdrawn_by_organisation_id ? { id: r.withdrawn_by_organisation_id, name: r.withdrawn_org_name ?? '' } : null }
      : null,
    awaitingConfirmation: r.awaiting_confirmation,
    active: r.active,
  }));
}

/**
 * Records a consent the company gave one of the actor's organisation's advisers; returns its id. Whom a
 * named consent covers must exist, and its giver is a person the recording organisation recorded itself.
 */
export async function recordConsent(db: Db, actor: Actor, now: Date, companyCvr: string, body: z.output<typeof newConsentBody>): Promise<string> {
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, companyCvr));
  if (!company) throw notFound('company.notFound', { cvr: companyCvr });
  const organisationIds = body.scope === 'named' ? [...new Set(body.organisationIds)] : [];
  if (body.scope === 'named') {
    if (organisationIds.length === 0) throw fieldProblem('organisationIds', 'consent.organisationsRequired');
    const found = await db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, organisationIds));
    if (found.length !== organisationIds.length) throw fieldProblem('organisationIds', 'consent.organisationUnknown');
  }
  if (body.givenByContactId) await assertContactOf(db, actor, now, body.givenByContactId, { companyCvr: company.cvr, prospectId: null }, 'givenByContactId', { own: true });
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt <= now) throw fieldProblem('expiresAt', 'consent.expiryPast');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(consents)
      .values({
        companyCvr: company.cvr,
        purpose: body.purpose,
        scope: body.scope,
        organisationIds,
        givenByContactId: body.givenByContactId ?? null,
        givenByName: body.givenByName,
        givenAt: now,
        channel: body.channel,
        recordedBy: actor.userId,
        recordedByOrganisationId: actor.organisationId,
        expiresAt,
      })
      .returning({ id: consents.id });
    await audit(tx, actor, { action: 'create', entity: 'consent', entityId: row!.id, companyCvr: company.cvr, details: { purpose: body.purpose, scope: body.scope } });
    return row!.id;
  });
}

/** Withdraws one consent the actor can see, at once; one already withdrawn is a conflict. */
export async function withdrawConsent(db: Db, actor: Actor, now: Date, consent: ConsentData, note: string | null, links: { publicUrl: string }): Promise<void> {
  if (consent.withdrawnAt) throw conflict('consent.alreadyWithdrawn');
  await db.transaction(async (tx) => {
    const withdrawn = await withdrawConsents(tx, { actor }, now, sql`sc.id = ${consent.id}`, note, links);
    if (withdrawn.length === 0) throw conflict('consent.alreadyWithdrawn');
  });
}

/** The sharing consent in force, if any, under which `readerId` may see what `holderId` holds about this company. */
export async function activeSharingConsentId(db: Db, now: Date, subject: { companyCvr: string | null; prospectId: string | null }, readerId: string, holderId: string) {
  const [row] = (await db.execute<{ id: string }>(sql`
    SELECT sc.id FROM consents sc
    WHERE ${activeSharingConsent(readerId, sql`${holderId}::uuid`, sql`${subject.companyCvr}`, sql`${subject.prospectId}::uuid`, now)}
    ORDER BY sc.given_at DESC LIMIT 1`)).rows;
  return row?.id ?? null;
}

/** Who withdraws: an organisation's user (the recorder or an organisation the consent covers), or the company itself. */
export type Withdrawer = { actor: Actor } | { company: true };

/**
 * Withdraws consents in the caller's transaction, taking effect at once. Each is audited so that its
 * recording organisation sees it in its own audit view, and — when someone else withdrew it — the
 * recording organisation is told by mail who did (the recorder, else its admins and managers).
 * Returns the ids actually withdrawn (already withdrawn ones are left as they were).
 */
export async function withdrawConsents(tx: Db, by: Withdrawer, now: Date, where: SQL, note: string | null, links: { publicUrl: string }): Promise<string[]> {
  const actor = 'actor' in by ? by.actor : null;
  const rows = (await tx.execute<{ id: string; company_cvr: string | null; prospect_id: string | null; purpose: string; recorded_by: string | null; recorded_by_organisation_id: string | null }>(sql`
    UPDATE consents sc SET withdrawn_at = ${now.toISOString()}::timestamptz, withdrawn_by = ${actor?.userId ?? null}::uuid,
      withdrawn_by_organisation_id = ${actor?.organisationId ?? null}::uuid, withdrawn_via = ${actor ? 'organisation' : 'company'}, withdrawal_note = ${note}
    WHERE sc.withdrawn_at IS NULL AND ${where}
    RETURNING sc.id, sc.company_cvr, sc.prospect_id, sc.purpose, sc.recorded_by, sc.recorded_by_organisation_id`)).rows;
  for (const row of rows) {
    await audit(tx, actor, {
      action: 'withdraw', entity: 'consent', entityId: row.id, companyCvr: row.company_cvr,
      details: { purpose: row.purpose, via: actor ? 'organisation' : 'company' }, holders: [row.recorded_by_organisation_id],
    });
    if (row.recorded_by_organisation_id && row.recorded_by_organisation_id !== actor?.organisationId) await notifyRecorder(tx, row, actor, links);
  }
  return rows.map((r) => r.id);
}

async function notifyRecorder(
  tx: Db, consent: { id: string; company_cvr: string | null; purpose: string; recorded_by: string | null; recorded_by_organisation_id: string | null }, actor: Actor | null, links: { publicUrl: string },
) {
  const recipients = (await tx.execute<{ email: string }>(sql`
    SELECT u.email FROM users u
    WHERE u.active AND u.organisation_id = ${consent.recorded_by_organisation_id}
      AND (u.id = ${consent.recorded_by}::uuid
        OR (u.role IN ('admin', 'manager') AND NOT EXISTS (SELECT 1 FROM users r WHERE r.id = ${consent.recorded_by}::uuid AND r.active AND r.organisation_id = ${consent.recorded_by_organisation_id})))`)).rows;
  const [who] = actor ? (await tx.execute<{ name: string }>(sql`SELECT name FROM organisations WHERE id = ${actor.organisationId}`)).rows : [];
  const purposes: Record<string, string> = { sharing: 'deling', introduction: 'introduktion (match)', publication: 'offentliggørelse (god historie)', evaluation: 'evaluering' };
  const purpose = purposes[consent.purpose] ?? consent.purpose;
  const withdrawer = who ? who.name : 'virksomheden selv';
  const where = consent.company_cvr ? `${links.publicUrl}/virksomheder/${consent.company_cvr}` : links.publicUrl;
  for (const { email } of recipients) {
    await queueMail(tx, {
      to: email,
      dedupeKey: `consent.withdrawn:${consent.id}:${email}`,
      subject: `Et samtykke til ${purpose} er trukket tilbage`,
      text:
        `Et samtykke til ${purpose}, som jeres organisation har registreret${consent.company_cvr ? ` for CVR ${consent.company_cvr}` : ''}, er trukket tilbage af ${withdrawer}. ` +
        `Det gælder fra nu.\n\n${where}\n\n` +
        `— In English: a consent your organisation recorded has been withdrawn by ${who ? who.name : 'the company itself'}, with immediate effect.\n`,
    });
  }
}
