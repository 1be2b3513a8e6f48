import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isoTime } from '../../lib/rows.ts';
import { activeSharingConsent, consentInForce } from '../../policies/index.ts';

export interface ConsentView {
  id: string;
  companyCvr: string | null;
  prospectId: string | null;
  purpose: 'sharing' | 'evaluation';
  scope: 'all' | 'named';
  organisations: { id: string; name: string }[];
  givenByName: string;
  givenByContactId: string | null;
  givenAt: string;
  channel: string;
  recordedByOrganisation: { id: string; name: string } | null;
  expiresAt: string | null;
  withdrawnAt: string | null;
  /** Given on the public web form and not yet confirmed by an adviser: recorded, not in force. */
  awaitingConfirmation: boolean;
  active: boolean;
}

type Row = {
  id: string; company_cvr: string | null; prospect_id: string | null; purpose: 'sharing' | 'evaluation'; scope: 'all' | 'named';
  organisations: { id: string; name: string }[] | null; given_by_name: string; given_by_contact_id: string | null; given_at: Date;
  channel: string; recorded_by_organisation_id: string | null; recorded_org_name: string | null; expires_at: Date | null;
  withdrawn_at: Date | null; awaiting_confirmation: boolean; active: boolean;
};

export async function findConsents(db: Db, now: Date, where: SQL): Promise<ConsentView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT sc.id, sc.company_cvr, sc.prospect_id, sc.purpose, sc.scope,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) ORDER BY o.name), '[]'::jsonb)
         FROM organisations o WHERE o.id = ANY(sc.organisation_ids)) AS organisations,
      sc.given_by_name, sc.given_by_contact_id, sc.given_at, sc.channel, sc.recorded_by_organisation_id, ro.name AS recorded_org_name,
      sc.expires_at, sc.withdrawn_at, sc.awaiting_confirmation, ${consentInForce('sc', now)} AS active
    FROM consents sc LEFT JOIN organisations ro ON ro.id = sc.recorded_by_organisation_id
    WHERE ${where}
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
    awaitingConfirmation: r.awaiting_confirmation,
    active: r.active,
  }));
}

/** The active sharing consent, if any, under which `organisationId` may see this company's data. */
export async function activeSharingConsentId(db: Db, now: Date, subject: { companyCvr: string | null; prospectId: string | null }, organisationId: string) {
  const [row] = (await db.execute<{ id: string }>(sql`
    SELECT sc.id FROM consents sc
    WHERE ${activeSharingConsent(organisationId, sql`${subject.companyCvr}`, sql`${subject.prospectId}::uuid`, now)}
    ORDER BY sc.given_at DESC LIMIT 1`)).rows;
  return row?.id ?? null;
}
