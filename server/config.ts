import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Runtime configuration, read once from the environment through `envSchema`. Every knob is documented in docs/operations.md. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Connections in this process's PostgreSQL pool. */
  dbPool: number;
  dataDir: string;
  production: boolean;
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  sessionCacheSeconds: number;
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
  /** Seconds `serve` waits on SIGTERM for open requests and the background jobs before it cuts connections and exits. */
  shutdownSeconds: number;
  /** Seconds a client has to send a whole request (headers and body) before it is answered 408 and let go. */
  requestTimeoutSeconds: number;
  /** The CVR register's system-to-system service, for `sync cvr` (and `serve` every `syncHours`, when set). */
  cvr: CvrConfig;
}

export interface CvrConfig {
  /** The Elasticsearch endpoint, without the index (http://distribution.virk.dk); unset: no sync. */
  url: string | undefined;
  user: string | undefined;
  password: string | undefined;
  /** Hours between the syncs `serve` runs; unset: `serve` never syncs by itself. */
  syncHours: number | undefined;
}

export type TrustProxy = false | number | string[];

/**
 * sysexits.h's EX_CONFIG. Distinct from 1 (a command that failed) so a supervisor can tell a start
 * that will never succeed from one worth retrying (systemd: `RestartPreventExitStatus=78`).
 */
export const EX_CONFIG = 78;

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** A configuration the process must not start with; the message is one line, meant for stderr as it is. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Ugyldig konfiguration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}. Se knudepunkt --help.`);
    this.name = 'ConfigError';
  }
}

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

const maxProxyHops = 20;
const trustProxyExpected = `skal være et antal proxyer (0–${maxProxyHops}) eller en kommasepareret liste af adresser/CIDR'er (eller loopback, linklocal, uniquelocal)`;

/** Either the value or what is wrong with it, so the schema can collect it with the other problems. */
function readTrustProxy(raw: string | undefined): TrustProxy | { problem: string } {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value) <= maxProxyHops ? Number(value) : { problem: `${trustProxyExpected}, fik ${quote(value)}` };
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrCidr(e));
  // "true" lands here too: trusting any sender would let every client choose its address.
  if (bad !== undefined) return { problem: `${trustProxyExpected}, fik ${quote(bad)} i ${quote(value)}` };
  return entries;
}

/**
 * KNUDEPUNKT_TRUST_PROXY: unset, empty or 0 trusts no proxy (X-Forwarded-For is ignored); a positive
 * integer trusts that many hops; otherwise a comma-separated list of addresses or CIDRs (or loopback,
 * linklocal, uniquelocal). "true" is refused: trusting any sender lets every client choose its address.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const result = readTrustProxy(raw);
  if (typeof result === 'object' && !Array.isArray(result)) throw new ConfigError([{ variable: 'KNUDEPUNKT_TRUST_PROXY', message: result.problem }]);
  return result;
}

/** JSON quoting keeps a value with a newline or control characters on the message's one line. */
const quote = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** Every variable is text or absent; blank counts as absent, so `SMTP_URL=` in an env file means "no SMTP". */
const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

function integer(min: number, max: number, fallback: number) {
  return text.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message: `skal være et helt tal fra ${min} til ${max}, fik ${quote(raw)}` });
    return z.NEVER;
  });
}

const booleanWords: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

/** Undefined when unset, so the caller can pick a default that depends on other variables. */
const boolean = text.transform((raw, ctx) => {
  if (raw === undefined) return undefined;
  const value = booleanWords[raw.toLowerCase()];
  if (value !== undefined) return value;
  ctx.addIssue({ code: 'custom', message: `skal være true/false, 1/0 eller yes/no, fik ${quote(raw)}` });
  return z.NEVER;
});

function oneOf<const T extends readonly string[]>(values: T, fallback: T[number]) {
  return text.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T[number];
    ctx.addIssue({ code: 'custom', message: `skal være ${values.join(', ')}, fik ${quote(raw)}` });
    return z.NEVER;
  });
}

/**
 * A URL with one of the given schemes. `secret` URLs carry passwords, so the message shows neither
 * the value nor the part that is wrong beyond its scheme.
 */
