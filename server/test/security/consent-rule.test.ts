/**
 * The consent rule, tried as an attacker with an ordinary adviser account would: a sharing consent
 * opens only the records of the organisation that recorded it; a company's consents are known only
 * to their recorder and the organisations they cover, who alone may withdraw them; an evaluation
 * invitation is never redirected by someone else's contact or consent. Every refusal also checks
 * that nothing changed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, expectSameAsUnknown, login, orgKeys, problem, type TestContext } from '../helpers.ts';
import {
  apiAs,
  companiesIn,
  createActivity,
  createContact,
  createEngagement,
  CRM_TABLES,
  expectStatus,
  longSessions,
  organisationIds,
  recordConsent,
  snapshot,
  type Api,
} from '../crm-fixtures.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';

type Who = 'sonderborg' | 'aabenraa' | 'hub';

describe('consent rule: a consent opens only its recorder’s records', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Who | 'sonderborgAdmin' | 'hubAdmin' | 'kkr', Api>;
  let org: Record<Who | 'kkr', string>;
  let companies: string[];

  /** Sønderborg's engagement, activity and contact on a company; the strings appear nowhere else. */
  async function sonderborgRecords(cvr: string, tag: string) {
    const engagement = await createEngagement(api.sonderborg, { companyCvr: cvr, description: `SB-FORLOEB-${tag}` });
    const contact = await createContact(api.sonderborg, cvr, { name: `SB Kontakt ${tag}`, email: `sb-${tag}@firma.dk` });
    await createActivity(api.sonderborg, engagement.id, { subject: `SB-MOEDE-${tag}`, contactId: contact.id });
    return { engagementId: engagement.id, contactId: contact.id, secrets: [`SB-FORLOEB-${tag}`, `SB-MOEDE-${tag}`, `SB Kontakt ${tag}`] };
  }

  /** Everything `who` can read about the company, as one string. */
  async function everything(who: Api, cvr: string, engagementId: string) {
    const responses = await Promise.all([
      who.get(`/engagements/${engagementId}`),
      who.get(`/companies/${cvr}/engagements`),
      who.get(`/companies/${cvr}/timeline`),
      who.get(`/companies/${cvr}/contacts`),
    ]);
    return { engagementStatus: responses[0]!.statusCode, body: responses.map((r) => r.body).join('\n') };
  }

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(3000, 21));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, aabenraa: orgKeys.aabenraa, hub: orgKeys.sydjylland, kkr: orgKeys.kkrSyddanmark })) as typeof org;
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'admin@sonderborg.dk', role: 'admin', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    api.sonderborg = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    api.sonderborgAdmin = apiAs(t, await login(t.app, 'admin@sonderborg.dk'));
    api.aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    api.hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    api.hubAdmin = apiAs(t, await login(t.app, 'admin@sydjylland.dk'));
    api.kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    companies = await companiesIn(t.database, 540);
    expect(companies.length).toBeGreaterThanOrEqual(12);
  });

  /**
   * Who recorded the consent (scope: all actors) → may the hub and Aabenraa read Sønderborg's records?
   * Only a consent Sønderborg recorded opens Sønderborg's records.
   */
  const RECORDED_BY: { recorder: 'owner' | 'other organisation' | 'the receiver itself'; as: Who; hub: boolean; aabenraa: boolean }[] = [
    { recorder: 'owner', as: 'sonderborg', hub: true, aabenraa: true },
    { recorder: 'other organisation', as: 'aabenraa', hub: false, aabenraa: false },
    { recorder: 'the receiver itself', as: 'hub', hub: false, aabenraa: false },
  ];

  it.each(RECORDED_BY.map((c, i) => ({ ...c, index: i })))('a consent recorded by $recorder: the hub sees Sønderborg’s records: $hub, Aabenraa: $aabenraa', async ({ as, hub, aabenraa, index }) => {
    const cvr = companies[index]!;
    const records = await sonderborgRecords(cvr, `rec${index}`);
    await recordConsent(api[as], cvr, { scope: 'all', givenByName: 'Direktør Hansen' });
    for (const [who, allowed] of [['hub', hub], ['aabenraa', aabenraa]] as const) {
      const seen = await everything(api[who], cvr, records.engagementId);
      expect(seen.engagementStatus, who).toBe(allowed ? 200 : 404);
      for (const secret of records.secrets) expect(seen.body.includes(secret), `${who} sees ${secret}`).toBe(allowed);
    }
  });

  it('a consent opens the recorder’s own records to the organisations it covers (named: the hub only)', async () => {
    const cvr = companies[3]!;
    const records = await sonderborgRecords(cvr, 'named');
    await recordConsent(api.sonderborg, cvr, { scope: 'named', organisationIds: [org.hub] });
    expect((await everything(api.hub, cvr, records.engagementId)).engagementStatus).toBe(200);
    expect((await everything(api.aabenraa, cvr, records.engagementId)).engagementStatus).toBe(404);
    // The hub's own records are not opened by Sønderborg's consent: Sønderborg sees none of them.
    const hubEngagement = await createEngagement(api.hub, { companyCvr: cvr, description: 'HUB-FORLOEB-named' });
    expect((await api.sonderborg.get(`/engagements/${hubEngagement.id}`)).statusCode).toBe(404);
    expect((await api.sonderborg.get(`/companies/${cvr}/timeline`)).body).not.toContain('HUB-FORLOEB-named');
  });

  it('refuses a consent given by another organisation’s contact person, and saves nothing', async () => {
    const cvr = companies[4]!;
    const records = await sonderborgRecords(cvr, 'giver');
    // The hub sees Sønderborg's contact under Sønderborg's consent, but cannot record consents in that person's name.
    await recordConsent(api.sonderborg, cvr, { scope: 'all' });
    const before = await snapshot(t.database, CRM_TABLES);
    const response = await api.hub.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'all', channel: 'meeting', givenByName: 'SB Kontakt', givenByContactId: records.contactId });
    expect(problem(response)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'givenByContactId' })] } });
    expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
  });

  it('an activity naming another organisation’s contact shows that person only to those who may see the contact', async () => {
    const cvr = companies[18]!;
    // Sønderborg's contact, shared with Aabenraa only.
    const contact = await createContact(api.sonderborg, cvr, { name: 'Hemmelig Person SB', email: 'hemmelig@firma.dk' });
    const consent = await recordConsent(api.sonderborg, cvr, { scope: 'named', organisationIds: [org.aabenraa] });
    // Aabenraa names that person in its own activity, and shares its own records with everyone.
    const engagement = await createEngagement(api.aabenraa, { companyCvr: cvr });
    await createActivity(api.aabenraa, engagement.id, { subject: 'AA møde', contactId: contact.id });
    await recordConsent(api.aabenraa, cvr, { scope: 'all' });
    expect((await api.aabenraa.get(`/engagements/${engagement.id}`)).body).toContain('Hemmelig Person SB');
    // The hub sees Aabenraa's activity, but not Sønderborg's contact in it.
    const hubView = expectStatus(await api.hub.get(`/engagements/${engagement.id}`), 200);
    expect(hubView.activities).toEqual([expect.objectContaining({ subject: 'AA møde', contact: null })]);
    expect(JSON.stringify(hubView)).not.toContain('Hemmelig Person SB');
    // Once Sønderborg withdraws, Aabenraa no longer sees the name either.
    expectStatus(await api.sonderborg.post(`/consents/${consent.id}/withdraw`, {}), 200);
    expect((await api.aabenraa.get(`/engagements/${engagement.id}`)).body).not.toContain('Hemmelig Person SB');
  });

  describe('a company’s consent list', () => {
    let cvr: string;
    let named: string;
    beforeAll(async () => {
      cvr = companies[5]!;
      await sonderborgRecords(cvr, 'list');
      named = (await recordConsent(api.sonderborg, cvr, { scope: 'named', organisationIds: [org.hub], givenByName: 'Giver Navnesen' })).id;
    });

    it.each([
      { who: 'sonderborg' as const, sees: true, role: 'the recorder' },
      { who: 'hub' as const, sees: true, role: 'an organisation it covers' },
      { who: 'aabenraa' as const, sees: false, role: 'an organisation it does not cover' },
    ])('is visible to $role ($who): $sees', async ({ who, sees }) => {
      const response = await api[who].get(`/companies/${cvr}/consents`);
      const { items } = expectStatus(response, 200) as { items: { id: string }[] };
      expect(items.map((c) => c.id)).toEqual(sees ? [named] : []);
      // Nothing of it leaks: no giver's name, no ids, no relationships.
      for (const secret of [named, 'Giver Navnesen', org.hub]) expect(response.body.includes(secret)).toBe(sees);
    });

    it('is refused to an aggregate-only reader', async () => {
      expect((await api.kkr.get(`/companies/${cvr}/consents`)).statusCode).toBe(403);
    });
  });

  describe('withdrawal', () => {
    async function namedConsent(index: number) {
      const cvr = companies[index]!;
      await sonderborgRecords(cvr, `wd${index}`);
      const id = (await recordConsent(api.sonderborg, cvr, { scope: 'named', organisationIds: [org.hub] })).id;
      return { cvr, id };
    }

    it('is refused (404) to an organisation the consent does not cover, and changes nothing', async () => {
      const { id } = await namedConsent(6);
      const before = { ...(await snapshot(t.database, CRM_TABLES)), audit: await count(t.database, "audit_log WHERE action = 'withdraw'") };
      const response = await api.aabenraa.post(`/consents/${id}/withdraw`, { note: 'Angreb' });
      expect(problem(response)).toMatchObject({ status: 404, type: expect.stringContaining('application/problem+json') });
      await expectSameAsUnknown(response, id, (other) => api.aabenraa.post(`/consents/${other}/withdraw`, { note: 'Angreb' }));
      expect({ ...(await snapshot(t.database, CRM_TABLES)), audit: await count(t.database, "audit_log WHERE action = 'withdraw'") }).toEqual(before);
      expect(await count(t.database, `consents WHERE id = '${id}' AND withdrawn_at IS NULL`)).toBe(1);
      // An aggregate-only reader cannot withdraw anything at all.
      expect((await api.kkr.post(`/consents/${id}/withdraw`, {})).statusCode).toBe(403);
    });

    it('by the recorder closes the records at once', async () => {
      const { cvr, id } = await namedConsent(7);
      const engagementId = (await api.sonderborg.get(`/companies/${cvr}/engagements`)).json().items[0].id as string;
      expect((await api.hub.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      const withdrawn = expectStatus(await api.sonderborg.post(`/consents/${id}/withdraw`, {}), 200);
      expect(withdrawn).toMatchObject({ active: false, withdrawnBy: { via: 'organisation', organisation: { id: org.sonderborg } } });
      expect((await api.hub.get(`/engagements/${engagementId}`)).statusCode).toBe(404);
      // The recorder withdrew it itself: nobody needs telling.
      expect(await count(t.database, `mail_outbox WHERE dedupe_key LIKE 'consent.withdrawn:${id}:%'`)).toBe(0);
    });

    it('by an organisation it covers is allowed; the recorder is mailed and sees who withdrew it, in the consent and in its audit log', async () => {
      const { cvr, id } = await namedConsent(8);
      const withdrawn = expectStatus(await api.hub.post(`/consents/${id}/withdraw`, { note: 'Virksomheden ringede til os' }), 200);
      expect(withdrawn).toMatchObject({ active: false, withdrawnBy: { via: 'organisation', organisation: { id: org.hub, name: 'Erhvervshus Sydjylland' } } });
      const [mail] = await t.database.rows<{ to: string; text: string }>(sql`SELECT "to", text FROM mail_outbox WHERE dedupe_key LIKE ${`consent.withdrawn:${id}:%`}`);
      expect(mail).toMatchObject({ to: 'adviser@sonderborg.dk', text: expect.stringContaining('Erhvervshus Sydjylland') });
      const seenByRecorder = expectStatus(await api.sonderborg.get(`/companies/${cvr}/consents`), 200).items.find((c: { id: string }) => c.id === id);
      expect(seenByRecorder.withdrawnBy.organisation.name).toBe('Erhvervshus Sydjylland');
      const audit = expectStatus(await api.sonderborgAdmin.get(`/audit?cvr=${cvr}`), 200).items as { action: string; entityId: string; organisation: { id: string }; aboutOwnRecords: boolean }[];
      expect(audit).toContainEqual(expect.objectContaining({ action: 'withdraw', entityId: id, organisation: expect.objectContaining({ id: org.hub }), aboutOwnRecords: true }));
      // A second withdrawal is a conflict, not a second mail.
      expect((await api.sonderborg.post(`/consents/${id}/withdraw`, {})).statusCode).toBe(409);
      expect(await count(t.database, `mail_outbox WHERE dedupe_key LIKE 'consent.withdrawn:${id}:%'`)).toBe(1);
    });

    it('by an organisation not covered by a named consent, even one it could read before, is 404', async () => {
      // Aabenraa is covered by nothing here, and Sønderborg's 'all' consent for another company does not help it.
      const { id } = await namedConsent(9);
      await recordConsent(api.sonderborg, companies[10]!, { scope: 'all' });
      expect((await api.aabenraa.post(`/consents/${id}/withdraw`, {})).statusCode).toBe(404);
    });
  });

  it('shows the holder every read of its records under its consent, and no other organisation’s', async () => {
    const cvr = companies[11]!;
    const records = await sonderborgRecords(cvr, 'audit');
    await recordConsent(api.sonderborg, cvr, { scope: 'named', organisationIds: [org.hub] });
    expectStatus(await api.hub.get(`/engagements/${records.engagementId}`), 200);
    expectStatus(await api.hub.get(`/companies/${cvr}/timeline`), 200);
    const seen = expectStatus(await api.sonderborgAdmin.get(`/audit?cvr=${cvr}`), 200).items as { action: string; entity: string; organisation: { id: string }; aboutOwnRecords: boolean }[];
    const byHub = seen.filter((e) => e.organisation.id === org.hub);
    expect(byHub.map((e) => `${e.action}:${e.entity}`).sort()).toEqual(['read:engagement', 'read:timeline']);
    expect(byHub.every((e) => e.aboutOwnRecords)).toBe(true);
    // Aabenraa holds nothing on the company: it sees none of these entries.
    await createUser(t.database, { email: 'admin@aabenraa.dk', role: 'admin', org: orgKeys.aabenraa });
    const aabenraaAdmin = apiAs(t, await login(t.app, 'admin@aabenraa.dk'));
    expect(expectStatus(await aabenraaAdmin.get(`/audit?cvr=${cvr}`), 200).items).toEqual([]);
  });

  describe('consents from the public form', () => {
    const guidance = (cvr: string, key: string) =>
      t.app.inject({
        method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': key },
        payload: { cvr, contact: { name: 'Web Giver', email: 'web@firma.dk' }, need: 'Hjælp til eksport.', themes: ['export'], consents: { sharing: true, evaluation: false } },
      });

    it.each([
      { confirmer: 'hub' as const, hubSeesSonderborg: false, aabenraaSeesHub: true },
      { confirmer: 'sonderborg' as const, hubSeesSonderborg: true, aabenraaSeesHub: false },
    ])('belong to the organisation that confirmed them ($confirmer)', async ({ confirmer, hubSeesSonderborg, aabenraaSeesHub }) => {
      const cvr = companies[confirmer === 'hub' ? 12 : 13]!;
      const records = await sonderborgRecords(cvr, `web-${confirmer}`);
      const hubEngagement = await createEngagement(api.hub, { companyCvr: cvr, description: `HUB-FORLOEB-web-${confirmer}` });
      const lead = expectStatus(await guidance(cvr, `consent-rule-${confirmer}-0001`), 201) as { id: string };
      // Awaiting confirmation, the consent opens nothing and is known only to the lead's organisations.
      expect((await api.hub.get(`/engagements/${records.engagementId}`)).statusCode).toBe(404);
      expect(expectStatus(await api.aabenraa.get(`/companies/${cvr}/consents`), 200).items).toEqual([]);
      expectStatus(await api[confirmer].post(`/guidance-requests/${lead.id}/confirm-consents`, {}), 200);
      const [consent] = await t.database.rows<{ recorded_by_organisation_id: string }>(sql`SELECT recorded_by_organisation_id FROM consents WHERE guidance_request_id = ${lead.id}`);
      expect(consent!.recorded_by_organisation_id).toBe(org[confirmer]);
      expect((await api.hub.get(`/engagements/${records.engagementId}`)).statusCode).toBe(hubSeesSonderborg ? 200 : 404);
      expect((await api.aabenraa.get(`/engagements/${records.engagementId}`)).statusCode).toBe(hubSeesSonderborg ? 200 : 404);
      expect((await api.aabenraa.get(`/engagements/${hubEngagement.id}`)).statusCode).toBe(aabenraaSeesHub ? 200 : 404);
    });
  });

  it('an evaluation consent confirmed from the public form is the confirmer’s alone: no other organisation sees or withdraws it', async () => {
    const cvr = companies[19]!;
    const lead = expectStatus(
      await t.app.inject({
        method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': 'consent-rule-evaluation-01' },
        payload: { cvr, contact: { name: 'Privat Person Web', email: 'privat@firma.dk' }, need: 'Hjælp.', themes: [], consents: { sharing: false, evaluation: true } },
      }),
      201,
    ) as { id: string };
    expectStatus(await api.hub.post(`/guidance-requests/${lead.id}/confirm-consents`, {}), 200);
    const [consent] = expectStatus(await api.hub.get(`/companies/${cvr}/consents`), 200).items as { id: string; purpose: string }[];
    expect(consent).toMatchObject({ purpose: 'evaluation' });
    const seen = await api.aabenraa.get(`/companies/${cvr}/consents`);
    expect(expectStatus(seen, 200).items).toEqual([]);
    expect(seen.body).not.toContain('Privat Person Web');
    expect((await api.aabenraa.post(`/consents/${consent!.id}/withdraw`, {})).statusCode).toBe(404);
    expect(await count(t.database, `consents WHERE id = '${consent!.id}' AND withdrawn_at IS NULL`)).toBe(1);
  });

  describe('evaluation invitations', () => {
    const evaluationConsent = async (as: Api, cvr: string, givenByContactId?: string) =>
      expectStatus(await as.post(`/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', channel: 'meeting', givenByName: 'Direktør', ...(givenByContactId ? { givenByContactId } : {}) }), 201);
    async function closeSpecialised(cvr: string) {
      const engagement = expectStatus(await api.hub.post('/engagements', { companyCvr: cvr, level: 'specialised' }), 201) as { id: string; version: number };
      expectStatus(await api.hub.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Afsluttet' }), 200);
      return engagement.id;
    }

    it('are not sent under another organisation’s evaluation consent', async () => {
      const cvr = companies[14]!;
      const attacker = await createContact(api.sonderborg, cvr, { name: 'Omdirigering', email: 'omdirigering@angriber.dk' });
      await evaluationConsent(api.sonderborg, cvr, attacker.id);
      const engagementId = await closeSpecialised(cvr);
      expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagementId}'`)).toBe(0);
      expect(await count(t.database, "mail_outbox WHERE \"to\" = 'omdirigering@angriber.dk'")).toBe(0);
    });

    it('go to the hub’s own contact, never to a contact another organisation added earlier', async () => {
      const cvr = companies[15]!;
      await createContact(api.sonderborg, cvr, { name: 'Tidligere Kontakt', email: 'tidligere@angriber.dk' });
      const own = await createContact(api.hub, cvr, { name: 'Hubbens Kontakt', email: 'hub-kontakt@firma.dk' });
      await evaluationConsent(api.hub, cvr);
      // Another organisation's later consent naming its own contact changes nothing.
      const attacker = await createContact(api.sonderborg, cvr, { name: 'Senere', email: 'senere@angriber.dk' });
      await evaluationConsent(api.sonderborg, cvr, attacker.id);
      const engagementId = await closeSpecialised(cvr);
      const [invitation] = await t.database.rows<{ email: string; contact_id: string }>(sql`SELECT email, contact_id FROM evaluation_invitations WHERE engagement_id = ${engagementId}`);
      expect(invitation).toEqual({ email: 'hub-kontakt@firma.dk', contact_id: own.id });
    });

    it('are not sent to another organisation’s contact when the hub has none of its own', async () => {
      const cvr = companies[17]!;
      await createContact(api.sonderborg, cvr, { name: 'Fremmed Kontakt', email: 'fremmed@angriber.dk' });
      await evaluationConsent(api.hub, cvr);
      const engagementId = await closeSpecialised(cvr);
      expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagementId}'`)).toBe(0);
      expect(await count(t.database, "mail_outbox WHERE \"to\" = 'fremmed@angriber.dk'")).toBe(0);
    });

    it('unsubscribed by the company withdraws its evaluation consents, and each recorder is told the company did it', async () => {
      const cvr = companies[16]!;
      await createContact(api.hub, cvr, { name: 'Afmelder', email: 'afmelder@firma.dk' });
      const consent = await evaluationConsent(api.hub, cvr);
      const engagementId = await closeSpecialised(cvr);
      const [row] = await t.database.rows<{ id: string }>(sql`SELECT id FROM evaluation_invitations WHERE engagement_id = ${engagementId}`);
      const { invitationToken } = await import('../../modules/evaluations/invitations.ts');
      const token = await invitationToken(t.database.db, row!.id);
      expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}/unsubscribe` }), 200);
      const [withdrawn] = expectStatus(await api.hub.get(`/companies/${cvr}/consents`), 200).items as { id: string; withdrawnBy: unknown }[];
      expect(withdrawn).toMatchObject({ id: consent.id, withdrawnBy: { via: 'company', organisation: null } });
      expect(await count(t.database, `mail_outbox WHERE dedupe_key = 'consent.withdrawn:${consent.id}:adviser@sydjylland.dk'`)).toBe(1);
    });
  });
});
