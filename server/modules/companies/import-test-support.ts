import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { completeCvr } from './cvr.ts';

/** Valid CVR numbers in order from `firstStem`, a new one each call, so tests do not step on each other. */
export function cvrSeries(firstStem: number): () => string {
  let stem = firstStem;
  return () => {
    for (;;) {
      const cvr = completeCvr(String(stem++));
      if (cvr) return cvr;
    }
  };
}

/** Writes an import file of JSON lines into a new temporary directory and returns its path. */
export function writeImportFile(name: string, lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-import-')), name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * Runs `work` while the database raises `message` (SQLSTATE `code`) on inserting a company named
 * `name`: a rule of the database's own, which the importer's mapper cannot foresee.
 */
export async function whileDatabaseRefuses<T>(database: Database, refusal: { name: string; message: string; code: string }, work: () => Promise<T>): Promise<T> {
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  await database.db.execute(sql.raw(`
    CREATE FUNCTION test_refuse_company() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name = ${quote(refusal.name)} THEN RAISE EXCEPTION ${quote(refusal.message)} USING ERRCODE = ${quote(refusal.code)}; END IF;
      RETURN NEW;
    END $$`));
  await database.db.execute(sql`CREATE TRIGGER test_refuse_company BEFORE INSERT ON companies FOR EACH ROW EXECUTE FUNCTION test_refuse_company()`);
  try {
    return await work();
  } finally {
    await database.db.execute(sql`DROP TRIGGER test_refuse_company ON companies`);
    await database.db.execute(sql`DROP FUNCTION test_refuse_company()`);
  }
}
