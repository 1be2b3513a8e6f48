import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createEngagement, expectStatus, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { createMailSender, deliverDueMail, MAIL_LEASE_MS, mailWorkerInstance, queueMail, type DeliveryResult, type MailSender } from './outbox.ts';

type Sent = { id: string; to: string; subject: string; text: string };

/** A sender that records what it sends and throws for the first `failures` attempts of each mail. */
function recordingSender(failures = 0): MailSender & { sent: Sent[]; attempts: Map<string, number> } {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  return {
    sent,
    attempts,
    send: async (mail) => {
      const n = (attempts.get(mail.id) ?? 0) + 1;
      attempts.set(mail.id, n);
      if (n <= failures) throw new Error(`SMTP 451 try again later (${n})`);
      sent.push({ id: mail.id, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

const MINUTE = 60_000;

/** A delivery result: what is not named is 0. */
const result = (counts: Partial<DeliveryResult> = {}): DeliveryResult => ({ sent: 0, failed: 0, reclaimed: 0, unconfirmed: 0, ...counts });
const nothing = result();

/** A process of this host that has ended: its PID is beyond any the kernel hands out (pid_max ≤ 4194304). */
const deadInstance = `${os.hostname()}/4999999/1`;
/** A live worker on another host: nothing here can tell whether it died, only its lease can. */
const otherHost = 'ein-anderer-host.example/4242/123';

/** A promise with its settle functions, for a sender that stops half-way until the test lets it go on. */
function gate<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The body of a quoted-printable message as text. */
const decodeQuotedPrintable = (raw: string) =>
  Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

describe('mail outbox', () => {
  let t: TestContext;
  afterAll(() => t.close());
  /** Later than the database's clock, which stamps queued mails as due. */
  let due: Date;
  const at = (offsetMs: number) => new Date(due.getTime() + offsetMs);
  const outboxRow = async (id: string) =>
    (await t.database.rows<{ attempts: number; sent: boolean; last_error: string | null; next_attempt_at: Date | string }>(
      sql`SELECT attempts, sent_at IS NOT NULL AS sent, last_error, next_attempt_at FROM mail_outbox WHERE id = ${id}`,
    ))[0]!;
  const queue = async (n: number, prefix: string) => {
    for (let i = 0; i < n; i++) await queueMail(t.database.db, { to: `modtager${i}@test.dk`, subject: `Besked ${prefix} ${i}`, text: `Hej ${i}`, dedupeKey: `${prefix}:${i}` });
    due = new Date(Date.now() + MINUTE);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  beforeEach(async () => {
    // Each test starts from an empty outbox (fixture reset; the outbox is not append-only).
    await t.database.db.execute(sql`DELETE FROM mail_outbox`);
  });

  it('queues a mail once per dedupe key', async () => {
    await queueMail(t.database.db, { to: 'a@test.dk', subject: 'Første', text: 'x', dedupeKey: 'same-cause' });
    await queueMail(t.database.db, { to: 'a@test.dk', subject: 'Anden', text: 'y', dedupeKey: 'same-cause' });
    const rows = await t.database.rows<{ subject: string }>(sql`SELECT subject FROM mail_outbox`);
    expect(rows).toEqual([{ subject: 'Første' }]);
  });

  it('delivers each queued mail exactly once', async () => {
    await queue(3, 'once');
    const sender = recordingSender();
    expect(await deliverDueMail(t.database, sender, due)).toEqual(result({ sent: 3 }));
    expect(await deliverDueMail(t.database, sender, at(MINUTE))).toEqual(nothing);
    expect(await deliverDueMail(t.database, sender, at(24 * 60 * MINUTE))).toEqual(nothing);
    expect(sender.sent.map((m) => m.subject).sort()).toEqual(['Besked once 0', 'Besked once 1', 'Besked once 2']);
    expect(new Set(sender.sent.map((m) => m.id)).size).toBe(3);
    const [pending] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL`);
    expect(pending!.n).toBe(0);
  });

  it('never hands a mail to two senders delivering at the same time', async () => {
    await queue(6, 'parallel');
    const a = recordingSender();
    const b = recordingSender();
    const [ra, rb] = await Promise.all([deliverDueMail(t.database, a, due), deliverDueMail(t.database, b, due)]);
    expect(ra.sent + rb.sent).toBe(6);
    const ids = [...a.sent, ...b.sent].map((m) => m.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toHaveLength(6);
  });

  it('does not hand a mail that is being sent to a second sender while its lease runs', async () => {
    await queue(1, 'leased');
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow: MailSender & { sent: string[] } = {
      sent: [],
      send: async (mail) => {
        claimed();
        await released;
        slow.sent.push(mail.id);
      },
    };
    const first = deliverDueMail(t.database, slow, due);
    await isClaimed;
    // In the name of this process, which a restart on this host can tell is gone.
    expect(await t.database.rows(sql`SELECT claimed_by FROM mail_outbox`)).toEqual([{ claimed_by: mailWorkerInstance }]);
    const other = recordingSender();
    expect(await deliverDueMail(t.database, other, at(MAIL_LEASE_MS / 2))).toEqual(nothing);
    release();
    expect(await first).toEqual(result({ sent: 1 }));
    expect(other.sent).toEqual([]);
    expect(slow.sent).toHaveLength(1);
    expect(await deliverDueMail(t.database, other, at(60 * MINUTE))).toEqual(nothing);
  });

  it('renews the lease while the run that holds it works', async () => {
    await queue(1, 'renewed');
    const held = gate();
    const started = gate();
    const slow: MailSender = {
      send: async () => {
        started.resolve();
        await held.promise;
      },
    };
    const first = deliverDueMail(t.database, slow, due, { leaseMs: 300 });
    await started.promise;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Long past the first lease of 300 ms, but the run renewed it as the real time went by.
    const other = recordingSender();
    expect(await deliverDueMail(t.database, other, at(700))).toEqual(nothing);
    held.resolve();
    expect(await first).toEqual(result({ sent: 1 }));
    expect(other.sent).toEqual([]);
  });

  it('lets another worker take a mail once the lease of a silent holder on another host lapses, and the first one then cannot hand it over', async () => {
    await queue(1, 'lapsed');
    const started = gate();
    const held = gate();
    let handOverRefused: unknown;
    const stalled: MailSender = {
      send: async (_mail, hooks) => {
        started.resolve();
        await held.promise;
        await hooks!.handOver().catch((error: unknown) => {
          handOverRefused = error;
          throw error;
        });
      },
    };
    // Its renewals are held off by a lease longer than the test; as far as the database knows, it fell silent.
    const first = deliverDueMail(t.database, stalled, due, { instance: otherHost, leaseMs: MAIL_LEASE_MS });
    await started.promise;
    const other = recordingSender();
    // Another host's claim is not judged by its PID: before the lease ends it stays…
    expect(await deliverDueMail(t.database, other, at(MAIL_LEASE_MS / 2))).toEqual(nothing);
    // …and after it, the mail is anyone's.
    expect(await deliverDueMail(t.database, other, at(MAIL_LEASE_MS + 5_000))).toEqual(result({ sent: 1 }));
    held.resolve();
    // The first worker lost its claim: it neither sends nor counts anything.
    expect(await first).toEqual(nothing);
    expect(String(handOverRefused)).toContain('claim lost');
    expect(other.sent).toHaveLength(1);
    expect(await outboxRow(other.sent[0]!.id)).toMatchObject({ attempts: 2, sent: true, last_error: null });
  });

  it('frees the claims of a dead process on this host at once, not after their lease', async () => {
    await queue(3, 'orphaned');
    const started = gate();
    const died = gate();
    const dying: MailSender = {
      send: async () => {
        started.resolve();
        await died.promise;
      },
    };
    const dead = deliverDueMail(t.database, dying, due, { instance: deadInstance });
    await started.promise;
    // One second later, with the dead process's lease of 30 s still running.
    const heir = recordingSender();
    expect(await deliverDueMail(t.database, heir, at(1_000))).toEqual(result({ sent: 3, reclaimed: 3 }));
    expect(heir.sent).toHaveLength(3);
    // Whatever the dead run would still have done is conditional on its claim, which it no longer has.
    died.reject(new Error('the process was killed'));
    await dead;
    const rows = await t.database.rows<{ attempts: number; sent: boolean; unconfirmed: boolean; claimed_by: string | null }>(
      sql`SELECT attempts, sent_at IS NOT NULL AS sent, unconfirmed, claimed_by FROM mail_outbox ORDER BY attempts`,
    );
    // The try the dead process began is counted: a mail that kills its sender runs out of tries.
    expect(rows).toEqual([
      { attempts: 1, sent: true, unconfirmed: false, claimed_by: null },
      { attempts: 1, sent: true, unconfirmed: false, claimed_by: null },
      { attempts: 2, sent: true, unconfirmed: false, claimed_by: null },
    ]);
    expect(await deliverDueMail(t.database, heir, at(60 * MINUTE))).toEqual(nothing);
    expect(heir.sent).toHaveLength(3);
  });

  it('counts a mail handed over by a process that died as sent, unconfirmed, and never sends it again', async () => {
    await queue(1, 'handed');
    const handedOver = gate();
    const died = gate();
    const dying: MailSender = {
      send: async (_mail, hooks) => {
        await hooks!.handOver();
        handedOver.resolve();
        await died.promise;
      },
    };
    const dead = deliverDueMail(t.database, dying, due, { instance: deadInstance });
    await handedOver.promise;
    const heir = recordingSender();
    const warnings: object[] = [];
    const log = { warn: (object: object) => warnings.push(object) };
    expect(await deliverDueMail(t.database, heir, at(1_000), { log })).toEqual(result({ unconfirmed: 1 }));
    died.reject(new Error('the process was killed'));
    await dead;
    expect(heir.sent).toEqual([]);
    const [row] = await t.database.rows<{ id: string; sent: boolean; unconfirmed: boolean; attempts: number; last_error: string; same: boolean }>(
      sql`SELECT id, sent_at IS NOT NULL AS sent, unconfirmed, attempts, last_error, sent_at = handed_over_at AS same FROM mail_outbox`,
    );
    expect(row).toMatchObject({ sent: true, unconfirmed: true, attempts: 1, same: true, last_error: expect.stringContaining('sendes ikke igen') });
    expect(warnings).toEqual([{ mailId: row!.id }]);
    expect(await deliverDueMail(t.database, heir, at(24 * 60 * MINUTE))).toEqual(nothing);
    expect(heir.sent).toEqual([]);
  });

  it('counts a mail as sent, unconfirmed, when the connection is lost after the hand-over without a reply', async () => {
    await queue(1, 'no-reply');
    let tries = 0;
    const cut: MailSender = {
      send: async (_mail, hooks) => {
        tries++;
        await hooks!.handOver();
        throw new Error('Connection closed unexpectedly');
      },
    };
    expect(await deliverDueMail(t.database, cut, due)).toEqual(result({ unconfirmed: 1 }));
    expect(await deliverDueMail(t.database, cut, at(24 * 60 * MINUTE))).toEqual(nothing);
    expect(tries).toBe(1);
    const [row] = await t.database.rows<{ unconfirmed: boolean; last_error: string }>(sql`SELECT unconfirmed, last_error FROM mail_outbox WHERE sent_at IS NOT NULL`);
    expect(row).toEqual({ unconfirmed: true, last_error: 'Connection closed unexpectedly' });
  });

  it('retries a failed mail after a back-off, then delivers it once', async () => {
    await queue(1, 'retry');
    const sender = recordingSender(1);
    expect(await deliverDueMail(t.database, sender, due)).toEqual(result({ failed: 1 }));
    const [id] = [...sender.attempts.keys()];
    const failed = await outboxRow(id!);
    expect(failed).toMatchObject({ attempts: 1, sent: false, last_error: expect.stringContaining('451') });
    expect(new Date(failed.next_attempt_at).getTime()).toBe(at(MINUTE).getTime());

    // Not before the back-off has passed.
    expect(await deliverDueMail(t.database, sender, at(30_000))).toEqual(nothing);
    expect(sender.attempts.get(id!)).toBe(1);

    expect(await deliverDueMail(t.database, sender, at(MINUTE))).toEqual(result({ sent: 1 }));
    expect(sender.sent.map((m) => m.id)).toEqual([id]);
    expect(await outboxRow(id!)).toMatchObject({ attempts: 2, sent: true, last_error: null });
    expect(await deliverDueMail(t.database, sender, at(60 * MINUTE))).toEqual(nothing);
  });

  it('backs off longer each time and gives up after 10 attempts', async () => {
    await queue(1, 'hopeless');
    const sender = recordingSender(Number.POSITIVE_INFINITY);
    let now = due;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await deliverDueMail(t.database, sender, now)).toEqual(result({ failed: 1 }));
      const [id] = [...sender.attempts.keys()];
      const next = new Date((await outboxRow(id!)).next_attempt_at);
      waits.push((next.getTime() - now.getTime()) / MINUTE);
      now = next;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360]);
    expect(await deliverDueMail(t.database, sender, at(365 * 24 * 60 * MINUTE))).toEqual(nothing);
    expect([...sender.attempts.values()]).toEqual([10]);
  });

  describe('referral notices through real transports', () => {
    let mailDir: string;
    let smtp: SMTPServer;
    let port: number;
    const received: { from: string; to: string[]; raw: string }[] = [];
    /** How many of the next messages the server refuses after receiving them whole. */
    let refusals = 0;
    let sender: Api;
    let hubId: string;
    let engagementId: string;

    beforeAll(async () => {
      mailDir = await mkdtemp(path.join(os.tmpdir(), 'kp-mail-'));
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            if (refusals > 0) {
              refusals--;
              // The whole message arrived and the server says no: a reply after the hand-over.
              callback(Object.assign(new Error('5.7.1 Message rejected as spam'), { responseCode: 550 }));
            } else callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
      port = (smtp.server.address() as AddressInfo).port;

      await upsertCompanies(t.database, generateCompanies(1000, 9));
      hubId = (await organisationIds(t.database, { hub: orgKeys.sydjylland })).hub!;
      await createUser(t.database, { email: 'sender@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
      await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
      // A manager gets referral mail only by choice (notification settings); this one chose it.
      const manager = await createUser(t.database, { email: 'manager@sydjylland.dk', role: 'manager', org: orgKeys.sydjylland });
      await t.database.db.execute(sql`UPDATE users SET notify_referrals = true WHERE id = ${manager}`);
      await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
      sender = apiAs(t, await login(t.app, 'sender@sonderborg.dk'));
      const [cvr] = await companiesIn(t.database, 540);
      engagementId = (await createEngagement(sender, { companyCvr: cvr })).id;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await rm(mailDir, { recursive: true, force: true });
    });

    /** Sends a referral to the hub through the API, which queues its notices. */
    const sendReferral = async (): Promise<string> => {
      const referral = expectStatus(
        await sender.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: hubId, reason: 'Vækst', needs: 'Sparring', consent: { givenByName: 'Ejeren', channel: 'phone' } }),
        201,
      );
      due = new Date(Date.now() + MINUTE);
      return referral.id;
    };

    it('delivers the notices to an SMTP server', async () => {
      const referralId = await sendReferral();
      const mailSender = createMailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Knudepunkt <noreply@knudepunkt.dk>', mailDir });
      expect(await deliverDueMail(t.database, mailSender, due)).toEqual(result({ sent: 2 }));
      expect(received.map((m) => m.to).flat().sort()).toEqual(['adviser@sydjylland.dk', 'manager@sydjylland.dk']);
      for (const message of received) {
        expect(message.from).toBe('noreply@knudepunkt.dk');
        expect(message.raw).toMatch(/^Subject: /m);
        expect(decodeQuotedPrintable(message.raw)).toContain(`Åbn henvisningen i Knudepunkt: ${t.config.publicUrl}/henvisninger/${referralId}`);
        expect(decodeQuotedPrintable(message.raw)).toContain('Erhvervsservice Sønderborg Kommune har henvist ');
        expect(message.raw).toMatch(/^Message-ID: <[0-9a-f-]+@knudepunkt>/im);
      }
      // Each was recorded as handed over before its end went out, as only the SMTP sender does.
      expect(await t.database.rows(sql`SELECT DISTINCT handed_over_at IS NOT NULL AS handed_over, unconfirmed FROM mail_outbox`)).toEqual([{ handed_over: true, unconfirmed: false }]);
      expect(await deliverDueMail(t.database, mailSender, at(MINUTE))).toEqual(nothing);
      expect(received).toHaveLength(2);
      expect(await readdir(mailDir)).toEqual([]);
    });

    it('writes one .eml file per mail to the mail folder without an SMTP server', async () => {
      const referralId = await sendReferral();
      const ids = (await t.database.rows<{ id: string; to: string }>(sql`SELECT id, "to" FROM mail_outbox WHERE sent_at IS NULL ORDER BY "to"`));
      const mailSender = createMailSender({ smtpUrl: undefined, mailFrom: 'Knudepunkt <noreply@knudepunkt.dk>', mailDir });
      expect(await deliverDueMail(t.database, mailSender, due)).toEqual(result({ sent: 2 }));
      expect((await readdir(mailDir)).sort()).toEqual(ids.map((r) => `${r.id}.eml`).sort());
      for (const { id, to } of ids) {
        const eml = await readFile(path.join(mailDir, `${id}.eml`), 'utf8');
        expect(eml).toMatch(new RegExp(`^To: ${to.replace('.', '\\.')}$`, 'm'));
        expect(eml).toMatch(/^From: Knudepunkt <noreply@knudepunkt\.dk>$/m);
        expect(eml).toContain(`<${id}@knudepunkt>`);
        expect(decodeQuotedPrintable(eml)).toContain(`henvisninger/${referralId}`);
      }
    });

    it('retries a mail the SMTP server refused after the hand-over, with the same Message-ID', async () => {
      await queue(1, 'refused');
      const [{ id }] = (await t.database.rows<{ id: string }>(sql`SELECT id FROM mail_outbox`)) as [{ id: string }];
      const mailSender = createMailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Knudepunkt <noreply@knudepunkt.dk>', mailDir });
      received.length = 0;
      refusals = 1;
      expect(await deliverDueMail(t.database, mailSender, due)).toEqual(result({ failed: 1 }));
      const refused = await t.database.rows<{ attempts: number; sent: boolean; handed_over: boolean; unconfirmed: boolean; last_error: string }>(
        sql`SELECT attempts, sent_at IS NOT NULL AS sent, handed_over_at IS NOT NULL AS handed_over, unconfirmed, last_error FROM mail_outbox`,
      );
      // A refusal is the server's answer, not the unknown: the try failed and the mail is free to be tried again.
      expect(refused).toEqual([{ attempts: 1, sent: false, handed_over: false, unconfirmed: false, last_error: expect.stringContaining('550') }]);
      expect(await deliverDueMail(t.database, mailSender, at(30_000))).toEqual(nothing);
      expect(await deliverDueMail(t.database, mailSender, at(MINUTE))).toEqual(result({ sent: 1 }));
      expect(await deliverDueMail(t.database, mailSender, at(60 * MINUTE))).toEqual(nothing);
      expect(await outboxRow(id)).toMatchObject({ attempts: 2, sent: true, last_error: null });
      const messageIds = received.map((m) => /^Message-ID:\s*(\S+)/im.exec(m.raw)?.[1]);
      expect(messageIds).toEqual([`<${id}@knudepunkt>`, `<${id}@knudepunkt>`]);
    });
  });
});
