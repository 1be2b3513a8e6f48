import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestContext } from '../test/helpers.ts';
import { runCommand } from './commands.ts';
import type { Reporter } from './reporter.ts';

/** Keeps a command's result apart from its notes, as stdout and stderr do. */
function collecting() {
  const results: string[] = [];
  const logs: string[] = [];
  const reporter: Reporter = { progress: () => {}, log: (m) => logs.push(m), result: (m) => results.push(m), done: () => {} };
  return { reporter, results, logs };
}

describe('knudepunkt create-admin', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates a system admin whose printed password signs in, once', async () => {
    const { reporter, results, logs } = collecting();
    expect(await runCommand(t.database, { command: 'create-admin', args: { email: 'ops@example.dk' } }, reporter, { production: true })).toBe(0);
    // The password is the command's result: on stdout, so a script can capture it.
    const password = /Adgangskode \(vises kun nu\): (\S+)/.exec(results.join('\n'))?.[1];
    expect(password).toBeTruthy();
    const session = await login(t.app, 'ops@example.dk', password);
    const me = (await t.app.inject({ url: '/api/v1/auth/session', headers: session.headers })).json();
    expect(me.user).toMatchObject({ systemAdmin: true, role: 'admin', organisation: { type: 'operator' } });
    expect(await runCommand(t.database, { command: 'create-admin', args: { email: 'ops@example.dk' } }, reporter, { production: true })).toBe(1);
    expect(logs.at(-1)).toMatch(/findes allerede/);
  });

  it('never seeds demo data in production', async () => {
    const { reporter, logs } = collecting();
    expect(await runCommand(t.database, { command: 'seed-demo', args: {} }, reporter, { production: true })).toBe(1);
    expect(logs[0]).toMatch(/aldrig i produktion/);
  });

  it('refuses a relative file name: it would resolve in the server\'s working directory, not the user\'s', async () => {
    const { reporter } = collecting();
    await expect(runCommand(t.database, { command: 'import-evaluations', args: { file: 'answers.csv' } }, reporter, { production: false })).rejects.toThrow(/absolut sti.*answers\.csv/);
    await expect(runCommand(t.database, { command: 'report-contract', args: { id: 'x', format: 'pdf', out: 'report.pdf' } }, reporter, { production: false })).rejects.toThrow(/absolut sti/);
  });

  it('gives an import\'s summary as one JSON object with --json, rejected lines included', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-commands-')), 'answers.csv');
    writeFileSync(file, 'cvr,date,nps,effect\n12345678,2026-01-05,9,ja\n');
    const { reporter, results, logs } = collecting();
    expect(await runCommand(t.database, { command: 'import-evaluations', args: { file, json: true } }, reporter, { production: false })).toBe(2);
    expect(results).toHaveLength(1);
    const summary = JSON.parse(results[0]!) as { rows: number; rejected: { line: number; reason: string }[]; seconds: number };
    expect(summary).toMatchObject({ rows: 1, rejected: [{ line: 2, reason: expect.any(String) }] });
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    expect(logs).toEqual([]);
  });
});
