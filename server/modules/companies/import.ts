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
  // The latest document for a CVR wins within a batch, as it would across batches.
  let batch = new Map<string, CompanyRecord>();
  let bytesRead = 0;

  const flush = async () => {
    if (batch.size === 0) return;
    const { created, updated } = await upsertCompanies(database, [...batch.values()]);
    summary.created += created;
    summary.updated += updated;
    batch = new Map();
    options.onProgress?.({ bytesRead, totalBytes, lines: summary.lines });
  };

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
    batch.set(parsed.record.cvr, parsed.record);
    if (batch.size >= BATCH_SIZE) await flush();
  }
  await flush();
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, lines: summary.lines });
  summary.seconds = (performance.now() - started) / 1000;
  await audit(database.db, options.actor ?? null, {
    action: 'import',
    entity: 'company',
    details: { file: filePath, lines: summary.lines, imported: summary.imported, created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
  });
  return summary;
}
