import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { toCsv } from '../../lib/csv.ts';
import { isoTime } from '../../lib/rows.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companySearchWhere } from '../companies/service.ts';
import { companyLists } from './schema.ts';
import type { CompanyList, NewCompanyList } from './schemas.ts';

/** A campaign list holds at most this many companies. */
const MAX_MEMBERS = 50_000;

export async function findList(db: Db, id: string): Promise<CompanyList | undefined> {
  const [row] = (await db.execute<{ id: string; name: string; filters: unknown; count: number; excluded: number; created_at: Date }>(sql`
    SELECT l.id, l.name, l.filters, l.created_at,
      (SELECT count(*)::int FROM company_list_members m JOIN companies c ON c.cvr = m.cvr WHERE m.list_id = l.id AND NOT c.advertising_protected) AS count,
      coalesce((l.filters ->> 'excludedProtected')::int, 0) AS excluded
    FROM company_lists l WHERE l.id = ${id}`)).rows;
  if (!row) return undefined;
  const filters = typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters;
  return { id: row.id, name: row.name, filters, count: Number(row.count), excludedProtected: Number(row.excluded), createdAt: isoTime(row.created_at)! };
}

/** An organisation's lists, newest first. */
export async function findListsOf(db: Db, organisationId: string): Promise<CompanyList[]> {
  const lists = await db.select({ id: companyLists.id }).from(companyLists).where(eq(companyLists.organisationId, organisationId)).orderBy(desc(companyLists.createdAt));
  return (await Promise.all(lists.map((l) => findList(db, l.id)))).filter((l) => l !== undefined);
}

/** Who owns a list: what the policy needs. */
export async function findListOwnership(db: Db, id: string) {
  const [list] = await db.select({ id: companyLists.id, organisationId: companyLists.organisationId }).from(companyLists).where(eq(companyLists.id, id));
  return list;
}

/** Makes a list from a search, leaving out advertising-protected companies (and counting them); returns its id. */
export async function createList(db: Db, actor: Actor, { name, filters }: NewCompanyList): Promise<string> {
  const search = await companySearchWhere(db, filters);
  return db.transaction(async (tx) => {
    const [list] = await tx.insert(companyLists).values({ name, filters, organisationId: actor.organisationId, createdBy: actor.userId }).returning({ id: companyLists.id });
    let excluded = 0;
    if (search) {
      await tx.execute(sql`INSERT INTO company_list_members (list_id, cvr)
        SELECT ${list!.id}::uuid, c.cvr FROM companies c ${search.where} AND NOT c.advertising_protected ORDER BY c.cvr LIMIT ${MAX_MEMBERS}`);
      const [row] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM companies c ${search.where} AND c.advertising_protected`)).rows;
      excluded = Number(row?.n ?? 0);
    }
    await tx.execute(sql`UPDATE company_lists SET filters = filters || jsonb_build_object('excludedProtected', ${excluded}::int) WHERE id = ${list!.id}`);
    await audit(tx, actor, { action: 'create', entity: 'list', entityId: list!.id, details: { filters } });
    return list!.id;
  });
}

/** A list's companies as CSV, without those advertising-protected by now; audited as an export. */
export async function exportListCsv(db: Db, actor: Actor, listId: string): Promise<string> {
  const rows = (await db.execute<Record<string, unknown>>(sql`
    SELECT c.cvr, c.name, c.address_text, c.postal_code, c.city, m.name AS municipality, c.industry_code, c.industry_text, c.employees_interval
    FROM company_list_members lm JOIN companies c ON c.cvr = lm.cvr LEFT JOIN municipalities m ON m.code = c.municipality_code
    WHERE lm.list_id = ${listId} AND NOT c.advertising_protected
    ORDER BY c.name, c.cvr`)).rows;
  const header = ['CVR', 'Navn', 'Adresse', 'Postnr.', 'By', 'Kommune', 'Branchekode', 'Branche', 'Ansatte'];
  const keys = ['cvr', 'name', 'address_text', 'postal_code', 'city', 'municipality', 'industry_code', 'industry_text', 'employees_interval'];
  // Register text is written as text (defused like any other), so a CVR or postcode keeps its form.
  const csv = toCsv(header, rows.map((r) => keys.map((k) => (r[k] == null ? null : String(r[k])))));
  await audit(db, actor, { action: 'export', entity: 'list', entityId: listId, details: { count: rows.length } });
  return csv;
}
