/** Public self-assessments (Selvtest): types and API calls. No session needed. */
import { request } from '../../../shared/api.ts';
import type { Questionnaire, SelfAssessmentAnswers, SelfAssessmentKey, SelfAssessmentLevel, SelfAssessmentResult } from '#server/modules/offers/schemas.ts';
import { isOneOf } from '../catalogue/options.ts';

export type { Questionnaire, SelfAssessmentKey, SelfAssessmentLevel, SelfAssessmentResult, SuggestedOffer } from '#server/modules/offers/schemas.ts';

export const SELF_ASSESSMENT_KEYS = ['digital', 'export', 'green'] as const satisfies readonly SelfAssessmentKey[];

export const SELF_ASSESSMENT_LEVELS = ['begynder', 'på vej', 'moden'] as const satisfies readonly SelfAssessmentLevel[];

export const isSelfAssessmentKey = (k: string | undefined): k is SelfAssessmentKey => isOneOf(SELF_ASSESSMENT_KEYS, k);

export type Answers = SelfAssessmentAnswers;

/** What the guidance form ("Få vejledning") reads from sessionStorage to attach the result to a request. */
export const SELF_ASSESSMENT_STORAGE_KEY = 'kp.selfAssessment';

export interface StoredSelfAssessment {
  key: SelfAssessmentKey;
  title: string;
  level: SelfAssessmentLevel;
  score: number;
  maxScore: number;
  explanation: string;
  answers: Answers;
}

export function storeResultForGuidance(result: SelfAssessmentResult, answers: Answers): boolean {
  const stored: StoredSelfAssessment = {
    key: result.key,
    title: result.title,
    level: result.level,
    score: result.score,
    maxScore: result.maxScore,
    explanation: result.explanation,
    answers,
  };
  try {
    sessionStorage.setItem(SELF_ASSESSMENT_STORAGE_KEY, JSON.stringify(stored));
    return true;
  } catch {
    // Storage blocked (private mode, policy): the guidance form still works, just without the result.
    return false;
  }
}

export const selfAssessmentApi = {
  list: () => request<{ items: Questionnaire[] }>('GET', '/public/self-assessments'),
  assess: (key: SelfAssessmentKey, answers: Answers) =>
    request<SelfAssessmentResult>('POST', `/public/self-assessments/${encodeURIComponent(key)}`, { answers }),
};
