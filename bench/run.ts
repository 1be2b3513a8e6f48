/**
 * `npm run bench [-- --quick] [-- --keep] [-- --ratios]`: runs the benchmarks, prints their tables and rewrites
 * their sections of BENCHMARKS.md. Progress goes to stderr, results to stdout. Nothing here asserts
 * on timings: budgets are reported as met or not.
 *
 * The benchmarks share one fresh database: "companies" imports the register, "crm" adds the CRM
 * data on top of it, "contracts" adds evaluation answers and times the status report.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openPostgres, type Database } from '../server/db/client.ts';
import { companiesBenchmark } from './companies.ts';
import { crmBenchmark } from './crm.ts';
import { contractsBenchmark } from './contracts.ts';
import { guidanceBenchmark } from './guidance.ts';
import { ratiosBenchmark } from './ratios.ts';
import { firstPaintBenchmark } from './first-paint.ts';
import { createBenchDatabase, DEFAULT_ADMIN_URL } from './lib/database.ts';
import { describeMachine } from './lib/machine.ts';
import { note } from './lib/progress.ts';
import { markdownTable, writeSection, type Row } from './lib/report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'reuse-database': { type: 'string' },
    only: { type: 'string' },
    ratios: { type: 'boolean', default: false },
    'first-paint': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench [-- --quick] [-- --keep] [-- --reuse-database NAME]

  --quick                 20,000 companies instead of 800,000, CRM data scaled down 25×
  --keep                  keep the benchmark database instead of dropping it
  --reuse-database NAME   only the CRM measurements, on a database kept with --keep (or a copy of
                          one, e.g. with an index tried out); prints, does not write BENCHMARKS.md
  --only guidance         with --reuse-database: the guidance-request burst only (needs a migrated
                          database with reference data; any kept bench database will do)
  --only companies        the company benchmark (generate, import, search) on a fresh database, nothing after it
  --ratios                only the ratios against bare baselines (issue 17): the app server against a bare
                          Fastify + pg server on 200,000 companies (20,000 with --quick), importCvrFile
                          against COPY of the same rows; interleaved pairs, about six minutes
  --first-paint           only the first paint of a public page (/tilbud) in Chromium on a throttled phone
                          profile (Lighthouse's Slow 4G, CPU 4×), with the JavaScript it downloads
  --only contracts        with --reuse-database: run the contract benchmark on that database (holding
                          the company and CRM data) and write its section of BENCHMARKS.md

Uses DATABASE_URL (else ${DEFAULT_ADMIN_URL}) as the admin connection to create a fresh database.
Generated CVR files are cached under .bench/.
`);
  process.exit(0);
}

/** The commit measured (read-only git calls), marked when server/ has uncommitted changes. */
function currentCommit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'server') ? ' + uncommitted server changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
const machine = describeMachine();
const commit = currentCommit();
const report = (result: { key: string; rows: Row[]; markdown: string }) => {
  writeSection(path.join(root, 'BENCHMARKS.md'), result.key, result.markdown);
  process.stdout.write(`\n${markdownTable(result.rows)}\n\nWritten to BENCHMARKS.md (section "${result.key}").\n`);
};

const reuse = values['reuse-database'];
const ratios = () => ratiosBenchmark({ quick: values.quick, workDir: path.join(root, '.bench'), root, adminUrl, machine, commit });
if (values['first-paint']) {
  report(await firstPaintBenchmark({ root, machine, commit }));
} else if (values.ratios) {
  report(await ratios());
} else if (reuse) {
  if (!/^[a-z0-9_]+$/.test(reuse)) throw new Error(`not a database name: ${reuse}`);
  const url = new URL(adminUrl);
  url.pathname = `/${reuse}`;
  const database = await openPostgres(url.toString());
  try {
    if (values.only === 'contracts') {
      report(await contractsBenchmark(database, { quick: values.quick, machine, commit }));
    } else if (values.only === 'guidance') {
      report(await guidanceBenchmark(database, { quick: values.quick, machine, commit }));
    } else {
      const result = await crmBenchmark(database, { quick: values.quick, machine, commit, url: url.toString(), reuse: true });
      process.stdout.write(`\n${result.markdown}\n\n(--reuse-database: BENCHMARKS.md not written)\n`);
    }
  } finally {
    await database.close();
  }
} else {
  const benchDb = await createBenchDatabase(adminUrl);
  note(`Database ${benchDb.name}`);
  let database: Database | undefined;
  try {
    database = await openPostgres(benchDb.url);
    report(await companiesBenchmark(database, { quick: values.quick, workDir: path.join(root, '.bench'), machine, commit }));
    if (values.only !== 'companies') await afterCompanies(database, benchDb.url);
  } finally {
    await database?.close();
    if (values.keep) note(`Kept database ${benchDb.name} (${benchDb.url})`);
    else await benchDb.drop();
  }
  // Last, on databases of its own, so the others' figures are not taken beside its load.
  if (!values.only) report(await ratios());
}

/** The benchmarks that build on the national register the company benchmark imported. */
async function afterCompanies(database: Database, url: string) {
  report(await crmBenchmark(database, { quick: values.quick, machine, commit, url }));
  report(await contractsBenchmark(database, { quick: values.quick, machine, commit }));
  report(await guidanceBenchmark(database, { quick: values.quick, machine, commit }));
}
