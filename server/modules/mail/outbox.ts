import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { sql } from 'drizzle-orm';
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

export interface MailSender {
  send(mail: { id: string; to: string; subject: string; text: string }): Promise<void>;
}

/** SMTP when configured; otherwise each mail becomes an .eml file, so nothing needs a mail server to work. */
export function createMailSender(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailDir'>): MailSender {
  if (config.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
    return {
      send: async (mail) => {
        await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@knudepunkt>` });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@knudepunkt>` });
      await mkdir(config.mailDir, { recursive: true });
      await writeFile(path.join(config.mailDir, `${mail.id}.eml`), info.message as Buffer);
    },
  };
}

const MAX_ATTEMPTS = 10;
const LOCK_MS = 5 * 60_000;
/** 1 min, 2, 4 … capped at 6 hours. */
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 6 * 3_600_000);

/**
 * Sends the mails that are due. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * app servers can run this at once and a mail is never handed to two senders; a crash mid-send
 * leaves the lease to expire and the mail is tried again.
 */
export async function deliverDueMail(database: Database, sender: MailSender, now: Date, limit = 50): Promise<{ sent: number; failed: number }> {
  const claimed = await database.db.transaction(async (tx) => {
    const rows = (await tx.execute<{ id: string; to: string; subject: string; text: string; attempts: number }>(sql`
      SELECT id, "to", subject, text, attempts FROM mail_outbox
      WHERE sent_at IS NULL AND attempts < ${MAX_ATTEMPTS} AND next_attempt_at <= ${now.toISOString()}::timestamptz
        AND (locked_until IS NULL OR locked_until <= ${now.toISOString()}::timestamptz)
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`)).rows;
    if (rows.length) {
      const ids = JSON.stringify(rows.map((r) => r.id));
      await tx.execute(sql`UPDATE mail_outbox SET locked_until = ${new Date(now.getTime() + LOCK_MS).toISOString()}::timestamptz
        WHERE id IN (SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid)`);
    }
    return rows;
  });
  let sent = 0;
  let failed = 0;
  for (const mail of claimed) {
    try {
      await sender.send(mail);
      await database.db.execute(sql`UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1, locked_until = NULL, last_error = NULL WHERE id = ${mail.id}`);
      sent++;
    } catch (error) {
      const attempts = Number(mail.attempts) + 1;
      await database.db.execute(sql`UPDATE mail_outbox SET attempts = ${attempts}, locked_until = NULL, last_error = ${String((error as Error).message).slice(0, 1000)},
        next_attempt_at = ${new Date(now.getTime() + backoffMs(attempts)).toISOString()}::timestamptz WHERE id = ${mail.id}`);
      failed++;
    }
  }
  return { sent, failed };
}
