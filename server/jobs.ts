import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { inviteAfterFirstMeeting, sendReminders } from './modules/evaluations/invitations.ts';
import { createMailSender, deliverDueMail } from './modules/mail/outbox.ts';
import { sendEventReminders } from './modules/events/service.ts';
import { CvrSyncBusy, cvrSyncDue, syncCvr } from './modules/companies/cvr-sync.ts';

/**
 * Background work of an app server: evaluation invitations and reminders that fall due, and mail
 * delivery. Safe to run on several servers at once (mail rows are claimed with SKIP LOCKED;
 * invitations and reminders are unique per engagement and invitation).
 */
export function startJobs(database: Database, config: Config, options: { log: FastifyBaseLogger; mailEveryMs?: number; evaluationsEveryMs?: number; cvrCheckEveryMs?: number }) {
  const sender = createMailSender(config);
  let stopped = false;
  let running: Promise<void> | undefined;
  let lastEvaluationRun = 0;
  const work = async () => {
    try {
      const now = new Date();
      if (now.getTime() - lastEvaluationRun >= (options.evaluationsEveryMs ?? 60_000)) {
        lastEvaluationRun = now.getTime();
        await inviteAfterFirstMeeting(database.db, now, config);
        await sendReminders(database.db, now, config);
        await sendEventReminders(database.db, now);
      }
      // Once stopping, no new claims: what is claimed is finished (sent and recorded) by the run in progress.
      while (!stopped && (await deliverDueMail(database, sender, new Date(), { log: options.log })).sent > 0);
    } catch (error) {
      // Through the server's logger, whose error serialiser keeps SQL parameters (recipients' addresses) out.
      options.log.error({ err: error }, 'background jobs failed');
    }
  };
  const tick = () => {
    if (stopped || running) return;
    running = work().finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.mailEveryMs ?? 5_000);
  timer.unref();
  const cvr = scheduleCvrSync(database, config, options);
  tick();
  return {
    /** Stops the timer and resolves when the run in progress is over, so the database can be closed after it. */
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all([running, cvr?.stop()]);
    },
  };
}

/**
 * `sync cvr` every KNUDEPUNKT_CVR_SYNC_HOURS, on its own timer: a sync can take long, and mail must
 * not wait for it. Stopping aborts it between pages (the next run resumes from its last complete page).
 */
function scheduleCvrSync(database: Database, config: Config, options: { log: FastifyBaseLogger; cvrCheckEveryMs?: number }) {
  const { url, user, password, syncHours } = config.cvr;
  if (!url || !syncHours) return undefined;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  const work = async () => {
    try {
      if (!(await cvrSyncDue(database.db, syncHours))) return;
      const summary = await syncCvr(database, { url, user, password }, { signal: abort.signal });
      const { run, pages, documents, imported, created, updated, skipped, retries, highWater } = summary;
      options.log.info({ run, pages, documents, imported, created, updated, skipped, rejected: summary.rejected.length, retries, highWater }, 'CVR sync completed');
    } catch (error) {
      // Another server's run, or a CLI's, is doing the work.
      if (error instanceof CvrSyncBusy) options.log.info({ reason: error.message }, 'CVR sync skipped: another run is at work');
      else if (!abort.signal.aborted) options.log.error({ err: error }, 'CVR sync failed');
    }
  };
  const tick = () => {
    if (abort.signal.aborted || running) return;
    running = work().finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.cvrCheckEveryMs ?? 60_000);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
