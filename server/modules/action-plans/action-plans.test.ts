import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createEngagement, expectStatus, longSessions, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { ActionPlan } from './schemas.ts';

const START = new Date('2026-11-27T09:00:00Z');
const FORGED = '00000000-0000-4000-8000-000000000000';

describe('action plans (handleplaner)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let owner: Api;
  let ownerReader: Api;
  let hub: Api;
  let hubEw: Api;
  let aabenraa: Api;
  let kkr: Api;
  let org: Record<string, string>;
  let cvrs: string[];
  let engagements: string[];
  let aabenraaEngagement: string;
  let ewEngagement: string;
  let plan: ActionPlan;

  const del = (api: Api, path: string) => t.app.inject({ method: 'DELETE', url: `/api/v1${path}`, headers: api.session.headers });
  const fieldsOf = (response: Awaited<ReturnType<Api['get']>>) => (problem(response).body.errors ?? []).map((e) => e.field);
  const initiative = (p: ActionPlan, title: string) => p.initiatives.find((i) => i.title === title)!;
  const base = `/action-plans`;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    org = await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, hub: orgKeys.sydjylland, aabenraa: orgKeys.aabenraa, kkr: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'reader@sonderborg.dk', role: 'reader', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    owner = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    ownerReader = apiAs(t, await login(t.app, 'reader@sonderborg.dk'));
    hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubEw = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    cvrs = await companiesIn(t.database, 540);
    engagements = [];
    for (const cvr of cvrs.slice(0, 3)) engagements.push((await createEngagement(owner, { companyCvr: cvr, description: 'Eksport til Tyskland' })).id);
    aabenraaEngagement = (await createEngagement(aabenraa, { companyCvr: (await companiesIn(t.database, 580))[0], description: 'Aabenraas eget forløb' })).id;
    ewEngagement = (await createEngagement(hubEw, { companyCvr: cvrs[5], level: 'specialised', confidential: true, description: 'Konkurstruet' })).id;
  });

  describe('creating and reading a plan', () => {
    it('lets an adviser create a plan for their own organisation; everyone signed in reads it', async () => {
      plan = expectStatus(
        await owner.post(base, { title: '  Handleplan for internationalisering  ', periodStart: '2021-01-01', periodEnd: '2024-12-31', focusAreas: ['Tyskland', 'Kina'], description: 'Formål' }),
        201,
      );
      expect(plan).toMatchObject({ title: 'Handleplan for internationalisering', owner: { id: org.sonderborg }, focusAreas: ['Tyskland', 'Kina'], initiatives: [], abilities: { change: true, delete: true, manage: true } });
      for (const reader of [ownerReader, hub, aabenraa, kkr]) {
        const read = expectStatus(await reader.get(`${base}/${plan.id}`), 200) as ActionPlan;
        expect(read.title).toBe(plan.title);
        expect(read.abilities).toEqual({ change: false, delete: false, manage: false });
        const list = expectStatus(await reader.get(base), 200);
        expect(list.items.map((p: { id: string }) => p.id)).toContain(plan.id);
      }
    });

    it('offers the section to everyone and creation to writers only', async () => {
      for (const [api, create] of [[owner, true], [ownerReader, false], [kkr, false], [hub, true]] as const) {
        const session = expectStatus(await api.get('/auth/session'), 200);
        expect(session.abilities.sections.actionPlans).toBe(true);
        expect(session.abilities.create.actionPlan).toBe(create);
        expect(expectStatus(await api.get(base), 200).abilities.create).toBe(create);
      }
      const before = await count(t.database, 'action_plans');
      expect((await ownerReader.post(base, { title: 'X', periodStart: '2026-01-01', periodEnd: '2026-12-31' })).statusCode).toBe(403);
      expect((await kkr.post(base, { title: 'X', periodStart: '2026-01-01', periodEnd: '2026-12-31' })).statusCode).toBe(403);
      expect(await count(t.database, 'action_plans')).toBe(before);
    });

    it('refuses bad input with field errors, in the language asked, and changes nothing', async () => {
      const before = await count(t.database, 'action_plans');
      const cases: [object, string][] = [
        [{ title: 'X', periodStart: '2026-12-31', periodEnd: '2026-01-01' }, 'periodEnd'],
        [{ title: 'X', periodStart: '2026-02-30', periodEnd: '2026-12-31' }, 'periodStart'],
        [{ title: 'X', periodStart: '31-12-2026', periodEnd: '2026-12-31' }, 'periodStart'],
        [{ title: '    ', periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'x'.repeat(301), periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'X', periodStart: '2026-01-01', periodEnd: '2026-12-31', focusAreas: ['   '] }, 'focusAreas.0'],
        [{ title: 'X', periodStart: '2026-01-01', periodEnd: '2026-12-31', description: 'x'.repeat(10_001) }, 'description'],
        [{ title: 'X', periodStart: '2026-01-01', periodEnd: '2026-12-31', ownerOrganisationId: org.aabenraa }, 'body'],
      ];
      for (const [body, field] of cases) {
        const response = await owner.post(base, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(fieldsOf(response)).toContain(field);
      }
      const english = await t.app.inject({ method: 'POST', url: `/api/v1${base}`, headers: { ...owner.session.headers, 'accept-language': 'en' }, payload: { title: 'X', periodStart: '2026-12-31', periodEnd: '2026-01-01' } });
      expect(problem(english).body.errors).toEqual([{ field: 'periodEnd', message: 'The end date cannot be before the start date.' }]);
      expect(await count(t.database, 'action_plans')).toBe(before);
      // A change that would put the end before the start is refused the same way.
      expect(fieldsOf(await owner.patch(`${base}/${plan.id}`, { version: plan.version, periodEnd: '2020-01-01' }))).toEqual(['periodEnd']);
    });

    it('answers 404 for a plan that does not exist, and 409 for a stale change', async () => {
      expect((await owner.get(`${base}/${FORGED}`)).statusCode).toBe(404);
      const changed = expectStatus(await owner.patch(`${base}/${plan.id}`, { version: plan.version, title: 'Handleplan for internationalisering 2021–2024' }), 200) as ActionPlan;
      expect(changed.version).toBe(plan.version + 1);
      expect((await owner.patch(`${base}/${plan.id}`, { version: plan.version, title: 'Gammel' })).statusCode).toBe(409);
      plan = changed;
    });
  });

  describe('initiatives and who edits them', () => {
    it('adds initiatives with an outside actor or an organisation responsible, and partners of both kinds', async () => {
      plan = expectStatus(
        await owner.post(`${base}/${plan.id}/initiatives`, {
          title: 'Målrettede arrangementer', focusArea: 'Tyskland', description: 'Der afholdes hvert år arrangementer for de lokale SMV’er.',
          objectives: ['Styrke virksomhedernes viden og kompetencer i forhold til udvikling rettet mod Tyskland.'],
          responsibleName: 'Sønderborg Vækstråd', partnerOrganisationIds: [org.sonderborg, org.hub], partnerNames: ['Erhvervsservice'], status: 'running',
        }),
        201,
      );
      plan = expectStatus(
        await owner.post(`${base}/${plan.id}/initiatives`, { title: 'Kina-netværk', focusArea: 'Kina', objectives: ['Sikre koordinering og vidensdeling.'], responsibleOrganisationId: org.sonderborg }),
        201,
      );
      expect(plan.initiatives.map((i) => [i.position, i.title])).toEqual([[1, 'Målrettede arrangementer'], [2, 'Kina-netværk']]);
      expect(initiative(plan, 'Målrettede arrangementer')).toMatchObject({
        responsible: { organisation: null, name: 'Sønderborg Vækstråd' },
        partners: { organisations: [{ id: org.sonderborg }, { id: org.hub }], names: ['Erhvervsservice'] },
        status: 'running',
        progress: { companiesReached: 0, eventsHeld: 0, referralsMade: 0 },
      });
    });

    it('refuses an initiative without one responsible, without objectives, or naming an unknown organisation', async () => {
      const before = await count(t.database, 'action_plan_initiatives');
      const cases: [object, string][] = [
        [{ title: 'X', objectives: ['o'] }, 'responsibleOrganisationId'],
        [{ title: 'X', objectives: ['o'], responsibleName: 'A', responsibleOrganisationId: org.sonderborg }, 'responsibleOrganisationId'],
        [{ title: 'X', objectives: [], responsibleName: 'A' }, 'objectives'],
        [{ title: 'X', objectives: ['  '], responsibleName: 'A' }, 'objectives.0'],
        [{ title: 'X', objectives: ['o'], responsibleOrganisationId: FORGED }, 'responsibleOrganisationId'],
        [{ title: 'X', objectives: ['o'], responsibleName: 'A', partnerOrganisationIds: [org.hub, FORGED] }, 'partnerOrganisationIds.1'],
        [{ title: 'X', objectives: ['o'], responsibleName: 'A', status: 'finished' }, 'status'],
      ];
      for (const [body, field] of cases) {
        const response = await owner.post(`${base}/${plan.id}/initiatives`, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(fieldsOf(response)).toContain(field);
      }
      expect(await count(t.database, 'action_plan_initiatives')).toBe(before);
    });

    it('lets a partner organisation edit the plan, but not delete it; others may not edit', async () => {
      const seenByHub = expectStatus(await hub.get(`${base}/${plan.id}`), 200) as ActionPlan;
      expect(seenByHub.abilities).toEqual({ change: true, delete: false, manage: false });
      const target = initiative(seenByHub, 'Målrettede arrangementer');
      const changed = expectStatus(await hub.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, status: 'done', position: 2 }), 200) as ActionPlan;
      expect(changed.initiatives.map((i) => [i.position, i.title, i.status])).toEqual([[1, 'Kina-netværk', 'planned'], [2, 'Målrettede arrangementer', 'done']]);
      expect((await del(hub, `${base}/${plan.id}`)).statusCode).toBe(403);
      for (const other of [aabenraa, kkr, ownerReader]) {
        expect((await other.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version + 1, status: 'dropped' })).statusCode).toBe(403);
        expect((await other.post(`${base}/${plan.id}/initiatives`, { title: 'X', objectives: ['o'], responsibleName: 'A' })).statusCode).toBe(403);
        expect((await other.patch(`${base}/${plan.id}`, { version: changed.version, title: 'Kapret' })).statusCode).toBe(403);
      }
      // An initiative id of another plan is not this plan's.
      const otherPlan = expectStatus(await aabenraa.post(base, { title: 'Aabenraas plan', periodStart: '2026-01-01', periodEnd: '2026-12-31' }), 201) as ActionPlan;
      expect((await aabenraa.patch(`${base}/${otherPlan.id}/initiatives/${target.id}`, { version: target.version + 1, status: 'dropped' })).statusCode).toBe(404);
      plan = changed;
    });

    it('records the assessment with its comment, who and when, and audits the changes', async () => {
      const target = initiative(plan, 'Kina-netværk');
      plan = expectStatus(await owner.post(`${base}/${plan.id}/initiatives/${target.id}/assessment`, { version: target.version, assessment: 'at_risk', comment: 'Mødet i foråret blev aflyst.' }), 200);
      expect(initiative(plan, 'Kina-netværk').assessment).toMatchObject({ value: 'at_risk', comment: 'Mødet i foråret blev aflyst.', by: { name: 'adviser' }, at: START.toISOString() });
      expect((await owner.post(`${base}/${plan.id}/initiatives/${target.id}/assessment`, { version: target.version, assessment: 'on_track' })).statusCode).toBe(409);
      expect(fieldsOf(await owner.post(`${base}/${plan.id}/initiatives/${target.id}/assessment`, { version: target.version + 1, assessment: 'great' }))).toEqual(['assessment']);
      const [row] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity LIKE 'action_plan%' AND action IN ('create', 'update')`);
      expect(row!.n).toBeGreaterThanOrEqual(5);
    });

    it('keeps milestones with dates; refuses invalid dates', async () => {
      const target = initiative(plan, 'Kina-netværk');
      plan = expectStatus(await owner.post(`${base}/${plan.id}/initiatives/${target.id}/milestones`, { title: 'Forårsmøde', dueOn: '2026-04-30' }), 201);
      const milestone = initiative(plan, 'Kina-netværk').milestones[0]!;
      expect(milestone).toMatchObject({ title: 'Forårsmøde', dueOn: '2026-04-30', doneOn: null });
      expect(fieldsOf(await owner.post(`${base}/${plan.id}/initiatives/${target.id}/milestones`, { title: 'X', dueOn: '2026-13-01' }))).toEqual(['dueOn']);
      plan = expectStatus(await owner.patch(`${base}/${plan.id}/initiatives/${target.id}/milestones/${milestone.id}`, { doneOn: '2026-05-02' }), 200);
      expect(initiative(plan, 'Kina-netværk').milestones[0]!.doneOn).toBe('2026-05-02');
      expect((await aabenraa.patch(`${base}/${plan.id}/initiatives/${target.id}/milestones/${milestone.id}`, { doneOn: null })).statusCode).toBe(403);
      expect((await owner.patch(`${base}/${plan.id}/initiatives/${target.id}/milestones/${FORGED}`, { doneOn: null })).statusCode).toBe(404);
    });
  });

  describe('links and progress', () => {
    const linkTo = (api: Api, title: string, kind: string, targetId: string) => api.post(`${base}/${plan.id}/initiatives/${initiative(plan, title).id}/links`, { kind, targetId });

    it('links what the caller can see; a forged id of another organisation’s engagement is the same as a missing one', async () => {
      plan = expectStatus(await linkTo(owner, 'Målrettede arrangementer', 'engagement', engagements[0]!), 201);
      plan = expectStatus(await linkTo(owner, 'Målrettede arrangementer', 'engagement', engagements[1]!), 201);
      const before = await count(t.database, 'action_plan_links');
      const forged = await linkTo(owner, 'Målrettede arrangementer', 'engagement', aabenraaEngagement);
      const missing = await linkTo(owner, 'Målrettede arrangementer', 'engagement', FORGED);
      expect(forged.statusCode).toBe(400);
      // The same answer but for the request id, which names each request.
      const withoutId = ({ requestId: _id, ...body }: ReturnType<typeof problem>['body']) => body;
      expect(withoutId(problem(forged).body)).toEqual(withoutId(problem(missing).body));
      expect(fieldsOf(forged)).toEqual(['targetId']);
      // The partner hub cannot see Sønderborg's engagements without a consent either.
      expect((await linkTo(hub, 'Målrettede arrangementer', 'engagement', engagements[2]!)).statusCode).toBe(400);
      // Early Warning cases are never counted in a public plan, not even by the EW team.
      const ew = await linkTo(hubEw, 'Målrettede arrangementer', 'engagement', ewEngagement);
      expect(fieldsOf(ew)).toEqual(['targetId']);
      expect(problem(ew).body.errors![0]!.message).toContain('Early Warning');
      expect((await linkTo(owner, 'Målrettede arrangementer', 'offer', FORGED)).statusCode).toBe(400);
      expect((await linkTo(owner, 'Målrettede arrangementer', 'event', FORGED)).statusCode).toBe(400);
      expect((await linkTo(owner, 'Målrettede arrangementer', 'referral', FORGED)).statusCode).toBe(400);
      expect((await linkTo(owner, 'Målrettede arrangementer', 'engagement', engagements[0]!)).statusCode).toBe(409);
      expect((await linkTo(owner, 'Målrettede arrangementer', 'company', engagements[0]!)).statusCode).toBe(400);
      expect(await count(t.database, 'action_plan_links')).toBe(before);
    });

    it('counts companies reached, events held and referrals from the links, the same for every reader', async () => {
      const db = t.database.db;
      // Events as the events module keeps them: one held with attendance, one held without, one to come, one cancelled.
      const event = async (title: string, endsAt: string, status = 'planned') =>
        (await db.execute<{ id: string }>(sql`INSERT INTO events (organiser_organisation_id, kind, title, starts_at, ends_at, status, public)
          VALUES (${org.sonderborg}, 'workshop', ${title}, ${endsAt}::timestamptz - interval '2 hours', ${endsAt}::timestamptz, ${status}, true) RETURNING id`)).rows[0]!.id;
      const participant = (eventId: string, cvr: string, status: string, email: string) =>
        db.execute(sql`INSERT INTO event_participants (event_id, company_cvr, person_name, email, status, registered_at) VALUES (${eventId}, ${cvr}, 'Deltager', ${email}, ${status}, now())`);
      const [first] = cvrs;
      const others = (await t.database.rows<{ cvr: string }>(sql`SELECT cvr FROM companies WHERE municipality_code <> 540 ORDER BY cvr LIMIT 10`)).map((r) => r.cvr);
      const attended = await event('Tysklandsdag', '2026-10-01T14:00:00Z');
      await participant(attended, first!, 'attended', 'a@x.dk'); // also reached through an engagement: counted once
      await participant(attended, others[0]!, 'attended', 'b@x.dk');
      await participant(attended, others[1]!, 'no_show', 'c@x.dk');
      await participant(attended, others[2]!, 'registered', 'd@x.dk');
      const unregistered = await event('Eksportworkshop', '2026-11-01T14:00:00Z');
      await participant(unregistered, others[3]!, 'registered', 'e@x.dk');
      await participant(unregistered, others[4]!, 'cancelled', 'f@x.dk');
      const future = await event('Messe i Hannover', '2027-03-01T14:00:00Z');
      await participant(future, others[5]!, 'registered', 'g@x.dk');
      const cancelled = await event('Aflyst', '2026-09-01T14:00:00Z', 'cancelled');
      await participant(cancelled, others[6]!, 'attended', 'h@x.dk');
      for (const id of [attended, unregistered, future, cancelled]) plan = expectStatus(await linkTo(owner, 'Målrettede arrangementer', 'event', id), 201);

      const progress = { companiesReached: 4, eventsHeld: 2, referralsMade: 0 };
      // Two companies of engagements, one that attended, one registered at an event without registered attendance: 4.
      expect(initiative(plan, 'Målrettede arrangementer').progress).toEqual(progress);
      for (const reader of [hub, aabenraa, kkr]) {
        const seen = expectStatus(await reader.get(`${base}/${plan.id}`), 200) as ActionPlan;
        const target = initiative(seen, 'Målrettede arrangementer');
        expect(target.progress).toEqual(progress);
        // Other organisations' engagements show as links without id or label.
        const engagementLinks = target.links.filter((l) => l.kind === 'engagement');
        expect(engagementLinks).toHaveLength(2);
        for (const l of engagementLinks) expect(l).toMatchObject({ visible: false, targetId: null, label: null });
        expect(JSON.stringify(seen)).not.toContain(cvrs[0]!);
        // Public events are labelled for everyone.
        expect(target.links.filter((l) => l.kind === 'event').every((l) => l.visible)).toBe(true);
      }
      const mine = initiative(plan, 'Målrettede arrangementer').links.filter((l) => l.kind === 'engagement');
      expect(mine.every((l) => l.visible && l.label!.includes(`CVR ${cvrs[0]}`) !== l.label!.includes(`CVR ${cvrs[1]}`))).toBe(true);
    });

    it('finds link targets through each kind’s visibility rule', async () => {
      const own = expectStatus(await owner.get(`${base}/link-targets?kind=engagement&q=`), 200).items.map((i: { id: string }) => i.id);
      expect(own).toEqual(expect.arrayContaining(engagements));
      expect(own).not.toContain(aabenraaEngagement);
      const ew = expectStatus(await hubEw.get(`${base}/link-targets?kind=engagement&q=`), 200).items.map((i: { id: string }) => i.id);
      expect(ew).not.toContain(ewEngagement);
      // Events only of the caller's own organisation (their participants count as reached).
      const events = expectStatus(await owner.get(`${base}/link-targets?kind=event&q=hannover`), 200).items;
      expect(events.map((e: { label: string }) => e.label)).toEqual(['Messe i Hannover · 01.03.2027']);
      expect(expectStatus(await aabenraa.get(`${base}/link-targets?kind=event&q=hannover`), 200).items).toEqual([]);
      expect((await kkr.get(`${base}/link-targets?kind=engagement`)).statusCode).toBe(403);
      expect((await owner.get(`${base}/link-targets?kind=engagement&q=${'x'.repeat(101)}`)).statusCode).toBe(400);
    });

    it('removes a link and the progress follows', async () => {
      const target = initiative(plan, 'Målrettede arrangementer');
      const link = target.links.find((l) => l.kind === 'engagement' && l.label!.includes(`CVR ${cvrs[1]}`))!;
      expect((await del(aabenraa, `${base}/${plan.id}/initiatives/${target.id}/links/${link.id}`)).statusCode).toBe(403);
      plan = expectStatus(await del(owner, `${base}/${plan.id}/initiatives/${target.id}/links/${link.id}`), 200);
      expect(initiative(plan, 'Målrettede arrangementer').progress.companiesReached).toBe(3);
      expect((await del(owner, `${base}/${plan.id}/initiatives/${target.id}/links/${link.id}`)).statusCode).toBe(404);
    });
    it('counts linked referrals, which only the sender and the receiver may link', async () => {
      const referral = expectStatus(
        await owner.post(`/engagements/${engagements[2]}/referrals`, { toOrganisationId: org.hub, reason: 'Eksport til Tyskland', needs: 'Sparring', consent: { givenByName: 'Direktør Mette Holm', channel: 'phone' } }),
        201,
      ) as { id: string };
      expect((await linkTo(aabenraa, 'Målrettede arrangementer', 'referral', referral.id)).statusCode).toBe(403);
      plan = expectStatus(await linkTo(hub, 'Målrettede arrangementer', 'referral', referral.id), 201);
      expect(initiative(plan, 'Målrettede arrangementer').progress).toEqual({ companiesReached: 4, eventsHeld: 2, referralsMade: 1 });
      const seenByKkr = expectStatus(await kkr.get(`${base}/${plan.id}`), 200) as ActionPlan;
      expect(initiative(seenByKkr, 'Målrettede arrangementer').links.find((l) => l.kind === 'referral')).toMatchObject({ visible: false, targetId: null, label: null });
    });
  });

  describe('export', () => {
    it('sends the plan as Word in the layout of the seed’s table, with status and progress', async () => {
      const response = await owner.get(`${base}/${plan.id}/export?format=docx`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('wordprocessingml');
      expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
      const xml = await (await JSZip.loadAsync(response.rawPayload)).file('word/document.xml')!.async('string');
      for (const text of ['Indsats', 'Indhold/beskrivelse', 'Målsætning(er)', 'Ansvarlig', 'Målrettede arrangementer', 'Kina-netværk', 'Tyskland', 'Kina']) expect(xml).toContain(text);
      expect(xml).toContain('Sønderborg Vækstråd i samarbejde med Erhvervsservice Sønderborg Kommune, Erhvervshus Sydjylland og Erhvervsservice');
      expect(xml).toContain('Virksomheder nået: 4');
      expect(xml).toContain('Henvisninger: 1');
      expect(xml).toContain('Vurdering: I risiko – Mødet i foråret blev aflyst.');
    });

    it('sends it as PDF, to any reader', async () => {
      const response = await kkr.get(`${base}/${plan.id}/export?format=pdf`);
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const doc = await getDocument({ data: new Uint8Array(response.rawPayload), verbosity: 0 }).promise;
      let text = '';
      for (let p = 1; p <= doc.numPages; p++) text += (await (await doc.getPage(p)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ') + ' ';
      for (const title of ['Målrettede arrangementer', 'Kina-netværk', 'Målsætning(er)']) expect(text.replace(/\s+/g, ' ').replace(/([-/]) /g, '$1')).toContain(title);
      expect((await kkr.get(`${base}/${plan.id}/export?format=xlsx`)).statusCode).toBe(400);
    });
  });

  describe('deleting', () => {
    it('deletes an initiative (partners may), then the plan (the owner only)', async () => {
      const target = initiative(plan, 'Kina-netværk');
      plan = expectStatus(await del(hub, `${base}/${plan.id}/initiatives/${target.id}`), 200);
      expect(plan.initiatives.map((i) => [i.position, i.title])).toEqual([[1, 'Målrettede arrangementer']]);
      expect((await del(aabenraa, `${base}/${plan.id}`)).statusCode).toBe(403);
      expect((await del(owner, `${base}/${plan.id}`)).statusCode).toBe(204);
      expect((await owner.get(`${base}/${plan.id}`)).statusCode).toBe(404);
      const [row] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM action_plan_links l JOIN action_plan_initiatives i ON i.id = l.initiative_id WHERE i.plan_id = ${plan.id}`);
      expect(row!.n).toBe(0);
    });
  });
});
