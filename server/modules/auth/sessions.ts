import { randomBytes } from 'node:crypto';
import { and, eq, lt, or } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import type { SessionCache } from './session-cache.ts';
import { sessions } from '../users/schema.ts';
import { hashToken } from '../../lib/hashing.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  tokenHash: string;
}


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

export interface SessionRow extends Actor {
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  active: boolean;
}

/**
 * Runs on every authenticated request, so it is one hand-written statement run as a named prepared
 * statement (planned once per connection) rather than the query builder: that alone was about half
 * of a cheap read's time (issue 17). It must select exactly what the builder did.
 */
const SESSION_LOOKUP = `SELECT s.csrf_token AS "csrfToken", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
  u.id AS "userId", u.name, u.email, u.role, u.early_warning AS "earlyWarning", u.system_admin AS "systemAdmin",
  u.active, u.organisation_id AS "organisationId", o.type AS "organisationType"
FROM sessions s
JOIN users u ON u.id = s.user_id
JOIN organisations o ON o.id = u.organisation_id
WHERE s.token_hash = $1`;

/**
 * Returns the session's actor, or null if the token is unknown, idle too long, past its absolute
 * expiry, or the user is deactivated. With a `cache`, a session read within its TTL is not read again
 * (see SessionCache for why that is safe); expiry is still checked on every request.
 */
export async function resolveSession(database: Database, token: string, now: Date, policy: SessionPolicy, cache?: SessionCache<SessionRow>): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  let row = cache?.get(tokenHash, now.getTime());
  if (!row) {
    const mark = cache?.mark() ?? 0;
    [row] = await database.prepared<SessionRow>('kp_session_lookup', SESSION_LOOKUP, [tokenHash]);
    if (!row) return null;
    cache?.set(tokenHash, row, row.userId, mark, now.getTime());
  }
  // Both drivers parse timestamptz to Date; the conversion guards against a driver handing back text.
  const lastSeenAt = new Date(row.lastSeenAt).getTime();
  const idleExpired = now.getTime() - lastSeenAt > policy.idleMs;
  if (!row.active || idleExpired || now.getTime() >= new Date(row.expiresAt).getTime()) {
    cache?.forgetSession(tokenHash);
    await database.prepared('kp_session_delete', 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    return null;
  }
  // Touch at most once a minute: saves a write per request while keeping idle expiry accurate enough.
  if (now.getTime() - lastSeenAt > 60_000) {
    await database.prepared('kp_session_touch', 'UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, now]);
    cache?.update(tokenHash, { ...row, lastSeenAt: now });
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
