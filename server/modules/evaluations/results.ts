import { effectAnswers, type EffectAnswer } from './schema.ts';

export interface AnswerFigures {
  nps: number | null;
  effect: EffectAnswer | null;
  /** How many identical answers this stands for (aggregated rows); 1 when absent. */
  count?: number;
}

export interface Results {
  answers: number;
  npsAnswers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters (9–10) − % detractors (0–6); null without answers ("no data", not 0). */
  nps: number | null;
  /** Half-width of the 95 % confidence interval of the NPS, in NPS points. */
  npsMarginOfError: number | null;
  effectAnswers: number;
  effectCounts: Record<EffectAnswer, number>;
  /** (i høj grad + i nogen grad) / all answers to the question, "ved ikke" included; in percent. */
  effectShare: number | null;
  effectMarginOfError: number | null;
}

const Z95 = 1.959964;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** NPS and effect share exactly as the contract defines them (PRODUCT.md, "Evaluation"). */
export function computeResults(answers: AnswerFigures[]): Results {
  let n = 0;
  let promoters = 0;
  let detractors = 0;
  let total = 0;
  const effectCounts = Object.fromEntries(effectAnswers.map((e) => [e, 0])) as Record<EffectAnswer, number>;
  for (const a of answers) {
    const weight = a.count ?? 1;
    total += weight;
    if (a.nps !== null) {
      n += weight;
      if (a.nps >= 9) promoters += weight;
      else if (a.nps <= 6) detractors += weight;
    }
    if (a.effect) effectCounts[a.effect] += weight;
  }
  const m = effectAnswers.reduce((s, e) => s + effectCounts[e], 0);
  const positive = effectCounts['i høj grad'] + effectCounts['i nogen grad'];

  let nps: number | null = null;
  let npsMarginOfError: number | null = null;
  if (n > 0) {
    const p = promoters / n;
    const d = detractors / n;
    nps = (100 * (promoters - detractors)) / n;
    // The NPS is a difference of two proportions of one sample: Var = (p + d − (p − d)²) / n.
    npsMarginOfError = round1(100 * Z95 * Math.sqrt((p + d - (p - d) ** 2) / n));
  }
  let effectShare: number | null = null;
  let effectMarginOfError: number | null = null;
  if (m > 0) {
    const q = positive / m;
    effectShare = (100 * positive) / m;
    effectMarginOfError = round1(100 * Z95 * Math.sqrt((q * (1 - q)) / m));
  }
  return {
    answers: total,
    npsAnswers: n,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    nps,
    npsMarginOfError,
    effectAnswers: m,
    effectCounts,
    effectShare,
    effectMarginOfError,
  };
}

export interface Threshold {
  min: number;
  percent: number;
}

/** Fulfilment in percent by a threshold scale (value ≥ min → percent, the highest met wins); null without a value. */
export function fulfilment(value: number | null, thresholds: Threshold[]): number | null {
  if (value === null) return null;
  let best = 0;
  for (const t of thresholds) if (value >= t.min && t.percent > best) best = t.percent;
  return best;
}

/** The 2020 contract's scales (goal 1: NPS, goal 2: effect share), seeded as data. */
export const defaultScales = [
  { key: 'goal1_nps', name: 'Mål 1: NPS (100 % ved ≥ 60, 50 % ved ≥ 50)', thresholds: [{ min: 60, percent: 100 }, { min: 50, percent: 50 }] },
  { key: 'goal2_effect', name: 'Mål 2: Effektandel (100 % ved ≥ 70 %, 50 % ved ≥ 60 %)', thresholds: [{ min: 70, percent: 100 }, { min: 60, percent: 50 }] },
];
