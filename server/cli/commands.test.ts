import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestContext } from '../test/helpers.ts';
import { runCommand } from './commands.ts';
import type { Reporter } from './reporter.ts';

describe('knudepunkt create-admin', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates a system admin whose printed password signs in, once', async () => {
    const messages: string[] = [];
    const reporter: Reporter = { progress: () => {}, log: (m) => messages.push(m), done: () => {} };
    expect(await runCommand(t.database, { command: 'create-admin', args: { email: 'ops@example.dk' } }, reporter, { production: true })).toBe(0);
    const password = /Adgangskode \(vises kun nu\): (\S+)/.exec(messages.join('\n'))?.[1];
    expect(password).toBeTruthy();
    const session = await login(t.app, 'ops@example.dk', password);
    const me = (await t.app.inject({ url: '/api/v1/auth/session', headers: session.headers })).json();
    expect(me.user).toMatchObject({ systemAdmin: true, role: 'admin', organisation: { type: 'operator' } });
    expect(await runCommand(t.database, { command: 'create-admin', args: { email: 'ops@example.dk' } }, reporter, { production: true })).toBe(1);
  });

  it('never seeds demo data in production', async () => {
    const messages: string[] = [];
    const reporter: Reporter = { progress: () => {}, log: (m) => messages.push(m), done: () => {} };
    expect(await runCommand(t.database, { command: 'seed-demo', args: {} }, reporter, { production: true })).toBe(1);
    expect(messages[0]).toMatch(/aldrig i produktion/);
  });
});
