/**
 * `npm run bench -- --first-paint`: the first contentful paint of a public page on a throttled phone,
 * and what a visitor downloads for it.
 *
 * The web app is built into a temporary folder (dist/web, which the browser tests serve, is left
 * alone) and served by the app itself, in-process, on PGlite with the demo data. Chromium opens the
 * page cold (a fresh context, cache disabled) under Lighthouse's mobile "Slow 4G" profile as
 * Lighthouse applies it through DevTools (its `throttlingMethod: 'devtools'` values): 562.5 ms
 * latency per request, 1,474.56 kbit/s down, 675 kbit/s up, CPU 4× slower. (Its simulated default,
 * 150 ms RTT and 1,638.4 kbit/s, models connection set-up separately; DevTools can only add latency
 * per request, which is why Lighthouse multiplies the RTT by 3.75 for it.) The same page is also
 * timed under those 150 ms / 1,638.4 kbit/s figures, for comparison. Median of five runs each.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openPglite, runMigrations } from '../server/db/client.ts';
import { seedDemo } from '../server/modules/demo/seed.ts';
import { ensureReferenceData } from '../server/modules/organisations/reference.ts';
import type { Machine } from './lib/machine.ts';
import { note } from './lib/progress.ts';
import { markdownTable, type Row } from './lib/report.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUNS = 5;
const BUDGET_MS = 1500;
const PAGE = '/tilbud';

interface Profile {
  name: string;
  latencyMs: number;
  downKbps: number;
  upKbps: number;
}

/** Lighthouse's mobileSlow4G (lighthouse-core/config/constants.js), as applied with DevTools throttling, and its simulated RTT/throughput. */
const PROFILES: Profile[] = [
  { name: 'Slow 4G, DevTools (562.5 ms, 1,474.56 kbit/s), CPU 4×', latencyMs: 562.5, downKbps: 1474.56, upKbps: 675 },
  { name: 'Slow 4G, raw RTT (150 ms, 1,638.4 kbit/s), CPU 4×', latencyMs: 150, downKbps: 1638.4, upKbps: 750 },
];

interface Visit {
  fcpMs: number;
  requests: string[];
  /** Bytes on the wire (headers included) of the JavaScript requested. */
  jsWireBytes: number;
}

