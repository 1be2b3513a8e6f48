import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { positionalSql, type Database, type Db } from '../../db/client.ts';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { municipalities } from '../organisations/schema.ts';
import { COMPANY_COLUMNS, serializeBatch, type SerializedBatch } from './batch.ts';
import { isCeasedStatus, searchNameOf, type CompanyRecord } from './cvr-document.ts';
import { companies } from './schema.ts';
import type { CompanyData, CompanySearchResult, CompanySummary, NewCompany, PublicCompany } from './schemas.ts';

const recordsetTypes = `cvr text, name text, secondary_names text[], search_name text, company_form_code int,
  company_form_short text, company_form_long text, street text, address_text text, postal_code int, city text,
  municipality_code int, industry_code text, industry_text text, status text, status_since date, founded_on date, employees int,
  employees_interval text, employees_period text, advertising_protected boolean`;
const unitTypes = 'p_number text, cvr text, valid_from date, valid_to date';

const columnList = COMPANY_COLUMNS.join(', ');
const updateList = COMPANY_COLUMNS.filter((c) => c !== 'cvr').map((c) => `${c} = excluded.${c}`).join(', ');

/**
 * Upserts register data by CVR in one statement per batch (the whole batch travels as one jsonb
 * parameter, which is what makes national-scale imports fast on both drivers).
 */
export async function upsertCompanies(database: Database, records: CompanyRecord[], source: 'cvr' | 'manual' = 'cvr') {
  if (records.length === 0) return { created: 0, updated: 0 };
  return upsertSerialized(database, serializeBatch(records), source);
}

export async function upsertSerialized(database: Database, batch: SerializedBatch, source: 'cvr' | 'manual' = 'cvr') {
  return database.db.transaction((tx) => upsertSerializedIn(tx, batch, source));
}

