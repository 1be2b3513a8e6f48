/**
 * The access matrix of PRODUCT.md "Who may see what", driven through the HTTP API: who sees a
 * normal engagement of Sønderborg's local business service and an Early Warning engagement of
 * Erhvervshus Sydjylland, for each state of the company's sharing consent.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, expectSameAsUnknown, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import {
  apiAs,
  companiesIn,
  createActivity,
  createContact,
  createEngagement,
  cvrFixture,
  earlyWarningCategory,
  expectStatus,
  longSessions,
  organisationIds,
  recordConsent,
  type Api,
} from '../../test/crm-fixtures.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

type Role = 'owner' | 'otherLocal' | 'hub' | 'hubEw' | 'kkr';
type ConsentState = 'absent' | 'all' | 'named' | 'withdrawn';

const roles: Role[] = ['owner', 'otherLocal', 'hub', 'hubEw', 'kkr'];
const consentStates: ConsentState[] = ['absent', 'all', 'named', 'withdrawn'];

/**
 * GET /engagements/{id} of Sønderborg's normal engagement. Named consent = the hub only.
 *                                absent  all  named  withdrawn                                    */
const NORMAL: Record<Role, [number, number, number, number]> = {
  owner: /*      Sønderborg   */ [200, 200, 200, 200],
  otherLocal: /* Aabenraa     */ [404, 200, 404, 404],
  hub: /*        Sydjylland   */ [404, 200, 200, 404],
  hubEw: /*      Sydjylland EW*/ [404, 200, 200, 404],
  kkr: /*        KKR reader   */ [404, 404, 404, 404],
};

/** GET /engagements/{id} of the hub's Early Warning engagement: never shared, whatever the consent. */
const EARLY_WARNING: Record<Role, number> = { owner: 404, otherLocal: 404, hub: 404, hubEw: 200, kkr: 404 };

const cases = consentStates.flatMap((consent, column) =>
  roles.map((role) => ({ role, consent, normal: NORMAL[role][column], earlyWarning: EARLY_WARNING[role] })),
);

