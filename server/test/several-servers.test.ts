import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../db/client.ts';
import { bin, root, sleep, until } from './processes.ts';

/**
 * Two app servers on one PostgreSQL database, as real processes (`knudepunkt serve`): the rate limits
 * are one count across both, and the two mail workers send each queued mail once to a real SMTP
 * capture. Needs a PostgreSQL server (DATABASE_URL), as CI has; a database of its own is made and dropped.
 */
const url = process.env.DATABASE_URL;

const LOGIN_LIMIT = 4;
const PUBLIC_LIMIT = 20;
/** Enough that two workers polling together overlap on some: with the claim removed from the outbox, this test saw mails sent twice. */
const MAILS = PUBLIC_LIMIT;
/** The mail worker looks for due mail every 5 s (server/jobs.ts). */
const MAIL_TICK_MS = 5_000;

type Received = { messageId: string; to: string[] };

describe.skipIf(!url)('several app servers on one PostgreSQL database', () => {
  const name = `kp_servers_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-servers-'));
  const received: Received[] = [];
  const servers: { child: ChildProcess; base: string; output: string[] }[] = [];
  let admin: Database;
  let target: Database;
  let smtp: SMTPServer;
  let adminEmail: string;
  let adminPassword: string;

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const { PORT: _port, NODE_ENV: _nodeEnv, SMTP_URL: _smtp, ...rest } = process.env;
    const targetUrl = new URL(url!);
    targetUrl.pathname = `/${name}`;
    return {
      ...rest,
      NODE_ENV: 'test',
      DATABASE_URL: targetUrl.toString(),
      KNUDEPUNKT_DATA_DIR: dataDir,
      KNUDEPUNKT_LOGIN_RATE_LIMIT: String(LOGIN_LIMIT),
      KNUDEPUNKT_PUBLIC_RATE_LIMIT: String(PUBLIC_LIMIT),
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      ...extra,
    };
  };

  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env: env({}), cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const startServer = async () => {
    const port = 3900 + Math.floor(Math.random() * 1000);
    const child = spawn(process.execPath, [bin, 'serve'], { env: env({ PORT: String(port) }), cwd: root });
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    const base = `http://127.0.0.1:${port}`;
    servers.push({ child, base, output });
    await until(`${base} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output.join('')}`);
      return (await fetch(`${base}/api/ready`).catch(() => null))?.ok || undefined;
    });
    return base;
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '', to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));

    admin = await openPostgres(url!, 1);
    await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));

    // The deploy steps of docs/operations.md: migrate, then the first account, then the servers.
    const migrated = await run(['migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    adminEmail = 'drift@test.dk';
    const created = await run(['create-admin', adminEmail]);
    expect(created.code, created.stderr).toBe(0);
    adminPassword = /Adgangskode[^:]*:\s*(\S+)/.exec(created.stdout)![1]!;
    target = await openPostgres(env({}).DATABASE_URL!, 1);

    await Promise.all([startServer(), startServer()]);
  });

  afterAll(async () => {
    await Promise.all(
      servers.map(({ child }) => {
        if (child.exitCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
    await target?.close();
    await admin?.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The i-th request goes to the first server when i is even, to the second when odd. */
  const alternate = (i: number) => servers[i % 2]!.base;

  const signIn = (base: string, password: string) =>
    fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminEmail, password }) });

  it('counts sign-in attempts on both servers against one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMIT; i++) statuses.push((await signIn(alternate(i), 'wrong-wrong-wrong')).status);
    expect(statuses).toEqual(Array(LOGIN_LIMIT).fill(401));
    // The next attempt is refused on either server: the limit is the one a single server has.
    for (const { base } of servers) {
      const refused = await signIn(base, 'wrong-wrong-wrong');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    // Not even the right password gets through, on either server.
    for (const { base } of servers) expect((await signIn(base, adminPassword)).status).toBe(429);
  });

  it('stores neither the address nor the account of a rate-limited client', async () => {
    const rows = await target.rows<{ key: string; hits: number }>(sql`SELECT key, hits FROM rate_limit_counters`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) {
      expect(key).not.toContain(adminEmail);
      expect(key).not.toContain('127.0.0.1');
    }
    // The sign-in window holds every attempt made through both servers.
    expect(rows.map((r) => r.hits)).toContain(LOGIN_LIMIT + 2 * servers.length);
  });

  it('counts public requests on both servers against one limit', async () => {
    const responses = [];
    for (let i = 0; i < PUBLIC_LIMIT; i++) responses.push(await fetch(`${alternate(i)}/api/v1/public/offers`));
    expect(responses.map((r) => r.status)).toEqual(Array(PUBLIC_LIMIT).fill(200));
    // Each answer counts down what is left for the address, whichever server gave it.
    expect(responses.map((r) => Number(r.headers.get('x-ratelimit-remaining')))).toEqual(Array.from({ length: PUBLIC_LIMIT }, (_, i) => PUBLIC_LIMIT - 1 - i));
    for (const { base } of servers) {
      const refused = await fetch(`${base}/api/v1/public/offers`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('sends each queued mail once while both mail workers run', async () => {
    const recipients = Array.from({ length: MAILS }, (_, i) => `virksomhed${i}@example.dk`);
    for (const [i, email] of recipients.entries()) {
      const response = await fetch(`${alternate(i)}/api/v1/public/guidance-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `several-servers-${i}` },
        body: JSON.stringify({ noCvr: true, municipalityCode: 540, contact: { name: `Ejer ${i}`, email }, need: 'Hjælp til eksport.', consents: { sharing: false, evaluation: false } }),
      });
      expect(response.status, await response.text()).toBe(201);
    }
    // One receipt per request; nobody works at the business service yet, so no lead notices.
    const [queued] = await target.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mail_outbox`);
    expect(queued!.n).toBe(MAILS);

    await until('every mail to be sent', async () => {
      const [pending] = await target.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL`);
      return pending!.n === 0 && received.length >= MAILS ? true : undefined;
    });
    // Both workers look again at least once more: nothing is sent a second time.
    await sleep(2 * MAIL_TICK_MS + 1_000);
    expect(received.length).toBe(MAILS);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(MAILS);
    expect(received.flatMap((m) => m.to).sort()).toEqual([...recipients].sort());
    // Both servers were still running all along.
    for (const { child, output } of servers) expect(child.exitCode, output.join('')).toBeNull();
  });
});