async function visit(browser: Browser, url: string, profile: Profile): Promise<Visit> {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    locale: 'da-DK',
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latencyMs,
      downloadThroughput: (profile.downKbps * 1024) / 8,
      uploadThroughput: (profile.upKbps * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const types = new Map<string, string>();
    let jsWireBytes = 0;
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      if (types.get(e.requestId) === 'Script') jsWireBytes += e.encodedDataLength;
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    const fcpMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const entry = list.getEntries().find((e) => e.name === 'first-contentful-paint');
            if (entry) resolve(entry.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    // The page's own API calls (the catalogue's offers) finish before the figures are read.
    await page.waitForLoadState('networkidle');
    return { fcpMs, requests: [...requests], jsWireBytes };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * The files the page loads at start: what its HTML names (entry script, preloads, styles) and what
 * those scripts import statically (not `import()`), with their sizes. The HTML is the page's
 * pre-rendered file when the build wrote one (server/app.ts sends it), index.html otherwise.
 */
function entryFiles(webRoot: string, htmlFile: string) {
  const html = readFileSync(path.join(webRoot, htmlFile), 'utf8');
  const refs: string[] = [];
  const queue = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  for (let ref = queue.shift(); ref; ref = queue.shift()) {
    if (refs.includes(ref)) continue;
    refs.push(ref);
    if (!ref.endsWith('.js')) continue;
    const code = readFileSync(path.join(webRoot, ref), 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) queue.push(`/assets/${m[1]}`);
  }
  return refs.map((ref) => sizes(webRoot, ref));
}

function sizes(webRoot: string, ref: string) {
  const file = path.join(webRoot, ref);
  const br = `${file}.br`;
  return { ref, raw: statSync(file).size, br: existsSync(br) ? statSync(br).size : statSync(file).size };
}

export async function firstPaintBenchmark(options: { root: string; machine: Machine; commit: string }) {
  const work = mkdtempSync(path.join(tmpdir(), 'kp-first-paint-'));
  const webRoot = path.join(work, 'web');
  try {
    note('first paint: building the web app …');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', webRoot, '--emptyOutDir'], { cwd: options.root, stdio: ['ignore', 'ignore', 'inherit'] });
    // A pre-rendered page paints from its HTML (critical CSS inline); otherwise the script and the stylesheet come first.
    const prerendered = existsSync(path.join(webRoot, `public-pages${PAGE}.html`));
    const htmlFile = prerendered ? `public-pages${PAGE}.html` : 'index.html';
    const htmlSize = sizes(webRoot, htmlFile);
    const files = entryFiles(webRoot, htmlFile);
    const js = files.filter((f) => f.ref.endsWith('.js'));
    const css = files.filter((f) => f.ref.endsWith('.css'));
    const sum = (fs: typeof files, k: 'raw' | 'br') => fs.reduce((n, f) => n + f[k], 0);

    note('first paint: starting the app on PGlite with demo data …');
    const database = await openPglite(path.join(work, 'pgdata'));
    await runMigrations(database);
    await ensureReferenceData(database.db);
    await seedDemo(database, { companies: 2000 });
    const app = await buildApp({ database, config: loadConfig({}), webRoot });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const results: { profile: Profile; visits: Visit[] }[] = [];
    try {
      for (const profile of PROFILES) {
        const visits: Visit[] = [];
        for (let i = 0; i < RUNS; i++) {
          visits.push(await visit(browser, `${address}${PAGE}`, profile));
          note(`first paint: ${profile.name}, run ${i + 1}: ${visits.at(-1)!.fcpMs.toFixed(0)} ms`);
        }
        results.push({ profile, visits });
      }
    } finally {
      await browser.close();
      await app.close();
      await database.close();
    }

    const all = results.flatMap((r) => r.visits);
    const sessionCalls = all.filter((v) => v.requests.some((r) => r.endsWith('/auth/session'))).length;
    const entry = new Set(files.map((f) => f.ref));
    const extraJs = [...new Set(all.flatMap((v) => v.requests.filter((r) => r.startsWith('/assets/') && r.endsWith('.js') && !entry.has(r))))];

    const rows: Row[] = [
      ...results.map(({ profile, visits }, i) => ({
        figure: `first contentful paint, ${PAGE}, cold, ${profile.name} (median of ${RUNS}; ${visits.map((v) => v.fcpMs.toFixed(0)).join(', ')} ms)`,
        measured: `${median(visits.map((v) => v.fcpMs)).toFixed(0)} ms`,
        ...(i === 0 ? { budget: `≤ ${BUDGET_MS} ms`, met: median(visits.map((v) => v.fcpMs)) <= BUDGET_MS } : {}),
      })),
      {
        figure: `bytes before first render, raw / brotli (${prerendered ? `pre-rendered HTML with critical CSS inline` : 'index.html, entry JavaScript and CSS'})`,
        measured: prerendered ? `${kb(htmlSize.raw)} / ${kb(htmlSize.br)}` : `${kb(htmlSize.raw + sum(files, 'raw'))} / ${kb(htmlSize.br + sum(files, 'br'))}`,
      },
      { figure: `JavaScript the page loads at start (${js.length} files), raw`, measured: kb(sum(js, 'raw')) },
      { figure: 'JavaScript the page loads at start, brotli (as sent)', measured: kb(sum(js, 'br')) },
      { figure: `JavaScript on the wire for ${PAGE} (headers included, median)`, measured: kb(median(all.map((v) => v.jsWireBytes))) },
      { figure: `full stylesheet, raw / brotli (${prerendered ? 'after the first paint' : 'before first render'})`, measured: `${kb(sum(css, 'raw'))} / ${kb(sum(css, 'br'))}` },
      { figure: `back-office scripts fetched on ${PAGE}`, measured: extraJs.length ? extraJs.join(', ') : 'none', budget: 'none', met: extraJs.length === 0 },
      { figure: `page views calling /auth/session (of ${all.length})`, measured: String(sessionCalls), budget: '0', met: sessionCalls === 0 },
    ];
    const markdown = `## First paint of a public page

Run: \`npm run bench -- --first-paint\` on ${new Date().toISOString().slice(0, 10)} (${new Date().toISOString().slice(11, 16)} UTC). Code: commit ${options.commit}. Machine: ${options.machine.cpu}, ${options.machine.cores} cores, Node ${options.machine.node}; Chromium at ${CHROMIUM}.

The app serves a fresh production build (pre-compressed, brotli sent) on PGlite with the demo data;
Chromium opens \`${PAGE}\` cold (new context, cache disabled) as a phone (412×823) under Lighthouse's
mobile Slow 4G profile with the values Lighthouse uses when it throttles through DevTools (latency
562.5 ms per request, 1,474.56 kbit/s down, 675 kbit/s up) and the CPU 4× slower. The second line
applies Lighthouse's simulated figures (150 ms RTT, 1,638.4 kbit/s) as they are, for comparison. FCP is
the browser's own \`first-contentful-paint\` entry.

${markdownTable(rows)}

Page HTML: \`${htmlFile}\` ${kb(htmlSize.raw)} (${kb(htmlSize.br)} br). Files it loads at start: ${files.map((f) => `\`${f.ref.replace('/assets/', '')}\` ${kb(f.raw)} (${kb(f.br)} br)`).join(', ')}.
`;
    return { key: 'first-paint', rows, markdown };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
