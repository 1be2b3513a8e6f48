import { isIP } from 'node:net';
import path from 'node:path';

/** Runtime configuration, read once from the environment. Every knob is documented in README.md. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  production: boolean;
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginRateLimit: number;
  /** Requests per minute per address to the public endpoints (evaluation answers). */
  publicRateLimit: number;
  /** Working days a receiver has to answer a referral before it is overdue. */
  referralDeadlineDays: number;
  /** SMTP server as a URL (smtp://user:pass@host:587); unset means mails are written as .eml files. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where .eml files go without SMTP. */
  mailDir: string;
  /** The address users reach the web app at, for links in mails. */
  publicUrl: string;
  /**
   * Which proxies in front of the app are trusted to name the client in X-Forwarded-For: none (false,
   * the default), a number of hops, or a list of addresses/CIDRs. Every rate limit keys on that client.
   */
  trustProxy: TrustProxy;
}

export type TrustProxy = false | number | string[];

/** Names proxy-addr (Fastify's trustProxy) understands for the usual private ranges. */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * KNUDEPUNKT_TRUST_PROXY: unset, empty or 0 trusts no proxy (X-Forwarded-For is ignored); a positive
 * integer trusts that many hops; otherwise a comma-separated list of addresses or CIDRs (or loopback,
 * linklocal, uniquelocal). "true" is refused: trusting any sender lets every client choose its address.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrCidr(e));
  if (bad !== undefined) {
    throw new Error(`KNUDEPUNKT_TRUST_PROXY must be a hop count or a comma-separated list of addresses/CIDRs (or loopback, linklocal, uniquelocal), got "${bad}" in "${raw}"`);
  }
  return entries;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: intEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KNUDEPUNKT_DATA_DIR || 'data'),
    production,
    secureCookies: env.KNUDEPUNKT_SECURE_COOKIES ? env.KNUDEPUNKT_SECURE_COOKIES === 'true' : production,
    sessionIdleMinutes: intEnv(env, 'KNUDEPUNKT_SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: intEnv(env, 'KNUDEPUNKT_SESSION_ABSOLUTE_HOURS', 12),
    loginRateLimit: intEnv(env, 'KNUDEPUNKT_LOGIN_RATE_LIMIT', 10),
    publicRateLimit: intEnv(env, 'KNUDEPUNKT_PUBLIC_RATE_LIMIT', 120),
    referralDeadlineDays: intEnv(env, 'KNUDEPUNKT_REFERRAL_DEADLINE_DAYS', 5),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Knudepunkt <noreply@knudepunkt.dk>',
    mailDir: path.resolve(env.KNUDEPUNKT_MAIL_DIR || path.join(env.KNUDEPUNKT_DATA_DIR || 'data', 'mail')),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, ''),
    trustProxy: parseTrustProxy(env.KNUDEPUNKT_TRUST_PROXY),
  };
}
