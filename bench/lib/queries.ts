/**
 * A deterministic mix of company searches, drawn from what was actually imported: exact CVR,
 * CVR prefixes, P-numbers, names with a typo, names within a municipality and industry browsing.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import type { SearchParams } from '../../server/modules/companies/service.ts';
import { intBetween, pickOne, prng } from '../../server/lib/random.ts';

export const QUERY_KINDS = ['exact CVR', 'CVR prefix (4–6 digits)', 'P-number', 'fuzzy name (typo)', 'name + municipality', 'industry filter'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface BenchQuery {
  kind: QueryKind;
  params: SearchParams;
}

interface SampleCompany {
  cvr: string;
  name: string;
  municipality_code: number | null;
  industry_code: string | null;
}

const PAGE = { page: 1, pageSize: 20 } as const;
const LEGAL_FORMS = new Set(['aps', 'a/s', 'i/s', 'k/s', 'f.m.b.a.', 'ivs', 'p/s']);

/** The words of a name a person would type: no legal form, no "&", at least two letters. */
function nameWords(name: string): string[] {
  return name.split(/\s+/).filter((w) => !LEGAL_FORMS.has(w.toLowerCase()) && /^[\p{L}][\p{L}-]+$/u.test(w));
}

/** One typo: a letter dropped or two neighbours swapped (never the first letter). */
export function typo(word: string, rand: () => number): string {
  if (word.length < 4) return word;
  const i = intBetween(rand, 1, word.length - 2);
  if (rand() < 0.5) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** One or two neighbouring words of the name, optionally with a typo in one of them. */
function namePart(name: string, rand: () => number, withTypo: boolean): string | null {
  const words = nameWords(name);
  if (words.length === 0) return null;
  const take = words.length >= 2 && rand() < 0.6 ? 2 : 1;
  const start = intBetween(rand, 0, words.length - take);
  const chosen = words.slice(start, start + take);
  if (withTypo) {
    const candidates = chosen.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4);
    if (candidates.length) {
      const [w, i] = pickOne(rand, candidates);
      chosen[i] = typo(w, rand);
    }
  }
  return chosen.join(' ');
}

export interface QueryPlan {
  /** Kind → number of queries. */
  counts: Record<QueryKind, number>;
  seed: number;
}

/**
 * Draws a shuffled list of queries from a pseudo-random but deterministic sample of the imported companies
 * (`offset` selects a different slice, so warm-up and measured queries differ).
 */
export async function buildQueries(database: Database, plan: QueryPlan, offset = 0): Promise<BenchQuery[]> {
  const total = Object.values(plan.counts).reduce((s, n) => s + n, 0);
  const companies = await database.rows<SampleCompany>(sql`
    SELECT cvr, name, municipality_code, industry_code FROM companies
    WHERE name IS NOT NULL ORDER BY md5(cvr || ${String(plan.seed)}) LIMIT ${total} OFFSET ${offset}`);
  const pNumbers = (await database.rows<{ p_number: string }>(sql`
    SELECT p_number FROM production_units ORDER BY md5(p_number || ${String(plan.seed)}) LIMIT ${plan.counts['P-number']} OFFSET ${offset}`)).map((r) => r.p_number);
  if (companies.length < total) throw new Error(`only ${companies.length} companies to draw ${total} queries from`);

  const rand = prng(plan.seed + offset);
  const queries: BenchQuery[] = [];
  let next = 0;
  const company = () => companies[next++ % companies.length]!;
  for (const kind of QUERY_KINDS) {
    for (let n = 0; n < plan.counts[kind]; n++) {
      const c = company();
      switch (kind) {
        case 'exact CVR':
          queries.push({ kind, params: { ...PAGE, q: c.cvr } });
          break;
        case 'CVR prefix (4–6 digits)':
          queries.push({ kind, params: { ...PAGE, q: c.cvr.slice(0, intBetween(rand, 4, 6)) } });
          break;
        case 'P-number':
          queries.push({ kind, params: { ...PAGE, q: pNumbers[n % pNumbers.length]! } });
          break;
        case 'fuzzy name (typo)': {
          const q = namePart(c.name, rand, true);
          if (q) queries.push({ kind, params: { ...PAGE, q } });
          else n--;
          break;
        }
        case 'name + municipality': {
          const q = namePart(c.name, rand, false);
          if (q && c.municipality_code != null) queries.push({ kind, params: { ...PAGE, q, municipality: c.municipality_code } });
          else n--;
          break;
        }
        case 'industry filter':
          if (c.industry_code) queries.push({ kind, params: { ...PAGE, industry: c.industry_code.slice(0, pickOne(rand, [2, 4, 6])) } });
          else n--;
          break;
      }
    }
  }
  // Interleave the kinds, as real traffic would.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries;
}

/** The query string the web app would send for these parameters. */
export function toQueryString(params: SearchParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  if (params.municipality !== undefined) search.set('municipality', String(params.municipality));
  if (params.industry) search.set('industry', params.industry);
  search.set('page', String(params.page));
  search.set('pageSize', String(params.pageSize));
  return search.toString();
}

export function describeQuery(params: SearchParams): string {
  return [params.q !== undefined ? `q="${params.q}"` : null, params.municipality !== undefined ? `municipality=${params.municipality}` : null, params.industry ? `industry=${params.industry}` : null]
    .filter(Boolean)
    .join(' ');
}
