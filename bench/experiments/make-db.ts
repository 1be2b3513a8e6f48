/** Scratch helper: `node --import tsx bench/experiments/make-db.ts NAME FILE` imports FILE into a fresh database NAME (kept). */
import { openPostgres, runMigrations } from '../../server/db/client.ts';
import { ensureReferenceData } from '../../server/modules/organisations/reference.ts';
import { importCvrFile } from '../../server/modules/companies/import.ts';
import { sql } from 'drizzle-orm';
import pg from 'pg';
const [name, file] = process.argv.slice(2);
const admin = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name}`); await admin.query(`CREATE DATABASE ${name}`); await admin.end();
const d = await openPostgres(`postgres://postgres@127.0.0.1:5432/${name}`);
await runMigrations(d); await ensureReferenceData(d.db);
const s = await importCvrFile(d, file!);
console.log(s.imported, s.seconds);
await d.db.execute(sql`ANALYZE`);
await d.close();
