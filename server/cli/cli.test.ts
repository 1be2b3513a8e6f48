import { execFileSync, spawn } from 'node:child_process';
import { constants, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, processEnv, root, run as runProcess, start, stop, untilReady, type Running } from '../test/processes.ts';
import { lockPath, processStartOf, readLock } from './lock.ts';

/**
 * The CLI against the embedded database, as a user runs it: with and without a server on the same
 * data directory. Runs real processes, always on PGlite (the single-process case is what is tested).
 */
const fixture = path.join(root, 'fixtures/cvr/vrvirksomhed-4.jsonl');

/** No locale unless a test sets one: the CLI's default language, Danish, which the messages checked here are in. */
function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { KNUDEPUNKT_LANG: _chosen, ...rest } = processEnv({ KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test' });
  return { ...rest, ...extra };
}

const run = (args: string[], dataDir: string, options: { cwd?: string; env?: Record<string, string> } = {}) => runProcess(args, env(dataDir, options.env), options.cwd);

describe('knudepunkt CLI on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-cli-'));
  let server: Running | undefined;

  afterAll(async () => {
    if (server) await stop(server);
  });

  it('prints the API description on stdout and nothing else there', async () => {
    const { code, stdout } = await run(['openapi'], dataDir);
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/api/v1/auth/login');
  });

  it('imports with no server running, and prints a summary', async () => {
    const result = await run(['import', 'cvr', fixture], dataDir);
    expect(result.stdout).toMatch(/4 linjer læst: 4 importeret \(4 nye, 0 opdateret\), 0 afvist/);
    expect(result.code).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });

  it('exits 2 and names the line on stderr when a line is rejected', async () => {
    const bad = path.join(dataDir, 'bad.jsonl');
    writeFileSync(bad, '{"Vrvirksomhed": {"cvrNummer": 35682873}}\n');
    const result = await run(['import', 'cvr', bad], dataDir);
    expect(result.stderr).toMatch(/linje 1: afvist: .*modulus 11/);
    expect(result.stdout).toMatch(/1 linjer læst: 0 importeret .* 1 afvist/);
    expect(result.code).toBe(2);
  });

  it('with --json writes only the summary on stdout, as JSON, and its progress on stderr', async () => {
    const result = await run(['import', 'cvr', fixture, '--json'], dataDir);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { lines: number; imported: number; updated: number; rejected: unknown[]; seconds: number };
    expect(summary).toMatchObject({ lines: 4, imported: 4, updated: 4, rejected: [] });
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    expect(result.stderr).toMatch(/^CVR-import: 100 %$/m);
  });

  it('prints its version from package.json', async () => {
    const { code, stdout } = await run(['--version'], dataDir);
    expect(code).toBe(0);
    expect(stdout).toBe(`${(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('answers a contract id that is no UUID, or a date that does not exist, in words and never with SQL, and exits 1', async () => {
    const malformed = await run(['report', 'contract', 'not-a-uuid'], dataDir);
    expect(malformed.stderr).toContain('Der findes ingen kontrakt med id not-a-uuid');
    expect(`${malformed.stdout}${malformed.stderr}`).not.toMatch(/uuid:|select|22P02/i);
    expect(malformed.code).toBe(1);
    const impossible = await run(['report', 'contract', '00000000-0000-4000-8000-000000000000', '--at', '2026-02-30'], dataDir);
    expect(impossible.stderr).toContain('--at skal være en dato ÅÅÅÅ-MM-DD, fik "2026-02-30"');
    expect(impossible.code).toBe(1);
  });

  it('gives its help in English in an English locale and in Danish by default, each in one language', async () => {
    const english = await run(['--help'], dataDir, { env: { LANG: 'en_GB.UTF-8' } });
    expect(english.code).toBe(0);
    expect(english.stdout).toMatch(/^Usage: knudepunkt \[options\] \[command\]/);
    expect(english.stdout).toContain('run the database migrations');
    expect(english.stdout).toMatch(/^Exit codes:\n {2}0 /m);
    expect(english.stdout).toMatch(/^ {2}KNUDEPUNKT_LANG +language of the command line/m);
    const englishImport = await run(['import', 'cvr', '--help'], dataDir, { env: { LANG: 'en_GB.UTF-8' } });
    expect(englishImport.stdout).toContain('write the summary as one JSON object');
    // Danish letters would mean a text that was not translated.
    expect(english.stdout + englishImport.stdout).not.toMatch(/[æøåÆØÅ]/);

    const danish = await run(['--help'], dataDir);
    expect(danish.stdout).toMatch(/^Brug: knudepunkt \[tilvalg\] \[kommando\]/);
    expect(danish.stdout).toContain('kør databasemigreringer');
    expect(danish.stdout).toMatch(/^Slutkoder:\n {2}0 /m);
    const danishImport = await run(['import', 'cvr', '--help'], dataDir);
    expect(danishImport.stdout).toMatch(/^Argumenter:/m);
    expect(danish.stdout + danishImport.stdout).not.toMatch(/Usage|Options|Commands|Arguments|display help|output the version|default:/);

    // LC_ALL outranks LANG, as for every program; KNUDEPUNKT_LANG outranks both.
    expect((await run(['--help'], dataDir, { env: { LANG: 'en_GB.UTF-8', LC_ALL: 'da_DK.UTF-8' } })).stdout).toMatch(/^Brug:/);
    expect((await run(['--help'], dataDir, { env: { LC_ALL: 'da_DK.UTF-8', KNUDEPUNKT_LANG: 'en' } })).stdout).toMatch(/^Usage:/);
  });

  describe('while the server runs on the same data', () => {
    // The server works in a directory of its own, as a service does; file names are the user's.
    const serverCwd = mkdtempSync(path.join(tmpdir(), 'kp-cli-server-'));
    const userCwd = mkdtempSync(path.join(tmpdir(), 'kp-cli-user-'));

    let port: number;

    beforeAll(async () => {
      port = await freePort();
      server = start(['serve'], env(dataDir, { PORT: String(port) }), serverCwd);
      await untilReady(server, `http://127.0.0.1:${port}`);
    });

    it('runs commands through the server, its results on stdout and its notes on stderr', async () => {
      const result = await run(['import', 'cvr', fixture], dataDir);
      expect(result.stderr).toMatch(/køres gennem den/);
      expect(result.stdout).not.toMatch(/køres gennem den/);
      expect(result.stdout).toMatch(/4 importeret \(0 nye, 4 opdateret\)/);
      expect(result.code).toBe(0);
      const migrate = await run(['migrate'], dataDir);
      expect(migrate.code).toBe(0);
    });

    it("reads a relative file name in the user's working directory, not the server's", async () => {
      const header = 'cvr,date,nps,effect\n';
      writeFileSync(path.join(serverCwd, 'answers.csv'), `${header}12345678,2026-01-05,9,\n`);
      writeFileSync(path.join(userCwd, 'answers.csv'), `${header}12345678,2026-01-05,9,\n12345679,2026-01-06,8,\n12345670,2026-01-07,7,\n`);
      const result = await run(['import', 'evaluations', 'answers.csv', '--json'], dataDir, { cwd: userCwd });
      expect(result.stderr).toMatch(/køres gennem den/);
      const summary = JSON.parse(result.stdout) as { rows: number; rejected: { line: number }[] };
      expect(summary.rows).toBe(3);
      expect(summary.rejected.map((r) => r.line)).toEqual([2, 3, 4]);
    });

    it('refuses a second server with a clear message, and the first keeps serving', async () => {
      const result = await run(['serve'], dataDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/bruger allerede datamappen .* kører på http:\/\/localhost:/);
      // The lock names the server by PID and start time, and the start time checks out: still held.
      if (processStartOf(process.pid) !== null) expect(readLock(dataDir)).toMatchObject({ pid: server!.child.pid, processStart: processStartOf(server!.child.pid!) });
      expect((await fetch(`http://127.0.0.1:${port}/api/ready`)).status).toBe(200);
    });

    it('releases the data directory when the server stops', async () => {
      await stop(server!);
      server = undefined;
      expect(existsSync(lockPath(dataDir))).toBe(false);
      const result = await run(['import', 'cvr', fixture], dataDir);
      expect(result.stdout).not.toMatch(/gennem/);
      expect(result.stdout).toMatch(/0 nye, 4 opdateret/);
    });
  });

  it('tells the user when another command holds the data directory', async () => {
    // This test process is alive, so its pid makes a live lock.
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, kind: 'cli', command: 'import cvr big.jsonl', startedAt: new Date().toISOString() }));
    const result = await run(['migrate'], dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/En anden knudepunkt-kommando .*import cvr big\.jsonl/);
  });

  it('takes over a lock left by a process that died', async () => {
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: 2 ** 22 + 12345, kind: 'server', command: 'serve', startedAt: new Date().toISOString() }));
    const result = await run(['migrate'], dataDir);
    expect(result.code).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });

  it.skipIf(processStartOf(process.pid) === null)('takes over a lock whose PID now belongs to another program, and says so', async () => {
    // The server that wrote this lock died; its PID was given to an unrelated, live program.
    const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => unrelated.once('spawn', resolve));
      const deadServerStart = String(Number(processStartOf(unrelated.pid!)) - 1000);
      writeFileSync(lockPath(dataDir), JSON.stringify({ pid: unrelated.pid, processStart: deadServerStart, kind: 'server', command: 'serve', startedAt: new Date().toISOString() }));
      const result = await run(['migrate'], dataDir);
      expect(result.stderr).toMatch(new RegExp(`pid ${unrelated.pid}: serve\\) var forældet.*overtaget`));
      expect(result.code).toBe(0);
      expect(existsSync(lockPath(dataDir))).toBe(false);
      expect(unrelated.exitCode).toBeNull();
    } finally {
      unrelated.kill('SIGKILL');
    }
  });
});

