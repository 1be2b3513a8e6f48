/** Surveys: the back office, the results and the public answer page. Types are the server's own. */
import { qs, request, type ItemList } from '../../shared/api.ts';
import type { AttachedResponses, PublicAnswer, PublicSurvey, Segment, SegmentCount, Survey, SurveyInput, SurveyResults } from '#server/modules/surveys/schemas.ts';

export type { AttachedResponses, Breakdown, PublicAnswer, PublicSurvey, Question, QuestionInput, QuestionResult, Segment, SegmentCount, Survey, SurveyInput, SurveyResults } from '#server/modules/surveys/schemas.ts';
export type { AnswerValue } from '#server/modules/surveys/questionnaire.ts';

export const QUESTION_TYPES = ['single', 'multiple', 'scale', 'text', 'matrix'] as const;
export const SIZE_BANDS = ['none', 'micro', 'small', 'medium', 'large'] as const;
export const PURPOSES = ['business_development', 'analysis'] as const;

export const surveysApi = {
  list: () => request<ItemList<Survey>>('GET', '/surveys'),
  get: (id: string) => request<Survey>('GET', `/surveys/${encodeURIComponent(id)}`),
  create: (body: SurveyInput) => request<Survey>('POST', '/surveys', body),
  change: (id: string, body: Partial<SurveyInput>) => request<Survey>('PATCH', `/surveys/${encodeURIComponent(id)}`, body),
  open: (id: string) => request<Survey>('POST', `/surveys/${encodeURIComponent(id)}/open`),
  close: (id: string) => request<Survey>('POST', `/surveys/${encodeURIComponent(id)}/close`),
  count: (id: string, segment: Segment) => request<SegmentCount>('POST', `/surveys/${encodeURIComponent(id)}/segment-count`, segment),
  send: (id: string, segment: Segment) => request<{ invited: number; survey: Survey }>('POST', `/surveys/${encodeURIComponent(id)}/send`, segment),
  remind: (id: string) => request<{ reminded: number; round: number; survey: Survey }>('POST', `/surveys/${encodeURIComponent(id)}/reminders`),
  attached: (id: string) => request<AttachedResponses>('GET', `/surveys/${encodeURIComponent(id)}/responses`),
  results: (id: string, question?: string) => request<SurveyResults>('GET', `/surveys/${encodeURIComponent(id)}/results${qs({ question })}`),
  byLink: (token: string) => request<PublicSurvey>('GET', `/public/surveys/answer/${encodeURIComponent(token)}`),
  answerByLink: (token: string, body: PublicAnswer) => request<{ state: 'answered' }>('POST', `/public/surveys/answer/${encodeURIComponent(token)}`, body),
  unsubscribe: (token: string) => request<{ state: 'unsubscribed' }>('POST', `/public/surveys/answer/${encodeURIComponent(token)}/unsubscribe`),
  byPublicLink: (token: string) => request<PublicSurvey>('GET', `/public/surveys/link/${encodeURIComponent(token)}`),
  answerByPublicLink: (token: string, key: string, body: PublicAnswer) =>
    request<{ state: 'answered' }>('POST', `/public/surveys/link/${encodeURIComponent(token)}`, body, { 'Idempotency-Key': key }),
};

/** The Excel download (the browser sends the session cookie). */
export const resultsExportUrl = (id: string, question?: string) => `/api/v1/surveys/${encodeURIComponent(id)}/results.xlsx${qs({ question })}`;
