import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, runMigrations, type Database } from '../db/client.ts';
import { importCvrFile } from '../modules/companies/import.ts';
import { ensureReferenceData } from '../modules/organisations/reference.ts';
import { insertUser } from '../modules/users/service.ts';
import { orgId, orgKeys } from '../test/helpers.ts';
import { freePort, processEnv, root, run as runProcess, start, stop, untilReady, type Running } from '../test/processes.ts';

/**
 * `knudepunkt backup` and `restore` as an operator runs them: real processes on a real data
 * directory, with and without a server holding it. The PostgreSQL part checks the pg_dump and
 * pg_restore commands docs/operations.md gives, on the server DATABASE_URL names.
 */
const fixture = path.join(root, 'fixtures/cvr/vrvirksomhed-4.jsonl');
const migrationsFolder = path.join(root, 'server/db/migrations');

// The messages checked here are the Danish ones (processEnv's default).
const run = (args: string[], dataDir: string, options: { cwd?: string; env?: Record<string, string> } = {}) =>
  runProcess(args, processEnv({ KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test', ...options.env }), options.cwd);

/** Rows in every table of the application and of the migration bookkeeping. */
async function tableCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.rows<{ name: string }>(
    sql`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'drizzle') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${name}`)))[0]!.n;
  return counts;
}

async function inDataDir<T>(dataDir: string, read: (database: Database) => Promise<T>): Promise<T> {
  const database = await openPglite(path.join(dataDir, 'pglite'));
  try {
    return await read(database);
  } finally {
    await database.close();
  }
}

const counts = (dataDir: string) => inDataDir(dataDir, tableCounts);
const emails = (dataDir: string) => inDataDir(dataDir, async (d) => (await d.rows<{ email: string }>(sql`select email from users order by email`)).map((r) => r.email));

describe.skipIf(!!process.env.DATABASE_URL)('knudepunkt backup and restore on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-backup-data-'));
  const workDir = mkdtempSync(path.join(tmpdir(), 'kp-backup-work-'));
  let server: Running | undefined;

  afterAll(async () => {
    if (server) await stop(server);
  });

  it('restores exactly what the backup held, and only with --force over a database', async () => {
    expect((await run(['import', 'cvr', fixture], dataDir)).code).toBe(0);
    expect((await run(['create-admin', 'foer@example.dk'], dataDir)).code).toBe(0);
    const atBackup = await counts(dataDir);
    expect(atBackup['public.companies']).toBe(4);

    // A relative path means the operator's working directory.
    const made = await run(['backup', 'kopi.tar.gz'], dataDir, { cwd: workDir });
    expect(made.code).toBe(0);
    const file = path.join(workDir, 'kopi.tar.gz');
    expect(made.stdout).toBe(`Sikkerhedskopi gemt: ${file} (${readFileSync(file).length.toLocaleString('da-DK')} bytes)\n`);
    expect(readdirSync(workDir)).toEqual(['kopi.tar.gz']);

    expect((await run(['create-admin', 'efter@example.dk'], dataDir)).code).toBe(0);
    const refused = await run(['restore', file], dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/har allerede en database\. Brug --force/);
    expect(await emails(dataDir)).toContain('efter@example.dk');

    const restored = await run(['restore', file, '--force'], dataDir);
    expect(restored.stdout).toBe(`Databasen er gendannet fra ${file}.\n`);
    expect(restored.code).toBe(0);
    expect(await counts(dataDir)).toEqual(atBackup);
    expect(await emails(dataDir)).not.toContain('efter@example.dk');
    expect(readdirSync(dataDir).sort()).toEqual(['pglite']);
  }, 150_000);

  it('refuses a file that is not a Knudepunkt backup and changes nothing', async () => {
    const before = await counts(dataDir);
    const text = path.join(workDir, 'noter.txt');
    writeFileSync(text, 'ikke en sikkerhedskopi\n');
    // A real PGlite archive, but of some other database.
    const other = await openPglite();
    writeFileSync(path.join(workDir, 'anden.tar.gz'), new Uint8Array(await (await other.dumpDataDir!()).arrayBuffer()));
    await other.close();

    for (const file of [text, path.join(workDir, 'anden.tar.gz')]) {
      const result = await run(['restore', file, '--force'], dataDir);
      expect(result.code).toBe(65);
      expect(result.stderr).toMatch(/er ikke en sikkerhedskopi fra knudepunkt backup: .*Intet er ændret/);
      expect(result.stdout).toBe('');
    }
    expect(await counts(dataDir)).toEqual(before);
    expect(readdirSync(dataDir).sort()).toEqual(['pglite']);
  });

  it('upgrades a backup from an older release', async () => {
    // An older release: the same migrations up to the fifth.
    const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const older = mkdtempSync(path.join(tmpdir(), 'kp-backup-migrations-'));
    cpSync(migrationsFolder, older, { recursive: true });
    writeFileSync(path.join(older, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 5) }));
    const old = await openPglite();
    await migrate(old.db as never, { migrationsFolder: older });
    const file = path.join(workDir, 'gammel.tar.gz');
    writeFileSync(file, new Uint8Array(await (await old.dumpDataDir!()).arrayBuffer()));
    await old.close();

    const result = await run(['restore', file, '--force'], dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`opgraderet med ${journal.entries.length - 5} migreringer`));
    expect((await counts(dataDir))['drizzle.__drizzle_migrations']).toBe(journal.entries.length);
  });

  describe('while the server holds the data directory', () => {
    let port: number;
    const file = path.join(workDir, 'mens-serveren-koerer.tar.gz');

    beforeAll(async () => {
      expect((await run(['import', 'cvr', fixture], dataDir)).code).toBe(0);
      port = await freePort();
      server = start(['serve'], processEnv({ KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test', PORT: String(port) }));
      await untilReady(server, `http://127.0.0.1:${port}`);
    });

    it('takes the backup through the server', async () => {
      const result = await run(['backup', file], dataDir);
      expect(result.stderr).toMatch(/sikkerhedskopien tages gennem den/);
      expect(result.stdout).toMatch(/^Sikkerhedskopi gemt: .*mens-serveren-koerer\.tar\.gz \([\d.]+ bytes\)\n$/);
      expect(result.code).toBe(0);
    });

    it('refuses to restore, and the server keeps serving', async () => {
      const result = await run(['restore', file, '--force'], dataDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Stop serveren, før du gendanner/);
      expect(result.stdout).toBe('');
      expect((await fetch(`http://127.0.0.1:${port}/api/ready`)).status).toBe(200);
    });

    it('made a backup that restores once the server has stopped', async () => {
      await stop(server!);
      server = undefined;
      const atStop = await counts(dataDir);
      expect(atStop['public.companies']).toBe(4);
      expect((await run(['create-admin', 'senere@example.dk'], dataDir)).code).toBe(0);

      expect((await run(['restore', file, '--force'], dataDir)).code).toBe(0);
      expect(await counts(dataDir)).toEqual(atStop);
    });
  });
});

describe('knudepunkt backup and restore with DATABASE_URL', () => {
  it('point to pg_dump and pg_restore and change nothing', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-backup-pg-'));
    for (const args of [['backup', 'x.dump'], ['restore', 'x.dump']]) {
      // Nothing listens on port 1: the commands must refuse before connecting.
      const result = await run(args, dataDir, { env: { DATABASE_URL: 'postgres://knudepunkt@127.0.0.1:1/knudepunkt' } });
      expect(result.code).toBe(64);
      expect(result.stderr).toMatch(/pg_dump -Fc .*pg_restore --clean --if-exists/);
    }
    expect(existsSync(path.join(root, 'x.dump'))).toBe(false);
  });
});

