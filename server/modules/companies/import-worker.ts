/**
 * The parsing half of the CVR import, on its own thread: reads the file, maps each document and
 * serialises batches, so that the main thread only talks to the database. Posts `batch`, `rejected`
 * and finally `done`; runs at most `ahead` batches ahead of the writer.
 *
 * The file is what the register's Elasticsearch service and the tools around it produce: JSON lines
 * of documents, `_source` objects or hits, or whole saved search/scroll responses (one per line,
 * or pretty-printed and concatenated), gzip-compressed or not (told by the magic bytes, not the name).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { serializeBatch, type BatchFormat, type SerializedBatch } from './batch.ts';
import { classifyCvrValue, EXPECTED_SHAPES, mapCvrItem, type CompanyRecord } from './cvr-document.ts';

export interface ImportJob {
  filePath: string;
  batchSize: number;
  ahead: number;
  format: BatchFormat;
}

interface Rejected {
  line: number;
  hit?: number;
  reason: string;
}

export type WorkerMessage =
  | { type: 'batch'; batch: SerializedBatch; lines: number; bytesRead: number }
  | { type: 'rejected'; rejected: Rejected[] }
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
let rejected: Rejected[] = [];
/** By CVR, in the order of each CVR's last document in the file. */
let batch = new Map<string, { record: CompanyRecord; line: number; hit: number | null }>();

async function flush() {
  if (rejected.length) port.postMessage({ type: 'rejected', rejected } satisfies WorkerMessage);
  rejected = [];
  if (batch.size === 0) return;
  await creditAvailable();
  credits--;
  const entries = [...batch.values()];
  const serialized = serializeBatch(
    entries.map((e) => e.record),
    entries.map((e) => e.line),
    entries.some((e) => e.hit !== null) ? entries.map((e) => e.hit) : [],
    job.format,
  );
  port.postMessage({ type: 'batch', batch: serialized, lines, bytesRead: file.bytesRead } satisfies WorkerMessage);
  batch = new Map();
}

async function add(item: unknown, line: number, hit: number | null) {
  const parsed = mapCvrItem(item);
  if (!parsed.ok) {
    rejected.push({ line, ...(hit !== null && { hit }), reason: parsed.reason });
    return;
  }
  imported++;
  // Within a batch the latest document for a CVR wins, as it does across batches; deleting first
  // moves it to its new place in file order, which decides who keeps a P-number that moved.
  batch.delete(parsed.record.cvr);
  batch.set(parsed.record.cvr, { record: parsed.record, line, hit });
  if (batch.size >= job.batchSize) await flush();
}

/** Set once the file turns out not to be a CVR file at all: one rejection, and nothing more is read. */
let notCvr = false;
let first = true;

/** One top-level JSON value: a document, a hit, or a response / array whose items are numbered as hits. */
async function addValue(value: unknown, line: number) {
  const shape = classifyCvrValue(value);
  const wasFirst = first;
  first = false;
  if (shape.kind === 'unknown') {
    rejected.push({ line, reason: `not a CVR document: ${EXPECTED_SHAPES}; ${shape.found}` });
    notCvr = wasFirst;
  } else if (shape.kind === 'document') await add(shape.document, line, null);
  else for (const [i, item] of shape.items.entries()) await add(item, line, i + 1);
}

/** A value bigger than this is refused rather than parsed: a saved search page is far smaller. */
const VALUE_MAX = 256 * 1024 * 1024;

const tooLarge = (size: number) => ({ ok: false as const, reason: `a JSON value of ${Math.round(size / 1024 / 1024)} MiB (at most ${VALUE_MAX / 1024 / 1024} MiB; save the search in smaller pages)` });

