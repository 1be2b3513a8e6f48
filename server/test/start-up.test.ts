import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openPglite, openPostgres, pendingMigrations, type Database } from '../db/client.ts';
import { openDatabase, pgliteDir } from '../db/open.ts';
import { lockPath } from '../cli/lock.ts';
import { demoUsers, seedDemo } from '../modules/demo/seed.ts';
import { freePort, processEnv, root, run, start, stop, until, untilReady, type Running } from './processes.ts';

/**
 * Start-up, shutdown and migrations of `knudepunkt serve` as real processes: servers starting together
 * on one empty database, a SIGKILL in the middle of demo seeding, a production start on a database
 * with pending migrations, a client that stalls its request body. PostgreSQL when DATABASE_URL is
 * set (a database of its own per test, made and dropped here), the embedded database otherwise.
 */
const url = process.env.DATABASE_URL;

const SEEDING = 'Tom database: opretter demodata';
const migrationCount = (JSON.parse(readFileSync(path.join(root, 'server/db/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

/** Tables the demo seeding fills and the background jobs leave alone; from users to the action plan it seeds last. */
const seededTables = ['users', 'companies', 'production_units', 'engagements', 'activities', 'contacts', 'consents', 'referrals', 'offers', 'events', 'event_participants', 'surveys', 'survey_responses', 'contracts', 'guidance_requests', 'action_plans'];

async function demoCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of seededTables) counts[table] = (await database.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;
  return counts;
}

/** Every relation, schema and extension a migration could have made. */
async function schemaObjects(database: Database): Promise<string[]> {
  const rows = await database.rows<{ name: string }>(sql`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%'
    UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'`);
  return rows.map((r) => r.name).sort();
}

async function appliedMigrations(database: Database): Promise<number> {
  return (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`))[0]!.n;
}

/**
 * Opens a connection and sends the headers of a POST announcing 1,000 bytes, then a few of them, and
 * nothing more: the client a request timeout and a shutdown deadline are for.
 */
function stalledRequest(port: number) {
  const socket = connect(port, '127.0.0.1');
  const startedAt = Date.now();
  let received = '';
  socket.on('data', (data) => (received += data));
  // The server cutting the connection is one of the outcomes under test, not a failure of the test.
  socket.on('error', () => {});
  socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":"');
  const closed = new Promise<{ received: string; afterMs: number }>((resolve) => socket.once('close', () => resolve({ received, afterMs: Date.now() - startedAt })));
  return { closed };
}

const REQUEST_TIMEOUT_SECONDS = 3;
const SHUTDOWN_SECONDS = 1;
/** server/server.ts gives the database this long to close after the deadline, then exits regardless. */
const FORCED_EXIT_GRACE_MS = 2_000;

/**
 * The request timeout answers a stalled body with 408 and the server goes on; on SIGTERM, a stalled
 * body is cut at the shutdown deadline (well before its request timeout) and the process exits 0.
 */
async function stalledClients(env: (extra: Record<string, string>) => NodeJS.ProcessEnv, started: Running[]) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = start(['serve'], env({ PORT: String(port), KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS), KNUDEPUNKT_SHUTDOWN_SECONDS: String(SHUTDOWN_SECONDS) }));
  started.push(server);
  await untilReady(server, base);
  const loginRequestsSeen = () => (server.stdout() + server.stderr()).split('\n').filter((line) => line.includes('incoming request') && line.includes('/api/v1/auth/login')).length;

  const first = await stalledRequest(port).closed;
  expect(first.received).toMatch(/^HTTP\/1\.1 408 /);
  expect(first.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_SECONDS * 1000 - 100);
  expect(first.afterMs).toBeLessThan(REQUEST_TIMEOUT_SECONDS * 1000 + 3_000);
  expect((await fetch(`${base}/api/ready`)).status).toBe(200);

  const second = stalledRequest(port);
  await until('the server to have the stalled request', () => (loginRequestsSeen() >= 2 ? true : undefined), 10_000, 50);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  const exit = await Promise.race([server.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000))]);
  const tookMs = Date.now() - signalled;
  expect(exit, server.stdout() + server.stderr()).toEqual({ code: 0, signal: null });
  expect(tookMs).toBeLessThan(SHUTDOWN_SECONDS * 1000 + FORCED_EXIT_GRACE_MS + 1_500);
  expect(server.stdout() + server.stderr()).toMatch(/shutdown deadline passed/);
  // Cut by the deadline, not answered by the request timeout: once closing, Node no longer enforces that.
  expect((await second.closed).received).toBe('');
}

describe.runIf(!!url)('serve on PostgreSQL: start-up, shutdown, migrations', () => {
  /** For the mail the servers write as files; made in beforeAll, so a skipped run leaves no folder. */
  let dataDir: string;
  const prefix = `kp_startup_${process.pid}_${randomBytes(3).toString('hex')}`;
  const made: string[] = [];
  const started: Running[] = [];
  const open: Database[] = [];
  let admin: Database;
  /** What one seeding puts in the database, seeded here in-process on a database of its own. */
  let oneSeeding: Record<string, number>;

  const urlOf = (name: string) => {
    const target = new URL(url!);
    target.pathname = `/${name}`;
    return target.toString();
  };
  const freshDatabase = async () => {
    const name = `${prefix}_${made.length}`;
    await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
    made.push(name);
    return name;
  };
  const connectTo = async (name: string) => {
    const database = await openPostgres(urlOf(name), 2);
    open.push(database);
    return database;
  };
  const env = (name: string) => (extra: Record<string, string>) => processEnv({ NODE_ENV: 'test', DATABASE_URL: urlOf(name), KNUDEPUNKT_DATA_DIR: dataDir, ...extra });
  const serve = async (args: string[], environment: (extra: Record<string, string>) => NodeJS.ProcessEnv) => {
    const port = await freePort();
    const server = start(args, environment({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` }));
    started.push(server);
    return { server, base: `http://127.0.0.1:${port}` };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kp-start-up-'));
    admin = await openPostgres(url!, 1);
    const reference = await freshDatabase();
    const database = await openDatabase(loadConfig({ DATABASE_URL: urlOf(reference), KNUDEPUNKT_DATA_DIR: dataDir }));
    try {
      await seedDemo(database);
      oneSeeding = await demoCounts(database);
    } finally {
      await database.close();
    }
  });

  afterAll(async () => {
    await Promise.all(started.map((server) => stop(server, 'SIGKILL')));
    await Promise.all(open.map((database) => database.close()));
    for (const name of made) await admin?.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('two servers starting together on an empty database migrate it once and seed it once', { timeout: 120_000 }, async () => {
    const name = await freshDatabase();
    const servers = await Promise.all([serve(['serve', '--demo-if-empty'], env(name)), serve(['serve', '--demo-if-empty'], env(name))]);
    await Promise.all(servers.map(({ server, base }) => untilReady(server, base)));

    // One of them seeded; the other waited for its lock and found the demo users.
    expect(servers.filter(({ server }) => server.stdout().includes(SEEDING))).toHaveLength(1);
    const database = await connectTo(name);
    expect(await appliedMigrations(database)).toBe(migrationCount);
    expect(await pendingMigrations(database)).toEqual([]);
    expect(await demoCounts(database)).toEqual(oneSeeding);
    for (const { server } of servers) expect(await stop(server)).toEqual({ code: 0, signal: null });
  });

  it('a SIGKILL during demo seeding leaves nothing behind, and the next start seeds it all', { timeout: 120_000 }, async () => {
    const name = await freshDatabase();
    const database = await connectTo(name);
    const first = await serve(['serve', '--demo-if-empty'], env(name));
    await until('demo seeding to begin', () => (first.server.stdout().includes(SEEDING) ? true : undefined));
    // Killed past the users, in the middle of the CRM data: where a kill used to leave users without
    // CRM data, and a database that was never seeded again. The seeding's transaction holds this lock
    // on the table from its first insert there until it ends.
    await until(
      'the seeding to write engagements',
      async () => {
        const [writing] = await database.rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND c.relname = 'engagements' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`);
        return writing!.n > 0 ? true : undefined;
      },
      60_000,
      25,
    );
    expect(await stop(first.server, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await demoCounts(database)).toEqual(Object.fromEntries(seededTables.map((table) => [table, 0])));

    const second = await serve(['serve', '--demo-if-empty'], env(name));
    await untilReady(second.server, second.base);
    expect(second.server.stdout()).toContain(SEEDING);
    expect(await demoCounts(database)).toEqual(oneSeeding);
    expect(await stop(second.server)).toEqual({ code: 0, signal: null });
  });

  it('in production, serve refuses a database with pending migrations and changes nothing; serve --migrate applies them', { timeout: 120_000 }, async () => {
    const name = await freshDatabase();
    const database = await connectTo(name);
    const production = (extra: Record<string, string>) => env(name)({ NODE_ENV: 'production', ...extra });

    const port = await freePort();
    const refused = await run(['serve'], production({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Databasen mangler ${migrationCount} migreringer`);
    expect(refused.stderr).toContain('kør `knudepunkt migrate` først, eller start med `knudepunkt serve --migrate`');
    expect(await schemaObjects(database)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();

    const migrating = await serve(['serve', '--migrate'], production);
    await untilReady(migrating.server, migrating.base);
    expect(await appliedMigrations(database)).toBe(migrationCount);
    expect(await pendingMigrations(database)).toEqual([]);
    expect(await stop(migrating.server)).toEqual({ code: 0, signal: null });

    // Migrated, the database is served without being told to.
    const plain = await serve(['serve'], production);
    await untilReady(plain.server, plain.base);
    expect(await stop(plain.server)).toEqual({ code: 0, signal: null });
  });

  it('answers a stalled request body with 408, and on SIGTERM cuts one at the shutdown deadline and exits', { timeout: 90_000 }, async () => {
    const name = await freshDatabase();
    await stalledClients(env(name), started);
  });
});

describe.skipIf(!!url)('serve on the embedded database: start-up, shutdown, migrations', () => {
  const dirs: string[] = [];
  const started: Running[] = [];
  /** Migrated by the production test, so the next test starts without migrating a new data directory (PGlite's slowest step). */
  let migratedDataDir: string | undefined;
  const freshDataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kp-start-up-'));
    dirs.push(dir);
    return dir;
  };
  const env = (dataDir: string) => (extra: Record<string, string>) => processEnv({ NODE_ENV: 'test', KNUDEPUNKT_DATA_DIR: dataDir, ...extra });
  /** Opens the data directory in this process, once no server holds it. */
  const inspect = async <T>(dataDir: string, look: (database: Database) => Promise<T>) => {
    const database = await openPglite(pgliteDir(loadConfig({ KNUDEPUNKT_DATA_DIR: dataDir })));
    try {
      return await look(database);
    } finally {
      await database.close();
    }
  };

  afterAll(async () => {
    await Promise.all(started.map((server) => stop(server, 'SIGKILL')));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a SIGKILL during demo seeding leaves nothing behind, and the next start takes over the lock and seeds it all', { timeout: 150_000 }, async () => {
    const dataDir = freshDataDir();
    const port = String(await freePort());
    const first = start(['serve', '--demo-if-empty'], env(dataDir)({ PORT: port }));
    started.push(first);
    await until('demo seeding to begin', () => (first.stdout().includes(SEEDING) ? true : undefined));
    // Killed once the seeding's transaction has written companies (on PostgreSQL, above, past the users).
    await until('demo companies to be written', () => (first.stderr().includes('Demovirksomheder: 20 %') ? true : undefined), 60_000, 25);
    expect(await stop(first, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(lockPath(dataDir))).toBe(true);

    const second = start(['serve', '--demo-if-empty'], env(dataDir)({ PORT: port }));
    started.push(second);
    await untilReady(second, `http://127.0.0.1:${port}`, 120_000);
    expect(second.stderr()).toMatch(/var forældet: processen findes ikke længere.*Den er overtaget/);
    // Seeded again: the killed run left no user behind to make the database look seeded.
    expect(second.stdout()).toContain(SEEDING);
    expect(await stop(second)).toEqual({ code: 0, signal: null });

    const { counts, emails } = await inspect(dataDir, async (database) => ({
      counts: await demoCounts(database),
      emails: (await database.rows<{ email: string }>(sql`SELECT email FROM users`)).map((u) => u.email),
    }));
    for (const table of seededTables) expect(counts[table], table).toBeGreaterThan(0);
    expect(counts.companies).toBeGreaterThanOrEqual(5_000);
    expect(emails).toEqual(expect.arrayContaining(demoUsers.map((u) => u.email)));
  });

  it('in production, serve refuses a data directory with pending migrations and changes nothing; serve --migrate applies them', { timeout: 90_000 }, async () => {
    const dataDir = freshDataDir();
    const port = await freePort();
    const production = env(dataDir)({ NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://localhost:${port}` });

    const refused = await run(['serve'], production);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Databasen mangler ${migrationCount} migreringer`);
    expect(refused.stderr).toContain('kør `knudepunkt migrate` først, eller start med `knudepunkt serve --migrate`');
    expect(existsSync(lockPath(dataDir))).toBe(false);
    expect(await inspect(dataDir, schemaObjects)).toEqual([]);

    const migrating = start(['serve', '--migrate'], production);
    started.push(migrating);
    await untilReady(migrating, `http://127.0.0.1:${port}`);
    expect(await stop(migrating)).toEqual({ code: 0, signal: null });
    migratedDataDir = dataDir;
  });

  it('answers a stalled request body with 408, and on SIGTERM cuts one at the shutdown deadline, exits and releases the data directory', { timeout: 90_000 }, async () => {
    const dataDir = migratedDataDir ?? freshDataDir();
    await stalledClients(env(dataDir), started);
    expect(existsSync(lockPath(dataDir))).toBe(false);
    const migrate = await run(['migrate'], env(dataDir)({}));
    expect(migrate.stderr).not.toMatch(/forældet/);
    expect(migrate.code).toBe(0);
  });
});
