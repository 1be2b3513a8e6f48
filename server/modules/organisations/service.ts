import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict } from '../../http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { deliveryCategories } from '../engagements/schema.ts';
import { users } from '../users/schema.ts';
import { municipalities, organisations } from './schema.ts';
import type { newDeliveryCategoryBody } from './schemas.ts';

const kkr = alias(organisations, 'kkr');
const hub = alias(organisations, 'hub');

const danishOrder = new Intl.Collator('da');

/** Every organisation, by type and name. */
export function listOrganisations(db: Db) {
  return db
    .select({ id: organisations.id, key: organisations.key, name: organisations.name, type: organisations.type, municipalityCode: organisations.municipalityCode, parentId: organisations.parentId })
    .from(organisations)
    .orderBy(asc(organisations.type), asc(organisations.name));
}

/** Every municipality with its region, KKR and business hub, by name. */
export function listMunicipalities(db: Db) {
  return db
    .select({ code: municipalities.code, name: municipalities.name, region: municipalities.region, kkr: kkr.name, hub: hub.name, population2020: municipalities.population2020 })
    .from(municipalities)
    .innerJoin(kkr, eq(kkr.id, municipalities.kkrId))
    .innerJoin(hub, eq(hub.id, municipalities.hubId))
    .orderBy(asc(municipalities.name));
}

/** Every municipality by code and name, in Danish alphabetical order. */
export async function municipalityNames(db: Db) {
  // Danish alphabetical order (Æ, Ø, Å last; Aa as Å) whatever the database's collation.
  const items = await db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities);
  return items.sort((a, b) => danishOrder.compare(a.name, b.name));
}

/** An organisation's active users, by name. */
export function activeColleagues(db: Db, organisationId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.organisationId, organisationId), eq(users.active, true)))
    .orderBy(asc(users.name));
}

/** An organisation's active delivery categories, by name. */
export function activeDeliveryCategories(db: Db, organisationId: string) {
  return db
    .select({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential })
    .from(deliveryCategories)
    .where(and(eq(deliveryCategories.organisationId, organisationId), eq(deliveryCategories.active, true)))
    .orderBy(deliveryCategories.name);
}

/** Adds a delivery category to an organisation (409 when its key is taken), audited in the same transaction. */
export async function createDeliveryCategory(db: Db, actor: Actor, organisationId: string, category: z.output<typeof newDeliveryCategoryBody>) {
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(deliveryCategories)
      .values({ ...category, organisationId })
      .onConflictDoNothing()
      .returning({ id: deliveryCategories.id, key: deliveryCategories.key, name: deliveryCategories.name, confidential: deliveryCategories.confidential });
    if (inserted.length === 0) throw conflict('problem.409');
    await audit(tx, actor, { action: 'create', entity: 'delivery_category', entityId: inserted[0]!.id, details: category });
    return inserted;
  });
  return row!;
}
