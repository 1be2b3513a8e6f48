/**
 * The demo's Vækst Via Viden 2.0 project, checked by hand against the rules its module comment states
 * (server/modules/match-register/demo.ts), through the API as its project leader and a partner see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, type TestContext } from '../../test/helpers.ts';
import { apiAs, expectStatus, longSessions, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { hubKey, jobcentreKey, localServiceKey, partnerKeys } from '../organisations/reference.ts';
import { demoMunicipalMatches, seedDemoMatchRegister } from './demo.ts';
import type { MatchProject, Progress } from './schemas.ts';

describe('the Vækst Via Viden 2.0 demo', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let leader: Api;
  let aau: Api;
  let base: string;
  let org: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(1500, 7));
    const { projectId } = await seedDemoMatchRegister(t.database.db);
    base = `/match-projects/${projectId}`;
    org = await organisationIds(t.database, { aau: partnerKeys.aau, akasse: partnerKeys.akademikernes, jcAalborg: jobcentreKey(851), lbsAalborg: localServiceKey(851), jcLaesoe: jobcentreKey(825) });
    await createUser(t.database, { email: 'leader@ehnj.dk', role: 'manager', org: hubKey('Erhvervshus Nordjylland') });
    await createUser(t.database, { email: 'adviser@aau.dk', role: 'adviser', org: partnerKeys.aau });
    leader = apiAs(t, await login(t.app, 'leader@ehnj.dk'));
    aau = apiAs(t, await login(t.app, 'adviser@aau.dk'));
  });

  it('splits 2,000 into 1,400 for ten municipalities (Læsø out) and 600 for AAU, UCN and the A-kasser', async () => {
    const project = expectStatus(await leader.get(base), 200) as MatchProject;
    expect(project.abilities.manage).toBe(true);
    expect(project.municipalities!.reduce((s, m) => s + m.target, 0)).toBe(1400);
    expect(project.municipalities!.filter((m) => !m.excluded)).toHaveLength(10);
    expect(project.partnerTargetAllocated).toBe(600);
    expect(project.partners).toHaveLength(26);
  });

  it('has a year of matches whose progress follows from the stated rules', async () => {
    const project = expectStatus(await aau.get(base), 200) as MatchProject;
    const progress = expectStatus(await aau.get(`${base}/progress`), 200) as Progress;
    const inSplit = project.municipalities!.filter((m) => !m.excluded).sort((a, b) => a.code - b.code);
    const municipal = inSplit.reduce((s, m, i) => s + demoMunicipalMatches(m.target, i), 0);
    expect(progress.total.matches).toBe(municipal + 2 + 60 + 48 + 20 + 10);
    // Aalborg (index 8 by code, even): a third of 465, rounded down.
    expect(progress.municipalities.find((m) => m.code === 851)).toMatchObject({ target: 465, credited: 155 });
    // Hjørring (index 9, odd): a third of its target less one.
    const hjoerring = inSplit.find((m) => m.code === 860)!;
    expect(progress.municipalities.find((m) => m.code === 860)!.credited).toBe(Math.floor(hjoerring.target / 3) - 1);
    // Aalborg's 155 (numbers 0–154): the 38 numbered 3 mod 4 are the jobcentre's with the business service (half
    // each), the other 78 even ones the jobcentre's, the 39 numbered 1 mod 4 the business service's.
    expect(progress.partners.find((p) => p.organisationId === org.jcAalborg)!.credited).toBe(78 + 19);
    expect(progress.partners.find((p) => p.organisationId === org.lbsAalborg)!.credited).toBe(39 + 19);
    // AAU: 60, twelve of them with Akademikernes A-kasse at half each.
    expect(progress.partners.find((p) => p.organisationId === org.aau)).toMatchObject({ target: 250, credited: 54 });
    expect(progress.partners.find((p) => p.organisationId === org.akasse)).toMatchObject({ target: 100, credited: 26 });
    expect(progress.partners.find((p) => p.organisationId === org.jcLaesoe)!.credited).toBe(2);
    expect(progress.municipalities.find((m) => m.code === 825)).toMatchObject({ excluded: true, target: null, credited: 2 });
    expect(Object.keys(progress.total.byQuarter).slice(0, 4)).toEqual(['2020-Q3', '2020-Q4', '2021-Q1', '2021-Q2']);
    expect(Object.values(progress.total.byQuarter).reduce((s, n) => s + n, 0)).toBe(progress.total.matches);
  });
});
