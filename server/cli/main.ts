import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { describeApi } from '../http/describe.ts';
import { ConfigError, describeVariables, EX_CONFIG, loadConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { runRemote } from './control.ts';
import { runCommand, type CommandRequest } from './commands.ts';
import { accessData, DataDirBusy } from './database-access.ts';
import { terminalReporter } from './reporter.ts';

async function runDataCommand(request: CommandRequest, label: string) {
  const config = loadConfig();
  const reporter = terminalReporter();
  const access = await accessData(config, 'cli', label);
  if (access.mode === 'server') {
    reporter.log(`Serveren (pid ${access.holder.pid}) har databasen åben; kommandoen køres gennem den.`);
    process.exitCode = await runRemote(access.holder.control, request, reporter);
    return;
  }
  try {
    process.exitCode = await runCommand(access.database, request, reporter, { production: config.production });
  } finally {
    await access.release();
  }
}

const program = new Command()
  .name('knudepunkt')
  .description('Knudepunkt — erhvervsfremmesystemets fælles platform')
  .showHelpAfterError()
  .addHelpText('after', `\n${describeVariables()}`);

program
  .command('serve')
  .description('start webserveren (PORT, standard 3000)')
  .option('--demo-if-empty', 'opret demodata, hvis databasen er tom (aldrig i produktion)')
  .action(async (options: { demoIfEmpty?: boolean }) => {
    await startServer(loadConfig(), { demoIfEmpty: !!options.demoIfEmpty });
  });

program
  .command('migrate')
  .description('kør databasemigreringer')
  .action(() => runDataCommand({ command: 'migrate', args: {} }, 'migrate'));

program
  .command('seed')
  .description('opret data')
  .requiredOption('--demo', 'syntetiske demodata: ca. 5.000 virksomheder og en bruger pr. rolle')
  .action(() => runDataCommand({ command: 'seed-demo', args: {} }, 'seed --demo'));

program
  .command('create-admin')
  .description('opret en systemadministrator med en tilfældig adgangskode (den første bruger i produktion)')
  .argument('<email>', 'e-mailadresse')
  .option('--name <name>', 'navn')
  .action((email: string, options: { name?: string }) => runDataCommand({ command: 'create-admin', args: { email, name: options.name } }, 'create-admin'));

program
  .command('openapi')
  .description('skriv API-beskrivelsen (OpenAPI 3) på stdout, eller i en fil med --out')
  .option('--out <file>', 'fil at skrive til')
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

const importCommand = program.command('import').description('importér data');
importCommand
  .command('cvr')
  .description('importér virksomheder fra CVR-registrets system-til-system-format (JSON lines med {"Vrvirksomhed": …})')
  .argument('<file>', 'fil med én JSON-dokument pr. linje')
  .action((file: string) => runDataCommand({ command: 'import-cvr', args: { file } }, `import cvr ${file}`));

importCommand
  .command('evaluations')
  .description('importér svar fra den nationale brugerevaluering (CSV med kolonnerne cvr,date,nps,effect)')
  .argument('<file>', 'CSV-fil')
  .action((file: string) => runDataCommand({ command: 'import-evaluations', args: { file } }, `import evaluations ${file}`));

const reportCommand = program.command('report').description('rapporter');
reportCommand
  .command('contract')
  .description('statusrapport for en resultatkontrakt beregnet fra data pr. en dato')
  .argument('<id>', 'kontraktens id')
  .option('--at <date>', 'dato (ÅÅÅÅ-MM-DD); standard i dag')
  .option('--format <format>', 'json, docx, pdf eller xlsx', 'json')
  .option('--out <file>', 'filnavn for docx, pdf og xlsx')
  .action((id: string, options: { at?: string; format: string; out?: string }) => {
    if (!['json', 'docx', 'pdf', 'xlsx'].includes(options.format)) throw new Error(`ukendt format "${options.format}" (json, docx, pdf, xlsx)`);
    if (options.at && !/^\d{4}-\d{2}-\d{2}$/.test(options.at)) throw new Error(`--at skal være en dato ÅÅÅÅ-MM-DD, fik "${options.at}"`);
    return runDataCommand({ command: 'report-contract', args: { id, at: options.at, format: options.format, out: options.out ? path.resolve(options.out) : undefined } }, `report contract ${id}`);
  });

program.parseAsync().catch((error: unknown) => {
  // Every command reads the configuration before it touches anything, so a bad one stops it here.
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EX_CONFIG;
    return;
  }
  if (error instanceof DataDirBusy) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Fejl: ${(error as Error).message}\n`);
  }
  process.exitCode = 1;
});
