import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldProblem, HttpProblem } from '../../http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { municipalities } from '../organisations/schema.ts';
import { prospects } from './schema.ts';
import type { NewProspect, ProspectData } from './schemas.ts';

async function findProspects(db: Db, where: SQL): Promise<ProspectData[]> {
  const rows = await db
    .select({ p: prospects, municipalityName: municipalities.name })
    .from(prospects)
    .leftJoin(municipalities, eq(municipalities.code, prospects.municipalityCode))
    .where(where)
    .orderBy(desc(prospects.createdAt));
  return rows.map(({ p, municipalityName }) => ({
    id: p.id,
    personName: p.personName,
    plannedName: p.plannedName,
    municipality: p.municipalityCode != null && municipalityName ? { code: p.municipalityCode, name: municipalityName } : null,
    description: p.description,
    organisationId: p.organisationId,
    companyCvr: p.companyCvr,
    linkedAt: p.linkedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  }));
}

/** The prospects an organisation recorded, newest first. */
export const findProspectsOf = (db: Db, organisationId: string) => findProspects(db, eq(prospects.organisationId, organisationId));

export async function findProspect(db: Db, id: string): Promise<ProspectData | undefined> {
  return (await findProspects(db, eq(prospects.id, id)))[0];
}

/** Who owns a prospect and whether it is linked yet: what the policy and the link rule need. */
export async function findProspectOwnership(db: Db, id: string) {
  const [prospect] = await db.select({ id: prospects.id, organisationId: prospects.organisationId, companyCvr: prospects.companyCvr }).from(prospects).where(eq(prospects.id, id));
  return prospect;
}

export async function createProspect(db: Db, actor: Actor, body: NewProspect): Promise<string> {
  const { municipalityCode } = body;
  if (municipalityCode !== undefined) {
    const [known] = await db.select({ code: municipalities.code }).from(municipalities).where(eq(municipalities.code, municipalityCode));
    if (!known) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(prospects)
      .values({ ...body, organisationId: actor.organisationId, createdBy: actor.userId })
      .returning({ id: prospects.id });
    await audit(tx, actor, { action: 'create', entity: 'prospect', entityId: row!.id });
    return row!.id;
  });
}

/** Links a prospect to the CVR number of the company it founded: once, never changed after. */
export async function linkProspect(db: Db, actor: Actor, now: Date, prospect: { id: string; companyCvr: string | null }, cvr: string): Promise<void> {
  if (prospect.companyCvr) throw new HttpProblem(409, 'prospect.alreadyLinked');
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, cvr));
  if (!company) throw fieldProblem('cvr', 'company.notFound', { cvr });
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(prospects)
      .set({ companyCvr: company.cvr, linkedAt: now })
      .where(and(eq(prospects.id, prospect.id), isNull(prospects.companyCvr)))
      .returning({ id: prospects.id });
    if (updated.length === 0) throw new HttpProblem(409, 'prospect.alreadyLinked');
    await audit(tx, actor, { action: 'link', entity: 'prospect', entityId: prospect.id, companyCvr: company.cvr });
  });
}
