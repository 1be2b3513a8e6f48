import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { openPglite } from '../db/client.ts';

/** The OpenAPI document, built from the routes' own schemas without serving anything (the database is never queried). */
export async function describeApi(config: Config): Promise<unknown> {
  const database = await openPglite();
  const app = await buildApp({ database, config, webRoot: null });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}
