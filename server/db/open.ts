import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, runMigrations, type Database } from './client.ts';
import { ensureReferenceData } from '../modules/organisations/reference.ts';

export const pgliteDir = (config: Config) => path.join(config.dataDir, 'pglite');

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded), migrated and with reference data. */
export async function openDatabase(config: Config): Promise<Database> {
  let database: Database;
  if (config.databaseUrl) {
    database = await openPostgres(config.databaseUrl, config.dbPool);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    database = await openPglite(pgliteDir(config));
  }
  try {
    await runMigrations(database);
    await ensureReferenceData(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
