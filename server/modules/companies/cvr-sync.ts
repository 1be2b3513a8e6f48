/**
 * `knudepunkt sync cvr`: fetches what changed in the CVR register since the last run from its
 * system-to-system service (an Elasticsearch index, read with a scroll search sorted on
 * `Vrvirksomhed.sidstOpdateret`) and upserts it through the import's own path (mapping, batch
 * serialisation, row-by-row fallback, audit), so a synced company is stored exactly as an imported one.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { serializeBatch } from './batch.ts';
import { mapVrVirksomhed, normaliseCvr, vrvirksomhedOf, type CompanyRecord } from './cvr-document.ts';
import { writeBatch, type BatchOutcome } from './import.ts';
import { cvrSyncRuns } from './schema.ts';
import { flushSearchIndexes } from './service.ts';

export interface CvrSyncSettings {
  /** The service's base URL, without the index. */
  url: string;
  user?: string;
  password?: string;
}

export interface CvrSyncOptions {
  /** Documents per page (the scroll's `size`); each page is one transaction. */
  pageSize?: number;
  /** Overrides the high-water mark of earlier runs (an ISO timestamp); `null` asks for the whole register. */
  since?: string | null;
  /** Further attempts at a failing page before the run stops. */
  retries?: number;
  /** The first wait before a retry; it doubles with each attempt, up to a minute. */
  backoffMs?: number;
  /** Per request; the register can be slow, but a request that hangs must not stall the run for good. */
  timeoutMs?: number;
  actor?: Actor | null;
  /** Stops the run between pages (and any request in flight): a server shutting down. */
  signal?: AbortSignal;
  onProgress?: (progress: { documents: number; total: number }) => void;
  onRetry?: (retry: { page: number; attempt: number; waitMs: number; reason: string }) => void;
}

export interface SyncRejection {
  /** Position of the document in this run, from 1. */
  document: number;
  cvr: string | null;
  reason: string;
}

export interface CvrSyncSummary {
  run: string;
  status: 'completed';
  /** What was asked for: documents updated at or after this (null: the whole register). */
  since: string | null;
  /** The newest `sidstOpdateret` now in; the next run starts there. */
  highWater: string | null;
  pages: number;
  /** Documents the register sent, including those skipped as already in. */
  documents: number;
  /** Documents at the previous run's high-water mark that it had already stored. */
  skipped: number;
  imported: number;
  created: number;
  updated: number;
  rejected: SyncRejection[];
  retries: number;
  seconds: number;
}

export const CVR_SYNC_PAGE_SIZE = 1000;
const SCROLL_KEEP_ALIVE = '1m';
/** A run marked running but untouched this long has died (a killed process); another may start. */
const STALE_RUN_MINUTES = 30;
const MAX_BACKOFF_MS = 60_000;

interface Hit {
  _id?: string;
  _source?: unknown;
}

interface SearchResponse {
  _scroll_id?: string;
  hits?: { total?: number | { value?: number }; hits?: Hit[] };
}

/** Another run is at work; nothing was started. */
export class CvrSyncBusy extends Error {}

/** An answer from the register (or its absence) worth asking again for: it may be gone in a moment. */
class TransientFailure extends Error {}

