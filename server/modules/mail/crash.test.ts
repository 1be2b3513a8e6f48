import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, processStartOf, readLock } from '../../cli/lock.ts';
import { openPglite, openPostgres, runMigrations, type Database } from '../../db/client.ts';
import { freePort, processEnv, sleep, start, until, type Running } from '../../test/processes.ts';
import { ensureReferenceData } from '../organisations/reference.ts';
import { MAIL_LEASE_MS, queueMail } from './outbox.ts';

/**
 * The demand as real processes: `knudepunkt serve` delivers a few hundred mails to an SMTP
 * capture and is killed with SIGKILL mid-send, twice: once while the server holds back its reply to
 * RCPT (the mail is claimed, its try counted, nothing handed over), once after the whole message
 * arrived but before the server's 250 (handed over, unknown to the dead sender). After each kill a new
 * server starts on the same data (PGlite with the dead one's stale lock, or PostgreSQL with
 * DATABASE_URL). Every mail must reach the capture at most once, the one handed over by a dead process
 * must be counted as sent (unconfirmed) and not sent again, and the mails a dead process still held
 * must go out before its lease would have lapsed.
 */
const url = process.env.DATABASE_URL;

const MAILS = 200;
/**
 * The first server dies while the capture holds back its answer to this RCPT (counted over all connections):
 * late in its second batch of 50, so what it still held is soon sent, well within the lease, when nothing waits for the lease.
 */
const KILL_AT_RCPT = 95;
/** The second dies once this message (counted over all connections) has arrived whole, before the reply. */
const KILL_AT_MESSAGE = 140;
/** A slow server: each reply to DATA comes this much after the message. */
const SLOW_REPLY_MS = 10;
/** The worker looks for due mail every 5 s (server/jobs.ts); waiting longer than that shows nothing comes twice. */
const MAIL_TICK_MS = 5_000;

type Received = { messageId: string; at: number };
type Worker = Running & { instance: string; output(): string };
type Claim = { id: string; lease_ends: number; handed_over: boolean; attempts: number };

