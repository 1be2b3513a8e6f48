import type { Database } from '../../db/client.ts';

/** The channel the database's triggers (migration 0024) announce session-relevant changes on. */
export const SESSION_CHANGES = 'kp_session_changes';

interface Entry<T> {
  value: T;
  userId: string;
  storedAt: number;
}

/**
 * Resolved sessions kept in this process for a few seconds, so a signed-in request costs no session
 * round trip (issue 17: the lookup was about half of a cheap read's time).
 *
 * Safe only because every change that could make a cached session wrong is announced by the database
 * itself: triggers on `sessions` (deleted: sign-out, expiry, a user's sessions ended), `users`
 * (deactivated, role, Early Warning, organisation, name, e-mail) and `organisations` (type) send a
 * `NOTIFY`, whatever wrote them — this server, another app server, the CLI or SQL by hand. Every app
 * server listens and forgets what is named.
 *
 * Nothing is cached while the listening connection is down (changes may be missed then), and the
 * cache is emptied when it comes back. A read that started before an invalidation arrived is not
 * stored (`generation`), so a session cannot be put back by a request that read it just before its
 * sign-out committed. What remains is the notification's own delay, a few milliseconds on one
 * network; this server also forgets a session the moment it signs it out or changes its user. The
 * TTL bounds what an undetected fault in all of that could cost.
 */
export class SessionCache<T> {
  private entries = new Map<string, Entry<T>>();
  private generation = 0;
  private listening = false;
  private stop: (() => Promise<void>) | null = null;
  private waiting = new Map<string, () => void>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get isListening(): boolean {
    return this.listening;
  }

  /** Starts listening; until then (and with a TTL of 0) nothing is cached. */
  async start(database: Database): Promise<void> {
    if (this.ttlMs <= 0) return;
    this.stop = await database.listen(SESSION_CHANGES, {
      notify: (payload) => this.invalidate(payload),
      state: (listening) => {
        this.clear();
        this.listening = listening;
      },
    });
  }

  async close(): Promise<void> {
    await this.stop?.();
    this.stop = null;
    this.listening = false;
    this.clear();
  }

  /** The current generation: pass it to `set` so a read that an invalidation overtook is not stored. */
  mark(): number {
    return this.generation;
  }

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt >= this.ttlMs || now < entry.storedAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, userId: string, mark: number, now: number): void {
    if (!this.listening || mark !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, userId, storedAt: now });
  }

  /** Replaces a stored value in place (the session's last-seen time moved), keeping its age. */
  update(key: string, value: T): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = value;
  }

  forgetSession(key: string): void {
    this.invalidate(`session:${key}`);
  }

  forgetUser(userId: string): void {
    this.invalidate(`user:${userId}`);
  }

  /** Resolves once every change committed before the call has reached this cache (tests, and a server that must be sure). */
  async settled(database: Database): Promise<void> {
    if (!this.listening) return;
    const probe = `probe:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const arrived = new Promise<void>((resolve) => this.waiting.set(probe, resolve));
    await database.prepared('kp_session_probe', 'SELECT pg_notify($1, $2)', [SESSION_CHANGES, probe]);
    await arrived;
  }

  private invalidate(payload: string): void {
    const [kind, id] = splitOnce(payload);
    if (kind === 'probe') {
      this.waiting.get(payload)?.();
      this.waiting.delete(payload);
      return;
    }
    this.generation++;
    if (kind === 'session') this.entries.delete(id);
    else if (kind === 'user') {
      for (const [key, entry] of this.entries) if (entry.userId === id) this.entries.delete(key);
    } else this.clear();
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

function splitOnce(payload: string): [string, string] {
  const at = payload.indexOf(':');
  return at < 0 ? [payload, ''] : [payload.slice(0, at), payload.slice(at + 1)];
}
