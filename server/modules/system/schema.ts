import { pgTable, text } from 'drizzle-orm/pg-core';

/** Installation-wide values, such as the secret that signs evaluation links. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
