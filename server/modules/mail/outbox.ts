import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { sql } from 'drizzle-orm';
import { alive, processStartOf } from '../../cli/lock.ts';
import type { Database, Db } from '../../db/client.ts';
import type { Config } from '../../config.ts';
import { outbox } from './schema.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Identifies what caused the mail; the same key is queued only once. */
  dedupeKey: string;
}

/** Queues a mail in the caller's transaction: it is sent if and only if the change commits. */
export async function queueMail(db: Db, mail: Mail): Promise<void> {
  await db.insert(outbox).values(mail).onConflictDoNothing({ target: outbox.dedupeKey });
}

export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
}

export interface SendHooks {
  /**
   * Awaited right before the point after which the receiver may have the mail (for SMTP: before the
   * final "." of DATA). If it rejects, the sender must give up without passing that point.
   */
  handOver(): Promise<void>;
}

export interface MailSender {
  /** A sender whose outcome can be checked afterwards (the .eml folder) need not call `handOver`. */
  send(mail: OutgoingMail, hooks?: SendHooks): Promise<void>;
}

const messageOf = (config: Pick<Config, 'mailFrom'>, mail: OutgoingMail) =>
  // The Message-ID is the outbox row's, the same on every try, so a receiver can tell a repeat.
  ({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@knudepunkt>` });

/**
 * Passes the message through and, once all of it is written but before it ends, waits until the stream
 * has a consumer (nodemailer pipes it into DATA only after the server's 354) and `beforeEnd` resolved.
 * The end of this stream is what makes nodemailer write the terminating ".", so a hand-over recorded by
 * `beforeEnd` is committed before the server can accept the mail, and a refused one keeps the "." unsent.
 */
function holdEnd(input: Readable, beforeEnd: () => Promise<void>): Readable {
  let consumed!: () => void;
  const hasConsumer = new Promise<void>((resolve) => (consumed = resolve));
  const gate = new Transform({
    transform: (chunk, _encoding, callback) => callback(null, chunk),
    flush: (callback) => {
      hasConsumer.then(beforeEnd).then(() => callback(), callback);
    },
  });
  const pipe = gate.pipe.bind(gate);
  gate.pipe = ((destination: NodeJS.WritableStream, options?: { end?: boolean }) => {
    const piped = pipe(destination, options);
    consumed();
    return piped;
  }) as typeof gate.pipe;
  input.on('error', (error) => gate.destroy(error));
  return input.pipe(gate);
}

const exists = (file: string) => access(file).then(() => true, () => false);

/** SMTP when configured; otherwise each mail becomes an .eml file, so nothing needs a mail server to work. */
export function createMailSender(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailDir'>): MailSender {
  const { smtpUrl } = config;
  if (smtpUrl) {
    return {
      send: async (mail, hooks) => {
        // A transport per mail (each sendMail opens its own connection anyway), so the hook is this mail's.
        const transport = nodemailer.createTransport(smtpUrl);
        if (hooks) {
          transport.use('stream', (message, done) => {
            message.message.processFunc((input) => holdEnd(input, hooks.handOver));
            done();
          });
        }
        await transport.sendMail(messageOf(config, mail));
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    // Check first: the file is complete once it has its name (written aside, then renamed), so a
    // retry after a crash finds out whether the mail was delivered and never writes it twice.
    send: async (mail) => {
      const file = path.join(config.mailDir, `${mail.id}.eml`);
      if (await exists(file)) return;
      const info = await transport.sendMail(messageOf(config, mail));
      await mkdir(config.mailDir, { recursive: true });
      const partial = `${file}.${process.pid}.part`;
      await writeFile(partial, info.message as Buffer);
      await rename(partial, file);
    },
  };
}

/**
 * This process as the holder of mail claims: host, PID and the process's start time (Linux), or a
 * random id where /proc cannot tell it, so a PID reused by a later process is not mistaken for it.
 */
export const mailWorkerInstance = `${os.hostname()}/${process.pid}/${processStartOf(process.pid) ?? `r${randomUUID()}`}`;

/**
 * Whether an instance is known to be dead: it ran on this host and its PID now runs no process, or
 * another one (a different start time). Another host's instance is never judged here; its lease tells.
 */
export function isDeadInstance(instance: string): boolean {
  const parts = instance.split('/');
  const start = parts.pop() ?? '';
  const pid = Number(parts.pop());
  if (parts.join('/') !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (!alive(pid)) return true;
  if (!/^\d+$/.test(start)) return false;
  const current = processStartOf(pid);
  return current !== null && current !== start;
}

const MAX_ATTEMPTS = 10;
/** Short, because a claim of a worker that died on another host is free only once its lease lapses. */
export const MAIL_LEASE_MS = 30_000;
/** 1 min, 2, 4 … capped at 6 hours. */
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 6 * 3_600_000);
const iso = (date: Date) => date.toISOString();
/** A list as one parameter (a JSON array), which both drivers pass alike. */
const textList = (values: string[]) => sql`SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`;
const uuidList = (values: string[]) => sql`SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)::uuid`;

export interface DeliveryOptions {
  limit?: number;
  leaseMs?: number;
  /** The claiming instance; tests stand in for other processes with it. */
  instance?: string;
  log?: { warn(object: object, message: string): void };
}

export interface DeliveryResult {
  sent: number;
  failed: number;
  /** Claims of dead instances on this host, freed at once rather than after their lease. */
  reclaimed: number;
  /** Handed over by a sender that died or lost the connection before the reply: counted as sent, not sent again. */
  unconfirmed: number;
}

/**
 * Frees what dead holders left: a mail they had handed over is recorded as sent (unconfirmed), since the
 * server may have it; any other mail they held is released to be claimed now, not after the lease.
 */
async function settleDeadClaims(database: Database, now: Date, instance: string, log: DeliveryOptions['log']) {
  const holders = await database.rows<{ claimed_by: string }>(
    sql`SELECT DISTINCT claimed_by FROM mail_outbox WHERE sent_at IS NULL AND claimed_by IS NOT NULL AND claimed_by <> ${instance}`,
  );
  const dead = holders.map((h) => h.claimed_by).filter(isDeadInstance);
  const unconfirmed = await database.rows<{ id: string }>(sql`
    UPDATE mail_outbox SET sent_at = handed_over_at, unconfirmed = true, claimed_by = NULL, claim_token = NULL, locked_until = NULL,
      last_error = 'Sendt uden svar fra SMTP-serveren: afsenderen døde efter overdragelsen; sendes ikke igen'
    WHERE sent_at IS NULL AND handed_over_at IS NOT NULL
      AND (claimed_by IN (${textList(dead)}) OR locked_until IS NULL OR locked_until <= ${iso(now)}::timestamptz)
    RETURNING id`);
  for (const { id } of unconfirmed) log?.warn({ mailId: id }, 'mail handed to SMTP by a worker that died before the reply: counted as sent, not sent again');
  const released = dead.length
    ? await database.rows<{ id: string }>(sql`
        UPDATE mail_outbox SET claimed_by = NULL, claim_token = NULL, locked_until = NULL
        WHERE sent_at IS NULL AND handed_over_at IS NULL AND claimed_by IN (${textList(dead)}) RETURNING id`)
    : [];
  return { reclaimed: released.length, unconfirmed: unconfirmed.length };
}

/**
 * Sends the mails that are due, at most once each across crashes and several app servers.
 *
 * - Claim: rows are taken with FOR UPDATE SKIP LOCKED under a short lease, renewed while this run works,
 *   in the name of this process (`mailWorkerInstance`) and a token for this run. Claims of a dead
 *   process on this host are freed at once; another host's, when their lease lapses.
 * - Send record: before the SMTP conversation the try is counted (committed); right before the final
 *   "." the hand-over is committed, only if this run still holds the claim; after the server's 250 the
 *   mail is sent.
 * - The unknown window: between the hand-over and the recorded reply the server may or may not have the
 *   mail. Such a mail is never sent again automatically: a crash there almost always means the server
 *   got the whole message (the "." was written to a live connection), and a second copy is what
 *   recipients and the issue refuse. It is recorded as sent with `unconfirmed`, and logged, so an
 *   operator can requeue the rare one that was lost (docs/operations.md, Mail). Only a server's own
 *   refusal (a 4xx/5xx reply) after the hand-over makes it a failed try that is retried.
 */
export async function deliverDueMail(database: Database, sender: MailSender, now: Date, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const { limit = 50, leaseMs = MAIL_LEASE_MS, instance = mailWorkerInstance, log } = options;
  const token = randomUUID();
  const startedAt = Date.now();
  // `now` may be a test's clock; the lease runs on from it by the real time this run has taken.
  const leaseEnd = () => iso(new Date(now.getTime() + (Date.now() - startedAt) + leaseMs));

  const { reclaimed, unconfirmed: settled } = await settleDeadClaims(database, now, instance, log);
  const claimed = await database.db.transaction(async (tx) => {
    const rows = (await tx.execute<OutgoingMail & Record<string, unknown>>(sql`
      SELECT id, "to", subject, text FROM mail_outbox
      WHERE sent_at IS NULL AND handed_over_at IS NULL AND attempts < ${MAX_ATTEMPTS} AND next_attempt_at <= ${iso(now)}::timestamptz
        AND (locked_until IS NULL OR locked_until <= ${iso(now)}::timestamptz)
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`)).rows;
    if (rows.length) {
      await tx.execute(sql`UPDATE mail_outbox SET claimed_by = ${instance}, claim_token = ${token}, locked_until = ${leaseEnd()}::timestamptz
        WHERE id IN (${uuidList(rows.map((r) => r.id))})`);
    }
    return rows;
  });

  const result: DeliveryResult = { sent: 0, failed: 0, reclaimed, unconfirmed: settled };
  if (!claimed.length) return result;
  const renewal = setInterval(() => {
    // A failed renewal only shortens the lease; the next step under the claim reports a lost database.
    database.db.execute(sql`UPDATE mail_outbox SET locked_until = ${leaseEnd()}::timestamptz WHERE claim_token = ${token} AND sent_at IS NULL`).catch(() => undefined);
  }, Math.max(leaseMs / 3, 1));
  try {
    for (const mail of claimed) {
      const outcome = await deliverOne(database, sender, mail, token, now, log);
      if (outcome !== 'lost') result[outcome]++;
    }
  } finally {
    clearInterval(renewal);
  }
  return result;
}

/** One mail under the run's claim: 'lost' when another run took it over after this one's lease lapsed. */
async function deliverOne(database: Database, sender: MailSender, mail: OutgoingMail, token: string, now: Date, log: DeliveryOptions['log']) {
  const started = await database.rows<{ attempts: number }>(sql`
    UPDATE mail_outbox SET attempts = attempts + 1 WHERE id = ${mail.id} AND claim_token = ${token} AND sent_at IS NULL AND handed_over_at IS NULL
    RETURNING attempts`);
  if (!started.length) return 'lost' as const;
  let handedOver = false;
  let claimLost = false;
  try {
    await sender.send(mail, {
      handOver: async () => {
        const rows = await database.rows(sql`UPDATE mail_outbox SET handed_over_at = now()
          WHERE id = ${mail.id} AND claim_token = ${token} AND sent_at IS NULL AND handed_over_at IS NULL RETURNING id`);
        if (!rows.length) {
          claimLost = true;
          throw new Error('mail claim lost before the hand-over');
        }
        handedOver = true;
      },
    });
  } catch (error) {
    if (claimLost) return 'lost' as const;
    const message = String((error as Error).message).slice(0, 1000);
    const refused = typeof (error as { responseCode?: unknown }).responseCode === 'number';
    if (handedOver && !refused) {
      await database.db.execute(sql`UPDATE mail_outbox SET sent_at = handed_over_at, unconfirmed = true, claimed_by = NULL, claim_token = NULL,
        locked_until = NULL, last_error = ${message} WHERE id = ${mail.id} AND claim_token = ${token}`);
      log?.warn({ mailId: mail.id, err: error }, 'no reply from SMTP after the whole mail was handed over: counted as sent, not sent again');
      return 'unconfirmed' as const;
    }
    const attempts = Number(started[0]!.attempts);
    await database.db.execute(sql`UPDATE mail_outbox SET handed_over_at = NULL, claimed_by = NULL, claim_token = NULL, locked_until = NULL,
      last_error = ${message}, next_attempt_at = ${iso(new Date(now.getTime() + backoffMs(attempts)))}::timestamptz
      WHERE id = ${mail.id} AND claim_token = ${token}`);
    return 'failed' as const;
  }
  // The server's reply is the confirmation, even if another worker meanwhile counted the mail as unconfirmed.
  await database.db.execute(sql`UPDATE mail_outbox SET sent_at = coalesce(sent_at, now()), unconfirmed = false, claimed_by = NULL, claim_token = NULL,
    locked_until = NULL, last_error = NULL WHERE id = ${mail.id}`);
  return 'sent' as const;
}