/**
 * Staging tables for a batch in COPY text (PostgreSQL only): temporary, so nothing is logged for
 * them, and emptied at each commit. Created in the batch's transaction rather than once per
 * connection, so a pooler handing out connections per transaction is no trouble.
 */
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS kp_import_companies (${recordsetTypes}, source text) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS kp_import_units (${unitTypes}) ON COMMIT DELETE ROWS`;

const upsertCompaniesFrom = (rows: SQL, source: SQL) => sql`
  WITH upserted AS (
    INSERT INTO companies (${sql.raw(columnList)}, source)
    SELECT ${sql.raw(columnList)}, ${source} FROM ${rows}
    ON CONFLICT (cvr) DO UPDATE SET ${sql.raw(updateList)}, source = excluded.source, updated_at = now()
    RETURNING xmax = 0 AS inserted)
  SELECT count(*) FILTER (WHERE inserted)::int AS created FROM upserted`;

const upsertUnitsFrom = (rows: SQL) => sql`
  INSERT INTO production_units (p_number, cvr, valid_from, valid_to)
  SELECT p_number, cvr, valid_from, valid_to FROM ${rows}
  ON CONFLICT (p_number) DO UPDATE SET cvr = excluded.cvr, valid_from = excluded.valid_from, valid_to = excluded.valid_to
  -- A unit that moved stays with its new owner when the former one's document, listing it as ended, comes later (olderClaim).
  WHERE production_units.cvr = excluded.cvr OR excluded.valid_to IS NULL
    OR (production_units.valid_to IS NOT NULL AND excluded.valid_to >= production_units.valid_to)`;

type Upsertable = Pick<SerializedBatch, 'cvrs' | 'companiesJson' | 'unitsJson' | 'companiesCopy' | 'unitsCopy'>;

/**
 * The same within a transaction (or savepoint) the caller holds: the CVR import adds its audit entry to it.
 * A batch in COPY text (the CVR import on PostgreSQL) goes in by COPY, see `upsertCopied`.
 */
export async function upsertSerializedIn(tx: Db, batch: Upsertable, source: 'cvr' | 'manual' = 'cvr', options: { staged?: boolean } = {}) {
  if (batch.companiesCopy !== undefined) return upsertCopied(tx, batch, options.staged ?? false);
  const result = await tx.execute<{ created: number }>(upsertCompaniesFrom(sql`jsonb_to_recordset(${batch.companiesJson}::jsonb) AS r(${sql.raw(recordsetTypes)})`, sql`${source}`));
  if (batch.unitsJson) await tx.execute(upsertUnitsFrom(sql`jsonb_to_recordset(${batch.unitsJson}::jsonb) AS u(${sql.raw(unitTypes)})`));
  const created = Number(result.rows[0]?.created ?? 0);
  return { created, updated: batch.cvrs.length - created };
}

/**
 * A batch in COPY text: PostgreSQL reads COPY text far faster than it parses the same rows as jsonb,
 * and COPY into a table is cheaper than an upsert. Companies and P-units that are not stored yet
 * (all of them in a first import) are copied straight in; the others go through staging tables and
 * the upsert. Should another session store one of them in between, the COPY fails on the key and the
 * importer writes the batch again row by row, `staged` (only the upsert), where that is no conflict.
 */
async function upsertCopied(tx: Db, batch: Upsertable, staged: boolean) {
  const client = clientOf(tx);
  const companies = await split(client, staged, batch.companiesCopy!, batch.cvrs, 'SELECT cvr AS key FROM companies WHERE cvr = ANY($1::text[])');
  let created = 0;
  if (companies.fresh) created += await copyIn(client, `COPY companies (${columnList}, source) FROM STDIN`, companies.fresh);
  const unitRows = batch.unitsCopy ? batch.unitsCopy.split('\n').slice(0, -1) : [];
  const units = unitRows.length ? await split(client, staged, batch.unitsCopy!, unitRows.map((row) => row.slice(0, row.indexOf('\t'))), 'SELECT p_number AS key FROM production_units WHERE p_number = ANY($1::text[])') : { fresh: '', stored: '' };
  if (companies.stored || units.stored) await tx.execute(sql.raw(STAGING));
  if (companies.stored) {
    await copyIn(client, `COPY kp_import_companies (${columnList}, source) FROM STDIN`, companies.stored);
    const result = await tx.execute<{ created: number }>(upsertCompaniesFrom(sql.raw('kp_import_companies'), sql.raw('source')));
    created += Number(result.rows[0]?.created ?? 0);
  }
  if (units.fresh) await copyIn(client, 'COPY production_units (p_number, cvr, valid_from, valid_to) FROM STDIN', units.fresh);
  if (units.stored) {
    await copyIn(client, 'COPY kp_import_units (p_number, cvr, valid_from, valid_to) FROM STDIN', units.stored);
    await tx.execute(upsertUnitsFrom(sql.raw('kp_import_units')));
  }
  // Emptied now rather than at commit: a batch written row by row copies each row in a savepoint of one transaction.
  if (companies.stored || units.stored) await tx.execute(sql.raw('DELETE FROM kp_import_companies; DELETE FROM kp_import_units'));
  return { created, updated: batch.cvrs.length - created };
}

/** The rows of COPY `text` (one per key, in order) whose key is not stored yet (`fresh`), and the others. */
async function split(client: pg.ClientBase, staged: boolean, text: string, keys: string[], storedKeys: string): Promise<{ fresh: string; stored: string }> {
  if (staged) return { fresh: '', stored: text };
  const stored = new Set((await client.query<{ key: string }>(storedKeys, [keys])).rows.map((r) => r.key));
  if (stored.size === 0) return { fresh: text, stored: '' };
  if (stored.size === keys.length) return { fresh: '', stored: text };
  const rows = text.split('\n');
  let fresh = '';
  let kept = '';
  for (let i = 0; i < keys.length; i++) {
    if (stored.has(keys[i]!)) kept += `${rows[i]}\n`;
    else fresh += `${rows[i]}\n`;
  }
  return { fresh, stored: kept };
}

/**
 * The connection a node-postgres transaction holds: Drizzle keeps it to itself, and this is the one
 * way to reach it for COPY (the statements around it still go through `tx`, on the same connection).
 */
function clientOf(tx: Db): pg.ClientBase {
  const client = (tx as unknown as { session?: { client?: pg.ClientBase } }).session?.client;
  if (!client || typeof (client as { query?: unknown }).query !== 'function' || !('connection' in client)) throw new Error('COPY needs a PostgreSQL connection (node-postgres)');
  return client;
}

/** `COPY … FROM STDIN` of `text`; the rows it wrote. */
async function copyIn(client: pg.ClientBase, statement: string, text: string): Promise<number> {
  const stream = client.query(copyFrom(statement));
  await pipeline(Readable.from([text]), stream);
  return stream.rowCount ?? 0;
}

/**
 * Moves the rows a bulk import left in the search indexes' GIN pending lists into the indexes proper.
 * Until vacuum gets to them, every name search scans those lists too: measured at national scale,
 * fuzzy-name p95 went from 51 ms to 29 ms after this (BENCHMARKS.md).
 */
export async function flushSearchIndexes(db: Db): Promise<void> {
  await db.execute(sql`SELECT gin_clean_pending_list('companies_name_words_idx'::regclass), gin_clean_pending_list('search_words_trgm_idx'::regclass)`);
}

type CompanyRow = Omit<CompanyRecord, 'production_units'> & {
  municipality_name: string | null;
  source: 'cvr' | 'manual';
  updated_at: string | Date;
};

/** Runs one positional statement: named and prepared on a `Database`, through the query builder on a bare `Db` (a transaction). */
type Runner = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;
const runnerOf = (db: Db | Database): Runner =>
  'prepared' in db ? (name, text, values) => db.prepared(name, text, values) : async <T>(_name: string, text: string, values: unknown[]) => (await db.execute(positionalSql(text, values))).rows as T[];

/** The company page's one round trip (a named statement on a `Database`): the row, its municipality and its P-units. */
const COMPANY_WITH_UNITS = `SELECT c.*, to_char(c.founded_on, 'YYYY-MM-DD') AS founded_on, to_char(c.status_since, 'YYYY-MM-DD') AS status_since, m.name AS municipality_name,
  COALESCE((SELECT json_agg(json_build_object('p_number', u.p_number, 'valid_from', to_char(u.valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(u.valid_to, 'YYYY-MM-DD'))
    ORDER BY u.valid_to NULLS FIRST, u.p_number) FROM production_units u WHERE u.cvr = c.cvr), '[]'::json) AS units
FROM companies c LEFT JOIN municipalities m ON m.code = c.municipality_code
WHERE c.cvr = $1`;

export async function getCompany(db: Db | Database, cvr: string): Promise<CompanyData | null> {
  const rows = await runnerOf(db)<CompanyRow & { units: { p_number: string; valid_from: string | null; valid_to: string | null }[] }>('kp_company_read', COMPANY_WITH_UNITS, [cvr]);
  const c = rows[0];
  if (!c) return null;
  const units = c.units;
  return {
    cvr: c.cvr,
    name: c.name,
    secondaryNames: c.secondary_names,
    companyForm: c.company_form_code != null || c.company_form_short ? { code: c.company_form_code, short: c.company_form_short, long: c.company_form_long } : null,
    address: c.street || c.city ? { text: c.address_text, street: c.street, postalCode: c.postal_code, city: c.city } : null,
    municipality: c.municipality_code != null ? { code: c.municipality_code, name: c.municipality_name } : null,
    industry: c.industry_code ? { code: c.industry_code, text: c.industry_text } : null,
    status: c.status,
    statusSince: c.status_since ?? null,
    ceased: isCeasedStatus(c.status),
    foundedOn: c.founded_on,
    employees: c.employees != null || c.employees_interval ? { count: c.employees, interval: c.employees_interval, period: c.employees_period } : null,
    advertisingProtected: c.advertising_protected,
    productionUnits: units.map((u) => ({ pNumber: u.p_number, validFrom: u.valid_from, validTo: u.valid_to, active: u.valid_to === null })),
    source: c.source,
    updatedAt: new Date(c.updated_at).toISOString(),
  };
}

/** The register's public name and municipality of a company (the "Få vejledning" form), or null. */
export async function findPublicCompany(db: Db, cvr: string): Promise<PublicCompany | null> {
  const [row] = await db
    .select({ cvr: companies.cvr, name: companies.name, code: municipalities.code, municipalityName: municipalities.name })
    .from(companies)
    .leftJoin(municipalities, eq(municipalities.code, companies.municipalityCode))
    .where(eq(companies.cvr, cvr));
  if (!row) return null;
  return policy.company.publicView({ cvr: row.cvr, name: row.name ?? row.cvr, municipality: row.code === null ? null : { code: row.code, name: row.municipalityName! } });
}

/** Records a company by CVR by hand (register data follows with the next CVR import); a known CVR is a conflict. */
export async function createCompany(db: Db, actor: Actor, input: NewCompany): Promise<string> {
  const { cvr, name = null, municipalityCode = null } = input;
  if (municipalityCode !== null) {
    const [known] = await db.select({ code: municipalities.code }).from(municipalities).where(eq(municipalities.code, municipalityCode));
    if (!known) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });
  }
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(companies)
      .values({ cvr, name, municipalityCode, searchName: searchNameOf(name, []), source: 'manual' })
      .onConflictDoNothing()
      .returning({ cvr: companies.cvr });
    if (inserted.length === 0) throw conflict('company.exists', { cvr });
    await audit(tx, actor, { action: 'create', entity: 'company', entityId: cvr, companyCvr: cvr });
  });
  return cvr;
}

export interface SearchParams {
  q?: string;
  municipality?: number;
  industry?: string;
  page: number;
  pageSize: number;
}

/** Counting stops here: "more than 1.000" is as useful to an adviser as the exact figure, and far cheaper. */
export const COUNT_CAP = 1_000;
/** Name matches ranked per page; a broader query shows its best matches among this many. */
const RANK_POOL = 2_000;

/**
 * For each word of a name query, the words in company names it may mean: those it is a prefix of,
 * and the most similar ones by trigrams (typos). One round trip: tokenising and looking up together.
 * The prefix is a range on the "C"-collated key rather than LIKE, because a pattern that is not a
 * constant cannot use the index; for "C" order the two select exactly the same words.
 */
const CANDIDATE_WORDS = `SELECT w.i::int AS i, x.word
FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, $1))) WITH ORDINALITY AS w(word, i)
LEFT JOIN LATERAL (
  (SELECT sw.word FROM search_words sw WHERE sw.word >= w.word AND sw.word < w.word || chr(1114111) ORDER BY sw.word LIMIT 50)
  UNION
  (SELECT sw.word FROM search_words sw WHERE sw.word % w.word ORDER BY similarity(sw.word, w.word) DESC, sw.word LIMIT 20)
) x ON true
ORDER BY 1`;

async function candidateWords(run: Runner, q: string): Promise<string[][]> {
  // Tokenised exactly as name_words was built, so "a/s" or "el-service" split the same way.
  const rows = await run<{ i: number; word: string | null }>('kp_company_candidate_words', CANDIDATE_WORDS, [q.toLowerCase()]);
  const perWord = new Map<number, string[]>();
  for (const r of rows) {
    const words = perWord.get(r.i) ?? [];
    if (r.word !== null) words.push(r.word);
    perWord.set(r.i, words);
  }
  return [...perWord.values()];
}

const textArray = (values: string[]) => sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/**
 * The WHERE clause of a company search, shared by the search page and campaign lists, or null when
 * the query cannot match anything. `nameQuery` is set when results should be ranked by name.
 */
export async function companySearchWhere(db: Db | Database, params: Pick<SearchParams, 'q' | 'municipality' | 'industry'>): Promise<{ where: SQL; nameQuery: string | null } | null> {
  const q = (params.q ?? '').trim();
  const filters = [];
  let nameQuery: string | null = null;
  if (/^\d{8}$/.test(q)) filters.push(sql`c.cvr = ${q}`);
  else if (/^\d{10}$/.test(q)) filters.push(sql`c.cvr IN (SELECT cvr FROM production_units WHERE p_number = ${q})`);
  else if (/^\d{1,9}$/.test(q)) filters.push(sql`c.cvr LIKE ${q + '%'}`);
  else if (q) {
    // A word too garbled to match anything is dropped rather than emptying the result; ranking
    // against the whole query still puts the closest names first.
    const perWord = (await candidateWords(runnerOf(db), q)).filter((words) => words.length > 0);
    if (perWord.length === 0) return null;
    for (const words of perWord) filters.push(sql`c.name_words && ${textArray(words)}`);
    nameQuery = q.toLowerCase();
  }
  if (params.municipality !== undefined) filters.push(sql`c.municipality_code = ${params.municipality}`);
  if (params.industry) filters.push(sql`c.industry_code LIKE ${params.industry + '%'}`);
  return { where: filters.length ? sql`WHERE ${sql.join(filters, sql` AND `)}` : sql`WHERE TRUE`, nameQuery };
}

const dialect = new PgDialect();
/** A statement's name from its text: each shape of search (number of words, filters) is prepared once per connection. */
const statementName = (text: string) => `kp_company_search_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
async function runNamed<T>(run: Runner, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return run<T>(statementName(text), text, params);
}

