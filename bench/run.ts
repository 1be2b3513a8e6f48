/**
 * `npm run bench [-- --quick] [-- --keep]`: runs the benchmarks, prints their tables and rewrites
 * their sections of BENCHMARKS.md. Progress goes to stderr, results to stdout. Nothing here asserts
 * on timings: budgets are reported as met or not.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { companiesBenchmark } from './companies.ts';
import { DEFAULT_ADMIN_URL } from './lib/database.ts';
import { describeMachine } from './lib/machine.ts';
import { markdownTable, writeSection } from './lib/report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench [-- --quick] [-- --keep]

  --quick   20,000 companies instead of 800,000
  --keep    keep the benchmark database instead of dropping it

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

const result = await companiesBenchmark({
  quick: values.quick,
  keep: values.keep,
  adminUrl: process.env.DATABASE_URL || DEFAULT_ADMIN_URL,
  workDir: path.join(root, '.bench'),
  machine: describeMachine(),
  commit: currentCommit(),
});

writeSection(path.join(root, 'BENCHMARKS.md'), result.key, result.markdown);
process.stdout.write(`\n${markdownTable(result.rows)}\n\nWritten to BENCHMARKS.md (section "${result.key}").\n`);
