import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import {
  apiAs,
  companiesIn,
  createContact,
  createEngagement,
  CRM_TABLES,
  expectStatus,
  longSessions,
  organisationIds,
  snapshot,
  type Api,
} from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { myWork } from '../work/service.ts';
import type { Actor } from '../../policies/index.ts';
import { deadlineText } from '../../lib/working-days.ts';
import { referralNotice, shorten } from './service.ts';

interface Referral {
  id: string;
  status: string;
  version: number;
  reason: string | null;
  needs: string | null;
  contact: { id: string; name: string; email: string | null; phone: string | null } | null;
  withheld: boolean;
  overdue: boolean;
  dueOn: string;
  declineReason: string | null;
  feedback: string | null;
  from: { id: string };
  to: { id: string };
  abilities: { answer: boolean; receive: boolean; accept: boolean; decline: boolean; complete: boolean; openEngagement: boolean };
  receiverEngagementId: string | null;
  company: { cvr: string; name: string | null } | null;
}

interface Receiver {
  id: string;
  name: string;
  suggested: boolean;
  openReferral: { id: string } | null;
}

const noAbilities = { answer: false, receive: false, accept: false, decline: false, complete: false, openEngagement: false };

describe('referrals (henvisninger)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let sender: Api;
  let hubAdviser: Api;
  let hubManager: Api;
  let aabenraa: Api;
  let kkr: Api;
  let org: Record<'sonderborg' | 'hub' | 'aabenraa' | 'fyn' | 'kkr' | 'national' | 'operator' | 'eifo', string>;
  let cvrs: string[];
  let engagementId: string;
  let contactId: string;
  let before: Record<string, number>;

  // By default the advisers (not the EW team, not managers); a manager who chose referral mail gets it, an adviser who chose not to does not.
  const receivingHubEmails = ['adviser@sydjylland.dk', 'optin-manager@sydjylland.dk'];
  const referralRow = async (id: string) => (await t.database.rows<{ status: string; version: number }>(sql`SELECT status, version FROM referrals WHERE id = ${id}`))[0];
  const mails = (like: string) => t.database.rows<{ to: string; subject: string; text: string; dedupe_key: string }>(sql`SELECT "to", subject, text, dedupe_key FROM mail_outbox WHERE dedupe_key LIKE ${like} ORDER BY "to"`);
  const unchanged = async () => expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
  const send = async (body: object, engagement = engagementId): Promise<Referral> => expectStatus(await sender.post(`/engagements/${engagement}/referrals`, body), 201);
  const consentBody = { givenByName: 'Direktør Mette Holm', channel: 'phone' };

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(1000, 5));
    org = (await organisationIds(t.database, {
      sonderborg: orgKeys.sonderborg,
      hub: orgKeys.sydjylland,
      aabenraa: orgKeys.aabenraa,
      fyn: orgKeys.fyn,
      kkr: orgKeys.kkrSyddanmark,
      national: 'national:erhvervsstyrelsen',
      operator: orgKeys.operator,
      eifo: 'operator:eifo',
    })) as typeof org;
    await createUser(t.database, { email: 'sender@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Søren Sender' });
    await createUser(t.database, { email: 'colleague@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'manager@sydjylland.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    const optIn = await createUser(t.database, { email: 'optin-manager@sydjylland.dk', role: 'manager', org: orgKeys.sydjylland });
    await t.database.db.execute(sql`UPDATE users SET notify_referrals = true WHERE id = ${optIn}`);
    const optOut = await createUser(t.database, { email: 'optout@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await t.database.db.execute(sql`UPDATE users SET notify_referrals = false WHERE id = ${optOut}`);
    await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@sydjylland.dk', role: 'reader', org: orgKeys.sydjylland });
    const inactive = await createUser(t.database, { email: 'former@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await t.database.db.execute(sql`UPDATE users SET active = false WHERE id = ${inactive}`);
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@fyn.dk', role: 'adviser', org: orgKeys.fyn });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    sender = apiAs(t, await login(t.app, 'sender@sonderborg.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubManager = apiAs(t, await login(t.app, 'manager@sydjylland.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    cvrs = await companiesIn(t.database, 540);
    engagementId = (await createEngagement(sender, { companyCvr: cvrs[0], description: 'Generationsskifte' })).id;
    contactId = (await createContact(sender, cvrs[0]!, { name: 'Mette Holm', email: 'mette@holm.dk', phone: '+45 20 30 40 50' })).id;
  });

  beforeEach(async () => {
    before = await snapshot(t.database, CRM_TABLES);
  });

  describe('rejected referrals change nothing', () => {
    it('answers 400 naming toOrganisationId for a referral to one’s own organisation', async () => {
      const response = await sender.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.sonderborg, reason: 'r', needs: 'n', consent: consentBody });
      expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'toOrganisationId' }] } });
      await unchanged();
    });

    it('answers 400 naming toOrganisationId for an organisation that does not exist', async () => {
      const response = await sender.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: '00000000-0000-4000-8000-000000000000', reason: 'r', needs: 'n', consent: consentBody });
      expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'toOrganisationId' }] } });
      await unchanged();
    });

    it('answers 400 naming consent when the company has given none for the receiver', async () => {
      const response = await sender.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'r', needs: 'n' });
      expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'consent' }] } });
      await unchanged();
    });

    it('answers 404 to another organisation referring an engagement it cannot see, and 403 for a reader', async () => {
      expect((await aabenraa.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'r', needs: 'n', consent: consentBody })).statusCode).toBe(404);
      expect((await kkr.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'r', needs: 'n', consent: consentBody })).statusCode).toBe(404);
      await unchanged();
    });
  });

  describe('the flow sent → received → accepted → completed', () => {
    let referral: Referral;

    it('sends a referral under a consent given now, due in 5 working days', async () => {
      referral = await send({ toOrganisationId: org.hub, reason: 'Skal sælge virksomheden', needs: 'Rådgivning om generationsskifte', contactId, consent: consentBody });
      expect(referral).toMatchObject({
        status: 'sent',
        version: 1,
        from: { id: org.sonderborg },
        to: { id: org.hub },
        reason: 'Skal sælge virksomheden',
        contact: { id: contactId, name: 'Mette Holm' },
        withheld: false,
        overdue: false,
        // Sent Friday 27 November 2026: due by the end of Friday 4 December (Danish time).
        dueOn: '2026-12-04',
      });
      const consents = expectStatus(await sender.get(`/companies/${cvrs[0]}/consents`), 200).items;
      expect(consents).toEqual([expect.objectContaining({ purpose: 'sharing', scope: 'named', organisations: [{ id: org.hub, name: 'Erhvervshus Sydjylland' }], givenByName: 'Direktør Mette Holm', active: true })]);
    });

    it('mails one notice to each of the receiver’s users who get referral mail: advisers by default, not the EW team, managers, admins, readers or inactive users unless they chose it', async () => {
      const queued = await mails(`referral.sent:${referral.id}:%`);
      expect(queued.map((m) => m.to)).toEqual(receivingHubEmails);
      expect(new Set(queued.map((m) => m.dedupe_key)).size).toBe(queued.length);
    });

    it('names the company (name and CVR), the need, the deadline in Danish and English and the sender, with the link that opens this referral; no contact person', async () => {
      const [company] = await t.database.rows<{ name: string }>(sql`SELECT name FROM companies WHERE cvr = ${cvrs[0]}`);
      const queued = await mails(`referral.sent:${referral.id}:%`);
      expect(queued.length).toBeGreaterThan(0);
      for (const mail of queued) {
        expect(mail.subject).toBe(`Ny henvisning fra Erhvervsservice Sønderborg Kommune: ${company!.name}`);
        expect(mail.text).toContain(`Erhvervsservice Sønderborg Kommune har henvist ${company!.name} (CVR ${cvrs[0]}) til Erhvervshus Sydjylland.`);
        expect(mail.text).toContain('Behov: Rådgivning om generationsskifte');
        expect(mail.text).toContain('Need: Rådgivning om generationsskifte');
        // Sent Friday 27 November 2026: five working days is Friday 4 December.
        expect(mail.text).toContain('Svarfrist: senest fredag den 4. december 2026');
        expect(mail.text).toContain(`Reply by: ${deadlineText('2026-12-04', 'en')}`);
        expect(mail.text).toContain(`${t.config.publicUrl}/henvisninger/${referral.id}\n`);
        expect(mail.text).not.toContain('henvisninger?id=');
        expect(mail.text).not.toMatch(/Mette|Holm|mette@holm\.dk|20 30 40 50/);
      }
    });

    it('shows it to the receiver (inbox) and the sender (outbox), and to nobody else', async () => {
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200)).toMatchObject({ id: referral.id, needs: 'Rådgivning om generationsskifte' });
      expect(expectStatus(await hubAdviser.get(`/referrals/${referral.id}`), 200)).toMatchObject({ id: referral.id, needs: 'Rådgivning om generationsskifte' });
      const fyn = apiAs(t, await login(t.app, 'adviser@fyn.dk'));
      expect((await fyn.get(`/referrals/${referral.id}`)).statusCode).toBe(404);
      expect(expectStatus(await hubAdviser.get('/referrals?box=inbox'), 200).items.map((r: Referral) => r.id)).toEqual([referral.id]);
      expect(expectStatus(await sender.get('/referrals?box=outbox'), 200).items.map((r: Referral) => r.id)).toEqual([referral.id]);
      expect(expectStatus(await sender.get('/referrals?box=inbox'), 200).items).toEqual([]);
      expect(expectStatus(await hubManager.get(`/referrals/${referral.id}`), 200)).toMatchObject({ reason: 'Skal sælge virksomheden', needs: 'Rådgivning om generationsskifte', withheld: false });
      expect(expectStatus(await aabenraa.get('/referrals?box=inbox'), 200).items).toEqual([]);
      expect((await aabenraa.get(`/referrals/${referral.id}`)).statusCode).toBe(404);
      expect((await kkr.get(`/referrals/${referral.id}`)).statusCode).toBe(404);
      expect((await kkr.get('/referrals?box=inbox')).statusCode).toBe(403);
      // Under the consent the hub now sees the referred engagement too.
      expect((await hubAdviser.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
    });

    it('sends with every referral what the caller may do with it now: the receiver’s writers answer as its status allows, the sender and a reader do nothing', async () => {
      const hubReader = apiAs(t, await login(t.app, 'reader@sydjylland.dk'));
      const fresh = { answer: true, receive: true, accept: true, decline: true, complete: false, openEngagement: false };
      expect(referral.abilities).toEqual(noAbilities);
      expect(expectStatus(await hubAdviser.get('/referrals?box=inbox'), 200).items[0].abilities).toEqual(fresh);
      expect(expectStatus(await hubAdviser.get(`/referrals/${referral.id}`), 200).abilities).toEqual(fresh);
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200).abilities).toEqual(noAbilities);
      expect(expectStatus(await hubReader.get(`/referrals/${referral.id}`), 200).abilities).toEqual(noAbilities);
      const detail = expectStatus(await hubAdviser.get(`/engagements/${engagementId}`), 200);
      expect(detail.referrals.map((r: Referral) => r.abilities)).toEqual([fresh]);
      expect(detail.abilities).toEqual({ change: false, logActivity: false, close: false, refer: false });
      expect(expectStatus(await hubAdviser.get('/me/work'), 200).waiting.find((r: { kind: string; id: string }) => r.kind === 'referral' && r.id === referral.id).abilities).toMatchObject({ answer: true });
    });

    it.each([
      { action: 'complete', payload: { version: 1, feedback: 'Færdig' } },
      { action: 'receive', payload: { version: 1 } },
    ])('refuses $action from the wrong state or by the wrong party, changing nothing', async ({ action, payload }) => {
      if (action === 'complete') {
        const response = await hubAdviser.post(`/referrals/${referral.id}/complete`, payload);
        expect(problem(response).status).toBe(409);
      } else {
        // The sender is not the receiver: visible, but not theirs to answer.
        expect((await sender.post(`/referrals/${referral.id}/receive`, payload)).statusCode).toBe(403);
        expect((await aabenraa.post(`/referrals/${referral.id}/receive`, payload)).statusCode).toBe(404);
      }
      expect(await referralRow(referral.id)).toEqual({ status: 'sent', version: 1 });
      await unchanged();
    });

    it('is received by the receiver; receiving twice is a conflict', async () => {
      referral = expectStatus(await hubAdviser.post(`/referrals/${referral.id}/receive`, { version: 1 }), 200);
      expect(referral).toMatchObject({ status: 'received', version: 2, receivedAt: expect.any(String) });
      expect(await mails(`referral.%:${referral.id}`)).toEqual([]);
      before = await snapshot(t.database, CRM_TABLES);
      expect((await hubAdviser.post(`/referrals/${referral.id}/receive`, { version: 2 })).statusCode).toBe(409);
      expect(await referralRow(referral.id)).toEqual({ status: 'received', version: 2 });
      await unchanged();
    });

    it('answers 409 to a stale version and changes nothing', async () => {
      const response = await hubManager.post(`/referrals/${referral.id}/accept`, { version: 1 });
      expect(problem(response).status).toBe(409);
      expect(await referralRow(referral.id)).toEqual({ status: 'received', version: 2 });
      await unchanged();
    });

    it('is accepted, and the sender gets one mail with the link to the referral', async () => {
      referral = expectStatus(await hubManager.post(`/referrals/${referral.id}/accept`, { version: 2 }), 200);
      expect(referral).toMatchObject({ status: 'accepted', version: 3, answeredAt: expect.any(String) });
      expect(referral.abilities).toEqual({ answer: true, receive: false, accept: false, decline: false, complete: true, openEngagement: true });
      expect((await mails(`referral.accept:${referral.id}`))[0]!.text).toContain(`${t.config.publicUrl}/henvisninger/${referral.id}`);
      const queued = await mails(`referral.accept:${referral.id}`);
      expect(queued).toEqual([expect.objectContaining({ to: 'sender@sonderborg.dk', subject: 'Henvisning accepteret af Erhvervshus Sydjylland' })]);
    });

    it('is completed with feedback, which the sender sees in the outbox', async () => {
      const response = await hubManager.post(`/referrals/${referral.id}/complete`, { version: 3 });
      expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'feedback' }] } });
      referral = expectStatus(await hubManager.post(`/referrals/${referral.id}/complete`, { version: 3, feedback: 'Køber fundet; overdragelse aftalt' }), 200);
      expect(referral).toMatchObject({ status: 'completed', version: 4, completedAt: expect.any(String) });
      const outbox = expectStatus(await sender.get('/referrals?box=outbox&status=completed'), 200).items;
      expect(outbox).toEqual([expect.objectContaining({ id: referral.id, feedback: 'Køber fundet; overdragelse aftalt' })]);
      expect(await mails(`referral.complete:${referral.id}`)).toEqual([expect.objectContaining({ to: 'sender@sonderborg.dk' })]);
    });

    it('cannot be accepted or declined once completed (409), changing nothing', async () => {
      before = await snapshot(t.database, CRM_TABLES);
      expect((await hubManager.post(`/referrals/${referral.id}/accept`, { version: 4 })).statusCode).toBe(409);
      expect((await hubManager.post(`/referrals/${referral.id}/decline`, { version: 4, reason: 'x' })).statusCode).toBe(409);
      expect(await referralRow(referral.id)).toEqual({ status: 'completed', version: 4 });
      await unchanged();
    });
  });

  describe('only the owning organisation refers', () => {
    it('answers 403 to an organisation that sees the engagement under consent but does not own it, changing nothing', async () => {
      // The referral above gave the hub a consent for this company, so the hub sees the engagement.
      expect((await hubAdviser.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      const response = await hubAdviser.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.aabenraa, reason: 'r', needs: 'n', consent: consentBody });
      expect(problem(response).status).toBe(403);
      await unchanged();
    });
  });

  describe('declining', () => {
    it('is declined with a reason the sender sees, under the consent already on record', async () => {
      const referral = await send({ toOrganisationId: org.hub, reason: 'Eksport', needs: 'Eksportrådgivning' });
      const consents = expectStatus(await sender.get(`/companies/${cvrs[0]}/consents`), 200).items;
      expect(consents).toHaveLength(1);
      before = await snapshot(t.database, CRM_TABLES);
      const missing = await hubAdviser.post(`/referrals/${referral.id}/decline`, { version: 1 });
      expect(problem(missing)).toMatchObject({ status: 400, body: { errors: [{ field: 'reason' }] } });
      await unchanged();
      const declined = expectStatus(await hubAdviser.post(`/referrals/${referral.id}/decline`, { version: 1, reason: 'Ikke vores målgruppe' }), 200);
      expect(declined).toMatchObject({ status: 'declined', declineReason: 'Ikke vores målgruppe' });
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200)).toMatchObject({ status: 'declined', declineReason: 'Ikke vores målgruppe' });
      expect(await mails(`referral.decline:${referral.id}`)).toEqual([expect.objectContaining({ to: 'sender@sonderborg.dk', subject: 'Henvisning afvist af Erhvervshus Sydjylland' })]);
      expect((await hubAdviser.post(`/referrals/${referral.id}/complete`, { version: 2, feedback: 'x' })).statusCode).toBe(409);
    });
  });

  describe('withdrawn consent', () => {
    let referral: Referral;

    it('withholds reason, needs and contact from the receiver once the consent behind it is withdrawn', async () => {
      const engagement = await createEngagement(sender, { companyCvr: cvrs[1] });
      const contact = await createContact(sender, cvrs[1]!, { name: 'Karin Krog', email: 'karin@krog.dk' });
      referral = await send({ toOrganisationId: org.aabenraa, reason: 'Flytter til Aabenraa', needs: 'Lokale kontakter', contactId: contact.id, consent: { givenByName: 'Karin Krog', channel: 'meeting' } }, engagement.id);
      expect(expectStatus(await aabenraa.get(`/referrals/${referral.id}`), 200)).toMatchObject({ withheld: false, reason: 'Flytter til Aabenraa', contact: { name: 'Karin Krog' } });
      const [consent] = expectStatus(await sender.get(`/companies/${cvrs[1]}/consents`), 200).items;
      expectStatus(await sender.post(`/consents/${consent.id}/withdraw`, { note: 'Trukket tilbage telefonisk' }), 200);

      const seen = expectStatus(await aabenraa.get(`/referrals/${referral.id}`), 200);
      expect(seen).toMatchObject({ withheld: true, reason: null, needs: null, contact: null, status: 'sent' });
      const inbox = await aabenraa.get('/referrals?box=inbox');
      expect(expectStatus(inbox, 200).items).toEqual([expect.objectContaining({ id: referral.id, withheld: true, reason: null, needs: null, contact: null })]);
      expect(inbox.body).not.toMatch(/Flytter|Lokale kontakter|Karin|krog\.dk/);
      const work = await aabenraa.get('/me/work');
      expect(work.body).not.toMatch(/Flytter|Lokale kontakter|Karin|krog\.dk/);
      expect((await aabenraa.get(`/engagements/${engagement.id}`)).statusCode).toBe(404);
      // The sender's own record is not withheld from the sender.
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200)).toMatchObject({ withheld: false, reason: 'Flytter til Aabenraa', contact: { name: 'Karin Krog' } });
    });
  });

  describe('deadline', () => {
    let late: Referral;
    let answered: Referral;

    it('is overdue when not answered within 5 working days; the deadline is fixed when sent', async () => {
      const engagement = await createEngagement(sender, { companyCvr: cvrs[2] });
      late = await send({ toOrganisationId: org.hub, reason: 'Vækst', needs: 'Vækstforløb', consent: consentBody }, engagement.id);
      answered = await send({ toOrganisationId: org.aabenraa, reason: 'Lokalt', needs: 'Netværk', consent: consentBody }, engagement.id);
      expectStatus(await aabenraa.post(`/referrals/${answered.id}/accept`, { version: 1 }), 200);
      expect(late.dueOn).toBe('2026-12-04');
      const deadlineDays = t.config.referralDeadlineDays;
      try {
        // A later change of the rule does not move a deadline already set.
        t.config.referralDeadlineDays = 10;

        t.clock.now = new Date('2026-12-04T22:59:00Z');
        expect(expectStatus(await hubAdviser.get(`/referrals/${late.id}`), 200)).toMatchObject({ overdue: false, dueOn: '2026-12-04' });
        expect(expectStatus(await hubAdviser.get('/referrals?box=inbox&overdue=true'), 200).items).toEqual([]);

        t.clock.now = new Date('2026-12-05T08:00:00Z');
        expect(expectStatus(await hubAdviser.get(`/referrals/${late.id}`), 200)).toMatchObject({ overdue: true, dueOn: '2026-12-04' });
        const overdueInbox = expectStatus(await hubAdviser.get('/referrals?box=inbox&overdue=true'), 200).items.map((r: Referral) => r.id);
        expect(overdueInbox).toEqual([late.id]);
        const outbox = expectStatus(await sender.get('/referrals?box=outbox'), 200).items as Referral[];
        expect(outbox.find((r) => r.id === late.id)?.overdue).toBe(true);
        expect(outbox.find((r) => r.id === answered.id)?.overdue).toBe(false);
        expect(expectStatus(await hubAdviser.get('/me/work'), 200).waiting.filter((r: Referral) => r.overdue).map((r: Referral) => r.id)).toEqual([late.id]);

        // Sent now (Saturday) under the new rule: 10 working days.
        const next = await send({ toOrganisationId: org.hub, reason: 'Igen', needs: 'Igen' }, engagement.id);
        expect(next).toMatchObject({ dueOn: '2026-12-18', overdue: false });
      } finally {
        t.config.referralDeadlineDays = deadlineDays;
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
    });

    it('counts Danish working days across Easter and the change to summer time', async () => {
      const engagement = await createEngagement(sender, { companyCvr: cvrs[3] });
      try {
        // Wednesday 24 March 2027: Maundy Thursday, Good Friday and Easter Monday are holidays,
        // so the 5th working day is Monday 5 April, ending at midnight Danish summer time.
        t.clock.now = new Date('2027-03-24T09:00:00Z');
        const referral = await send({ toOrganisationId: org.hub, reason: 'Påske', needs: 'Svar', consent: consentBody }, engagement.id);
        expect(referral.dueOn).toBe('2027-04-05');
        t.clock.now = new Date('2027-04-05T21:59:00Z');
        expect(expectStatus(await hubAdviser.get(`/referrals/${referral.id}`), 200).overdue).toBe(false);
        t.clock.now = new Date('2027-04-05T22:00:01Z');
        expect(expectStatus(await hubAdviser.get(`/referrals/${referral.id}`), 200).overdue).toBe(true);
      } finally {
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
    });
  });

  describe('paging', () => {
    it('lists the outbox page by page, newest first, without losing or repeating a referral', async () => {
      const all = expectStatus(await sender.get('/referrals?box=outbox&pageSize=100'), 200);
      expect(all.items.length).toBeGreaterThanOrEqual(2);
      expect(all.hasMore).toBe(false);
      const seen: string[] = [];
      for (let page = 1; page <= all.items.length; page++) {
        const body = expectStatus(await sender.get(`/referrals?box=outbox&pageSize=1&page=${page}`), 200);
        seen.push(...body.items.map((r: Referral) => r.id));
        expect(body.hasMore).toBe(page < all.items.length);
      }
      expect(seen).toEqual(all.items.map((r: Referral) => r.id));
    });

    it('"Mit arbejde" shows the start of each list and says when it goes on', async () => {
      const [row] = await t.database.rows<Actor>(sql`
        SELECT u.id AS "userId", u.name, u.email, u.organisation_id AS "organisationId", o.type AS "organisationType", u.role,
          u.early_warning AS "earlyWarning", u.system_admin AS "systemAdmin"
        FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = 'adviser@sydjylland.dk'`);
      const actor = row!;
      const now = new Date();
      const full = await myWork(t.database.db, actor, now, { engagements: 1_000, waiting: 1_000 });
      const short = await myWork(t.database.db, actor, now, { engagements: 1, waiting: 1 });
      const lists = ['openEngagements', 'waiting'] as const;
      expect(lists.some((k) => full[k].length >= 2)).toBe(true);
      for (const k of lists) {
        expect(short[k].map((x) => x.id)).toEqual(full[k].slice(0, 1).map((x) => x.id));
        expect(short.more[k]).toBe(full[k].length > 1);
        expect(full.more[k]).toBe(false);
      }
    });
  });

  describe('whom a company can be referred to', () => {
    const receivers = async (api: Api, engagement: string): Promise<Receiver[]> => expectStatus(await api.get(`/referrals/receivers?engagementId=${engagement}`), 200).items;

    it('offers the hub of the company’s municipality first, then others by name; never the own organisation, a KKR, a national authority or Knudepunkt’s operator', async () => {
      const items = await receivers(sender, engagementId);
      expect(items[0]).toMatchObject({ id: org.hub, name: 'Erhvervshus Sydjylland', suggested: true });
      expect(items.filter((r) => r.suggested).map((r) => r.id)).toEqual([org.hub]);
      const ids = items.map((r) => r.id);
      // National operators that run offers (EIFO) take referrals; Knudepunkt's own operator does not.
      expect(ids).toEqual(expect.arrayContaining([org.aabenraa, org.fyn, org.eifo]));
      const refused = await t.database.rows<{ id: string }>(sql`SELECT id FROM organisations WHERE type IN ('kkr', 'national_authority') OR key = 'operator:knudepunkt'`);
      expect(refused.map((r) => r.id)).toEqual(expect.arrayContaining([org.kkr, org.national, org.operator]));
      expect(ids.filter((id) => id === org.sonderborg || refused.some((r) => r.id === id))).toEqual([]);
      const rest = items.slice(1).map((r) => r.name);
      const [{ sorted } = { sorted: [] }] = await t.database.rows<{ sorted: string[] }>(sql`SELECT array_agg(n ORDER BY n) AS sorted FROM jsonb_array_elements_text(${JSON.stringify(rest)}::jsonb) AS n`);
      expect(rest).toEqual(sorted);
    });

    it('suggests the hub of another municipality’s company (Odense: Erhvervshus Fyn)', async () => {
      const [odense] = await companiesIn(t.database, 461);
      expect(odense).toBeDefined();
      const engagement = await createEngagement(sender, { companyCvr: odense });
      const items = await receivers(sender, engagement.id);
      expect(items[0]).toMatchObject({ id: org.fyn, suggested: true });
      expect(items.filter((r) => r.suggested)).toHaveLength(1);
    });

    it.each(['kkr', 'national', 'operator'] as const)('refuses %s as the receiver with 422 naming toOrganisationId, changing nothing', async (key) => {
      const response = await sender.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org[key], needs: 'Sparring', consent: consentBody });
      expect(problem(response)).toMatchObject({ status: 422, body: { errors: [{ field: 'toOrganisationId' }] } });
      await unchanged();
    });

    it('lists receivers only to whoever may refer the engagement: 404 to an organisation that cannot see it, 403 to one that sees it under consent', async () => {
      expect((await aabenraa.get(`/referrals/receivers?engagementId=${engagementId}`)).statusCode).toBe(404);
      expect((await kkr.get(`/referrals/receivers?engagementId=${engagementId}`)).statusCode).toBe(404);
      expect((await hubAdviser.get(`/referrals/receivers?engagementId=${engagementId}`)).statusCode).toBe(403);
    });

    it('warns of an open referral of the same company to the same receiver, but never of one the caller cannot see', async () => {
      // The earlier referrals of this company to the hub are completed and declined: nothing open.
      expect((await receivers(sender, engagementId)).find((r) => r.id === org.hub)?.openReferral).toBeNull();
      const toHub = await send({ toOrganisationId: org.hub, needs: 'Eksportrådgivning' });
      const toAabenraa = await send({ toOrganisationId: org.aabenraa, needs: 'Lokalt netværk', consent: consentBody });
      const mine = await receivers(sender, engagementId);
      expect(mine.find((r) => r.id === org.hub)?.openReferral).toEqual({ id: toHub.id });
      expect(mine.find((r) => r.id === org.aabenraa)?.openReferral).toEqual({ id: toAabenraa.id });
      expect(mine.filter((r) => r.openReferral).map((r) => r.id).sort()).toEqual([org.hub, org.aabenraa].sort());

      // Aabenraa and the hub refer the same company from their own engagements: Sønderborg's referral to the other is not theirs to know.
      const aabenraaEngagement = await createEngagement(aabenraa, { companyCvr: cvrs[0] });
      const seenByAabenraa = await aabenraa.get(`/referrals/receivers?engagementId=${aabenraaEngagement.id}`);
      expect(expectStatus(seenByAabenraa, 200).items.find((r: Receiver) => r.id === org.hub).openReferral).toBeNull();
      expect(seenByAabenraa.body).not.toContain(toHub.id);
      const hubEngagement = await createEngagement(hubAdviser, { companyCvr: cvrs[0] });
      const seenByHub = await hubAdviser.get(`/referrals/receivers?engagementId=${hubEngagement.id}`);
      expect(expectStatus(seenByHub, 200).items.find((r: Receiver) => r.id === org.aabenraa).openReferral).toBeNull();
      expect(seenByHub.body).not.toContain(toAabenraa.id);

      // Once answered (declined), it is no longer open.
      expectStatus(await hubAdviser.post(`/referrals/${toHub.id}/decline`, { version: 1, reason: 'Allerede i forløb' }), 200);
      expectStatus(await aabenraa.post(`/referrals/${toAabenraa.id}/decline`, { version: 1, reason: 'Ikke relevant' }), 200);
      expect((await receivers(sender, engagementId)).filter((r) => r.openReferral)).toEqual([]);
    });
  });

  describe('the notice mail', () => {
    it('shortens the need to one line, at a word, with an ellipsis', () => {
      const long = `${'Eksport til Tyskland og de nordiske markeder. '.repeat(20)}\nSidste linje`;
      const short = shorten(long);
      expect(short.length).toBeLessThanOrEqual(200);
      expect(short.endsWith('…')).toBe(true);
      expect(short).not.toContain('\n');
      expect(long.replace(/\s+/g, ' ')).toContain(short.slice(0, -1));
      expect(long.replace(/\s+/g, ' ').charAt(short.length - 1)).toBe(' ');
      expect(shorten('  Kort\n  behov ')).toBe('Kort behov');
    });

    it('carries the shortened need, never the whole text', async () => {
      const engagement = await createEngagement(sender, { companyCvr: cvrs[6] });
      const needs = `Vækstplan og finansiering. ${'Virksomheden ønsker hjælp til at skrive en forretningsplan. '.repeat(12)}HEMMELIG-SLUTNING`;
      const referral = await send({ toOrganisationId: org.hub, needs, consent: consentBody }, engagement.id);
      const [mail] = await mails(`referral.sent:${referral.id}:adviser@sydjylland.dk`);
      expect(mail!.text).toContain(`Behov: ${shorten(needs)}\n`);
      expect(mail!.text).not.toContain('HEMMELIG-SLUTNING');
    });

    it('names a prospect only as such, and gives the deadline in both languages', () => {
      const notice = referralNotice({ from: 'Erhvervsservice A', to: 'Erhvervshus B', company: null, needs: 'Sparring', dueOn: '2026-12-03', link: 'https://knudepunkt.test/henvisninger/abc' });
      expect(notice.subject).toBe('Ny henvisning fra Erhvervsservice A: iværksætter');
      expect(notice.text).toContain('Erhvervsservice A har henvist en iværksætter til Erhvervshus B.');
      expect(notice.text).toContain('Svarfrist: senest torsdag den 3. december 2026');
      expect(notice.text).toContain(`Reply by: ${deadlineText('2026-12-03', 'en')}`);
      expect(notice.text).toContain('https://knudepunkt.test/henvisninger/abc');
    });
  });

  describe('sorting', () => {
    const list = async (query: string): Promise<(Referral & { sentAt: string })[]> => expectStatus(await sender.get(`/referrals?box=outbox&pageSize=100&${query}`), 200).items;
    const statusOrder = ['sent', 'received', 'accepted', 'declined', 'completed'];

    it('sorts the outbox newest first by default, and by deadline, status or company either way', async () => {
      const byDefault = (await list('')).map((r) => r.sentAt);
      expect(byDefault.length).toBeGreaterThanOrEqual(5);
      expect(byDefault).toEqual([...byDefault].sort().reverse());
      expect((await list('sort=sent&dir=asc')).map((r) => r.sentAt)).toEqual([...byDefault].sort());

      const dues = (await list('sort=deadline')).map((r) => r.dueOn);
      expect(new Set(dues).size).toBeGreaterThan(1);
      expect(dues).toEqual([...dues].sort());
      expect((await list('sort=deadline&dir=desc')).map((r) => r.dueOn)).toEqual([...dues].sort().reverse());

      const statuses = (await list('sort=status')).map((r) => statusOrder.indexOf(r.status));
      expect(new Set(statuses).size).toBeGreaterThan(2);
      expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
      expect((await list('sort=status&dir=desc')).map((r) => statusOrder.indexOf(r.status))).toEqual([...statuses].sort((a, b) => b - a));

      const names = (await list('sort=company')).map((r) => r.company!.name!);
      const distinct = names.filter((n, i) => names.indexOf(n) === i);
      expect(distinct.length).toBeGreaterThan(2);
      // Each company's referrals together, in the database's order of names.
      const [{ sorted } = { sorted: [] }] = await t.database.rows<{ sorted: string[] }>(sql`SELECT array_agg(n ORDER BY n) AS sorted FROM jsonb_array_elements_text(${JSON.stringify(distinct)}::jsonb) AS n`);
      expect(distinct).toEqual(sorted);
      expect(names).toEqual(distinct.flatMap((n) => names.filter((m) => m === n)));
      expect((await list('sort=company&dir=desc')).map((r) => r.company!.name!)).toEqual([...names].reverse());
    });

    it('refuses an unknown sort (400)', async () => {
      expect(problem(await sender.get('/referrals?box=outbox&sort=name')).status).toBe(400);
      expect(problem(await sender.get('/referrals?box=outbox&sort=deadline&dir=up')).status).toBe(400);
    });
  });

  describe('the receiver’s own engagement', () => {
    let referral: Referral;
    const open = (api: Api, body: object) => api.post('/engagements', { level: 'basic', ...body });
    const linked = async (id: string) => (await t.database.rows<{ receiver_engagement_id: string | null }>(sql`SELECT receiver_engagement_id FROM referrals WHERE id = ${id}`))[0]!.receiver_engagement_id;

    it('cannot be opened from a referral not yet accepted (409), changing nothing', async () => {
      const engagement = await createEngagement(sender, { companyCvr: cvrs[4] });
      referral = await send({ toOrganisationId: org.aabenraa, needs: 'Lokal sparring om ansættelser', consent: consentBody }, engagement.id);
      before = await snapshot(t.database, CRM_TABLES);
      expect(referral.abilities.openEngagement).toBe(false);
      expect(expectStatus(await aabenraa.get(`/referrals/${referral.id}`), 200).abilities.openEngagement).toBe(false);
      expect(problem(await open(aabenraa, { companyCvr: cvrs[4], referralId: referral.id })).status).toBe(409);
      await unchanged();
    });

    it('is offered to the receiver once it accepts, never to the sender', async () => {
      referral = expectStatus(await aabenraa.post(`/referrals/${referral.id}/accept`, { version: 1 }), 200);
      expect(referral.abilities.openEngagement).toBe(true);
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200).abilities.openEngagement).toBe(false);
    });

    it('refuses the sender (403), an organisation that cannot see the referral (400 naming referralId) and another company (400 naming companyCvr), changing nothing', async () => {
      expect((await open(sender, { companyCvr: cvrs[4], referralId: referral.id })).statusCode).toBe(403);
      expect(problem(await open(hubAdviser, { companyCvr: cvrs[4], referralId: referral.id }))).toMatchObject({ status: 400, body: { errors: [{ field: 'referralId' }] } });
      expect(problem(await open(aabenraa, { companyCvr: cvrs[5], referralId: referral.id }))).toMatchObject({ status: 400, body: { errors: [{ field: 'companyCvr' }] } });
      await unchanged();
      expect(await linked(referral.id)).toBeNull();
    });

    it('links the receiver’s new engagement to the referral, shown to the receiver only; a second one is refused (409)', async () => {
      const created = expectStatus(await open(aabenraa, { companyCvr: cvrs[4], description: 'Lokal sparring om ansættelser', referralId: referral.id }), 201);
      expect(await linked(referral.id)).toBe(created.id);
      expect(expectStatus(await aabenraa.get(`/referrals/${referral.id}`), 200)).toMatchObject({ receiverEngagementId: created.id, abilities: { openEngagement: false } });
      expect(expectStatus(await sender.get(`/referrals/${referral.id}`), 200).receiverEngagementId).toBeNull();
      before = await snapshot(t.database, CRM_TABLES);
      expect(problem(await open(aabenraa, { companyCvr: cvrs[4], referralId: referral.id })).status).toBe(409);
      await unchanged();
      expect(await linked(referral.id)).toBe(created.id);
    });
  });
});
