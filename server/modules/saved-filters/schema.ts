import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid, unique } from 'drizzle-orm/pg-core';
import { users } from '../users/schema.ts';

export const filterLists = ['leads', 'referrals', 'companies', 'engagements', 'tasks'] as const;
export type FilterList = (typeof filterLists)[number];

/** A user's named filter on a list they use daily: the list's query string, kept as the URL has it. */
export const savedFilters = pgTable(
  'saved_filters',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    list: text('list').$type<FilterList>().notNull(),
    name: text('name').notNull(),
    query: text('query').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('saved_filters_user_list_name').on(t.userId, t.list, t.name), index('saved_filters_user_idx').on(t.userId, t.list)],
);
