import { existsSync, readdirSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { openPglite, runMigrations, type Database } from '../db/client.ts';
import { pgliteDir } from '../db/open.ts';
import { ensureReferenceData } from '../modules/organisations/reference.ts';
import { EX_USAGE, usePostgresTools, writeBackup } from './backup-file.ts';
import { runRemote } from './control.ts';
import { DataDirBusy } from './database-access.ts';
import { tr } from './language.ts';
import { acquireLock } from './lock.ts';
import { terminalReporter } from './reporter.ts';

/**
 * `knudepunkt backup` and `knudepunkt restore` for the embedded database. A backup is PGlite's own
 * dump of its data directory (a .tar.gz), so it restores only into the same PGlite major version.
 */

/** sysexits.h: the file is not a Knudepunkt backup. */
export const EX_DATAERR = 65;

// Results on stdout, progress and everything else on stderr.
const reporter = terminalReporter();

function lockFor(config: Config, command: string) {
  const lock = acquireLock(config.dataDir, { kind: 'cli', command });
  if (lock.acquired && lock.takenOverFrom) {
    const { pid, command: held } = lock.takenOverFrom;
    reporter.log(
      tr(
        `Låsen på datamappen ${config.dataDir} (pid ${pid}: ${held}) var forældet og er overtaget.`,
        `The lock on the data directory ${config.dataDir} (pid ${pid}: ${held}) was stale and has been taken over.`,
      ),
    );
  }
  return lock;
}

/** `file` is absolute: the CLI resolves it in its own working directory, and the server may write it. */
export async function backup(config: Config, file: string): Promise<number> {
  if (config.databaseUrl) {
    reporter.log(usePostgresTools());
    return EX_USAGE;
  }
  const lock = lockFor(config, `backup ${file}`);
  let code: number;
  if (!lock.acquired) {
    const { holder } = lock;
    if (holder.kind !== 'server' || !holder.control) throw new DataDirBusy(holder, config.dataDir);
    reporter.log(tr(`Serveren (pid ${holder.pid}) har databasen åben; sikkerhedskopien tages gennem den.`, `The server (pid ${holder.pid}) holds the database; the backup is taken through it.`));
    code = await runRemote(holder.control, { command: 'backup', args: { file } }, reporter);
  } else {
    try {
      code = await backupHere(config, file);
    } finally {
      lock.release();
    }
  }
  if (code === 0) {
    const { size } = await stat(file);
    reporter.result(tr(`Sikkerhedskopi gemt: ${file} (${size.toLocaleString('da-DK')} bytes)`, `Backup saved: ${file} (${size.toLocaleString('en')} bytes)`));
  }
  return code;
}

async function backupHere(config: Config, file: string): Promise<number> {
  const dir = pgliteDir(config);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    reporter.log(tr(`Der er ingen database i ${dir}; intet at tage en sikkerhedskopi af.`, `There is no database in ${dir}; nothing to back up.`));
    return 1;
  }
  // Opened as it is, not migrated: a backup taken before an upgrade is the way back from it.
  const database = await openPglite(dir);
  try {
    return await writeBackup(database, file, reporter);
  } finally {
    await database.close();
  }
}

