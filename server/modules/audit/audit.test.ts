import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createActivity, createContact, createEngagement, expectStatus, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

interface AuditRow {
  action: string;
  entity: string;
  entity_id: string | null;
  company_cvr: string | null;
  user_id: string | null;
  organisation_id: string | null;
}

interface AuditItem {
  id: number;
  at: string;
  user: { id: string; email: string } | null;
  organisation: { id: string } | null;
  aboutOwnRecords: boolean;
  action: string;
  entity: string;
  entityId: string | null;
  companyCvr: string | null;
}

describe('audit log', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let manager: Api;
  let orgAdmin: Api;
  let hubAdviser: Api;
  let hubAdmin: Api;
  let systemAdmin: Api;
  let kkr: Api;
  let user: Record<'adviser' | 'manager' | 'hubAdviser', string>;
  let org: Record<'sonderborg' | 'hub', string>;
  let cvr: string;
  let otherCvr: string;
  const state: { contactId?: string; engagementId?: string; consentId?: string; referralId?: string; listId?: string } = {};

  const lastId = async () => (await t.database.rows<{ id: number | null }>(sql`SELECT max(id)::int AS id FROM audit_log`))[0]!.id ?? 0;
  const entriesSince = (id: number) =>
    t.database.rows<AuditRow>(sql`SELECT action, entity, entity_id, company_cvr, user_id, organisation_id FROM audit_log WHERE id > ${id} ORDER BY id`);
  const auditPage = async (as: Api, query: string): Promise<{ items: AuditItem[]; hasMore: boolean }> => expectStatus(await as.get(`/audit?${query}`), 200);

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(1000, 19));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, hub: orgKeys.sydjylland })) as typeof org;
    user = {
      adviser: await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg }),
      manager: await createUser(t.database, { email: 'manager@sonderborg.dk', role: 'manager', org: orgKeys.sonderborg }),
      hubAdviser: await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland }),
    };
    await createUser(t.database, { email: 'admin@sonderborg.dk', role: 'admin', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'sys@knudepunkt.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    manager = apiAs(t, await login(t.app, 'manager@sonderborg.dk'));
    orgAdmin = apiAs(t, await login(t.app, 'admin@sonderborg.dk'));
    hubAdviser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubAdmin = apiAs(t, await login(t.app, 'admin@sydjylland.dk'));
    systemAdmin = apiAs(t, await login(t.app, 'sys@knudepunkt.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    [cvr, otherCvr] = (await companiesIn(t.database, 540)) as [string, string];
  });

  describe('every change is written', () => {
    const changes: { name: string; run: () => Promise<LightMyRequestResponse>; status: number; expected: () => Partial<AuditRow>; keep?: (body: { id: string }) => void }[] = [
      {
        name: 'recording a contact',
        run: () => adviser.post(`/companies/${cvr}/contacts`, { name: 'Anne Andersen', email: 'anne@firma.dk' }),
        status: 201,
        keep: (body) => (state.contactId = body.id),
        expected: () => ({ action: 'create', entity: 'contact', entity_id: state.contactId!, company_cvr: cvr }),
      },
      {
        name: 'recording a consent',
        run: () => adviser.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'all', givenByName: 'Anne Andersen', givenByContactId: state.contactId, channel: 'email' }),
        status: 201,
        keep: (body) => (state.consentId = body.id),
        expected: () => ({ action: 'create', entity: 'consent', entity_id: state.consentId!, company_cvr: cvr }),
      },
      {
        name: 'opening an engagement',
        run: () => adviser.post('/engagements', { companyCvr: cvr, level: 'basic', description: 'Forløb' }),
        status: 201,
        keep: (body) => (state.engagementId = body.id),
        expected: () => ({ action: 'create', entity: 'engagement', entity_id: state.engagementId!, company_cvr: cvr }),
      },
      {
        name: 'changing an engagement',
        run: () => adviser.patch(`/engagements/${state.engagementId}`, { version: 1, description: 'Ændret' }),
        status: 200,
        expected: () => ({ action: 'update', entity: 'engagement', entity_id: state.engagementId!, company_cvr: cvr }),
      },
      {
        name: 'recording an activity',
        run: () => adviser.post(`/engagements/${state.engagementId}/activities`, { type: 'meeting', occurredOn: '2026-11-27', subject: 'Møde', contactId: state.contactId }),
        status: 201,
        expected: () => ({ action: 'create', entity: 'activity', company_cvr: cvr }),
      },
      {
        name: 'sending a referral',
        run: () => adviser.post(`/engagements/${state.engagementId}/referrals`, { toOrganisationId: org.hub, reason: 'Vækst', needs: 'Sparring', contactId: state.contactId }),
        status: 201,
        keep: (body) => (state.referralId = body.id),
        expected: () => ({ action: 'create', entity: 'referral', entity_id: state.referralId!, company_cvr: cvr }),
      },
      {
        name: 'answering a referral',
        run: () => hubAdviser.post(`/referrals/${state.referralId}/accept`, { version: 1 }),
        status: 200,
        expected: () => ({ action: 'accept', entity: 'referral', entity_id: state.referralId!, company_cvr: cvr, user_id: user.hubAdviser, organisation_id: org.hub }),
      },
      {
        name: 'closing an engagement',
        run: () => adviser.post(`/engagements/${state.engagementId}/close`, { version: 2, outcome: 'Godt resultat' }),
        status: 200,
        expected: () => ({ action: 'close', entity: 'engagement', entity_id: state.engagementId!, company_cvr: cvr }),
      },
      {
        name: 'making a campaign list',
        run: () => adviser.post('/lists', { name: 'Kampagne', filters: { municipality: 540 } }),
        status: 201,
        keep: (body) => (state.listId = body.id),
        expected: () => ({ action: 'create', entity: 'list', entity_id: state.listId! }),
      },
      {
        name: 'withdrawing a consent',
        run: () => adviser.post(`/consents/${state.consentId}/withdraw`, {}),
        status: 200,
        expected: () => ({ action: 'withdraw', entity: 'consent', entity_id: state.consentId!, company_cvr: cvr }),
      },
      {
        name: 'erasing a contact',
        run: () => manager.post(`/contacts/${state.contactId}/erase`, {}),
        status: 200,
        expected: () => ({ action: 'erase', entity: 'contact', entity_id: state.contactId!, company_cvr: cvr, user_id: user.manager }),
      },
    ];

    it.each(changes)('$name', async ({ run, status, expected, keep }) => {
      const since = await lastId();
      const response = await run();
      const body = expectStatus(response, status);
      keep?.(body);
      const entries = (await entriesSince(since)).filter((e) => e.action !== 'read');
      expect(entries).toEqual([expect.objectContaining({ user_id: user.adviser, organisation_id: org.sonderborg, ...expected() })]);
    });
  });

  describe('every read of personal data is written', () => {
    const reads: { name: string; as: () => Api; url: () => string; action: string; entity?: string; entityId?: () => string; withCvr?: boolean; shows?: string }[] = [
      { name: 'a company’s contacts', as: () => adviser, url: () => `/companies/${cvr}/contacts`, action: 'read', entity: 'contact', withCvr: true },
      { name: 'a company’s consents', as: () => adviser, url: () => `/companies/${cvr}/consents`, action: 'read', entity: 'consent', withCvr: true },
      { name: 'an engagement', as: () => adviser, url: () => `/engagements/${state.engagementId}`, action: 'read', entity: 'engagement', entityId: () => state.engagementId!, withCvr: true },
      { name: 'a company’s engagements', as: () => adviser, url: () => `/companies/${cvr}/engagements`, action: 'read', entity: 'engagement', withCvr: true },
      { name: 'a company’s timeline', as: () => hubAdviser, url: () => `/companies/${cvr}/timeline`, action: 'read', entity: 'timeline', withCvr: true },
      { name: 'a referral', as: () => hubAdviser, url: () => `/referrals/${state.referralId}`, action: 'read', entity: 'referral', entityId: () => state.referralId!, withCvr: true },
      { name: 'the referral inbox', as: () => hubAdviser, url: () => '/referrals?box=inbox', action: 'read', entity: 'referral' },
      { name: 'a contact’s data-protection export', as: () => manager, url: () => `/contacts/${state.contactId}/export`, action: 'export', entity: 'contact', entityId: () => state.contactId!, withCvr: true },
      { name: 'a campaign list’s CSV export', as: () => adviser, url: () => `/lists/${state.listId}/companies.csv`, action: 'export', entity: 'list', entityId: () => state.listId! },
      { name: 'the retention list', as: () => manager, url: () => '/contacts/retention?years=3', action: 'read', entity: 'contact' },
      // "Mit arbejde" shows the contact person (name, e-mail, phone) of referrals waiting for the organisation.
      { name: 'the work overview with referrals and their contact persons', as: () => hubAdviser, url: () => '/me/work', action: 'read', shows: 'bo@baek.dk' },
    ];

    beforeAll(async () => {
      // A referral waiting in the hub's inbox, naming a contact person.
      const contact = await createContact(adviser, otherCvr, { name: 'Bo Bæk', email: 'bo@baek.dk', phone: '+45 11 22 33 44' });
      const engagement = await createEngagement(adviser, { companyCvr: otherCvr });
      await createActivity(adviser, engagement.id, { subject: 'Møde med Bo', contactId: contact.id });
      expectStatus(await adviser.post(`/engagements/${engagement.id}/referrals`, { toOrganisationId: org.hub, reason: 'Eksport', needs: 'Eksportrådgivning', contactId: contact.id, consent: { givenByName: 'Bo Bæk', channel: 'phone' } }), 201);
    });

    it.each(reads)('$name', async ({ as, url, action, entity, entityId, withCvr, shows }) => {
      const since = await lastId();
      const response = await as().get(url());
      expect(response.statusCode, response.body).toBe(200);
      if (shows) expect(response.body).toContain(shows);
      const actor = as() === adviser ? user.adviser : as() === manager ? user.manager : user.hubAdviser;
      const entries = await entriesSince(since);
      expect(entries.every((e) => e.user_id === actor)).toBe(true);
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action, entity: entity ?? expect.any(String), user_id: actor, ...(entityId ? { entity_id: entityId() } : {}), ...(withCvr ? { company_cvr: cvr } : {}) }),
        ]),
      );
    });
  });

  describe('GET /audit', () => {
    beforeAll(async () => {
      // Entries from an earlier year, for the time filter (the log only accepts appends).
      await t.database.db.execute(sql`INSERT INTO audit_log (at, user_id, organisation_id, action, entity, company_cvr)
        VALUES ('2025-03-01T10:00:00Z', ${user.adviser}, ${org.sonderborg}, 'read', 'timeline', ${cvr}),
               ('2025-03-02T10:00:00Z', ${user.hubAdviser}, ${org.hub}, 'read', 'timeline', ${cvr}),
               ('2025-04-15T10:00:00Z', ${user.adviser}, ${org.sonderborg}, 'read', 'contact', ${otherCvr})`);
      // Today's entries from both organisations on the same company.
      expectStatus(await adviser.get(`/companies/${cvr}/timeline`), 200);
      expectStatus(await hubAdviser.get(`/companies/${cvr}/timeline`), 200);
    });

    it('forbids advisers, managers and KKR readers (403)', async () => {
      for (const as of [adviser, manager, hubAdviser, kkr]) expect(problem(await as.get('/audit')).status).toBe(403);
    });

    it('shows an organisation’s admin only that organisation’s entries', async () => {
      const sonderborg = await auditPage(orgAdmin, `cvr=${cvr}`);
      expect(sonderborg.items.length).toBeGreaterThan(0);
      // Its own users' actions, and others' actions on its records (reads under its consent, withdrawals).
      expect(sonderborg.items.every((i) => i.organisation?.id === org.sonderborg || i.aboutOwnRecords)).toBe(true);
      const hub = await auditPage(hubAdmin, `cvr=${cvr}`);
      expect(hub.items.length).toBeGreaterThan(0);
      expect(hub.items.every((i) => i.organisation?.id === org.hub || i.aboutOwnRecords)).toBe(true);
      // Filtering by a user of another organisation shows only what that user did to this organisation's records.
      const byHubAdviser = (await auditPage(orgAdmin, `userId=${user.hubAdviser}`)).items;
      expect(byHubAdviser.length).toBeGreaterThan(0);
      expect(byHubAdviser.every((i) => i.aboutOwnRecords && i.organisation?.id === org.hub)).toBe(true);
    });

    it('shows a system admin every organisation’s entries', async () => {
      const all = await auditPage(systemAdmin, `cvr=${cvr}&from=2025-01-01&to=2025-12-31`);
      expect(all.items.map((i) => i.organisation?.id).sort()).toEqual([org.sonderborg, org.hub].sort());
      const today = await auditPage(systemAdmin, `cvr=${cvr}`);
      expect(new Set(today.items.map((i) => i.organisation?.id))).toEqual(new Set([org.sonderborg, org.hub]));
    });

    it('filters by user', async () => {
      const page = await auditPage(systemAdmin, `userId=${user.manager}`);
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((i) => i.user?.id === user.manager && i.user.email === 'manager@sonderborg.dk')).toBe(true);
    });

    it('filters by company', async () => {
      const page = await auditPage(orgAdmin, `cvr=${otherCvr}`);
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((i) => i.companyCvr === otherCvr)).toBe(true);
    });

    it('filters by time, both ends inclusive, combined with user and company', async () => {
      const march = await auditPage(systemAdmin, 'from=2025-03-01&to=2025-03-01');
      expect(march.items.map((i) => ({ at: i.at, user: i.user?.id, cvr: i.companyCvr }))).toEqual([{ at: '2025-03-01T10:00:00.000Z', user: user.adviser, cvr }]);
      const spring = await auditPage(systemAdmin, 'from=2025-03-01&to=2025-04-30');
      expect(spring.items.map((i) => i.at)).toEqual(['2025-04-15T10:00:00.000Z', '2025-03-02T10:00:00.000Z', '2025-03-01T10:00:00.000Z']);
      const combined = await auditPage(orgAdmin, `userId=${user.adviser}&cvr=${cvr}&from=2025-01-01&to=2025-12-31`);
      expect(combined.items.map((i) => i.at)).toEqual(['2025-03-01T10:00:00.000Z']);
      const notYet = await auditPage(systemAdmin, `cvr=${cvr}&to=2024-12-31`);
      expect(notYet.items).toEqual([]);
    });

    it('rejects bad filters with field errors', async () => {
      const response = await systemAdmin.get('/audit?userId=abc&cvr=123&from=2025-13-45');
      expect(problem(response).body.errors?.map((e) => e.field).sort()).toEqual(['cvr', 'from', 'userId']);
    });
  });

  describe('append-only', () => {
    it.each([
      { statement: 'UPDATE', query: sql`UPDATE audit_log SET action = 'tampered'` },
      { statement: 'DELETE', query: sql`DELETE FROM audit_log` },
      { statement: 'TRUNCATE', query: sql`TRUNCATE audit_log` },
    ])('the database refuses $statement', async ({ query }) => {
      const before = await count(t.database, 'audit_log');
      await expect(t.database.db.execute(query)).rejects.toThrow();
      expect(await count(t.database, 'audit_log')).toBe(before);
      const [tampered] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tampered'`);
      expect(tampered!.n).toBe(0);
    });
  });
});
