import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPglite, openPostgres, positionalSql, type Database } from './client.ts';

describe.runIf(!!process.env.DATABASE_URL)('the PostgreSQL pool', () => {
  it('reports an idle connection the database ended through the logger it was given, and goes on working', async () => {
    const database = await openPostgres(process.env.DATABASE_URL!, 2);
    const other = await openPostgres(process.env.DATABASE_URL!, 1);
    try {
      const warnings: { object: object; message: string }[] = [];
      database.useLogger!({ warn: (object, message) => warnings.push({ object, message }) });
      const [{ pid }] = (await database.rows<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)) as [{ pid: number }];
      // The connection is idle in the pool now; ending it from another session is what a restart does.
      await other.rows(sql`SELECT pg_terminate_backend(${pid})`);
      await expect.poll(() => warnings.length, { timeout: 5_000 }).toBe(1);
      expect(warnings[0]!.message).toMatch(/idle connection lost/);
      expect(warnings[0]!.object).toMatchObject({ code: '57P01' });
      expect(await database.rows(sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await other.close();
    }
  });
});

describe('prepared statements', () => {
  const statement = 'SELECT $1::int + 1 AS next, $2::timestamptz AS at, $3::text AS label';
  const at = new Date('2026-11-27T09:00:00.123Z');
  const expectRows = async (database: Database) => {
    const rows = await database.prepared<{ next: number; at: Date; label: string }>('kp_test_prepared', statement, [41, at, 'x']);
    expect(rows).toEqual([{ next: 42, at, label: 'x' }]);
    expect(rows[0]!.at).toBeInstanceOf(Date);
  };

  it('run with their parameters and parse timestamps on the embedded database', async () => {
    const database = await openPglite();
    try {
      await expectRows(database);
      // The same statement through the query builder, as a transaction-bound database runs it (which hands timestamps back as text).
      const [row] = (await database.db.execute(positionalSql(statement, [1, at, '$2']))).rows as { next: number; at: string; label: string }[];
      expect({ ...row, at: new Date(row!.at) }).toEqual({ next: 2, at, label: '$2' });
    } finally {
      await database.close();
    }
  });

  it.runIf(!!process.env.DATABASE_URL)('are prepared once per connection on PostgreSQL, under their name', async () => {
    const database = await openPostgres(process.env.DATABASE_URL!, 1);
    try {
      await expectRows(database);
      await expectRows(database);
      const named = await database.prepared<{ name: string }>('kp_test_listing', 'SELECT name FROM pg_prepared_statements ORDER BY name', []);
      expect(named.map((r) => r.name)).toEqual(['kp_test_listing', 'kp_test_prepared']);
    } finally {
      await database.close();
    }
  });
});
