/** The parts of a match score, one by one: each counts only when it matched, and says on what. */
import { describe, expect, it } from 'vitest';
import { scoreParts, WEIGHTS } from './service.ts';

const places = { name: new Map([[540, 'Sønderborg'], [580, 'Aabenraa']]), region: new Map([[540, 'Region Syddanmark'], [580, 'Region Syddanmark']]) };
const profile = (p: Partial<Parameters<typeof scoreParts>[0]> = {}) => ({ themes: [], industry: [], municipalities: [], regions: [], countries: [], bands: [], ...p });
const noText = { sharedWords: [], trigram: 0, trigramOf: '' };
const parts = (a: Parameters<typeof scoreParts>[0], b: Parameters<typeof scoreParts>[1], options?: Parameters<typeof scoreParts>[5]) =>
  Object.fromEntries(scoreParts(a, b, noText, 'da', places, options).map((r) => [r.kind, { weight: r.weight, detail: r.detail }]));

describe('match score parts', () => {
  it('counts nothing between profiles that share nothing', () => {
    expect(scoreParts(profile({ themes: ['export'] }), profile({ themes: ['design'] }), noText, 'da', places)).toEqual([]);
  });

  it('weighs themes by how much of the source they cover, named in the reader’s language', () => {
    expect(parts(profile({ themes: ['export', 'design'] }), profile({ themes: ['export'] })).themes).toEqual({ weight: 18, detail: 'Eksport' });
    expect(parts(profile({ themes: ['export'] }), profile({ themes: ['export', 'design'] })).themes).toEqual({ weight: WEIGHTS.themes, detail: 'Eksport' });
    expect(scoreParts(profile({ themes: ['green_transition'] }), profile({ themes: ['green_transition'] }), noText, 'en', places)[0]!.detail).toBe('Green transition');
  });

  it('gives an industry code prefix full weight, a shared group less, and names both codes', () => {
    expect(parts(profile({ industry: ['62'] }), profile({ industry: ['620100'] })).industry).toEqual({ weight: 20, detail: '62 ↔ 620100' });
    expect(parts(profile({ industry: ['281100'] }), profile({ industry: ['281400'] })).industry).toEqual({ weight: 14, detail: '281100 ↔ 281400' });
    expect(parts(profile({ industry: ['281100'] }), profile({ industry: ['289900'] })).industry).toEqual({ weight: 8, detail: '281100 ↔ 289900' });
    expect(parts(profile({ industry: ['281100'] }), profile({ industry: ['471100'] })).industry).toBeUndefined();
  });

  it('takes the closest geography: a shared country, else municipality, else region', () => {
    expect(parts(profile({ countries: ['DE', 'CN'], municipalities: [540] }), profile({ countries: ['CN'], municipalities: [540] })).geography).toEqual({ weight: 15, detail: 'CN' });
    expect(parts(profile({ municipalities: [540] }), profile({ municipalities: [540] })).geography).toEqual({ weight: 10, detail: 'Sønderborg' });
    expect(parts(profile({ regions: ['Region Syddanmark'] }), profile({ regions: ['Region Syddanmark'] })).geography).toEqual({ weight: 6, detail: 'Region Syddanmark' });
    expect(parts(profile(), profile(), { wholeCountry: true }).geography).toEqual({ weight: 4, detail: 'Hele landet' });
  });

  it('counts the same size band fully and a neighbouring one a little', () => {
    expect(parts(profile({ bands: ['small'] }), profile({ bands: ['small'] })).size!.weight).toBe(5);
    expect(parts(profile({ bands: ['small'] }), profile({ bands: ['medium'] })).size!.weight).toBe(2);
    expect(parts(profile({ bands: ['micro'] }), profile({ bands: ['large'] })).size).toBeUndefined();
  });

  it('caps shared words and scales title similarity, showing what matched', () => {
    const text = scoreParts(profile(), profile(), { sharedWords: ['distributør', 'maskin', 'tysk', 'kund'], trigram: 0.45, trigramOf: 'Distributør i Tyskland' }, 'da', places);
    expect(text).toEqual([
      { kind: 'text', weight: 15, detail: 'distributør, maskin, tysk, kund', values: ['distributør, maskin, tysk, kund'] },
      { kind: 'trigram', weight: 5, detail: '"Distributør i Tyskland" (0.45)', values: ['"Distributør i Tyskland" (0.45)'] },
    ]);
  });
});
