import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../../lib/csv.ts';
import { isoTime } from '../../lib/rows.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companySearchWhere } from '../companies/service.ts';
import { companyLists } from './schema.ts';

/** A campaign list holds at most this many companies. */
const MAX_MEMBERS = 50_000;

const listSchema = z.object({ id: z.string(), name: z.string(), filters: z.unknown(), count: z.number(), excludedProtected: z.number(), createdAt: z.string() });
const filtersSchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  municipality: z.number().int().min(100).max(999).optional(),
  industry: z.string().trim().regex(/^\d{1,6}$/, { message: 'invalidFormat' }).optional(),
});

/**
 * Company lists from a search, e.g. for a campaign. Advertising-protected companies (reklamebeskyttede)
 * are left out when the list is made, and again whenever it is read, so they never reach a campaign.
 */
export const listRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  const listView = async (id: string) => {
    const [row] = (await db.execute<{ id: string; name: string; filters: unknown; count: number; excluded: number; created_at: Date }>(sql`
      SELECT l.id, l.name, l.filters, l.created_at,
        (SELECT count(*)::int FROM company_list_members m JOIN companies c ON c.cvr = m.cvr WHERE m.list_id = l.id AND NOT c.advertising_protected) AS count,
        coalesce((l.filters ->> 'excludedProtected')::int, 0) AS excluded
      FROM company_lists l WHERE l.id = ${id}`)).rows;
    if (!row) return undefined;
    const filters = typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters;
    return { id: row.id, name: row.name, filters, count: Number(row.count), excludedProtected: Number(row.excluded), createdAt: isoTime(row.created_at)! };
  };

  app.post(
    '/lists',
    { schema: { tags: ['lists'], summary: 'Make a company list from a search, without advertising-protected companies', body: z.strictObject({ name: z.string().trim().min(1).max(200), filters: filtersSchema }), response: { 201: listSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.list.create(actor));
      const { name, filters } = request.body;
      const search = await companySearchWhere(db, filters);
      const id = await db.transaction(async (tx) => {
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
      return reply.code(201).send((await listView(id))!);
    },
  );

  app.get(
    '/lists',
    { schema: { tags: ['lists'], summary: "The organisation's company lists", response: { 200: z.object({ items: z.array(listSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const lists = await db.select({ id: companyLists.id }).from(companyLists).where(eq(companyLists.organisationId, actor.organisationId)).orderBy(desc(companyLists.createdAt));
      return { items: (await Promise.all(lists.map((l) => listView(l.id)))).filter((l) => l !== undefined) };
    },
  );

  app.get(
    '/lists/:id/companies.csv',
    { schema: { tags: ['lists'], summary: 'The companies of a list as CSV (semicolon-separated, UTF-8)', params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const [list] = await db.select().from(companyLists).where(and(eq(companyLists.id, request.params.id)));
      authorizeVisible(!!list && policy.list.read(actor, list), 'list.notFound');
      const rows = (await db.execute<Record<string, unknown>>(sql`
        SELECT c.cvr, c.name, c.address_text, c.postal_code, c.city, m.name AS municipality, c.industry_code, c.industry_text, c.employees_interval
        FROM company_list_members lm JOIN companies c ON c.cvr = lm.cvr LEFT JOIN municipalities m ON m.code = c.municipality_code
        WHERE lm.list_id = ${list.id} AND NOT c.advertising_protected
        ORDER BY c.name, c.cvr`)).rows;
      const header = ['CVR', 'Navn', 'Adresse', 'Postnr.', 'By', 'Kommune', 'Branchekode', 'Branche', 'Ansatte'];
      const keys = ['cvr', 'name', 'address_text', 'postal_code', 'city', 'municipality', 'industry_code', 'industry_text', 'employees_interval'];
      // Register text is written as text (defused like any other), so a CVR or postcode keeps its form.
      const csv = toCsv(header, rows.map((r) => keys.map((k) => (r[k] == null ? null : String(r[k])))));
      await audit(db, actor, { action: 'export', entity: 'list', entityId: list.id, details: { count: rows.length } });
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="liste-${list.id}.csv"`)
        .send(csv);
    },
  );
};
