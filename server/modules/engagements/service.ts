import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { abilities, authorize, authorizeVisible, crmVisible, ownCrmVisible, policy, type Actor } from '../../policies/index.ts';
import { isoTime } from '../../lib/rows.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { invitationDecision, inviteToEvaluation } from '../evaluations/invitations.ts';
import type { InvitationPreview } from '../evaluations/schemas.ts';
import { users } from '../users/schema.ts';
import { deliveryCategories, engagements } from './schema.ts';
import type { EngagementData, engagementChangeBody, newEngagementBody } from './schemas.ts';
import type { z } from 'zod';

export type EngagementView = EngagementData;

type Row = {
  id: string; company_cvr: string | null; company_name: string | null; prospect_id: string | null; person_name: string | null;
  organisation_id: string; organisation_name: string; responsible_user_id: string; responsible_name: string; level: 'basic' | 'specialised';
  delivery_category_id: string | null; dc_key: string | null; dc_name: string | null; dc_confidential: boolean | null; themes: string[];
  status: 'open' | 'closed'; outcome: string | null; opened_on: string; closed_on: string | null; description: string; confidential: boolean;
  version: number; created_at: Date; updated_at: Date;
};

const toView = (r: Row): EngagementView => ({
  id: r.id,
  company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
  prospect: r.prospect_id ? { id: r.prospect_id, personName: r.person_name ?? '' } : null,
  organisation: { id: r.organisation_id, name: r.organisation_name },
  responsible: { id: r.responsible_user_id, name: r.responsible_name },
  level: r.level,
  deliveryCategory: r.delivery_category_id ? { id: r.delivery_category_id, key: r.dc_key!, name: r.dc_name!, confidential: !!r.dc_confidential } : null,
  themes: r.themes,
  status: r.status,
  outcome: r.outcome,
  openedOn: r.opened_on,
  closedOn: r.closed_on,
  description: r.description,
  confidential: r.confidential,
  version: Number(r.version),
  createdAt: isoTime(r.created_at)!,
  updatedAt: isoTime(r.updated_at)!,
});

/**
 * Engagements the actor may see, matching `where`, newest first. `ownOrganisation` restricts to the
 * actor's own organisation's engagements (its list), with the visibility rule that applies there.
 */
