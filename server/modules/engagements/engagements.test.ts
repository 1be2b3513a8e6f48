import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import {
  apiAs,
  companiesIn,
  createActivity,
  createEngagement,
  CRM_TABLES,
  earlyWarningCategory,
  expectStatus,
  organisationIds,
  recordConsent,
  snapshot,
  type Api,
} from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

describe('engagements (vejledningsforløb)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let colleague: Api;
  let ew: Api;
  let hubReader: Api;
  let aabenraa: Api;
  let sonderborg: Api;
  let org: Record<'hub' | 'fyn' | 'aabenraa', string>;
  let colleagueId: string;
  let aabenraaUserId: string;
  let ewCategory: string;
  let cvrs: string[];
  let before: Record<string, number>;

  const engagementRow = async (id: string) => {
    const [row] = await t.database.rows<{ version: number; status: string; description: string; outcome: string | null; delivery_category_id: string | null; confidential: boolean }>(
      sql`SELECT version, status, description, outcome, delivery_category_id, confidential FROM engagements WHERE id = ${id}`,
    );
    return row;
  };
  const unchanged = async () => expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(1000, 3));
    org = (await organisationIds(t.database, { hub: orgKeys.sydjylland, fyn: orgKeys.fyn, aabenraa: orgKeys.aabenraa })) as typeof org;
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    colleagueId = await createUser(t.database, { email: 'colleague@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'reader@sydjylland.dk', role: 'reader', org: orgKeys.sydjylland });
    aabenraaUserId = await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    adviser = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    colleague = apiAs(t, await login(t.app, 'colleague@sydjylland.dk'));
    ew = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    hubReader = apiAs(t, await login(t.app, 'reader@sydjylland.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    sonderborg = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    ewCategory = await earlyWarningCategory(adviser, org.hub);
    cvrs = await companiesIn(t.database, 540);
  });

  beforeEach(async () => {
    before = await snapshot(t.database, CRM_TABLES);
  });

  it('opens an engagement on a company, owned by the caller’s organisation, at version 1', async () => {
    const created = expectStatus(await adviser.post('/engagements', { companyCvr: cvrs[0], level: 'specialised', themes: ['export'], description: 'Eksportplan' }), 201);
    expect(created).toMatchObject({
      company: { cvr: cvrs[0] },
      organisation: { id: org.hub, name: 'Erhvervshus Sydjylland' },
      level: 'specialised',
      status: 'open',
      openedOn: '2026-11-27',
      closedOn: null,
      confidential: false,
      version: 1,
    });
    const [entry] = await t.database.rows<{ action: string; entity_id: string }>(sql`SELECT action, entity_id FROM audit_log WHERE entity = 'engagement' AND action = 'create' ORDER BY id DESC LIMIT 1`);
    expect(entry).toEqual({ action: 'create', entity_id: created.id });
  });

  it.each([
    { name: 'a company that does not exist', payload: { companyCvr: '10000009', level: 'basic' } },
    { name: 'a CVR with a wrong check digit', payload: { companyCvr: '35682873', level: 'basic' } },
    { name: 'no company and no prospect', payload: { level: 'basic' } },
  ])('answers 400 naming companyCvr for $name, and changes nothing', async ({ payload }) => {
    const response = await adviser.post('/engagements', payload);
    expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'companyCvr' }] } });
    await unchanged();
  });

  it('answers 400 for a responsible adviser of another organisation and a category of another hub', async () => {
    const foreign = await adviser.post('/engagements', { companyCvr: cvrs[0], level: 'basic', responsibleUserId: aabenraaUserId });
    expect(problem(foreign)).toMatchObject({ status: 400, body: { errors: [{ field: 'responsibleUserId' }] } });
    const fynCategory = expectStatus(await adviser.get(`/organisations/${org.fyn}/delivery-categories`), 200).items[0].id;
    const category = await adviser.post('/engagements', { companyCvr: cvrs[0], level: 'basic', deliveryCategoryId: fynCategory });
    expect(problem(category)).toMatchObject({ status: 400, body: { errors: [{ field: 'deliveryCategoryId' }] } });
    await unchanged();
  });

  it('lets a colleague be responsible', async () => {
    const created = await createEngagement(adviser, { companyCvr: cvrs[1], responsibleUserId: colleagueId });
    expect(expectStatus(await colleague.get('/me/work'), 200).openEngagements.map((e: { id: string }) => e.id)).toContain(created.id);
  });

  it('forbids a reader to open engagements (403) and changes nothing', async () => {
    expect((await hubReader.post('/engagements', { companyCvr: cvrs[0], level: 'basic' })).statusCode).toBe(403);
    await unchanged();
  });

  describe('optimistic locking', () => {
    let id: string;
    beforeAll(async () => {
      id = (await createEngagement(adviser, { companyCvr: cvrs[2], description: 'Første udgave' })).id;
    });

    it('changes an engagement naming the version read, and bumps the version', async () => {
      const changed = expectStatus(await adviser.patch(`/engagements/${id}`, { version: 1, description: 'Anden udgave', level: 'specialised' }), 200);
      expect(changed).toMatchObject({ description: 'Anden udgave', level: 'specialised', version: 2, abilities: { change: true, logActivity: true, close: true, refer: true } });
    });

    it('answers 409 for a stale version and leaves the engagement and the audit log unchanged', async () => {
      const response = await colleague.patch(`/engagements/${id}`, { version: 1, description: 'Overskrevet' });
      expect(problem(response)).toMatchObject({ status: 409, type: expect.stringContaining('application/problem+json') });
      expect(await engagementRow(id)).toMatchObject({ version: 2, description: 'Anden udgave' });
      await unchanged();
    });

    it('answers 409 for closing with a stale version, and changes nothing', async () => {
      const response = await adviser.post(`/engagements/${id}/close`, { version: 1, outcome: 'Afsluttet' });
      expect(problem(response).status).toBe(409);
      expect(await engagementRow(id)).toMatchObject({ version: 2, status: 'open', outcome: null });
      await unchanged();
    });

    it('closes with an outcome; closing a closed engagement is a conflict (409) that changes nothing', async () => {
      const closed = expectStatus(await adviser.post(`/engagements/${id}/close`, { version: 2, outcome: 'Eksportplan på plads', closedOn: '2026-11-27' }), 200);
      // Closed is the engagement's state: the abilities stay the owner's, and the web reads the status beside them.
      expect(closed).toMatchObject({ status: 'closed', outcome: 'Eksportplan på plads', closedOn: '2026-11-27', version: 3, abilities: { change: true, close: true } });
      before = await snapshot(t.database, CRM_TABLES);
      const again = await adviser.post(`/engagements/${id}/close`, { version: 3, outcome: 'Igen' });
      expect(problem(again).status).toBe(409);
      expect(await engagementRow(id)).toMatchObject({ version: 3, status: 'closed', outcome: 'Eksportplan på plads' });
      await unchanged();
    });

    it('refuses a closing date before the opening date (400 closedOn)', async () => {
      const other = await createEngagement(adviser, { companyCvr: cvrs[2] });
      before = await snapshot(t.database, CRM_TABLES);
      const response = await adviser.post(`/engagements/${other.id}/close`, { version: 1, outcome: 'x', closedOn: '2020-01-01' });
      expect(problem(response)).toMatchObject({ status: 400, body: { errors: [{ field: 'closedOn' }] } });
      expect(await engagementRow(other.id)).toMatchObject({ version: 1, status: 'open' });
      await unchanged();
    });
  });

  describe('Early Warning (confidential)', () => {
    let ewId: string;
    let ewActivityId: string;
    let normalId: string;
    let normalActivityId: string;
    let cvr: string;

    beforeAll(async () => {
      cvr = cvrs[3]!;
      // The company shares everything with all actors: Early Warning must still stay closed.
      await recordConsent(adviser, cvr, { scope: 'all' });
      normalId = (await createEngagement(adviser, { companyCvr: cvr, description: 'Almindeligt forløb' })).id;
      normalActivityId = (await createActivity(adviser, normalId, { subject: 'Almindeligt møde' })).id;
    });

    it.each([
      { name: 'the confidential flag', body: () => ({ confidential: true }) },
      { name: 'the Early Warning category', body: () => ({ deliveryCategoryId: ewCategory }) },
    ])('forbids an adviser without the EW permission to open one by $name (403), changing nothing', async ({ body }) => {
      const response = await adviser.post('/engagements', { companyCvr: cvr, level: 'basic', ...body() });
      expect(problem(response).status).toBe(403);
      await unchanged();
    });

    it('lets the EW team open one', async () => {
      const created = await createEngagement(ew, { companyCvr: cvr, deliveryCategoryId: ewCategory, description: 'Likviditetskrise' });
      expect(created.confidential).toBe(true);
      ewId = created.id;
      ewActivityId = (await createActivity(ew, ewId, { subject: 'Krisemøde med banken', notes: 'Fortroligt' })).id;
    });

    it('hides its activities from non-EW users in the timeline, in their own organisation and elsewhere', async () => {
      for (const as of [adviser, colleague, aabenraa, sonderborg]) {
        const timeline = expectStatus(await as.get(`/companies/${cvr}/timeline`), 200);
        // The consent that shares the company is on the timeline too (consentVisible); the records are what matters here.
        const kinds = timeline.items.filter((i: { kind: string }) => i.kind !== 'consent').map((i: { kind: string; id: string }) => `${i.kind}:${i.id}`).sort();
        expect(kinds).toEqual([`activity:${normalActivityId}`, `engagement:${normalId}`].sort());
        expect(JSON.stringify(timeline)).not.toMatch(/Krisemøde|Fortroligt|Likviditetskrise|Early Warning/);
      }
      const own = expectStatus(await ew.get(`/companies/${cvr}/timeline`), 200);
      expect(own.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([ewId, ewActivityId, normalId, normalActivityId]));
    });

    it('answers 404 to non-EW users who try to read, change, close or add to it, and changes nothing', async () => {
      for (const as of [adviser, aabenraa]) {
        expect((await as.get(`/engagements/${ewId}`)).statusCode).toBe(404);
        expect((await as.patch(`/engagements/${ewId}`, { version: 2, description: 'x' })).statusCode).toBe(404);
        expect((await as.post(`/engagements/${ewId}/close`, { version: 1, outcome: 'x' })).statusCode).toBe(404);
        expect((await as.post(`/engagements/${ewId}/activities`, { type: 'note', occurredOn: '2026-11-27', subject: 'x' })).statusCode).toBe(404);
      }
      expect(await engagementRow(ewId)).toMatchObject({ version: 1, status: 'open', description: 'Likviditetskrise' });
      await unchanged();
    });

    it('refuses to move a normal engagement into the Early Warning category (403), changing nothing', async () => {
      const response = await adviser.patch(`/engagements/${normalId}`, { version: 1, deliveryCategoryId: ewCategory });
      expect(problem(response).status).toBe(403);
      expect(await engagementRow(normalId)).toMatchObject({ version: 1, delivery_category_id: null, confidential: false });
      await unchanged();
    });

    it('lets another organisation read a shared engagement but not change it (403), changing nothing', async () => {
      expect((await aabenraa.get(`/engagements/${normalId}`)).statusCode).toBe(200);
      expect((await aabenraa.patch(`/engagements/${normalId}`, { version: 1, description: 'Fremmed ændring' })).statusCode).toBe(403);
      expect((await aabenraa.post(`/engagements/${normalId}/activities`, { type: 'note', occurredOn: '2026-11-27', subject: 'Fremmed note' })).statusCode).toBe(403);
      expect(await engagementRow(normalId)).toMatchObject({ version: 1, description: 'Almindeligt forløb' });
      await unchanged();
    });

    it('sends with every engagement what the caller may do with it: all for its owner, no referral of an Early Warning one, nothing for a reader under consent', async () => {
      const all = { change: true, logActivity: true, close: true, refer: true };
      const none = { change: false, logActivity: false, close: false, refer: false };
      expect(expectStatus(await adviser.get(`/engagements/${normalId}`), 200).abilities).toEqual(all);
      expect(expectStatus(await adviser.get('/engagements?status=open'), 200).items.find((e: { id: string }) => e.id === normalId).abilities).toEqual(all);
      expect(expectStatus(await ew.get(`/engagements/${ewId}`), 200).abilities).toEqual({ ...all, refer: false });
      expect(expectStatus(await ew.get(`/companies/${cvr}/engagements`), 200).items.find((e: { id: string }) => e.id === ewId).abilities).toEqual({ ...all, refer: false });
      // Aabenraa sees Sydjylland's engagement under the company's consent to share with all, and may do nothing with it.
      expect(expectStatus(await aabenraa.get(`/engagements/${normalId}`), 200).abilities).toEqual(none);
      expect(expectStatus(await aabenraa.get(`/companies/${cvr}/engagements`), 200).items.find((e: { id: string }) => e.id === normalId).abilities).toEqual(none);
      // A reader of the owning organisation reads it, and may change nothing either.
      expect(expectStatus(await hubReader.get(`/engagements/${normalId}`), 200).abilities).toEqual(none);
    });

    it('cannot be referred to anyone', async () => {
      const response = await ew.post(`/engagements/${ewId}/referrals`, { toOrganisationId: org.aabenraa, reason: 'x', needs: 'y', consent: { givenByName: 'Ejer', channel: 'phone' } });
      expect(response.statusCode).toBe(400);
      await unchanged();
    });
  });
});
