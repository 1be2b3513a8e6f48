import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { importCvrFile } from '../companies/import.ts';
import { hubKey } from '../organisations/reference.ts';
import { generateCompanies } from '../demo/seed.ts';
import { upsertCompanies } from '../companies/service.ts';
import { createMailSender, deliverDueMail } from '../mail/outbox.ts';
import { evaluationInvitations } from './schema.ts';
import { hashToken } from '../../lib/hashing.ts';
import { invitationToken, sendReminders } from './invitations.ts';
import { importEvaluationsFile } from './import.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));
const CVR = '35682872';
const OTHER_CVR = '42611433';

describe('evaluation of specialised guidance', () => {
  let t: TestContext;
  let hub: Session;
  let kkr: Session;
  let fyn: Session;
  let hubId: string;
  afterAll(() => t.close());

  const api = (s: Session, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, payload });

  async function specialisedEngagement(cvr: string) {
    const response = await api(hub, 'POST', '/engagements', { companyCvr: cvr, level: 'specialised', themes: ['growth'] });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number };
  }

  async function consentAndContact(cvr: string, email = 'ejer@firma.dk') {
    const contact = (await api(hub, 'POST', `/companies/${cvr}/contacts`, { name: 'Eva Ejer', email })).json();
    await api(hub, 'POST', `/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', givenByContactId: contact.id, givenByName: 'Eva Ejer', channel: 'meeting' });
    return contact;
  }

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000, sessionIdleMinutes: 60 * 24 * 400, sessionAbsoluteHours: 24 * 400 });
    await importCvrFile(t.database, fixture);
    await createUser(t.database, { email: 'hub@test.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'kkr@test.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'fyn@test.dk', role: 'adviser', org: orgKeys.fyn });
    hub = await login(t.app, 'hub@test.dk');
    kkr = await login(t.app, 'kkr@test.dk');
    fyn = await login(t.app, 'fyn@test.dk');
    hubId = await orgId(t.database, orgKeys.sydjylland);
  });

  it('closing a specialised engagement with consent queues exactly one invitation', async () => {
    await consentAndContact(CVR);
    const engagement = await specialisedEngagement(CVR);
    const closed = await api(hub, 'POST', `/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Vækstplan' });
    expect(closed.statusCode).toBe(200);
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(1);
    expect(await count(t.database, `mail_outbox WHERE dedupe_key = 'evaluation.invite:${engagement.id}'`)).toBe(1);
    // Closing again is refused and queues nothing more.
    expect((await api(hub, 'POST', `/engagements/${engagement.id}/close`, { version: engagement.version + 1, outcome: 'x' })).statusCode).toBe(409);
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(1);
  });

  it('queues none without an evaluation consent', async () => {
    await api(hub, 'POST', `/companies/${OTHER_CVR}/contacts`, { name: 'Uden Samtykke', email: 'x@y.dk' });
    const engagement = await specialisedEngagement(OTHER_CVR);
    await api(hub, 'POST', `/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Afsluttet' });
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(0);
  });

  it('sends the queued invitation once, also across a restart, through a real SMTP server', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const mailConfig = { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Knudepunkt <noreply@test.dk>', mailDir: mkdtempSync(path.join(tmpdir(), 'kp-mail-')) };
    try {
      // The first process queued the mail (previous test) and "died" before sending; a new sender starts.
      const queued = await count(t.database, "mail_outbox WHERE sent_at IS NULL AND dedupe_key LIKE 'evaluation.invite:%'");
      expect(queued).toBe(1);
      const afterRestart = createMailSender(mailConfig);
      const first = await deliverDueMail(t.database, afterRestart, new Date());
      expect(first.sent).toBeGreaterThanOrEqual(1);
      const again = await deliverDueMail(t.database, createMailSender(mailConfig), new Date());
      expect(again.sent).toBe(0);
      const invitations = received.filter((m) => /Subject:.*(Hvordan|vejledningen)/s.test(m));
      expect(invitations).toHaveLength(1);
      expect(invitations[0]).toContain('To: ejer@firma.dk');
      expect(invitations[0]).toMatch(/evaluering\/[\w-]{20,}/);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  async function invitationsWithTokens(n: number) {
    const engagement = await specialisedEngagement(CVR);
    const tokens: string[] = [];
    const rows = [];
    for (let i = 0; i < n; i++) {
      const id = crypto.randomUUID();
      // One engagement holds one invitation; extra ones hang on fresh engagements.
      const engagementId = i === 0 ? engagement.id : (await specialisedEngagement(CVR)).id;
      const token = await invitationToken(t.database.db, id);
      tokens.push(token);
      rows.push({ id, engagementId, companyCvr: CVR, organisationId: hubId, email: 'ejer@firma.dk', tokenHash: hashToken(token), createdAt: t.clock.now, expiresAt: new Date(t.clock.now.getTime() + 30 * 86_400_000) });
    }
    await t.database.db.insert(evaluationInvitations).values(rows);
    return tokens;
  }

  it('stores an answer once per link, even under concurrent submissions', async () => {
    const [token] = await invitationsWithTokens(1);
    const before = await count(t.database, 'evaluation_answers');
    const submissions = await Promise.all(
      Array.from({ length: 50 }, () => t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: 9, effect: 'i høj grad' } })),
    );
    expect(submissions.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(submissions.filter((r) => r.statusCode === 409)).toHaveLength(49);
    expect(await count(t.database, 'evaluation_answers')).toBe(before + 1);
    const state = await t.app.inject({ url: `/api/v1/public/evaluations/${token}` });
    expect(state.json()).toMatchObject({ state: 'answered', hub: 'Erhvervshus Sydjylland' });
  });

  it('stores 200 concurrent answers of 200 distinct links', async () => {
    const tokens = await invitationsWithTokens(200);
    const before = await count(t.database, 'evaluation_answers');
    const submissions = await Promise.all(tokens.map((token, i) => t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: i % 11, effect: 'i nogen grad' } })));
    expect(submissions.every((r) => r.statusCode === 201)).toBe(true);
    expect(await count(t.database, 'evaluation_answers')).toBe(before + 200);
  });

  it('gives unknown and expired links a clear state, and refuses answers to them', async () => {
    expect((await t.app.inject({ url: '/api/v1/public/evaluations/unknown-token-unknown-token' })).json()).toMatchObject({ state: 'unknown' });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/public/evaluations/unknown-token-unknown-token', headers: { 'accept-language': 'en' }, payload: { nps: 5, effect: 'ved ikke' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('unknown');
    const [token] = await invitationsWithTokens(1);
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 86_400_000);
    expect((await t.app.inject({ url: `/api/v1/public/evaluations/${token}` })).json()).toMatchObject({ state: 'expired' });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: 5, effect: 'ved ikke' } })).statusCode).toBe(410);
  });

  it('rejects a malformed answer with field errors and stores nothing', async () => {
    const [token] = await invitationsWithTokens(1);
    const before = await count(t.database, 'evaluation_answers');
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: 11, effect: 'meget' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['effect', 'nps']);
    expect(await count(t.database, 'evaluation_answers')).toBe(before);
    expect((await t.app.inject({ url: `/api/v1/public/evaluations/${token}` })).json().state).toBe('open');
  });

  it('unsubscribing withdraws the evaluation consent', async () => {
    const [token] = await invitationsWithTokens(1);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}/unsubscribe` })).json()).toEqual({ state: 'unsubscribed' });
    expect(await count(t.database, `consents WHERE company_cvr = '${CVR}' AND purpose = 'evaluation' AND withdrawn_at IS NULL`)).toBe(0);
    const engagement = await specialisedEngagement(CVR);
    await api(hub, 'POST', `/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'x' });
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(0);
  });

  it('sends one reminder after the delay, not to those who answered', async () => {
    const [open, answered] = await invitationsWithTokens(2);
    await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${answered}`, payload: { nps: 10, effect: 'i høj grad' } });
    const later = new Date(t.clock.now.getTime() + 8 * 86_400_000);
    const reminded = await sendReminders(t.database.db, later, t.config);
    expect(reminded).toBeGreaterThanOrEqual(1);
    const [row] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM evaluation_invitations WHERE token_hash = ${hashToken(answered!)} AND reminded_at IS NOT NULL`);
    expect(row!.n).toBe(0);
    expect(await sendReminders(t.database.db, later, t.config)).toBe(0);
    expect(open).toBeTruthy();
  });

  describe('results', () => {
    it('shows NPS, effect share, answers, response rate and margins to the hub', async () => {
      const response = await api(hub, 'GET', `/evaluations/results?hub=${hubId}`);
      expect(response.statusCode).toBe(200);
      const { overall } = response.json();
      expect(overall.answers).toBeGreaterThanOrEqual(202);
      expect(overall.nps).not.toBeNull();
      expect(overall.npsMarginOfError).toBeGreaterThan(0);
      expect(overall.responseRate).toBeGreaterThan(0);
    });

    it('suppresses groups under 5 answers for everyone but the hub on its own results, and keeps comments and advisers with the hub', async () => {
      const companies = generateCompanies(30, 99);
      await upsertCompanies(t.database, companies);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-eval-')), 'answers.csv');
      // Two answers for a company in Copenhagen (Erhvervshus Hovedstaden): a group of 2 under the suppression limit.
      const small = companies.find((c) => c.municipality_code === 101)!;
      writeFileSync(file, `cvr,date,nps,effect\n${small.cvr},2026-03-01,9,i høj grad\n${small.cvr},2026-03-02,3,slet ikke\n`);
      await importEvaluationsFile(t.database, file);
      await createUser(t.database, { email: 'hovedstaden@test.dk', role: 'adviser', org: hubKey('Erhvervshus Hovedstaden') });
      const hovedstaden = await login(t.app, 'hovedstaden@test.dk');
      const hovedstadenId = await orgId(t.database, hubKey('Erhvervshus Hovedstaden'));
      // Under disclosure control a query without dates is answered for the latest ended quarter, and says so.
      const undated = await api(kkr, 'GET', '/evaluations/results?groupBy=municipality');
      expect(undated.statusCode).toBe(200);
      expect(undated.json()).toMatchObject({ disclosureControl: true, period: { from: '2026-07-01', to: '2026-09-30' } });
      // KKR, another hub, and the hub itself on all hubs see whole ended periods; a suppressed group carries no figures, not even its count.
      for (const [who, url] of [[kkr, '/evaluations/results?groupBy=municipality'], [hub, '/evaluations/results?groupBy=municipality'], [hub, `/evaluations/results?hub=${hovedstadenId}&groupBy=deliveryCategory`], [hovedstaden, '/evaluations/results?groupBy=municipality']] as const) {
        const answer = (await api(who, 'GET', `${url}&from=2026-01-01&to=2026-03-31`)).json();
        expect(answer.disclosureControl, url).toBe(true);
        const smallGroup = answer.groups.find((g: { key: string }) => g.key === String(small.municipality_code)) ?? answer.overall;
        expect(smallGroup, url).toMatchObject({ suppressed: true, answers: null, nps: null, effectShare: null, invitations: null });
      }
      // The hub looks at its own results as they are.
      const forHub = (await api(hovedstaden, 'GET', `/evaluations/results?hub=${hovedstadenId}&groupBy=municipality`)).json();
      expect(forHub).toMatchObject({ disclosureControl: false, period: { from: null, to: null }, groupBy: 'municipality' });
      expect(forHub.groups.find((g: { key: string }) => g.key === String(small.municipality_code))).toMatchObject({ suppressed: false, answers: 2, nps: 0 });
      expect((await api(kkr, 'GET', `/evaluations/comments?hub=${hubId}`)).statusCode).toBe(403);
      expect((await api(fyn, 'GET', `/evaluations/comments?hub=${hubId}`)).statusCode).toBe(403);
      expect((await api(hub, 'GET', `/evaluations/comments?hub=${hubId}`)).statusCode).toBe(200);
      expect((await api(kkr, 'GET', `/evaluations/results?groupBy=adviser&hub=${hubId}`)).statusCode).toBe(403);
      expect((await api(hub, 'GET', `/evaluations/results?groupBy=adviser&hub=${hubId}`)).statusCode).toBe(200);
    });

    it('groups by month', async () => {
      const response = await api(hub, 'GET', `/evaluations/results?hub=${hubId}&groupBy=month`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().groups.length).toBeGreaterThan(0);
      expect(response.json().groups[0].key).toMatch(/^\d{4}-\d{2}$/);
      expect((await t.app.inject({ url: '/api/v1/public/evaluations/x' })).json()).toMatchObject({ state: 'unknown' });
    });

    it('exports CSV and Excel', async () => {
      const csv = await api(hub, 'GET', `/evaluations/results.csv?hub=${hubId}`);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toContain('NPS');
      const xlsx = await t.app.inject({ url: `/api/v1/evaluations/results.xlsx?hub=${hubId}`, headers: hub.headers });
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });

  describe('what the caller may do, from the server', () => {
    it("says who may change a hub's settings: its manager, not one of its advisers, nor another hub's manager", async () => {
      await createUser(t.database, { email: 'syd-adviser@test.dk', role: 'adviser', org: orgKeys.sydjylland });
      await createUser(t.database, { email: 'fyn-manager@test.dk', role: 'manager', org: orgKeys.fyn });
      const adviser = await login(t.app, 'syd-adviser@test.dk');
      const otherManager = await login(t.app, 'fyn-manager@test.dk');
      for (const [who, configure] of [[hub, true], [adviser, false], [otherManager, false]] as const) {
        const settings = await api(who, 'GET', `/organisations/${hubId}/evaluation-settings`);
        expect(settings.statusCode, settings.body).toBe(200);
        expect(settings.json().abilities).toEqual({ configure });
      }
      const saved = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/organisations/${hubId}/evaluation-settings`,
        headers: hub.headers,
        payload: { trigger: 'close', daysAfterFirstMeeting: 30, reminderAfterDays: 7, linkValidDays: 30 },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().abilities).toEqual({ configure: true });
      const refused = await t.app.inject({ method: 'PUT', url: `/api/v1/organisations/${hubId}/evaluation-settings`, headers: adviser.headers, payload: { trigger: 'close', daysAfterFirstMeeting: 30, reminderAfterDays: 7, linkValidDays: 30 } });
      expect(refused.statusCode).toBe(403);
    });

    it('offers the hubs with their abilities, opens on the caller’s own hub, and offers per-adviser figures there only', async () => {
      const mine = (await api(hub, 'GET', '/evaluations/choices')).json();
      expect(mine.ownHub).toBe(hubId);
      const own = mine.hubs.find((h: { id: string }) => h.id === hubId);
      expect(own).toMatchObject({ name: 'Erhvervshus Sydjylland', abilities: { byAdviser: true, comments: true, configure: true } });
      expect(own.groupings).toContain('adviser');
      const other = mine.hubs.find((h: { id: string }) => h.id !== hubId);
      expect(other).toMatchObject({ abilities: { byAdviser: false, comments: false, configure: false } });
      expect(other.groupings).not.toContain('adviser');
      expect(mine.groupings).not.toContain('adviser');
      // Only hubs are offered; KKR opens on all hubs.
      const forKkr = (await api(kkr, 'GET', '/evaluations/choices')).json();
      expect(forKkr.ownHub).toBeNull();
      expect(forKkr.hubs.map((h: { name: string }) => h.name).every((n: string) => n.startsWith('Erhvervshus'))).toBe(true);
      expect(forKkr.abilities).toEqual({ confidentialAnswers: false });
    });
  });

  describe('import from the national evaluation system', () => {
    it('matches rows to the active specialised engagement, keeps unmatched ones, reports malformed lines, and adds nothing twice', async () => {
      const engagement = await specialisedEngagement(OTHER_CVR);
      const today = t.clock.now.toISOString().slice(0, 10);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-eval-')), 'national.csv');
      writeFileSync(
        file,
        [
          'cvr,date,nps,effect',
          `${OTHER_CVR},${today},10,i høj grad`,
          `${CVR},2019-06-01,7,`,
          '35682873,2026-01-01,5,ved ikke',
          `${CVR},2026-13-01,5,ved ikke`,
          `${CVR},2026-01-01,12,ved ikke`,
          `${CVR},2026-01-01,5,måske`,
          `${CVR},2026-01-01,,`,
          `${CVR},2026-01-02,,I NOGEN GRAD`,
        ].join('\n') + '\n',
      );
      // The test's clock runs ahead of the real one; the answers are dated by it.
      const summary = await importEvaluationsFile(t.database, file, { today });
      expect(summary.matched).toBe(1);
      expect(summary.unmatched.map((u) => u.line)).toEqual([3, 9]);
      expect(summary.rejected.map((r) => r.line)).toEqual([4, 5, 6, 7, 8]);
      const [answer] = await t.database.rows<{ engagement_id: string | null; organisation_id: string }>(sql`
        SELECT engagement_id, organisation_id FROM evaluation_answers WHERE company_cvr = ${OTHER_CVR} AND source = 'import'`);
      expect(answer!.engagement_id).toBe(engagement.id);
      // Unmatched rows count for the hub of the company's municipality (Fredensborg → Hovedstaden).
      const [unmatched] = await t.database.rows<{ name: string }>(sql`
        SELECT o.name FROM evaluation_answers a JOIN organisations o ON o.id = a.organisation_id WHERE a.company_cvr = ${CVR} AND a.source = 'import' LIMIT 1`);
      expect(unmatched!.name).toBe('Erhvervshus Hovedstaden');
      const again = await importEvaluationsFile(t.database, file, { today });
      expect(again).toMatchObject({ matched: 0, duplicates: 3 });
    });
  });
});
