import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { companiesIn } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../helpers.ts';

/**
 * Evaluation results without disclosure control were for KKR and national readers only: an adviser
 * of any municipality or of another hub could ask for one delivery category in one municipality on
 * one day and read one company's Early Warning case ("answers: 1, invitations: 1"), or single out a
 * company's NPS by day and municipality. Unprotected figures are now the evaluated hub's own, looking
 * at its own results; every other query is answered like KKR's (server/modules/evaluations/aggregate.ts).
 *
 * The test clock stands at 2026-11-27: October 2026 and the third quarter have ended, November has not.
 */

const FIGURES = ['answers', 'npsAnswers', 'promoters', 'passives', 'detractors', 'nps', 'npsMarginOfError', 'effectAnswers', 'effectCounts', 'effectShare', 'effectMarginOfError', 'invitations', 'responseRate', 'npsFulfilment', 'effectFulfilment'] as const;
type Result = { key: string; label: string; suppressed: boolean } & Record<(typeof FIGURES)[number], unknown>;
type Results = { overall: Result; groups: Result[]; disclosureControl: boolean; period: { from: string | null; to: string | null }; groupBy: string | null };

const DAY = 'from=2026-11-27&to=2026-11-27';
const OCTOBER = 'from=2026-10-01&to=2026-10-31';
/** The attack: one delivery category in one municipality on one day. */
const ATTACK = `deliveryCategory=early_warning&municipality=540&${DAY}`;

