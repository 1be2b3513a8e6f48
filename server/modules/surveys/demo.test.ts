import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, expectStatus, type Api } from '../../test/crm-fixtures.ts';
import { DEMO_SURVEY_INVITED, seedDemoSurveys } from '../demo/surveys.ts';
import type { SurveyResults } from './schemas.ts';

describe("the demo: Sønderborg's 2020 survey on trade with Germany and China", () => {
  let t: TestContext;
  let owner: Api;
  let other: Api;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'kommune@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'hub@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    const started = Date.now();
    await seedDemoSurveys(t.database.db);
    expect(Date.now() - started).toBeLessThan(5000);
    owner = apiAs(t, await login(t.app, 'kommune@sonderborg.dk'));
    other = apiAs(t, await login(t.app, 'hub@sydjylland.dk'));
  });

  const share = (r: SurveyResults, question: string) => {
    const q = r.questions.find((x) => x.id === question)!;
    const positive = q.categories.filter((c) => c.key === 'high' || c.key === 'some').reduce((s, c) => s + (c.count ?? 0), 0);
    return (100 * positive) / q.answered!;
  };

  it('holds 598 answers, about 20 % of those invited; 37 % interested in Germany and 15 % in China', async () => {
    const [survey] = expectStatus(await owner.get('/surveys'), 200).items;
    const r = expectStatus(await owner.get(`/surveys/${survey.id}/results`), 200) as SurveyResults;
    expect(r).toMatchObject({ invited: DEMO_SURVEY_INVITED, responses: 598, responseRate: 20 });
    expect(Math.round(share(r, 'germany'))).toBe(37);
    expect(Math.round(share(r, 'china'))).toBe(15);
    const areas = r.questions.find((q) => q.id === 'areas')!.categories;
    expect(areas.map((c) => c.key).sort((a, b) => areas.find((c) => c.key === b)!.count! - areas.find((c) => c.key === a)!.count!).slice(0, 3)).toEqual(['export', 'import', 'online']);
  });

  it("breaks Germany down by main industry as the seed does: manufacturing, finance, trade and hospitality lead; protected but readable for another organisation", async () => {
    const [survey] = expectStatus(await other.get('/surveys'), 200).items;
    const shared = expectStatus(await other.get(`/surveys/${survey.id}/results?question=germany`), 200) as SurveyResults;
    expect(shared.disclosureControl).toBe(true);
    for (const g of shared.breakdowns.find((b) => b.by === 'industry')!.groups) expect(g.answered).not.toBeNull();
    const r = expectStatus(await owner.get(`/surveys/${survey.id}/results?question=germany`), 200) as SurveyResults;
    const industry = r.breakdowns.find((b) => b.by === 'industry')!;
    const interested = (key: string) => {
      const g = industry.groups.find((x) => x.key === key)!;
      return ((g.cells.find((c) => c.key === 'high')!.count ?? 0) + (g.cells.find((c) => c.key === 'some')!.count ?? 0)) / g.answered!;
    };
    const top = ['manufacturing', 'finance', 'trade', 'hospitality'];
    for (const key of top) expect(interested(key)).toBeGreaterThan(0.45);
    for (const key of ['construction', 'business_services']) expect(interested(key)).toBeLessThan(0.3);
    const chinaR = expectStatus(await other.get(`/surveys/${survey.id}/results?question=china`), 200) as SurveyResults;
    expect(chinaR.breakdowns[0]!.questionId).toBe('china');
  });
});
