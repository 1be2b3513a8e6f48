/**
 * The parsing half of the CVR import, on its own thread: reads the JSON-lines file, maps each
 * document and serialises batches, so that the main thread only talks to the database. Posts
 * `batch`, `rejected` and finally `done`; runs at most `ahead` batches ahead of the writer.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeBatch, type SerializedBatch } from './batch.ts';
import { parseCvrLine, type CompanyRecord } from './cvr-document.ts';

export interface ImportJob {
  filePath: string;
  batchSize: number;
  ahead: number;
}

export type WorkerMessage =
  | { type: 'batch'; batch: SerializedBatch; lines: number; bytesRead: number }
  | { type: 'rejected'; rejected: { line: number; reason: string }[] }
  | { type: 'done'; lines: number; imported: number };

const port = parentPort!;
const job = workerData as ImportJob;

// Flow control: the main thread sends a message each time it has taken a batch into its writers.
let credits = job.ahead;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});
const creditAvailable = () => (credits > 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));

let lines = 0;
let imported = 0;
let bytesRead = 0;
let rejected: { line: number; reason: string }[] = [];
let batch = new Map<string, CompanyRecord>();

async function flush() {
  if (rejected.length) port.postMessage({ type: 'rejected', rejected } satisfies WorkerMessage);
  rejected = [];
  if (batch.size === 0) return;
  await creditAvailable();
  credits--;
  port.postMessage({ type: 'batch', batch: serializeBatch([...batch.values()]), lines, bytesRead } satisfies WorkerMessage);
  batch = new Map();
}

const stream = createReadStream(job.filePath, { encoding: 'utf8', highWaterMark: 1 << 20 });
for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
  lines++;
  bytesRead += Buffer.byteLength(line) + 1;
  if (line.trim() === '') continue;
  const parsed = parseCvrLine(line);
  if (!parsed.ok) {
    rejected.push({ line: lines, reason: parsed.reason });
    continue;
  }
  imported++;
  // Within a batch the latest document for a CVR wins, as it does across batches.
  batch.set(parsed.record.cvr, parsed.record);
  if (batch.size >= job.batchSize) await flush();
}
await flush();
port.postMessage({ type: 'done', lines, imported } satisfies WorkerMessage);