/** Whether this system can make a named pipe: the import below reads one, so it is still running when the server dies. */
const canMakeFifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Resolves once something has the FIFO open for reading: opening it for writing without blocking fails until then. */
async function whenReading(fifo: string) {
  for (;;) {
    try {
      return await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.skipIf(!canMakeFifo)('the CLI when the server dies during its command', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-cli-lost-'));
  let server: Running;

  beforeAll(async () => {
    const port = await freePort();
    server = start(['serve'], env(dataDir, { PORT: String(port) }));
    await untilReady(server, `http://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await stop(server, 'SIGKILL');
  });

  it('says the connection was lost and the server may still be running the command, and exits 75', async () => {
    execFileSync('mkfifo', [path.join(dataDir, 'cvr.jsonl')]);
    const cli = run(['import', 'cvr', 'cvr.jsonl'], dataDir, { cwd: dataDir });
    // The server has the file open: the import is under way in the server, not yet finished.
    const writer = await whenReading(path.join(dataDir, 'cvr.jsonl'));
    await writer.write(`${readFileSync(fixture, 'utf8').split('\n')[0]}\n`);
    await stop(server, 'SIGKILL');
    const result = await cli;
    await writer.close().catch(() => {});
    expect(result.stderr).toMatch(/^Forbindelsen til serveren blev afbrudt, før kommandoen var færdig\. Serveren kører den måske stadig; se serverens log/m);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(75);
  });
});
