import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict } from '../../http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { offers } from './schema.ts';
import type { catalogueQuery, newOfferBody, offerChangeBody } from './schemas.ts';

type OfferRow = typeof offers.$inferSelect;
const view = (o: OfferRow & { operator_name?: string }, operatorName: string) => {
  const { searchVector: _s, operatorId, ...rest } = o;
  return { ...rest, operator: { id: operatorId, name: operatorName }, createdAt: o.createdAt.toISOString(), updatedAt: o.updatedAt.toISOString() };
};

/** An offer with its operator's name, as the back office and the catalogue show it. */
export type OfferView = ReturnType<typeof view>;

async function withOperator(db: Db, where: SQL, limit = 100, offset = 0, order: SQL = sql`o.title, o.id`) {
  const rows = (await db.execute<Record<string, unknown>>(sql`
    SELECT o.id FROM offers o WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`)).rows;
  const ids = rows.map((r) => String(r.id));
  if (ids.length === 0) return [];
  const full = await db.execute<{ id: string; name: string }>(sql`SELECT o.id, org.name FROM offers o JOIN organisations org ON org.id = o.operator_id WHERE o.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
  const names = new Map(full.rows.map((r) => [r.id, r.name]));
  const records = await db.select().from(offers).where(sql`${offers.id} IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
  const byId = new Map(records.map((r) => [r.id, r]));
  return ids.map((id) => view(byId.get(id)!, names.get(id) ?? ''));
}

/** An organisation's offers, all statuses, by title. */
export function listOffersOf(db: Db, organisationId: string): Promise<OfferView[]> {
  return withOperator(db, sql`o.operator_id = ${organisationId}`, 500);
}

/** An offer with its operator's name, or undefined. */
export async function offerWithOperator(db: Db, id: string): Promise<OfferView | undefined> {
  return (await withOperator(db, sql`o.id = ${id}`))[0];
}

/** A published offer with its operator's name, or undefined. */
export async function publishedOffer(db: Db, id: string): Promise<OfferView | undefined> {
  return (await withOperator(db, sql`o.id = ${id} AND o.status = 'published'`))[0];
}

/** An offer's row, or undefined. */
export async function findOffer(db: Db, id: string): Promise<OfferRow | undefined> {
  const [offer] = await db.select().from(offers).where(eq(offers.id, id));
  return offer;
}

/** Creates an offer of the actor's organisation (as a draft), audited in the same transaction. Its id. */
export async function createOffer(db: Db, actor: Actor, values: z.output<typeof newOfferBody>): Promise<string> {
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx.insert(offers).values({ ...values, operatorId: actor.organisationId }).returning({ id: offers.id });
    await audit(tx, actor, { action: 'create', entity: 'offer', entityId: inserted[0]!.id });
    return inserted;
  });
  return row!.id;
}

/** Changes an offer if it is still at `version` (else 409 offer.stale), audited in the same transaction. */
export async function changeOffer(db: Db, actor: Actor, offerId: string, version: number, changes: Omit<z.output<typeof offerChangeBody>, 'version'>, now: Date) {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(offers)
      .set({ ...changes, version: sql`${offers.version} + 1`, updatedAt: now })
      .where(and(eq(offers.id, offerId), eq(offers.version, version)))
      .returning({ id: offers.id });
    if (updated.length === 0) throw conflict('offer.stale');
    await audit(tx, actor, { action: 'update', entity: 'offer', entityId: offerId, details: { fields: Object.keys(changes) } });
  });
}

/** Publishes or archives an offer, audited (as the action) in the same transaction. */
export async function moveOffer(db: Db, actor: Actor, offerId: string, action: 'publish' | 'archive', to: OfferRow['status'], now: Date) {
  await db.transaction(async (tx) => {
    await tx.update(offers).set({ status: to, version: sql`${offers.version} + 1`, updatedAt: now }).where(eq(offers.id, offerId));
    await audit(tx, actor, { action, entity: 'offer', entityId: offerId });
  });
}

/**
 * A page of the public catalogue: published offers whose period has not ended by `today`, matching
 * free text, theme, target group, phase and municipality; with how many match in all.
 */
export async function searchCatalogue(db: Db, query: z.output<typeof catalogueQuery>, today: string): Promise<{ items: OfferView[]; total: number; hasMore: boolean }> {
  const { q, theme, targetGroup, phase, municipality, page, pageSize } = query;
  const filters = [sql`o.status = 'published'`, sql`(o.period_end IS NULL OR o.period_end >= ${today}::date)`];
  let order = sql`o.title, o.id`;
  if (q) {
    // websearch syntax, Danish stemming: "eksport tyskland" finds "eksportere til Tyskland".
    filters.push(sql`o.search_vector @@ websearch_to_tsquery('danish', ${q})`);
    order = sql`ts_rank(o.search_vector, websearch_to_tsquery('danish', ${q})) DESC, o.title, o.id`;
  }
  if (theme) filters.push(sql`${theme} = ANY(o.themes)`);
  if (targetGroup) filters.push(sql`${targetGroup} = ANY(o.target_groups)`);
  if (phase) filters.push(sql`${phase} = ANY(o.phases)`);
  if (municipality) filters.push(sql`(cardinality(o.municipality_codes) = 0 OR ${municipality}::int = ANY(o.municipality_codes))`);
  const where = sql.join(filters, sql` AND `);
  const items = await withOperator(db, where, pageSize + 1, (page - 1) * pageSize, order);
  const [{ total }] = (await db.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM offers o WHERE ${where}`)).rows as [{ total: number }];
  return { items: items.slice(0, pageSize), total: Number(total), hasMore: items.length > pageSize };
}

/** Up to five published offers on a theme, to go on with after a self-assessment. */
export function suggestedOffers(db: Db, theme: string): Promise<OfferView[]> {
  return withOperator(db, sql`o.status = 'published' AND ${theme} = ANY(o.themes)`, 5, 0);
}
