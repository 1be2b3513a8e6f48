import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/client.ts';
import { tr } from './language.ts';
import type { Reporter } from './reporter.ts';

/** sysexits.h: the command does not apply here (PostgreSQL has its own tools). */
export const EX_USAGE = 64;

export const usePostgresTools = () =>
  tr(
    'Med DATABASE_URL (PostgreSQL) tager Knudepunkt ikke selv sikkerhedskopier: brug pg_dump -Fc til at tage en og pg_restore --clean --if-exists til at gendanne den (se docs/operations.md).',
    'With DATABASE_URL (PostgreSQL) Knudepunkt does not take backups itself: use pg_dump -Fc to take one and pg_restore --clean --if-exists to restore it (see docs/operations.md).',
  );

/**
 * Writes the embedded database to `file`. Runs in whichever process holds the database: the CLI,
 * or the server when a CLI command reaches it over the control channel. PGlite takes the dump
 * between two queries, so it is consistent while the server keeps serving.
 */
export async function writeBackup(database: Database, file: string, reporter: Reporter): Promise<number> {
  if (!database.dumpDataDir) {
    reporter.log(usePostgresTools());
    return EX_USAGE;
  }
  reporter.log(tr('Tager en sikkerhedskopi af databasen …', 'Taking a backup of the database …'));
  const archive = await database.dumpDataDir();
  reporter.log(tr(`Skriver ${file} …`, `Writing ${file} …`));
  await writeAtomically(path.resolve(file), new Uint8Array(await archive.arrayBuffer()));
  return 0;
}

/**
 * A reader of `file` sees the old backup or the whole new one, never half of one. Mode 0600: a
 * backup holds the link secrets and password hashes, like the data directory.
 */
async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
