import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../../server/db/client.ts';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database next to the one `adminUrl` points at; `drop` removes it again. */
export async function createBenchDatabase(adminUrl: string, prefix = 'knudepunkt_bench'): Promise<BenchDatabase> {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
  const name = `${prefix}_${stamp}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The server version and the settings that matter for the figures, for the report. */
export async function describePostgres(database: Database): Promise<{ version: string; settings: string }> {
  const [{ server_version: version }] = (await database.rows<{ server_version: string }>(sql`SHOW server_version`)) as [{ server_version: string }];
  const settings = await database.rows<{ name: string; setting: string }>(sql`
    SELECT name, current_setting(name) AS setting FROM pg_settings
    WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'synchronous_commit') ORDER BY name`);
  return { version, settings: settings.map((s) => `${s.name}=${s.setting}`).join(', ') };
}
