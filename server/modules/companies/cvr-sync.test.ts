import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { startJobs } from '../../jobs.ts';
import { runCommand } from '../../cli/commands.ts';
import type { Reporter } from '../../cli/reporter.ts';
import { count, createTestDatabase } from '../../test/helpers.ts';
import { CvrSyncBusy, cvrSyncDue, cvrSyncHighWater, syncCvr, type CvrSyncSettings } from './cvr-sync.ts';
import { cvrSeries } from './import-test-support.ts';
import { getCompany } from './service.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));
const realDocuments = readFileSync(fixture, 'utf8').trim().split('\n');

type Unit = { pNummer: number; periode: { gyldigFra: string | null; gyldigTil: string | null } };
type Doc = { Vrvirksomhed: Record<string, unknown> & { cvrNummer: number; sidstOpdateret: string; penheder: Unit[]; navne: { navn: string }[] } };

const freshCvr = cvrSeries(4_200_000);
let nextPNumber = 1_300_000_000;

/** One of the four real documents under a fresh CVR and P-number, last updated at `updated`. */
function realShaped(updated: string, index = 0, change: (v: Doc['Vrvirksomhed']) => void = () => {}): Doc {
  const doc = JSON.parse(realDocuments[index % realDocuments.length]!) as Doc;
  doc.Vrvirksomhed.cvrNummer = Number(freshCvr());
  doc.Vrvirksomhed.penheder = doc.Vrvirksomhed.penheder.map((p) => ({ ...p, pNummer: nextPNumber++ }));
  doc.Vrvirksomhed.sidstOpdateret = updated;
  change(doc.Vrvirksomhed);
  return doc;
}
const cvrOf = (doc: Doc) => String(doc.Vrvirksomhed.cvrNummer);

const USER = 'knudepunkt';
const PASSWORD = 'hemmeligt';

/**
 * Stands in for the CVR register's system-to-system service (Elasticsearch), which these machines
 * cannot reach: the search with `?scroll=`, the scroll endpoint and clearing a scroll, behind basic
 * auth, over a real socket. `failures` answers the next requests with an error status before the
 * scroll moves on, as an overloaded node or a gateway in between does.
 */
class StandInRegister {
  documents: Doc[] = [];
  failures: number[] = [];
  /** From this request on (counted from 1), every request fails with 500. */
  brokenFrom = Infinity;
  requests: { path: string; body: Record<string, unknown> }[] = [];
  private scrolls = new Map<string, { docs: Doc[]; position: number; size: number }>();
  private nextScroll = 1;
  private server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => this.answer(req, raw, res));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse) {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) return json(401, { error: 'unauthorized' });
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (req.method === 'DELETE') return json(200, { succeeded: true });
    this.requests.push({ path: req.url ?? '', body });
    if (this.requests.length >= this.brokenFrom) return json(500, { error: 'internal' });
    const failure = this.failures.shift();
    if (failure) return json(failure, { error: 'unavailable' });
    if (req.url === '/cvr-permanent/virksomhed/_search?scroll=1m') {
      const filter = (body.query as { bool: { filter: { range: Record<string, { gte: string }> }[] } }).bool.filter;
      const gte = filter[0]?.range['Vrvirksomhed.sidstOpdateret']?.gte;
      const docs = this.documents
        .filter((d) => !gte || Date.parse(d.Vrvirksomhed.sidstOpdateret) >= Date.parse(gte))
        .sort((a, b) => Date.parse(a.Vrvirksomhed.sidstOpdateret) - Date.parse(b.Vrvirksomhed.sidstOpdateret));
      const id = `scroll-${this.nextScroll++}`;
      this.scrolls.set(id, { docs, position: 0, size: Number(body.size) });
      return json(200, this.page(id, true));
    }
    if (req.url === '/_search/scroll') {
      const id = String(body.scroll_id);
      if (!this.scrolls.has(id)) return json(404, { error: 'search_context_missing_exception' });
      return json(200, this.page(id, false));
    }
    return json(404, { error: 'no such endpoint' });
  }

  private page(id: string, first: boolean) {
    const scroll = this.scrolls.get(id)!;
    const docs = scroll.docs.slice(scroll.position, scroll.position + scroll.size);
    scroll.position += docs.length;
    return {
      _scroll_id: id,
      took: 1,
      hits: { total: first ? { value: scroll.docs.length, relation: 'eq' } : { value: scroll.docs.length }, hits: docs.map((d) => ({ _index: 'cvr-permanent', _id: cvrOf(d), _source: d })) },
    };
  }
}

