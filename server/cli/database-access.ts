import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openDatabase } from '../db/open.ts';
import { acquireLock, type LockInfo } from './lock.ts';

export class DataDirBusy extends Error {
  constructor(readonly holder: LockInfo, dataDir: string) {
    super(
      holder.kind === 'server'
        ? `Knudepunkt-serveren (pid ${holder.pid}) bruger allerede datamappen ${dataDir}${holder.url ? ` og kører på ${holder.url}` : ''}.`
        : `En anden knudepunkt-kommando (pid ${holder.pid}: ${holder.command}) bruger datamappen ${dataDir}. Prøv igen, når den er færdig.`,
    );
  }
}

export type Access =
  | { mode: 'direct'; database: Database; release: () => Promise<void>; updateLock: (info: Partial<LockInfo>) => void }
  | { mode: 'server'; holder: LockInfo & { control: { port: number; token: string } } };

/**
 * Gets at the data: PostgreSQL is shared by nature; the embedded database belongs to one process,
 * so when a server holds it, commands go through the server instead.
 */
export async function accessData(config: Config, kind: 'server' | 'cli', command: string, options: Parameters<typeof openDatabase>[1] = {}): Promise<Access> {
  if (config.databaseUrl) {
    const database = await openDatabase(config, options);
    return { mode: 'direct', database, release: () => database.close(), updateLock: () => {} };
  }
  const lock = acquireLock(config.dataDir, { kind, command });
  if (!lock.acquired) {
    const { holder } = lock;
    if (kind === 'cli' && holder.kind === 'server' && holder.control) return { mode: 'server', holder: holder as LockInfo & { control: { port: number; token: string } } };
    throw new DataDirBusy(holder, config.dataDir);
  }
  if (lock.takenOverFrom) {
    const { pid, command } = lock.takenOverFrom;
    // On stderr: a command's results on stdout stay parseable.
    process.stderr.write(`Låsen på datamappen ${config.dataDir} (pid ${pid}: ${command}) var forældet: processen findes ikke længere, eller pid'en tilhører nu et andet program. Den er overtaget.\n`);
  }
  const releaseOnExit = () => lock.release();
  process.once('exit', releaseOnExit);
  try {
    const database = await openDatabase(config, options);
    return {
      mode: 'direct',
      database,
      updateLock: lock.update,
      release: async () => {
        await database.close();
        lock.release();
        process.off('exit', releaseOnExit);
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
