import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { evaluationResults } from '../../modules/evaluations/service.ts';
import { hubKey } from '../../modules/organisations/reference.ts';
import { companiesIn } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../helpers.ts';

/**
 * Issue 10, hole 4: KKR and national readers see aggregates under real disclosure control. No
 * suppressed cell may be had from totals in the same answer, from two answers that differ in one
 * filter, or from date bounds moved by a day; suppressed cells carry no figures; contract figures
 * resting on fewer than 5 companies say "færre end 5". The hub keeps its figures.
 *
 * The test clock stands at 2026-11-27: 2025 and its months have ended.
 */

const FIGURES = ['answers', 'npsAnswers', 'promoters', 'passives', 'detractors', 'nps', 'npsMarginOfError', 'effectAnswers', 'effectCounts', 'effectShare', 'effectMarginOfError', 'invitations', 'responseRate', 'npsFulfilment', 'effectFulfilment'] as const;
type Result = { key: string; label: string; suppressed: boolean } & Record<(typeof FIGURES)[number], unknown>;
type Results = { overall: Result; groups: Result[] };

/** Answers in 2025 per hub, municipality, delivery category and month; one company per answer. */
const ANSWERS: { hub: string; municipality: number; category: string | null; month: number; n: number; nps: number }[] = [
  { hub: 'Erhvervshus Sydjylland', municipality: 540, category: 'vaekst', month: 1, n: 8, nps: 9 },
  { hub: 'Erhvervshus Sydjylland', municipality: 540, category: 'drift', month: 4, n: 6, nps: 7 },
  { hub: 'Erhvervshus Sydjylland', municipality: 580, category: 'vaekst', month: 2, n: 2, nps: 0 },
  { hub: 'Erhvervshus Sydjylland', municipality: 510, category: 'rk2020', month: 3, n: 7, nps: 10 },
  { hub: 'Erhvervshus Sydjylland', municipality: 550, category: 'drift', month: 7, n: 1, nps: 2 },
  { hub: 'Erhvervshus Sydjylland', municipality: 621, category: 'vaekst', month: 8, n: 9, nps: 8 },
  { hub: 'Erhvervshus Fyn', municipality: 461, category: 'vaekst', month: 1, n: 12, nps: 9 },
  { hub: 'Erhvervshus Fyn', municipality: 461, category: null, month: 10, n: 10, nps: 6 },
  { hub: 'Erhvervshus Fyn', municipality: 479, category: 'drift', month: 5, n: 3, nps: 10 },
  { hub: 'Erhvervshus Fyn', municipality: 450, category: 'vaekst', month: 11, n: 6, nps: 9 },
  { hub: 'Erhvervshus Nordjylland', municipality: 851, category: 'drift', month: 6, n: 3, nps: 4 },
];
/** Invitations without answers: three companies in Vejen invited in September. */
const UNANSWERED = { hub: 'Erhvervshus Sydjylland', municipality: 575, month: 9, n: 3 };

const PERIODS = {
  year: ['2025-01-01', '2025-12-31'],
  Q1: ['2025-01-01', '2025-03-31'],
  Q2: ['2025-04-01', '2025-06-30'],
  Q3: ['2025-07-01', '2025-09-30'],
  Q4: ['2025-10-01', '2025-12-31'],
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => {
    const m = String(i + 1).padStart(2, '0');
    return [`M${m}`, [`2025-${m}-01`, new Date(Date.UTC(2025, i + 1, 0)).toISOString().slice(0, 10)]];
  })),
} as Record<string, [string, string]>;
const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'];
const monthsOf = (q: string) => [1, 2, 3].map((i) => `M${String((Number(q[1]) - 1) * 3 + i).padStart(2, '0')}`);