function url(schemes: string[], example: string, options: { secret?: boolean; bare?: boolean } = {}) {
  return text.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const expected = `skal være en URL som ${example}`;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: options.secret ? `${expected} (værdien kunne ikke læses som URL)` : `${expected}, fik ${quote(raw)}` });
      return z.NEVER;
    }
    if (!schemes.includes(parsed.protocol.slice(0, -1))) {
      ctx.addIssue({ code: 'custom', message: `${expected} (${schemes.join(' eller ')}), fik ${quote(parsed.protocol)}` });
      return z.NEVER;
    }
    // Links are made by appending a path, which a query, a fragment or credentials would break or leak.
    if (options.bare && (parsed.search || parsed.hash || parsed.username || parsed.password)) {
      ctx.addIssue({ code: 'custom', message: `${expected}, uden brugernavn, ?forespørgsel og #fragment, fik ${quote(raw)}` });
      return z.NEVER;
    }
    return raw;
  });
}

const hostnamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
/** A bare address or `Name <address>`, as nodemailer takes it. */
const mailboxPattern = /^(?:[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>)$/;

/**
 * The environment the server and the CLI read, and nothing else: keys are the variables' names (the
 * operations-doc test reads them from here). Every problem is collected, so one start names them all.
 */
export const envSchema = z
  .object({
    NODE_ENV: oneOf(['production', 'development', 'test'], 'development'),
    PORT: integer(1, 65535, 3000),
    HOST: text.transform((raw, ctx) => {
      if (raw === undefined) return '0.0.0.0';
      if (isIP(raw) || hostnamePattern.test(raw)) return raw;
      ctx.addIssue({ code: 'custom', message: `skal være en IP-adresse eller et værtsnavn, fik ${quote(raw)}` });
      return z.NEVER;
    }),
    DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://bruger:adgangskode@vært:5432/database', { secret: true }),
    KNUDEPUNKT_DB_POOL: integer(1, 1000, 10),
    KNUDEPUNKT_DATA_DIR: text,
    PUBLIC_URL: url(['https', 'http'], 'https://knudepunkt.example.dk', { bare: true }),
    SMTP_URL: url(['smtp', 'smtps'], 'smtp://bruger:adgangskode@vært:587', { secret: true }),
    MAIL_FROM: text.transform((raw, ctx) => {
      if (raw === undefined) return 'Knudepunkt <noreply@knudepunkt.dk>';
      if (mailboxPattern.test(raw)) return raw;
      ctx.addIssue({ code: 'custom', message: `skal være en e-mailadresse eller "Navn <adresse>", fik ${quote(raw)}` });
      return z.NEVER;
    }),
    KNUDEPUNKT_MAIL_DIR: text,
    KNUDEPUNKT_SECURE_COOKIES: boolean,
    KNUDEPUNKT_SESSION_IDLE_MINUTES: integer(1, 24 * 60, 30),
    KNUDEPUNKT_SESSION_ABSOLUTE_HOURS: integer(1, 7 * 24, 12),
    KNUDEPUNKT_SESSION_CACHE_SECONDS: integer(0, 60, 10),
    KNUDEPUNKT_LOGIN_RATE_LIMIT: integer(1, 10_000, 10),
    KNUDEPUNKT_PUBLIC_RATE_LIMIT: integer(1, 100_000, 120),
    KNUDEPUNKT_REFERRAL_DEADLINE_DAYS: integer(1, 60, 5),
    KNUDEPUNKT_SHUTDOWN_SECONDS: integer(1, 3600, 10),
    KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS: integer(1, 3600, 30),
    KNUDEPUNKT_TRUST_PROXY: text.transform((raw, ctx) => {
      const result = readTrustProxy(raw);
      if (typeof result !== 'object' || Array.isArray(result)) return result;
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }),
    KNUDEPUNKT_CVR_URL: url(['https', 'http'], 'http://distribution.virk.dk', { bare: true }),
    KNUDEPUNKT_CVR_USER: text,
    KNUDEPUNKT_CVR_PASSWORD: text,
    KNUDEPUNKT_CVR_SYNC_HOURS: text.transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (value >= 1 && value <= 24 * 31) return value;
      ctx.addIssue({ code: 'custom', message: `skal være et helt antal timer fra 1 til ${24 * 31}, fik ${quote(raw)}` });
      return z.NEVER;
    }),
    // Read before the schema by cliLanguage (help must be printable with a bad configuration); checked here like the rest.
    KNUDEPUNKT_LANG: oneOf(['da', 'en'], 'da'),
  })
  // Without it every mail link points at localhost. `when` makes it run beside the other problems, not after them.
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL !== undefined, {
    path: ['PUBLIC_URL'],
    message: 'skal sættes, når NODE_ENV=production (adressen brugerne når appen på; links i mails begynder med den)',
    when: () => true,
  })
  // A schedule without a register to ask would fail every time, quietly, in the server's log.
  .refine((env) => env.KNUDEPUNKT_CVR_SYNC_HOURS === undefined || env.KNUDEPUNKT_CVR_URL !== undefined, {
    path: ['KNUDEPUNKT_CVR_URL'],
    message: 'skal sættes, når KNUDEPUNKT_CVR_SYNC_HOURS er sat (registrets adresse)',
    when: () => true,
  })
  .refine((env) => (env.KNUDEPUNKT_CVR_USER === undefined) === (env.KNUDEPUNKT_CVR_PASSWORD === undefined), {
    path: ['KNUDEPUNKT_CVR_PASSWORD'],
    message: 'og KNUDEPUNKT_CVR_USER sættes sammen (registrets brugernavn og adgangskode) eller slet ikke',
    when: () => true,
  });

