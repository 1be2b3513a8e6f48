import { z } from 'zod';
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
  employees: z.number().nullable(),
  advertisingProtected: z.boolean(),
  city: z.string().nullable(),
  postalCode: z.number().nullable(),
});

export const companySchema = z.object({
  cvr: z.string(),
  name: z.string().nullable(),
  secondaryNames: z.array(z.string()),
  companyForm: z.object({ code: z.number().nullable(), short: z.string().nullable(), long: z.string().nullable() }).nullable(),
  address: z.object({ text: z.string().nullable(), street: z.string().nullable(), postalCode: z.number().nullable(), city: z.string().nullable() }).nullable(),
  municipality: ref.nullable(),
  industry: z.object({ code: z.string(), text: z.string().nullable() }).nullable(),
  status: z.string().nullable(),
  foundedOn: z.string().nullable(),
  employees: z.object({ count: z.number().nullable(), interval: z.string().nullable(), period: z.string().nullable() }).nullable(),
  advertisingProtected: z.boolean(),
  productionUnits: z.array(z.object({ pNumber: z.string(), validFrom: z.string().nullable(), validTo: z.string().nullable(), active: z.boolean() })),
  source: z.enum(['cvr', 'manual']),
  updatedAt: z.string(),
});

export const searchQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  municipality: z.coerce.number().int().min(100).max(999).optional(),
  industry: z.string().trim().regex(/^\d{1,6}$/, { message: 'invalidFormat' }).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