function sidstOpdateret(document: unknown): string | null {
  const value = (document as { Vrvirksomhed?: { sidstOpdateret?: unknown } } | null)?.Vrvirksomhed?.sidstOpdateret;
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** The register's query: changed at or after `since`, oldest first, so each complete page moves the high-water mark forward. */
export function searchBody(since: string | null, size: number) {
  const range = since ? [{ range: { 'Vrvirksomhed.sidstOpdateret': { gte: new Date(since).toISOString() } } }] : [];
  return { size, query: { bool: { filter: range } }, sort: [{ 'Vrvirksomhed.sidstOpdateret': { order: 'asc' } }] };
}

export interface HighWater {
  /** ISO timestamp, or null before the first page of the first run. */
  at: string | null;
  /** The CVRs whose document at exactly `at` is in. */
  cvrs: string[];
}

/** The newest `sidstOpdateret` any run has committed a page up to: where the next run starts. */
export async function cvrSyncHighWater(db: Db): Promise<HighWater> {
  const rows = (
    await db.execute<{ high_water: string; at_high_water: string[] }>(sql`
      SELECT to_json(high_water) #>> '{}' AS high_water, at_high_water FROM cvr_sync_runs
      WHERE high_water IS NOT NULL ORDER BY high_water DESC, updated_at DESC LIMIT 1`)
  ).rows;
  const row = rows[0];
  return row ? { at: new Date(row.high_water).toISOString(), cvrs: row.at_high_water } : { at: null, cvrs: [] };
}

/**
 * Runs one sync. Each page is upserted in one transaction together with its audit entry and the
 * run's new high-water mark, so whatever stops the run (the register, the network, the process),
 * the next run asks again from the last complete page; documents at that exact timestamp come
 * twice, which the upsert makes harmless.
 */
export async function syncCvr(database: Database, settings: CvrSyncSettings, options: CvrSyncOptions = {}): Promise<CvrSyncSummary> {
  const started = performance.now();
  const pageSize = options.pageSize ?? CVR_SYNC_PAGE_SIZE;
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const actor = options.actor ?? null;
  const start: HighWater =
    options.since !== undefined ? { at: options.since === null ? null : new Date(options.since).toISOString(), cvrs: [] } : await cvrSyncHighWater(database.db);
  const since = start.at;
  const run = await startRun(database.db, since);
  const mark = { at: start.at, cvrs: new Set(start.cvrs) };
  const summary: CvrSyncSummary = { run, status: 'completed', since, highWater: since, pages: 0, documents: 0, skipped: 0, imported: 0, created: 0, updated: 0, rejected: [], retries: 0, seconds: 0 };
  await audit(database.db, actor, { action: 'cvr-sync-started', entity: 'company', details: { run, since } });

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.user !== undefined) headers.authorization = `Basic ${Buffer.from(`${settings.user}:${settings.password ?? ''}`).toString('base64')}`;
  const base = settings.url.replace(/\/+$/, '');

  const search = () => post(`${base}/cvr-permanent/virksomhed/_search?scroll=${SCROLL_KEEP_ALIVE}`, searchBody(mark.at, pageSize), headers, options.timeoutMs ?? 120_000, options.signal);
  /**
   * The next page, asked for again after a transient failure, waiting longer each time. A retry
   * starts a new search from the last complete page rather than repeating the scroll request: the
   * register may have moved the scroll on before its answer was lost, and the same request would
   * then skip a page without a word. Documents at the mark come again and are skipped.
   */
  const nextPage = async (scrollId: string | undefined): Promise<SearchResponse> => {
    const page = summary.pages + 1;
    for (let attempt = 0; ; attempt++) {
      try {
        options.signal?.throwIfAborted();
        if (attempt === 0 && scrollId) return await post(`${base}/_search/scroll`, { scroll: SCROLL_KEEP_ALIVE, scroll_id: scrollId }, headers, options.timeoutMs ?? 120_000, options.signal);
        return await search();
      } catch (error) {
        if (!(error instanceof TransientFailure) || attempt >= retries || options.signal?.aborted) throw error;
        const waitMs = Math.min(backoffMs * 2 ** attempt, MAX_BACKOFF_MS);
        summary.retries++;
        options.onRetry?.({ page, attempt: attempt + 1, waitMs, reason: error.message });
        await sleep(waitMs, undefined, { signal: options.signal });
      }
    }
  };

  const scrollIds = new Set<string>();
  try {
    const totalOf = (r: SearchResponse) => (typeof r.hits?.total === 'number' ? r.hits.total : (r.hits?.total?.value ?? 0));
    let response = await nextPage(undefined);
    // A search started again after a failure counts what is left from the mark; progress adds it to what is done.
    let total = totalOf(response);
    let scrollId = response._scroll_id;
    if (scrollId) scrollIds.add(scrollId);
    for (;;) {
      const hits = response.hits?.hits ?? [];
      if (hits.length === 0) break;
      options.signal?.throwIfAborted();
      await writePage(database, run, hits, summary, mark, actor);
      options.onProgress?.({ documents: summary.documents, total: Math.max(total, summary.documents) });
      if (!scrollId) throw new Error('registret sendte ingen scroll-id, så de næste sider kan ikke hentes');
      const documentsBefore = summary.documents;
      const retriesBefore = summary.retries;
      response = await nextPage(scrollId);
      if (summary.retries > retriesBefore) total = documentsBefore + totalOf(response);
      scrollId = response._scroll_id ?? scrollId;
      scrollIds.add(scrollId);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await database.db
      .update(cvrSyncRuns)
      .set({ status: 'stopped', error: reason, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(cvrSyncRuns.id, run))
      .catch(() => {});
    await audit(database.db, actor, { action: 'cvr-sync', entity: 'company', details: { run, status: 'stopped', reason, pages: summary.pages, highWater: summary.highWater } }).catch(() => {});
    const kept = summary.pages
      ? `Side 1–${summary.pages} er gemt; næste kørsel fortsætter fra ${summary.highWater}.`
      : `Intet er gemt; næste kørsel begynder samme sted${since ? ` (${since})` : ''}.`;
    throw new Error(`CVR-synkroniseringen stoppede: ${reason}. ${kept}`, { cause: error });
  } finally {
    for (const id of scrollIds) await clearScroll(base, id, headers);
  }

  if (summary.imported > 0) await flushSearchIndexes(database.db);
  summary.seconds = (performance.now() - started) / 1000;
  await database.db.update(cvrSyncRuns).set({ status: 'completed', finishedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(cvrSyncRuns.id, run));
  await audit(database.db, actor, {
    action: 'cvr-sync',
    entity: 'company',
    details: { run, status: 'completed', since, highWater: summary.highWater, pages: summary.pages, documents: summary.documents, imported: summary.imported, created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
  });
  return summary;
}

/**
 * Whether a scheduled sync is due: no run has started within `hours`. Asked of the database, so a
 * restart does not sync again at once and several servers share one schedule.
 */
export async function cvrSyncDue(db: Db, hours: number): Promise<boolean> {
  const rows = (await db.execute<{ due: boolean }>(sql`
    SELECT NOT EXISTS (SELECT 1 FROM cvr_sync_runs WHERE started_at > now() - make_interval(hours => ${hours})) AS due`)).rows;
  return rows[0]?.due === true;
}

/** Records the run, refusing to start beside one that is still at work (a schedule and a CLI, or two servers). */
async function startRun(db: Db, since: string | null): Promise<string> {
  const id = randomUUID();
  return db.transaction(async (tx) => {
    // Serialises concurrent starts; released with the transaction.
    await tx.execute(sql`LOCK TABLE cvr_sync_runs IN SHARE ROW EXCLUSIVE MODE`);
    const [busy] = await tx
      .select({ id: cvrSyncRuns.id, startedAt: cvrSyncRuns.startedAt })
      .from(cvrSyncRuns)
      .where(and(eq(cvrSyncRuns.status, 'running'), sql`${cvrSyncRuns.updatedAt} > now() - make_interval(mins => ${STALE_RUN_MINUTES})`));
    if (busy) throw new CvrSyncBusy(`en anden CVR-synkronisering (startet ${busy.startedAt.toISOString()}) er i gang`);
    await tx
      .update(cvrSyncRuns)
      .set({ status: 'stopped', error: 'holdt op uden at melde tilbage (processen stoppede)', finishedAt: sql`now()` })
      .where(eq(cvrSyncRuns.status, 'running'));
    await tx.insert(cvrSyncRuns).values({ id, status: 'running', since });
    return id;
  });
}

/** Maps, upserts and records one page, all or nothing. */
async function writePage(database: Database, run: string, hits: Hit[], summary: CvrSyncSummary, mark: { at: string | null; cvrs: Set<string> }, actor: Actor | null) {
  const page = summary.pages + 1;
  const firstDocument = summary.documents + 1;
  // By CVR: a company twice in a page keeps its later document, whose place decides who keeps a P-number that moved.
  const records = new Map<string, { record: CompanyRecord; document: number }>();
  const rejected: SyncRejection[] = [];
  let skipped = 0;
  const before = mark.at;
  const alreadyIn = new Set(mark.cvrs);
  hits.forEach((hit, i) => {
    // A hit's `_source` is the document; vrvirksomhedOf also takes the shapes `import cvr` reads.
    const document = vrvirksomhedOf(hit) ?? hit;
    const number = firstDocument + i;
    const updatedAt = sidstOpdateret(document);
    const cvr = cvrOf(document);
    const at = updatedAt ? new Date(updatedAt).toISOString() : null;
    if (at && at === before && cvr && alreadyIn.has(cvr)) {
      skipped++;
      return;
    }
    if (at && cvr) {
      if (!mark.at || at > mark.at) {
        mark.at = at;
        mark.cvrs = new Set();
      }
      if (at === mark.at) mark.cvrs.add(cvr);
    }
    const mapped = mapVrVirksomhed(document);
    if (!mapped.ok) {
      rejected.push({ document: number, cvr: cvrOf(document), reason: mapped.reason });
      return;
    }
    records.delete(mapped.record.cvr);
    records.set(mapped.record.cvr, { record: mapped.record, document: number });
  });
  const highWater = mark.at;
  const atHighWater = [...mark.cvrs].sort();
  const entries = [...records.values()];
  const outcome: BatchOutcome =
    entries.length === 0
      ? { created: 0, updated: 0, rejected: [] }
      : await writeBatch(
          database,
          serializeBatch(
            entries.map((e) => e.record),
            entries.map((e) => e.document),
          ),
          (tx, o) => recordPage(tx, run, page, highWater, atHighWater, hits.length, entries.length - o.rejected.length, o, rejected.length + o.rejected.length, actor),
        );
  if (entries.length === 0) await database.db.transaction((tx) => recordPage(tx, run, page, highWater, atHighWater, hits.length, 0, outcome, rejected.length, actor));
  const cvrOfDocument = new Map(entries.map((e) => [e.document, e.record.cvr]));
  rejected.push(...outcome.rejected.map((r) => ({ document: r.line, cvr: cvrOfDocument.get(r.line) ?? null, reason: r.reason })));
  summary.pages = page;
  summary.documents += hits.length;
  summary.skipped += skipped;
  summary.imported += entries.length - outcome.rejected.length;
  summary.created += outcome.created;
  summary.updated += outcome.updated;
  summary.rejected.push(...rejected.sort((a, b) => a.document - b.document));
  summary.highWater = highWater;
}

async function recordPage(tx: Db, run: string, page: number, highWater: string | null, atHighWater: string[], documents: number, imported: number, outcome: BatchOutcome, rejected: number, actor: Actor | null) {
  await tx
    .update(cvrSyncRuns)
    .set({
      pages: page,
      highWater,
      atHighWater,
      documents: sql`${cvrSyncRuns.documents} + ${documents}`,
      imported: sql`${cvrSyncRuns.imported} + ${imported}`,
      created: sql`${cvrSyncRuns.created} + ${outcome.created}`,
      updated: sql`${cvrSyncRuns.updated} + ${outcome.updated}`,
      rejected: sql`${cvrSyncRuns.rejected} + ${rejected}`,
      updatedAt: sql`now()`,
    })
    .where(eq(cvrSyncRuns.id, run));
  await audit(tx, actor, { action: 'cvr-sync-page', entity: 'company', details: { run, page, documents, created: outcome.created, updated: outcome.updated, rejected, highWater } });
}

function cvrOf(document: unknown): string | null {
  const cvr = (document as { Vrvirksomhed?: { cvrNummer?: unknown } } | null)?.Vrvirksomhed?.cvrNummer;
  return normaliseCvr(cvr) ?? (typeof cvr === 'number' || typeof cvr === 'string' ? String(cvr) : null);
}

async function post(url: string, body: object, headers: Record<string, string>, timeoutMs: number, stop?: AbortSignal): Promise<SearchResponse> {
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: stop ? AbortSignal.any([timeout, stop]) : timeout });
  } catch (error) {
    if (stop?.aborted) throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new TransientFailure(`registret kunne ikke nås (${cause ?? (error as Error).message})`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    const message = `registret svarede HTTP ${response.status}${text ? `: ${text}` : ''}`;
    // Overloaded, unavailable or a gateway in between: worth another try. Anything else (bad
    // credentials, an expired scroll) will not change by asking again.
    if (response.status === 429 || response.status >= 500) throw new TransientFailure(message);
    if (response.status === 401 || response.status === 403) throw new Error(`${message} (tjek KNUDEPUNKT_CVR_USER og KNUDEPUNKT_CVR_PASSWORD)`);
    throw new Error(message);
  }
  try {
    return (await response.json()) as SearchResponse;
  } catch (error) {
    throw new TransientFailure(`registrets svar kunne ikke læses som JSON (${(error as Error).message})`);
  }
}

/** Frees the register's scroll context now rather than when it expires; a failure here changes nothing. */
async function clearScroll(base: string, scrollId: string, headers: Record<string, string>) {
  await fetch(`${base}/_search/scroll`, { method: 'DELETE', headers, body: JSON.stringify({ scroll_id: [scrollId] }), signal: AbortSignal.timeout(10_000) })
    .then((r) => r.body?.cancel())
    .catch(() => {});
}
