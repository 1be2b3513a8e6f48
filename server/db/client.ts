import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import * as schema from './schema.ts';

/**
 * Both drivers expose the same Drizzle query builder; we type everything against the node-postgres
 * flavour so modules never care which database is underneath.
 */
export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Raw SQL returning plain rows, for the few places where the query builder is in the way. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * One SQL statement on a hot path, bypassing the query builder: on PostgreSQL a named prepared
   * statement, parsed and planned once per connection rather than on every call. `name` must stay
   * bound to one `text` for the life of the process.
   */
  prepared<T = Record<string, unknown>>(name: string, text: string, values: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** Runs `work` on one connection held for it alone, so session state such as an advisory lock stays with that work. */
  session<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Embedded database only: a tar of its data directory (gzipped unless asked otherwise), taken between queries (`knudepunkt backup`). */
  dumpDataDir?(compression?: 'gzip' | 'none'): Promise<Blob>;
  /**
   * Listens on a notification channel (`NOTIFY`) on a connection of its own. `state(false)` is called
   * when that connection is lost (notifications may have been missed), `state(true)` once it listens
   * (again). Resolves with a function that stops listening.
   */
  listen(channel: string, handlers: { notify(payload: string): void; state(listening: boolean): void }): Promise<() => Promise<void>>;
  /** PostgreSQL only: from now on the pool reports through the server's logger (it opens before the logger exists). */
  useLogger?(log: { warn(object: object, message: string): void }): void;
}

/**
 * `text` with `$1`, `$2`, … as a Drizzle SQL object, for a `prepared` statement that has to run on a
 * connection or transaction the query builder already holds. No `$n` may appear inside a literal.
 */
export function positionalSql(text: string, values: unknown[]): SQL {
  return sql.join(text.split(/\$(\d+)/).map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`)));
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** `poolSize` comes from the validated configuration (KNUDEPUNKT_DB_POOL); tools and tests take the default. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // JIT compilation pays off for long analytical queries, not for this app's short ones: at national
  // scale it added ~160 ms to a 60 ms list query (BENCHMARKS.md).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });
  let closing = false;
  let log: Parameters<NonNullable<Database['useLogger']>>[0] | undefined;
  // An idle connection can die (server restart, failover, shutdown); the pool replaces it on the
  // next query, so this must not crash the process. During our own shutdown it is expected.
  pool.on('error', (error) => {
    if (closing) return;
    const code = (error as { code?: string }).code;
    if (log) log.warn({ code, message: error.message }, 'PostgreSQL: idle connection lost; the pool replaces it');
    else console.error(`PostgreSQL: idle connection lost: ${error.message}`);
  });
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: 'postgres',
    rows: async <T>(query: SQL) => (await db.execute(query)).rows as T[],
    prepared: async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[],
    close: () => {
      closing = true;
      return pool.end();
    },
    useLogger: (logger) => {
      log = logger;
    },
    listen: (channel, handlers) => listenPostgres(url, channel, handlers, () => log),
    session: async (work) => {
      const client = await pool.connect();
      let failed = false;
      try {
        return await work(drizzlePg(client, { schema }) as unknown as Db);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // After a failure the connection is closed rather than reused: whatever the work left on it (a lock) goes with it.
        client.release(failed);
      }
    },
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined means in memory (tests); `loadDataDir` starts it from a backup. */
export async function openPglite(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm }, ...options });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async <T>(query: SQL) => (await db.execute(query)).rows as T[],
    // PGlite has no named statements; a query with parameters is planned in-process anyway.
    prepared: async <T>(_name: string, text: string, values: unknown[]) => (await client.query<T>(text, values)).rows,
    close: () => client.close(),
    // One connection is all there is.
    session: (work) => work(db),
    dumpDataDir: (compression = 'gzip') => client.dumpDataDir(compression),
    // In-process: the connection cannot be lost, so it listens from the start until stopped.
    listen: async (channel, handlers) => {
      const stop = await client.listen(channel, handlers.notify);
      handlers.state(true);
      return stop;
    },
  };
}

/**
 * A client of its own (a pooled connection would be handed to queries), reconnecting after a loss
 * with a growing pause (0.5 s up to 30 s).
 */
async function listenPostgres(
  url: string,
  channel: string,
  handlers: { notify(payload: string): void; state(listening: boolean): void },
  log: () => { warn(object: object, message: string): void } | undefined,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let pause = 500;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    client = next;
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      handlers.state(false);
      next.removeAllListeners();
      next.on('error', () => {});
      void next.end().catch(() => {});
      if (stopped) return;
      log()?.warn({ channel, message: error?.message ?? 'connection ended' }, 'PostgreSQL: notification connection lost; reconnecting');
      retry = setTimeout(() => void connect(), pause);
      pause = Math.min(pause * 2, 30_000);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      pause = 500;
      if (client === next) handlers.state(true);
    } catch (error) {
      lost(error as Error);
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const last = client;
    client = null;
    if (last) {
      handlers.state(false);
      last.removeAllListeners();
      last.on('error', () => {});
      await last.end().catch(() => {});
    }
  };
}

/**
 * Advisory lock keys (any bigint; these spell "knudepunkt" loosely). Migrations take theirs for the
 * whole run, because drizzle's migrator creates its schema and table outside its transaction and two
 * servers starting together on an empty database would both run `CREATE EXTENSION` and one would fail.
 */
export const MIGRATION_LOCK = 4_815_162_342_001;
export const DEMO_SEED_LOCK = 4_815_162_342_002;

/** Applies the pending migrations, one process at a time (the others wait for the lock, then find nothing to do). */
export async function runMigrations(database: Database): Promise<void> {
  await database.session(async (db) => {
    await db.execute(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      if (database.kind === 'postgres') await migratePg(db, { migrationsFolder });
      else await migratePglite(db as never, { migrationsFolder });
    } finally {
      await db.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}

/**
 * The migrations in the code that the database has not had, by tag (`0017_rate_limit_counters`).
 * Decided as drizzle's migrator decides what to apply: every journal entry newer than the newest
 * applied one (`created_at` is the entry's `when`); no table of applied migrations means none applied.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const [table] = await database.rows<{ name: string | null }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS name`);
  if (!table?.name) return journal.entries.map((e) => e.tag);
  const [last] = await database.rows<{ at: string | null }>(sql`SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations`);
  const appliedThrough = last?.at == null ? -Infinity : Number(last.at);
  return journal.entries.filter((e) => e.when > appliedThrough).map((e) => e.tag);
}
