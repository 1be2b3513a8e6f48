/**
 * Benchmark "ratios" (issue 17): Knudepunkt against what this machine can do at best on the same
 * data, interleaved (A, B, A, B, …) so drifting load on a shared machine hits both sides alike.
 *
 * - Cheap read and fuzzy name search: the real server (`knudepunkt serve`, a child process, signed
 *   in as an adviser) against the bare baseline in lib/baseline-server.ts (Fastify + `pg`, the
 *   app's SQL, the same bodies), loaded with autocannon for a fixed time at 10 and 50 connections.
 * - CVR import: `importCvrFile` into a fresh migrated database against `COPY` of the rows it
 *   produced (dumped as CSV from the first import) into another fresh migrated database: same
 *   indexes, same triggers.
 *
 * Ratios are medians of A over medians of B: throughput for the HTTP paths, COPY's time over the
 * importer's time (= the importer's throughput as a share of COPY's) for the import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openPostgres, runMigrations, type Database } from '../server/db/client.ts';
import { hashPassword } from '../server/modules/auth/passwords.ts';
import { SESSION_COOKIE } from '../server/modules/auth/plugin.ts';
import { importCvrFile } from '../server/modules/companies/import.ts';
import { ensureReferenceData, localServiceKey } from '../server/modules/organisations/reference.ts';
import { insertUser } from '../server/modules/users/service.ts';
import { baselinePool, buildBaseline } from './lib/baseline-server.ts';
import { ensureCvrFile } from './lib/cvr-file.ts';
import { describePostgres } from './lib/database.ts';
import type { Machine } from './lib/machine.ts';
import { note } from './lib/progress.ts';
import { buildQueries, toQueryString, type QueryKind } from './lib/queries.ts';
import { markdownTable, type Row } from './lib/report.ts';
import { int, mib } from './lib/stats.ts';

const SEED = 2020;
const PAIRS = 3;
export const GOALS = { read: 0.7, search: 0.9, import: 0.8 } as const;

export interface RatiosOptions {
  quick: boolean;
  workDir: string;
  root: string;
  adminUrl: string;
  machine: Machine;
  commit: string;
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const elapsed = (started: number) => (performance.now() - started) / 1000;

/** Fresh databases cloned from one migrated template (migrations are not what is measured). */
class Databases {
  private readonly created: string[] = [];
  private counter = 0;
  private readonly stamp = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
  constructor(private readonly adminUrl: string) {}

