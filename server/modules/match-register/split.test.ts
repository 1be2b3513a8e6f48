import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMunicipalities } from '../organisations/reference.ts';
import { creditOf, quarterOf, SplitError, splitMunicipalTarget, type MunicipalityInput } from './split.ts';
import { decodeStatbank, parseStatbankWorkplaces, StatbankError } from './statbank.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../fixtures/statbank/${name}`, import.meta.url)));
const municipalities = readMunicipalities().map((m) => ({ code: m.code, name: m.name }));
const northJutland = readMunicipalities().filter((m) => m.region === 'Region Nordjylland');
const LAESOE = 825;

/** The North Jutland workplaces of the fixture, as the split takes them. */
function fromFixture(overrides: Record<number, number> = {}): MunicipalityInput[] {
  const { values } = parseStatbankWorkplaces(decodeStatbank(fixture('erhv2-nordjylland-2019-utf8.csv')), municipalities);
  return northJutland.map((m) => ({ code: m.code, name: m.name, workplaces: values.get(m.code)!, targetOverride: overrides[m.code] ?? null }));
}
const sum = (xs: { target: number }[]) => xs.reduce((s, x) => s + x.target, 0);

describe('the municipal target split', () => {
  it('splits 1,400 by share of workplaces with Læsø left out: the total exact, every other municipality with a target', () => {
    const split = splitMunicipalTarget(1400, fromFixture(), new Set([LAESOE]));
    expect(sum(split)).toBe(1400);
    expect(split).toHaveLength(11);
    expect(split.find((m) => m.code === LAESOE)).toMatchObject({ target: 0, excluded: true, share: 0 });
    for (const m of split.filter((x) => x.code !== LAESOE)) expect(m.target, m.name).toBeGreaterThan(0);
    // By hand: Aalborg has 12,588 of the 37,904 workplaces outside Læsø: 1,400 × 12,588 / 37,904 = 464.93 → 465.
    expect(split.find((m) => m.code === 851)).toMatchObject({ target: 465, excluded: false, overridden: false });
    expect(split.find((m) => m.code === 851)!.share).toBeCloseTo(12588 / 37904, 10);
    // Morsø: 1,400 × 1,436 / 37,904 = 53.04 → 53.
    expect(split.find((m) => m.code === 773)!.target).toBe(53);
  });

  it('gives each municipality the floor of its quota or one more, never anything else', () => {
    const input = fromFixture();
    const w = input.filter((m) => m.code !== LAESOE).reduce((s, m) => s + m.workplaces, 0);
    for (const m of splitMunicipalTarget(1400, input, new Set([LAESOE])).filter((x) => !x.excluded)) {
      const quota = (1400 * m.workplaces) / w;
      expect(m.target === Math.floor(quota) || m.target === Math.floor(quota) + 1, `${m.name}: ${quota} → ${m.target}`).toBe(true);
    }
  });

  it('keeps the total exact where plain rounding would not: three equal municipalities share 100', () => {
    const equal = [1, 2, 3].map((code) => ({ code, name: `K${code}`, workplaces: 10, targetOverride: null }));
    const split = splitMunicipalTarget(100, equal, new Set());
    expect(split.map((m) => m.target)).toEqual([34, 33, 33]);
    // Plain rounding of 2 × 0.5 would give 2 or 0; largest remainder gives 1, to the larger municipality.
    expect(splitMunicipalTarget(1, [{ code: 1, name: 'a', workplaces: 5, targetOverride: null }, { code: 2, name: 'b', workplaces: 6, targetOverride: null }], new Set()).map((m) => m.target)).toEqual([0, 1]);
  });

  it.each([1, 7, 999, 1400, 2000])('adds up to %i for any total', (total) => {
    expect(sum(splitMunicipalTarget(total, fromFixture(), new Set([LAESOE])))).toBe(total);
  });

  it('respects a target set by hand and splits the rest between the others', () => {
    const split = splitMunicipalTarget(1400, fromFixture({ 851: 500, 773: 40 }), new Set([LAESOE]));
    expect(sum(split)).toBe(1400);
    expect(split.find((m) => m.code === 851)).toMatchObject({ target: 500, overridden: true });
    expect(split.find((m) => m.code === 773)).toMatchObject({ target: 40, overridden: true });
    // The other eight share 860 by their workplaces (23,880 in all): Hjørring 860 × 4,483 / 23,880 = 161.45 → 161.
    expect(split.find((m) => m.code === 860)!.target).toBe(161);
    expect(sum(split.filter((m) => !m.overridden))).toBe(860);
  });

  it('leaves out only municipalities the rule excludes, even with a target set by hand for one', () => {
    const split = splitMunicipalTarget(1400, fromFixture({ [LAESOE]: 10 }), new Set([LAESOE]));
    expect(split.find((m) => m.code === LAESOE)).toMatchObject({ target: 0, excluded: true, overridden: false });
    expect(sum(split)).toBe(1400);
    // Without the rule Læsø takes part like anyone else.
    const all = splitMunicipalTarget(1400, fromFixture(), new Set());
    expect(all.find((m) => m.code === LAESOE)!.target).toBe(7);
    expect(sum(all)).toBe(1400);
  });

  it('refuses targets by hand above the total, and a remainder with no workplaces to split it by', () => {
    expect(() => splitMunicipalTarget(100, fromFixture({ 851: 90, 860: 20 }), new Set())).toThrow(SplitError);
    const none = [{ code: 1, name: 'a', workplaces: 0, targetOverride: null }];
    expect(() => splitMunicipalTarget(5, none, new Set())).toThrow(expect.objectContaining({ key: 'matchProject.noWorkplaces' }));
    expect(sum(splitMunicipalTarget(0, none, new Set()))).toBe(0);
  });
});

