import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPostgres } from './client.ts';

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