  urlOf(name: string) {
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  private async admin(statement: string) {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  async create(label: string, template?: string): Promise<string> {
    const name = `knudepunkt_ratios_${this.stamp}_${this.counter++}_${label}`;
    await this.admin(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    this.created.push(name);
    return name;
  }

  async drop(name: string) {
    await this.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.created.splice(this.created.indexOf(name), 1);
  }

  async dropAll() {
    for (const name of [...this.created].reverse()) await this.drop(name);
  }
}

/** The columns a COPY can write: everything but generated columns. */
async function copyColumns(client: pg.Client, table: string): Promise<string> {
  const { rows } = await client.query<{ columns: string }>(
    `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS columns FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`,
    [table],
  );
  return rows[0]!.columns;
}

const COPIED_TABLES = ['companies', 'production_units'] as const;

async function dumpRows(url: string, dir: string): Promise<Record<string, { file: string; columns: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, { file: string; columns: string }> = {};
    for (const table of COPIED_TABLES) {
      const columns = await copyColumns(client, table);
      const file = path.join(dir, `ratios-${table}.csv`);
      await pipeline(client.query(copyTo(`COPY ${table} (${columns}) TO STDOUT WITH (FORMAT csv)`)), createWriteStream(file));
      out[table] = { file, columns };
    }
    return out;
  } finally {
    await client.end();
  }
}

/** COPY of the dumped rows in one transaction; returns the COPY seconds and the GIN flush seconds after it. */
async function copyRows(url: string, dump: Record<string, { file: string; columns: string }>): Promise<{ copy: number; flush: number; companies: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query('BEGIN');
    for (const table of COPIED_TABLES) {
      await pipeline(createReadStream(dump[table]!.file, { highWaterMark: 1 << 20 }), client.query(copyFrom(`COPY ${table} (${dump[table]!.columns}) FROM STDIN WITH (FORMAT csv)`)));
    }
    await client.query('COMMIT');
    const copy = elapsed(started);
    const flushStarted = performance.now();
    await client.query(`SELECT gin_clean_pending_list('companies_name_words_idx'::regclass), gin_clean_pending_list('search_words_trgm_idx'::regclass)`);
    const flush = elapsed(flushStarted);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM companies');
    return { copy, flush, companies: rows[0]!.n };
  } finally {
    await client.end();
  }
}

async function counts(database: Database) {
  const [row] = await database.rows<{ companies: number; units: number; words: number }>(sql`
    SELECT (SELECT count(*) FROM companies)::int AS companies, (SELECT count(*) FROM production_units)::int AS units, (SELECT count(*) FROM search_words)::int AS words`);
  return row!;
}

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(name: string, command: string[], env: NodeJS.ProcessEnv, url: string, readyPath: string, cwd: string): Promise<Server> {
  const child = spawn(process.execPath, command, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

interface LoadRun {
  server: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function loadOnce(server: Server, paths: readonly string[], connections: number, seconds: number, headers: Record<string, string>): Promise<LoadRun> {
  let next = 0;
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
  return { server: server.name, rps: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

interface PairResult {
  label: string;
  connections: number;
  app: LoadRun[];
  baseline: LoadRun[];
  ratio: number;
}

/** Warm-up of both, then A, B, A, B, … at `connections`; the ratio of the medians. */
async function loadPairs(label: string, app: Server, baseline: Server, appPaths: readonly string[], basePaths: readonly string[], connections: number, seconds: number, cookie: Record<string, string>): Promise<PairResult> {
  await loadOnce(app, appPaths, connections, 2, cookie);
  await loadOnce(baseline, basePaths, connections, 2, {});
  const a: LoadRun[] = [];
  const b: LoadRun[] = [];
  for (let i = 0; i < PAIRS; i++) {
    a.push(await loadOnce(app, appPaths, connections, seconds, cookie));
    b.push(await loadOnce(baseline, basePaths, connections, seconds, {}));
    note(`  ${label} @${connections}: app ${int(a[i]!.rps)} req/s, baseline ${int(b[i]!.rps)} req/s (load ${load()})`);
  }
  for (const r of [...a, ...b]) if (r.non2xx || r.errors) throw new Error(`${label}: ${r.server} answered ${r.non2xx} non-2xx and had ${r.errors} errors`);
  return { label, connections, app: a, baseline: b, ratio: median(a.map((r) => r.rps)) / median(b.map((r) => r.rps)) };
}

/** Both servers must answer the same requests with the same bodies, or the ratio compares different work. */
async function checkParity(app: Server, baseline: Server, paths: readonly string[], cookie: Record<string, string>) {
  let identical = 0;
  for (const p of paths) {
    const [ra, rb] = await Promise.all([fetch(app.url + p, { headers: cookie }), fetch(baseline.url + p)]);
    const [ta, tb] = await Promise.all([ra.text(), rb.text()]);
    if (ra.status !== 200 || rb.status !== 200) throw new Error(`parity ${p}: app ${ra.status}, baseline ${rb.status}: ${ta.slice(0, 200)} | ${tb.slice(0, 200)}`);
    if (ta === tb) identical++;
    else if (JSON.stringify(JSON.parse(ta)) !== JSON.stringify(JSON.parse(tb))) throw new Error(`parity ${p}: bodies differ\napp:      ${ta.slice(0, 600)}\nbaseline: ${tb.slice(0, 600)}`);
  }
  return { checked: paths.length, identical };
}

interface SqlParity {
  /** Statements per request, median over the checked requests. */
  appStatements: number;
  baselineStatements: number;
  /** Baseline statements the app did not send for the same request: should be none. */
  foreign: string[];
}

/**
 * Which statements each side sends for the same requests, captured in this process at the driver
 * (every query goes through pg.Client.prototype.query): the baseline must run only SQL the app
 * runs, or its "same SQL" has drifted from service.ts and the ratio compares different work.
 */
async function checkSql(url: string, paths: readonly string[], login: { email: string; password: string }, abilities: Record<string, boolean>): Promise<SqlParity> {
  const captured: string[] = [];
  const original = pg.Client.prototype.query;
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: unknown } | undefined;
    const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : null;
    if (text) captured.push(normalise(text));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  const database = await openPostgres(url);
  const pool = baselinePool(url, 2);
  try {
    const app = await buildApp({ database, config: loadConfig(), webRoot: null });
    const baseline = buildBaseline(pool, { abilities });
    try {
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: login });
      const session = signIn.cookies.find((c) => c.name === SESSION_COOKIE);
      if (!session) throw new Error(`in-process login failed: ${signIn.statusCode}`);
      const appCounts: number[] = [];
      const baseCounts: number[] = [];
      const foreign = new Set<string>();
      for (const p of paths) {
        captured.length = 0;
        await app.inject({ method: 'GET', url: p, headers: { cookie: `${SESSION_COOKIE}=${session.value}` } });
        const appTexts = new Set(captured);
        appCounts.push(captured.length);
        captured.length = 0;
        await baseline.inject({ method: 'GET', url: p });
        baseCounts.push(captured.length);
        for (const t of captured) if (!appTexts.has(t)) foreign.add(t);
      }
      return { appStatements: median(appCounts), baselineStatements: median(baseCounts), foreign: [...foreign] };
    } finally {
      await app.close();
      await baseline.close();
    }
  } finally {
    pg.Client.prototype.query = original;
    await database.close();
    await pool.end();
  }
}

export async function ratiosBenchmark(options: RatiosOptions): Promise<{ key: string; rows: Row[]; markdown: string }> {
  const companies = options.quick ? 20_000 : 200_000;
  const seconds = options.quick ? 3 : 8;
  const key = options.quick ? 'ratios-quick' : 'ratios';
  const started = new Date();
  const loadAtStart = load();
  note(`Ratios benchmark: ${int(companies)} companies, ${PAIRS} interleaved pairs, ${seconds} s per load run`);
  const file = ensureCvrFile(options.workDir, companies, SEED);
  note(`  ${file.reused ? 'reusing' : 'generated'} ${path.relative(process.cwd(), file.path)} (${mib(file.bytes)})`);

  const dbs = new Databases(options.adminUrl);
  const servers: Server[] = [];
  const csvFiles: string[] = [];
  try {
    const template = await dbs.create('template');
    {
      const database = await openPostgres(dbs.urlOf(template));
      await runMigrations(database);
      await ensureReferenceData(database.db);
      await database.close();
    }

    // --- CVR import against COPY, interleaved; the first import's database serves the HTTP pairs.
    const appSeconds: number[] = [];
    const copySeconds: number[] = [];
    const flushSeconds: number[] = [];
    let readDb = '';
    let dump: Awaited<ReturnType<typeof dumpRows>> | undefined;
    let imported = { companies: 0, units: 0, words: 0 };
    for (let i = 0; i < PAIRS; i++) {
      const appDb = await dbs.create(`import${i}`, template);
      const database = await openPostgres(dbs.urlOf(appDb));
      try {
        const t = performance.now();
        const summary = await importCvrFile(database, file.path);
        appSeconds.push(elapsed(t));
        if (summary.rejected.length) throw new Error(`importer rejected ${summary.rejected.length} documents, first: line ${summary.rejected[0]!.line}: ${summary.rejected[0]!.reason}`);
        imported = await counts(database);
      } finally {
        await database.close();
      }
      if (i === 0) {
        readDb = appDb;
        dump = await dumpRows(dbs.urlOf(appDb), options.workDir);
        csvFiles.push(...Object.values(dump).map((d) => d.file));
      } else {
        await dbs.drop(appDb);
      }

      const copyDb = await dbs.create(`copy${i}`, template);
      const copied = await copyRows(dbs.urlOf(copyDb), dump!);
      if (copied.companies !== imported.companies) throw new Error(`COPY wrote ${copied.companies} companies, the importer ${imported.companies}`);
      copySeconds.push(copied.copy);
      flushSeconds.push(copied.flush);
      await dbs.drop(copyDb);
      note(`  import pair ${i + 1}: importCvrFile ${appSeconds[i]!.toFixed(2)} s, COPY ${copied.copy.toFixed(2)} s (+ ${copied.flush.toFixed(2)} s GIN flush) (load ${load()})`);
    }
    const importRatio = median(copySeconds) / median(appSeconds);
    const importRatioFlushed = median(copySeconds.map((c, i) => c + flushSeconds[i]!)) / median(appSeconds);

    // --- The HTTP pairs on the first import's database.
    const readUrl = dbs.urlOf(readDb);
    const database = await openPostgres(readUrl);
    let pgInfo: Awaited<ReturnType<typeof describePostgres>>;
    let cvrs: string[];
    let searchPaths: string[];
    const email = 'ratios@knudepunkt.invalid';
    const password = 'ratios-password-not-secret';
    try {
      await database.db.execute(sql`ANALYZE`);
      pgInfo = await describePostgres(database);
      const [org] = await database.rows<{ id: string }>(sql`SELECT id FROM organisations WHERE key = ${localServiceKey(101)}`);
      await insertUser(database.db, { email, name: 'Ratios Adviser', role: 'adviser', organisationId: org!.id, passwordHash: await hashPassword(password) });
      cvrs = (await database.rows<{ cvr: string }>(sql`SELECT cvr FROM companies ORDER BY md5(cvr || 'ratios') LIMIT 2000`)).map((r) => r.cvr);
      const none = Object.fromEntries(['exact CVR', 'CVR prefix (4–6 digits)', 'P-number', 'fuzzy name (typo)', 'name + municipality', 'industry filter'].map((k) => [k, 0])) as Record<QueryKind, number>;
      const queries = await buildQueries(database, { seed: SEED, counts: { ...none, 'fuzzy name (typo)': 500, 'P-number': 1 } });
      searchPaths = queries.filter((q) => q.kind === 'fuzzy name (typo)').map((q) => `/api/v1/companies?${toQueryString(q.params)}`);
    } finally {
      await database.close();
    }
    const readPaths = cvrs.map((cvr) => `/api/v1/companies/${cvr}`);

    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    const appEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: readUrl, PORT: String(appPort), HOST: '127.0.0.1', PUBLIC_URL: appUrl, KNUDEPUNKT_SECURE_COOKIES: 'false' };
    const app = await startServer('app', ['bin/knudepunkt.js', 'serve'], appEnv, appUrl, '/api/ready', options.root);
    servers.push(app);
    const login = await fetch(`${appUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const session = login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (login.status !== 200 || !session) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = { cookie: session };
    const first = (await (await fetch(appUrl + readPaths[0]!, { headers: cookie })).json()) as { abilities: Record<string, boolean> };

    const basePort = await freePort();
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const baseEnv = { ...process.env, BASELINE_DATABASE_URL: readUrl, BASELINE_PORT: String(basePort), BASELINE_POOL: process.env.KNUDEPUNKT_DB_POOL ?? '10', BASELINE_ABILITIES: JSON.stringify(first.abilities) };
    const baseline = await startServer('baseline', ['--import', 'tsx', 'bench/lib/baseline-server.ts'], baseEnv, baseUrl, readPaths[0]!, options.root);
    servers.push(baseline);

    const readParity = await checkParity(app, baseline, readPaths.slice(0, 50), cookie);
    const searchParity = await checkParity(app, baseline, searchPaths.slice(0, 50), cookie);
    note(`  parity: read ${readParity.identical}/${readParity.checked} byte-identical, search ${searchParity.identical}/${searchParity.checked}`);
    const readSql = await checkSql(readUrl, readPaths.slice(0, 20), { email, password }, first.abilities);
    const searchSql = await checkSql(readUrl, searchPaths.slice(0, 20), { email, password }, first.abilities);
    const sqlSame = readSql.foreign.length === 0 && searchSql.foreign.length === 0;
    note(`  SQL: read app ${readSql.appStatements} / baseline ${readSql.baselineStatements} statements, search app ${searchSql.appStatements} / baseline ${searchSql.baselineStatements}; baseline statements the app does not run: ${readSql.foreign.length + searchSql.foreign.length}`);
    for (const t of [...readSql.foreign, ...searchSql.foreign]) note(`    not in the app: ${t.slice(0, 300)}`);

    const loadBefore = load();
    const http: PairResult[] = [];
    for (const connections of [10, 50]) http.push(await loadPairs('cheap read', app, baseline, readPaths, readPaths, connections, seconds, cookie));
    for (const connections of [10, 50]) http.push(await loadPairs('fuzzy search', app, baseline, searchPaths, searchPaths, connections, seconds, cookie));
    const loadAfter = load();

    // --- Report.
    const worst = (label: string) => Math.min(...http.filter((h) => h.label === label).map((h) => h.ratio));
    const readRatio = worst('cheap read');
    const searchRatio = worst('fuzzy search');
    const rows: Row[] = [
      { figure: 'Cheap read `GET /api/v1/companies/{cvr}`, app / bare baseline throughput (lower of 10 and 50 connections)', measured: readRatio.toFixed(2), budget: `≥ ${GOALS.read}`, met: readRatio >= GOALS.read },
      { figure: 'Fuzzy name search `GET /api/v1/companies?q=…`, app / bare baseline throughput (lower of 10 and 50)', measured: searchRatio.toFixed(2), budget: `≥ ${GOALS.search}`, met: searchRatio >= GOALS.search },
      { figure: `CVR import, ${int(companies)} companies: \`importCvrFile\` throughput / \`COPY\`'s`, measured: importRatio.toFixed(2), budget: `≥ ${GOALS.import}`, met: importRatio >= GOALS.import },
      { figure: '… against `COPY` + GIN pending-list flush (the importer flushes; same end state)', measured: importRatioFlushed.toFixed(2) },
      {
        figure: 'The baseline sends only statements the app sends for the same request (else bench/lib/baseline-server.ts must follow service.ts)',
        measured: sqlSame ? 'yes' : `no: ${readSql.foreign.length + searchSql.foreign.length} statements differ`,
        budget: 'yes',
        met: sqlSame,
      },
    ];
    const runs = (xs: LoadRun[]) => xs.map((r) => int(r.rps)).join(', ');
    const httpTable = [
      '| path | connections | app req/s (runs) | app median | app p50 / p99 latency | baseline req/s (runs) | baseline median | baseline p50 / p99 | ratio |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...http.map((h) => {
        const am = median(h.app.map((r) => r.rps));
        const bm = median(h.baseline.map((r) => r.rps));
        const lat = (xs: LoadRun[]) => `${median(xs.map((r) => r.p50))} / ${median(xs.map((r) => r.p99))} ms`;
        return `| ${h.label} | ${h.connections} | ${runs(h.app)} | ${int(am)} | ${lat(h.app)} | ${runs(h.baseline)} | ${int(bm)} | ${lat(h.baseline)} | ${h.ratio.toFixed(2)} |`;
      }),
    ].join('\n');
    const secs = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    const importTable = [
      '| side | runs (s) | median | companies/s |',
      '| --- | ---: | ---: | ---: |',
      `| \`importCvrFile\` (JSON lines → worker → upserts) | ${secs(appSeconds)} | ${median(appSeconds).toFixed(2)} s | ${int(companies / median(appSeconds))} |`,
      `| \`COPY\` companies + production_units, one transaction | ${secs(copySeconds)} | ${median(copySeconds).toFixed(2)} s | ${int(companies / median(copySeconds))} |`,
      `| … GIN pending-list flush after the COPY | ${secs(flushSeconds)} | ${median(flushSeconds).toFixed(2)} s | – |`,
    ].join('\n');

