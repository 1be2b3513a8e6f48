/**
 * The bare baseline for the request-path ratios (issue 17): Fastify 5 and `pg`, nothing else — no
 * Drizzle, no helmet, no session, no validation, no response schema. It answers the two measured
 * routes with the SQL the app runs (server/modules/companies/service.ts, copied statement for
 * statement) and the same response bodies; `bench/ratios.ts` checks both against the app before it
 * measures. Statements are named (parsed and planned once per connection), the best raw `pg` can do.
 *
 * Run as its own process (`node --import tsx bench/lib/baseline-server.ts`) with BASELINE_DATABASE_URL,
 * BASELINE_PORT, BASELINE_POOL and BASELINE_ABILITIES (the JSON the app adds for an adviser: constant
 * for one role, so the baseline sends it as is).
 */
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';

/** Ceased, dissolved, deleted (as `isCeasedStatus` in cvr-document.ts). */
const isCeased = (code: string | null) => !!code && /^(OPHØRT|OPLØST|TVANGSOPLØST|SLETTET|FUSIONERET|SPALTET)/.test(code);
const COUNT_CAP = 1_000;
const RANK_POOL = 2_000;

const COMPANY_SQL = `SELECT c.*, to_char(c.founded_on, 'YYYY-MM-DD') AS founded_on, to_char(c.status_since, 'YYYY-MM-DD') AS status_since, m.name AS municipality_name,
  COALESCE((SELECT json_agg(json_build_object('p_number', u.p_number, 'valid_from', to_char(u.valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(u.valid_to, 'YYYY-MM-DD'))
    ORDER BY u.valid_to NULLS FIRST, u.p_number) FROM production_units u WHERE u.cvr = c.cvr), '[]'::json) AS units
FROM companies c LEFT JOIN municipalities m ON m.code = c.municipality_code
WHERE c.cvr = $1`;
const CANDIDATE_WORDS_SQL = `SELECT w.i::int AS i, x.word
FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, $1))) WITH ORDINALITY AS w(word, i)
LEFT JOIN LATERAL (
  (SELECT sw.word FROM search_words sw WHERE sw.word >= w.word AND sw.word < w.word || chr(1114111) ORDER BY sw.word LIMIT 50)
  UNION
  (SELECT sw.word FROM search_words sw WHERE sw.word % w.word ORDER BY similarity(sw.word, w.word) DESC, sw.word LIMIT 20)
) x ON true
ORDER BY 1`;
const COLUMNS = `c.cvr, c.name, c.municipality_code, m.name AS municipality_name, c.industry_code, c.industry_text, c.status,
             to_char(c.status_since, 'YYYY-MM-DD') AS status_since, c.employees, c.advertising_protected, c.city, c.postal_code`;

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Builds one statement's text and values the way Drizzle numbers its parameters. */
class Statement {
  readonly values: unknown[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface BaselineOptions {
  abilities: Record<string, boolean>;
  /** Every statement's text, for the bench's check that the baseline runs only SQL the app runs. */
  onStatement?: (text: string) => void;
}

export function buildBaseline(pool: pg.Pool, options: BaselineOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const query = async (text: string, values: unknown[]): Promise<Row[]> => {
    options.onStatement?.(text);
    // The name is the text's identity: one name per distinct text, so a connection plans each once.
    return (await pool.query({ name: statementName(text), text, values })).rows;
  };

  app.get<{ Params: { cvr: string } }>('/api/v1/companies/:cvr', async (request, reply) => {
    const { cvr } = request.params;
    const [c] = await query(COMPANY_SQL, [cvr]);
    if (!c) return reply.code(404).send({ status: 404 });
    const units = c.units as Row[];
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
      ceased: isCeased(c.status),
      foundedOn: c.founded_on,
      employees: c.employees != null || c.employees_interval ? { count: c.employees, interval: c.employees_interval, period: c.employees_period } : null,
      advertisingProtected: c.advertising_protected,
      productionUnits: units.map((u) => ({ pNumber: u.p_number, validFrom: u.valid_from, validTo: u.valid_to, active: u.valid_to === null })),
      source: c.source,
      updatedAt: new Date(c.updated_at).toISOString(),
      abilities: options.abilities,
    };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/companies', async (request) => {
    const q = (request.query.q ?? '').trim();
    const municipality = request.query.municipality ? Number(request.query.municipality) : undefined;
    const industry = request.query.industry?.trim() || undefined;
    const page = Number(request.query.page ?? 1);
    const pageSize = Number(request.query.pageSize ?? 20);
    const empty = { items: [], page, pageSize, total: 0, totalCapped: false, hasMore: false };

    // companySearchWhere: candidate words per query word in one statement, then the filters.
    let perWord: string[][] = [];
    let nameQuery: string | null = null;
    if (q && !/^\d{1,10}$/.test(q)) {
      const byWord = new Map<number, string[]>();
      for (const r of await query(CANDIDATE_WORDS_SQL, [q.toLowerCase()])) {
        const words = byWord.get(r.i) ?? [];
        if (r.word !== null) words.push(r.word);
        byWord.set(r.i, words);
      }
      perWord = [...byWord.values()].filter((w) => w.length > 0);
      if (perWord.length === 0) return empty;
      nameQuery = q.toLowerCase();
    }
    const where = (s: Statement) => {
      const filters: string[] = [];
      if (/^\d{8}$/.test(q)) filters.push(`c.cvr = ${s.param(q)}`);
      else if (/^\d{10}$/.test(q)) filters.push(`c.cvr IN (SELECT cvr FROM production_units WHERE p_number = ${s.param(q)})`);
      else if (/^\d{1,9}$/.test(q)) filters.push(`c.cvr LIKE ${s.param(q + '%')}`);
      else for (const words of perWord) filters.push(`c.name_words && ARRAY(SELECT jsonb_array_elements_text(${s.param(JSON.stringify(words))}::jsonb))`);
      if (municipality !== undefined) filters.push(`c.municipality_code = ${s.param(municipality)}`);
      if (industry) filters.push(`c.industry_code LIKE ${s.param(industry + '%')}`);
      return filters.length ? `WHERE ${filters.join(' AND ')}` : 'WHERE TRUE';
    };

    // searchCompanies: the page with its capped count in one statement.
    const offset = (page - 1) * pageSize;
    const p = new Statement();
    const pageText = nameQuery
      ? `WITH pool AS MATERIALIZED (SELECT * FROM companies c ${where(p)} LIMIT ${p.param(RANK_POOL)})
          SELECT ${COLUMNS}, (SELECT count(*)::int FROM (SELECT 1 FROM pool LIMIT ${p.param(COUNT_CAP + 1)}) AS capped) AS total
          FROM pool c LEFT JOIN municipalities m ON m.code = c.municipality_code
          ORDER BY word_similarity(${p.param(nameQuery)}, c.search_name) DESC, c.name, c.cvr
          LIMIT ${p.param(pageSize + 1)} OFFSET ${p.param(offset)}`
      : `SELECT ${COLUMNS}, (SELECT count(*)::int FROM (SELECT 1 FROM companies c ${where(p)} LIMIT ${p.param(COUNT_CAP + 1)}) AS capped) AS total
          FROM companies c LEFT JOIN municipalities m ON m.code = c.municipality_code
          ${where(p)} ORDER BY c.name, c.cvr
          LIMIT ${p.param(pageSize + 1)} OFFSET ${p.param(offset)}`;
    const rows = await query(pageText, p.values);
    let total: number = rows[0]?.total ?? 0;
    if (rows.length === 0 && offset > 0) {
      const n = new Statement();
      const [counted] = await query(`SELECT count(*)::int AS total FROM (SELECT 1 FROM companies c ${where(n)} LIMIT ${n.param(COUNT_CAP + 1)}) AS capped`, n.values);
      total = counted!.total;
    }
    return {
      items: rows.slice(0, pageSize).map((c) => ({
        cvr: c.cvr,
        name: c.name,
        municipality: c.municipality_code != null ? { code: c.municipality_code, name: c.municipality_name } : null,
        industry: c.industry_code ? { code: c.industry_code, text: c.industry_text } : null,
        status: c.status,
        statusSince: c.status_since ?? null,
        ceased: isCeased(c.status),
        employees: c.employees,
        advertisingProtected: c.advertising_protected,
        city: c.city,
        postalCode: c.postal_code,
      })),
      page,
      pageSize,
      total: Math.min(total, COUNT_CAP),
      totalCapped: total > COUNT_CAP,
      hasMore: rows.length > pageSize,
    };
  });
  return app;
}

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `baseline_${names.size}`));
  return name;
}

/** The same pool the app opens (openPostgres): JIT off, for the same reason. */
export function baselinePool(url: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: url, max, options: '-c jit=off' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pool = baselinePool(process.env.BASELINE_DATABASE_URL!, Number(process.env.BASELINE_POOL ?? 10));
  const app = buildBaseline(pool, { abilities: JSON.parse(process.env.BASELINE_ABILITIES ?? '{}') as Record<string, boolean> });
  await app.listen({ port: Number(process.env.BASELINE_PORT), host: '127.0.0.1' });
  process.stdout.write('baseline listening\n');
  process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
}
