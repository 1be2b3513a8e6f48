/**
 * The match register API's shapes: the routes validate and serialise with them, and the web takes its
 * types from them (type imports only).
 */
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { organisationTypes } from '../organisations/schema.ts';
import { creditRules, educationLevels } from './schema.ts';

const count = z.number().int().min(0).max(1_000_000);
const municipalityCode = z.number().int().min(100).max(999);

export const matchTypeSchema = z.object({ key: z.string(), name: z.string() });

export const newMatchProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  periodStart: isoDate,
  periodEnd: isoDate,
  creditRule: z.enum(creditRules).default('split'),
  targetTotal: count,
  municipalTarget: count,
  /** The municipalities the municipal part is split between (their workplaces come later, by import or by hand). */
  municipalityCodes: z.array(municipalityCode).min(1).max(98),
  excludedMunicipalityCodes: z.array(municipalityCode).max(98).default([]),
  types: z
    .array(z.strictObject({ key: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'invalidFormat' }), name: z.string().trim().min(1).max(100) }))
    .min(1)
    .max(20),
  /** Partner organisations; one with a municipality (jobcentre, business service) counts towards it. */
  partnerIds: z.array(z.uuid()).min(1).max(200),
});

export const matchProjectChangeBody = z.strictObject({
  version: z.number().int(),
  creditRule: z.enum(creditRules).optional(),
  excludedMunicipalityCodes: z.array(municipalityCode).max(98).optional(),
  /** Workplaces and targets by hand per municipality; `targetOverride: null` returns it to the split. */
  municipalities: z.array(z.strictObject({ code: municipalityCode, workplaces: count.optional(), targetOverride: count.nullable().optional() })).max(98).optional(),
  /** The non-municipal partners' targets, by hand. */
  partners: z.array(z.strictObject({ organisationId: z.uuid(), target: count.nullable() })).max(200).optional(),
});

/** A StatBank CSV export (semicolon-separated, Windows-1252 or UTF-8), base64-encoded so its bytes arrive untouched. */
export const workplacesImportBody = z.strictObject({ contentBase64: z.base64().min(1).max(700_000) });

export const municipalitySplitSchema = z.object({
  code: z.number(),
  name: z.string(),
  workplaces: z.number(),
  share: z.number(),
  target: z.number(),
  overridden: z.boolean(),
  excluded: z.boolean(),
});

export const projectPartnerSchema = z.object({
  organisationId: z.string(),
  name: z.string(),
  type: z.enum(organisationTypes),
  municipalityCode: z.number().nullable(),
  /** A non-municipal partner's target by hand; null for a municipal partner (its municipality has the target). */
  target: z.number().nullable(),
});

export const partnerCandidateSchema = z.object({ id: z.string(), name: z.string(), type: z.enum(organisationTypes), municipalityCode: z.number().nullable() });

export const matchProjectSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.object({ id: z.string(), name: z.string() }),
  periodStart: z.string(),
  periodEnd: z.string(),
  targetTotal: z.number(),
});

export const matchProjectSchema = matchProjectSummarySchema.extend({
  version: z.number(),
  creditRule: z.enum(creditRules),
  municipalTarget: z.number(),
  /** targetTotal − municipalTarget: the other partners' part. */
  partnerTarget: z.number(),
  /** The part of `partnerTarget` given to partners by hand so far. */
  partnerTargetAllocated: z.number(),
  excludedMunicipalityCodes: z.array(z.number()),
  workplacesSource: z.string().nullable(),
  types: z.array(matchTypeSchema),
  partners: z.array(projectPartnerSchema),
  /** The split; null with `splitProblem` while it cannot be made (targets by hand above the part, no workplaces yet). */
  municipalities: z.array(municipalitySplitSchema).nullable(),
  splitProblem: z.string().nullable(),
  abilities: z.object({ manage: z.boolean(), register: z.boolean() }),
});

export const newMatchBody = z.strictObject({
  companyCvr: cvrSchema,
  typeKey: z.string().min(1).max(40),
  matchedOn: isoDate,
  educationLevel: z.enum(educationLevels),
  /** The candidate's education institution, e.g. "AAU" (never the person's name). */
  institution: z.string().trim().min(1).max(120),
  /** Other partners of the project that helped make the match. */
  helpedBy: z.array(z.uuid()).max(10).default([]),
  /** Register even though a match with the same company, type, date and education exists. */
  confirmNotDuplicate: z.boolean().default(false),
});

export const registeredMatchSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string() }),
  typeKey: z.string(),
  matchedOn: z.string(),
  educationLevel: z.enum(educationLevels),
  institution: z.string(),
  registeredBy: z.object({ id: z.string(), name: z.string() }),
  partners: z.array(z.object({ id: z.string(), name: z.string(), credit: z.number() })),
  abilities: z.object({ delete: z.boolean() }),
});

const breakdown = z.record(z.string(), z.number());
const progressRow = z.object({ target: z.number().nullable(), credited: z.number(), byType: breakdown, byQuarter: breakdown });

export const progressSchema = z.object({
  asOf: z.string(),
  quarters: z.array(z.string()),
  types: z.array(matchTypeSchema),
  /** Every match once, however many partners helped. */
  total: progressRow.extend({ matches: z.number(), /** Matches by `type|quarter`, e.g. `studiejob|2021-Q1`. */ byTypeQuarter: breakdown }),
  municipalities: z.array(progressRow.extend({ code: z.number(), name: z.string(), excluded: z.boolean() })),
  partners: z.array(progressRow.extend({ organisationId: z.string(), name: z.string(), municipalityCode: z.number().nullable() })),
});

export const matchProjectParams = z.object({ id: z.uuid({ error: 'matchProject.notFound' }) });
export const reportQuery = z.object({ format: z.enum(['xlsx', 'docx', 'pdf']) });

export type NewMatchProject = z.input<typeof newMatchProjectBody>;
export type MatchProject = z.infer<typeof matchProjectSchema>;
export type MatchProjectSummary = z.infer<typeof matchProjectSummarySchema>;
export type MatchProjectChange = z.input<typeof matchProjectChangeBody>;
export type NewMatch = z.input<typeof newMatchBody>;
export type RegisteredMatch = z.infer<typeof registeredMatchSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type PartnerCandidate = z.infer<typeof partnerCandidateSchema>;