    const m = options.machine;
    const markdown = `## Ratios against bare baselines${options.quick ? ' — quick' : ''} (issue 17)

Run: \`npm run bench -- --ratios${options.quick ? ' --quick' : ''}\` on ${started.toISOString().slice(0, 10)} (${started.toISOString().slice(11, 16)} UTC).

- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.platform}; Node ${m.node}; PostgreSQL ${pgInfo.version} (local, ${pgInfo.settings}). Shared machine: load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${loadBefore} before the HTTP runs, ${loadAfter} after them.
- **Data:** ${int(companies)} companies and ${int(imported.units)} P-units (${int(imported.words)} search words) imported by \`importCvrFile\` from ${mib(file.bytes)} of generated CVR JSON lines (seed ${SEED}).${options.quick ? '' : ' 200,000 rather than 800,000: three imports of each side plus twelve HTTP runs per server have to fit in about six minutes; the index depths, plans and result sizes of the measured queries are those of a national register.'}
- **Code measured:** commit ${options.commit}.
- **Method:** ${PAIRS} interleaved pairs (A, B, A, B, …) per figure, medians. HTTP: the app as \`knudepunkt serve\` (NODE_ENV=production, pool ${process.env.KNUDEPUNKT_DB_POOL ?? '10'}) signed in as an adviser (session cookie), against \`bench/lib/baseline-server.ts\` (Fastify 5 + \`pg\`, same pool size, no session, no helmet, no validation or response schema, the app's SQL as named prepared statements); each in its own process, autocannon in the bench process, ${seconds} s per run after a 2 s warm-up of each, ${int(readPaths.length)} CVRs / ${int(searchPaths.length)} typo'd name queries in rotation. Parity checked first: read ${readParity.identical}/${readParity.checked} and search ${searchParity.identical}/${searchParity.checked} bodies byte-identical${readParity.identical + searchParity.identical < readParity.checked + searchParity.checked ? ' (the rest equal as JSON)' : ''}; statements per request (captured at the driver, median): cheap read app ${readSql.appStatements} (session included) / baseline ${readSql.baselineStatements}, fuzzy search app ${searchSql.appStatements} / baseline ${searchSql.baselineStatements}. Import: \`importCvrFile\` into a fresh database cloned from a migrated template, against \`COPY … FROM STDIN (FORMAT csv)\` (pg-copy-streams) of the rows it produced (companies and production_units, generated columns left to PostgreSQL) into another clone: same indexes, same statement-level \`search_words\` trigger.

${markdownTable(rows)}

HTTP throughput (2xx responses per second; every run had 0 errors and 0 non-2xx):

${httpTable}

CVR import, ${int(companies)} companies:

${importTable}`;
    return { key, rows, markdown };
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await dbs.dropAll();
    for (const f of csvFiles) rmSync(f, { force: true });
  }
}