type Variable = keyof z.input<typeof envSchema>;

/** One line per variable for `knudepunkt --help`; typed so a variable added to the schema must be described. */
export const variableHelp: Record<Variable, string> = {
  NODE_ENV: 'production, development eller test (standard development); production slår Secure-cookie, HSTS og logning til og forbyder demodata',
  PORT: 'HTTP-port, 1–65535 (standard 3000)',
  HOST: 'adressen der lyttes på (standard 0.0.0.0)',
  DATABASE_URL: 'PostgreSQL-URL (postgres://…); ikke sat: den indlejrede database (PGlite) i datamappen',
  KNUDEPUNKT_DB_POOL: 'forbindelser i PostgreSQL-puljen pr. proces, 1–1000 (standard 10)',
  KNUDEPUNKT_DATA_DIR: 'datamappen: den indlejrede database og låsefilen (standard ./data)',
  PUBLIC_URL: 'adressen brugerne når appen på, http(s)://…; links i mails; påkrævet i produktion (ellers http://localhost:PORT)',
  SMTP_URL: 'SMTP-server, smtp:// eller smtps://; ikke sat: mails skrives som .eml-filer',
  MAIL_FROM: 'afsender af mails (standard Knudepunkt <noreply@knudepunkt.dk>)',
  KNUDEPUNKT_MAIL_DIR: 'mappe til .eml-filer uden SMTP (standard DATADIR/mail)',
  KNUDEPUNKT_SECURE_COOKIES: 'sessionscookien kun over HTTPS: true/false, 1/0, yes/no (standard true i produktion, ellers false)',
  KNUDEPUNKT_SESSION_IDLE_MINUTES: 'minutter uden aktivitet før en session udløber, 1–1440 (standard 30)',
  KNUDEPUNKT_SESSION_ABSOLUTE_HOURS: 'timer efter login før en session altid udløber, 1–168 (standard 12)',
  KNUDEPUNKT_SESSION_CACHE_SECONDS: 'sekunder en session huskes i serveren mellem databaseopslag, 0–60 (standard 10; 0 slår det fra)',
  KNUDEPUNKT_LOGIN_RATE_LIMIT: 'loginforsøg pr. minut pr. adresse og konto, 1–10000 (standard 10)',
  KNUDEPUNKT_PUBLIC_RATE_LIMIT: 'forespørgsler pr. minut pr. adresse til de offentlige endpoints, 1–100000 (standard 120)',
  KNUDEPUNKT_REFERRAL_DEADLINE_DAYS: 'arbejdsdage en modtager har til at svare på en henvisning, 1–60 (standard 5)',
  KNUDEPUNKT_SHUTDOWN_SECONDS: 'sekunder serve venter ved SIGTERM på åbne forespørgsler og baggrundsjob, før forbindelserne lukkes og processen stopper, 1–3600 (standard 10)',
  KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS: 'sekunder en klient har til at sende en hel forespørgsel (headere og krop), før den får 408 og forbindelsen lukkes, 1–3600 (standard 30)',
  KNUDEPUNKT_TRUST_PROXY: `proxyer der må angive klienten i X-Forwarded-For: et antal (0–${maxProxyHops}) eller adresser/CIDR'er (standard ingen)`,
  KNUDEPUNKT_CVR_URL: 'CVR-registrets system-til-system-adgang (Elasticsearch), http(s)://… uden indeks; bruges af sync cvr (standard ikke sat: ingen synkronisering)',
  KNUDEPUNKT_CVR_USER: 'brugernavn til CVR-registrets system-til-system-adgang (basic auth)',
  KNUDEPUNKT_CVR_PASSWORD: 'adgangskode til CVR-registrets system-til-system-adgang (basic auth)',
  KNUDEPUNKT_CVR_SYNC_HOURS: 'timer mellem de CVR-synkroniseringer, serve selv kører, 1–744 (standard ikke sat: serve synkroniserer ikke)',
  KNUDEPUNKT_LANG: "kommandolinjens sprog, da eller en (standard: ud fra LC_ALL, LC_MESSAGES eller LANG; da*, C eller ikke sat giver dansk, andet engelsk)",
};