const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;

describe.runIf(!!process.env.DATABASE_URL && hasPgDump)('pg_dump -Fc and pg_restore --clean --if-exists, as docs/operations.md gives them', () => {
  const adminUrl = process.env.DATABASE_URL!;
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = { source: `kp_backup_src_${suffix}`, target: `kp_backup_dst_${suffix}` };
  const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  let admin: Database;

  beforeAll(async () => {
    admin = await openPostgres(adminUrl, 1);
    for (const name of Object.values(names)) await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  });

  afterAll(async () => {
    for (const name of Object.values(names)) await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  });

  it('round-trips every table', async () => {
    const source = await openPostgres(urlOf(names.source), 2);
    let before: Record<string, number>;
    let user: Record<string, unknown> | undefined;
    try {
      await runMigrations(source);
      await ensureReferenceData(source.db);
      await importCvrFile(source, fixture);
      await insertUser(source.db, { email: 'backup@example.dk', name: 'Bæk Åberg', role: 'admin', organisationId: await orgId(source, orgKeys.fyn), passwordHash: 'x' });
      before = await tableCounts(source);
      [user] = await source.rows(sql`select * from users where email = 'backup@example.dk'`);
    } finally {
      await source.close();
    }
    expect(before['public.companies']).toBe(4);

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-pg-dump-')), 'knudepunkt.dump');
    const run = promisify(execFile);
    await run('pg_dump', ['-Fc', '-d', urlOf(names.source), '-f', file]);
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '-d', urlOf(names.target), file]);

    const target = await openPostgres(urlOf(names.target), 2);
    try {
      expect(await tableCounts(target)).toEqual(before);
      expect((await target.rows(sql`select * from users where email = 'backup@example.dk'`))[0]).toEqual(user);
    } finally {
      await target.close();
    }
  });
});
