import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import { accessData } from './cli/database-access.ts';
import { startControlServer } from './cli/control.ts';
import { terminalReporter } from './cli/reporter.ts';
import { DEMO_PASSWORD, demoUsers, hasAnyUser, seedDemo } from './modules/demo/seed.ts';
import { startJobs } from './jobs.ts';

/** Starts the web server; with `demoIfEmpty`, an empty database gets the demo data first (never in production). */
export async function startServer(config: Config, options: { demoIfEmpty: boolean }) {
  const access = await accessData(config, 'server', 'serve');
  if (access.mode !== 'direct') throw new Error('unreachable: a server never runs through another server');
  const { database } = access;
  let seeded = false;
  if (options.demoIfEmpty && !config.production && !(await hasAnyUser(database.db))) {
    process.stdout.write('Tom database: opretter demodata …\n');
    await seedDemo(database, { reporter: terminalReporter() });
    seeded = true;
  }
  const app = await buildApp({ database, config, logger: true });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const control = config.databaseUrl ? null : await startControlServer(database, { production: config.production });
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
    if (stopping) return;
    stopping = true;
    jobs.stop();
    await app.close();
    await control?.close();
    await access.release();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { app, url, stop };
}

async function hasDemoUsers(database: { db: Parameters<typeof hasAnyUser>[0] }) {
  return hasAnyUser(database.db, demoUsers[0]!.email);
}