/** The same lines in English, for `knudepunkt --help` in an English locale. */
export const variableHelpEnglish: Record<Variable, string> = {
  NODE_ENV: 'production, development or test (default development); production turns on the Secure cookie, HSTS and logging and forbids demo data',
  PORT: 'HTTP port, 1–65535 (default 3000)',
  HOST: 'address to listen on (default 0.0.0.0)',
  DATABASE_URL: 'PostgreSQL URL (postgres://…); unset: the embedded database (PGlite) in the data directory',
  KNUDEPUNKT_DB_POOL: 'connections in the PostgreSQL pool per process, 1–1000 (default 10)',
  KNUDEPUNKT_DATA_DIR: 'the data directory: the embedded database and the lock file (default ./data)',
  PUBLIC_URL: 'the address users reach the app at, http(s)://…; links in mails; required in production (else http://localhost:PORT)',
  SMTP_URL: 'SMTP server, smtp:// or smtps://; unset: mails are written as .eml files',
  MAIL_FROM: 'sender of mails (default Knudepunkt <noreply@knudepunkt.dk>)',
  KNUDEPUNKT_MAIL_DIR: 'directory for .eml files without SMTP (default DATADIR/mail)',
  KNUDEPUNKT_SECURE_COOKIES: 'the session cookie only over HTTPS: true/false, 1/0, yes/no (default true in production, else false)',
  KNUDEPUNKT_SESSION_IDLE_MINUTES: 'minutes without activity before a session expires, 1–1440 (default 30)',
  KNUDEPUNKT_SESSION_ABSOLUTE_HOURS: 'hours after sign-in before a session always expires, 1–168 (default 12)',
  KNUDEPUNKT_SESSION_CACHE_SECONDS: 'seconds a session is remembered by the server between database look-ups, 0–60 (default 10; 0 turns it off)',
  KNUDEPUNKT_LOGIN_RATE_LIMIT: 'sign-in attempts per minute per address and account, 1–10000 (default 10)',
  KNUDEPUNKT_PUBLIC_RATE_LIMIT: 'requests per minute per address to the public endpoints, 1–100000 (default 120)',
  KNUDEPUNKT_REFERRAL_DEADLINE_DAYS: 'working days a receiver has to answer a referral, 1–60 (default 5)',
  KNUDEPUNKT_SHUTDOWN_SECONDS: 'seconds serve waits on SIGTERM for open requests and background jobs before it closes the connections and exits, 1–3600 (default 10)',
  KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS: 'seconds a client has to send a whole request (headers and body) before it is answered 408 and the connection closed, 1–3600 (default 30)',
  KNUDEPUNKT_TRUST_PROXY: `proxies that may name the client in X-Forwarded-For: a count (0–${maxProxyHops}) or addresses/CIDRs (default none)`,
  KNUDEPUNKT_CVR_URL: "the CVR register's system-to-system service (Elasticsearch), http(s)://… without the index; used by sync cvr (default unset: no sync)",
  KNUDEPUNKT_CVR_USER: "user name for the CVR register's system-to-system service (basic auth)",
  KNUDEPUNKT_CVR_PASSWORD: "password for the CVR register's system-to-system service (basic auth)",
  KNUDEPUNKT_CVR_SYNC_HOURS: 'hours between the CVR syncs serve runs by itself, 1–744 (default unset: serve does not sync)',
  KNUDEPUNKT_LANG: 'language of the command line, da or en (default: from LC_ALL, LC_MESSAGES or LANG; da*, C or unset gives Danish, anything else English)',
};