function parseValue(bytes: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (bytes.length > VALUE_MAX) return tooLarge(bytes.length);
  // Decoding as text would quietly turn Latin-1 letters into U+FFFD and store them.
  if (!isUtf8(bytes)) return { ok: false, reason: 'not valid UTF-8 text (the file must be UTF-8, not Latin-1/Windows-1252)' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const GZIP = [0x1f, 0x8b];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The file's lines as bytes (without the line ending), so each is checked for UTF-8 on its own:
 * a JSON-lines file has independent lines, so one mis-encoded line is rejected and the rest imported.
 */
async function* byteLines(stream: Readable): AsyncGenerator<Buffer> {
  // A line that spans chunks is kept in pieces and joined once, so a long line is not copied per chunk.
  let pending: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
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

/**
 * Splits pretty-printed JSON (one or more values, such as saved search responses one after another)
 * into its top-level values, fed line by line, without parsing them: only strings and brackets are
 * followed. Each value comes out as its bytes (null past VALUE_MAX) with the line it starts on.
 */
class ValueSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private size = 0;
  private startLine = 0;

  /** Values completed on this line, and whether it holds text outside any value (which is not JSON). */
  feed(line: Buffer, lineNumber: number): { values: { bytes: Buffer | null; size: number; line: number }[]; stray: boolean } {
    const values: { bytes: Buffer | null; size: number; line: number }[] = [];
    let stray = false;
    let from = 0;
    for (let i = 0; i < line.length; i++) {
      const byte = line[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === 0x5c) this.escaped = true;
        else if (byte === 0x22) this.inString = false;
      } else if (byte === 0x7b || byte === 0x5b) {
        if (this.depth++ === 0) {
          from = i;
          this.startLine = lineNumber;
        }
      } else if (byte === 0x7d || byte === 0x5d) {
        if (this.depth === 0) stray = true;
        else if (--this.depth === 0) {
          this.keep(line.subarray(from, i + 1));
          values.push({ bytes: this.size > VALUE_MAX ? null : Buffer.concat(this.parts), size: this.size, line: this.startLine });
          this.parts = [];
          this.size = 0;
        }
      } else if (byte === 0x22) {
        if (this.depth === 0) stray = true;
        else this.inString = true;
      } else if (this.depth === 0 && byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x2c) stray = true;
    }
    if (this.depth > 0) this.keep(Buffer.concat([line.subarray(from), Buffer.from('\n')]));
    return { values, stray };
  }

  /** The line an unfinished value started on, at the end of the file. */
  unfinished(): number | null {
    return this.depth > 0 ? this.startLine : null;
  }

  private keep(piece: Buffer) {
    this.size += piece.length;
    // Past the limit only the size is counted, so the value is refused without being held.
    if (this.size <= VALUE_MAX) this.parts.push(piece);
    else this.parts = [];
  }
}

/** What the start of a file that is not JSON looks like, in words. */
function describeStart(head: Buffer): string {
  const starts = (bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'found a ZIP archive (unzip it first)';
  if (starts([0x42, 0x5a, 0x68])) return 'found bzip2-compressed data (only gzip is read as it is)';
  if (starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'found xz-compressed data (only gzip is read as it is)';
  if (starts([0x28, 0xb5, 0x2f, 0xfd])) return 'found zstd-compressed data (only gzip is read as it is)';
  if (!isUtf8(head) || head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20))) return `found binary data (the file starts with the bytes ${hex})`;
  const text = head.toString('utf8').replace(/\s+/g, ' ').trim();
  return `found text that is not JSON ("${text.length > 40 ? `${text.slice(0, 40)}…` : text}")`;
}

const isBlank = (bytes: Buffer) => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);
const firstByte = (bytes: Buffer) => bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d);

async function jsonLine(bytes: Buffer, line: number) {
  if (isBlank(bytes)) return;
  const parsed = parseValue(bytes);
  if (parsed.ok) return addValue(parsed.value, line);
  // `cat` of saved responses that end without a line break puts several of them on one line.
  const split = new ValueSplitter().feed(bytes, line);
  if (split.values.length < 2 || split.stray || split.values.some((v) => !v.bytes)) {
    rejected.push({ line, reason: parsed.reason });
    return;
  }
  for (const value of split.values) {
    const each = parseValue(value.bytes!);
    if (each.ok) await addValue(each.value, line);
    else rejected.push({ line, reason: each.reason });
  }
}

const splitter = new ValueSplitter();

