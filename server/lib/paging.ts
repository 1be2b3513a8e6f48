import { z } from 'zod';

/** `?page=&pageSize=` for lists that can grow without bound (inboxes, leads): nothing is silently cut off. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
};

export interface Paging {
  page: number;
  pageSize: number;
}

/** LIMIT/OFFSET that fetch one row more than the page, to know whether another page follows. */
export const pageWindow = ({ page, pageSize }: Paging) => ({ limit: pageSize + 1, offset: (page - 1) * pageSize });

export function pageOf<T>(rows: T[], { page, pageSize }: Paging) {
  return { items: rows.slice(0, pageSize), page, pageSize, hasMore: rows.length > pageSize };
}

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), hasMore: z.boolean() });
