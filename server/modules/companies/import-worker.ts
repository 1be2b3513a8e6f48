/**
 * The parsing half of the CVR import, on its own thread: reads the JSON-lines file, maps each
 * document and serialises batches, so that the main thread only talks to the database. Posts
 * `batch`, `rejected` and finally `done`; runs at most `ahead` batches ahead of the writer.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
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

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The file's lines as bytes (without the line ending), so each is checked for UTF-8 on its own.
 * Decoding the stream as text would quietly turn Latin-1 letters into U+FFFD and store them; a
 * JSON-lines file has independent lines, so one mis-encoded line is rejected and the rest imported.
 */
async function* byteLines(filePath: string): AsyncGenerator<Buffer> {
  // A line that spans chunks is kept in pieces and joined once, so a long line is not copied per chunk.
  let pending: Buffer[] = [];
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      yield withoutCarriageReturn(pending.length ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length) yield withoutCarriageReturn(Buffer.concat(pending));
}

const withoutCarriageReturn = (line: Buffer) => (line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line);

for await (const bytes of byteLines(job.filePath)) {
  lines++;
  bytesRead += bytes.length + 1;
  if (!isUtf8(bytes)) {
    rejected.push({ line: lines, reason: 'not valid UTF-8 text (the file must be UTF-8, not Latin-1/Windows-1252)' });
    continue;
  }
  const line = bytes.toString('utf8');
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
