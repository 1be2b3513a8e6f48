import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { importCvrFile } from '../modules/companies/import.ts';
import { importEvaluationsFile } from '../modules/evaluations/import.ts';
import { renderReport } from '../modules/contracts/render.ts';
import { reportDocument, takeSnapshot } from '../modules/contracts/reports.ts';
import { writeFile } from 'node:fs/promises';
import { seedDemo } from '../modules/demo/seed.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { audit } from '../modules/audit/service.ts';
import { organisations } from '../modules/organisations/schema.ts';
import { insertUser } from '../modules/users/service.ts';
import type { Reporter } from './reporter.ts';

/**
 * Commands that work on the data. They run either in the CLI process (which then owns the
 * database) or inside a running server, reached over its control channel; same code either way.
 */
export type CommandName = 'migrate' | 'seed-demo' | 'import-cvr' | 'import-evaluations' | 'create-admin' | 'report-contract';

export interface CommandRequest {
  command: CommandName;
  args: Record<string, string | boolean | undefined>;
}

/** Returns the exit code. */
export async function runCommand(database: Database, request: CommandRequest, reporter: Reporter, env: { production: boolean }): Promise<number> {
  switch (request.command) {
    case 'migrate':
      // Opening the database migrated it already; say what is there.
      reporter.log(`Databasen er migreret (${database.kind}).`);
      return 0;
    case 'seed-demo': {
      if (env.production) {
        reporter.log('Demodata oprettes aldrig i produktion (NODE_ENV=production).');
        return 1;
      }
      const result = await seedDemo(database, { reporter });
      reporter.log(result.created ? `Demodata oprettet: ${result.companies} virksomheder, ${result.users} brugere.` : 'Demodata findes allerede; intet ændret.');
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
      reporter.log(`Systemadministrator oprettet: ${email}\nAdgangskode (vises kun nu): ${password}`);
      return 0;
    }
    case 'report-contract': {
      const at = String(request.args.at ?? new Date().toISOString().slice(0, 10));
      const format = String(request.args.format ?? 'json') as 'json' | 'docx' | 'pdf' | 'xlsx';
      const snapshot = await takeSnapshot(database.db, String(request.args.id), at);
      if (!snapshot) {
        reporter.log(`Der findes ingen kontrakt med id ${String(request.args.id)}.`);
        return 1;
      }
      if (format === 'json') {
        reporter.log(JSON.stringify({ contractId: request.args.id, asOf: snapshot.asOf, goals: snapshot.goals.map((g) => ({ number: g.number, title: g.title, value: g.value, target: g.target, fulfilment: g.fulfilment, unit: g.unit })) }, null, 2));
        return 0;
      }
      const document = await reportDocument(database.db, String(request.args.id), { snapshot, status: 'live', version: null, directorComment: null, goalComments: {} });
      const out = path.resolve(String(request.args.out ?? `resultatkontrakt-${snapshot.asOf}.${format}`));
      await writeFile(out, await renderReport(document, format));
      reporter.log(`Rapporten er skrevet til ${out}`);
      return 0;
    }
    case 'import-evaluations': {
      const summary = await importEvaluationsFile(database, path.resolve(String(request.args.file)));
      for (const r of summary.rejected) reporter.log(`linje ${r.line}: afvist: ${r.reason}`);
      for (const u of summary.unmatched) reporter.log(`linje ${u.line}: ikke matchet: CVR ${u.cvr} havde intet specialiseret forløb ${u.date}; henført til erhvervshuset for virksomhedens kommune`);
      reporter.log(
        `${summary.rows} rækker: ${summary.matched} matchet, ${summary.unmatched.length} ikke matchet (gemt), ${summary.duplicates} allerede importeret, ${summary.rejected.length} afvist.`,
      );
      return summary.rejected.length ? 2 : 0;
    }
    case 'import-cvr': {
      const file = path.resolve(String(request.args.file));
      const summary = await importCvrFile(database, file, {
        onProgress: (p) => reporter.progress('CVR-import', p.bytesRead, p.totalBytes),
      });
      reporter.done();
      for (const r of summary.rejected) reporter.log(`linje ${r.line}: afvist: ${r.reason}`);
      const rate = summary.seconds > 0 ? Math.round(summary.imported / summary.seconds) : summary.imported;
      reporter.log(
        `${summary.lines} linjer læst: ${summary.imported} importeret (${summary.created} nye, ${summary.updated} opdateret), ` +
          `${summary.rejected.length} afvist, ${summary.seconds.toFixed(1)} s (${rate}/s).`,
      );
      return summary.rejected.length ? 2 : 0;
    }
  }
}
