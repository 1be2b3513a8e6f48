import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { organisations } from '../organisations/schema.ts';
import { users, type Role } from './schema.ts';
import type { userChangeBody } from './schemas.ts';

export const userViewColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  earlyWarning: users.earlyWarning,
  systemAdmin: users.systemAdmin,
  active: users.active,
  organisationId: organisations.id,
  organisationName: organisations.name,
  organisationType: organisations.type,
};

type UserRow = { [K in keyof typeof userViewColumns]: (typeof userViewColumns)[K]['_']['data'] };

export function toUserView(row: UserRow) {
  const { organisationId, organisationName, organisationType, ...user } = row;
  return { ...user, organisation: { id: organisationId, name: organisationName, type: organisationType } };
}
export type UserView = ReturnType<typeof toUserView>;

export async function findUsers(db: Db, where?: SQL): Promise<UserView[]> {
  const rows = await db
    .select(userViewColumns)
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(where)
    .orderBy(asc(organisations.name), asc(users.name));
  return rows.map(toUserView);
}

export async function findUser(db: Db, id: string): Promise<UserView | undefined> {
  const [user] = await findUsers(db, eq(users.id, id));
  return user;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findUserForLogin(db: Db, email: string) {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.email, normaliseEmail(email)), eq(users.active, true)));
  return row;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  passwordHash: string;
  earlyWarning?: boolean;
  systemAdmin?: boolean;
}

export async function insertUser(db: Db, user: NewUser) {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: normaliseEmail(user.email) })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return row?.id;
}

/** Whether the organisation exists. */
export async function organisationExists(db: Db, organisationId: string): Promise<boolean> {
  const [organisation] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
  return !!organisation;
}

export type UserChanges = Omit<z.output<typeof userChangeBody>, 'password'> & { passwordHash?: string };

/** Changes a user, checked and authorised by the caller. */
export async function updateUser(db: Db, id: string, changes: UserChanges): Promise<void> {
  await db.update(users).set(changes).where(eq(users.id, id));
}

export type NotificationKind = 'leads' | 'referrals';

/**
 * Whether a user is mailed about new work of a kind when they have not chosen: advisers are; the
 * Early Warning team and managers (the director) are not unless they choose it.
 */
export const notifiedByDefault = (user: { role: Role; earlyWarning: boolean }) => user.role === 'adviser' && !user.earlyWarning;

/** The SQL of a user's effective choice (their own setting, else the default above). */
export const notifiesSql = (kind: NotificationKind) =>
  sql`coalesce(${kind === 'leads' ? users.notifyLeads : users.notifyReferrals}, ${users.role} = 'adviser' AND NOT ${users.earlyWarning})`;

/** Whom new work of a kind for an organisation is mailed to: its active users who want it, with their language-neutral name. */
export async function notificationRecipients(db: Db, organisationId: string, kind: NotificationKind): Promise<{ email: string; name: string }[]> {
  return db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.organisationId, organisationId), eq(users.active, true), notifiesSql(kind)))
    .orderBy(asc(users.email));
}

/** A user's notification settings: effective, default and whether chosen (see `mySettingsSchema`). */
export async function findNotificationSettings(db: Db, userId: string) {
  const [row] = await db
    .select({ role: users.role, earlyWarning: users.earlyWarning, notifyLeads: users.notifyLeads, notifyReferrals: users.notifyReferrals })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) return undefined;
  const byDefault = notifiedByDefault(row);
  return {
    notifications: { leads: row.notifyLeads ?? byDefault, referrals: row.notifyReferrals ?? byDefault },
    notifiedByDefault: { leads: byDefault, referrals: byDefault },
    chosen: { leads: row.notifyLeads !== null, referrals: row.notifyReferrals !== null },
  };
}

/** Stores a user's own choice per kind (null: back to the default); checked and authorised by the caller. */
export async function updateNotificationSettings(db: Db, userId: string, notifications: { leads: boolean | null; referrals: boolean | null }): Promise<void> {
  await db.update(users).set({ notifyLeads: notifications.leads, notifyReferrals: notifications.referrals }).where(eq(users.id, userId));
}
