/**
 * Attacks on action plans by users with ordinary accounts: escalation from partner to owner, learning
 * another organisation's hidden records through links and progress, inputs that break the exports, and
 * plans grown without bound.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, createEngagement, expectStatus, longSessions, organisationIds, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { ActionPlan } from './schemas.ts';

const START = new Date('2026-11-27T09:00:00Z');
const base = '/action-plans';

describe('action plans under attack', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let owner: Api;
  let hub: Api;
  let aabenraa: Api;
  let org: Record<string, string>;
  let cvrs: string[];
  let plan: ActionPlan;

  const del = (api: Api, path: string) => t.app.inject({ method: 'DELETE', url: `/api/v1${path}`, headers: api.session.headers });
  const fieldsOf = (response: Awaited<ReturnType<Api['get']>>) => (problem(response).body.errors ?? []).map((e) => e.field);
  const only = (p: ActionPlan) => p.initiatives[0]!;
  const editorsOf = async (planId: string) =>
    (await t.database.rows<{ o: string }>(sql`
      SELECT DISTINCT unnest(partner_organisation_ids || CASE WHEN responsible_organisation_id IS NULL THEN '{}'::uuid[] ELSE ARRAY[responsible_organisation_id] END) AS o
      FROM action_plan_initiatives WHERE plan_id = ${planId} ORDER BY 1`)).map((r) => r.o);
  const newPlan = async (api: Api, title: string) => expectStatus(await api.post(base, { title, periodStart: '2026-01-01', periodEnd: '2026-12-31' }), 201) as ActionPlan;
  const heldEvent = async (organiser: string, title: string, participantCvrs: string[]) => {
    const [row] = await t.database.rows<{ id: string }>(sql`INSERT INTO events (organiser_organisation_id, kind, title, starts_at, ends_at, status, public)
      VALUES (${organiser}, 'workshop', ${title}, '2026-10-01T12:00:00Z', '2026-10-01T14:00:00Z', 'planned', true) RETURNING id`);
    for (const [n, cvr] of participantCvrs.entries()) {
      await t.database.db.execute(sql`INSERT INTO event_participants (event_id, company_cvr, person_name, email, status, registered_at)
        VALUES (${row!.id}, ${cvr}, 'Deltager', ${`${title.replace(/\W/g, '')}${n}@x.dk`}, 'attended', now())`);
    }
    return row!.id;
  };

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    org = await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, hub: orgKeys.sydjylland, aabenraa: orgKeys.aabenraa });
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    owner = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    cvrs = (await t.database.rows<{ cvr: string }>(sql`SELECT cvr FROM companies ORDER BY cvr LIMIT 40`)).map((r) => r.cvr);
    plan = await newPlan(owner, 'Sønderborgs handleplan');
    plan = expectStatus(
      await owner.post(`${base}/${plan.id}/initiatives`, { title: 'Eksport', objectives: ['Flere eksporterer'], responsibleOrganisationId: org.sonderborg, partnerOrganisationIds: [org.hub] }),
      201,
    );
  });

  describe('a partner stays a partner', () => {
    it('lets only the owner decide which organisations edit the plan, and delete initiatives', async () => {
      const seen = expectStatus(await hub.get(`${base}/${plan.id}`), 200) as ActionPlan;
      expect(seen.abilities).toEqual({ change: true, delete: false, manage: false });
      expect(plan.abilities).toEqual({ change: true, delete: true, manage: true });
      const target = only(seen);
      const before = await editorsOf(plan.id);
      const initiatives = await count(t.database, 'action_plan_initiatives');
      // Granting an organisation of one's choice edit rights, through a new initiative or an existing one.
      expect((await hub.post(`${base}/${plan.id}/initiatives`, { title: 'Kapret', objectives: ['o'], responsibleName: 'X', partnerOrganisationIds: [org.aabenraa] })).statusCode).toBe(403);
      expect((await hub.post(`${base}/${plan.id}/initiatives`, { title: 'Kapret', objectives: ['o'], responsibleOrganisationId: org.aabenraa })).statusCode).toBe(403);
      expect((await hub.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, partnerOrganisationIds: [org.hub, org.aabenraa] })).statusCode).toBe(403);
      expect((await hub.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, responsibleOrganisationId: org.aabenraa })).statusCode).toBe(403);
      // Removing a co-editor (here itself; the same for any other), directly or by deleting the initiative that names it.
      expect((await hub.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, partnerOrganisationIds: [] })).statusCode).toBe(403);
      expect((await del(hub, `${base}/${plan.id}/initiatives/${target.id}`)).statusCode).toBe(403);
      expect((await del(hub, `${base}/${plan.id}`)).statusCode).toBe(403);
      expect(await editorsOf(plan.id)).toEqual(before);
      expect(await count(t.database, 'action_plan_initiatives')).toBe(initiatives);
      // What the web form sends back unchanged, and initiatives naming only the plan's own organisations, are fine.
      const unchanged = expectStatus(
        await hub.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, status: 'running', responsibleOrganisationId: org.sonderborg, responsibleName: null, partnerOrganisationIds: [org.hub] }),
        200,
      ) as ActionPlan;
      expect(only(unchanged).status).toBe('running');
      plan = expectStatus(await hub.post(`${base}/${plan.id}/initiatives`, { title: 'Hubbens egen', objectives: ['o'], responsibleOrganisationId: org.hub, partnerOrganisationIds: [org.sonderborg] }), 201);
      expect(await editorsOf(plan.id)).toEqual(before);
      // The owner grants and takes back.
      const own = plan.initiatives.find((i) => i.title === 'Hubbens egen')!;
      plan = expectStatus(await owner.patch(`${base}/${plan.id}/initiatives/${own.id}`, { version: own.version, partnerOrganisationIds: [org.aabenraa] }), 200);
      expect(await editorsOf(plan.id)).toEqual([...before, org.aabenraa].sort());
      plan = expectStatus(await del(owner, `${base}/${plan.id}/initiatives/${own.id}`), 200);
      expect(await editorsOf(plan.id)).toEqual(before);
    });

    it('refuses extra fields and ids of another plan, changing nothing', async () => {
      const target = only(plan);
      for (const body of [{ version: plan.version, ownerOrganisationId: org.hub }, { version: plan.version, createdBy: null }]) {
        expect((await owner.patch(`${base}/${plan.id}`, body)).statusCode).toBe(400);
      }
      expect((await owner.patch(`${base}/${plan.id}/initiatives/${target.id}`, { version: target.version, planId: FORGED_PLAN })).statusCode).toBe(400);
      // Aabenraa's own plan does not reach Sønderborg's milestones or links.
      plan = expectStatus(await owner.post(`${base}/${plan.id}/initiatives/${target.id}/milestones`, { title: 'Møde', dueOn: '2026-12-01' }), 201);
      const milestone = only(plan).milestones[0]!;
      const theirs = await newPlan(aabenraa, 'Aabenraas plan');
      expect((await del(aabenraa, `${base}/${theirs.id}/initiatives/${target.id}/milestones/${milestone.id}`)).statusCode).toBe(404);
      expect(only(expectStatus(await owner.get(`${base}/${plan.id}`), 200) as ActionPlan).milestones).toHaveLength(1);
    });
  });

  describe('links and progress tell nothing hidden', () => {
    it('does not let an editor learn whether another organisation’s hidden links concern a company', async () => {
      const p = await newPlan(owner, 'Differens');
      let seen = expectStatus(await owner.post(`${base}/${p.id}/initiatives`, { title: 'I', objectives: ['o'], responsibleOrganisationId: org.sonderborg, partnerOrganisationIds: [org.hub] }), 201) as ActionPlan;
      const initiativeId = only(seen).id;
      const link = (api: Api, kind: string, targetId: string) => api.post(`${base}/${p.id}/initiatives/${initiativeId}/links`, { kind, targetId });
      const secret = (await createEngagement(owner, { companyCvr: cvrs[10], description: 'Sønderborgs forløb' })).id;
      seen = expectStatus(await link(owner, 'engagement', secret), 201);
      expect(only(seen).progress.companiesReached).toBe(1);
      // The hub guesses company cvrs[10]: its own engagement with it must add one, whether the guess is right or not.
      const guess = (await createEngagement(hub, { companyCvr: cvrs[10], description: 'Gæt' })).id;
      const wrong = (await createEngagement(hub, { companyCvr: cvrs[11], description: 'Forkert gæt' })).id;
      seen = expectStatus(await link(hub, 'engagement', guess), 201);
      expect(only(seen).progress.companiesReached).toBe(2);
      seen = expectStatus(await link(hub, 'engagement', wrong), 201);
      expect(only(seen).progress.companiesReached).toBe(3);
      // An organisation's own links still count a company once.
      const again = (await createEngagement(owner, { companyCvr: cvrs[10], description: 'Sønderborgs andet forløb' })).id;
      seen = expectStatus(await link(owner, 'engagement', again), 201);
      expect(only(seen).progress.companiesReached).toBe(3);
    });

    it('lets only the organisers link an event, so nobody learns who took part in another’s event', async () => {
      const event = await heldEvent(org.sonderborg!, 'Sønderborgs workshop', [cvrs[20]!]);
      const theirs = await newPlan(aabenraa, 'Aabenraas differens');
      const seen = expectStatus(await aabenraa.post(`${base}/${theirs.id}/initiatives`, { title: 'I', objectives: ['o'], responsibleOrganisationId: org.aabenraa }), 201) as ActionPlan;
      const before = await count(t.database, 'action_plan_links');
      const refused = await aabenraa.post(`${base}/${theirs.id}/initiatives/${only(seen).id}/links`, { kind: 'event', targetId: event });
      expect(refused.statusCode).toBe(400);
      expect(fieldsOf(refused)).toEqual(['targetId']);
      expect(await count(t.database, 'action_plan_links')).toBe(before);
      const targets = expectStatus(await aabenraa.get(`${base}/link-targets?kind=event&q=workshop`), 200).items as { id: string }[];
      expect(targets.map((i) => i.id)).not.toContain(event);
      const own = expectStatus(await owner.get(`${base}/link-targets?kind=event&q=workshop`), 200).items as { id: string }[];
      expect(own.map((i) => i.id)).toContain(event);
    });

    it('audits reads of other organisations’ records under consent, naming them as holders', async () => {
      const cvr = cvrs[30]!;
      await recordConsent(hub, cvr, { scope: 'all' });
      const hubs = (await createEngagement(hub, { companyCvr: cvr, description: 'Hubbens forløb med samtykke' })).id;
      const found = expectStatus(await owner.get(`${base}/link-targets?kind=engagement&q=${cvr}`), 200).items as { id: string }[];
      expect(found.map((i) => i.id)).toContain(hubs);
      const searched = await t.database.rows<{ holders: string[] | null }>(sql`
        SELECT holder_organisation_ids AS holders FROM audit_log WHERE action = 'read' AND entity = 'action_plan_link_target' ORDER BY id DESC LIMIT 1`);
      expect(searched[0]?.holders).toEqual([org.hub]);
      const p = await newPlan(owner, 'Samtykke');
      const withInitiative = expectStatus(await owner.post(`${base}/${p.id}/initiatives`, { title: 'I', objectives: ['o'], responsibleOrganisationId: org.sonderborg }), 201) as ActionPlan;
      expectStatus(await owner.post(`${base}/${p.id}/initiatives/${only(withInitiative).id}/links`, { kind: 'engagement', targetId: hubs }), 201);
      expectStatus(await owner.get(`${base}/${p.id}`), 200);
      const [read] = await t.database.rows<{ holders: string[] | null; engagements: string[] }>(sql`
        SELECT holder_organisation_ids AS holders, details->'engagements' AS engagements FROM audit_log WHERE action = 'read' AND entity = 'action_plan' AND entity_id = ${p.id} ORDER BY id DESC LIMIT 1`);
      expect(read?.holders).toEqual([org.hub]);
      expect(read?.engagements).toEqual([hubs]);
    });
  });

  describe('inputs', () => {
    it('refuses characters a Word document cannot hold, and control characters in one-line fields', async () => {
      const before = await count(t.database, 'action_plans');
      for (const [body, field] of [
        [{ title: 'A\uFFFEB', periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'A\u0007B', periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'A\nB', periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'A', periodStart: '2026-01-01', periodEnd: '2026-12-31', focusAreas: ['Ty\u001bskland'] }, 'focusAreas.0'],
        [{ title: 'A', periodStart: '2026-01-01', periodEnd: '2026-12-31', description: 'x\uFFFF' }, 'description'],
        [{ title: 'A\u0000B', periodStart: '2026-01-01', periodEnd: '2026-12-31' }, 'title'],
        [{ title: 'A', periodStart: '0000-01-01', periodEnd: '2026-12-31' }, 'periodStart'],
        [{ title: 'A', periodStart: '2026-01-01', periodEnd: '10000-01-01' }, 'periodEnd'],
      ] as const) {
        const response = await owner.post(base, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(fieldsOf(response)).toEqual([field]);
      }
      expect(await count(t.database, 'action_plans')).toBe(before);
      // Lines and tabs in prose are kept.
      const prose = await newPlan(owner, 'Prosa');
      const changed = expectStatus(await owner.patch(`${base}/${prose.id}`, { version: prose.version, description: 'Linje 1\n\tLinje 2' }), 200) as ActionPlan;
      expect(changed.description).toBe('Linje 1\n\tLinje 2');
    });

    it('bounds how many initiatives, milestones and links a plan holds', async () => {
      const big = await newPlan(owner, 'Stor');
      await t.database.db.execute(sql`INSERT INTO action_plan_initiatives (plan_id, position, title, objectives, responsible_name)
        SELECT ${big.id}, n, 'Indsats ' || n, ARRAY['o'], 'X' FROM generate_series(1, 200) n`);
      const full = await owner.post(`${base}/${big.id}/initiatives`, { title: 'En for meget', objectives: ['o'], responsibleName: 'X' });
      expect(full.statusCode).toBe(409);
      const [first] = await t.database.rows<{ id: string }>(sql`SELECT id FROM action_plan_initiatives WHERE plan_id = ${big.id} AND position = 1`);
      await t.database.db.execute(sql`INSERT INTO action_plan_milestones (initiative_id, title, due_on) SELECT ${first!.id}, 'M' || n, '2026-06-01' FROM generate_series(1, 50) n`);
      expect((await owner.post(`${base}/${big.id}/initiatives/${first!.id}/milestones`, { title: 'En for meget', dueOn: '2026-06-01' })).statusCode).toBe(409);
      await t.database.db.execute(sql`INSERT INTO action_plan_links (initiative_id, kind, target_id, linked_by_organisation_id)
        SELECT ${first!.id}, 'offer', gen_random_uuid(), ${org.sonderborg} FROM generate_series(1, 200) n`);
      const event = await heldEvent(org.sonderborg!, 'En for meget', []);
      expect((await owner.post(`${base}/${big.id}/initiatives/${first!.id}/links`, { kind: 'event', targetId: event })).statusCode).toBe(409);
      expect(await count(t.database, 'action_plan_initiatives')).toBeGreaterThanOrEqual(200);
    });
  });
});

const FORGED_PLAN = '00000000-0000-4000-8000-000000000001';