describe('credit of a shared match', () => {
  it('splits equally under `split` and gives all to the registering partner under `first`', () => {
    expect([...creditOf('split', ['a', 'b']).entries()]).toEqual([['a', 0.5], ['b', 0.5]]);
    expect([...creditOf('first', ['a', 'b']).entries()]).toEqual([['a', 1]]);
    const three = [...creditOf('split', ['a', 'b', 'c']).values()];
    expect(three.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('dates a match by calendar quarter', () => {
    expect(['2020-07-01', '2020-09-30', '2020-10-01', '2021-03-31'].map(quarterOf)).toEqual(['2020-Q3', '2020-Q3', '2020-Q4', '2021-Q1']);
  });
});

describe('the StatBank CSV export', () => {
  it.each(['erhv2-nordjylland-2019-win1252.csv', 'erhv2-nordjylland-2019-utf8.csv'])('reads %s: title, year and the eleven municipalities, the region passed over', (name) => {
    const table = parseStatbankWorkplaces(decodeStatbank(fixture(name)), municipalities);
    expect(table.title).toMatch(/^ERHV2: Arbejdssteder/);
    expect(table.period).toBe('2019');
    expect(table.values.size).toBe(11);
    expect(table.values.get(825)).toBe(187); // Læsø: "æ" and "ø" decoded in either encoding
    expect(table.values.get(810)).toBe(2174); // Brønderslev
    expect(table.values.get(851)).toBe(12588);
  });

  it('decodes the same text from either encoding', () => {
    expect(decodeStatbank(fixture('erhv2-nordjylland-2019-win1252.csv'))).toBe(decodeStatbank(fixture('erhv2-nordjylland-2019-utf8.csv')));
  });

  it('reads the API’s form, thousands points and blank repeated labels', () => {
    const api = 'OMRÅDE;TID;INDHOLD\nAalborg;2020;12.601\nHjørring Kommune;2020;4 470\nHele landet;2020;320000\n';
    const table = parseStatbankWorkplaces(api, municipalities);
    expect(table.period).toBe('2020');
    expect([...table.values.entries()]).toEqual([[851, 12601], [860, 4470]]);
    const repeated = '"T"\n;;"2019"\n"Aalborg";"TOT Erhverv i alt";12588\n"";"TOT Erhverv i alt";12588\n';
    expect(parseStatbankWorkplaces(repeated, municipalities).values.get(851)).toBe(12588);
  });

  it('refuses an export with two values for one municipality, and one with none', () => {
    const twoIndustries = '"T"\n;;"2019"\n"Aalborg";"TOT Erhverv i alt";12588\n"";"1 Landbrug, skovbrug og fiskeri";310\n';
    expect(() => parseStatbankWorkplaces(twoIndustries, municipalities)).toThrow(expect.objectContaining({ key: 'statbank.ambiguous', params: { municipality: 'Aalborg' } }));
    expect(() => parseStatbankWorkplaces('"Hele landet";320000\n', municipalities)).toThrow(StatbankError);
    expect(() => parseStatbankWorkplaces('\n\n', municipalities)).toThrow(expect.objectContaining({ key: 'statbank.empty' }));
  });
});
