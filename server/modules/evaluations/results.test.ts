import { describe, expect, it } from 'vitest';
import { computeResults, defaultScales, fulfilment, type AnswerFigures } from './results.ts';
import type { EffectAnswer } from './schema.ts';

const answers = (scores: (number | null)[], effects: (EffectAnswer | null)[] = []): AnswerFigures[] =>
  Array.from({ length: Math.max(scores.length, effects.length) }, (_, i) => ({ nps: scores[i] ?? null, effect: effects[i] ?? null }));
const goal1 = defaultScales[0]!.thresholds;
const goal2 = defaultScales[1]!.thresholds;

describe('NPS', () => {
  it('is % of 9–10 minus % of 0–6', () => {
    // 5 promoters, 3 passives, 2 detractors of 10: 50 − 20 = 30.
    const r = computeResults(answers([10, 9, 9, 10, 9, 8, 7, 8, 6, 0]));
    expect(r).toMatchObject({ npsAnswers: 10, promoters: 5, passives: 3, detractors: 2, nps: 30 });
  });

  it('lands exactly on 60 and on 50', () => {
    // 7 promoters, 2 passives, 1 detractor: 70 − 10 = 60.
    const sixty = computeResults(answers([9, 9, 9, 9, 9, 9, 9, 8, 8, 3]));
    expect(sixty.nps).toBe(60);
    expect(fulfilment(sixty.nps, goal1)).toBe(100);
    // 6 promoters, 3 passives, 1 detractor: 60 − 10 = 50.
    const fifty = computeResults(answers([10, 10, 10, 10, 10, 10, 7, 7, 7, 2]));
    expect(fifty.nps).toBe(50);
    expect(fulfilment(fifty.nps, goal1)).toBe(50);
    expect(fulfilment(49.9, goal1)).toBe(0);
    expect(fulfilment(59.99, goal1)).toBe(50);
  });

  it('says "no data" without answers, not 0 and not an error', () => {
    const r = computeResults([]);
    expect(r.nps).toBeNull();
    expect(r.npsMarginOfError).toBeNull();
    expect(r.effectShare).toBeNull();
    expect(fulfilment(r.nps, goal1)).toBeNull();
  });

  it('gives a 95 % margin of error that shrinks with more answers', () => {
    const small = computeResults(answers([10, 9, 0, 5, 8, 9, 10, 3, 9, 9]));
    const large = computeResults(answers(Array.from({ length: 10 }, () => [10, 9, 0, 5, 8, 9, 10, 3, 9, 9]).flat()));
    expect(small.nps).toBe(large.nps);
    expect(small.npsMarginOfError).toBeGreaterThan(large.npsMarginOfError!);
    // All promoters: no spread, no margin.
    expect(computeResults(answers([10, 10, 9])).npsMarginOfError).toBe(0);
  });
});

describe('effect share', () => {
  it('is (i høj grad + i nogen grad) over all answers, "ved ikke" included', () => {
    const r = computeResults(answers([], ['i høj grad', 'i nogen grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke', 'ved ikke', 'i høj grad', 'i høj grad', 'i nogen grad']));
    expect(r.effectAnswers).toBe(10);
    expect(r.effectShare).toBe(60);
    expect(fulfilment(r.effectShare, goal2)).toBe(50);
  });

  it('reaches 70 % exactly for full fulfilment', () => {
    const r = computeResults(answers([], [...Array(7).fill('i høj grad'), 'ved ikke', 'slet ikke', 'i lav grad']));
    expect(r.effectShare).toBe(70);
    expect(fulfilment(r.effectShare, goal2)).toBe(100);
  });

  it('is 0 % when everyone answers "ved ikke"', () => {
    const r = computeResults(answers([], ['ved ikke', 'ved ikke', 'ved ikke']));
    expect(r.effectShare).toBe(0);
    expect(fulfilment(r.effectShare, goal2)).toBe(0);
  });

  it('counts only answers to the question (an answer with NPS only does not dilute it)', () => {
    const r = computeResults([{ nps: 9, effect: null }, { nps: null, effect: 'i høj grad' }]);
    expect(r.effectAnswers).toBe(1);
    expect(r.effectShare).toBe(100);
    expect(r.npsAnswers).toBe(1);
  });
});
