import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Database } from '../../db/client.ts';
import { audit } from '../audit/service.ts';
import type { Actor } from '../../policies/index.ts';
import type { SerializedBatch } from './batch.ts';
import type { ImportJob, WorkerMessage } from './import-worker.ts';
import { flushSearchIndexes, upsertSerialized } from './service.ts';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
}

export interface Rejection {
  line: number;
  reason: string;
}

export interface ImportSummary {
  lines: number;
  imported: number;
  created: number;
  updated: number;
  rejected: Rejection[];
  seconds: number;
}

/** Documents per upsert: measured best between 500 and 4,000 at national scale (BENCHMARKS.md). */
export const IMPORT_BATCH_SIZE = 2000;

/**
 * Imports a JSON-lines file of CVR documents. Bad lines are reported with their line number and
 * skipped; everything else is upserted by CVR, so running the same file twice changes nothing.
 *
 * Parsing runs on a worker thread (`import-worker.ts`) while this thread writes: on PostgreSQL two
 * batches are written at once (one connection each). A batch holding a CVR that an earlier,
 * unfinished batch also holds waits for it, so the later document still wins.
 */
export async function importCvrFile(
  database: Database,
  filePath: string,
  options: { onProgress?: (p: ImportProgress) => void; actor?: Actor | null } = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const totalBytes = (await stat(filePath)).size;
  const summary: ImportSummary = { lines: 0, imported: 0, created: 0, updated: 0, rejected: [], seconds: 0 };
  const writers = new BatchWriters(database, database.kind === 'postgres' ? 2 : 1, summary);
  const job: ImportJob = { filePath, batchSize: IMPORT_BATCH_SIZE, ahead: 4 };
  const worker = new Worker(new URL('./import-worker.mjs', import.meta.url), { workerData: job });

  try {
    await new Promise<void>((resolve, reject) => {
      // Batches are handed to the writers one at a time, in file order.
      let queue = Promise.resolve();
      worker.on('message', (message: WorkerMessage) => {
        queue = queue
          .then(async () => {
            if (message.type === 'rejected') summary.rejected.push(...message.rejected);
            else if (message.type === 'batch') {
              await writers.write(message.batch);
              worker.postMessage('more');
              options.onProgress?.({ bytesRead: message.bytesRead, totalBytes, lines: message.lines });
            } else {
              summary.lines = message.lines;
              summary.imported = message.imported;
              resolve();
            }
          })
          .catch(reject);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? queue.then(() => resolve(), reject) : reject(new Error(`the CVR parser stopped (exit code ${code})`))));
    });
  } finally {
    // Whatever happened, never return while a batch is still being written.
    await worker.terminate();
    await writers.drain();
  }
  await flushSearchIndexes(database.db);
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, lines: summary.lines });
  summary.seconds = (performance.now() - started) / 1000;
  await audit(database.db, options.actor ?? null, {
    action: 'import',
    entity: 'company',
    details: { file: filePath, lines: summary.lines, imported: summary.imported, created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
  });
  return summary;
}

interface InFlight {
  cvrs: Set<string>;
  done: Promise<void>;
}

/** Up to `concurrency` batches written at once; the first failure is rethrown to the importer. */
class BatchWriters {
  private inFlight: InFlight[] = [];
  private failure: unknown;

  constructor(
    private readonly database: Database,
    private readonly concurrency: number,
    private readonly summary: ImportSummary,
  ) {}

  async write(batch: SerializedBatch) {
    this.throwIfFailed();
    for (const other of [...this.inFlight]) if (batch.cvrs.some((cvr) => other.cvrs.has(cvr))) await other.done;
    while (this.inFlight.length >= this.concurrency) await Promise.race(this.inFlight.map((f) => f.done));
    this.throwIfFailed();
    const entry: InFlight = { cvrs: new Set(batch.cvrs), done: Promise.resolve() };
    entry.done = upsertSerialized(this.database, batch)
      .then(({ created, updated }) => {
        this.summary.created += created;
        this.summary.updated += updated;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inFlight = this.inFlight.filter((f) => f !== entry);
      });
    this.inFlight.push(entry);
  }

  async drain() {
    await Promise.all(this.inFlight.map((f) => f.done));
    this.throwIfFailed();
  }

  private throwIfFailed() {
    if (this.failure !== undefined) throw this.failure;
  }
}