describe('evaluation results under disclosure control for everyone but the hub on its own results', () => {
  let t: TestContext;
  let sydId: string;
  let fynId: string;
  const sessions = {} as Record<'syd' | 'fyn' | 'aabenraa' | 'operator' | 'kkr', Session>;
  afterAll(() => t.close());

  const get = (s: Session, url: string, lang = 'da') => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { ...s.headers, 'accept-language': lang } });
  async function results(s: Session, query: string): Promise<Results> {
    const response = await get(s, `/evaluations/results?${query}`);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    return response.json() as Results;
  }
  async function refused(s: Session, url: string, field: string) {
    const response = await get(s, url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.json() as { errors: { field: string }[] }).errors, url).toEqual([expect.objectContaining({ field })]);
    // Nothing of the case in the refusal.
    expect(response.body).not.toMatch(/"(answers|invitations)"/);
  }
  function expectNoFigures(r: Result, where: string) {
    expect(r.suppressed, where).toBe(true);
    for (const f of FIGURES) expect(r[f], `${where}: ${f}`).toBeNull();
  }

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(4000, 17));
    sydId = await orgId(t.database, orgKeys.sydjylland);
    fynId = await orgId(t.database, orgKeys.fyn);
    const ewAdviser = await createUser(t.database, { email: 'ew@syd.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    const fynAdviser = await createUser(t.database, { email: 'raadgiver@fyn.dk', role: 'adviser', org: orgKeys.fyn });
    await createUser(t.database, { email: 'raadgiver@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    await createUser(t.database, { email: 'drift@knudepunkt.dk', role: 'adviser', org: orgKeys.operator });
    await createUser(t.database, { email: 'kkr@syd.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    sessions.syd = await login(t.app, 'ew@syd.dk');
    sessions.fyn = await login(t.app, 'raadgiver@fyn.dk');
    sessions.aabenraa = await login(t.app, 'raadgiver@aabenraa.dk');
    sessions.operator = await login(t.app, 'drift@knudepunkt.dk');
    sessions.kkr = await login(t.app, 'kkr@syd.dk');

    const used = new Map<number, number>();
    let token = 0;
    /** `n` companies in `municipality`, each guided by `hub` in `category` and answering on `day`. */
    const answers = async (hub: string, responsible: string, municipality: number, category: string, day: string, n: number, nps: number) => {
      const all = await companiesIn(t.database, municipality);
      for (let i = 0; i < n; i++) {
        const at = used.get(municipality) ?? 0;
        used.set(municipality, at + 1);
        const cvr = all[at]!;
        const [e] = await t.database.rows<{ id: string }>(sql`
          INSERT INTO engagements (company_cvr, organisation_id, responsible_user_id, level, delivery_category_id, confidential, opened_on)
          VALUES (${cvr}, ${hub}, ${responsible}, 'specialised', (SELECT id FROM delivery_categories WHERE organisation_id = ${hub} AND key = ${category}), ${category === 'early_warning'}, ${day}::date - 20)
          RETURNING id`);
        const [inv] = await t.database.rows<{ id: string }>(sql`
          INSERT INTO evaluation_invitations (engagement_id, company_cvr, organisation_id, email, token_hash, created_at, expires_at, answered_at)
          VALUES (${e!.id}, ${cvr}, ${hub}, 'x@firma.dk', ${`hash-${token++}`}, ${`${day}T07:00:00Z`}::timestamptz, ${`${day}T07:00:00Z`}::timestamptz + interval '30 days', ${`${day}T08:00:00Z`}::timestamptz)
          RETURNING id`);
        await t.database.rows(sql`
          INSERT INTO evaluation_answers (invitation_id, engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source)
          VALUES (${inv!.id}, ${e!.id}, ${cvr}, ${hub}, ${day}::date, ${nps}, ${nps >= 8 ? 'i høj grad' : 'slet ikke'}, 'link')`);
      }
    };
    // One company's Early Warning case in Sønderborg, answered today; another one in October.
    await answers(sydId, ewAdviser, 540, 'early_warning', '2026-11-27', 1, 3);
    await answers(sydId, ewAdviser, 540, 'early_warning', '2026-10-14', 1, 2);
    // October otherwise: Haderslev 7, Aabenraa 6 (Sydjylland), Odense 8 (Fyn).
    await answers(sydId, ewAdviser, 510, 'vaekst', '2026-10-07', 7, 9);
    await answers(sydId, ewAdviser, 580, 'drift', '2026-10-21', 6, 8);
    await answers(fynId, fynAdviser, 461, 'vaekst', '2026-10-09', 8, 10);
    // The third quarter: Haderslev 6 in August, Odense 5 in September.
    await answers(sydId, ewAdviser, 510, 'vaekst', '2026-08-12', 6, 9);
    await answers(fynId, fynAdviser, 461, 'drift', '2026-09-16', 5, 7);
  });

  it('refuses the one-day query that read one company’s Early Warning case, to a municipality, another hub, the hub on all hubs, an operator and KKR, naming the field', async () => {
    const others = { aabenraa: '', fyn: '', syd: '', operator: '', kkr: '' } as const;
    for (const who of Object.keys(others) as (keyof typeof others)[]) {
      const s = sessions[who];
      for (const hub of who === 'syd' ? ['', `hub=${fynId}&`] : ['', `hub=${sydId}&`]) {
        for (const format of ['', '.csv', '.xlsx']) {
          await refused(s, `/evaluations/results${format}?${hub}${ATTACK}`, 'from');
          await refused(s, `/evaluations/results${format}?${hub}municipality=540&${DAY}`, 'from');
        }
        await refused(s, `/evaluations/results?${hub}deliveryCategory=early_warning&from=2026-11-01&to=2026-11-27`, 'to');
        await refused(s, `/evaluations/results?${hub}deliveryCategory=early_warning&from=2026-11-01&to=2026-11-30`, 'to');
      }
      // Only one of the dates: the other one is named.
      await refused(s, '/evaluations/results?deliveryCategory=early_warning&from=2026-10-01', 'to');
      await refused(s, '/evaluations/results?deliveryCategory=early_warning&to=2026-10-31', 'from');
      // Two dimensions for a whole period: still a cross table.
      await refused(s, `/evaluations/results?deliveryCategory=early_warning&municipality=540&${OCTOBER}`, 'deliveryCategory');
    }
    const english = await get(sessions.aabenraa, `/evaluations/results?${ATTACK}`, 'en');
    expect(english.json().errors[0].message).toContain('first day of a month');
  });

  it('answers a whole ended period with the tiny cell suppressed and without figures', async () => {
    for (const who of ['aabenraa', 'fyn', 'syd', 'operator', 'kkr'] as const) {
      const s = sessions[who];
      const ew = await results(s, `deliveryCategory=early_warning&${OCTOBER}`);
      expect(ew).toMatchObject({ disclosureControl: true, period: { from: '2026-10-01', to: '2026-10-31' } });
      expectNoFigures(ew.overall, `${who}: Early Warning in October`);
      expectNoFigures((await results(s, `municipality=540&${OCTOBER}`)).overall, `${who}: Sønderborg in October`);
      const byMunicipality = await results(s, `groupBy=municipality&${OCTOBER}`);
      expectNoFigures(byMunicipality.groups.find((g) => g.key === '540')!, `${who}: Sønderborg among the municipalities`);
      // Not everything is hidden: Odense rests on 8 companies.
      expect(byMunicipality.groups.find((g) => g.key === '461'), who).toMatchObject({ suppressed: false, answers: 8 });
      const byCategory = await results(s, `groupBy=deliveryCategory&${OCTOBER}`);
      expectNoFigures(byCategory.groups.find((g) => g.key === 'early_warning')!, `${who}: Early Warning among the categories`);
      // Another hub's own results, filtered to it: the very cell of the grouping by hub.
      const otherHub = who === 'syd' ? fynId : sydId;
      const filtered = await results(s, `hub=${otherHub}&${OCTOBER}`);
      const grouped = (await results(s, `groupBy=hub&${OCTOBER}`)).groups.find((g) => g.key === otherHub)!;
      expect(filtered.disclosureControl).toBe(true);
      expect({ suppressed: filtered.overall.suppressed, answers: filtered.overall.answers }).toEqual({ suppressed: grouped.suppressed, answers: grouped.answers });
      // The export says the same, without the figures.
      const csv = await get(s, `/evaluations/results.csv?groupBy=municipality&${OCTOBER}`);
      expect(csv.statusCode, csv.body).toBe(200);
      const line = csv.body.split(/\r\n/).find((l) => l.includes('"Sønderborg"'))!;
      expect(line, who).toBeDefined();
      const cells = line.split(';');
      expect(cells.slice(1, -1).every((c) => c === '' || c === '""'), line).toBe(true);
      expect(cells.at(-1)).toMatch(/ja/);
      const xlsx = await get(s, `/evaluations/results.xlsx?groupBy=municipality&${OCTOBER}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const row = (book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).find((r) => r[1] === 'Sønderborg')!;
      expect(row.slice(2, 11).every((v) => v === undefined || v === null || v === ''), JSON.stringify(row)).toBe(true);
    }
  });

  it('keeps the hub’s own view as it was: any dates, crossed filters, by adviser, unsuppressed', async () => {
    const own = await results(sessions.syd, `hub=${sydId}&${ATTACK}`);
    expect(own).toMatchObject({ disclosureControl: false, period: { from: '2026-11-27', to: '2026-11-27' } });
    expect(own.overall).toMatchObject({ suppressed: false, answers: 1, invitations: 1, nps: -100 });
    const byMunicipality = await results(sessions.syd, `hub=${sydId}&groupBy=municipality&${OCTOBER}`);
    expect(byMunicipality.groupBy).toBe('municipality');
    expect(byMunicipality.groups.find((g) => g.key === '540')).toMatchObject({ suppressed: false, answers: 1 });
    expect((await results(sessions.syd, `hub=${sydId}&groupBy=adviser`)).groups.length).toBeGreaterThan(0);
    const everything = await results(sessions.syd, `hub=${sydId}`);
    expect(everything).toMatchObject({ disclosureControl: false, period: { from: null, to: null } });
    expect(everything.overall.answers).toBe(1 + 1 + 7 + 6 + 6);
    const csv = await get(sessions.syd, `/evaluations/results.csv?hub=${sydId}&groupBy=municipality&${DAY}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toMatch(/"Sønderborg";1,0;1,0;/);
    // Per-adviser figures stay with the hub itself.
    expect((await get(sessions.fyn, `/evaluations/results?hub=${sydId}&groupBy=adviser&${OCTOBER}`)).statusCode).toBe(403);
  });

  it('answers a protected query without dates for the latest ended quarter, and says so', async () => {
    for (const who of ['aabenraa', 'fyn', 'kkr'] as const) {
      const undated = await results(sessions[who], 'groupBy=municipality');
      expect(undated).toMatchObject({ disclosureControl: true, period: { from: '2026-07-01', to: '2026-09-30' }, groupBy: 'municipality' });
      expect(undated).toEqual(await results(sessions[who], 'groupBy=municipality&from=2026-07-01&to=2026-09-30'));
      expect(undated.overall).toMatchObject({ suppressed: false, answers: 11 });
      const csv = await get(sessions[who], '/evaluations/results.csv?groupBy=municipality');
      expect(csv.statusCode).toBe(200);
    }
    // The hub on all hubs is protected too.
    expect(await results(sessions.syd, 'groupBy=hub')).toMatchObject({ disclosureControl: true, period: { from: '2026-07-01', to: '2026-09-30' } });
  });

  it('groups a protected query filtered on one dimension and grouped by another by month, and says so', async () => {
    const crossed = await results(sessions.fyn, `hub=${sydId}&groupBy=municipality&${OCTOBER}`);
    expect(crossed).toMatchObject({ disclosureControl: true, groupBy: 'month' });
    expect(crossed.groups.map((g) => g.key)).toEqual(['2026-10']);
    expect(crossed.overall).toEqual((await results(sessions.fyn, `hub=${sydId}&${OCTOBER}`)).overall);
    expect(crossed.groups.every((g) => g.key !== '540' && g.label !== 'Sønderborg')).toBe(true);
    const byCategory = await results(sessions.aabenraa, `municipality=540&groupBy=deliveryCategory&${OCTOBER}`);
    expect(byCategory.groupBy).toBe('month');
    expectNoFigures(byCategory.overall, 'Sønderborg by category');
    expectNoFigures(byCategory.groups[0]!, 'Sønderborg in October');
  });
});
