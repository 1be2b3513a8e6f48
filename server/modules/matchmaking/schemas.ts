/**
 * The matchmaking API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { themeKeys } from '../organisations/themes.ts';
import { consentChannels } from '../consents/schema.ts';
import { cooperationKinds, cooperationStatuses, matchCounterpartKinds, matchStatuses } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });
const company = z.object({ cvr: z.string(), name: z.string() });

const cooperationFields = {
  kind: z.enum(cooperationKinds),
  title: z.string().trim().min(1).max(200),
  themes: z.array(z.enum(themeKeys)).max(12),
  /** DB07 codes or their prefixes (2–6 digits). */
  industryCodes: z.array(z.string().regex(/^\d{2,6}$/, 'industryCode')).max(20),
  municipalityCodes: z.array(z.number().int().min(100).max(999)).max(99),
  regions: z.array(z.string().trim().min(1).max(60)).max(5),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'country')).max(30),
  description: z.string().trim().max(5_000),
};

export const newCooperationBody = z.strictObject({
  ...cooperationFields,
  themes: cooperationFields.themes.default([]),
  industryCodes: cooperationFields.industryCodes.default([]),
  municipalityCodes: cooperationFields.municipalityCodes.default([]),
  regions: cooperationFields.regions.default([]),
  countries: cooperationFields.countries.default([]),
  description: cooperationFields.description.default(''),
});

export const changeCooperationBody = z.strictObject({
  version: z.number().int().positive(),
  title: cooperationFields.title.optional(),
  themes: cooperationFields.themes.optional(),
  industryCodes: cooperationFields.industryCodes.optional(),
  municipalityCodes: cooperationFields.municipalityCodes.optional(),
  regions: cooperationFields.regions.optional(),
  countries: cooperationFields.countries.optional(),
  description: cooperationFields.description.optional(),
  status: z.enum(cooperationStatuses).optional(),
});

export const cooperationAbilitiesSchema = z.object({ change: z.boolean() });

export const cooperationDataSchema = z.object({
  id: z.string(),
  kind: z.enum(cooperationKinds),
  company,
  organisation: named,
  title: z.string(),
  themes: z.array(z.string()),
  industryCodes: z.array(z.string()),
  municipalityCodes: z.array(z.number()),
  regions: z.array(z.string()),
  countries: z.array(z.string()),
  description: z.string(),
  status: z.enum(cooperationStatuses),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const cooperationSchema = cooperationDataSchema.extend({ abilities: cooperationAbilitiesSchema });

/** One part of a score: what matched (`detail`, in the reader's language) and how much it counted. */
export const reasonSchema = z.object({
  kind: z.enum(['themes', 'industry', 'geography', 'size', 'text', 'trigram']),
  weight: z.number(),
  detail: z.string(),
});

/** The other side of a (suggested) match. */
export const counterpartSchema = z.object({
  kind: z.enum(matchCounterpartKinds),
  /** The item's, the offer's or the institution's id. */
  id: z.string(),
  title: z.string(),
  itemKind: z.enum(cooperationKinds).nullable(),
  company: company.nullable(),
  /** Who holds it: the item's organisation, the offer's operator, the institution itself. */
  holder: named,
});

export const suggestionSchema = z.object({
  counterpart: counterpartSchema,
  score: z.number(),
  reasons: z.array(reasonSchema),
  /** A live match of this pair already exists (open it rather than propose again). */
  matchId: z.string().nullable(),
  abilities: z.object({ propose: z.boolean() }),
});

export const suggestionsSchema = z.object({ item: cooperationSchema, items: z.array(suggestionSchema) });

export const newMatchBody = z.strictObject({
  itemId: z.uuid(),
  counterpart: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('company'), itemId: z.uuid() }),
    z.strictObject({ kind: z.literal('offer'), offerId: z.uuid() }),
    z.strictObject({ kind: z.literal('institution'), organisationId: z.uuid() }),
  ]),
  note: z.string().trim().max(2_000).default(''),
});

export const sideBody = z.strictObject({ side: z.enum(['a', 'b']) });

export const agreementBody = z.strictObject({
  side: z.enum(['a', 'b']),
  givenByName: z.string().trim().min(1).max(200),
  givenByContactId: z.uuid().optional(),
  channel: z.enum(consentChannels),
  /** The company's contact persons (of the side's holder) it agrees to have introduced. */
  contactIds: z.array(z.uuid()).min(1).max(10),
});

const contactSchema = z.object({ id: z.string(), name: z.string(), title: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() });

export const matchSideSchema = z.object({
  kind: z.enum(matchCounterpartKinds),
  id: z.string(),
  title: z.string(),
  itemKind: z.enum(cooperationKinds).nullable(),
  themes: z.array(z.string()),
  company: company.nullable(),
  holder: named,
  acceptedAt: z.string().nullable(),
  /** The company's introduction consent: recorded when, by whom given, in force now. Null for a non-company side. */
  agreement: z.object({ consentId: z.string().nullable(), givenByName: z.string().nullable(), givenAt: z.string().nullable(), inForce: z.boolean() }).nullable(),
  /** The contact persons introduced, when the caller may see them (`policy.match.seesContactsOf`); else null. */
  contacts: z.array(contactSchema).nullable(),
  /** A catalogue offer's public contact (no consent needed: the operator published it). */
  publicContact: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

export const matchAbilitiesSchema = z.object({
  acceptA: z.boolean(),
  acceptB: z.boolean(),
  agreeA: z.boolean(),
  agreeB: z.boolean(),
  introduce: z.boolean(),
  decline: z.boolean(),
});

export const matchSchema = z.object({
  id: z.string(),
  status: z.enum(matchStatuses),
  score: z.number(),
  reasons: z.array(reasonSchema),
  note: z.string(),
  proposedBy: named,
  proposedAt: z.string(),
  introducedAt: z.string().nullable(),
  a: matchSideSchema,
  b: matchSideSchema,
  abilities: matchAbilitiesSchema,
  /**
   * On a single match (not in lists): public case stories that mention its catalogue offer or share a
   * theme with it, the library's own (published, with the company's publication consent in force).
   */
  cases: z.array(z.object({ id: z.string(), title: z.string(), summary: z.string(), company: company })).optional(),
});

export const matchListQuery = z.object({
  cvr: z.string().regex(/^\d{8}$/).optional(),
  status: z.enum(matchStatuses).optional(),
});

export type CooperationData = z.infer<typeof cooperationDataSchema>;
export type Cooperation = z.infer<typeof cooperationSchema>;
export type NewCooperation = z.input<typeof newCooperationBody>;
export type CooperationChange = z.input<typeof changeCooperationBody>;
export type Reason = z.infer<typeof reasonSchema>;
export type Suggestion = z.infer<typeof suggestionSchema>;
export type Suggestions = z.infer<typeof suggestionsSchema>;
export type Counterpart = z.infer<typeof counterpartSchema>;
export type Match = z.infer<typeof matchSchema>;
export type MatchSide = z.infer<typeof matchSideSchema>;
export type NewMatch = z.input<typeof newMatchBody>;
export type Agreement = z.input<typeof agreementBody>;
