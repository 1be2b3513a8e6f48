/**
 * Benchmark "companies": national-scale CVR import with the real importer, then company search
 * latency through the service and through HTTP.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { runMigrations, type Database } from '../server/db/client.ts';
import { hashPassword } from '../server/modules/auth/passwords.ts';
import { SESSION_COOKIE } from '../server/modules/auth/plugin.ts';
import { parseCvrLine } from '../server/modules/companies/cvr-document.ts';
import { IMPORT_BATCH_SIZE, importCvrFile, type ImportSummary } from '../server/modules/companies/import.ts';
import { searchCompanies } from '../server/modules/companies/service.ts';
import { ensureReferenceData, localServiceKey } from '../server/modules/organisations/reference.ts';
import { insertUser } from '../server/modules/users/service.ts';
import { describePostgres } from './lib/database.ts';
import { ensureCvrFile, type CvrFile } from './lib/cvr-file.ts';
import type { Machine } from './lib/machine.ts';
import { Progress, note } from './lib/progress.ts';
import { buildQueries, describeQuery, QUERY_KINDS, toQueryString, type BenchQuery, type QueryKind } from './lib/queries.ts';
import { markdownTable, type Row } from './lib/report.ts';
import { int, mib, ms, summarise, type LatencySummary } from './lib/stats.ts';

export const IMPORT_BUDGET_PER_SECOND = 20_000;
export const SEARCH_P95_BUDGET_MS = 50;
const SEED = 2020;

export interface CompaniesOptions {
  quick: boolean;
  workDir: string;
  machine: Machine;
  /** The commit of the code measured, for the record. */
  commit: string;
}

export interface CompaniesResult {
  key: string;
  rows: Row[];
  markdown: string;
}

/** Reads the file the way the importer does, with `work` applied to each line; returns seconds. */
async function passOverFile(file: string, work: (line: string) => void): Promise<number> {
  const started = performance.now();
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) work(line);
  return (performance.now() - started) / 1000;
}

interface SearchTimings {
  byKind: Map<QueryKind, number[]>;
  /** Queries per kind that found at least one company (a fast empty answer would flatter the latency). */
  hits: Map<QueryKind, number>;
}

async function timeSearches(database: Database, queries: readonly BenchQuery[]): Promise<SearchTimings> {
  const byKind = new Map<QueryKind, number[]>(QUERY_KINDS.map((k) => [k, []]));
  const hits = new Map<QueryKind, number>(QUERY_KINDS.map((k) => [k, 0]));
  const progress = new Progress('Searching', queries.length, 'queries');
  let slowest = { ms: 0, query: '' };
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const started = performance.now();
    const result = await searchCompanies(database.db, q.params);
    const elapsed = performance.now() - started;
    byKind.get(q.kind)!.push(elapsed);
    if (result.items.length > 0) hits.set(q.kind, hits.get(q.kind)! + 1);
    if (elapsed > slowest.ms) slowest = { ms: elapsed, query: `${q.kind}: ${describeQuery(q.params)}` };
    if (i % 25 === 0) progress.update(i + 1);
  }
  progress.stop(queries.length);
  note(`  slowest: ${ms(slowest.ms)} (${slowest.query})`);
  return { byKind, hits };
}

async function timeHttp(database: Database, queries: readonly BenchQuery[], warmUp: readonly BenchQuery[]): Promise<LatencySummary> {
  const app = await buildApp({ database, config: loadConfig(), webRoot: null });
  try {
    const [org] = await database.rows<{ id: string }>(sql`SELECT id FROM organisations WHERE key = ${localServiceKey(101)}`);
    const email = 'bench@knudepunkt.invalid';
    const password = 'bench-password-not-secret';
    await insertUser(database.db, { email, name: 'Bench Adviser', role: 'adviser', organisationId: org!.id, passwordHash: await hashPassword(password) });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE);
    if (login.statusCode !== 200 || !session) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const headers = { cookie: `${SESSION_COOKIE}=${session.value}` };
    const get = async (q: BenchQuery) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/companies?${toQueryString(q.params)}`, headers });
      if (res.statusCode !== 200) throw new Error(`GET /api/v1/companies (${describeQuery(q.params)}) answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    };
    for (const q of warmUp) await get(q);
    const samples: number[] = [];
    const progress = new Progress('HTTP searches', queries.length, 'requests');
    for (let i = 0; i < queries.length; i++) {
      const started = performance.now();
      await get(queries[i]!);
      samples.push(performance.now() - started);
      if (i % 25 === 0) progress.update(i + 1);
    }
    progress.stop(queries.length);
    return summarise(samples);
  } finally {
    await app.close();
  }
}