interface Scenario {
  cvr: string;
  normalId: string;
  normalActivityId: string;
  contactId: string;
  ewId: string;
  ewActivityId: string;
  consentId: string | null;
  /** Strings that appear only in the normal engagement, its activity and contact. */
  normalSecrets: string[];
  /** Strings that appear only in the Early Warning engagement and its activity. */
  ewSecrets: string[];
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

describe('access matrix: engagements, activities and contacts across organisations', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Role | 'ownerManager', Api>;
  let org: Record<'sonderborg' | 'aabenraa' | 'hub' | 'kkr', string>;
  const scenarios = {} as Record<ConsentState, Scenario>;
  let ewOnlyCvr: string;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await importCvrFile(t.database, cvrFixture);
    await upsertCompanies(t.database, generateCompanies(1000, 11));
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, aabenraa: orgKeys.aabenraa, hub: orgKeys.sydjylland, kkr: orgKeys.kkrSyddanmark })) as typeof org;
    await createUser(t.database, { email: 'owner@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'manager@sonderborg.dk', role: 'manager', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    api.owner = apiAs(t, await login(t.app, 'owner@sonderborg.dk'));
    api.ownerManager = apiAs(t, await login(t.app, 'manager@sonderborg.dk'));
    api.otherLocal = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    api.hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    api.hubEw = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    api.kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));

    const ewCategory = await earlyWarningCategory(api.hubEw, org.hub);
    const sonderborgCompanies = await companiesIn(t.database, 540);
    expect(sonderborgCompanies.length).toBeGreaterThanOrEqual(5);

    for (const [index, state] of consentStates.entries()) {
      const cvr = sonderborgCompanies[index]!;
      const normal = await createEngagement(api.owner, { companyCvr: cvr, description: `NORMAL-FORLOEB-${state}` });
      const contact = await createContact(api.owner, cvr, { name: `Kontakt Person ${state}`, email: `kontakt-${state}@firma.dk`, phone: '+45 12 34 56 78' });
      const normalActivity = await createActivity(api.owner, normal.id, { subject: `NORMAL-MOEDE-${state}`, contactId: contact.id });
      let consentId: string | null = null;
      if (state === 'all' || state === 'withdrawn') consentId = (await recordConsent(api.owner, cvr, { scope: 'all' })).id;
      if (state === 'named') consentId = (await recordConsent(api.owner, cvr, { scope: 'named', organisationIds: [org.hub] })).id;
      // Early Warning both ways: by the confidential category, and by the confidential flag.
      const ew = await createEngagement(api.hubEw, index % 2 === 0 ? { companyCvr: cvr, deliveryCategoryId: ewCategory, description: `EW-FORLOEB-${state}` } : { companyCvr: cvr, confidential: true, description: `EW-FORLOEB-${state}` });
      expect(ew.confidential).toBe(true);
      // Where the hub may see Sønderborg's contact person, the EW team names them in its activity.
      const sharedWithHub = state === 'all' || state === 'named';
      const ewActivity = await createActivity(api.hubEw, ew.id, { subject: `EW-MOEDE-${state}`, notes: `EW-NOTAT-${state}`, ...(sharedWithHub ? { contactId: contact.id } : {}) });
      if (state === 'withdrawn') expectStatus(await api.owner.post(`/consents/${consentId}/withdraw`, { note: 'Virksomheden trak samtykket tilbage' }), 200);
      scenarios[state] = {
        cvr,
        normalId: normal.id,
        normalActivityId: normalActivity.id,
        contactId: contact.id,
        ewId: ew.id,
        ewActivityId: ewActivity.id,
        consentId,
        normalSecrets: [`NORMAL-FORLOEB-${state}`, `NORMAL-MOEDE-${state}`, `Kontakt Person ${state}`, `kontakt-${state}@firma.dk`],
        ewSecrets: [`EW-FORLOEB-${state}`, `EW-MOEDE-${state}`, `EW-NOTAT-${state}`],
      };
    }
    // A fifth company in Sønderborg with nothing but an Early Warning engagement: it lifts the
    // municipality to 5 companies in the statistics, where it is counted but never listed.
    ewOnlyCvr = sonderborgCompanies[4]!;
    await createEngagement(api.hubEw, { companyCvr: ewOnlyCvr, deliveryCategoryId: ewCategory, description: 'EW-FORLOEB-ewonly' });
    // Two companies in Aabenraa: a group below the suppression limit.
    for (const cvr of (await companiesIn(t.database, 580)).slice(0, 2)) await createEngagement(api.otherLocal, { companyCvr: cvr, description: 'Aabenraa-forløb' });
  });

  it.each(cases)('$role, consent $consent: normal engagement $normal, Early Warning $earlyWarning, and nothing hidden in lists', async ({ role, consent, normal, earlyWarning }) => {
    const s = scenarios[consent];
    const as = api[role];
    const normalVisible = normal === 200;
    const ewVisible = earlyWarning === 200;
    const bodies: string[] = [];

    const normalResponse = await as.get(`/engagements/${s.normalId}`);
    expect(normalResponse.statusCode).toBe(normal);
    bodies.push(normalResponse.body);
    if (normalVisible) expect(ids(normalResponse.json().activities)).toEqual([s.normalActivityId]);
    else expect(problem(normalResponse)).toMatchObject({ status: 404, type: expect.stringContaining('application/problem+json') });

    const ewResponse = await as.get(`/engagements/${s.ewId}`);
    expect(ewResponse.statusCode).toBe(earlyWarning);
    bodies.push(ewResponse.body);
    if (ewVisible) expect(ids(ewResponse.json().activities)).toEqual([s.ewActivityId]);

    // Single records an aggregate-only reader may not see are 404; CRM lists and reads are 403.
    const exportResponse = await as.get(`/contacts/${s.contactId}/export`);
    bodies.push(exportResponse.body);
    expect(exportResponse.statusCode).toBe(role === 'kkr' || !normalVisible ? 404 : 403);

    const search = await as.get(`/companies?q=${s.cvr}`);
    expect(ids(expectStatus(search, 200).items.map((c: { cvr: string }) => ({ id: c.cvr })))).toEqual([s.cvr]);
    bodies.push(search.body);

    if (role === 'kkr') {
      for (const url of [`/companies/${s.cvr}/engagements`, `/companies/${s.cvr}/timeline`, `/companies/${s.cvr}/contacts`, `/companies/${s.cvr}/consents`, '/engagements', '/referrals', '/me/work', '/lists']) {
        const response = await as.get(url);
        expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
        bodies.push(response.body);
      }
    } else {
      const companyEngagements = await as.get(`/companies/${s.cvr}/engagements`);
      const expectedEngagements = [...(normalVisible ? [s.normalId] : []), ...(ewVisible ? [s.ewId] : [])].sort();
      expect(ids(expectStatus(companyEngagements, 200).items)).toEqual(expectedEngagements);

      const timeline = expectStatus(await as.get(`/companies/${s.cvr}/timeline`), 200) as { items: { kind: string; id: string }[] };
      expect(ids(timeline.items.filter((i) => i.kind === 'engagement'))).toEqual(expectedEngagements);
      expect(ids(timeline.items.filter((i) => i.kind === 'activity'))).toEqual([...(normalVisible ? [s.normalActivityId] : []), ...(ewVisible ? [s.ewActivityId] : [])].sort());

      const contacts = await as.get(`/companies/${s.cvr}/contacts`);
      expect(ids(expectStatus(contacts, 200).items)).toEqual(normalVisible ? [s.contactId] : []);

      // The organisation's own list: its own engagements only, Early Warning only for the EW team.
      const own = expectStatus(await as.get('/engagements?pageSize=100'), 200) as { items: { id: string; organisation: { id: string }; confidential: boolean }[] };
      const ownOrg = { owner: org.sonderborg, otherLocal: org.aabenraa, hub: org.hub, hubEw: org.hub }[role];
      expect(own.items.every((e) => e.organisation.id === ownOrg)).toBe(true);
      expect(own.items.some((e) => e.id === s.normalId)).toBe(role === 'owner');
      expect(own.items.some((e) => e.id === s.ewId)).toBe(role === 'hubEw');
      if (role !== 'hubEw') expect(own.items.filter((e) => e.confidential)).toEqual([]);

      const work = expectStatus(await as.get('/me/work'), 200);
      expect(work.openEngagements.some((e: { id: string }) => e.id === s.ewId)).toBe(role === 'hubEw');

      bodies.push(companyEngagements.body, JSON.stringify(timeline), contacts.body, JSON.stringify(own), JSON.stringify(work));
    }

    const hidden = [...(normalVisible ? [] : s.normalSecrets), ...(ewVisible ? [] : s.ewSecrets)];
    for (const body of bodies) for (const secret of hidden) expect(body).not.toContain(secret);
  });

  it('keeps Early Warning out of the owning organisation’s data-protection export of a contact it names', async () => {
    const s = scenarios.all;
    const data = expectStatus(await api.ownerManager.get(`/contacts/${s.contactId}/export`), 200);
    expect(data.contact).toMatchObject({ id: s.contactId, name: 'Kontakt Person all' });
    expect(ids(data.activities)).toEqual([s.normalActivityId]);
    for (const secret of s.ewSecrets) expect(JSON.stringify(data)).not.toContain(secret);
    // The EW team itself still sees its activity naming the contact.
    const detail = expectStatus(await api.hubEw.get(`/engagements/${s.ewId}`), 200);
    expect(detail.activities[0]).toMatchObject({ id: s.ewActivityId, contact: { id: s.contactId } });
  });

  it('answers 404, never 403, for an engagement that does not exist', async () => {
    for (const role of roles) expect((await api[role].get('/engagements/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  describe('aggregates', () => {
    // Statistics are of whole years that have ended, for everyone (server/test/security/disclosure.test.ts covers the rule).
    const statisticsRoles: Role[] = [...roles];

    it.each(statisticsRoles)('%s is refused the running year, naming the field', async (role) => {
      const body = expectStatus(await api[role].get('/statistics/engagements?year=2026&groupBy=municipality'), 400);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'year' })]);
    });

    it.each(statisticsRoles)('%s sees the same suppressed statistics, Early Warning counted but small groups hidden', async (role) => {
      t.clock.now = new Date('2027-01-15T09:00:00Z');
      const response = await api[role].get('/statistics/engagements?year=2026&groupBy=municipality').finally(() => (t.clock.now = new Date('2026-11-27T09:00:00Z')));
      const body = expectStatus(response, 200) as {
        suppressionLimit: number;
        groups: { key: string; label: string; companies: number | null; engagements: number | null; suppressed: boolean }[];
      };
      expect(body.suppressionLimit).toBe(5);
      // Aabenraa: 2 companies, below the limit; Sønderborg (5 companies) hidden with it, or the hub's total would give Aabenraa away.
      expect(body.groups.find((g) => g.key === '580')).toEqual({ key: '580', label: 'Aabenraa', companies: null, engagements: null, suppressed: true });
      expect(body.groups.find((g) => g.key === '540')).toEqual({ key: '540', label: 'Sønderborg', companies: null, engagements: null, suppressed: true });
      // The hub counts Early Warning: Sønderborg's 4 companies with a normal and an EW engagement each and one with only EW (9), and Aabenraa's 2.
      t.clock.now = new Date('2027-01-15T09:00:00Z');
      const hubs = await api[role].get('/statistics/engagements?year=2026&groupBy=hub').finally(() => (t.clock.now = new Date('2026-11-27T09:00:00Z')));
      expect(expectStatus(hubs, 200).groups).toEqual([{ key: org.hub, label: 'Erhvervshus Sydjylland', companies: 7, engagements: 11, suppressed: false }]);
      for (const group of body.groups) {
        if (group.suppressed) expect(group).toMatchObject({ companies: null, engagements: null });
        else expect(group.companies).toBeGreaterThanOrEqual(5);
      }
      expect(JSON.stringify(body)).not.toMatch(/EW-|NORMAL-|Kontakt Person/);
    });

    it('never lists the Early Warning-only company’s engagement outside the EW team', async () => {
      for (const role of roles) {
        if (role === 'kkr') continue;
        const list = expectStatus(await api[role].get(`/companies/${ewOnlyCvr}/engagements`), 200);
        expect(list.items).toHaveLength(role === 'hubEw' ? 1 : 0);
        const timeline = expectStatus(await api[role].get(`/companies/${ewOnlyCvr}/timeline`), 200);
        expect(timeline.items).toHaveLength(role === 'hubEw' ? 1 : 0);
      }
    });
  });

  describe('withdrawing consent', () => {
    let cvr: string;
    let consentId: string;
    let engagementId: string;
    let activityIds: string[];
    let contactId: string;

    beforeAll(async () => {
      cvr = (await companiesIn(t.database, 550))[0]!;
      const engagement = await createEngagement(api.owner, { companyCvr: cvr, description: 'Delt forløb' });
      engagementId = engagement.id;
      contactId = (await createContact(api.owner, cvr, { name: 'Delt Kontakt', email: 'delt@firma.dk' })).id;
      const onEngagement = await createActivity(api.owner, engagementId, { subject: 'Delt møde', contactId });
      const onCompany = expectStatus(await api.owner.post(`/companies/${cvr}/activities`, { type: 'call', occurredOn: '2026-11-25', subject: 'Delt opkald' }), 201);
      activityIds = [onEngagement.id, onCompany.id].sort();
      consentId = (await recordConsent(api.owner, cvr, { scope: 'all' })).id;
    });

    const others: Role[] = ['otherLocal', 'hub'];

    it.each(others)('%s sees the shared engagement, activities and contact while the consent is active', async (role) => {
      expect((await api[role].get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      expect(ids(expectStatus(await api[role].get(`/companies/${cvr}/engagements`), 200).items)).toEqual([engagementId]);
      expect(ids(expectStatus(await api[role].get(`/companies/${cvr}/contacts`), 200).items)).toEqual([contactId]);
      const timeline = expectStatus(await api[role].get(`/companies/${cvr}/timeline`), 200);
      expect(ids(timeline.items.filter((i: { kind: string }) => i.kind === 'activity'))).toEqual(activityIds);
    });

    it('hides everything from other organisations on the very next request after withdrawal', async () => {
      const withdrawn = expectStatus(await api.owner.post(`/consents/${consentId}/withdraw`, {}), 200);
      expect(withdrawn).toMatchObject({ id: consentId, active: false, withdrawnAt: expect.any(String) });
      for (const role of others) {
        expect((await api[role].get(`/engagements/${engagementId}`)).statusCode).toBe(404);
        expect(expectStatus(await api[role].get(`/companies/${cvr}/engagements`), 200).items).toEqual([]);
        expect(expectStatus(await api[role].get(`/companies/${cvr}/contacts`), 200).items).toEqual([]);
        const timeline = await api[role].get(`/companies/${cvr}/timeline`);
        // What is left is the consent itself, given and withdrawn (those it covered may know of it: consentVisible).
        const items = expectStatus(timeline, 200).items as { kind: string; event?: string }[];
        expect(items.map((i) => `${i.kind}:${i.event}`)).toEqual(['consent:withdrawn', 'consent:given']);
        expect(timeline.body).not.toMatch(/Delt/);
      }
      // The owner keeps its own records.
      expect((await api.owner.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      expect(ids(expectStatus(await api.owner.get(`/companies/${cvr}/contacts`), 200).items)).toEqual([contactId]);
    });

    it('refuses to withdraw a consent twice (409)', async () => {
      expect((await api.owner.post(`/consents/${consentId}/withdraw`, {})).statusCode).toBe(409);
    });

    it('hides shared records once a consent has expired, without anyone withdrawing it', async () => {
      await recordConsent(api.owner, cvr, { scope: 'named', organisationIds: [org.hub] });
      const withExpiry = await api.owner.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'named', organisationIds: [org.aabenraa], givenByName: 'Direktør Hansen', channel: 'email', expiresAt: '2026-12-01' });
      expect(expectStatus(withExpiry, 201)).toMatchObject({ active: true, expiresAt: '2026-12-01T00:00:00.000Z' });
      expect((await api.otherLocal.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      try {
        t.clock.now = new Date('2026-12-01T00:00:01Z');
        expect((await api.otherLocal.get(`/engagements/${engagementId}`)).statusCode).toBe(404);
        expect(expectStatus(await api.otherLocal.get(`/companies/${cvr}/contacts`), 200).items).toEqual([]);
        // The hub's consent has no expiry.
        expect((await api.hub.get(`/engagements/${engagementId}`)).statusCode).toBe(200);
      } finally {
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
    });
  });

  /**
   * Who recorded the consent (scope: all actors), for Sønderborg's normal engagement. A consent opens
   * only its recorder's records, so only the owner's own consent opens them; one confirmed from the
   * public form belongs to the organisation that confirmed it.
   *                                      otherLocal  hub  hubEw  kkr                                   */
  const RECORDER: Record<'owner' | 'otherOrganisation' | 'receiverItself' | 'webConfirmedByOwner' | 'webConfirmedByHub', [number, number, number, number]> = {
    owner: /*               */ [200, 200, 200, 404],
    otherOrganisation: /*   */ [404, 404, 404, 404],
    receiverItself: /*      */ [404, 404, 404, 404],
    webConfirmedByOwner: /* */ [200, 200, 200, 404],
    webConfirmedByHub: /*   */ [404, 404, 404, 404],
  };
  const readers: Role[] = ['otherLocal', 'hub', 'hubEw', 'kkr'];

  describe('who recorded the consent', () => {
    let pool: string[];
    beforeAll(async () => {
      pool = [...(await companiesIn(t.database, 561)), ...(await companiesIn(t.database, 621)), ...(await companiesIn(t.database, 630))];
      expect(pool.length).toBeGreaterThanOrEqual(Object.keys(RECORDER).length + readers.length + 1);
    });

    it.each(Object.entries(RECORDER).map(([recorder, statuses], index) => ({ recorder, statuses, index })))('recorded by $recorder: $statuses', async ({ recorder, statuses, index }) => {
      const cvr = pool[index]!;
      const normal = await createEngagement(api.owner, { companyCvr: cvr, description: `RECORDER-${recorder}` });
      if (recorder === 'owner') await recordConsent(api.owner, cvr, { scope: 'all' });
      if (recorder === 'otherOrganisation') await recordConsent(api.otherLocal, cvr, { scope: 'all' });
      if (recorder === 'receiverItself') await recordConsent(api.hub, cvr, { scope: 'all' });
      if (recorder.startsWith('web')) {
        const lead = expectStatus(
          await t.app.inject({
            method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': `matrix-${recorder}-key` },
            payload: { cvr, contact: { name: 'Web Giver', email: 'web@firma.dk' }, need: 'Hjælp.', themes: [], consents: { sharing: true, evaluation: false } },
          }),
          201,
        ) as { id: string; organisation: { id: string } };
        // The lead lands with the company's own municipality; let the owner and the hub reach it for this matrix.
        await t.database.rows(sql`UPDATE guidance_requests SET organisation_id = ${org.sonderborg}, hub_id = ${org.hub} WHERE id = ${lead.id}`);
        const confirmer = recorder === 'webConfirmedByOwner' ? api.owner : api.hub;
        expectStatus(await confirmer.post(`/guidance-requests/${lead.id}/confirm-consents`, {}), 200);
      }
      for (const [column, role] of readers.entries()) {
        expect({ role, status: (await api[role].get(`/engagements/${normal.id}`)).statusCode }).toEqual({ role, status: statuses[column] });
      }
      expect((await api.owner.get(`/engagements/${normal.id}`)).statusCode).toBe(200);
    });
  });

  /**
   * Who may withdraw a consent Sønderborg recorded for the hub only (named): the recorder and the
   * organisations it covers; others are told it does not exist; aggregate-only readers cannot write.
   */
  const WITHDRAW: Record<Role, number> = { owner: 200, otherLocal: 404, hub: 200, hubEw: 200, kkr: 403 };

  describe('withdrawal rights', () => {
    it.each(roles.map((role, index) => ({ role, status: WITHDRAW[role], index })))('$role: $status', async ({ role, status, index }) => {
      const cvr = (await companiesIn(t.database, 657))[index] ?? (await companiesIn(t.database, 661))[index]!;
      const consentId = (await recordConsent(api.owner, cvr, { scope: 'named', organisationIds: [org.hub] })).id;
      const response = await api[role].post(`/consents/${consentId}/withdraw`, {});
      expect(response.statusCode).toBe(status);
      const [row] = await t.database.rows<{ withdrawn: boolean }>(sql`SELECT withdrawn_at IS NOT NULL AS withdrawn FROM consents WHERE id = ${consentId}`);
      expect(row!.withdrawn).toBe(status === 200);
      if (status === 404) await expectSameAsUnknown(response, consentId, (other) => api[role].post(`/consents/${other}/withdraw`, {}));
    });
  });
});
