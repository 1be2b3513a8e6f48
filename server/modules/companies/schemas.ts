/**
 * The companies API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { municipalityCodeSchema } from '../../lib/integers.ts';
import { isValidCvr } from './cvr.ts';

/** A CVR number from a request: 8 digits with a valid modulus-11 check digit. Messages are i18n keys. */
export const cvrSchema = z
  .string()
  .trim()
  .regex(/^\d{8}$/, { message: 'cvr.format' })
  .refine(isValidCvr, { message: 'cvr.checksum', abort: true });

const ref = z.object({ code: z.number(), name: z.string().nullable() });

export const companySummarySchema = z.object({
  cvr: z.string(),
  name: z.string().nullable(),
  municipality: ref.nullable(),
  industry: z.object({ code: z.string(), text: z.string().nullable() }).nullable(),
  status: z.string().nullable(),
  statusSince: z.string().nullable(),
  ceased: z.boolean(),
  employees: z.number().nullable(),
  advertisingProtected: z.boolean(),
  city: z.string().nullable(),
  postalCode: z.number().nullable(),
});

/** What the caller may do on the company's page, each the policy of the route that does it. */
export const companyAbilitiesSchema = z.object({
  createEngagement: z.boolean(),
  logActivity: z.boolean(),
  addContact: z.boolean(),
  recordConsent: z.boolean(),
  /** The CRM tabs at all; KKR and national authorities see aggregates only. */
  readCrm: z.boolean(),
  /** POST /cases/send: send a contact person of the company public case stories (the "Send historier" link). */
  sendCases: z.boolean(),
});

export const companySearchResultSchema = z.object({
  items: z.array(companySummarySchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  totalCapped: z.boolean(),
  hasMore: z.boolean(),
});

/** Register data of one company, as the service reads it. */
export const companyDataSchema = z.object({
  cvr: z.string(),
  name: z.string().nullable(),
  secondaryNames: z.array(z.string()),
  companyForm: z.object({ code: z.number().nullable(), short: z.string().nullable(), long: z.string().nullable() }).nullable(),
  address: z.object({ text: z.string().nullable(), street: z.string().nullable(), postalCode: z.number().nullable(), city: z.string().nullable() }).nullable(),
  municipality: ref.nullable(),
  industry: z.object({ code: z.string(), text: z.string().nullable() }).nullable(),
  /** The register's status code (NORMAL, OPHØRT, UNDER KONKURS, OPLØST EFTER FUSION, …). */
  status: z.string().nullable(),
  /** YYYY-MM-DD: when the company ceased, or since when it has been in the process `status` names. */
  statusSince: z.string().nullable(),
  /** The company no longer exists (ceased, dissolved, deleted); "UNDER …" statuses are not ceased yet. */
  ceased: z.boolean(),
  foundedOn: z.string().nullable(),
  employees: z.object({ count: z.number().nullable(), interval: z.string().nullable(), period: z.string().nullable() }).nullable(),
  advertisingProtected: z.boolean(),
  productionUnits: z.array(z.object({ pNumber: z.string(), validFrom: z.string().nullable(), validTo: z.string().nullable(), active: z.boolean() })),
  source: z.enum(['cvr', 'manual']),
  updatedAt: z.string(),
});

/** A company with what the caller may do on its page. */
export const companySchema = companyDataSchema.extend({ abilities: companyAbilitiesSchema });

/** What anyone may look up without signing in: the register's public name and municipality. */
export const publicCompanySchema = z.object({ cvr: z.string(), name: z.string(), municipality: z.object({ code: z.number(), name: z.string() }).nullable() });

export const newCompanyBody = z.strictObject({ cvr: cvrSchema, name: z.string().trim().min(1).max(300).optional(), municipalityCode: municipalityCodeSchema.optional() });

export const searchQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  municipality: z.coerce.number().int().min(100).max(999).optional(),
  industry: z.string().trim().regex(/^\d{1,6}$/, { message: 'invalidFormat' }).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export type CompanySummary = z.infer<typeof companySummarySchema>;
export type CompanySearchResult = z.infer<typeof companySearchResultSchema>;
export type CompanyData = z.infer<typeof companyDataSchema>;
export type Company = z.infer<typeof companySchema>;
export type CompanyAbilities = z.infer<typeof companyAbilitiesSchema>;
export type ProductionUnit = Company['productionUnits'][number];
export type PublicCompany = z.infer<typeof publicCompanySchema>;
/** The search's query string: the server's parameters, each sent as text or a number. */
export type CompanySearchQuery = Partial<Record<keyof z.output<typeof searchQuerySchema>, string | number>>;
export type NewCompany = z.input<typeof newCompanyBody>;
