/**
 * `import cvr` reads the register's documents the way they are really delivered: its
 * system-to-system service is an Elasticsearch index, so files are saved search/scroll responses, or
 * JSON lines of its hits or `_source` objects, often gzip-compressed. The files here are built the
 * way those tools write them, from the real documents in fixtures/cvr/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/commands.ts';
import type { Reporter } from '../../cli/reporter.ts';
import { count, createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { importCvrFile } from './import.ts';

const read = (name: string) => readFileSync(fileURLToPath(new URL(`../../../fixtures/cvr/${name}`, import.meta.url)), 'utf8').trim().split('\n');
/** The four real documents, then the ceased, the bankrupt and the merged company. */
const documents = [...read('vrvirksomhed-4.jsonl'), ...read('vrvirksomhed-ophoert.jsonl')].map((line) => JSON.parse(line) as { Vrvirksomhed: { cvrNummer: number; enhedsNummer: number } });
const cvrs = documents.map((d) => String(d.Vrvirksomhed.cvrNummer));

/** A hit as the register's Elasticsearch answers it. */
const hit = (document: (typeof documents)[number]) => ({ _index: 'cvr-v-20220630', _type: '_doc', _id: String(document.Vrvirksomhed.enhedsNummer), _score: 1.0, _source: document });

/** A page of a scroll search, as `curl …/_search?scroll=1m` saves it. */
const response = (hits: unknown[], scrollId = 'FGluY2x1ZGVfY29udGV4dF91dWlkDXF1ZXJ5QW5kRmV0Y2gBFmR') => ({
  _scroll_id: scrollId,
  took: 12,
  timed_out: false,
  _shards: { total: 6, successful: 6, skipped: 0, failed: 0 },
  hits: { total: { value: documents.length, relation: 'eq' }, max_score: 1.0, hits },
});

const dir = mkdtempSync(path.join(tmpdir(), 'kp-shapes-'));
let fileNumber = 0;
/** Written under a name that says nothing of its content, so only the bytes can tell gzip. */
function file(content: string | Buffer): string {
  const name = path.join(dir, `cvr-${++fileNumber}.json`);
  writeFileSync(name, content);
  return name;
}

function collectingReporter() {
  const messages: string[] = [];
  const reporter: Reporter = { progress: () => {}, log: (m) => messages.push(m), result: (m) => messages.push(m), done: () => {} };
  return { reporter, messages };
}

const lines = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

const shapes: [string, () => string][] = [
  ['JSON lines of {"Vrvirksomhed": …} documents', () => lines(documents)],
  // The index's _source is the document itself: `jq -c '.hits.hits[]._source'` writes these.
  ['JSON lines of _source objects', () => lines(documents.map(hit).map((h) => h._source))],
  ['JSON lines of hits (elasticdump, `jq -c .hits.hits[]`)', () => lines(documents.map(hit))],
  ['JSON lines of bare company objects (`jq -c .hits.hits[]._source.Vrvirksomhed`)', () => lines(documents.map((d) => d.Vrvirksomhed))],
  ['one whole response, pretty-printed', () => JSON.stringify(response(documents.map(hit)), null, 2) + '\n'],
  ['scroll pages concatenated, pretty-printed', () => [response(documents.slice(0, 4).map(hit)), response(documents.slice(4).map(hit), 'c2Vjb25k'), response([], 'dGhpcmQ=')].map((r) => JSON.stringify(r, null, 2)).join('\n')],
  // `curl` writes no final line break, so `cat page-*.json` runs the pages together on one line.
  ['scroll pages run together by `cat`', () => [response(documents.slice(0, 2).map(hit)), response(documents.slice(2).map(hit), 'c2Vjb25k')].map((r) => JSON.stringify(r)).join('')],
  ['scroll pages one per line', () => lines([response(documents.slice(0, 3).map(hit)), response(documents.slice(3).map(hit), 'c2Vjb25k')])],
];