/**
 * The search page: one round trip for the page and its count (two for a name query, whose
 * candidate words come first), as named statements. The count comes from the same candidate pool
 * the page is ranked in; the pool (RANK_POOL) is larger than COUNT_CAP, so it counts as far as a
 * count of all matches would.
 */
export async function searchCompanies(db: Db | Database, params: SearchParams): Promise<CompanySearchResult> {
  const run = runnerOf(db);
  const search = await companySearchWhere(db, params);
  if (!search) return emptyPage(params);
  const { where, nameQuery } = search;
  const offset = (params.page - 1) * params.pageSize;
  const columns = sql`c.cvr, c.name, c.municipality_code, m.name AS municipality_name, c.industry_code, c.industry_text, c.status,
             to_char(c.status_since, 'YYYY-MM-DD') AS status_since, c.employees, c.advertising_protected, c.city, c.postal_code`;
  const page = nameQuery
    ? sql`WITH pool AS MATERIALIZED (SELECT * FROM companies c ${where} LIMIT ${RANK_POOL})
          SELECT ${columns}, (SELECT count(*)::int FROM (SELECT 1 FROM pool LIMIT ${COUNT_CAP + 1}) AS capped) AS total
          FROM pool c LEFT JOIN municipalities m ON m.code = c.municipality_code
          ORDER BY word_similarity(${nameQuery}, c.search_name) DESC, c.name, c.cvr
          LIMIT ${params.pageSize + 1} OFFSET ${offset}`
    : sql`SELECT ${columns}, (SELECT count(*)::int FROM (SELECT 1 FROM companies c ${where} LIMIT ${COUNT_CAP + 1}) AS capped) AS total
          FROM companies c LEFT JOIN municipalities m ON m.code = c.municipality_code
          ${where} ORDER BY c.name, c.cvr
          LIMIT ${params.pageSize + 1} OFFSET ${offset}`;
  const rows = await runNamed<CompanyRow & { total: number }>(run, page);
  // No row carries the count when the page is empty: none at all on the first page, else asked for (a page past the end, rare).
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    const [counted] = await runNamed<{ total: number }>(run, sql`SELECT count(*)::int AS total FROM (SELECT 1 FROM companies c ${where} LIMIT ${COUNT_CAP + 1}) AS capped`);
    total = counted!.total;
  }
  const items: CompanySummary[] = rows.slice(0, params.pageSize).map((c) => ({
    cvr: c.cvr,
    name: c.name,
    municipality: c.municipality_code != null ? { code: c.municipality_code, name: c.municipality_name } : null,
    industry: c.industry_code ? { code: c.industry_code, text: c.industry_text } : null,
    status: c.status,
    statusSince: c.status_since ?? null,
    ceased: isCeasedStatus(c.status),
    employees: c.employees,
    advertisingProtected: c.advertising_protected,
    city: c.city,
    postalCode: c.postal_code,
  }));
  return {
    items,
    page: params.page,
    pageSize: params.pageSize,
    total: Math.min(total, COUNT_CAP),
    totalCapped: total > COUNT_CAP,
    hasMore: rows.length > params.pageSize,
  };
}

function emptyPage(params: SearchParams): CompanySearchResult {
  return { items: [], page: params.page, pageSize: params.pageSize, total: 0, totalCapped: false, hasMore: false };
}
