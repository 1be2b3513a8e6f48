import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crmVisible, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { fieldProblem } from '../../http/problem.ts';

export interface ContactView {
  id: string;
  companyCvr: string | null;
  prospectId: string | null;
  organisation: { id: string; name: string };
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  erased: boolean;
}

type Row = {
  id: string; company_cvr: string | null; prospect_id: string | null; organisation_id: string; organisation_name: string; name: string;
  title: string | null; email: string | null; phone: string | null; created_at: Date; erased_at: Date | null;
};

/** Contacts are personal data: visible to their organisation, and to others under a sharing consent. */
export async function findContacts(db: Db, actor: Actor, now: Date, where: SQL, options: { anyOrganisation?: boolean } = {}): Promise<ContactView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT ct.id, ct.company_cvr, ct.prospect_id, ct.organisation_id, o.name AS organisation_name, ct.name, ct.title, ct.email, ct.phone,
      ct.created_at, ct.erased_at
    FROM contacts ct JOIN organisations o ON o.id = ct.organisation_id
    WHERE ${options.anyOrganisation ? sql`TRUE` : crmVisible(actor, 'ct', now, { confidential: false })} AND ${where}
    ORDER BY ct.name, ct.id`)).rows;
  return rows.map((r) => ({
    id: r.id,
    companyCvr: r.company_cvr,
    prospectId: r.prospect_id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    name: r.name,
    title: r.title,
    email: r.email,
    phone: r.phone,
    createdAt: isoTime(r.created_at)!,
    erased: r.erased_at !== null,
  }));
}

export const ERASED_NAME = 'Slettet kontaktperson';

/**
 * Refuses (field error on `field`) a contact the actor cannot see or that belongs to another company or
 * prospect. With `own`, only a contact the actor's organisation recorded will do: a consent's giver and
 * the person a referral passes on are the recorder's own, never another organisation's shared contact.
 */
export async function assertContactOf(
  db: Db, actor: Actor, now: Date, contactId: string, subject: { companyCvr: string | null; prospectId: string | null }, field: string, options: { own?: boolean } = {},
) {
  const subjectWhere = subject.companyCvr ? sql`ct.company_cvr = ${subject.companyCvr}` : sql`ct.prospect_id = ${subject.prospectId}`;
  const ownWhere = options.own ? sql`ct.organisation_id = ${actor.organisationId}` : sql`TRUE`;
  if ((await findContacts(db, actor, now, sql`ct.id = ${contactId} AND ${subjectWhere} AND ${ownWhere}`)).length === 0) throw fieldProblem(field, 'contact.unknown');
}
