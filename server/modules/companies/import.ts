import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Database, Db } from '../../db/client.ts';
import { audit } from '../audit/service.ts';
import type { Actor } from '../../policies/index.ts';
import type { SerializedBatch } from './batch.ts';
import type { ImportJob, WorkerMessage } from './import-worker.ts';
import { flushSearchIndexes, upsertSerializedIn } from './service.ts';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
}

export interface Rejection {
  line: number;
  /** For a document in a saved search response: the hit's place in the response (1-based). */
  hit?: number;
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
 * batches are written at once (one connection each). A batch holding a CVR or P-number that an
 * earlier, unfinished batch also holds waits for it, so the later document still wins.
 *
 * The audit log tells what was committed even if the import is cut short: `import-started` first,
 * then an `import-batch` entry in each batch's own transaction (its lines, counts), and `import` at
 * the end with the totals, `status: 'completed'`, or `status: 'stopped'` with the reason and the
 * line up to which everything is in.
 */
export async function importCvrFile(
  database: Database,
  filePath: string,
  options: { onProgress?: (p: ImportProgress) => void; actor?: Actor | null } = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const totalBytes = (await stat(filePath)).size;
  const actor = options.actor ?? null;
  const importId = randomUUID();
  const summary: ImportSummary = { lines: 0, imported: 0, created: 0, updated: 0, rejected: [], seconds: 0 };
  const committed = new CommittedLines();
  const writers = new BatchWriters(database.kind === 'postgres' ? 2 : 1);
  // On PostgreSQL batches travel as COPY text (service.ts `upsertCopied`); PGlite takes them as jsonb.
  const job: ImportJob = { filePath, batchSize: IMPORT_BATCH_SIZE, ahead: 4, format: database.kind === 'postgres' ? 'copy' : 'json' };
  let refusedByDatabase = 0;
  let linesSent = 0;

  const writeOne = (batch: SerializedBatch, firstLine: number, lastLine: number) => {
    const sequence = committed.expect(lastLine);
    const entry = (tx: Db, outcome: BatchOutcome) =>
      audit(tx, actor, {
        action: 'import-batch',
        entity: 'company',
        details: { import: importId, firstLine, lastLine, companies: batch.cvrs.length, created: outcome.created, updated: outcome.updated, rejected: outcome.rejected.length },
      });
    return async () => {
      const outcome = await writeBatch(database, batch, entry);
      summary.created += outcome.created;
      summary.updated += outcome.updated;
      summary.rejected.push(...outcome.rejected);
      refusedByDatabase += outcome.rejected.length;
      committed.done(sequence);
    };
  };

  await audit(database.db, actor, { action: 'import-started', entity: 'company', details: { import: importId, file: filePath } });
  // A larger young generation than the default: a batch's documents live until it is serialised, and
  // with the default they were promoted and collected again, 15% of the parsing thread's time.
  const worker = new Worker(new URL('./import-worker.mjs', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  try {
    try {
      await new Promise<void>((resolve, reject) => {
        // Batches are handed to the writers one at a time, in file order.
        let queue = Promise.resolve();
        worker.on('message', (message: WorkerMessage) => {
          queue = queue
            .then(async () => {
              if (message.type === 'rejected') summary.rejected.push(...message.rejected);
              else if (message.type === 'batch') {
                await writers.write(message.batch, writeOne(message.batch, linesSent + 1, message.lines));
                linesSent = message.lines;
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
  } catch (error) {
    const reason = shortReason(error);
    const through = committed.through();
    await audit(database.db, actor, {
      action: 'import',
      entity: 'company',
      details: { import: importId, file: filePath, status: 'stopped', reason, committedThroughLine: through, created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
    }).catch(() => {});
    throw new Error(`CVR-importen stoppede: ${reason}. Linje 1–${through} er gemt; det er sikkert at importere filen igen.`, { cause: error });
  }
  summary.imported -= refusedByDatabase;
  summary.rejected.sort((a, b) => a.line - b.line || (a.hit ?? 0) - (b.hit ?? 0));
  await flushSearchIndexes(database.db);
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, lines: summary.lines });
  summary.seconds = (performance.now() - started) / 1000;
  await audit(database.db, actor, {
    action: 'import',
    entity: 'company',
    details: { import: importId, file: filePath, status: 'completed', lines: summary.lines, imported: summary.imported, created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
  });
  return summary;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  rejected: Rejection[];
}

/**
 * Writes one batch in one transaction, with `record` (its audit entry) in the same transaction. If
 * the database refuses the batch because of its data, it is written again row by row, each row in
 * its own savepoint, so only the rows it refuses are rejected, with their line and its reason. Any
 * other failure (a lost connection) is thrown: that is not the data's fault.
 */
export async function writeBatch(database: Database, batch: SerializedBatch, record: (tx: Db, outcome: BatchOutcome) => Promise<void>): Promise<BatchOutcome> {
  try {
    return await database.db.transaction(async (tx) => {
      const outcome = { ...(await upsertSerializedIn(tx, batch)), rejected: [] };
      await record(tx, outcome);
      return outcome;
    });
  } catch (error) {
    if (!refusalOf(error)) throw error;
  }
  return database.db.transaction(async (tx) => {
    const outcome: BatchOutcome = { created: 0, updated: 0, rejected: [] };
    for (const row of rowsOf(batch)) {
      try {
        const { created, updated } = await tx.transaction((savepoint) => upsertSerializedIn(savepoint, row, 'cvr', { staged: true }));
        outcome.created += created;
        outcome.updated += updated;
      } catch (error) {
        const reason = refusalOf(error);
        if (!reason) throw error;
        outcome.rejected.push({ line: row.line, ...(row.hit !== null && { hit: row.hit }), reason: `refused by the database: ${reason}` });
      }
    }
    await record(tx, outcome);
    return outcome;
  });
}

type Row = Pick<SerializedBatch, 'cvrs' | 'companiesJson' | 'unitsJson' | 'companiesCopy' | 'unitsCopy'> & { line: number; hit: number | null };

/** A batch taken apart into one batch per company, with its production units and its line. */
function rowsOf(batch: SerializedBatch): Row[] {
  const at = (i: number) => ({ line: batch.lines[i] ?? 0, hit: batch.hits?.[i] ?? null });
  if (batch.companiesCopy !== undefined) {
    // COPY text has one row per line (newlines inside values are escaped), in `cvrs` order; a unit's second column is its CVR.
    const units = new Map<string, string>();
    for (const unit of batch.unitsCopy ? batch.unitsCopy.split('\n') : []) {
      if (!unit) continue;
      const cvr = unit.split('\t', 2)[1]!;
      units.set(cvr, `${units.get(cvr) ?? ''}${unit}\n`);
    }
    return batch.companiesCopy
      .split('\n')
      .slice(0, batch.cvrs.length)
      .map((company, i) => ({ cvrs: [batch.cvrs[i]!], companiesCopy: `${company}\n`, unitsCopy: units.get(batch.cvrs[i]!) ?? null, ...at(i) }));
  }
  const companies = JSON.parse(batch.companiesJson!) as { cvr: string }[];
  const units = new Map<string, unknown[]>();
  for (const unit of batch.unitsJson ? (JSON.parse(batch.unitsJson) as { cvr: string }[]) : []) units.set(unit.cvr, [...(units.get(unit.cvr) ?? []), unit]);
  return companies.map((company, i) => {
    const own = units.get(company.cvr);
    return { cvrs: [company.cvr], companiesJson: JSON.stringify([company]), unitsJson: own ? JSON.stringify(own) : null, ...at(i) };
  });
}

/**
 * SQLSTATE classes that mean "this data": 21 cardinality (one upsert touching a row twice), 22 data
 * exception (a date or number PostgreSQL cannot hold), 23 integrity constraint, 54 program limit (a
 * btree entry or tsvector too large), P0 raised by a trigger. Connection, lock or resource
 * errors (08, 40, 53, 57) are not, and stop the import instead of rejecting good rows.
 */
const REFUSAL = /^(21|22|23|54|P0)[0-9A-Z]{3}$/;

/**
 * PostgreSQL's own message when it refused the data, or null. Drizzle wraps the driver's error (whose
 * `code` is the SQLSTATE) and puts the whole SQL and its parameters — megabytes of JSON for a batch —
 * in its own message, so only the driver's message is kept.
 */
function refusalOf(error: unknown): string | null {
  const cause = databaseErrorOf(error);
  return cause && REFUSAL.test(cause.code) ? firstLine(cause.message) : null;
}

function databaseErrorOf(error: unknown): { code: string; message: string } | null {
  const seen = new Set<unknown>();
  for (let e = error; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(code)) return { code, message: typeof message === 'string' ? message : code };
  }
  return null;
}

const firstLine = (text: string) => {
  const line = text.split('\n', 1)[0]!;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
};

/** Why an import stopped, in one line without SQL. */
function shortReason(error: unknown): string {
  const database = databaseErrorOf(error);
  if (database) return `${firstLine(database.message)} (SQLSTATE ${database.code})`;
  return firstLine(error instanceof Error ? error.message : String(error));
}

/** The last line up to which every batch is committed, with batches finishing out of order. */
class CommittedLines {
  private lastLines: number[] = [];
  private finished: boolean[] = [];
  private prefix = 0;

  /** Registers the next batch in file order; returns its number. */
  expect(lastLine: number): number {
    this.lastLines.push(lastLine);
    this.finished.push(false);
    return this.lastLines.length - 1;
  }

  done(sequence: number) {
    this.finished[sequence] = true;
    while (this.prefix < this.finished.length && this.finished[this.prefix]) this.prefix++;
  }

  through(): number {
    return this.prefix === 0 ? 0 : this.lastLines[this.prefix - 1]!;
  }
}

interface InFlight {
  keys: Set<string>;
  done: Promise<void>;
}

/** Up to `concurrency` batches written at once; the first failure is rethrown to the importer. */
class BatchWriters {
  private inFlight: InFlight[] = [];
  private failure: unknown;

  constructor(private readonly concurrency: number) {}

  async write(batch: SerializedBatch, task: () => Promise<void>) {
    this.throwIfFailed();
    const keys = [...batch.cvrs, ...batch.pNumbers.map((p) => `p${p}`)];
    for (const other of [...this.inFlight]) if (keys.some((key) => other.keys.has(key))) await other.done;
    while (this.inFlight.length >= this.concurrency) await Promise.race(this.inFlight.map((f) => f.done));
    this.throwIfFailed();
    const entry: InFlight = { keys: new Set(keys), done: Promise.resolve() };
    entry.done = task()
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