const searches = (register: StandInRegister) => register.requests.filter((r) => r.path.includes('_search?scroll'));
const gteOf = (request: { body: Record<string, unknown> }) =>
  (request.body.query as { bool: { filter: { range: Record<string, { gte: string }> }[] } }).bool.filter[0]?.range['Vrvirksomhed.sidstOpdateret']?.gte;

describe('sync cvr against a stand-in for the register', () => {
  let database: Database;
  let register: StandInRegister;
  let settings: CvrSyncSettings;
  const quick = { pageSize: 2, backoffMs: 5 };

  beforeAll(async () => {
    database = await createTestDatabase();
    register = new StandInRegister();
    settings = { url: await register.start(), user: USER, password: PASSWORD };
  });
  afterAll(async () => {
    await register.close();
    await database.close();
  });
  beforeEach(() => {
    register.requests = [];
    register.failures = [];
    register.brokenFrom = Infinity;
  });

  const runs = () => database.rows<{ status: string; pages: number; high_water: string | null; error: string | null }>(sql`
    SELECT status, pages, to_json(high_water) #>> '{}' AS high_water, error FROM cvr_sync_runs ORDER BY started_at`);

  it('fetches every page, asks again for a page the register fails once, and ends complete', async () => {
    register.documents = Array.from({ length: 7 }, (_, i) => realShaped(`2024-03-0${i + 1}T10:00:00.000+01:00`, i));
    // The second scroll request (the third page) is answered 503 once.
    register.failures = [0, 0, 503];
    const retries: number[] = [];
    const progress: number[] = [];
    const summary = await syncCvr(database, settings, { ...quick, onRetry: (r) => retries.push(r.page), onProgress: (p) => progress.push(p.documents) });

    // The retry searches again from the last complete page (documents 3 and 4), so document 4 comes twice.
    expect(summary).toMatchObject({ status: 'completed', since: null, pages: 4, documents: 8, imported: 7, created: 7, updated: 0, skipped: 1, rejected: [], retries: 1 });
    expect(summary.highWater).toBe('2024-03-07T09:00:00.000Z');
    expect(retries).toEqual([3]);
    expect(progress).toEqual([2, 4, 6, 8]);
    expect(await count(database, 'companies')).toBe(7);
    // Not the failed scroll request again (the register may have moved on before its answer was
    // lost), but a new search from the newest document stored, which then runs to the end.
    const scrolls = register.requests.filter((r) => r.path === '/_search/scroll').map((r) => r.body.scroll_id);
    expect(scrolls).toEqual(['scroll-1', 'scroll-1', 'scroll-2', 'scroll-2']);
    expect(searches(register).map(gteOf)).toEqual([undefined, '2024-03-04T09:00:00.000Z']);
    const company = await getCompany(database.db, cvrOf(register.documents[0]!));
    expect(company?.name).toBe(register.documents[0]!.Vrvirksomhed.navne[0]!.navn);
    expect(company?.productionUnits).toHaveLength(1);
    expect(await runs()).toEqual([{ status: 'completed', pages: 4, high_water: expect.stringMatching(/^2024-03-07T09:00:00/), error: null }]);
    const audit = await database.rows<{ action: string; n: number }>(sql`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'cvr-sync%' GROUP BY action ORDER BY action`);
    expect(audit).toEqual([
      { action: 'cvr-sync', n: 1 },
      { action: 'cvr-sync-page', n: 4 },
      { action: 'cvr-sync-started', n: 1 },
    ]);
  });

  it('imports nothing on a second run, and picks up a document changed since', async () => {
    const again = await syncCvr(database, settings, quick);
    expect(gteOf(searches(register)[0]!)).toBe('2024-03-07T09:00:00.000Z');
    // The document at the high-water mark comes again (a page may end inside one second) and is skipped.
    expect(again).toMatchObject({ status: 'completed', documents: 1, skipped: 1, imported: 0, created: 0, updated: 0, rejected: [] });
    const updatedAt = await database.rows<{ at: string }>(sql`SELECT max(updated_at)::text AS at FROM companies`);

    const changed = register.documents[2]!;
    changed.Vrvirksomhed.navne = [{ navn: 'OMDØBT EFTER SYNK ApS', periode: { gyldigFra: '2024-03-10', gyldigTil: null } } as never];
    changed.Vrvirksomhed.sidstOpdateret = '2024-03-10T08:30:00.000+01:00';
    const third = await syncCvr(database, settings, quick);
    expect(third).toMatchObject({ documents: 2, skipped: 1, imported: 1, created: 0, updated: 1, highWater: '2024-03-10T07:30:00.000Z' });
    expect((await getCompany(database.db, cvrOf(changed)))?.name).toBe('OMDØBT EFTER SYNK ApS');
    expect(await count(database, 'companies')).toBe(7);
    const touched = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM companies WHERE updated_at > ${updatedAt[0]!.at}::timestamptz`);
    expect(touched[0]!.n).toBe(1);
  });

  it('stops when the register keeps failing, keeps the complete pages, and the next run resumes after them', async () => {
    const batch = Array.from({ length: 6 }, (_, i) => realShaped(`2024-04-0${i + 1}T12:00:00.000+02:00`, i));
    register.documents.push(...batch);
    // Search (page 1) and one scroll (page 2) succeed; from then on the register answers 500 for good.
    register.brokenFrom = 3;
    await expect(syncCvr(database, settings, { ...quick, retries: 2 })).rejects.toThrow(/stoppede: registret svarede HTTP 500.*Side 1–2 er gemt; næste kørsel fortsætter fra 2024-04-03T10:00:00.000Z/);
    expect(register.requests).toHaveLength(5); // two good, then the third page three times
    expect((await runs()).at(-1)).toMatchObject({ status: 'stopped', pages: 2, high_water: expect.stringMatching(/^2024-04-03T10:00:00/), error: expect.stringMatching(/HTTP 500/) });
    // Page 1 starts with the previous run's last document again, so pages 1 and 2 hold three of this batch.
    for (const doc of batch.slice(0, 3)) expect(await getCompany(database.db, cvrOf(doc))).not.toBeNull();
    expect(await getCompany(database.db, cvrOf(batch[3]!))).toBeNull();
    expect(await cvrSyncHighWater(database.db)).toEqual({ at: '2024-04-03T10:00:00.000Z', cvrs: [cvrOf(batch[2]!)] });

    register.requests = [];
    register.brokenFrom = Infinity;
    const resumed = await syncCvr(database, settings, quick);
    expect(gteOf(searches(register)[0]!)).toBe('2024-04-03T10:00:00.000Z');
    expect(resumed).toMatchObject({ status: 'completed', documents: 4, skipped: 1, imported: 3, created: 3, rejected: [] });
    for (const doc of batch) expect(await getCompany(database.db, cvrOf(doc))).not.toBeNull();
    expect((await runs()).at(-1)).toMatchObject({ status: 'completed', high_water: expect.stringMatching(/^2024-04-06T10:00:00/) });
  });

  it('moves a production unit that changes owner between syncs and within one page, and a former owner listing it as ended does not take it back', async () => {
    const ownerOf = async (pNumber: number) => (await database.rows<{ cvr: string }>(sql`SELECT cvr FROM production_units WHERE p_number = ${String(pNumber)}`))[0]?.cvr;
    const seller = realShaped('2024-05-01T10:00:00.000+02:00', 0);
    const unit = seller.Vrvirksomhed.penheder[0]!;
    register.documents = [seller];
    await syncCvr(database, settings, quick);
    expect(await ownerOf(unit.pNummer)).toBe(cvrOf(seller));

    // Between syncs: the buyer lists the unit from the day it moved; the seller's document (updated
    // afterwards, say for a new name) keeps it with its period ended that day.
    const buyer = realShaped('2024-05-02T10:00:00.000+02:00', 1, (v) => {
      v.penheder.push({ pNummer: unit.pNummer, periode: { gyldigFra: '2024-05-01', gyldigTil: null } });
    });
    register.documents = [buyer];
    const moved = await syncCvr(database, settings, quick);
    expect(moved.rejected).toEqual([]);
    expect(await ownerOf(unit.pNummer)).toBe(cvrOf(buyer));
    unit.periode.gyldigTil = '2024-04-30';
    seller.Vrvirksomhed.sidstOpdateret = '2024-05-03T10:00:00.000+02:00';
    register.documents = [seller];
    const later = await syncCvr(database, settings, quick);
    expect(later).toMatchObject({ imported: 1, rejected: [] });
    expect(await ownerOf(unit.pNummer)).toBe(cvrOf(buyer));
    expect((await getCompany(database.db, cvrOf(seller)))?.productionUnits).toEqual([]);

    // Within one page: a unit moves from one new company to another, the ended claim coming last.
    const first = realShaped('2024-05-04T10:00:00.000+02:00', 2);
    const second = realShaped('2024-05-04T10:00:00.000+02:00', 3, (v) => {
      v.penheder.push({ pNummer: first.Vrvirksomhed.penheder[0]!.pNummer, periode: { gyldigFra: '2024-05-04', gyldigTil: null } });
    });
    first.Vrvirksomhed.penheder[0]!.periode.gyldigTil = '2024-05-03';
    register.documents = [second, first];
    const onePage = await syncCvr(database, settings, { ...quick, pageSize: 10 });
    expect(onePage).toMatchObject({ pages: 1, imported: 2, created: 2, rejected: [] });
    expect(await ownerOf(first.Vrvirksomhed.penheder[0]!.pNummer)).toBe(cvrOf(second));
  });

  it('rejects a bad document with its place and reason and imports the rest of its page', async () => {
    const good = realShaped('2024-06-01T10:00:00.000+02:00', 0);
    const bad = realShaped('2024-06-01T11:00:00.000+02:00', 1, (v) => {
      v.cvrNummer = 35682873;
    });
    register.documents = [good, bad];
    const summary = await syncCvr(database, settings, quick);
    expect(summary).toMatchObject({ documents: 2, imported: 1, rejected: [{ document: 2, cvr: '35682873', reason: expect.stringMatching(/modulus 11/) }] });
    expect(await getCompany(database.db, cvrOf(good))).not.toBeNull();
  });

  it('refuses to start beside a run that is at work, but not beside one that died', async () => {
    await database.db.execute(sql`INSERT INTO cvr_sync_runs (status) VALUES ('running')`);
    await expect(syncCvr(database, settings, quick)).rejects.toBeInstanceOf(CvrSyncBusy);
    await database.db.execute(sql`UPDATE cvr_sync_runs SET updated_at = now() - interval '31 minutes' WHERE status = 'running'`);
    await expect(syncCvr(database, settings, quick)).resolves.toMatchObject({ status: 'completed' });
    expect((await runs()).filter((r) => r.status === 'running')).toEqual([]);
  });

  it('does not retry refused credentials, and stores nothing', async () => {
    const before = await cvrSyncHighWater(database.db);
    await expect(syncCvr(database, { ...settings, password: 'forkert' }, quick)).rejects.toThrow(/HTTP 401.*KNUDEPUNKT_CVR_PASSWORD.*Intet er gemt/);
    expect(await cvrSyncHighWater(database.db)).toEqual(before);
  });

  it('runs as a command: a JSON summary on stdout, progress and retries on the reporter', async () => {
    register.documents.push(realShaped('2024-07-01T10:00:00.000+02:00', 2));
    register.failures = [503];
    const results: string[] = [];
    const logs: string[] = [];
    const progress: number[] = [];
    const reporter: Reporter = { progress: (_l, v) => progress.push(v), log: (m) => logs.push(m), result: (m) => results.push(m), done: () => {} };
    const code = await runCommand(database, { command: 'sync-cvr', args: { ...settings, json: true, pageSize: '2' } }, reporter, { production: false });
    expect(code).toBe(0);
    expect(JSON.parse(results[0]!)).toMatchObject({ status: 'completed', imported: 1, created: 1, retries: 1, highWater: '2024-07-01T08:00:00.000Z' });
    expect(logs).toContainEqual(expect.stringMatching(/^side 1: registret svarede HTTP 503.*forsøger igen/));
    expect(progress.at(-1)).toBeGreaterThan(0);
    // A schedule of a day is not due right after a run; one of a moment ago would be.
    expect(await cvrSyncDue(database.db, 24)).toBe(false);
  });

  it('runs on the schedule serve keeps: once when due, not again within the hours, and stops with the server', async () => {
    await database.db.execute(sql`UPDATE cvr_sync_runs SET started_at = started_at - interval '3 hours'`);
    register.documents.push(realShaped('2024-08-01T10:00:00.000+02:00', 3));
    const config = loadConfig({ KNUDEPUNKT_CVR_URL: settings.url, KNUDEPUNKT_CVR_USER: USER, KNUDEPUNKT_CVR_PASSWORD: PASSWORD, KNUDEPUNKT_CVR_SYNC_HOURS: '2' });
    const logged: { message: string; details: Record<string, unknown> }[] = [];
    const record = (details: Record<string, unknown>, message: string) => logged.push({ message, details });
    const log = { info: record, error: record, warn: record, debug: () => {}, child: () => log } as unknown as FastifyBaseLogger;
    const jobs = startJobs(database, config, { log, mailEveryMs: 60_000, cvrCheckEveryMs: 20 });
    try {
      await expect.poll(() => logged.find((l) => l.message === 'CVR sync completed')?.details, { timeout: 10_000 }).toMatchObject({ imported: 1, created: 1 });
      // Checked many times more within the two hours: no second run.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await jobs.stop();
    }
    expect(logged.filter((l) => l.message.startsWith('CVR sync'))).toHaveLength(1);
    expect(await cvrSyncDue(database.db, 2)).toBe(false);
  });
});
