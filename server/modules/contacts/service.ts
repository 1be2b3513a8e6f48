import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crmVisible, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { contacts } from './schema.ts';
import type { ContactData, NewContact } from './schemas.ts';

type Row = {
  id: string; company_cvr: string | null; prospect_id: string | null; organisation_id: string; organisation_name: string; name: string;
  title: string | null; email: string | null; phone: string | null; created_at: Date; erased_at: Date | null;
};

/** Contacts are personal data: visible to their organisation, and to others under a sharing consent. */
export async function findContacts(db: Db, actor: Actor, now: Date, where: SQL, options: { anyOrganisation?: boolean } = {}): Promise<ContactData[]> {
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

/** Records a contact person of the actor's organisation on a company (which must exist) or a prospect; returns its id. */
export async function createContact(db: Db, actor: Actor, subject: { companyCvr: string } | { prospectId: string }, body: NewContact): Promise<string> {
  if ('companyCvr' in subject) {
    const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, subject.companyCvr));
    if (!company) throw fieldProblem('cvr', 'company.notFound', { cvr: subject.companyCvr });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contacts)
      .values({ ...body, ...subject, organisationId: actor.organisationId, createdBy: actor.userId })
      .returning({ id: contacts.id });
    const where = 'companyCvr' in subject ? { companyCvr: subject.companyCvr } : { details: { prospect: subject.prospectId } };
    await audit(tx, actor, { action: 'create', entity: 'contact', entityId: row!.id, ...where });
    return row!.id;
  });
}

/** Erases a contact person: personal data anonymised, the rows that statistics count kept. */
export async function eraseContact(db: Db, actor: Actor, now: Date, contact: ContactData): Promise<void> {
  if (contact.erased) throw conflict('contact.alreadyErased');
  await db.transaction(async (tx) => {
    await tx.update(contacts).set({ name: ERASED_NAME, title: null, email: null, phone: null, erasedAt: now }).where(eq(contacts.id, contact.id));
    // The person's name also stands on the consents they gave; the consents themselves stay as evidence.
    await tx.execute(sql`UPDATE consents SET given_by_name = ${ERASED_NAME} WHERE given_by_contact_id = ${contact.id}`);
    await audit(tx, actor, { action: 'erase', entity: 'contact', entityId: contact.id, companyCvr: contact.companyCvr });
  });
}

/** The actor's organisation's contacts with no sign of life for `years` years (candidates for erasure), with their last activity. */
export async function retentionCandidates(db: Db, actor: Actor, now: Date, years: number): Promise<(ContactData & { lastActivityOn: string | null })[]> {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  // Last sign of life: the newest activity naming the contact, else when it was recorded.
  const rows = (await db.execute<{ id: string; last_activity_on: string | null }>(sql`
    SELECT ct.id, to_char(max(a.occurred_on), 'YYYY-MM-DD') AS last_activity_on
    FROM contacts ct LEFT JOIN activities a ON a.contact_id = ct.id
    WHERE ct.organisation_id = ${actor.organisationId} AND ct.erased_at IS NULL
    GROUP BY ct.id
    HAVING greatest(max(a.occurred_on)::timestamptz, min(ct.created_at)) < ${cutoff.toISOString()}::timestamptz`)).rows;
  const last = new Map(rows.map((r) => [r.id, r.last_activity_on]));
  const items = rows.length ? await findContacts(db, actor, now, sql`ct.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.id))}::jsonb)::uuid)`) : [];
  return items.map((c) => ({ ...c, lastActivityOn: last.get(c.id) ?? null }));
}

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
