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
  };
}