async function valuesLine(bytes: Buffer, line: number) {
  const { values, stray } = splitter.feed(bytes, line);
  if (stray) rejected.push({ line, reason: `text outside any JSON value: ${EXPECTED_SHAPES}` });
  for (const value of values) {
    const parsed = value.bytes ? parseValue(value.bytes) : tooLarge(value.size);
    if (parsed.ok) await addValue(parsed.value, value.line);
    else rejected.push({ line: value.line, reason: parsed.reason });
    if (notCvr) return;
  }
}

/**
 * How the file is laid out is told by its first lines: a first line that is a whole JSON value
 * makes it JSON lines (each line one document, hit or response); otherwise it is pretty-printed
 * JSON, unless the second line is a whole object, in which case the first line is just broken.
 */
let mode: 'lines' | 'values' | null = null;
let pendingFirst: { bytes: Buffer; line: number } | null = null;

async function decide(bytes: Buffer, line: number) {
  if (isBlank(bytes)) return;
  if (!pendingFirst) {
    const opening = firstByte(bytes);
    // A first line that opens like JSON but is not UTF-8 is one bad line (Latin-1 letters), not a bad file.
    if (opening !== 0x7b && opening !== 0x5b) {
      rejected.push({ line, reason: `not a CVR document: ${EXPECTED_SHAPES}; ${describeStart(bytes.subarray(0, 64))}` });
      notCvr = true;
      return;
    }
    const parsed = parseValue(bytes);
    if (parsed.ok) {
      mode = 'lines';
      await addValue(parsed.value, line);
    } else pendingFirst = { bytes, line };
    return;
  }
  const second = parseValue(bytes);
  if (second.ok && second.value !== null && typeof second.value === 'object' && !Array.isArray(second.value)) {
    mode = 'lines';
    await jsonLine(pendingFirst.bytes, pendingFirst.line);
    await addValue(second.value, line);
  } else {
    mode = 'values';
    await valuesLine(pendingFirst.bytes, pendingFirst.line);
    await valuesLine(bytes, line);
  }
  pendingFirst = null;
}

const isZlibError = (error: unknown) => typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('Z_');

const file = createReadStream(job.filePath, { highWaterMark: 1 << 20 });
// Gzip is told from the first bytes as they stream in, not by reading the file twice: it may be
// a pipe (`import cvr <(curl …)`), which can be read only once.
const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
const head: Buffer[] = [];
while (Buffer.concat(head).length < GZIP.length) {
  const next = await chunks.next();
  if (next.done) break;
  head.push(next.value);
}
const start = Buffer.concat(head);
const gzipped = GZIP.every((b, i) => start[i] === b);
async function* fileChunks(): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
}
const source: Readable = gzipped ? pipeline(Readable.from(fileChunks(), { objectMode: false }), createGunzip(), () => {}) : Readable.from(fileChunks(), { objectMode: false });

try {
  for await (const raw of byteLines(source)) {
    lines++;
    const bytes = lines === 1 && raw.subarray(0, 3).equals(BOM) ? raw.subarray(3) : raw;
    if (mode === 'lines') await jsonLine(bytes, lines);
    else if (mode === 'values') await valuesLine(bytes, lines);
    else await decide(bytes, lines);
    if (notCvr) break;
  }
  // A file of one line only, which is not a whole JSON value.
  const leftover = pendingFirst as { bytes: Buffer; line: number } | null;
  if (leftover) await jsonLine(leftover.bytes, leftover.line);
  const unfinished = mode === 'values' ? splitter.unfinished() : null;
  if (unfinished !== null && !notCvr) rejected.push({ line: unfinished, reason: 'the JSON value that starts on this line does not end before the file does (is the file cut short?)' });
} catch (error) {
  if (!gzipped || !isZlibError(error)) throw error;
  rejected.push({ line: lines + 1, reason: `the gzip data is damaged or cut short after line ${lines} (${(error as Error).message})` });
}
file.destroy();
await flush();
port.postMessage({ type: 'done', lines, imported } satisfies WorkerMessage);
