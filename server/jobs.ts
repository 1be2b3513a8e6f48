import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { inviteAfterFirstMeeting, sendReminders } from './modules/evaluations/invitations.ts';
import { createMailSender, deliverDueMail } from './modules/mail/outbox.ts';
import { sendEventReminders } from './modules/events/service.ts';

/**
 * Background work of an app server: evaluation invitations and reminders that fall due, and mail
 * delivery. Safe to run on several servers at once (mail rows are claimed with SKIP LOCKED;
 * invitations and reminders are unique per engagement and invitation).
 */
export function startJobs(database: Database, config: Config, options: { log: FastifyBaseLogger; mailEveryMs?: number; evaluationsEveryMs?: number }) {
  const sender = createMailSender(config);
  let busy = false;
  let lastEvaluationRun = 0;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = new Date();
      if (now.getTime() - lastEvaluationRun >= (options.evaluationsEveryMs ?? 60_000)) {
        lastEvaluationRun = now.getTime();
        await inviteAfterFirstMeeting(database.db, now, config);
        await sendReminders(database.db, now, config);
        await sendEventReminders(database.db, now);
      }
      while ((await deliverDueMail(database, sender, new Date())).sent > 0);
    } catch (error) {
      // Through the server's logger, whose error serialiser keeps SQL parameters (recipients' addresses) out.
      options.log.error({ err: error }, 'background jobs failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, options.mailEveryMs ?? 5_000);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