describe('CVR import: the shapes the register is delivered in', () => {
  let t: TestContext;
  let adviser: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'shapes@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    adviser = await login(t.app, 'shapes@test.dk');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.database.db.execute(sql`DELETE FROM companies`);
  });

  for (const [name, build] of shapes) {
    for (const gzip of [false, true]) {
      it(`imports ${name}${gzip ? ', gzip-compressed' : ''}`, async () => {
        const content = build();
        const summary = await importCvrFile(t.database, file(gzip ? gzipSync(content) : content));
        expect(summary.rejected).toEqual([]);
        expect(summary).toMatchObject({ imported: documents.length, created: documents.length });
        const stored = await t.database.rows<{ cvr: string }>(sql`SELECT cvr FROM companies ORDER BY cvr`);
        expect(stored.map((r) => r.cvr)).toEqual([...cvrs].sort());
        const wealth = await t.app.inject({ url: '/api/v1/companies/35682872', headers: adviser.headers });
        expect(wealth.json()).toMatchObject({ name: 'ASSURE WEALTH A/S', status: 'NORMAL', statusSince: null, ceased: false });
      });
    }
  }

  it('reads a gzip file of concatenated gzip members (`cat a.gz b.gz`)', async () => {
    const summary = await importCvrFile(t.database, file(Buffer.concat([gzipSync(lines(documents.slice(0, 2))), gzipSync(lines(documents.slice(2)))])));
    expect(summary).toMatchObject({ lines: documents.length, imported: documents.length, rejected: [] });
  });

  it.skipIf(process.platform === 'win32')('reads gzip from a pipe, which can be read only once (`import cvr <(curl …)`)', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const importing = importCvrFile(t.database, fifo);
    const writer = await open(fifo, 'w');
    await writer.write(gzipSync(lines(documents)));
    await writer.close();
    expect(await importing).toMatchObject({ imported: documents.length, rejected: [] });
  });

  it('names a rejected document in a response by its line and its place among the hits', async () => {
    const bad = structuredClone(documents[1]!);
    bad.Vrvirksomhed.cvrNummer = 35682873;
    const content = JSON.stringify(response([hit(documents[0]!), hit(bad), { _index: 'cvr-v-20220630', _id: '1', _score: 1 }, hit(documents[2]!)])) + '\n';
    const { reporter, messages } = collectingReporter();
    const exitCode = await runCommand(t.database, { command: 'import-cvr', args: { file: file(content) } }, reporter, { production: false });
    expect(exitCode).toBe(2);
    expect(messages).toContainEqual(expect.stringMatching(/^linje 1, dokument 2 i svaret: afvist: .*35682873.*modulus 11/));
    expect(messages).toContainEqual(expect.stringMatching(/^linje 1, dokument 3 i svaret: afvist: a hit without _source/));
    expect(await count(t.database, 'companies')).toBe(2);
  });

  it('gives a pretty-printed response\'s starting line for its documents, and goes on after a broken one', async () => {
    const bad = structuredClone(documents[1]!);
    bad.Vrvirksomhed.cvrNummer = 35682873;
    const first = JSON.stringify(response([hit(documents[0]!)]), null, 2);
    const second = JSON.stringify(response([hit(documents[3]!), hit(bad)]), null, 2);
    const firstLines = first.split('\n').length;
    const summary = await importCvrFile(t.database, file(`${first}\n${second}\n`));
    expect(summary.rejected).toEqual([{ line: firstLines + 1, hit: 2, reason: expect.stringContaining('modulus 11') }]);
    expect(summary.imported).toBe(2);
  });

  it('rejects a JSON-lines file with a broken first line only on that line', async () => {
    const summary = await importCvrFile(t.database, file(`{"Vrvirksomhed": {"cvrNummer": 3568\n${lines(documents.slice(0, 3))}`));
    expect(summary.rejected).toEqual([{ line: 1, reason: expect.stringContaining('not valid JSON') }]);
    expect(summary.imported).toBe(3);
  });

  it('rejects only the first line when it is Latin-1 rather than UTF-8', async () => {
    const latin1 = Buffer.from(JSON.stringify(documents[0]).replace('ASSURE WEALTH A/S', 'ASSURE WEALTH ÆØÅ A/S') + '\n', 'latin1');
    const summary = await importCvrFile(t.database, file(Buffer.concat([latin1, Buffer.from(lines(documents.slice(1)))])));
    expect(summary.rejected).toEqual([{ line: 1, reason: expect.stringContaining('not valid UTF-8') }]);
    expect(summary.imported).toBe(documents.length - 1);
  });

  it('says where a pretty-printed response is cut short', async () => {
    const whole = JSON.stringify(response([hit(documents[0]!)]), null, 2);
    const summary = await importCvrFile(t.database, file(`${whole}\n${whole.slice(0, 400)}`));
    expect(summary.imported).toBe(1);
    expect(summary.rejected).toEqual([{ line: whole.split('\n').length + 1, reason: expect.stringContaining('does not end before the file does') }]);
  });

  it('imports what came before damage in a gzip file and says where it broke', async () => {
    const packed = gzipSync(lines(documents));
    const summary = await importCvrFile(t.database, file(packed.subarray(0, packed.length - 20)));
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]!.reason).toMatch(/gzip data is damaged or cut short/);
    expect(summary.imported).toBeGreaterThan(0);
  });

  const refusals: [string, () => string | Buffer, RegExp][] = [
    ['an unknown JSON shape', () => lines([{ id: 1, navn: 'Ikke CVR' }, { id: 2 }, { id: 3 }]), /found an object with "id", "navn"/],
    ['a participant document (another part of the register)', () => lines([{ Vrdeltagerperson: { enhedsNummer: 4000000001 } }]), /Vrdeltagerperson/],
    ['an Elasticsearch error answer', () => JSON.stringify({ error: { type: 'security_exception', reason: 'missing authentication credentials' }, status: 401 }, null, 2), /security_exception: missing authentication/],
    ['CSV text', () => 'cvr;navn\n35682872;ASSURE WEALTH A/S\n42611433;Assure Alternatives A/S\n', /text that is not JSON \("cvr;navn"\)/],
    ['binary data with many line breaks', () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)), /binary data \(the file starts with the bytes 00 ef de cd\)/],
    ['a ZIP archive', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 31) % 256))]), /ZIP archive/],
  ];

  for (const [name, build, found] of refusals) {
    for (const gzip of [false, true]) {
      it(`refuses ${name}${gzip ? ' (gzip-compressed)' : ''} with one rejection on line 1`, async () => {
        const content = build();
        const { reporter, messages } = collectingReporter();
        const exitCode = await runCommand(t.database, { command: 'import-cvr', args: { file: file(gzip ? gzipSync(content) : content) } }, reporter, { production: false });
        expect(exitCode).toBe(2);
        const rejections = messages.filter((m) => m.includes('afvist:'));
        expect(rejections).toHaveLength(1);
        expect(rejections[0]).toMatch(/^linje 1: afvist: not a CVR document: expected JSON lines of \{"Vrvirksomhed": …\}/);
        expect(rejections[0]).toMatch(found);
        expect(await count(t.database, 'companies')).toBe(0);
      });
    }
  }

  it('shows the ceased, the bankrupt and the merged company as such, in the API and in search', async () => {
    const summary = await importCvrFile(t.database, file(lines(documents)));
    expect(summary.rejected).toEqual([]);
    const company = async (cvr: string) => (await t.app.inject({ url: `/api/v1/companies/${cvr}`, headers: adviser.headers })).json();
    expect(await company('39112078')).toMatchObject({ name: 'Nordlys Tømrer ApS', status: 'OPHØRT', statusSince: '2023-12-31', ceased: true });
    expect(await company('28144776')).toMatchObject({ name: 'Vadehavets Fiskeeksport A/S', status: 'UNDER KONKURS', statusSince: '2024-02-05', ceased: false });
    expect(await company('33551207')).toMatchObject({ name: 'Alssund Rådgivning ApS', status: 'OPLØST EFTER FUSION', statusSince: '2022-06-30', ceased: true });
    const search = (await t.app.inject({ url: '/api/v1/companies?q=Nordlys', headers: adviser.headers })).json();
    expect(search.items[0]).toMatchObject({ cvr: '39112078', status: 'OPHØRT', statusSince: '2023-12-31', ceased: true });
  });
});
