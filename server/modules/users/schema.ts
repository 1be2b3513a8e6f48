import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/schema.ts';

export const roles = ['adviser', 'manager', 'admin', 'reader'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Stored lower-cased; unique across the system. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    role: text('role').$type<Role>().notNull(),
    earlyWarning: boolean('early_warning').notNull().default(false),
    systemAdmin: boolean('system_admin').notNull().default(false),
    active: boolean('active').notNull().default(true),
    /**
     * Mail me about new requests (henvendelser) and referrals to my organisation. NULL follows the
     * default: on for advisers, off for the Early Warning team and managers (they choose it).
     */
    notifyLeads: boolean('notify_leads'),
    notifyReferrals: boolean('notify_referrals'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('users_organisation_idx').on(t.organisationId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie value, so a leaked table does not leak live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
