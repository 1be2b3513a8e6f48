import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Database } from '../../db/client.ts';
import { audit } from '../audit/service.ts';
import type { Actor } from '../../policies/index.ts';
import { parseCvrLine, type CompanyRecord } from './cvr-document.ts';
import { upsertCompanies } from './service.ts';

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

const BATCH_SIZE = 1000;

/**
 * Imports a JSON-lines file of CVR documents. Bad lines are reported with their line number and
 * skipped; everything else is upserted by CVR, so running the same file twice changes nothing.
 *
 * Parsing overlaps with writing: while the database upserts one batch, the next is parsed, and on
 * PostgreSQL two batches are written at once (one connection each). A batch holding a CVR that an
 * earlier, unfinished batch also holds waits for it, so the later document still wins.
 */
export async function importCvrFile(
  database: Database,
  filePath: string,
  options: { onProgress?: (p: ImportProgress) => void; actor?: Actor | null } = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const totalBytes = (await stat(filePath)).size;
  const stream = createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const summary: ImportSummary = { lines: 0, imported: 0, created: 0, updated: 0, rejected: [], seconds: 0 };
  const writers = new BatchWriters(database, database.kind === 'postgres' ? 2 : 1, summary);
  let batch = new Map<string, CompanyRecord>();
  let bytesRead = 0;

  const flush = async () => {
    if (batch.size === 0) return;
    await writers.write([...batch.values()]);
    batch = new Map();
    options.onProgress?.({ bytesRead, totalBytes, lines: summary.lines });
  };

  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      summary.lines++;
      bytesRead += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      const parsed = parseCvrLine(line);
      if (!parsed.ok) {
        summary.rejected.push({ line: summary.lines, reason: parsed.reason });
        continue;
      }
      summary.imported++;
      // Within a batch the latest document for a CVR wins, as it does across batches.
      batch.set(parsed.record.cvr, parsed.record);
      if (batch.size >= BATCH_SIZE) await flush();
    }
    await flush();
  } finally {
    // Whatever happened, never return while a batch is still being written.
    await writers.drain();
  }
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

  async write(records: CompanyRecord[]) {
    this.throwIfFailed();
    for (const other of [...this.inFlight]) if (records.some((r) => other.cvrs.has(r.cvr))) await other.done;
    while (this.inFlight.length >= this.concurrency) await Promise.race(this.inFlight.map((f) => f.done));
    this.throwIfFailed();
    // Sorted, so two concurrent batches always lock rows in the same order.
    records.sort((a, b) => (a.cvr < b.cvr ? -1 : 1));
    const entry: InFlight = { cvrs: new Set(records.map((r) => r.cvr)), done: Promise.resolve() };
    entry.done = upsertCompanies(this.database, records)
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