export async function findEngagements(db: Db, actor: Actor, now: Date, where: SQL, page?: { limit: number; offset: number }, options: { ownOrganisation?: boolean } = {}): Promise<EngagementView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT e.id, e.company_cvr, c.name AS company_name, e.prospect_id, p.person_name, e.organisation_id, o.name AS organisation_name,
      e.responsible_user_id, u.name AS responsible_name, e.level, e.delivery_category_id, dc.key AS dc_key, dc.name AS dc_name,
      dc.confidential AS dc_confidential, e.themes, e.status, e.outcome, to_char(e.opened_on, 'YYYY-MM-DD') AS opened_on,
      to_char(e.closed_on, 'YYYY-MM-DD') AS closed_on, e.description, e.confidential, e.version, e.created_at, e.updated_at
    FROM engagements e
      JOIN organisations o ON o.id = e.organisation_id
      JOIN users u ON u.id = e.responsible_user_id
      LEFT JOIN companies c ON c.cvr = e.company_cvr
      LEFT JOIN prospects p ON p.id = e.prospect_id
      LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id
    WHERE ${options.ownOrganisation ? ownCrmVisible(actor, 'e') : crmVisible(actor, 'e', now)} AND ${where}
    -- NULLS LAST as in the index (the columns are NOT NULL, but the planner matches the spelling).
    ORDER BY e.opened_on DESC NULLS LAST, e.created_at DESC NULLS LAST, e.id
    ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`)).rows;
  return rows.map(toView);
}

export async function findEngagement(db: Db, actor: Actor, now: Date, id: string): Promise<EngagementView | undefined> {
  const [engagement] = await findEngagements(db, actor, now, sql`e.id = ${id}`);
  return engagement;
}

/** An engagement with what the actor may do with it, as every answer that returns one sends it. */
export const presentEngagement = <E extends EngagementView>(actor: Actor, engagement: E) => ({ ...engagement, abilities: abilities.engagement(actor, engagement) });

/** An engagement the actor may change: invisible ones are 404, visible but not theirs 403. */
export async function engagementForChange(db: Db, actor: Actor, now: Date, id: string) {
  const engagement = await findEngagement(db, actor, now, id);
  authorizeVisible(!!engagement, 'engagement.notFound');
  authorize(policy.crm.change(actor, { organisationId: engagement.organisation.id, confidential: engagement.confidential }));
  return engagement;
}

/** The responsible adviser is an active user of the organisation, with the EW permission for a confidential engagement. */
export async function assertResponsible(db: Db, organisationId: string, userId: string, confidential: boolean) {
  const [user] = await db.select({ id: users.id, earlyWarning: users.earlyWarning }).from(users).where(and(eq(users.id, userId), eq(users.organisationId, organisationId), eq(users.active, true)));
  if (!user) throw fieldProblem('responsibleUserId', 'engagement.responsibleUnknown');
  if (confidential && !user.earlyWarning) throw fieldProblem('responsibleUserId', 'engagement.responsibleNotEw');
}

/** Whether the company is known. */
export async function companyExists(db: Db, cvr: string): Promise<boolean> {
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, cvr));
  return !!company;
}

/** The organisation holding a prospect, if the prospect exists. */
export async function prospectOrganisationId(db: Db, prospectId: string): Promise<string | undefined> {
  const [prospect] = await db.execute<{ organisation_id: string }>(sql`SELECT organisation_id FROM prospects WHERE id = ${prospectId}`).then((r) => r.rows);
  return prospect?.organisation_id;
}

/** One of the organisation's delivery categories, else a field error. */
export async function categoryOf(db: Db, organisationId: string, categoryId: string) {
  const [category] = await db.select().from(deliveryCategories).where(and(eq(deliveryCategories.id, categoryId), eq(deliveryCategories.organisationId, organisationId)));
  if (!category) throw fieldProblem('deliveryCategoryId', 'engagement.categoryUnknown');
  return category;
}

type NewEngagement = z.output<typeof newEngagementBody>;

/** Opens an engagement of the actor's organisation, checked and authorised by the caller; its id. */
export async function insertEngagement(
  db: Db,
  actor: Actor,
  values: Omit<NewEngagement, 'deliveryCategoryId' | 'responsibleUserId' | 'openedOn'> & { deliveryCategoryId: string | null; responsibleUserId: string; openedOn: string },
): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(engagements)
      .values({ ...values, companyCvr: values.companyCvr ?? null, prospectId: values.prospectId ?? null, organisationId: actor.organisationId })
      .returning({ id: engagements.id });
    await audit(tx, actor, { action: 'create', entity: 'engagement', entityId: row!.id, companyCvr: values.companyCvr ?? null, details: { confidential: values.confidential } });
    return row!.id;
  });
}

/** Changes an engagement if `version` is still the one read (else 409). */
export async function updateEngagement(db: Db, actor: Actor, now: Date, engagement: EngagementView, change: z.output<typeof engagementChangeBody>) {
  const { version, deliveryCategoryId, ...changes } = change;
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(engagements)
      .set({ ...changes, ...(deliveryCategoryId !== undefined ? { deliveryCategoryId } : {}), version: sql`${engagements.version} + 1`, updatedAt: now })
      .where(and(eq(engagements.id, engagement.id), eq(engagements.version, version)))
      .returning({ id: engagements.id });
    if (updated.length === 0) throw conflict('engagement.stale');
    await audit(tx, actor, { action: 'update', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null, details: { fields: Object.keys(change) } });
  });
}

/**
 * What closing the engagement now would do about its evaluation: whether an invitation goes out and to
 * which contact, or why not. The very decision `closeEngagement` acts on (`invitationDecision`).
 */
export async function closePreview(db: Db, now: Date, engagement: EngagementView): Promise<{ evaluationInvitation: InvitationPreview }> {
  const decision = await invitationDecision(db, engagement.id, now, 'close');
  return {
    evaluationInvitation: decision.willSend
      ? { willSend: true, contact: { name: decision.contact.name, email: decision.contact.email }, reason: null }
      : { willSend: false, contact: null, reason: decision.reason },
  };
}

/**
 * Closes an open engagement if `version` is still the one read (else 409). Specialised guidance is
 * evaluated: the invitation is queued with the closing, or not at all. Returns what became of it.
 */
export async function closeEngagement(
  db: Db,
  actor: Actor,
  now: Date,
  engagement: EngagementView,
  closing: { version: number; outcome: string; closedOn: string },
  links: Parameters<typeof inviteToEvaluation>[3],
) {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(engagements)
      .set({ status: 'closed', closedOn: closing.closedOn, outcome: closing.outcome, version: sql`${engagements.version} + 1`, updatedAt: now })
      .where(and(eq(engagements.id, engagement.id), eq(engagements.version, closing.version), eq(engagements.status, 'open')))
      .returning({ id: engagements.id });
    if (updated.length === 0) throw conflict('engagement.stale');
    await audit(tx, actor, { action: 'close', entity: 'engagement', entityId: engagement.id, companyCvr: engagement.company?.cvr ?? null });
    return inviteToEvaluation(tx, engagement.id, now, links, 'close');
  });
}
