/**
 * The offers API's shapes (the back office, the public catalogue, the self-assessments): the routes
 * validate and serialise with them, and the web takes its types from them (type imports only), so a
 * change here breaks the web's type check.
 */
import { z } from 'zod';
import { versionSchema } from '../../lib/integers.ts';
import { isoDate } from '../engagements/schemas.ts';
import { themeKeys } from '../organisations/themes.ts';
import { offerFormats, offerPhases, offerStatuses, targetGroups } from './schema.ts';
import { selfAssessmentKeys, selfAssessmentLevels } from './self-assessment.ts';

/** An offer's own fields as its operator writes them; no defaults here, so that a change sends only what changes. */
const offerFields = {
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().min(1).max(500),
  description: z.string().trim().max(20_000),
  themes: z.array(z.enum(themeKeys)).max(12),
  targetGroups: z.array(z.enum(targetGroups)).max(4),
  phases: z.array(z.enum(offerPhases)).max(5),
  format: z.enum(offerFormats),
  price: z.enum(['free', 'paid']),
  funding: z.string().trim().max(500).nullable(),
  periodStart: isoDate.nullable(),
  periodEnd: isoDate.nullable(),
  municipalityCodes: z.array(z.number().int().min(100).max(999)).max(98),
  contactName: z.string().trim().max(200).nullable(),
  contactEmail: z.email().max(320).nullable(),
  link: z.url({ protocol: /^https?$/ }).max(2_000).nullable(),
};

export const newOfferBody = z.strictObject({
  ...offerFields,
  description: offerFields.description.default(''),
  themes: offerFields.themes.default([]),
  targetGroups: offerFields.targetGroups.default([]),
  phases: offerFields.phases.default([]),
  price: offerFields.price.default('free'),
  funding: offerFields.funding.optional(),
  periodStart: offerFields.periodStart.optional(),
  periodEnd: offerFields.periodEnd.optional(),
  municipalityCodes: offerFields.municipalityCodes.default([]),
  contactName: offerFields.contactName.optional(),
  contactEmail: offerFields.contactEmail.optional(),
  link: offerFields.link.optional(),
});

/** A change: the fields that change, and the version read (else 409). */
export const offerChangeBody = z.strictObject({ version: versionSchema, ...z.object(offerFields).partial().shape });

export const offerAbilitiesSchema = z.object({
  /** Change, publish and archive it: the operator's writers. */
  manage: z.boolean(),
});

/** A published offer, as the public catalogue shows it (stored lists come back as they were stored). */
export const publicOfferSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  themes: z.array(z.string()),
  targetGroups: z.array(z.string()),
  phases: z.array(z.string()),
  format: z.enum(offerFormats),
  price: z.enum(['free', 'paid']),
  funding: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  municipalityCodes: z.array(z.number()),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  link: z.string().nullable(),
  operator: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** An offer as its operator sees it in the back office (every status), with what the caller may do with it. */
export const offerSchema = publicOfferSchema.extend({ status: z.enum(offerStatuses), version: z.number(), abilities: offerAbilitiesSchema });

export const catalogueQuery = z.object({
  q: z.string().trim().max(200).optional(),
  theme: z.enum(themeKeys).optional(),
  targetGroup: z.enum(targetGroups).optional(),
  phase: z.enum(offerPhases).optional(),
  municipality: z.coerce.number().int().min(100).max(999).optional(),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const publicOfferPageSchema = z.object({ items: z.array(publicOfferSchema), page: z.number(), pageSize: z.number(), total: z.number(), hasMore: z.boolean() });

export const questionnaireSchema = z.object({
  key: z.enum(selfAssessmentKeys),
  title: z.string(),
  questions: z.array(z.object({ id: z.string(), text: z.string(), options: z.array(z.object({ value: z.number(), label: z.string() })) })),
});

/** Answers 0 (not started) … 3 (advanced), by question id. */
/** Scores per question; which questions and which scores is the questionnaire engine's check (`checkSelfAssessment`). */
export const selfAssessmentAnswers = z.record(z.string().max(40), z.number());

export const selfAssessmentBody = z.strictObject({ answers: selfAssessmentAnswers });

export const suggestedOfferSchema = z.object({ id: z.string(), title: z.string(), summary: z.string(), operator: z.object({ id: z.string(), name: z.string() }) });

export const selfAssessmentResultSchema = z.object({
  key: z.enum(selfAssessmentKeys),
  title: z.string(),
  score: z.number(),
  maxScore: z.number(),
  level: z.enum(selfAssessmentLevels),
  explanation: z.string(),
  theme: z.string(),
  suggestedOffers: z.array(suggestedOfferSchema),
});

export type NewOffer = z.input<typeof newOfferBody>;
export type OfferChange = z.input<typeof offerChangeBody>;
export type PublicOffer = z.infer<typeof publicOfferSchema>;
export type Offer = z.infer<typeof offerSchema>;
export type PublicOfferPage = z.infer<typeof publicOfferPageSchema>;
export type CatalogueQuery = z.input<typeof catalogueQuery>;
export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type SelfAssessmentAnswers = z.infer<typeof selfAssessmentAnswers>;
export type SuggestedOffer = z.infer<typeof suggestedOfferSchema>;
export type SelfAssessmentResult = z.infer<typeof selfAssessmentResultSchema>;
export type OfferStatus = (typeof offerStatuses)[number];
export type OfferFormat = (typeof offerFormats)[number];
export type OfferPhase = (typeof offerPhases)[number];
export type TargetGroup = (typeof targetGroups)[number];
export type { SelfAssessmentKey, SelfAssessmentLevel } from './self-assessment.ts';
