import { sql } from 'drizzle-orm';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../../db/client.ts';
import { hmacToken, installationSecret } from './secrets.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
type Counter = { hits: number; ttl: number };

/** Expired windows removed by each counted request: more than it adds, so the table stays small without a job. */
const PRUNE_PER_REQUEST = 2;

/**
 * Counts one request in the window of `key` in one statement: a new or expired window starts at 1,
 * a live one goes up by 1. The database's clock decides, so app servers with drifting clocks agree.
 * A few expired windows of other keys are deleted on the way (SKIP LOCKED: never waits for another
 * request; not the own key, which the upsert touches in the same statement).
 */
async function countHit(database: Database, key: string, timeWindowMs: number): Promise<Counter> {
  const [row] = await database.rows<Counter>(sql`
    WITH pruned AS (
      DELETE FROM rate_limit_counters WHERE key IN (
        SELECT key FROM rate_limit_counters WHERE expires_at <= now() AND key <> ${key}
        ORDER BY expires_at LIMIT ${PRUNE_PER_REQUEST} FOR UPDATE SKIP LOCKED))
    INSERT INTO rate_limit_counters AS c (key, hits, expires_at)
    VALUES (${key}, 1, now() + ${timeWindowMs}::float8 * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
      expires_at = CASE WHEN c.expires_at <= now() THEN excluded.expires_at ELSE c.expires_at END
    RETURNING hits, ceil(extract(epoch FROM c.expires_at - now()) * 1000)::int AS ttl`);
  return row!;
}

async function readHits(database: Database, key: string): Promise<Counter> {
  const [row] = await database.rows<Counter>(sql`
    SELECT hits, ceil(extract(epoch FROM expires_at - now()) * 1000)::int AS ttl
    FROM rate_limit_counters WHERE key = ${key} AND expires_at > now()`);
  return row ?? { hits: 0, ttl: 0 };
}

/**
 * A @fastify/rate-limit store in the app's own database (PostgreSQL or PGlite alike), so every app
 * server counts against the same limit. One round trip per limited request; the HMAC secret is read
 * once per process.
 */
export function databaseRateLimitStore(database: Database): FastifyRateLimitStoreCtor {
  let secret: Promise<string> | undefined;
  const keySecret = () => {
    secret ??= installationSecret(database.db, 'rate_limit_key').catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };

  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    /** Each limited route counts on its own, as the plugin's in-memory store does (one store per route). */
    private readonly route: string;

    constructor(options: { routeInfo?: { method?: string | string[]; url?: string } } = {}) {
      this.route = `${String(options.routeInfo?.method ?? '')} ${options.routeInfo?.url ?? ''}`;
    }

    private async storedKey(key: string) {
      return hmacToken(await keySecret(), `${this.route}\n${key}`);
    }

    incr(key: string, callback: Callback, timeWindow: number) {
      this.storedKey(key)
        .then((stored) => countHit(database, stored, timeWindow))
        .then(({ hits, ttl }) => callback(null, { current: hits, ttl }), (error: Error) => callback(error));
    }

    /** The plugin's `{ increment: false }` peek. */
    read(key: string, callback: Callback) {
      this.storedKey(key)
        .then((stored) => readHits(database, stored))
        .then(({ hits, ttl }) => callback(null, { current: hits, ttl }), (error: Error) => callback(error));
    }

    child(routeOptions: object): FastifyRateLimitStore {
      return new DatabaseRateLimitStore(routeOptions as ConstructorParameters<typeof DatabaseRateLimitStore>[0]);
    }
  }
  return DatabaseRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
