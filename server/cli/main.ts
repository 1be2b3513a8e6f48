import path from 'node:path';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { describeApi } from '../http/describe.ts';
import { isoDate } from '../lib/dates.ts';
import { ConfigError, EX_CONFIG, loadConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { runRemote } from './control.ts';
import { runCommand, type CommandRequest } from './commands.ts';
import { accessData, DataDirBusy } from './database-access.ts';
import { PendingMigrations } from '../db/open.ts';
import { terminalReporter } from './reporter.ts';
import { localise, tr } from './language.ts';
import { backup, restore } from './backup.ts';

async function runDataCommand(request: CommandRequest, label: string) {
  const config = loadConfig();
  const reporter = terminalReporter();
  const access = await accessData(config, 'cli', label);
  if (access.mode === 'server') {
    reporter.log(tr(`Serveren (pid ${access.holder.pid}) har databasen åben; kommandoen køres gennem den.`, `The server (pid ${access.holder.pid}) holds the database; the command runs through it.`));
    process.exitCode = await runRemote(access.holder.control, request, reporter);
    return;
  }
  try {
    process.exitCode = await runCommand(access.database, request, reporter, { production: config.production });
  } finally {
    await access.release();
  }
}

/**
 * A file named on the command line is the user's file: resolved here, in the CLI's working
 * directory, since the command may run in a server whose working directory is elsewhere.
 */
const here = (file: string) => path.resolve(file);

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = localise(new Command().name('knudepunkt'), version)
  .description(tr('Knudepunkt — erhvervsfremmesystemets fælles platform', 'Knudepunkt — the shared platform of the Danish business-promotion system'))
  .showHelpAfterError();

program
  .command('serve')
  .description(tr('start webserveren (PORT, standard 3000)', 'start the web server (PORT, default 3000)'))
  .option('--demo-if-empty', tr('opret demodata, hvis databasen er tom (aldrig i produktion)', 'create demo data if the database is empty (never in production)'))
  .option(
    '--migrate',
    tr('kør manglende migreringer før start; i produktion nægter serve ellers at starte på en database med manglende migreringer', 'run pending migrations before starting; in production serve otherwise refuses a database with pending migrations'),
  )
  .action(async (options: { demoIfEmpty?: boolean; migrate?: boolean }) => {
    await startServer(loadConfig(), { demoIfEmpty: !!options.demoIfEmpty, migrate: !!options.migrate });
  });

program
  .command('migrate')
  .description(tr('kør databasemigreringer', 'run the database migrations'))
  .action(() => runDataCommand({ command: 'migrate', args: {} }, 'migrate'));

program
  .command('seed')
  .description(tr('opret data', 'create data'))
  .requiredOption('--demo', tr('syntetiske demodata: ca. 5.000 virksomheder og en bruger pr. rolle', 'synthetic demo data: about 5,000 companies and a user per role'))
  .action(() => runDataCommand({ command: 'seed-demo', args: {} }, 'seed --demo'));

program
  .command('create-admin')
  .description(tr('opret en systemadministrator med en tilfældig adgangskode (den første bruger i produktion); adgangskoden skrives på stdout', 'create a system administrator with a random password (the first user in production); the password is written on stdout'))
  .argument('<email>', tr('e-mailadresse', 'e-mail address'))
  .option(tr('--name <navn>', '--name <name>'), tr('navn', 'name'))
  .action((email: string, options: { name?: string }) => runDataCommand({ command: 'create-admin', args: { email, name: options.name } }, 'create-admin'));

program
  .command('openapi')
  .description(tr('skriv API-beskrivelsen (OpenAPI 3) på stdout, eller i en fil med --out', 'write the API description (OpenAPI 3) on stdout, or to a file with --out'))
  .option(tr('--out <fil>', '--out <file>'), tr('fil at skrive til', 'file to write'))
  .action(async (options: { out?: string }) => {
    const document = JSON.stringify(await describeApi(loadConfig()), null, 2);
    if (options.out) {
      await mkdir(path.dirname(options.out), { recursive: true });
      await writeFile(options.out, `${document}\n`);
    }
    else {
      // A reader that stops early (`| head`) is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      process.stdout.write(`${document}\n`);
    }
  });

program
  .command('backup')
  .description(tr('tag en sikkerhedskopi af den indbyggede database (PGlite) som .tar.gz, også mens serveren kører', 'back up the embedded database (PGlite) as .tar.gz, also while the server runs'))
  .argument(tr('<fil>', '<file>'), tr('fil at skrive (erstattes, hvis den findes)', 'file to write (replaced if it exists)'))
  .action(async (file: string) => {
    process.exitCode = await backup(loadConfig(), here(file));
  });

program
  .command('restore')
  .description(tr('gendan den indbyggede database fra en sikkerhedskopi og migrér den (serveren skal være stoppet)', 'restore the embedded database from a backup and migrate it (the server must be stopped)'))
  .argument(tr('<fil>', '<file>'), tr('fil fra knudepunkt backup', 'file made by knudepunkt backup'))
  .option('--force', tr('erstat den database, der allerede er i datamappen', 'replace the database already in the data directory'))
  .action(async (file: string, options: { force?: boolean }) => {
    process.exitCode = await restore(loadConfig(), here(file), { force: !!options.force });
  });

const importCommand = program.command('import').description(tr('importér data', 'import data'));
const jsonSummary = tr(
  'skriv opsummeringen som ét JSON-objekt på stdout (antal, afviste linjer med linjenummer og årsag, sekunder)',
  'write the summary as one JSON object on stdout (counts, rejected lines with line number and reason, seconds)',
);
importCommand
  .command('cvr')
  .description(
    tr(
      'importér virksomheder fra CVR-registrets system-til-system-service: JSON lines med {"Vrvirksomhed": …}, _source-objekter eller hits, eller hele gemte søge-/scroll-svar; gzip-komprimeret eller ej',
      'import companies from the CVR register\'s system-to-system service: JSON lines of {"Vrvirksomhed": …}, _source objects or hits, or whole saved search/scroll responses; gzip-compressed or not',
    ),
  )
  .argument(tr('<fil>', '<file>'), tr('fil som registrets service eller værktøjerne omkring den gemmer den', 'file as the register\'s service or the tools around it save it'))
  .option('--json', jsonSummary)
  .action((file: string, options: { json?: boolean }) => runDataCommand({ command: 'import-cvr', args: { file: here(file), json: options.json } }, `import cvr ${here(file)}`));

importCommand
  .command('evaluations')
  .description(
    tr(
      'importér svar fra den nationale brugerevaluering: CSV (UTF-8, Windows-1252; komma eller semikolon) eller Excel (.xlsx) med kolonnerne cvr,date,nps,effect',
      'import answers from the national user evaluation: CSV (UTF-8, Windows-1252; comma or semicolon) or Excel (.xlsx) with the columns cvr,date,nps,effect',
    ),
  )
  .argument(tr('<filer...>', '<files...>'), tr('CSV- eller Excel-filer; en opsummering pr. fil', 'CSV or Excel files; a summary per file'))
  .option('--json', tr('skriv opsummeringen som ét JSON-objekt pr. fil, hvert på sin linje på stdout', 'write the summary as one JSON object per file, each on its own line on stdout'))
  .action((files: string[], options: { json?: boolean }) => runDataCommand({ command: 'import-evaluations', args: { files: files.map(here), json: options.json } }, `import evaluations ${files.map(here).join(' ')}`));

const syncCommand = program.command('sync').description(tr('hent ændringer fra registre', 'fetch changes from registers'));
syncCommand
  .command('cvr')
  .description(
    tr(
      'hent virksomheder, der er ændret i CVR-registret siden sidste kørsel, fra system-til-system-adgangen (KNUDEPUNKT_CVR_URL); en afbrudt kørsel fortsætter fra sidste hele side',
      "fetch the companies changed in the CVR register since the last run from its system-to-system service (KNUDEPUNKT_CVR_URL); a run cut short resumes from its last complete page",
    ),
  )
  .option('--json', tr('skriv opsummeringen som ét JSON-objekt på stdout', 'write the summary as one JSON object on stdout'))
  .option(tr('--since <tidspunkt>', '--since <time>'), tr('hent ændringer fra dette tidspunkt (ISO 8601) i stedet for fra sidste kørsel', 'fetch changes from this time (ISO 8601) instead of from the last run'))
  .option(tr('--page-size <antal>', '--page-size <count>'), tr('dokumenter pr. side, 1–10000 (standard 1000)', 'documents per page, 1–10000 (default 1000)'))
  .action((options: { json?: boolean; since?: string; pageSize?: string }) => {
    const config = loadConfig();
    if (!config.cvr.url) throw new ConfigError([{ variable: 'KNUDEPUNKT_CVR_URL', message: tr('skal sættes for sync cvr (registrets adresse)', 'must be set for sync cvr (the register\'s address)') }]);
    if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new Error(tr(`--since skal være et tidspunkt (ISO 8601), fik "${options.since}"`, `--since must be a time (ISO 8601), got "${options.since}"`));
    if (options.pageSize !== undefined && !(/^\d+$/.test(options.pageSize) && Number(options.pageSize) >= 1 && Number(options.pageSize) <= 10_000)) {
      throw new Error(tr(`--page-size skal være et helt tal fra 1 til 10000, fik "${options.pageSize}"`, `--page-size must be a whole number from 1 to 10000, got "${options.pageSize}"`));
    }
    // The credentials travel with the request when a server runs it: its control channel is loopback-only and token-guarded.
    const { url, user, password } = config.cvr;
    return runDataCommand({ command: 'sync-cvr', args: { url, user, password, json: options.json, since: options.since, pageSize: options.pageSize } }, 'sync cvr');
  });

const reportCommand = program.command('report').description(tr('rapporter', 'reports'));
reportCommand
  .command('contract')
  .description(tr('statusrapport for en resultatkontrakt beregnet fra data pr. en dato', 'status report for a performance contract, computed from the data as of a date'))
  .argument('<id>', tr('kontraktens id', 'the contract\'s id'))
  .option(tr('--at <dato>', '--at <date>'), tr('dato (ÅÅÅÅ-MM-DD); standard i dag', 'date (YYYY-MM-DD); default today'))
  .option('--format <format>', tr('json (på stdout), docx, pdf eller xlsx', 'json (on stdout), docx, pdf or xlsx'), 'json')
  .option(tr('--out <fil>', '--out <file>'), tr('filnavn for docx, pdf og xlsx (standard resultatkontrakt-DATO.FORMAT i den aktuelle mappe)', 'file name for docx, pdf and xlsx (default resultatkontrakt-DATE.FORMAT in the current directory)'))
  .action((id: string, options: { at?: string; format: string; out?: string }) => {
    if (!['json', 'docx', 'pdf', 'xlsx'].includes(options.format)) throw new Error(tr(`ukendt format "${options.format}" (json, docx, pdf, xlsx)`, `unknown format "${options.format}" (json, docx, pdf, xlsx)`));
    if (options.at && !isoDate.safeParse(options.at).success) throw new Error(tr(`--at skal være en dato ÅÅÅÅ-MM-DD, fik "${options.at}"`, `--at must be a date YYYY-MM-DD, got "${options.at}"`));
    const out = options.out ? { out: here(options.out) } : { outDir: process.cwd() };
    return runDataCommand({ command: 'report-contract', args: { id, at: options.at, format: options.format, ...out } }, `report contract ${id}`);
  });

program.parseAsync().catch((error: unknown) => {
  // Every command reads the configuration before it touches anything, so a bad one stops it here.
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EX_CONFIG;
    return;
  }
  if (error instanceof DataDirBusy || error instanceof PendingMigrations) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${tr('Fejl', 'Error')}: ${(error as Error).message}\n`);
  }
  process.exitCode = 1;
});
