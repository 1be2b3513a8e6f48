import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { appSettings } from './schema.ts';

/** A random secret made once per installation and kept in the database, so every app server shares it. */
export async function installationSecret(db: Db, key: string): Promise<string> {
  await db.insert(appSettings).values({ key, value: randomBytes(32).toString('hex') }).onConflictDoNothing();
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key));
  return row!.value;
}

export const hmacToken = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('base64url');
