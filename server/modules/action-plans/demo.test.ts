import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgId, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, expectStatus } from '../../test/crm-fixtures.ts';
import { seedDemoActionPlans } from '../demo/action-plans.ts';
import type { ActionPlan, ActionPlanPage } from './schemas.ts';

describe('demo action plan (seed 000)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'kommune@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Søren Iversen' });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    const sonderborg = await orgId(t.database, orgKeys.sonderborg);
    // A China network meeting held last spring: the demo plan links it to "Kina-netværk".
    await t.database.db.execute(sql`INSERT INTO events (organiser_organisation_id, kind, title, starts_at, ends_at, public)
      VALUES (${sonderborg}, 'network_meeting', 'Kina-netværket: forårsmøde', '2026-04-20T12:00:00Z', '2026-04-20T14:00:00Z', false)`);
    await seedDemoActionPlans(t.database.db, t.clock.now);
  });

  it("holds Sønderborg's plan for internationalisation with its initiatives as in the seed", async () => {
    const kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    const list = expectStatus(await kkr.get('/action-plans'), 200) as ActionPlanPage;
    expect(list.items).toHaveLength(1);
    const plan = expectStatus(await kkr.get(`/action-plans/${list.items[0]!.id}`), 200) as ActionPlan;
    expect(plan).toMatchObject({ title: 'Handleplan for internationalisering', owner: { name: 'Erhvervsservice Sønderborg Kommune' }, focusAreas: ['Tyskland', 'Kina'] });
    expect(plan.initiatives.filter((i) => i.focusArea === 'Tyskland')).toHaveLength(7);
    expect(plan.initiatives.filter((i) => i.focusArea === 'Kina')).toHaveLength(5);
    const first = plan.initiatives[0]!;
    expect(first).toMatchObject({
      title: 'Kortlægning af virksomhedernes muligheder for udvikling i Tyskland',
      responsible: { organisation: null, name: 'Sønderborg Vækstråd' },
      partners: { organisations: [{ name: 'Erhvervshus Sydjylland' }], names: [] },
    });
    const network = plan.initiatives.find((i) => i.title === 'Kina-netværk')!;
    expect(network.links).toHaveLength(1);
    // Held, but without registered participants: one event, no companies.
    expect(network.progress).toEqual({ companiesReached: 0, eventsHeld: 1, referralsMade: 0 });
    expect(network.milestones.map((m) => m.title)).toEqual(['Forårsmøde i Kina-netværket', 'Efterårsmøde i Kina-netværket']);
    expect(plan.initiatives.find((i) => i.title === 'Samarbejdsaftale om udvikling af kinesiske kulturcentre')!.objectives).toHaveLength(2);

    const docx = await kkr.get(`/action-plans/${plan.id}/export?format=docx`);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Sønderborg Vækstråd i samarbejde med Erhvervshus Sydjylland');
    expect(xml).toContain('Temadage og kobling af virksomheder');
  });
});
