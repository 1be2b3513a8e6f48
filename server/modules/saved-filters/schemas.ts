/**
 * The saved filters API's shapes: a user's named query strings for the lists they use daily. The
 * web takes its types from here (type imports only).
 */
import { z } from 'zod';
import { filterLists } from './schema.ts';

export const SAVED_FILTER_QUERY_MAX = 1000;
export const SAVED_FILTER_NAME_MAX = 80;
/** How many filters a user keeps per list. */
export const SAVED_FILTERS_PER_LIST = 50;

/**
 * Parameters never kept in a saved filter: the page of the list (`page` in the API, `side` in the
 * web's URLs) and the item opened beside it (`id`); a saved filter always starts at the first page.
 */
export const unsavedParams = ['page', 'side', 'id'] as const;

/** The characters of a URL's query (RFC 3986), with an optional leading '?'. */
const queryChars = /^\??[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

export const savedFilterSchema = z.object({
  id: z.string(),
  list: z.enum(filterLists),
  name: z.string(),
  /** The list's query string as the URL has it, without '?' and without the page. */
  query: z.string(),
  createdAt: z.string(),
});

export const savedFiltersQuery = z.strictObject({ list: z.enum(filterLists) });

export const newSavedFilterBody = z.strictObject({
  list: z.enum(filterLists),
  name: z.string().trim().min(1).max(SAVED_FILTER_NAME_MAX),
  query: z.string().max(SAVED_FILTER_QUERY_MAX).regex(queryChars, { message: 'savedFilter.queryFormat' }),
});

export const savedFilterListSchema = z.object({ items: z.array(savedFilterSchema) });

export type SavedFilter = z.infer<typeof savedFilterSchema>;
export type NewSavedFilter = z.input<typeof newSavedFilterBody>;
export type { FilterList } from './schema.ts';
export { filterLists };