describe('mail across a kill -9 of the server', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kp-mail-crash-'));
  const dbName = `kp_mail_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const targetUrl = url ? Object.assign(new URL(url), { pathname: `/${dbName}` }).toString() : undefined;
  const received: Received[] = [];
  const workers: Worker[] = [];
  let smtp: SMTPServer;
  let rcpts = 0;
  let messages = 0;
  /** Called by the capture at a kill point; true when it killed the server, whose reply is then never given. */
  let onKillPoint: ((at: 'rcpt' | 'message') => boolean) | undefined;
  const ids: string[] = [];

  /** The data as it is now; with PGlite, a copy of the data directory, so the next server still finds it as the dead one left it. */
  async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
    let database: Database;
    let copy: string | undefined;
    if (targetUrl) database = await openPostgres(targetUrl, 1);
    else {
      copy = mkdtempSync(path.join(os.tmpdir(), 'kp-mail-crash-copy-'));
      cpSync(path.join(dataDir, 'pglite'), copy, { recursive: true });
      database = await openPglite(copy);
    }
    try {
      return await work(database);
    } finally {
      await database.close();
      if (copy) rmSync(copy, { recursive: true, force: true });
    }
  }

  async function startWorker(): Promise<Worker> {
    const running = start(
      ['serve'],
      processEnv({
        NODE_ENV: 'test',
        PORT: String(await freePort()),
        KNUDEPUNKT_DATA_DIR: dataDir,
        SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
        ...(targetUrl ? { DATABASE_URL: targetUrl } : {}),
      }),
    );
    // What the server's mail worker calls itself (outbox.ts, mailWorkerInstance), read while it surely runs.
    const instance = `${os.hostname()}/${running.child.pid}/${processStartOf(running.child.pid!)}`;
    const worker: Worker = { ...running, instance, output: () => running.stdout() + running.stderr() };
    workers.push(worker);
    return worker;
  }

  /** Starts a server and kills it with SIGKILL when the capture reaches `at`; resolves once it is dead. */
  async function runUntilKilled(at: 'rcpt' | 'message'): Promise<{ worker: Worker; killedAt: number }> {
    const worker = await startWorker();
    let killedAt = 0;
    onKillPoint = (point) => {
      if (point !== at) return false;
      onKillPoint = undefined;
      killedAt = Date.now();
      return worker.child.kill('SIGKILL');
    };
    await Promise.race([
      worker.exited,
      sleep(120_000).then(() => {
        throw new Error(`the server never reached the kill point (${at}): ${worker.output()}`);
      }),
    ]);
    expect(worker.child.signalCode, worker.output()).toBe('SIGKILL');
    return { worker, killedAt };
  }

  /** The claims a dead server left, with the lease each would still have. */
  const claimsOf = (worker: Worker) =>
    withDatabase((database) =>
      database.rows<Claim>(sql`SELECT id, (extract(epoch FROM locked_until) * 1000)::float8 AS lease_ends, handed_over_at IS NOT NULL AS handed_over, attempts FROM mail_outbox
        WHERE sent_at IS NULL AND claimed_by = ${worker.instance}`),
    );

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (++rcpts === KILL_AT_RCPT && onKillPoint?.('rcpt')) return;
        callback();
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '', at: Date.now() });
          if (++messages === KILL_AT_MESSAGE && onKillPoint?.('message')) return;
          setTimeout(() => callback(), SLOW_REPLY_MS);
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));

    let database: Database;
    if (url) {
      const admin = await openPostgres(url, 1);
      await admin.db.execute(sql.raw(`CREATE DATABASE ${dbName}`));
      await admin.close();
      database = await openPostgres(targetUrl!, 1);
    } else {
      database = await openPglite(path.join(dataDir, 'pglite'));
    }
    await runMigrations(database);
    await ensureReferenceData(database.db);
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < MAILS; i++) await queueMail(tx, { to: `modtager${i}@example.dk`, subject: `Besked ${i}`, text: `Hej nummer ${i}`, dedupeKey: `crash:${i}` });
    });
    // Due one after another, so each server takes them in the same order and the kill points fall mid-batch.
    await database.db.execute(sql`UPDATE mail_outbox SET next_attempt_at = now() - interval '1 hour' + (split_part(dedupe_key, ':', 2)::int * interval '1 millisecond')`);
    ids.push(...(await database.rows<{ id: string }>(sql`SELECT id FROM mail_outbox`)).map((r) => r.id));
    await database.close();
  });

  afterAll(async () => {
    for (const { child, exited } of workers) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    if (url) {
      const admin = await openPostgres(url, 1);
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
      await admin.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Each dead server's held mails reached the capture once, before the lease they had when it died ran out. */
  const expectSentBeforeLease = (claims: Claim[]) => {
    for (const claim of claims.filter((c) => !c.handed_over)) {
      const copies = received.filter((m) => m.messageId === `<${claim.id}@knudepunkt>`);
      expect(copies, claim.id).toHaveLength(1);
      expect(copies[0]!.at, `${claim.id} waited for the dead server's lease`).toBeLessThan(Number(claim.lease_ends));
    }
  };

  it('sends every mail at most once across two kills, and what a dead server held does not wait for its lease', { timeout: 300_000 }, async () => {
    // 1. Killed while the server holds back its answer to RCPT: a claimed mail whose try began, nothing handed over.
    const first = await runUntilKilled('rcpt');
    const firstClaims = await claimsOf(first.worker);
    expect(firstClaims.length).toBeGreaterThan(1);
    expect(firstClaims.every((c) => !c.handed_over)).toBe(true);
    const rcptMail = firstClaims.filter((c) => c.attempts === 1);
    expect(rcptMail).toHaveLength(1);
    // Its lease was still running when the next server came: only knowing it dead frees its mails now.
    for (const c of firstClaims) expect(Number(c.lease_ends)).toBeGreaterThan(first.killedAt + MAIL_LEASE_MS / 2);
    if (!url) {
      expect(readLock(dataDir)?.pid, 'the killed server left its lock behind').toBe(first.worker.child.pid);
    }

    // 2. The next server finds the stale lock, frees the dead one's claims, and is killed after a whole message, before the 250.
    const second = await runUntilKilled('message');
    if (!url) expect(second.worker.output()).toContain(`(pid ${first.worker.child.pid}: serve) var forældet`);
    const secondClaims = await claimsOf(second.worker);
    const handedOver = secondClaims.filter((c) => c.handed_over);
    expect(handedOver).toHaveLength(1);
    expect(secondClaims.length).toBeGreaterThan(1);
    const killedMessage = received[KILL_AT_MESSAGE - 1]!.messageId;
    expect(killedMessage).toBe(`<${handedOver[0]!.id}@knudepunkt>`);
    expectSentBeforeLease(firstClaims);

    // 3. A third server finishes the work.
    const third = await startWorker();
    await until('every mail to reach the capture', () => (new Set(received.map((m) => m.messageId)).size >= MAILS ? true : undefined), 120_000, 100);
    // It looks again at least once more: nothing comes a second time.
    await sleep(MAIL_TICK_MS + 2_000);
    third.child.kill('SIGTERM');
    expect((await third.exited).code, third.output()).toBe(0);
    if (!url) {
      expect(third.output()).toContain(`(pid ${second.worker.child.pid}: serve) var forældet`);
      // A server that stops in order leaves no lock.
      expect(existsSync(lockPath(dataDir))).toBe(false);
    }
    expectSentBeforeLease(secondClaims);

    const rows = await withDatabase((database) =>
      database.rows<{ id: string; sent: boolean; unconfirmed: boolean; attempts: number; claimed: boolean }>(
        sql`SELECT id, sent_at IS NOT NULL AS sent, unconfirmed, attempts, claimed_by IS NOT NULL OR locked_until IS NOT NULL AS claimed FROM mail_outbox`,
      ),
    );
    expect(rows).toHaveLength(MAILS);
    expect(rows.filter((r) => !r.sent || r.claimed)).toEqual([]);
    const unconfirmed = new Set(rows.filter((r) => r.unconfirmed).map((r) => r.id));
    // Only the mail handed over by a dead server is unconfirmed; the server did get it, once.
    expect([...unconfirmed]).toEqual([handedOver[0]!.id]);
    const copies = new Map<string, number>();
    for (const { messageId } of received) copies.set(messageId, (copies.get(messageId) ?? 0) + 1);
    for (const id of ids) {
      const n = copies.get(`<${id}@knudepunkt>`) ?? 0;
      expect(n === 1 || (n === 0 && unconfirmed.has(id)), `${id} reached the capture ${n} times`).toBe(true);
    }
    expect(received).toHaveLength(MAILS);
    // The try cut off at RCPT was counted; the next server's try was the second.
    expect(rows.find((r) => r.id === rcptMail[0]!.id)?.attempts).toBe(2);
  });
});
