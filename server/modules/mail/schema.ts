import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The durable mail outbox: a mail is queued in the same transaction as the change that causes it,
 * and a worker delivers it with retries. Queued means it will be sent, across restarts.
 */
export const outbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    /** What caused the mail, e.g. `referral.sent:<id>`; unique so a retried change never mails twice. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Tries begun: counted when a send starts, so a mail that kills its sender still runs out of tries. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** The claim's lease; its holder renews it while it works, and after it lapses anyone may take the mail. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** The worker instance holding the claim, `host/pid/process start`: how a restart on the same host knows it died. */
    claimedBy: text('claimed_by'),
    /** One claim by one delivery run; every later step of that run is conditional on it still being held. */
    claimToken: uuid('claim_token'),
    /**
     * Set, under the claim, right before the end of the message goes to the SMTP server: from then on the
     * server may have the mail, so it is never sent again automatically (outbox.ts).
     */
    handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Counted as sent without the server's reply: its sender died or lost the connection after the hand-over. */
    unconfirmed: boolean('unconfirmed').notNull().default(false),
    lastError: text('last_error'),
  },
  (t) => [index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.sentAt} IS NULL`)],
);
