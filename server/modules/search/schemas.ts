/**
 * The global search's request and response shapes (the header's search field): the route validates
 * and serialises with them, and the web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { engagementStatuses } from '../engagements/schema.ts';

/** C0 and C1 control characters (tab, line feed, NUL, escape, …): never part of something to search for. */
const CONTROL = /\p{Cc}/u;

/**
 * What to search for: 1–100 characters, as typed (the web trims it). Text with leading or trailing
 * white space or a control character is refused (400 naming `q`), not silently changed.
 */
export const globalSearchQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(100)
    .refine((q) => !CONTROL.test(q), { message: 'search.controlCharacter', abort: true })
    .refine((q) => q === q.trim(), { message: 'search.padded', abort: true })
    .describe('What to search for: 1–100 characters, without leading or trailing white space or control characters'),
});

/** How many hits of each kind the search answers with. */
export const SEARCH_LIMIT = 5;

const municipality = z.object({ code: z.number(), name: z.string().nullable() });

export const searchCompanySchema = z.object({
  cvr: z.string(),
  name: z.string().nullable(),
  municipality: municipality.nullable(),
  city: z.string().nullable(),
  status: z.string().nullable(),
  statusSince: z.string().nullable(),
  ceased: z.boolean(),
});

/** One of the caller's organisation's engagements (Early Warning ones only for the EW team). */
export const searchEngagementSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  prospect: z.object({ id: z.string(), personName: z.string() }).nullable(),
  status: z.enum(engagementStatuses),
  openedOn: z.string(),
  responsible: z.object({ id: z.string(), name: z.string() }),
  /** The caller is the responsible adviser: these come first. */
  mine: z.boolean(),
});

/** A prospect the caller's organisation recorded (personal data: the search is audited when it shows one). */
export const searchProspectSchema = z.object({
  id: z.string(),
  personName: z.string(),
  plannedName: z.string().nullable(),
  municipality: z.object({ code: z.number(), name: z.string() }).nullable(),
  /** Set once the prospect has founded its company. */
  companyCvr: z.string().nullable(),
});

export const globalSearchResultSchema = z.object({
  companies: z.array(searchCompanySchema),
  engagements: z.array(searchEngagementSchema),
  prospects: z.array(searchProspectSchema),
  /** Whether there are more hits of a kind than the search shows (then "see all"). */
  more: z.object({ companies: z.boolean(), engagements: z.boolean(), prospects: z.boolean() }),
});

export type GlobalSearchResult = z.infer<typeof globalSearchResultSchema>;
export type SearchCompany = z.infer<typeof searchCompanySchema>;
export type SearchEngagement = z.infer<typeof searchEngagementSchema>;
export type SearchProspect = z.infer<typeof searchProspectSchema>;
