import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
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
} from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

describe('data protection: access requests, erasure and retention of contact persons', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let manager: Api;
  let admin: Api;
  let hubAdviser: Api;
  let hubAdmin: Api;
  let aabenraaAdmin: Api;
  let aabenraaManager: Api;
  let kkr: Api;
  let org: Record<'hub' | 'aabenraa', string>;
  let cvr: string;
  let privateCvr: string;
  let mette: string;
  let jens: string;
  let privateContact: string;
  let engagementId: string;
  let consentId: string;
  let metteActivities: string[];
  let referralId: string;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(1000, 13));
    org = (await organisationIds(t.database, { hub: orgKeys.sydjylland, aabenraa: orgKeys.aabenraa })) as typeof org;
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'manager@sonderborg.dk', role: 'manager', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'admin@sonderborg.dk', role: 'admin', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'admin@aabenraa.dk', role: 'admin', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'manager@aabenraa.dk', role: 'manager', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'sys@knudepunkt.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    manager = apiAs(t, await login(t.app, 'manager@sonderborg.dk'));
    admin = apiAs(t, await login(t.app, 'admin@sonderborg.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubAdmin = apiAs(t, await login(t.app, 'admin@sydjylland.dk'));
    aabenraaAdmin = apiAs(t, await login(t.app, 'admin@aabenraa.dk'));
    aabenraaManager = apiAs(t, await login(t.app, 'manager@aabenraa.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));

    [cvr, privateCvr] = (await companiesIn(t.database, 540)) as [string, string];
    mette = (await createContact(adviser, cvr, { name: 'Mette Holm', title: 'Direktør', email: 'mette@holm.dk', phone: '+45 20 30 40 50' })).id;
    jens = (await createContact(adviser, cvr, { name: 'Jens Jensen', email: 'jens@holm.dk' })).id;
    privateContact = (await createContact(adviser, privateCvr, { name: 'Ole Olsen' })).id;
    consentId = (await recordConsent(adviser, cvr, { scope: 'all', givenByName: 'Mette Holm', givenByContactId: mette })).id;
    engagementId = (await createEngagement(adviser, { companyCvr: cvr, description: 'Vækstforløb' })).id;
    const own = await createActivity(adviser, engagementId, { subject: 'Opstartsmøde', contactId: mette, occurredOn: '2026-11-20' });
    await createActivity(adviser, engagementId, { subject: 'Møde med bogholderen', contactId: jens, occurredOn: '2026-11-26' });
    // The hub sees Mette under the company's consent and names her in its own work.
    const hubEngagement = await createEngagement(hubAdviser, { companyCvr: cvr });
    const hubActivity = await createActivity(hubAdviser, hubEngagement.id, { subject: 'Opfølgning fra erhvervshuset', contactId: mette, occurredOn: '2026-11-25' });
    // Each organisation answers for its own records: the hub's activity naming Mette is the hub's to
    // disclose, and Sonderborg's consent opens only what Sonderborg holds.
    metteActivities = [own.id];
    void hubActivity;
    referralId = expectStatus(await adviser.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.aabenraa, reason: 'Flytning', needs: 'Lokalkendskab', contactId: mette }), 201).id;
    expectStatus(await adviser.post(`/engagements/${engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'Uden kontakt', needs: 'Sparring' }), 201);
  });

  it('tells each caller whether they may export and erase a contact: its organisation’s admins and managers', async () => {
    const administer = async (as: Api) => Object.fromEntries(expectStatus(await as.get(`/companies/${cvr}/contacts`), 200).items.map((c: { name: string; abilities: { administer: boolean } }) => [c.name, c.abilities.administer]));
    expect(await administer(manager)).toEqual({ 'Jens Jensen': true, 'Mette Holm': true });
    expect(await administer(adviser)).toEqual({ 'Jens Jensen': false, 'Mette Holm': false });
    // The hub sees the contacts under the company's consent, but the data-protection duties stay with Sønderborg.
    expect(await administer(hubAdmin)).toEqual({ 'Jens Jensen': false, 'Mette Holm': false });
  });

  describe('export (access request)', () => {
    it.each([
      { who: 'manager', as: () => manager },
      { who: 'admin', as: () => admin },
    ])('gives the owning organisation’s $who everything held about the contact', async ({ as }) => {
      const data = expectStatus(await as().get(`/contacts/${mette}/export`), 200);
      expect(data.exportedAt).toBe('2026-11-27T09:00:00.000Z');
      expect(data.contact).toMatchObject({ id: mette, name: 'Mette Holm', title: 'Direktør', email: 'mette@holm.dk', phone: '+45 20 30 40 50', erased: false });
      expect(data.consentsGiven).toEqual([expect.objectContaining({ id: consentId, givenByName: 'Mette Holm', givenByContactId: mette, scope: 'all' })]);
      expect(data.activities.map((a: { id: string }) => a.id).sort()).toEqual(metteActivities);
      expect(data.referrals).toEqual([expect.objectContaining({ id: referralId, contact: expect.objectContaining({ id: mette, name: 'Mette Holm' }) })]);
      expect(JSON.stringify(data)).not.toMatch(/Jens|bogholderen|Uden kontakt/);
    });

    it('writes the export to the audit log', async () => {
      const entries = await t.database.rows<{ action: string; entity: string; company_cvr: string }>(sql`SELECT action, entity, company_cvr FROM audit_log WHERE entity_id = ${mette} AND action = 'export'`);
      expect(entries).toEqual([
        { action: 'export', entity: 'contact', company_cvr: cvr },
        { action: 'export', entity: 'contact', company_cvr: cvr },
      ]);
    });

    it.each([
      { who: 'an adviser of the owning organisation', as: () => adviser, contact: () => mette, status: 403 },
      { who: 'an admin of an organisation that sees the contact under consent', as: () => hubAdmin, contact: () => mette, status: 403 },
      { who: 'an admin of an organisation that sees the contact under consent (Aabenraa)', as: () => aabenraaAdmin, contact: () => mette, status: 403 },
      { who: 'an admin of an organisation without consent', as: () => aabenraaAdmin, contact: () => privateContact, status: 404 },
      { who: 'a KKR reader', as: () => kkr, contact: () => mette, status: 404 },
    ])('refuses $who ($status)', async ({ as, contact, status }) => {
      const response = await as().get(`/contacts/${contact()}/export`);
      expect(problem(response).status).toBe(status);
      expect(response.body).not.toMatch(/Mette|Ole Olsen|holm\.dk/);
    });
  });

  describe('erasure', () => {
    it.each([
      { who: 'an adviser of the owning organisation', as: () => adviser, status: 403 },
      { who: 'an admin of another organisation that sees the contact', as: () => hubAdmin, status: 403 },
      { who: 'a KKR reader', as: () => kkr, status: 404 },
    ])('is refused to $who ($status), changing nothing', async ({ as, status }) => {
      const before = await snapshot(t.database, CRM_TABLES);
      expect((await as().post(`/contacts/${mette}/erase`, {})).statusCode).toBe(status);
      expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
      const [row] = await t.database.rows<{ name: string; erased_at: unknown }>(sql`SELECT name, erased_at FROM contacts WHERE id = ${mette}`);
      expect(row).toEqual({ name: 'Mette Holm', erased_at: null });
    });

    it('anonymises the contact while activities, consents and referrals stay for statistics', async () => {
      const activitiesBefore = await count(t.database, 'activities');
      const [namingBefore] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM activities WHERE contact_id = ${mette}`);
      const erased = expectStatus(await manager.post(`/contacts/${mette}/erase`, {}), 200);
      expect(erased).toMatchObject({ id: mette, name: 'Slettet kontaktperson', title: null, email: null, phone: null, erased: true });
      expect(await count(t.database, 'activities')).toBe(activitiesBefore);
      const [namingAfter] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM activities WHERE contact_id = ${mette}`);
      expect(namingAfter).toEqual(namingBefore);
      expect(namingAfter!.n).toBe(2);
      const consents = expectStatus(await adviser.get(`/companies/${cvr}/consents`), 200).items;
      expect(consents).toEqual([expect.objectContaining({ id: consentId, givenByName: 'Slettet kontaktperson', active: true })]);
      const [entry] = await t.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity_id = ${mette} AND action = 'erase'`);
      expect(entry).toEqual({ action: 'erase' });
    });

    it('leaves the person’s name, e-mail and phone nowhere in the API', async () => {
      const contacts = expectStatus(await adviser.get(`/companies/${cvr}/contacts`), 200).items;
      expect(contacts.map((c: { id: string }) => c.id)).toEqual([jens]);
      const bodies = await Promise.all(
        [
          adviser.get(`/engagements/${engagementId}`),
          adviser.get(`/companies/${cvr}/timeline`),
          adviser.get(`/companies/${cvr}/consents`),
          adviser.get('/referrals?box=outbox'),
          aabenraaAdmin.get(`/referrals/${referralId}`),
          hubAdviser.get(`/companies/${cvr}/contacts`),
          manager.get(`/contacts/${mette}/export`),
        ].map(async (request) => (await request).body),
      );
      for (const body of bodies) expect(body).not.toMatch(/Mette|mette@holm\.dk|20 30 40 50/);
      const data = expectStatus(await manager.get(`/contacts/${mette}/export`), 200);
      expect(data.contact).toMatchObject({ name: 'Slettet kontaktperson', erased: true });
      expect(data.activities).toHaveLength(1);
      expect(data.activities.every((a: { contact: { name: string } }) => a.contact.name === 'Slettet kontaktperson')).toBe(true);
    });

    it('refuses to erase twice (409)', async () => {
      expect(problem(await manager.post(`/contacts/${mette}/erase`, {})).status).toBe(409);
    });
  });

  describe('retention', () => {
    let pia: string;

    it('is for admins and managers only', async () => {
      expect((await adviser.get('/contacts/retention?years=3')).statusCode).toBe(403);
      expect((await kkr.get('/contacts/retention?years=3')).statusCode).toBe(403);
      expect((await admin.get('/contacts/retention?years=0')).statusCode).toBe(400);
    });

    it('flags nobody who was active or recorded within the period', async () => {
      expect(expectStatus(await manager.get('/contacts/retention?years=3'), 200)).toEqual({ years: 3, items: [] });
      pia = (await createContact(adviser, cvr, { name: 'Pia Poulsen' })).id;
      try {
        t.clock.now = new Date('2031-06-01T09:00:00Z');
        // Pia is active in 2031; the others have been silent since 2026.
        expectStatus(await adviser.post(`/companies/${cvr}/activities`, { type: 'call', occurredOn: '2031-05-30', subject: 'Opkald', contactId: pia }), 201);
        t.clock.now = new Date('2028-11-27T09:00:00Z');
        expect(expectStatus(await manager.get('/contacts/retention?years=3'), 200).items).toEqual([]);
      } finally {
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
    });

    it('flags the organisation’s contacts with no activity for N years, once the clock has moved on', async () => {
      try {
        t.clock.now = new Date('2033-01-15T09:00:00Z');
        const result = expectStatus(await manager.get('/contacts/retention?years=3'), 200) as { years: number; items: { id: string; name: string; lastActivityOn: string | null }[] };
        expect(result.years).toBe(3);
        const flagged = Object.fromEntries(result.items.map((c) => [c.name, c.lastActivityOn]));
        // Erased contacts are done with; Pia was active in 2031.
        expect(flagged).toEqual({ 'Jens Jensen': '2026-11-26', 'Ole Olsen': null });
        expect(result.items.map((c) => c.id).sort()).toEqual([jens, privateContact].sort());
        expect(result.items.map((c) => c.id)).not.toContain(pia);
        const longer = expectStatus(await manager.get('/contacts/retention?years=10'), 200);
        expect(longer.items).toEqual([]);
        // Another organisation's retention list holds only its own contacts.
        expect(expectStatus(await aabenraaManager.get('/contacts/retention?years=3'), 200).items).toEqual([]);
      } finally {
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
    });
  });

  it('lets a system admin answer an access request for any organisation', async () => {
    const sys = apiAs(t, await login(t.app, 'sys@knudepunkt.dk'));
    const response = await sys.get(`/contacts/${jens}/export`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().contact.id).toBe(jens);
  });
});
