import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { importCvrFile } from '../modules/companies/import.ts';
import { syncCvr } from '../modules/companies/cvr-sync.ts';
import { importEvaluationsFile, type FileEncoding } from '../modules/evaluations/import.ts';
import { renderReport } from '../modules/contracts/render.ts';
import { reportDocument, takeSnapshot } from '../modules/contracts/reports.ts';
import { writeFile } from 'node:fs/promises';
import { seedDemo } from '../modules/demo/seed.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { audit } from '../modules/audit/service.ts';
import { organisations } from '../modules/organisations/schema.ts';
import { insertUser } from '../modules/users/service.ts';
import { isRecordId } from '../lib/ids.ts';
import type { Reporter } from './reporter.ts';
import { writeBackup } from './backup-file.ts';

/**
 * Commands that work on the data. They run either in the CLI process (which then owns the
 * database) or inside a running server, reached over its control channel; same code either way.
 */
export type CommandName = 'migrate' | 'seed-demo' | 'import-cvr' | 'import-evaluations' | 'create-admin' | 'report-contract' | 'backup' | 'sync-cvr';

export interface CommandRequest {
  command: CommandName;
  args: Record<string, string | string[] | boolean | undefined>;
}

/** Arguments that name files. */
const pathArgs = ['file', 'files', 'out', 'outDir'] as const;

/**
 * The CLI resolves file names in its own working directory before it sends a command; a relative
 * one here would resolve in the server's and could read or overwrite a different file.
 */
function refuseRelativePaths(args: CommandRequest['args']) {
  for (const key of pathArgs) {
    for (const value of [args[key]].flat()) {
      if (typeof value === 'string' && !path.isAbsolute(value)) throw new Error(`${key} skal være en absolut sti, fik "${value}"`);
    }
  }
}

const encodingNames: Record<FileEncoding, string> = { 'utf-8': 'UTF-8', 'utf-8 with BOM': 'UTF-8 med BOM', 'utf-16': 'UTF-16', 'windows-1252': 'Windows-1252', xlsx: 'Excel-projektmappe' };
const separatorNames = { ',': 'komma', ';': 'semikolon', '\t': 'tabulator' } as const;

/** `--json`: the summary as one object on one line, for `jq`. */
const printJson = (reporter: Reporter, summary: object) => reporter.result(JSON.stringify(summary));