export async function restore(config: Config, file: string, options: { force: boolean }): Promise<number> {
  if (config.databaseUrl) {
    reporter.log(usePostgresTools());
    return EX_USAGE;
  }
  const lock = lockFor(config, `restore ${file}`);
  if (!lock.acquired) {
    const { holder } = lock;
    if (holder.kind !== 'server') throw new DataDirBusy(holder, config.dataDir);
    const at = holder.url ? tr(` og kører på ${holder.url}`, ` and runs at ${holder.url}`) : '';
    reporter.log(
      tr(
        `Serveren (pid ${holder.pid}) bruger datamappen ${config.dataDir}${at}. Stop serveren, før du gendanner en sikkerhedskopi (knudepunkt backup kan derimod køre, mens den kører). Intet er ændret.`,
        `The server (pid ${holder.pid}) is using the data directory ${config.dataDir}${at}. Stop the server before you restore a backup (knudepunkt backup, on the other hand, works while it runs). Nothing was changed.`,
      ),
    );
    return 1;
  }
  try {
    const dirs = directoriesOf(pgliteDir(config));
    await finishInterruptedSwap(dirs);
    if (!options.force && existsSync(dirs.target) && readdirSync(dirs.target).length > 0) {
      reporter.log(
        tr(
          `Datamappen ${config.dataDir} har allerede en database. Brug --force for at erstatte den med sikkerhedskopien. Intet er ændret.`,
          `The data directory ${config.dataDir} already holds a database. Use --force to replace it with the backup. Nothing was changed.`,
        ),
      );
      return 1;
    }
    const archive = new Blob([await readFile(file)]);
    reporter.log(tr(`Kontrollerer ${file} …`, `Checking ${file} …`));
    const problem = await whyNotABackup(archive);
    if (problem) {
      reporter.log(tr(`${file} er ikke en sikkerhedskopi fra knudepunkt backup: ${problem}. Intet er ændret.`, `${file} is not a backup made by knudepunkt backup: ${problem}. Nothing was changed.`));
      return EX_DATAERR;
    }
    const { before, after } = await replaceDatabase(dirs, archive);
    const upgraded = after - before;
    reporter.result(
      upgraded > 0
        ? tr(`Databasen er gendannet fra ${file} og opgraderet med ${upgraded} ${upgraded === 1 ? 'migrering' : 'migreringer'}.`, `The database was restored from ${file} and upgraded by ${upgraded} ${upgraded === 1 ? 'migration' : 'migrations'}.`)
        : tr(`Databasen er gendannet fra ${file}.`, `The database was restored from ${file}.`),
    );
    return 0;
  } finally {
    lock.release();
  }
}

const appliedMigrations = async (database: Database) =>
  (await database.rows<{ count: number }>(sql`select count(*)::int as count from drizzle.__drizzle_migrations`))[0]!.count;

/** Opens the archive in memory, so a wrong file is refused before the data directory is touched. */
async function whyNotABackup(archive: Blob): Promise<string | null> {
  let database: Database;
  try {
    database = await openPglite(undefined, { loadDataDir: archive });
  } catch {
    return tr('filen kan ikke åbnes som en database af denne PGlite-version', 'it cannot be opened as a database of this PGlite version');
  }
  try {
    const [found] = await database.rows<{ migrations: string | null; organisations: string | null }>(
      sql`select to_regclass('drizzle.__drizzle_migrations')::text as migrations, to_regclass('public.organisations')::text as organisations`,
    );
    if (!found?.migrations || !found.organisations || (await appliedMigrations(database)) === 0) {
      return tr('databasen i den har ikke Knudepunkts tabeller', "the database in it lacks Knudepunkt's tables");
    }
    return null;
  } finally {
    await database.close();
  }
}

/** The database directory and its siblings on the same file system, so a rename swaps them. */
const directoriesOf = (target: string) => ({ target, staging: `${target}.restoring`, replaced: `${target}.replaced` });

/**
 * A restore killed between its two renames left the old database aside and none in place: put it
 * back. Anything else left over is a half-built copy or an already replaced database. We hold the
 * lock, so no one else is using them.
 */
async function finishInterruptedSwap({ target, staging, replaced }: ReturnType<typeof directoriesOf>) {
  if (existsSync(replaced) && !existsSync(target)) await rename(replaced, target);
  await rm(staging, { recursive: true, force: true });
  await rm(replaced, { recursive: true, force: true });
}

/**
 * Builds the restored database next to the current one and swaps the directories only once it is
 * complete and migrated, so a failure on the way leaves the current data as it was.
 */
async function replaceDatabase({ target, staging, replaced }: ReturnType<typeof directoriesOf>, archive: Blob): Promise<{ before: number; after: number }> {
  let migrations: { before: number; after: number };
  try {
    const database = await openPglite(staging, { loadDataDir: archive });
    try {
      const before = await appliedMigrations(database);
      reporter.log(tr('Kører databasemigreringer …', 'Running the database migrations …'));
      await runMigrations(database);
      await ensureReferenceData(database.db);
      migrations = { before, after: await appliedMigrations(database) };
    } finally {
      await database.close();
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const hadDatabase = existsSync(target);
  if (hadDatabase) await rename(target, replaced);
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadDatabase) await rename(replaced, target);
    throw error;
  }
  await rm(replaced, { recursive: true, force: true });
  return migrations;
}
