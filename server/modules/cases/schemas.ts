/**
 * The case library's shapes (back office, public library, sending cases to a company): the routes
 * validate and serialise with them, and the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { versionSchema } from '../../lib/integers.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { themeKeys } from '../organisations/themes.ts';
import { caseStatuses } from './schema.ts';
import { caseBenefits, caseCompanySizes, caseIndustries, caseJobContents, caseRegionKeys } from './tags.ts';

/** A video link: https only, so that a page over https never links to plain http or to javascript:. */
const videoUrl = z.url({ protocol: /^https$/ }).max(2_000);

const caseFields = {
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().max(500),
  story: z.string().trim().min(1).max(20_000),
  whatWasDone: z.string().trim().max(10_000),
  benefit: z.string().trim().max(10_000),
  consentId: z.uuid().nullable(),
  organisationIds: z.array(z.uuid()).min(1).max(20),
  industries: z.array(z.enum(caseIndustries)).max(10),
  municipalityCodes: z.array(z.number().int().min(100).max(999)).max(98),
  jobContents: z.array(z.enum(caseJobContents)).max(12),
  companySize: z.enum(caseCompanySizes).nullable(),
  benefits: z.array(z.enum(caseBenefits)).max(10),
  themes: z.array(z.enum(themeKeys)).max(12),
  offerIds: z.array(z.uuid()).max(20),
  videoUrl: videoUrl.nullable(),
};

export const newCaseBody = z.strictObject({
  ...caseFields,
  companyCvr: cvrSchema,
  summary: caseFields.summary.default(''),
  whatWasDone: caseFields.whatWasDone.default(''),
  benefit: caseFields.benefit.default(''),
  consentId: caseFields.consentId.optional(),
  /** Default: the caller's organisation alone. */
  organisationIds: caseFields.organisationIds.optional(),
  industries: caseFields.industries.default([]),
  /** Default: the company's municipality. */
  municipalityCodes: caseFields.municipalityCodes.optional(),
  jobContents: caseFields.jobContents.default([]),
  /** Default: the band of the company's employees in CVR. */
  companySize: caseFields.companySize.optional(),
  benefits: caseFields.benefits.default([]),
  themes: caseFields.themes.default([]),
  offerIds: caseFields.offerIds.default([]),
  videoUrl: caseFields.videoUrl.optional(),
});

/** A change: the fields that change, and the version read (else 409). The company stays; a case about another company is another case. */
export const caseChangeBody = z.strictObject({ version: versionSchema, ...z.object(caseFields).partial().shape });

/** An image upload: the bytes in base64 (at most 512 KiB once decoded) and a text for those who cannot see it. */
export const newImageBody = z.strictObject({
  alt: z.string().trim().min(1).max(300),
  data: z.base64().max(700_000),
});

export const caseAbilitiesSchema = z.object({
  /** Change, publish, archive, add and remove images: the writers of the organisations behind it. */
  manage: z.boolean(),
});

const named = z.object({ id: z.string(), name: z.string() });
const imageSchema = z.object({ id: z.string(), alt: z.string(), contentType: z.string(), size: z.number() });

/** A public case, as the library shows it: no consent, no contact person, no internal bookkeeping. */
export const publicCaseSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  story: z.string(),
  whatWasDone: z.string(),
  benefit: z.string(),
  company: z.object({ cvr: z.string(), name: z.string() }),
  organisations: z.array(named.extend({ type: z.string() })),
  industries: z.array(z.string()),
  municipalities: z.array(z.object({ code: z.number(), name: z.string() })),
  jobContents: z.array(z.string()),
  companySize: z.string().nullable(),
  benefits: z.array(z.string()),
  themes: z.array(z.string()),
  offers: z.array(z.object({ id: z.string(), title: z.string() })),
  videoUrl: z.string().nullable(),
  images: z.array(imageSchema),
  publishedAt: z.string().nullable(),
});

/** A case as the organisations behind it see it in the back office. */
export const caseSchema = publicCaseSchema.extend({
  status: z.enum(caseStatuses),
  version: z.number(),
  /** The linked publication consent: whether it is in force now (a withdrawn one keeps the case off the public library). */
  consent: z.object({ id: z.string(), active: z.boolean(), givenAt: z.string(), recordedByOrganisation: named.nullable() }).nullable(),
  /** Published and with its consent in force: what the public library shows. */
  public: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: caseAbilitiesSchema,
});

export const caseImageSchema = imageSchema;

export const caseLibraryQuery = z.object({
  q: z.string().trim().max(200).optional(),
  industry: z.enum(caseIndustries).optional(),
  region: z.enum(caseRegionKeys).optional(),
  municipality: z.coerce.number().int().min(100).max(999).optional(),
  jobContent: z.enum(caseJobContents).optional(),
  companySize: z.enum(caseCompanySizes).optional(),
  benefit: z.enum(caseBenefits).optional(),
  theme: z.enum(themeKeys).optional(),
  organisation: z.uuid().optional(),
  offer: z.uuid().optional(),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const publicCasePageSchema = z.object({ items: z.array(publicCaseSchema), page: z.number(), pageSize: z.number(), total: z.number(), hasMore: z.boolean() });

/** Cases an adviser sends a contact person of a company: public cases only, each a link to its page. */
export const sendCasesBody = z.strictObject({
  companyCvr: cvrSchema,
  contactId: z.uuid(),
  caseIds: z.array(z.uuid()).min(1).max(10),
  message: z.string().trim().max(2_000).optional(),
});

export const sentCasesSchema = z.object({ queued: z.boolean(), to: z.string(), caseIds: z.array(z.string()) });

export type NewCase = z.input<typeof newCaseBody>;
export type CaseChange = z.input<typeof caseChangeBody>;
export type PublicCase = z.infer<typeof publicCaseSchema>;
export type CaseStory = z.infer<typeof caseSchema>;
export type PublicCasePage = z.infer<typeof publicCasePageSchema>;
export type CaseLibraryQuery = z.input<typeof caseLibraryQuery>;
export type CaseImage = z.infer<typeof caseImageSchema>;
export type SendCases = z.input<typeof sendCasesBody>;
export type SentCases = z.infer<typeof sentCasesSchema>;
export type CaseStatus = (typeof caseStatuses)[number];
export type CaseIndustry = (typeof caseIndustries)[number];
export type CaseJobContent = (typeof caseJobContents)[number];
export type CaseCompanySize = (typeof caseCompanySizes)[number];
export type CaseBenefit = (typeof caseBenefits)[number];
export type CaseRegion = (typeof caseRegionKeys)[number];