/** Returns the exit code. */
export async function runCommand(database: Database, request: CommandRequest, reporter: Reporter, env: { production: boolean }): Promise<number> {
  refuseRelativePaths(request.args);
  switch (request.command) {
    case 'backup':
      return writeBackup(database, String(request.args.file), reporter);
    case 'migrate':
      // Opening the database migrated it already; say what is there.
      reporter.result(`Databasen er migreret (${database.kind}).`);
      return 0;
    case 'seed-demo': {
      if (env.production) {
        reporter.log('Demodata oprettes aldrig i produktion (NODE_ENV=production).');
        return 1;
      }
      const result = await seedDemo(database, { reporter });
      reporter.result(result.created ? `Demodata oprettet: ${result.companies} virksomheder, ${result.users} brugere.` : 'Demodata findes allerede; intet ændret.');
      return 0;
    }
    case 'create-admin': {
      // The first account of a production installation: a system admin in the operator organisation.
      const email = String(request.args.email);
      const [operator] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.key, 'operator:knudepunkt'));
      const password = randomBytes(15).toString('base64url');
      const id = await insertUser(database.db, { email, name: String(request.args.name ?? email), role: 'admin', systemAdmin: true, organisationId: operator!.id, passwordHash: await hashPassword(password) });
      if (!id) {
        reporter.log(`Der findes allerede en bruger med e-mailen ${email}.`);
        return 1;
      }
      await audit(database.db, null, { action: 'create', entity: 'user', entityId: id, details: { email, systemAdmin: true, via: 'cli' } });
      reporter.result(`Systemadministrator oprettet: ${email}\nAdgangskode (vises kun nu): ${password}`);
      return 0;
    }
    case 'report-contract': {
      const at = String(request.args.at ?? new Date().toISOString().slice(0, 10));
      const format = String(request.args.format ?? 'json') as 'json' | 'docx' | 'pdf' | 'xlsx';
      // An id that is no UUID names no contract; asking PostgreSQL would print its uuid cast error instead.
      const snapshot = isRecordId(String(request.args.id)) ? await takeSnapshot(database.db, String(request.args.id), at) : null;
      if (!snapshot) {
        reporter.log(`Der findes ingen kontrakt med id ${String(request.args.id)}.`);
        return 1;
      }
      if (format === 'json') {
        reporter.result(JSON.stringify({ contractId: request.args.id, asOf: snapshot.asOf, goals: snapshot.goals.map((g) => ({ number: g.number, title: g.title, value: g.value, target: g.target, fulfilment: g.fulfilment, unit: g.unit })) }, null, 2));
        return 0;
      }
      const document = await reportDocument(database.db, String(request.args.id), { snapshot, status: 'live', version: null, directorComment: null, goalComments: {} });
      const out = request.args.out ? String(request.args.out) : path.join(String(request.args.outDir), `resultatkontrakt-${snapshot.asOf}.${format}`);
      if (!path.isAbsolute(out)) throw new Error('out eller outDir skal være en absolut sti');
      await writeFile(out, await renderReport(document, format));
      reporter.result(`Rapporten er skrevet til ${out}`);
      return 0;
    }
    case 'import-evaluations': {
      // Several files in one run (`files`), or one (`file`, as older clients send it); a summary per file.
      const files = Array.isArray(request.args.files) ? request.args.files : [String(request.args.file)];
      let anyRejected = false;
      for (const file of files) {
        const started = performance.now();
        if (files.length > 1) reporter.log(`Importerer ${file} …`);
        const summary = await importEvaluationsFile(database, file);
        anyRejected ||= summary.rejected.length > 0;
        if (request.args.json) {
          // One object per file, each on its own line.
          printJson(reporter, { ...summary, seconds: (performance.now() - started) / 1000 });
          continue;
        }
        const where = files.length > 1 ? `${path.basename(file)}: ` : '';
        for (const r of summary.rejected) reporter.log(`${where}linje ${r.line}: afvist: ${r.reason}`);
        for (const u of summary.unmatched) reporter.log(`${where}linje ${u.line}: ikke matchet: CVR ${u.cvr} havde intet specialiseret forløb ${u.date}; henført til erhvervshuset for virksomhedens kommune`);
        reporter.result(
          `${path.basename(file)} (${encodingNames[summary.encoding]}${summary.separator ? `, ${separatorNames[summary.separator]}` : ''}): ${summary.rows} rækker læst: ` +
            `${summary.imported} importeret (${summary.matched} matchet, ${summary.unmatched.length} ikke matchet), ${summary.duplicates} allerede importeret, ${summary.rejected.length} afvist.`,
        );
      }
      return anyRejected ? 2 : 0;
    }
    case 'sync-cvr': {
      // The CLI's own configuration: a command run through a server uses the register the user named.
      const { url, user, password, since, pageSize } = request.args;
      const summary = await syncCvr(
        database,
        { url: String(url), user: typeof user === 'string' ? user : undefined, password: typeof password === 'string' ? password : undefined },
        {
          since: typeof since === 'string' ? since : undefined,
          pageSize: typeof pageSize === 'string' ? Number(pageSize) : undefined,
          onProgress: (p) => reporter.progress('CVR-synkronisering', p.documents, p.total),
          onRetry: (r) => reporter.log(`side ${r.page}: ${r.reason}; forsøger igen om ${(r.waitMs / 1000).toFixed(1)} s (forsøg ${r.attempt})`),
        },
      );
      reporter.done();
      if (request.args.json) {
        printJson(reporter, summary);
        return summary.rejected.length ? 2 : 0;
      }
      for (const r of summary.rejected) reporter.log(`dokument ${r.document}${r.cvr ? ` (CVR ${r.cvr})` : ''}: afvist: ${r.reason}`);
      reporter.result(
        `${summary.documents} dokumenter hentet på ${summary.pages} ${summary.pages === 1 ? 'side' : 'sider'}${summary.since ? ` (ændret siden ${summary.since})` : ''}: ` +
          `${summary.imported} importeret (${summary.created} nye, ${summary.updated} opdateret), ${summary.skipped} allerede med, ` +
          `${summary.rejected.length} afvist, ${summary.retries} genforsøg, ${summary.seconds.toFixed(1)} s. ` +
          `Næste kørsel henter ændringer fra ${summary.highWater ?? 'begyndelsen'}.`,
      );
      return summary.rejected.length ? 2 : 0;
    }
    case 'import-cvr': {
      const summary = await importCvrFile(database, String(request.args.file), {
        onProgress: (p) => reporter.progress('CVR-import', p.bytesRead, p.totalBytes),
      });
      reporter.done();
      if (request.args.json) {
        printJson(reporter, summary);
        return summary.rejected.length ? 2 : 0;
      }
      // A saved search response can sit on one line: its documents are told apart by their place in it.
      for (const r of summary.rejected) reporter.log(`linje ${r.line}${r.hit ? `, dokument ${r.hit} i svaret` : ''}: afvist: ${r.reason}`);
      const rate = summary.seconds > 0 ? Math.round(summary.imported / summary.seconds) : summary.imported;
      reporter.result(
        `${summary.lines} linjer læst: ${summary.imported} importeret (${summary.created} nye, ${summary.updated} opdateret), ` +
          `${summary.rejected.length} afvist, ${summary.seconds.toFixed(1)} s (${rate}/s).`,
      );
      return summary.rejected.length ? 2 : 0;
    }
  }
}