const plan = (scale: number) => ({
  seed: SEED,
  counts: {
    'exact CVR': 200 * scale,
    'CVR prefix (4–6 digits)': 200 * scale,
    'P-number': 200 * scale,
    'fuzzy name (typo)': 250 * scale,
    'name + municipality': 200 * scale,
    'industry filter': 150 * scale,
  } satisfies Record<QueryKind, number>,
});

/** Migrates the (fresh, empty) `database`, imports the companies and measures search; the database is left with the companies for later benchmarks. */
export async function companiesBenchmark(database: Database, options: CompaniesOptions): Promise<CompaniesResult> {
  const companies = options.quick ? 20_000 : 800_000;
  const key = options.quick ? 'companies-quick' : 'companies';
  const started = new Date();

  note(`Companies benchmark: ${int(companies)} companies${options.quick ? ' (--quick)' : ''}`);
  const file: CvrFile = ensureCvrFile(options.workDir, companies, SEED);
  note(`  ${file.reused ? 'reusing' : 'generated'} ${path.relative(process.cwd(), file.path)}: ${int(file.companies)} companies, ${int(file.productionUnits)} P-units, ${mib(file.bytes)}${file.generateSeconds ? ` in ${file.generateSeconds.toFixed(1)} s` : ''}`);

  // Where the importer's time goes outside the database: reading + splitting lines, then JSON.parse + mapping.
  note('  measuring read and parse passes (no database)…');
  const readSeconds = await passOverFile(file.path, () => {});
  let mapped = 0;
  const parseSeconds = await passOverFile(file.path, (line) => {
    if (line && parseCvrLine(line).ok) mapped++;
  });
  if (mapped !== file.companies) throw new Error(`parse pass mapped ${mapped} of ${file.companies} documents`);

  await runMigrations(database);
  await ensureReferenceData(database.db);
  const pg = await describePostgres(database);

  // The real importer, end to end.
  const importProgress = new Progress('Importing', file.companies, 'companies');
  const summary: ImportSummary = await importCvrFile(database, file.path, { onProgress: (p) => importProgress.update(p.lines) });
  importProgress.stop(summary.lines);
  if (summary.rejected.length) throw new Error(`importer rejected ${summary.rejected.length} documents, first: line ${summary.rejected[0]!.line}: ${summary.rejected[0]!.reason}`);
  const importRate = summary.imported / summary.seconds;
  note(`  imported ${int(summary.imported)} companies in ${summary.seconds.toFixed(1)} s (${int(importRate)}/s)`);

  const analyzeStarted = performance.now();
  await database.db.execute(sql`ANALYZE`);
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const [counts] = await database.rows<{ companies: number; units: number }>(sql`
    SELECT (SELECT count(*) FROM companies)::int AS companies, (SELECT count(*) FROM production_units)::int AS units`);
  const sizes = await database.rows<{ name: string; bytes: string }>(sql`
    SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND (c.relname LIKE 'companies%' OR c.relname LIKE 'production_units%') AND c.relkind IN ('r', 'i')
    ORDER BY pg_relation_size(c.oid) DESC`);

  // Search latency through the service: warm-up, then the measured mix.
  const scale = 1;
  const warmUp = await buildQueries(database, { ...plan(scale), counts: Object.fromEntries(QUERY_KINDS.map((k) => [k, 25])) as Record<QueryKind, number> }, 5000);
  const queries = await buildQueries(database, plan(scale));
  note(`  warming up with ${warmUp.length} searches…`);
  for (const q of warmUp) await searchCompanies(database.db, q.params);
  const { byKind, hits } = await timeSearches(database, queries);
  const perKind = new Map([...byKind].map(([k, v]) => [k, summarise(v)]));
  const overall = summarise([...byKind.values()].flat());

  // Once through HTTP: session cookie, validation, serialisation included.
  const httpQueries = await buildQueries(database, { ...plan(1), counts: { 'exact CVR': 50, 'CVR prefix (4–6 digits)': 50, 'P-number': 50, 'fuzzy name (typo)': 60, 'name + municipality': 50, 'industry filter': 40 } }, 10_000);
  const http = await timeHttp(database, httpQueries, warmUp.slice(0, 30));

  const meets = (value: number, budget: number) => value <= budget;
  const rows: Row[] = [
    { figure: 'CVR import throughput (`importCvrFile`)', measured: `${int(importRate)} companies/s`, budget: `≥ ${int(IMPORT_BUDGET_PER_SECOND)}/s`, met: importRate >= IMPORT_BUDGET_PER_SECOND },
    { figure: 'CVR import wall time', measured: `${summary.seconds.toFixed(1)} s` },
    { figure: '… of which read + split lines (no DB)', measured: `${readSeconds.toFixed(1)} s (${int(file.bytes / 1024 / 1024 / readSeconds)} MiB/s)` },
    { figure: '… of which JSON.parse + mapping incl. reading (no DB)', measured: `${parseSeconds.toFixed(1)} s (${int(file.companies / parseSeconds)} companies/s)` },
    { figure: '… leaving for SQL (upserts, index maintenance)', measured: `${Math.max(0, summary.seconds - parseSeconds).toFixed(1)} s (${Math.round((100 * Math.max(0, summary.seconds - parseSeconds)) / summary.seconds)} %)` },
    { figure: 'ANALYZE after import', measured: `${analyzeSeconds.toFixed(1)} s` },
    { figure: `Search p50, all ${overall.count} queries (\`searchCompanies\`)`, measured: ms(overall.p50) },
    { figure: 'Search p95, all queries', measured: ms(overall.p95), budget: `≤ ${SEARCH_P95_BUDGET_MS} ms`, met: meets(overall.p95, SEARCH_P95_BUDGET_MS) },
    { figure: 'Search p99, all queries', measured: ms(overall.p99) },
    ...QUERY_KINDS.map((k): Row => {
      const s = perKind.get(k)!;
      return { figure: `Search p95: ${k} (n=${s.count}, ${Math.round((100 * hits.get(k)!) / s.count)} % found ≥ 1)`, measured: ms(s.p95), budget: `≤ ${SEARCH_P95_BUDGET_MS} ms`, met: meets(s.p95, SEARCH_P95_BUDGET_MS) };
    }),
    { figure: `HTTP GET /api/v1/companies p50 (n=${http.count}, \`app.inject\`)`, measured: ms(http.p50) },
    { figure: 'HTTP GET /api/v1/companies p95', measured: ms(http.p95), budget: `≤ ${SEARCH_P95_BUDGET_MS} ms`, met: meets(http.p95, SEARCH_P95_BUDGET_MS) },
    { figure: 'HTTP GET /api/v1/companies p99', measured: ms(http.p99) },
  ];

  const kindTable = [
    '| query kind | n | found ≥ 1 | p50 | p95 | p99 | max | mean |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...QUERY_KINDS.map((k) => {
      const s = perKind.get(k)!;
      return `| ${k} | ${s.count} | ${Math.round((100 * hits.get(k)!) / s.count)} % | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.mean)} |`;
    }),
    `| **all** | ${overall.count} | ${Math.round((100 * [...hits.values()].reduce((a, b) => a + b, 0)) / overall.count)} % | ${ms(overall.p50)} | ${ms(overall.p95)} | ${ms(overall.p99)} | ${ms(overall.max)} | ${ms(overall.mean)} |`,
    `| HTTP (\`app.inject\`, same mix) | ${http.count} | – | ${ms(http.p50)} | ${ms(http.p95)} | ${ms(http.p99)} | ${ms(http.max)} | ${ms(http.mean)} |`,
  ].join('\n');

  const m = options.machine;
  const markdown = `## Company import and search — ${options.quick ? 'quick' : 'national scale'} (${int(file.companies)} companies)

Run: \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${started.toISOString().slice(0, 10)} (${started.toISOString().slice(11, 16)} UTC).

- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.platform}; Node ${m.node}; PostgreSQL ${pg.version} (local, ${pg.settings}).
- **Data:** ${int(file.companies)} companies and ${int(file.productionUnits)} P-units as CVR \`Vrvirksomhed\` JSON lines, ${mib(file.bytes)} (${int(file.bytes / file.companies)} bytes per document), generated from \`generateCompanies\` (seed ${SEED}) across all 98 municipalities. After import: ${int(counts!.companies)} companies, ${int(counts!.units)} P-units.
- **Code measured:** commit ${options.commit}.
- **Import:** \`importCvrFile\` into a fresh, migrated database (batches of ${int(IMPORT_BATCH_SIZE)} parsed on a worker thread, all indexes in place): ${int(summary.imported)} companies (${int(summary.created)} created, ${summary.rejected.length} rejected) in ${summary.seconds.toFixed(1)} s.
- **Search:** \`searchCompanies\` after \`ANALYZE\`, one query at a time, page 1 of 20, ${warmUp.length} warm-up queries first; ${overall.count} measured queries drawn from the imported companies (typos: one letter dropped or two swapped in one of 1–2 name words). HTTP: ${http.count} \`app.inject\` GET /api/v1/companies requests signed in as an adviser, same mix.

${markdownTable(rows)}

Latency per query kind:

${kindTable}

Relation sizes after import: ${sizes.map((s) => `${s.name} ${mib(Number(s.bytes))}`).join(', ')}.`;

  return { key, rows, markdown };
}
