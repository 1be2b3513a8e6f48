import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, pendingMigrations, runMigrations, type Database } from './client.ts';
import { ensureReferenceData } from '../modules/organisations/reference.ts';

export const pgliteDir = (config: Config) => path.join(config.dataDir, 'pglite');

/** A production server does not change the schema on its own: `knudepunkt migrate` is the deploy step that does. */
export class PendingMigrations extends Error {
  constructor(readonly tags: string[]) {
    super(
      `Databasen mangler ${tags.length === 1 ? '1 migrering' : `${tags.length} migreringer`} (${tags.join(', ')}): kør \`knudepunkt migrate\` først, eller start med \`knudepunkt serve --migrate\`.`,
    );
    this.name = 'PendingMigrations';
  }
}

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded) with reference
 * data. `migrations: 'apply'` (the default) migrates it first; `'require'` refuses a database with
 * pending migrations instead (PendingMigrations).
 */
export async function openDatabase(config: Config, options: { migrations?: 'apply' | 'require' } = {}): Promise<Database> {
  let database: Database;
  if (config.databaseUrl) {
    database = await openPostgres(config.databaseUrl, config.dbPool);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    database = await openPglite(pgliteDir(config));
  }
  try {
    if (options.migrations === 'require') {
      const pending = await pendingMigrations(database);
      if (pending.length) throw new PendingMigrations(pending);
    } else {
      await runMigrations(database);
    }
    await ensureReferenceData(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