export type CliLanguage = 'da' | 'en';

/**
 * The language of the CLI's help and its own messages. Read leniently and before the schema, so
 * `--help` works with a broken configuration. The first POSIX locale variable that is set wins, as
 * for any program; "C"/"POSIX" (a server's usual locale) says nothing about a language: Danish first.
 */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): CliLanguage {
  const own = env.KNUDEPUNKT_LANG?.trim().toLowerCase();
  if (own === 'da' || own === 'en') return own;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].map((value) => value?.trim()).find(Boolean);
  if (!locale || /^(c|posix)([._@]|$)/i.test(locale)) return 'da';
  return /^da([._@-]|$)/i.test(locale) ? 'da' : 'en';
}

/** The epilogue of `knudepunkt --help`. */
export function describeVariables(language: CliLanguage = 'da'): string {
  const help = language === 'da' ? variableHelp : variableHelpEnglish;
  const width = Math.max(...Object.keys(help).map((name) => name.length));
  const lines = Object.entries(help).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return [
    language === 'da'
      ? 'Miljøvariabler (tomme værdier tæller som ikke sat; en ugyldig værdi stopper starten med kode 78):'
      : 'Environment variables (empty values count as unset; an invalid value stops the start with code 78):',
    ...lines,
    language === 'da' ? 'Se docs/operations.md, "Configuration".' : 'See docs/operations.md, "Configuration".',
  ].join('\n');
}

/** Reads and checks the environment; throws one ConfigError naming every variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'miljøet'), message: issue.message })));
  }
  const e = result.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = e.KNUDEPUNKT_DATA_DIR ?? 'data';
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPool: e.KNUDEPUNKT_DB_POOL,
    dataDir: path.resolve(dataDir),
    production,
    secureCookies: e.KNUDEPUNKT_SECURE_COOKIES ?? production,
    sessionIdleMinutes: e.KNUDEPUNKT_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.KNUDEPUNKT_SESSION_ABSOLUTE_HOURS,
    sessionCacheSeconds: e.KNUDEPUNKT_SESSION_CACHE_SECONDS,
    loginRateLimit: e.KNUDEPUNKT_LOGIN_RATE_LIMIT,
    publicRateLimit: e.KNUDEPUNKT_PUBLIC_RATE_LIMIT,
    referralDeadlineDays: e.KNUDEPUNKT_REFERRAL_DEADLINE_DAYS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailDir: path.resolve(e.KNUDEPUNKT_MAIL_DIR ?? path.join(dataDir, 'mail')),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.KNUDEPUNKT_TRUST_PROXY,
    shutdownSeconds: e.KNUDEPUNKT_SHUTDOWN_SECONDS,
    requestTimeoutSeconds: e.KNUDEPUNKT_REQUEST_TIMEOUT_SECONDS,
    cvr: { url: e.KNUDEPUNKT_CVR_URL?.replace(/\/+$/, ''), user: e.KNUDEPUNKT_CVR_USER, password: e.KNUDEPUNKT_CVR_PASSWORD, syncHours: e.KNUDEPUNKT_CVR_SYNC_HOURS },
  };
}