describe('disclosure control for aggregate-only readers', () => {
  let t: TestContext;
  let kkr: Session;
  let hub: Session;
  let hubId: string;
  afterAll(() => t.close());

  const get = (s: Session, url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { ...s.headers, ...headers } });
  async function json<T>(s: Session, url: string): Promise<T> {
    const response = await get(s, url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json() as T;
  }
  const period = (p: string) => `from=${PERIODS[p]![0]}&to=${PERIODS[p]![1]}`;
  const results = (s: Session, query: string) => json<Results>(s, `/evaluations/results?${query}`);
  /**
   * The true figures of a query, unprotected: what the hub sees of its own results. Only a hub's own
   * results are unprotected through the API, so the truth across hubs is asked of the function itself.
   */
  const truthOf = async (query: string): Promise<Results> => {
    const q = Object.fromEntries(new URLSearchParams(query));
    return (await evaluationResults(t.database.db, { ...q, municipality: q.municipality ? Number(q.municipality) : undefined } as Parameters<typeof evaluationResults>[1])) as Results;
  };

  /** A suppressed result carries nothing but its key and label. */
  function expectNoFigures(r: Result, where: string) {
    for (const f of FIGURES) expect(r[f], `${where}: ${f} of a suppressed cell`).toBeNull();
  }

  /** Within one answer: suppressed cells are empty, shown ones true, and the overall minus the shown ones never gives one cell. */
  function expectProtected(kkrView: Results, truth: Results, where: string) {
    // A group with invitations and no answers is a cell for KKR (hidden), and no group in the hub's answer-based view.
    const trueOf = (key: string) => truth.groups.find((g) => g.key === key) ?? ({ answers: 0 } as Result);
    if (kkrView.overall.suppressed) expectNoFigures(kkrView.overall, `${where} overall`);
    else expect(kkrView.overall.answers, `${where} overall`).toBe(truth.overall.answers);
    const hidden = kkrView.groups.filter((g) => g.suppressed);
    for (const g of kkrView.groups) {
      if (g.suppressed) expectNoFigures(g, `${where} ${g.label}`);
      else {
        expect(g.answers, `${where} ${g.label}`).toBe(trueOf(g.key).answers);
        expect(g.answers as number, `${where} ${g.label} rests on 5 companies`).toBeGreaterThanOrEqual(5);
      }
    }
    if (hidden.length === kkrView.groups.length || kkrView.overall.suppressed) return;
    // Overall minus the shown groups is what the hidden groups hold together: never one group alone, never fewer than 5.
    expect(hidden.length, `${where}: exactly one hidden group would be the overall minus the others`).not.toBe(1);
    if (hidden.length > 0) expect(hidden.reduce((s, g) => s + Number(trueOf(g.key).answers), 0), `${where}: hidden groups together`).toBeGreaterThanOrEqual(5);
  }

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(4000, 10));
    const managerId = await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'kkr@syd.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    kkr = await login(t.app, 'kkr@syd.dk');
    hub = await login(t.app, 'direktor@syd.dk');
    hubId = await orgId(t.database, orgKeys.sydjylland);

    const used = new Map<number, number>();
    const nextCompany = async (municipality: number) => {
      const all = await companiesIn(t.database, municipality);
      const i = used.get(municipality) ?? 0;
      used.set(municipality, i + 1);
      if (!all[i]) throw new Error(`too few companies in ${municipality}`);
      return all[i];
    };
    const engagement = async (hubName: string, cvr: string, category: string | null, openedOn: string) => {
      const org = await orgId(t.database, hubKey(hubName));
      const [row] = await t.database.rows<{ id: string }>(sql`
        INSERT INTO engagements (company_cvr, organisation_id, responsible_user_id, level, delivery_category_id, opened_on)
        VALUES (${cvr}, ${org}, ${managerId}, 'specialised', (SELECT id FROM delivery_categories WHERE organisation_id = ${org} AND key = ${category}), ${openedOn}::date)
        RETURNING id`);
      return { id: row!.id, org };
    };
    let token = 0;
    for (const a of ANSWERS) {
      for (let i = 0; i < a.n; i++) {
        const cvr = await nextCompany(a.municipality);
        const day = `2025-${String(a.month).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
        const e = await engagement(a.hub, cvr, a.category, day);
        const [inv] = await t.database.rows<{ id: string }>(sql`
          INSERT INTO evaluation_invitations (engagement_id, company_cvr, organisation_id, email, token_hash, created_at, expires_at, answered_at)
          VALUES (${e.id}, ${cvr}, ${e.org}, 'x@firma.dk', ${`hash-${token++}`}, ${`${day}T10:00:00Z`}::timestamptz, ${`${day}T10:00:00Z`}::timestamptz + interval '30 days', ${`${day}T12:00:00Z`}::timestamptz)
          RETURNING id`);
        await t.database.rows(sql`
          INSERT INTO evaluation_answers (invitation_id, engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source)
          VALUES (${inv!.id}, ${e.id}, ${cvr}, ${e.org}, ${day}::date, ${a.nps}, ${a.nps >= 8 ? 'i høj grad' : 'slet ikke'}, 'link')`);
      }
    }
    for (let i = 0; i < UNANSWERED.n; i++) {
      const cvr = await nextCompany(UNANSWERED.municipality);
      const day = `2025-09-${String(10 + i).padStart(2, '0')}`;
      const e = await engagement(UNANSWERED.hub, cvr, 'vaekst', day);
      await t.database.rows(sql`
        INSERT INTO evaluation_invitations (engagement_id, company_cvr, organisation_id, email, token_hash, created_at, expires_at)
        VALUES (${e.id}, ${cvr}, ${e.org}, 'x@firma.dk', ${`hash-${token++}`}, ${`${day}T10:00:00Z`}::timestamptz, ${`${day}T10:00:00Z`}::timestamptz + interval '30 days')`);
    }
  });

  describe('evaluation results', () => {
    const groupings = ['hub', 'municipality', 'deliveryCategory', 'month'];

    it.each(groupings)('grouped by %s, for the year, every quarter and every month: suppressed groups carry no figures and no group is the overall minus the others', async (groupBy) => {
      let suppressedSeen = 0;
      for (const p of Object.keys(PERIODS)) {
        const kkrView = await results(kkr, `groupBy=${groupBy}&${period(p)}`);
        const truth = await truthOf(`groupBy=${groupBy}&${period(p)}`);
        expectProtected(kkrView, truth, `${groupBy} ${p}`);
        suppressedSeen += kkrView.groups.filter((g) => g.suppressed).length;
      }
      expect(suppressedSeen).toBeGreaterThan(0);
    });

    it('suppresses the small municipality and its complement, which the hub sees with their figures', async () => {
      const kkrView = await results(kkr, `groupBy=municipality&${period('year')}`);
      const hidden = kkrView.groups.filter((g) => g.suppressed).map((g) => g.key).sort();
      // Aabenraa (2), Tønder (1), Svendborg (3), Aalborg (3) and Vejen (3 invitations, no answers) rest on fewer than 5.
      expect(hidden).toEqual(expect.arrayContaining(['580', '550', '479', '851', '575']));
      expect(kkrView.groups.find((g) => g.key === '580')).toEqual({ key: '580', label: 'Aabenraa', suppressed: true, ...Object.fromEntries(FIGURES.map((f) => [f, null])) });
      const forHub = await results(hub, `hub=${hubId}&groupBy=municipality&${period('year')}`);
      expect(forHub.groups.find((g) => g.key === '580')).toMatchObject({ suppressed: false, answers: 2, nps: -100 });
      // The hub may still use any dates and cross filters on its own results; on all hubs it is protected like KKR.
      expect((await get(hub, `/evaluations/results?hub=${hubId}&groupBy=municipality&from=2025-01-02&to=2025-03-30`)).statusCode).toBe(200);
      expect((await get(hub, `/evaluations/results?hub=${hubId}&groupBy=municipality`)).statusCode).toBe(200);
      expect((await get(hub, '/evaluations/results?groupBy=municipality&from=2025-01-02&to=2025-03-30')).statusCode).toBe(400);
      expect((await results(hub, `groupBy=municipality&${period('year')}`)).groups.find((g) => g.key === '580')).toMatchObject({ suppressed: true, answers: null });
    });

    it('a query filtered to one value gives exactly that value’s cell of the grouped query (suppressed with it)', async () => {
      for (const dimension of ['hub', 'municipality', 'deliveryCategory']) {
        for (const p of ['year', 'Q1', 'Q2', 'Q3', 'Q4', 'M01', 'M05', 'M09']) {
          const grouped = await results(kkr, `groupBy=${dimension}&${period(p)}`);
          for (const cell of grouped.groups) {
            if (cell.key === '-') continue;
            const filtered = await results(kkr, `${dimension}=${encodeURIComponent(cell.key)}&${period(p)}`);
            const where = `${dimension}=${cell.label} ${p}`;
            expect(filtered.overall.suppressed, where).toBe(cell.suppressed);
            if (cell.suppressed) expectNoFigures(filtered.overall, where);
            else expect(filtered.overall.answers, where).toBe(cell.answers);
            // The same value by month: within the protected table too.
            const byMonth = await results(kkr, `${dimension}=${encodeURIComponent(cell.key)}&groupBy=month&${period(p)}`);
            expect(byMonth.overall.suppressed, where).toBe(cell.suppressed);
            const truth = await truthOf(`${dimension}=${encodeURIComponent(cell.key)}&groupBy=month&${period(p)}`);
            expectProtected(byMonth, truth, `${where} by month`);
          }
        }
      }
    });

    it('shows the overall of a period alike whatever the grouping', async () => {
      for (const p of Object.keys(PERIODS)) {
        const overalls = await Promise.all(['', 'groupBy=hub&', 'groupBy=municipality&', 'groupBy=deliveryCategory&', 'groupBy=month&'].map(async (g) => (await results(kkr, `${g}${period(p)}`)).overall));
        for (const o of overalls) expect({ p, suppressed: o.suppressed, answers: o.answers }).toEqual({ p, suppressed: overalls[0]!.suppressed, answers: overalls[0]!.answers });
      }
    });

    it('the year minus its shown quarters, and a quarter minus its shown months, never give one period', async () => {
      const answersOf = async (q: string, p: string) => (await truthOf(`${q}${period(p)}`)).overall.answers as number;
      for (const filter of ['', `hub=${hubId}&`, 'municipality=540&', 'municipality=461&', 'deliveryCategory=drift&']) {
        const overall = async (p: string) => (await results(kkr, `${filter}${period(p)}`)).overall;
        const check = async (total: string, parts: string[]) => {
          if ((await overall(total)).suppressed) return;
          const shown = await Promise.all(parts.map(overall));
          const hidden = parts.filter((_, i) => shown[i]!.suppressed);
          if (hidden.length === 0 || hidden.length === parts.length) return;
          expect(hidden.length, `${filter}${total}: one hidden part`).toBeGreaterThanOrEqual(2);
          const together = (await Promise.all(hidden.map((h) => answersOf(filter, h)))).reduce((s, n) => s + n, 0);
          expect(together, `${filter}${total}: hidden parts together`).toBeGreaterThanOrEqual(5);
        };
        await check('year', QUARTERS);
        for (const q of QUARTERS) await check(q, monthsOf(q));
      }
    });

    it('refuses date bounds moved by a day, periods that have not ended, and two filtered dimensions, naming the field (Danish and English)', async () => {
      const refused = async (query: string, field: string, lang = 'da') => {
        const response = await get(kkr, `/evaluations/results?${query}`, { 'accept-language': lang });
        expect(response.statusCode, query).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        const body = response.json() as { errors: { field: string; message: string }[] };
        expect(body.errors, query).toEqual([expect.objectContaining({ field })]);
        return body.errors[0]!.message;
      };
      expect(await refused('groupBy=hub&from=2025-01-02&to=2025-03-31', 'from')).toContain('første dag i en måned');
      expect(await refused('groupBy=hub&from=2025-01-01&to=2025-03-30', 'to', 'en')).toContain('last day');
      await refused('groupBy=hub&from=2025-01-01&to=2025-04-01', 'to');
      await refused('groupBy=hub&from=2025-02-01&to=2025-04-30', 'to');
      await refused('groupBy=hub&from=2024-12-31&to=2025-03-31', 'from');
      await refused('groupBy=hub&to=2025-03-31', 'from');
      await refused('groupBy=hub&from=2025-01-01', 'to');
      expect(await refused('groupBy=hub&from=2026-11-01&to=2026-11-30', 'to', 'en')).toContain('not ended');
      await refused('groupBy=hub&from=2026-01-01&to=2026-12-31', 'to');
      await refused(`hub=${hubId}&municipality=540&${period('year')}`, 'municipality');
      // Without dates, the latest ended quarter; a filter on one dimension grouped by another, by month.
      expect(await results(kkr, 'groupBy=hub')).toMatchObject({ disclosureControl: true, period: { from: '2026-07-01', to: '2026-09-30' }, groupBy: 'hub' });
      for (const crossed of [`hub=${hubId}&groupBy=municipality`, 'municipality=540&groupBy=deliveryCategory']) {
        const answer = await results(kkr, `${crossed}&${period('year')}`);
        expect(answer, crossed).toMatchObject({ groupBy: 'month' });
        expect(answer.groups.every((g) => /^2025-\d{2}$/.test(g.key)), crossed).toBe(true);
      }
      // The exports apply the same rules.
      expect((await get(kkr, '/evaluations/results.csv?groupBy=hub&from=2025-01-02&to=2025-03-31')).statusCode).toBe(400);
      expect((await get(kkr, '/evaluations/results.xlsx?groupBy=hub&from=2025-01-01&to=2025-03-30')).statusCode).toBe(400);
    });

    it('exports to CSV and Excel without the figures of suppressed groups', async () => {
      const kkrView = await results(kkr, `groupBy=municipality&${period('year')}`);
      const hidden = kkrView.groups.filter((g) => g.suppressed);
      expect(hidden.length).toBeGreaterThanOrEqual(2);
      const csv = await get(kkr, `/evaluations/results.csv?groupBy=municipality&${period('year')}`);
      expect(csv.statusCode).toBe(200);
      const lines = csv.body.replace(/^\uFEFF/, '').split(/\r\n/).filter(Boolean);
      for (const g of hidden) {
        const line = lines.find((l) => l.includes(`"${g.label}"`))!;
        expect(line, g.label).toBeDefined();
        // The label, then nothing but empty cells, and "ja" in the suppressed column.
        const cells = line.split(';');
        expect(cells.slice(1, -1).every((c) => c === '' || c === '""'), line).toBe(true);
        expect(cells.at(-1)).toMatch(/ja/);
      }
      const xlsx = await get(kkr, `/evaluations/results.xlsx?groupBy=municipality&${period('year')}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
      for (const g of hidden) {
        const row = rows.find((r) => r[1] === g.label)!;
        expect(row, g.label).toBeDefined();
        expect(row.slice(2, 11).every((v) => v === undefined || v === null || v === ''), `${g.label}: ${JSON.stringify(row)}`).toBe(true);
      }
    });
  });

  describe('engagement statistics', () => {
    type Stats = { groups: { key: string; label: string; companies: number | null; engagements: number | null; suppressed: boolean }[] };
    const stats = (s: Session, groupBy: string, year = 2025) => json<Stats>(s, `/statistics/engagements?year=${year}&groupBy=${groupBy}`);
    /** The true number of companies per municipality and per hub, from the database. */
    async function truth() {
      const rows = await t.database.rows<{ municipality: string; hub: string; companies: number; engagements: number }>(sql`
        SELECT m.code::text AS municipality, m.hub_id::text AS hub, count(DISTINCT e.company_cvr)::int AS companies, count(*)::int AS engagements
        FROM engagements e JOIN companies c ON c.cvr = e.company_cvr JOIN municipalities m ON m.code = c.municipality_code
        WHERE e.opened_on <= '2025-12-31' AND (e.closed_on IS NULL OR e.closed_on >= '2025-01-01') GROUP BY 1, 2`);
      return rows;
    }

    it('suppressed groups carry no figures and shown groups rest on at least 5 companies, in every grouping', async () => {
      for (const groupBy of ['municipality', 'hub', 'deliveryCategory', 'organisationType']) {
        const body = await stats(kkr, groupBy);
        for (const g of body.groups) {
          if (g.suppressed) expect(g, `${groupBy} ${g.label}`).toMatchObject({ companies: null, engagements: null });
          else expect(g.companies!, `${groupBy} ${g.label}`).toBeGreaterThanOrEqual(5);
        }
        const hidden = body.groups.filter((g) => g.suppressed);
        if (hidden.length && hidden.length < body.groups.length) expect(hidden.length, groupBy).toBeGreaterThanOrEqual(2);
      }
    });

    it('a hub’s total minus its shown municipalities never gives one municipality, nor a hidden hub', async () => {
      const municipalities = await stats(kkr, 'municipality');
      const hubs = await stats(kkr, 'hub');
      const real = await truth();
      let checked = 0;
      for (const h of new Set(real.map((r) => r.hub))) {
        const own = real.filter((r) => r.hub === h);
        const shown = municipalities.groups.filter((g) => own.some((r) => r.municipality === g.key));
        const hidden = shown.filter((g) => g.suppressed);
        const hubCell = hubs.groups.find((g) => g.key === h)!;
        const where = `hub ${hubCell.label}`;
        if (hubCell.suppressed && hidden.length === 0) throw new Error(`${where}: hidden, yet its municipalities add up to it`);
        if (hidden.length === 0 || hidden.length === shown.length) continue;
        checked++;
        expect(hidden.length, where).toBeGreaterThanOrEqual(2);
        const together = hidden.reduce((s, g) => s + own.find((r) => r.municipality === g.key)!.companies, 0);
        expect(together, where).toBeGreaterThanOrEqual(5);
        if (!hubCell.suppressed) {
          // What the reader can work out: the hub's engagements minus the shown municipalities' is the hidden ones' together.
          const rest = hubCell.engagements! - shown.filter((g) => !g.suppressed).reduce((s, g) => s + g.engagements!, 0);
          expect(rest).toBe(hidden.reduce((s, g) => s + own.find((r) => r.municipality === g.key)!.engagements, 0));
        }
      }
      expect(checked).toBeGreaterThan(0);
      // Fyn: Svendborg (3 companies) is hidden, and Nyborg with it, though Nyborg rests on 6.
      expect(municipalities.groups.find((g) => g.key === '479')).toMatchObject({ suppressed: true, companies: null });
      expect(municipalities.groups.find((g) => g.key === '450')).toMatchObject({ suppressed: true, companies: null });
      // The overall minus the shown hubs: never one hub (Nordjylland rests on 3 companies).
      expect(hubs.groups.filter((g) => g.suppressed).length).toBeGreaterThanOrEqual(2);
    });

    it('gives a hub user the very same protected table: statistics count every organisation’s engagements', async () => {
      // A hub's total minus its shown municipalities must not give one to anyone, so nobody reads them unprotected.
      for (const groupBy of ['municipality', 'hub']) expect(await stats(hub, groupBy)).toEqual(await stats(kkr, groupBy));
      expect((await stats(hub, 'municipality')).groups.find((g) => g.key === '450')).toMatchObject({ suppressed: true, companies: null });
    });

    it('refuses the running year to everyone, naming the field', async () => {
      for (const who of [kkr, hub]) {
        const response = await get(who, '/statistics/engagements?year=2026&groupBy=hub');
        expect(response.statusCode).toBe(400);
        expect(response.json().errors).toEqual([expect.objectContaining({ field: 'year' })]);
      }
    });
  });

  describe('contract reports', () => {
    let contractId: string;

    beforeAll(async () => {
      // 2024: a single answer for Sydjylland (NPS 10, effect "i høj grad"), from a single guided company.
      const [managerRow] = await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'direktor@syd.dk'`);
      const cvr = (await companiesIn(t.database, 630))[0]!;
      const [e] = await t.database.rows<{ id: string }>(sql`
        INSERT INTO engagements (company_cvr, organisation_id, responsible_user_id, level, delivery_category_id, opened_on)
        VALUES (${cvr}, ${hubId}, ${managerRow!.id}, 'specialised', (SELECT id FROM delivery_categories WHERE organisation_id = ${hubId} AND key = 'vaekst'), '2024-03-01')
        RETURNING id`);
      await t.database.rows(sql`
        INSERT INTO evaluation_answers (engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source)
        VALUES (${e!.id}, ${cvr}, ${hubId}, '2024-05-15', 10, 'i høj grad', 'link')`);
      const template = await json<Record<string, unknown>>(hub, '/contracts/template');
      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/contracts/import', headers: hub.headers, payload: { ...template, override: { periodStart: '2024-01-01', periodEnd: '2024-12-31', title: 'Resultatkontrakt 2024' } } });
      expect(imported.statusCode, imported.body).toBe(201);
      contractId = imported.json().id;
    });

    type Goal = { number: number; value: number | null; fulfilment: number | null; trend: number | null; suppressed: boolean; withheld: string | null; basis: number | null; breakdown: { value: number | null; withheld: string | null }[] };

    it('shows KKR "fewer than 5" for goals computed from one answer and one company, without fulfilment; the hub sees the figures', async () => {
      const forKkr = await json<{ asOf: string; goals: Goal[] }>(kkr, `/contracts/${contractId}/report?at=2024-12-31`);
      const goal = (n: number) => forKkr.goals.find((g) => g.number === n)!;
      for (const n of [1, 2, 5]) {
        expect(goal(n), `goal ${n}`).toMatchObject({ value: null, fulfilment: null, trend: null, basis: null, suppressed: true, withheld: 'fewer_than_5' });
        // Parts resting on companies are withheld too; an empty part (0) discloses nobody.
        for (const part of goal(n).breakdown) expect(part.value === null || part.value === 0, `goal ${n} breakdown ${JSON.stringify(part)}`).toBe(true);
        expect(goal(n).breakdown.some((p) => p.withheld === 'fewer_than_5'), `goal ${n}`).toBe(true);
      }
      // Goals that do not count companies are shown as they are.
      expect(goal(4)).toMatchObject({ suppressed: false, withheld: null, value: 0 });
      const forHub = await json<{ goals: Goal[] }>(hub, `/contracts/${contractId}/report?at=2024-12-31`);
      expect(forHub.goals.find((g) => g.number === 1)).toMatchObject({ value: 100, fulfilment: 100, suppressed: false, withheld: null, basis: 1 });
      expect(forHub.goals.find((g) => g.number === 2)).toMatchObject({ value: 100, suppressed: false });
      expect(forHub.goals.find((g) => g.number === 5)).toMatchObject({ value: 1, suppressed: false });
      // Nothing in the KKR answer gives the value away.
      expect(JSON.stringify(forKkr.goals.filter((g) => [1, 2, 5].includes(g.number)))).not.toMatch(/"(value|fulfilment|basis)":(100|1)[,}]/);
      // An adviser of a municipality in the region reads the contract (an aggregate document) as KKR does.
      await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
      const municipality = await json<{ goals: Goal[] }>(await login(t.app, 'adviser@sonderborg.dk'), `/contracts/${contractId}/report?at=2024-12-31`);
      expect(municipality.goals).toEqual(forKkr.goals);
    });

    it('writes "Færre end 5" into the Excel and Word files KKR downloads, and no fulfilment', async () => {
      const xlsx = await get(kkr, `/contracts/${contractId}/report?at=2024-12-31&format=xlsx`);
      expect(xlsx.statusCode, xlsx.body).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
      const goalRow = (n: number) => rows.find((r) => r[1] === n)!;
      for (const n of [1, 2, 5]) {
        expect(goalRow(n)[4], `goal ${n} value`).toBe('Færre end 5');
        expect(goalRow(n)[7] ?? null, `goal ${n} fulfilment`).toBeNull();
      }
      const hubBook = new ExcelJS.Workbook();
      await hubBook.xlsx.load((await get(hub, `/contracts/${contractId}/report?at=2024-12-31&format=xlsx`)).rawPayload as unknown as ArrayBuffer);
      const hubRow = (hubBook.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).find((r) => r[1] === 1)!;
      expect(hubRow[4]).toBe(100);
      expect(hubRow[7]).toBe(100);

      const docx = await get(kkr, `/contracts/${contractId}/report?at=2024-12-31&format=docx`);
      const text = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
      expect(text).toContain('Færre end 5');
      const pdf = await get(kkr, `/contracts/${contractId}/report?at=2024-12-31&format=pdf`);
      expect(pdf.statusCode).toBe(200);
    });

    it('withholds the same figures in a published status report, JSON and export', async () => {
      const draft = await t.app.inject({ method: 'POST', url: `/api/v1/contracts/${contractId}/status-reports`, headers: hub.headers, payload: { asOf: '2024-12-31' } });
      expect(draft.statusCode, draft.body).toBe(201);
      const id = draft.json().id as string;
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/status-reports/${id}/publish`, headers: hub.headers })).statusCode).toBe(200);
      const forKkr = await json<{ snapshot: { goals: Goal[] } }>(kkr, `/status-reports/${id}`);
      expect(forKkr.snapshot.goals.find((g) => g.number === 1)).toMatchObject({ value: null, fulfilment: null, withheld: 'fewer_than_5' });
      const listed = await json<{ items: { snapshot: { goals: Goal[] } }[] }>(kkr, `/contracts/${contractId}/status-reports`);
      expect(listed.items[0]!.snapshot.goals.find((g) => g.number === 1)).toMatchObject({ value: null, withheld: 'fewer_than_5' });
      const forHub = await json<{ snapshot: { goals: Goal[] } }>(hub, `/status-reports/${id}`);
      expect(forHub.snapshot.goals.find((g) => g.number === 1)).toMatchObject({ value: 100, fulfilment: 100 });
      const xlsx = await get(kkr, `/status-reports/${id}?format=xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const row = (book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).find((r) => r[1] === 1)!;
      expect(row[4]).toBe('Færre end 5');
      expect(row[7] ?? null).toBeNull();
    });

    it('lets KKR read live figures only as of the end of a month that has ended', async () => {
      for (const at of ['2024-12-30', '2024-06-15', '2026-11-30']) {
        const response = await get(kkr, `/contracts/${contractId}/report?at=${at}`);
        expect(response.statusCode, at).toBe(400);
        expect(response.json().errors).toEqual([expect.objectContaining({ field: 'at' })]);
      }
      expect((await get(kkr, `/contracts/${contractId}/report`)).statusCode).toBe(200);
      expect((await get(hub, `/contracts/${contractId}/report?at=2024-12-30`)).statusCode).toBe(200);
    });
  });

  describe('contract figures over time', () => {
    let contractId: string;
    type Goal = { number: number; value: number | null; fulfilment: number | null; trend: number | null; withheld: string | null; breakdown: { label: string; value: number | null }[] };
    const monthEnds = ['2023-01-31', '2023-02-28', '2023-03-31', '2023-04-30', '2023-05-31', '2023-06-30', '2023-07-31', '2023-08-31', '2023-09-30', '2023-10-31', '2023-11-30', '2023-12-31'];

    beforeAll(async () => {
      // 2023 in Esbjerg: six companies answer in February, one in May, five in August.
      const [managerRow] = await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'direktor@syd.dk'`);
      const cvrs = (await companiesIn(t.database, 561)).slice(0, 12);
      const days = [...Array(6).fill('2023-02-10'), '2023-05-15', ...Array(5).fill('2023-08-20')] as string[];
      for (const [i, cvr] of cvrs.entries()) {
        const [e] = await t.database.rows<{ id: string }>(sql`
          INSERT INTO engagements (company_cvr, organisation_id, responsible_user_id, level, delivery_category_id, opened_on)
          VALUES (${cvr}, ${hubId}, ${managerRow!.id}, 'specialised', (SELECT id FROM delivery_categories WHERE organisation_id = ${hubId} AND key = 'vaekst'), ${days[i]!}::date)
          RETURNING id`);
        await t.database.rows(sql`
          INSERT INTO evaluation_answers (engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source)
          VALUES (${e!.id}, ${cvr}, ${hubId}, ${days[i]!}::date, ${i === 6 ? 0 : 9}, 'i høj grad', 'link')`);
      }
      const template = await json<Record<string, unknown>>(hub, '/contracts/template');
      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/contracts/import', headers: hub.headers, payload: { ...template, override: { periodStart: '2023-01-01', periodEnd: '2023-12-31', title: 'Resultatkontrakt 2023' } } });
      expect(imported.statusCode, imported.body).toBe(201);
      contractId = imported.json().id;
    });

    it('never shows KKR two month ends whose figures differ by fewer than 5 companies', async () => {
      const seen: { at: string; answers: number; guided: number | null }[] = [];
      for (const at of monthEnds) {
        const report = await json<{ goals: Goal[] }>(kkr, `/contracts/${contractId}/report?at=${at}`);
        const nps = report.goals.find((g) => g.number === 1)!;
        const guided = report.goals.find((g) => g.number === 5)!;
        if (nps.value !== null) seen.push({ at, answers: nps.breakdown[0]!.value!, guided: guided.value });
        // January has no answers yet: no data, nothing withheld.
        else if (at === '2023-01-31') expect(nps, at).toMatchObject({ withheld: null, breakdown: [{ label: 'Svar', value: 0 }] });
        else expect(nps, at).toMatchObject({ fulfilment: null, trend: null, withheld: expect.stringMatching(/^(fewer_than_5|suppressed)$/) });
      }
      // May to July would each differ from April by the one answer given in May; and from May on the
      // goal sums Sydjylland's May cell of the evaluation table by hub, which the table hides (one
      // answer), so it stays withheld.
      expect(seen.map((s) => s.at)).toEqual(['2023-02-28', '2023-03-31', '2023-04-30']);
      for (const a of seen) for (const b of seen) {
        const d = Math.abs(a.answers - b.answers);
        expect(d === 0 || d >= 5, `${a.at} vs ${b.at}: ${d} answers`).toBe(true);
        if (a.guided !== null && b.guided !== null) expect(Math.abs(a.guided - b.guided) === 0 || Math.abs(a.guided - b.guided) >= 5).toBe(true);
      }
      const may = await json<{ goals: Goal[] }>(kkr, `/contracts/${contractId}/report?at=2023-05-31`);
      expect(may.goals.find((g) => g.number === 1)).toMatchObject({ value: null, withheld: 'suppressed' });
      expect(may.goals.find((g) => g.number === 5)).toMatchObject({ value: null, withheld: 'suppressed' });
      // The hub sees May as it is.
      const forHub = await json<{ goals: Goal[] }>(hub, `/contracts/${contractId}/report?at=2023-05-31`);
      expect(forHub.goals.find((g) => g.number === 1)!.value).not.toBeNull();
      expect(forHub.goals.find((g) => g.number === 5)!.value).toBe(7);
      // The Excel file says so too.
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await get(kkr, `/contracts/${contractId}/report?at=2023-05-31&format=xlsx`)).rawPayload as unknown as ArrayBuffer);
      const row = (book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).find((r) => r[1] === 1)!;
      expect(row[4]).toBe('Skjult');
      expect(row[7] ?? null).toBeNull();
    });

    it('judges published reports against the ones before them, with their frozen figures', async () => {
      const publish = async (asOf: string) => {
        const draft = await t.app.inject({ method: 'POST', url: `/api/v1/contracts/${contractId}/status-reports`, headers: hub.headers, payload: { asOf } });
        expect(draft.statusCode, draft.body).toBe(201);
        expect((await t.app.inject({ method: 'POST', url: `/api/v1/status-reports/${draft.json().id}/publish`, headers: hub.headers })).statusCode).toBe(200);
        return draft.json().id as string;
      };
      const april = await publish('2023-04-30');
      const may = await publish('2023-05-31');
      const aprilForKkr = await json<{ snapshot: { goals: Goal[] } }>(kkr, `/status-reports/${april}`);
      expect(aprilForKkr.snapshot.goals.find((g) => g.number === 1)!.value).toBe(100);
      const mayForKkr = await json<{ snapshot: { goals: Goal[] } }>(kkr, `/status-reports/${may}`);
      expect(mayForKkr.snapshot.goals.find((g) => g.number === 1)).toMatchObject({ value: null, fulfilment: null, trend: null, withheld: 'suppressed' });
      const mayForHub = await json<{ snapshot: { goals: Goal[] } }>(hub, `/status-reports/${may}`);
      expect(mayForHub.snapshot.goals.find((g) => g.number === 1)!.value).not.toBeNull();
      const docx = await get(kkr, `/status-reports/${may}?format=docx`);
      expect(await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string')).toContain('Skjult');
    });
  });
});
