import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { companiesIn } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../helpers.ts';

/**
 * Security review: a contract's NPS goal for a hub as of a month end is the sum of the hub's month
 * cells of the protected evaluation table by hub. In January 2025 Sydjylland has 6 answering
 * companies (all promoters) and Fyn 3 (all detractors): the table hides both hubs and shows the
 * overall (9 answers, 6 promoters, 3 detractors); a contract report for Sydjylland at 2025-01-31
 * showing NPS 100 on 6 answers gave away Fyn's 3 answers, NPS −100.
 *
 * Now a goal computed from evaluation answers is shown to readers under disclosure control only when
 * every month cell of the hub it sums is shown in the table; the hub sees its exact figures.
 * The test clock stands at 2026-11-27: 2025 and its months have ended.
 */

type Goal = { number: number; value: number | null; fulfilment: number | null; trend: number | null; basis: number | null; suppressed: boolean; withheld: string | null; breakdown: { label: string; value: number | null }[] };

describe('contract NPS goal vs the protected evaluation table', () => {
  let t: TestContext;
  let kkrManager: Session;
  let kkrReader: Session;
  let hubManager: Session;
  let sydId: string;
  let fynId: string;
  let january: string;
  let february: string;
  afterAll(() => t.close());
  const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.headers });
  const post = (s: Session, url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: s.headers, payload });
  const goal = (number: number, type: 'nps' | 'effect_share') => ({ number, group: 'regional', title: type, description: '', method: '', reporting: 'annual', indicator: { type, scale: { type: 'thresholds', thresholds: [{ min: 50, percent: 100 }] } } });
  const contract = (title: string, periodStart: string) => ({ title, kkr: 'KKR Syddanmark', hub: 'Erhvervshus Sydjylland', periodStart, periodEnd: '2025-12-31', goals: [goal(1, 'nps'), goal(2, 'effect_share')] });
  async function report(s: Session, id: string, at: string): Promise<Goal[]> {
    const response = await get(s, `/contracts/${id}/report?at=${at}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().goals as Goal[];
  }
  async function published(id: string, asOf: string): Promise<string> {
    const draft = await post(hubManager, `/contracts/${id}/status-reports`, { asOf });
    expect(draft.statusCode, draft.body).toBe(201);
    expect((await post(hubManager, `/status-reports/${draft.json().id}/publish`, {})).statusCode).toBe(200);
    return draft.json().id as string;
  }
  const withheld = { value: null, fulfilment: null, trend: null, basis: null, suppressed: true, withheld: 'suppressed' };

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(1500, 23));
    sydId = await orgId(t.database, orgKeys.sydjylland);
    fynId = await orgId(t.database, orgKeys.fyn);
    await createUser(t.database, { email: 'manager@kkr.dk', role: 'manager', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    kkrManager = await login(t.app, 'manager@kkr.dk');
    kkrReader = await login(t.app, 'reader@kkr.dk');
    hubManager = await login(t.app, 'direktor@syd.dk');
    const answer = async (hub: string, cvr: string, day: string, nps: number) =>
      t.database.rows(sql`INSERT INTO evaluation_answers (company_cvr, organisation_id, answered_on, nps, effect, source) VALUES (${cvr}, ${hub}, ${day}::date, ${nps}, 'i høj grad', 'import')`);
    const syd = await companiesIn(t.database, 540);
    const fyn = await companiesIn(t.database, 461);
    // January: Sydjylland 6 promoters, Fyn 3 detractors (both hidden in the table by hub).
    for (const cvr of syd.slice(0, 6)) await answer(sydId, cvr, '2025-01-15', 10);
    for (const cvr of fyn.slice(0, 3)) await answer(fynId, cvr, '2025-01-20', 0);
    // February: Sydjylland 6 more promoters, Fyn 5 detractors (both shown).
    for (const cvr of syd.slice(6, 12)) await answer(sydId, cvr, '2025-02-12', 10);
    for (const cvr of fyn.slice(3, 8)) await answer(fynId, cvr, '2025-02-14', 0);
    for (const [title, start] of [['Syd 2025', '2025-01-01'], ['Syd fra februar', '2025-02-01']] as const) {
      const imported = await post(kkrManager, '/contracts/import', contract(title, start));
      expect(imported.statusCode, imported.body).toBe(201);
      if (start === '2025-01-01') january = imported.json().id;
      else february = imported.json().id;
    }
  });

  it('the table hides both hubs in January and shows them in February', async () => {
    const jan = (await get(kkrReader, '/evaluations/results?groupBy=hub&from=2025-01-01&to=2025-01-31')).json();
    expect(jan.overall).toMatchObject({ suppressed: false, npsAnswers: 9, promoters: 6, detractors: 3 });
    expect(jan.groups.every((g: { suppressed: boolean }) => g.suppressed)).toBe(true);
    const feb = (await get(kkrReader, '/evaluations/results?groupBy=hub&from=2025-02-01&to=2025-02-28')).json();
    expect(feb.groups.find((g: { key: string }) => g.key === sydId)).toMatchObject({ suppressed: false, npsAnswers: 6, nps: 100 });
  });

  it('withholds the NPS and effect goals summing a hidden month cell (total − goal would give Fyn away); the hub sees them', async () => {
    for (const at of ['2025-01-31', '2025-02-28', '2025-12-31']) {
      const goals = await report(kkrReader, january, at);
      for (const g of goals) {
        expect(g, `${at} goal ${g.number}`).toMatchObject(withheld);
        expect(g.breakdown.every((p) => p.value === null), `${at} goal ${g.number}`).toBe(true);
      }
    }
    const forHub = await report(hubManager, january, '2025-01-31');
    expect(forHub[0]).toMatchObject({ suppressed: false, withheld: null, value: 100, basis: 6 });
    expect(forHub[1]).toMatchObject({ suppressed: false, withheld: null, value: 100, basis: 6 });
  });

  it('shows them when every month cell of the hub they sum is shown', async () => {
    const goals = await report(kkrReader, february, '2025-02-28');
    expect(goals[0]).toMatchObject({ suppressed: false, withheld: null, value: 100, basis: 6 });
    expect(goals[1]).toMatchObject({ suppressed: false, withheld: null, value: 100, basis: 6 });
  });

  it('judges published status reports alike, by the table for their date', async () => {
    const hidden = await published(january, '2025-01-31');
    const shown = await published(february, '2025-02-28');
    // A date that is not a month end is part of a month no cell holds.
    const midMonth = await published(february, '2025-03-15');
    const forKkr = (await get(kkrReader, `/status-reports/${hidden}`)).json().snapshot.goals as Goal[];
    for (const g of forKkr) expect(g).toMatchObject(withheld);
    expect(((await get(kkrReader, `/status-reports/${shown}`)).json().snapshot.goals as Goal[])[0]).toMatchObject({ withheld: null, value: 100, basis: 6 });
    expect(((await get(kkrReader, `/status-reports/${midMonth}`)).json().snapshot.goals as Goal[])[0]).toMatchObject(withheld);
    const listed = (await get(kkrReader, `/contracts/${january}/status-reports`)).json().items as { id: string; snapshot: { goals: Goal[] } }[];
    expect(listed.find((r) => r.id === hidden)!.snapshot.goals[0]).toMatchObject(withheld);
    // The trend of a live report is not measured from a withheld published figure either.
    const march = await report(kkrReader, february, '2025-03-31');
    expect(march[0]).toMatchObject({ value: 100, trend: null });
    expect(((await get(hubManager, `/status-reports/${hidden}`)).json().snapshot.goals as Goal[])[0]).toMatchObject({ withheld: null, value: 100, basis: 6 });
  });
});
