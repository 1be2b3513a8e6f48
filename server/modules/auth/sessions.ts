import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import { organisations } from '../organisations/schema.ts';
import { sessions, users } from '../users/schema.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  tokenHash: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string, now: Date, policy: SessionPolicy) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + policy.absoluteMs),
  });
  // Sign-in is a good moment to sweep sessions that can no longer be used.
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMs))));
  return { token, csrfToken };
}

/** Returns the session's actor, or null if the token is unknown, idle too long, past its absolute expiry, or the user is deactivated. */
export async function resolveSession(db: Db, token: string, now: Date, policy: SessionPolicy): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      earlyWarning: users.earlyWarning,
      systemAdmin: users.systemAdmin,
      active: users.active,
      organisationId: users.organisationId,
      organisationType: organisations.type,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row) return null;
  const idleExpired = now.getTime() - row.lastSeenAt.getTime() > policy.idleMs;
  if (!row.active || idleExpired || now >= row.expiresAt) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return null;
  }
  // Touch at most once a minute: saves a write per request while keeping idle expiry accurate enough.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  const { csrfToken, lastSeenAt: _l, expiresAt: _e, active: _a, ...actor } = row;
  return { actor, csrfToken, tokenHash };
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(db: Db, userId: string) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId)));
}
