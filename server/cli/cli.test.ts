import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, processStartOf, readLock } from './lock.ts';

/**
 * The CLI against the embedded database, as a user runs it: with and without a server on the same
 * data directory. Runs real processes, always on PGlite (the single-process case is what is tested).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(root, 'bin/knudepunkt.js');
const fixture = path.join(root, 'fixtures/cvr/vrvirksomhed-4.jsonl');

function env(dataDir: string, port?: number): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, PORT: _port, ...rest } = process.env;
  return { ...rest, KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test', ...(port ? { PORT: String(port) } : {}) };
}

function run(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: env(dataDir), cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

describe('knudepunkt CLI on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-cli-'));
  const port = 3400 + Math.floor(Math.random() * 500);
  let server: ChildProcess | undefined;

  afterAll(() => {
    server?.kill('SIGTERM');
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

  it('exits non-zero and names the line when a line is rejected', async () => {
    const bad = path.join(dataDir, 'bad.jsonl');
    writeFileSync(bad, '{"Vrvirksomhed": {"cvrNummer": 35682873}}\n');
    const result = await run(['import', 'cvr', bad], dataDir);
    expect(result.stdout).toMatch(/linje 1: afvist: .*modulus 11/);
    expect(result.code).not.toBe(0);
  });

  describe('while the server runs on the same data', () => {
    beforeAll(async () => {
      server = spawn(process.execPath, [bin, 'serve'], { env: env(dataDir, port), cwd: root, stdio: 'ignore' });
      await waitFor(`http://127.0.0.1:${port}/api/ready`);
    });

    it('runs commands through the server', async () => {
      const result = await run(['import', 'cvr', fixture], dataDir);
      expect(result.stdout).toMatch(/køres gennem den/);
      expect(result.stdout).toMatch(/4 importeret \(0 nye, 4 opdateret\)/);
      expect(result.code).toBe(0);
      const migrate = await run(['migrate'], dataDir);
      expect(migrate.code).toBe(0);
    });

    it('refuses a second server with a clear message, and the first keeps serving', async () => {
      const result = await run(['serve'], dataDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/bruger allerede datamappen .* kører på http:\/\/localhost:/);
      // The lock names the server by PID and start time, and the start time checks out: still held.
      if (processStartOf(process.pid) !== null) expect(readLock(dataDir)).toMatchObject({ pid: server!.pid, processStart: processStartOf(server!.pid!) });
      expect((await fetch(`http://127.0.0.1:${port}/api/ready`)).status).toBe(200);
    });

    it('releases the data directory when the server stops', async () => {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server!.kill('SIGTERM');
      await exited;
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
