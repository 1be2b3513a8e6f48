/**
 * The surveys API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { answerSetSchema, questionnaireSchema, questionSchema, type Question, type QuestionInput } from './questionnaire.ts';
import { sizeBandKeys } from './groups.ts';
import { surveyPurposes, surveyStatuses } from './schema.ts';

const surveyFields = {
  title: z.string().trim().min(1).max(200),
  purpose: z.enum(surveyPurposes),
  intro: z.string().trim().max(5000),
  questions: questionnaireSchema,
  attachToCompany: z.boolean(),
  shared: z.boolean(),
  /** Make a public link anyone may answer through (once per browser), without a company. */
  publicLink: z.boolean(),
  /** The event the survey evaluates (events module). */
  eventId: z.string().trim().min(1).max(100).nullable().optional(),
};

export const surveyBody = z.strictObject({
  ...surveyFields,
  intro: surveyFields.intro.default(''),
  attachToCompany: surveyFields.attachToCompany.default(false),
  shared: surveyFields.shared.default(false),
  publicLink: surveyFields.publicLink.default(false),
});
export type SurveyInput = z.input<typeof surveyBody>;

/**
 * A change: any of the fields; the questions and purpose only while the survey is a draft. No
 * defaults here: a field left out stays as it is (a default would switch off the public link).
 */
export const surveyChangeBody = z.strictObject(surveyFields).partial().strict();

export const surveyAbilitiesSchema = z.object({ change: z.boolean(), send: z.boolean(), results: z.boolean(), answers: z.boolean() });

const questionOut = questionSchema;

export const surveySchema = z.object({
  id: z.string(),
  title: z.string(),
  purpose: z.enum(surveyPurposes),
  intro: z.string(),
  questions: z.array(questionOut),
  status: z.enum(surveyStatuses),
  attachToCompany: z.boolean(),
  shared: z.boolean(),
  /** The public link's path, for the owner; null without one (and for anyone else). */
  publicPath: z.string().nullable(),
  eventId: z.string().nullable(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  invited: z.number().nullable(),
  responses: z.number().nullable(),
  reminderRound: z.number(),
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  abilities: surveyAbilitiesSchema,
});
export type Survey = z.infer<typeof surveySchema>;
export const surveyListSchema = z.object({ items: z.array(surveySchema) });

/** The company segment to send to: the list tool's search (municipality, industry) with size band and status. */
export const segmentBody = z.strictObject({
  municipality: z.number().int().min(100).max(999).optional(),
  industry: z.string().trim().regex(/^\d{1,6}$/, { message: 'invalidFormat' }).optional(),
  sizeBands: z.array(z.enum(sizeBandKeys)).max(5).optional(),
  /** The register status, e.g. NORMAL (active). */
  status: z.string().trim().min(1).max(60).optional(),
});
export type Segment = z.input<typeof segmentBody>;

export const segmentCountSchema = z.object({
  /** Companies in the segment. */
  companies: z.number(),
  /** Left out as advertising-protected (the purpose does not allow them). */
  advertisingProtected: z.number(),
  /** Left out: they said no to the organisation's surveys. */
  objected: z.number(),
  /** Left out: the organisation holds no contact with an e-mail address for them. */
  withoutEmail: z.number(),
  alreadyInvited: z.number(),
  /** Who sending invites now. */
  willInvite: z.number(),
});
export type SegmentCount = z.infer<typeof segmentCountSchema>;

export const sendResultSchema = z.object({ invited: z.number(), survey: surveySchema });
export const reminderResultSchema = z.object({ reminded: z.number(), round: z.number(), survey: surveySchema });

const figure = z.number().nullable();
export const categoryResultSchema = z.object({ key: z.string(), label: z.string(), row: z.string().optional(), count: figure, percent: figure, suppressed: z.boolean() });
export const questionResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  type: z.enum(['single', 'multiple', 'scale', 'text', 'matrix']),
  answered: figure,
  suppressed: z.boolean(),
  categories: z.array(categoryResultSchema),
  rows: z.array(z.object({ id: z.string(), label: z.string(), answered: figure, suppressed: z.boolean() })).optional(),
  mean: figure.optional(),
  /** Free-text answers: the owner's only (null for anyone else). */
  texts: z.array(z.string()).nullable().optional(),
});
export const breakdownSchema = z.object({
  by: z.enum(['industry', 'size']),
  questionId: z.string(),
  categories: z.array(z.object({ key: z.string(), label: z.string() })),
  groups: z.array(z.object({ key: z.string(), label: z.string(), answered: figure, suppressed: z.boolean(), cells: z.array(z.object({ key: z.string(), count: figure, percent: figure, suppressed: z.boolean() })) })),
});
export const surveyResultsSchema = z.object({
  survey: z.object({ id: z.string(), title: z.string(), status: z.enum(surveyStatuses), organisation: z.object({ id: z.string(), name: z.string() }) }),
  /** Figures resting on fewer than 5 companies are withheld (null, `suppressed`); the owner reads exact figures. */
  disclosureControl: z.boolean(),
  invited: figure,
  responses: figure,
  responseRate: figure,
  questions: z.array(questionResultSchema),
  breakdowns: z.array(breakdownSchema),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
export type QuestionResult = z.infer<typeof questionResultSchema>;
export type Breakdown = z.infer<typeof breakdownSchema>;

export const resultsQuery = z.strictObject({ question: z.string().max(40).optional() });

export const attachedResponsesSchema = z.object({
  items: z.array(z.object({ id: z.string(), company: z.object({ cvr: z.string(), name: z.string().nullable() }), answers: answerSetSchema, createdAt: z.string() })),
});
export type AttachedResponses = z.infer<typeof attachedResponsesSchema>;

// The public answer page.
export const tokenParams = z.object({ token: z.string().min(10).max(200) });
export const publicSurveySchema = z.object({
  state: z.enum(['open', 'answered', 'closed', 'unknown']),
  survey: z.object({ title: z.string(), intro: z.string(), organisation: z.string(), questions: z.array(questionOut), attachToCompany: z.boolean() }).nullable(),
});
export type PublicSurvey = z.infer<typeof publicSurveySchema>;
export const publicAnswerBody = z.strictObject({
  answers: answerSetSchema,
  /** The respondent agrees that the answers go on the company's record (only asked when the survey attaches). */
  attachToCompany: z.boolean().default(false),
});
export type PublicAnswer = z.input<typeof publicAnswerBody>;
export const answeredSchema = z.object({ state: z.literal('answered') });
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'survey.idempotencyKey' })
    .regex(/^[\w-]{8,100}$/, { message: 'survey.idempotencyKey' })
    .describe('One key per browser and survey (8–100 letters, digits, - or _); the same key answers once'),
});

export type { Question, QuestionInput };
