import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { savedFilters, type FilterList } from './schema.ts';
import { unsavedParams } from './schemas.ts';

/**
 * A query string as a saved filter keeps it: parsed as URLSearchParams (a malformed percent escape is
 * refused), the page and the opened item dropped, written back in the URL's own encoding. Null when
 * it is not a query string.
 */
export function normaliseQuery(query: string): string | null {
  const raw = query.startsWith('?') ? query.slice(1) : query;
  for (const part of raw.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  const params = new URLSearchParams(raw);
  for (const p of unsavedParams) params.delete(p);
  for (const key of [...params.keys()]) if (key === '') params.delete(key);
  return params.toString();
}

const columns = { id: savedFilters.id, list: savedFilters.list, name: savedFilters.name, query: savedFilters.query, createdAt: savedFilters.createdAt };

const present = (row: { id: string; list: FilterList; name: string; query: string; createdAt: Date }) => ({ ...row, createdAt: row.createdAt.toISOString() });

/** A user's saved filters on one list, by name. */
export async function findSavedFilters(db: Db, userId: string, list: FilterList) {
  const rows = await db.select(columns).from(savedFilters).where(and(eq(savedFilters.userId, userId), eq(savedFilters.list, list))).orderBy(asc(savedFilters.name), asc(savedFilters.createdAt));
  return rows.map(present);
}

export async function countSavedFilters(db: Db, userId: string, list: FilterList): Promise<number> {
  const [row] = await db.select({ n: count() }).from(savedFilters).where(and(eq(savedFilters.userId, userId), eq(savedFilters.list, list)));
  return row?.n ?? 0;
}

/** Saves a filter; undefined when the user already has one of that name on the list. */
export async function insertSavedFilter(db: Db, filter: { userId: string; list: FilterList; name: string; query: string }) {
  const [row] = await db.insert(savedFilters).values(filter).onConflictDoNothing().returning(columns);
  return row ? present(row) : undefined;
}

/** The owner of a saved filter, to ask the policy before touching it. */
export async function findSavedFilterOwner(db: Db, id: string) {
  const [row] = await db.select({ id: savedFilters.id, userId: savedFilters.userId, list: savedFilters.list }).from(savedFilters).where(eq(savedFilters.id, id));
  return row;
}

export async function deleteSavedFilter(db: Db, id: string): Promise<void> {
  await db.delete(savedFilters).where(eq(savedFilters.id, id));
}
