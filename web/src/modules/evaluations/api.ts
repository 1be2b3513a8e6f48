/** User evaluation: the results dashboard and the company's answer page. Types are the server's own. */
import { qs, request, type ItemList } from '../../shared/api.ts';
import type {
  EffectAnswer,
  EvaluationAnswered,
  EvaluationAnswerInput,
  EvaluationChoices,
  EvaluationComment,
  EvaluationCommentsQuery,
  EvaluationQuery,
  EvaluationResults,
  EvaluationSettings,
  EvaluationSettingsInput,
  EvaluationUnsubscribed,
  PublicEvaluation,
} from '#server/modules/evaluations/schemas.ts';

export type {
  EffectAnswer,
  EvaluationAnswerInput,
  EvaluationChoices,
  EvaluationComment,
  EvaluationFigures,
  EvaluationGroupBy,
  EvaluationHub,
  EvaluationResult,
  EvaluationResults,
  EvaluationSettings,
  EvaluationSettingsInput,
  EvaluationTrigger,
  PublicEvaluation,
  PublicEvaluationState,
} from '#server/modules/evaluations/schemas.ts';

/** A results query as the dashboard asks it (values as read from its address). */
export type EvaluationFilters = EvaluationQuery;

/** The answers of the effect question, in the order they are shown. */
export const EFFECT_ANSWERS = ['i høj grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke'] as const satisfies readonly EffectAnswer[];

export const evaluationsApi = {
  evaluationChoices: () => request<EvaluationChoices>('GET', '/evaluations/choices'),
  evaluationResults: (f: EvaluationFilters) => request<EvaluationResults>('GET', `/evaluations/results${qs({ ...f })}`),
  evaluationComments: (f: EvaluationCommentsQuery) => request<ItemList<EvaluationComment>>('GET', `/evaluations/comments${qs({ ...f, groupBy: undefined })}`),
  evaluationSettings: (organisationId: string) => request<EvaluationSettings>('GET', `/organisations/${encodeURIComponent(organisationId)}/evaluation-settings`),
  updateEvaluationSettings: (organisationId: string, body: EvaluationSettingsInput) =>
    request<EvaluationSettings>('PUT', `/organisations/${encodeURIComponent(organisationId)}/evaluation-settings`, body),
  publicEvaluation: (token: string) => request<PublicEvaluation>('GET', `/public/evaluations/${encodeURIComponent(token)}`),
  answerEvaluation: (token: string, body: EvaluationAnswerInput) => request<EvaluationAnswered>('POST', `/public/evaluations/${encodeURIComponent(token)}`, body),
  unsubscribeEvaluation: (token: string) => request<EvaluationUnsubscribed>('POST', `/public/evaluations/${encodeURIComponent(token)}/unsubscribe`),
};

/** Download links for the evaluation results (the browser sends the session cookie). */
export function evaluationExportUrl(format: 'csv' | 'xlsx', f: EvaluationFilters): string {
  return `/api/v1/evaluations/results.${format}${qs({ ...f })}`;
}
