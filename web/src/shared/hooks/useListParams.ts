import { useSearchParams } from 'react-router';
import { PAGE_PARAM } from '../components/Pager.tsx';

export type SortDir = 'asc' | 'desc';

/** The URL's words for a list's sort (Danish, like the app's other parameters); saved filters and old links keep them. */
export const SORT_PARAM = 'sorter';
export const DIR_PARAM = 'retning';
const dirWords: Record<SortDir, string> = { asc: 'stigende', desc: 'faldende' };

/** How one list's server-side sort is spelt in the URL. */
export interface ListSort<S extends string> {
  /** In the order the narrow screen's sort select offers them. */
  columns: readonly S[];
  words: Record<S, string>;
  /** When the URL names no (known) column. */
  fallback: S;
  /** The direction a column starts in when chosen; must match the server's default, since a URL may name no direction. */
  defaultDir: (sort: S) => SortDir;
}

export interface SortState<S extends string> {
  sort: S;
  dir: SortDir;
}

/** An unknown word falls back rather than failing, so an edited or outdated link still shows the list. */
export function readSort<S extends string>(params: URLSearchParams, spec: ListSort<S>): SortState<S> {
  const sort = spec.columns.find((s) => spec.words[s] === params.get(SORT_PARAM)) ?? spec.fallback;
  const dir = (Object.keys(dirWords) as SortDir[]).find((d) => dirWords[d] === params.get(DIR_PARAM)) ?? spec.defaultDir(sort);
  return { sort, dir };
}

/** The parameters for `change` that choose this sort. */
export function sortParams<S extends string>(spec: ListSort<S>, { sort, dir }: SortState<S>): Record<string, string> {
  return { [SORT_PARAM]: spec.words[sort], [DIR_PARAM]: dirWords[dir] };
}

/** A second press on the sorted column turns the order; another column starts in its own default direction. */
export function nextSort<S extends string>(spec: ListSort<S>, current: SortState<S>, column: S): SortState<S> {
  if (column !== current.sort) return { sort: column, dir: spec.defaultDir(column) };
  return { sort: column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/**
 * A list's query parameters and a way to change them. A change starts again at the first page (the old
 * page may no longer exist) and replaces the history entry, since these are choices within one page.
 * `null` removes a parameter.
 */
export function useListParams(): { params: URLSearchParams; change: (set: Record<string, string | null>) => void } {
  const [params, setParams] = useSearchParams();
  const change = (set: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(set)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    next.delete(PAGE_PARAM);
    setParams(next, { replace: true });
  };
  return { params, change };
}
