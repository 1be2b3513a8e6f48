/**
 * The campaign lists API's request and response shapes: the routes validate and serialise with them,
 * and the web takes its types from them (type imports only).
 */
import { z } from 'zod';

/** The company search a list is made from. */
export const listFiltersBody = z.strictObject({
  q: z.string().trim().max(200).optional(),
  municipality: z.number().int().min(100).max(999).optional(),
  industry: z.string().trim().regex(/^\d{1,6}$/, { message: 'invalidFormat' }).optional(),
});

export const newListBody = z.strictObject({ name: z.string().trim().min(1).max(200), filters: listFiltersBody });

export const listSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The search as made, and how many advertising-protected companies it left out then. */
  filters: z.object({ q: z.string().optional(), municipality: z.number().optional(), industry: z.string().optional(), excludedProtected: z.number().optional() }),
  /** Members that are not advertising-protected now: what the CSV holds. */
  count: z.number(),
  excludedProtected: z.number(),
  createdAt: z.string(),
});

/** A list's companies as CSV: semicolon-separated UTF-8 with a byte-order mark, for a spreadsheet. */
export const listCsvResponse = {
  description: 'The companies of the list as CSV (semicolon-separated, UTF-8)',
  content: { 'text/csv': { schema: z.string() } },
};

export type CompanyList = z.infer<typeof listSchema>;
export type NewCompanyList = z.input<typeof newListBody>;
