/**
 * Benchmark "guidance": a bounded burst of concurrent "Få vejledning" requests over a real loopback
 * socket, with distinct idempotency keys plus retries of some, checking exactly one lead per key.
 */
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import { upsertCompanies } from '../server/modules/companies/service.ts';
import { generateCompanies } from '../server/modules/demo/seed.ts';
import type { Machine } from './lib/machine.ts';
import { note } from './lib/progress.ts';
import { markdownTable, type Row } from './lib/report.ts';
import { int, ms, summarise } from './lib/stats.ts';

export async function guidanceBenchmark(database: Database, options: { quick: boolean; machine: Machine; commit: string }) {
  const requests = options.quick ? 500 : 2_000;
  const concurrency = 50;
  const retryShare = 0.2;
  const companies = generateCompanies(2_000, 77);
  await upsertCompanies(database, companies);
  const app = await buildApp({ database, config: { ...loadConfig({}), publicRateLimit: 1_000_000 }, webRoot: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/public/guidance-requests`;
  const before = Number((await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM guidance_requests`))[0]!.n);

  // Each key is sent once; a fifth of them again (a retry or a double click), at once or later.
  const jobs: { key: string; body: object }[] = [];
  for (let i = 0; i < requests; i++) {
    const company = companies[i % companies.length]!;
    const body = { cvr: company.cvr, contact: { name: `Kontakt ${i}`, email: `k${i}@example.dk` }, need: 'Vi ønsker sparring om vækst og eksport.', themes: ['growth'], consents: { sharing: i % 2 === 0, evaluation: true } };
    jobs.push({ key: `bench-${Date.now()}-${i}`, body });
  }
  const retries = jobs.filter((_, i) => i % Math.round(1 / retryShare) === 0);
  const queue = [...jobs, ...retries].sort((a, b) => (a.key < b.key ? -1 : 1));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const ids = new Map<string, Set<string>>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const job = queue[next++]!;
        const t = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': job.key }, body: JSON.stringify(job.body) });
        latencies.push(performance.now() - t);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const json = (await response.json()) as { id?: string };
        if (json.id) ids.set(job.key, (ids.get(job.key) ?? new Set()).add(json.id));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  const after = Number((await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM guidance_requests`))[0]!.n);
  const leads = after - before;
  const fiveXx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const oneIdPerKey = [...ids.values()].every((set) => set.size === 1);
  const l = summarise(latencies);
  note(`Guidance burst: ${queue.length} requests, ${leads} leads, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  const rows: Row[] = [
    { figure: `Requests sent (${int(requests)} distinct keys + ${int(retries.length)} retries, ${concurrency} concurrent, real loopback socket)`, measured: int(queue.length) },
    { figure: 'Leads created', measured: int(leads), budget: `= ${int(requests)} (one per key)`, met: leads === requests },
    { figure: 'Every key answered with one and the same lead id', measured: oneIdPerKey ? 'yes' : 'no', budget: 'yes', met: oneIdPerKey },
    { figure: '5xx responses', measured: int(fiveXx), budget: '0', met: fiveXx === 0 },
    { figure: 'Throughput', measured: `${int(queue.length / seconds)} requests/s` },
    { figure: 'Latency p50', measured: ms(l.p50) },
    { figure: 'Latency p95', measured: ms(l.p95) },
    { figure: 'Latency p99', measured: ms(l.p99) },
  ];
  const key = options.quick ? 'guidance-quick' : 'guidance';
  const markdown = `## Få vejledning under a burst — ${options.quick ? 'quick' : 'load run'}

Run: \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${new Date().toISOString().slice(11, 16)} UTC). Code: commit ${options.commit}. Machine: ${options.machine.cpu}, ${options.machine.cores} cores, Node ${options.machine.node}; PostgreSQL (local).
The app listens on 127.0.0.1; ${concurrency} clients post guidance requests for real companies with distinct \`Idempotency-Key\`s, and every fifth key is sent twice (the duplicates interleaved with the originals, as retries and double clicks). Status counts: ${[...statuses].map(([s, c]) => `${s}: ${int(c)}`).join(', ')}.

${markdownTable(rows)}
`;
  return { key, rows, markdown };
}
