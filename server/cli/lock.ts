import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is single-process: only one process may open a data directory. The holder writes a lock
 * file; a server also records where its control channel listens, so CLI commands can run through it.
 */
export interface LockInfo {
  pid: number;
  /** When the holder started, as the kernel counts it (Linux); absent where /proc does not exist. */
  processStart?: string;
  kind: 'server' | 'cli';
  command: string;
  startedAt: string;
  control?: { port: number; token: string };
  url?: string;
}

export const lockPath = (dataDir: string) => path.join(dataDir, 'knudepunkt.lock');

/**
 * The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null
 * where there is no /proc or no such process. A PID is reused once its process is gone; the pair of
 * PID and start time is not, so it names one process for as long as the machine runs.
 */
export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process with this PID exists (EPERM: it does, under another user). */
export function alive(pid: number): boolean {
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

/**
 * Whether the process a lock names still holds it: it must be alive and, where the lock recorded a
 * start time and /proc can tell, be the same process, not a later program that was given its PID.
 */
function stillHeld(holder: LockInfo): boolean {
  if (!alive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const start = processStartOf(holder.pid);
  return start === null || start === holder.processStart;
}

export type AcquireResult =
  | { acquired: true; release: () => void; update: (info: Partial<LockInfo>) => void; takenOverFrom?: LockInfo }
  | { acquired: false; holder: LockInfo };

export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): AcquireResult {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const processStart = processStartOf(process.pid);
  let current: LockInfo = { ...info, pid: process.pid, ...(processStart === null ? {} : { processStart }), startedAt: new Date().toISOString() };
  let takenOverFrom: LockInfo | undefined;
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
      return { acquired: true, release, update, ...(takenOverFrom ? { takenOverFrom } : {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      // A lock left behind by a process that died (or whose PID now belongs to another program) is
      // stale; anything else belongs to a live process.
      if (holder && stillHeld(holder) && holder.pid !== process.pid) return { acquired: false, holder };
      if (!holder) {
        // Another process may be between creating and writing the file; give it a moment.
        const wait = Date.now() + 200;
        while (Date.now() < wait);
        const again = readLock(dataDir);
        if (again && stillHeld(again)) return { acquired: false, holder: again };
      }
      if (holder && holder.pid !== process.pid) takenOverFrom = holder;
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not acquire the lock ${file}`);
}
