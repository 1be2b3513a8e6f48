import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import { accessData } from './cli/database-access.ts';
import { startControlServer } from './cli/control.ts';
import { terminalReporter } from './cli/reporter.ts';
import { DEMO_PASSWORD, demoUsers, hasAnyUser, seedDemo } from './modules/demo/seed.ts';
import { startJobs } from './jobs.ts';

/**
 * Starts the web server; with `demoIfEmpty`, an empty database gets the demo data first (never in
 * production). In production a database with pending migrations is refused (PendingMigrations)
 * unless `migrate` says to apply them; elsewhere they are applied, so a fresh checkout just starts.
 */
export async function startServer(config: Config, options: { demoIfEmpty: boolean; migrate?: boolean }) {
  const migrations = config.production && !options.migrate ? 'require' : 'apply';
  const access = await accessData(config, 'server', 'serve', { migrations });
  if (access.mode !== 'direct') throw new Error('unreachable: a server never runs through another server');
  const { database } = access;
  let seeded = false;
  if (options.demoIfEmpty && !config.production && !(await hasAnyUser(database.db))) {
    const result = await seedDemo(database, { reporter: terminalReporter(), ifNoUsers: true, onStart: () => process.stdout.write('Tom database: opretter demodata …\n') });
    seeded = result.created;
  }
  const app = await buildApp({ database, config, logger: true });
  database.useLogger?.(app.log.child({ component: 'db' }));
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const control = config.databaseUrl ? null : await startControlServer(database, { production: config.production }, app.log.child({ component: 'control' }));
  const jobs = startJobs(database, config, { log: app.log.child({ component: 'jobs' }) });
  access.updateLock({ url, ...(control ? { control: { port: control.port, token: control.token } } : {}) });

  const lines = [
    '',
    `Knudepunkt kører på ${url}  (log ind: ${url}/login)`,
    `Offentlig indgang for virksomheder: ${url}/tilbud · ${url}/selvtest · ${url}/faa-vejledning`,
    `Database: ${database.kind === 'pglite' ? `indlejret PostgreSQL (PGlite) i ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `Mail: ${config.smtpUrl ? 'SMTP (SMTP_URL)' : `skrives som .eml-filer i ${config.mailDir}`}`,
  ];
  if (!config.production && (seeded || (await hasDemoUsers(database)))) {
    lines.push('', `Demo-logins (adgangskode: ${DEMO_PASSWORD}):`);
    for (const u of demoUsers) lines.push(`  ${u.email.padEnd(32)} ${u.description}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let stopping = false;
  const stop = async () => {
    // A second Ctrl-C (or SIGTERM) does not wait any longer.
    if (stopping) process.exit(1);
    stopping = true;
    // Past the deadline a client stalling its request body, or a job stuck on a mail server, no
    // longer keeps the process (and with the embedded database, its data directory) alive.
    const deadline = setTimeout(() => {
      app.log.warn({ shutdownSeconds: config.shutdownSeconds }, 'shutdown deadline passed: closing the open connections');
      app.server.closeAllConnections();
      setTimeout(() => process.exit(1), FORCED_EXIT_GRACE_MS).unref();
    }, config.shutdownSeconds * 1000);
    deadline.unref();
    await Promise.all([jobs.stop(), app.close()]);
    await control?.close();
    await access.release();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { app, url, stop };
}

/** After the deadline's connections are cut: the time left for the database to close before the process exits regardless. */
const FORCED_EXIT_GRACE_MS = 2_000;

async function hasDemoUsers(database: { db: Parameters<typeof hasAnyUser>[0] }) {
  return hasAnyUser(database.db, demoUsers[0]!.email);
}
