import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Installation-wide values, such as the secret that signs evaluation links. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Rate-limit windows shared by every app server. `key` is an HMAC of the route and the client key
 * (address, account), so neither addresses nor e-mail addresses are stored.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_counters_expires_idx').on(t.expiresAt)],
);
