import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { hubKey } from '../../modules/organisations/reference.ts';
import { companiesIn } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../helpers.ts';

/**
 * Security review: a KKR user derived contract figures on fewer than 5 companies that disclosure
 * control withholds, by subtracting figures it does show.
 *
 * - D1: a goal split on one municipality shows the whole and the part; the part does not cover the
 *   whole, and the remainder (companies guided elsewhere) is the whole minus the part.
 * - D2: two contracts of the KKR's own making count the same from two start dates days apart.
 * - D3: the shipped template's goal 5 splits by delivery category; uncategorised companies are in
 *   neither part, so the whole minus the parts gives them away.
 * - Nested goals: two goals (of one contract or two) counting nested populations (municipalities
 *   [461, 479] and [461]) differ by the companies of the one left out.
 * - Over time: the remainder grows by fewer than 5 between two month ends while the whole and the part
 *   each grow by 5 or more.
 * - Editing an indicator (KKR managers may): an older contract's goal counting something new would
 *   escape the comparison with what was shown after it, so what a goal counts is fixed once shown.
 *
 * Each test asserts that the attack no longer works for KKR, and that the hub keeps its exact figures.
 * The test clock stands at 2026-11-27: 2025 and its months have ended.
 */

type Part = { label: string; value: number | null; withheld: string | null };
type Goal = { number: number; value: number | null; fulfilment: number | null; basis: number | null; suppressed: boolean; withheld: string | null; breakdown: Part[] };
type Report = { goals: Goal[] };

