import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is single-process: only one process may open a data directory. The holder writes a lock
 * file; a server also records where its control channel listens, so CLI commands can run through it.
 */
export interface LockInfo {
  pid: number;
  kind: 'server' | 'cli';
  command: string;
  startedAt: string;
  control?: { port: number; token: string };
  url?: string;
}

export const lockPath = (dataDir: string) => path.join(dataDir, 'knudepunkt.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

export type AcquireResult = { acquired: true; release: () => void; update: (info: Partial<LockInfo>) => void } | { acquired: false; holder: LockInfo };

export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): AcquireResult {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  let current: LockInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(current));
      closeSync(fd);
      const release = () => {
        if (readLock(dataDir)?.pid === process.pid) rmSync(file, { force: true });
      };
      const update = (more: Partial<LockInfo>) => {
        current = { ...current, ...more };
        const fd2 = openSync(file, 'w', 0o600);
        writeSync(fd2, JSON.stringify(current));
        closeSync(fd2);
      };
      return { acquired: true, release, update };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      // A lock left behind by a process that died is stale; anything else belongs to a live process.
      if (holder && alive(holder.pid) && holder.pid !== process.pid) return { acquired: false, holder };
      if (!holder) {
        // Another process may be between creating and writing the file; give it a moment.
        const wait = Date.now() + 200;
        while (Date.now() < wait);
        const again = readLock(dataDir);
        if (again && alive(again.pid)) return { acquired: false, holder: again };
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not acquire the lock ${file}`);
}
