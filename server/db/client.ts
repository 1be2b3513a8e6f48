import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
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
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** `poolSize` comes from the validated configuration (KNUDEPUNKT_DB_POOL); tools and tests take the default. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // JIT compilation pays off for long analytical queries, not for this app's short ones: at national
  // scale it added ~160 ms to a 60 ms list query (BENCHMARKS.md).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });
  let closing = false;
  // An idle connection can die (server restart, failover, shutdown); the pool replaces it on the
  // next query, so this must not crash the process. During our own shutdown it is expected.
  pool.on('error', (error) => {
    if (!closing) console.error(`PostgreSQL: idle connection lost: ${error.message}`);
  });
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: 'postgres',
    rows: async <T>(query: SQL) => (await db.execute(query)).rows as T[],
    close: () => {
      closing = true;
      return pool.end();
    },
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined means in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async <T>(query: SQL) => (await db.execute(query)).rows as T[],
    close: () => client.close(),
  };
}

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    await migratePg(database.db, { migrationsFolder });
  } else {
    await migratePglite(database.db as never, { migrationsFolder });
  }
}