describe('contract disclosure: no figure on fewer than 5 companies from differences', () => {
  let t: TestContext;
  let kkr: Session;
  let kkrReader: Session;
  let hubManager: Session;
  let fynManager: Session;
  let nordManager: Session;
  afterAll(() => t.close());

  const post = (s: Session, url: string, payload: object, lang?: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...s.headers, ...(lang ? { 'accept-language': lang } : {}) }, payload });
  const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.headers });
  async function report(s: Session, id: string, at = '2025-12-31'): Promise<Report> {
    const response = await get(s, `/contracts/${id}/report?at=${at}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Report;
  }
  async function imported(s: Session, payload: object): Promise<string> {
    const response = await post(s, '/contracts/import', payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }
  const contract = (title: string, periodStart: string, goals: object[], parties = { kkr: 'KKR Syddanmark', hub: 'Erhvervshus Sydjylland' }) => ({ title, ...parties, periodStart, periodEnd: '2025-12-31', goals });
  const goal = (number: number, indicator: object) => ({ number, group: 'regional', title: `Mål ${number}`, description: '', method: '', reporting: 'annual', indicator });
  const fyn = { kkr: 'KKR Syddanmark', hub: 'Erhvervshus Fyn' };
  const split = (...parts: [string, number[]][]) => ({ type: 'guided_companies', split: parts.map(([label, municipalities]) => ({ label, municipalities, target: 10 })), scale: { type: 'proportional' } });

  /** What a reader can work out from one goal: the whole minus every part it is shown. */
  const remainder = (g: Goal) => (g.value === null || g.breakdown.some((p) => p.value === null) ? null : g.value - g.breakdown.reduce((s, p) => s + p.value!, 0));
  const small = (n: number | null) => n !== null && n > 0 && n < 5;

  beforeAll(async () => {
    t = await createTestApp();
    await upsertCompanies(t.database, generateCompanies(4000, 10));
    const users = {
      syd: await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland }),
      fyn: await createUser(t.database, { email: 'adviser@fyn.dk', role: 'adviser', org: orgKeys.fyn }),
      nord: await createUser(t.database, { email: 'adviser@nord.dk', role: 'adviser', org: hubKey('Erhvervshus Nordjylland') }),
    };
    await createUser(t.database, { email: 'manager@kkr.dk', role: 'manager', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'direktor@fyn.dk', role: 'manager', org: orgKeys.fyn });
    await createUser(t.database, { email: 'direktor@nord.dk', role: 'manager', org: hubKey('Erhvervshus Nordjylland') });
    kkr = await login(t.app, 'manager@kkr.dk');
    kkrReader = await login(t.app, 'reader@kkr.dk');
    hubManager = await login(t.app, 'direktor@syd.dk');
    fynManager = await login(t.app, 'direktor@fyn.dk');
    nordManager = await login(t.app, 'direktor@nord.dk');

    const used = new Map<number, number>();
    /** Specialised engagements for `n` companies of a municipality, opened on `day`, in a delivery category (or none). */
    const open = async (hub: string, user: string, municipality: number, n: number, day: string, category: string | null) => {
      const hubId = await orgId(t.database, hubKey(hub));
      const start = used.get(municipality) ?? 0;
      used.set(municipality, start + n);
      const cvrs = (await companiesIn(t.database, municipality)).slice(start, start + n);
      expect(cvrs).toHaveLength(n);
      for (const cvr of cvrs) {
        await t.database.rows(sql`INSERT INTO engagements (company_cvr, organisation_id, responsible_user_id, level, opened_on, delivery_category_id)
          VALUES (${cvr}, ${hubId}, ${user}, 'specialised', ${day}::date, (SELECT id FROM delivery_categories WHERE organisation_id = ${hubId} AND key = ${category}))`);
      }
    };
    // The reviewer's data: Sydjylland, 8 companies in Sønderborg (vækst) and 2 in Aabenraa (no category).
    await open('Erhvervshus Sydjylland', users.syd, 540, 8, '2025-03-01', 'vaekst');
    await open('Erhvervshus Sydjylland', users.syd, 580, 2, '2025-02-10', null);
    // Fyn: 8 in Odense, 2 in Svendborg, 7 in Nyborg, so every goal's remainder rests on 5 or more.
    await open('Erhvervshus Fyn', users.fyn, 461, 8, '2025-03-03', 'vaekst');
    await open('Erhvervshus Fyn', users.fyn, 479, 2, '2025-03-04', 'vaekst');
    await open('Erhvervshus Fyn', users.fyn, 450, 7, '2025-03-05', 'vaekst');
    // Nordjylland, in Aalborg: January 10 in vækst and 5 without a category; February 5 more in vækst and 2 more without.
    await open('Erhvervshus Nordjylland', users.nord, 851, 10, '2025-01-10', 'vaekst');
    await open('Erhvervshus Nordjylland', users.nord, 851, 5, '2025-01-11', null);
    await open('Erhvervshus Nordjylland', users.nord, 851, 5, '2025-02-10', 'vaekst');
    await open('Erhvervshus Nordjylland', users.nord, 851, 2, '2025-02-11', null);
  });

  it('D1: a part that leaves companies out is withheld when the remainder rests on fewer than 5; the hub sees both', async () => {
    const id = await imported(kkr, contract('KKR egen kontrakt', '2025-01-01', [goal(1, split(['Sønderborg', [540]]))]));
    const [g] = (await report(kkr, id)).goals;
    // The whole is shown; the part (8), which would leave 2 companies guided elsewhere, is not.
    expect(g).toMatchObject({ value: 10, suppressed: false, fulfilment: null });
    expect(g!.breakdown[0]).toMatchObject({ label: 'Sønderborg', value: null, withheld: 'suppressed' });
    expect(small(remainder(g!))).toBe(false);
    const [forHub] = (await report(hubManager, id)).goals;
    expect(forHub).toMatchObject({ value: 10, withheld: null, breakdown: [{ label: 'Sønderborg', value: 8, withheld: null }] });
    // What the breakdown is made of never leaves the server.
    expect(JSON.stringify(await report(hubManager, id))).not.toContain('cells');
  });

  it('D2: a contract period runs from the first to the last day of a month (refused otherwise, naming the field, in Danish and English)', async () => {
    const indicator = { type: 'engagements', level: 'specialised', scale: { type: 'proportional' } };
    const before = (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM contracts`))[0]!.n;
    const da = await post(kkr, '/contracts/import', contract('Periode B', '2025-02-11', [goal(1, indicator)]));
    expect(da.statusCode, da.body).toBe(400);
    expect(da.json().errors).toEqual([expect.objectContaining({ field: 'periodStart', message: expect.stringContaining('første dag i en måned') })]);
    const en = await post(kkr, '/contracts/import', { ...contract('Periode B', '2025-02-01', [goal(1, indicator)]), periodEnd: '2025-12-30' }, 'en');
    expect(en.statusCode, en.body).toBe(400);
    expect(en.json().errors).toEqual([expect.objectContaining({ field: 'periodEnd', message: expect.stringContaining('last day of a month') })]);
    // The template with an override names the override's field.
    const template = (await get(hubManager, '/contracts/template')).json();
    const overridden = await post(hubManager, '/contracts/import', { ...template, override: { periodStart: '2025-01-15', periodEnd: '2025-12-31' } });
    expect(overridden.json().errors).toEqual([expect.objectContaining({ field: 'override.periodStart' })]);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM contracts`))[0]!.n).toBe(before);
  });

  it('D2: two contracts counting from month starts whose figures differ by fewer than 5 companies: the later one is withheld, the hub sees both', async () => {
    const indicator = { type: 'engagements', level: 'specialised', scale: { type: 'proportional' } };
    const a = await imported(kkr, contract('Periode A', '2025-01-01', [goal(1, indicator)]));
    const b = await imported(kkr, contract('Periode B', '2025-03-01', [goal(1, indicator)]));
    const c = await imported(kkr, contract('Periode C', '2025-02-01', [goal(1, indicator)]));
    const [ga] = (await report(kkr, a)).goals;
    const [gb] = (await report(kkrReader, b)).goals;
    const [gc] = (await report(kkr, c)).goals;
    expect(ga).toMatchObject({ value: 10, withheld: null });
    // From March: 8, two fewer than from January.
    expect(gb).toMatchObject({ value: null, basis: null, suppressed: true, withheld: 'suppressed' });
    // From February: the same 10 companies, nothing to hide.
    expect(gc).toMatchObject({ value: 10, withheld: null });
    // At every month end KKR can ask for, no two figures shown differ by 1–4.
    const shown: number[] = [];
    for (const at of ['2025-03-31', '2025-06-30', '2025-12-31']) for (const id of [a, b, c]) {
      const [g] = (await report(kkr, id, at)).goals;
      if (g!.value !== null) shown.push(g!.value);
    }
    for (const x of shown) for (const y of shown) expect(small(Math.abs(x - y)), `${x} and ${y}`).toBe(false);
    expect((await report(hubManager, b)).goals[0]).toMatchObject({ value: 8, withheld: null });
  });

  it('D3: the template imported by the hub: goal 5 does not give away the uncategorised companies; the hub sees its parts', async () => {
    const template = (await get(hubManager, '/contracts/template')).json();
    const id = await imported(hubManager, { ...template, override: { periodStart: '2025-01-01', periodEnd: '2025-12-31', title: 'Resultatkontrakt 2025' } });
    const g5 = (await report(kkrReader, id)).goals.find((g) => g.number === 5)!;
    expect(g5).toMatchObject({ value: 10, withheld: null, fulfilment: null });
    expect(g5.breakdown.find((p) => p.label === 'Vækst og drift')).toMatchObject({ value: null, withheld: 'suppressed' });
    const shownParts = g5.breakdown.reduce((s, p) => s + (p.value ?? 0), 0);
    expect(g5.value! - shownParts).not.toBe(2);
    expect(small(remainder(g5))).toBe(false);
    const forHub = (await report(hubManager, id)).goals.find((g) => g.number === 5)!;
    expect(forHub.breakdown.map((p) => [p.label, p.value])).toEqual([['Vækst og drift', 8], ['RK2020 og Early Warning', 0]]);
    expect(forHub.value).toBe(10);
  });

  it('what a goal counts is fixed once KKR may have seen its figures (an older figure counting anew would escape the comparison); targets and deliverables are not', async () => {
    const template = (await get(hubManager, '/contracts/template')).json() as { goals: { number: number; indicator: { split?: { target: number }[] } }[] };
    const id = await imported(hubManager, { ...template, override: { periodStart: '2025-01-01', periodEnd: '2025-12-31', title: 'Resultatkontrakt 2025 (KKR retter)' } });
    const edit = (s: Session, contractId: string, number: number, indicator: object, lang = 'da') =>
      t.app.inject({ method: 'PUT', url: `/api/v1/contracts/${contractId}/goals/${number}/indicator`, headers: { ...s.headers, 'accept-language': lang }, payload: indicator });
    const narrowed = await edit(kkr, id, 5, split(['Sønderborg', [540]]));
    expect(narrowed.statusCode, narrowed.body).toBe(409);
    expect(narrowed.json().detail).toContain('Hvad mål 5 tæller');
    expect((await edit(hubManager, id, 5, { type: 'engagements', scale: { type: 'proportional' } }, 'en')).json().detail).toContain('What goal 5 counts');
    expect((await edit(kkr, id, 12, { type: 'guided_companies', scale: { type: 'proportional' } })).statusCode).toBe(409);
    // New targets, the same parts: fine.
    const goal5 = template.goals.find((g) => g.number === 5)!.indicator;
    expect((await edit(kkr, id, 5, { ...goal5, split: goal5.split!.map((p) => ({ ...p, target: 500 })) })).statusCode).toBe(200);
    expect((await edit(kkr, id, 3, { type: 'manual', scale: { type: 'manual' }, deliverables: [{ title: 'Digital indgang', done: true }] })).statusCode).toBe(200);
    // A contract none of whose months has ended yet may still be changed.
    const future = await imported(kkr, { ...contract('KKR 2027', '2027-01-01', [goal(1, split(['Sønderborg', [540]]))]), periodEnd: '2027-12-31' });
    expect((await edit(kkr, future, 1, split(['Sønderborg og Aabenraa', [540, 580]]))).statusCode).toBe(200);
  });

  it('nested goals of one contract: municipalities [461, 479] and [461] never both shown 2 apart; the hub sees both', async () => {
    const id = await imported(kkr, contract('Fyn: to mål', '2025-01-01', [goal(1, split(['Odense og Svendborg', [461, 479]])), goal(2, split(['Odense', [461]]))], fyn));
    const forKkr = await report(kkrReader, id);
    const [g1, g2] = forKkr.goals;
    // Every remainder rests on 5 or more: each goal alone gives nothing away.
    expect(g1).toMatchObject({ value: 17, breakdown: [{ value: 10, withheld: null }] });
    expect(g2).toMatchObject({ value: 17, breakdown: [{ label: 'Odense', value: null, withheld: 'suppressed' }] });
    const parts = [g1!.breakdown[0]!.value, g2!.breakdown[0]!.value];
    expect(parts.includes(null) || !small(Math.abs(parts[0]! - parts[1]!))).toBe(true);
    const forHub = await report(fynManager, id);
    expect(forHub.goals.map((g) => g.breakdown[0]!.value)).toEqual([10, 8]);
  });

  it('nested goals of two contracts for the same hub: the one made later is withheld; the hub sees both', async () => {
    const p = await imported(kkr, contract('Fyn: Svendborg og Nyborg', '2025-01-01', [goal(1, split(['Svendborg og Nyborg', [479, 450]]))], fyn));
    const q = await imported(kkr, contract('Fyn: Nyborg', '2025-01-01', [goal(1, split(['Nyborg', [450]]))], fyn));
    const [gp] = (await report(kkrReader, p)).goals;
    const [gq] = (await report(kkrReader, q)).goals;
    expect(gp).toMatchObject({ value: 17, breakdown: [{ value: 9, withheld: null }] });
    expect(gq).toMatchObject({ value: 17, breakdown: [{ label: 'Nyborg', value: null, withheld: 'suppressed' }] });
    // Engagements in Fyn: all of them and the specialised ones are the same 17 here, nothing hidden.
    const all = await imported(kkr, contract('Fyn: forløb', '2025-01-01', [goal(1, { type: 'engagements', scale: { type: 'proportional' } }), goal(2, { type: 'engagements', level: 'specialised', scale: { type: 'proportional' } })], fyn));
    expect((await report(kkrReader, all)).goals.map((g) => g.value)).toEqual([17, 17]);
    expect((await report(fynManager, q)).goals[0]!.breakdown[0]!.value).toBe(7);
  });

  it('over time: the remainder may not change by fewer than 5 between two month ends a reader sees whole', async () => {
    const id = await imported(nordManager, contract('Nordjylland 2025', '2025-01-01', [goal(1, { type: 'guided_companies', split: [{ label: 'Vækst', categories: ['vaekst'], target: 20 }], scale: { type: 'proportional' } })], { kkr: 'KKR Nordjylland', hub: 'Erhvervshus Nordjylland' }));
    const [january] = (await report(kkrReader, id, '2025-01-31')).goals;
    const [february] = (await report(kkrReader, id, '2025-02-28')).goals;
    // January: 15 guided, 10 in vækst, 5 in no category. February: 22 (7 more), 15 (5 more), 7 (2 more).
    expect(january).toMatchObject({ value: 15, breakdown: [{ value: 10 }] });
    expect(remainder(january!)).toBe(5);
    const jan = remainder(january!);
    const feb = remainder(february!);
    expect(jan === null || feb === null || !small(Math.abs(feb - jan))).toBe(true);
    expect(february).toMatchObject({ value: 22, breakdown: [{ value: null, withheld: 'suppressed' }] });
    expect((await report(nordManager, id, '2025-02-28')).goals[0]).toMatchObject({ value: 22, breakdown: [{ value: 15 }] });
  });
});
