import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { LogDestination } from '../http/logging.ts';
import { openPglite, openPostgres, type Database } from '../db/client.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { hubKey, kkrKey, localServiceKey } from '../modules/organisations/reference.ts';
import { organisations } from '../modules/organisations/schema.ts';
import type { Role } from '../modules/users/schema.ts';
import { insertUser } from '../modules/users/service.ts';

/**
 * A fresh, migrated database for one test file, copied from the one global-setup.ts migrated for the
 * run: in-memory PGlite from its snapshot by default, or a new database from its template on the
 * PostgreSQL server named by DATABASE_URL (dropped afterwards).
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openPglite(undefined, { loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot')!)]) });
  const name = `kp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(url);
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')!}`));
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString());
  const close = database.close;
  database.close = async () => {
    await close();
    await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  };
  return database;
}

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export async function orgId(database: Database, key: string): Promise<string> {
  const rows = await database.db.select({ id: organisations.id, key: organisations.key }).from(organisations);
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no organisation ${key}`);
  return found.id;
}

export const orgKeys = {
  sydjylland: hubKey('Erhvervshus Sydjylland'),
  fyn: hubKey('Erhvervshus Fyn'),
  sonderborg: localServiceKey(540),
  aabenraa: localServiceKey(580),
  kkrSyddanmark: kkrKey('KKR Syddanmark'),
  operator: 'operator:knudepunkt',
};

export async function createUser(database: Database, options: { email: string; role: Role; org: string; earlyWarning?: boolean; systemAdmin?: boolean; name?: string }) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = await insertUser(database.db, {
    email: options.email,
    name: options.name ?? options.email.split('@')[0]!,
    role: options.role,
    organisationId: await orgId(database, options.org),
    passwordHash: await passwordHash,
    earlyWarning: options.earlyWarning ?? false,
    systemAdmin: options.systemAdmin ?? false,
  });
  if (!id) throw new Error(`user ${options.email} exists`);
  return id;
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  clock: { now: Date };
  config: Config;
  /** Closes the app and drops the test database; call from afterAll. */
  close(): Promise<void>;
}

/** An app on a fresh database with a movable clock; it logs nothing unless a test passes a `logger` destination to read. */
export async function createTestApp(configOverrides: Partial<Config> = {}, options: { logger?: LogDestination } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = { now: new Date('2026-11-27T09:00:00Z') };
  const config = { ...loadConfig({}), ...configOverrides };
  const app = await buildApp({ database, config, now: () => clock.now, webRoot: null, checkDeclaredStatus: true, logger: options.logger });
  await app.ready();
  const close = async () => {
    await app.close();
    await database.close();
  };
  return { app, database, clock, config, close };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

export async function login(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login ${email} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'kp_session');
  const { csrfToken } = response.json() as { csrfToken: string };
  return { cookie: `kp_session=${cookie!.value}`, csrfToken, headers: { cookie: `kp_session=${cookie!.value}`, 'x-csrf-token': csrfToken } };
}

export async function count(database: Database, table: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return row!.n;
}

/**
 * Whether a 404 for an existing record tells nothing a made-up id would not: the same answer, the
 * record's id standing where the made-up one stood (the id is the caller's own input).
 */
export async function expectSameAsUnknown(response: LightMyRequestResponse, id: string, ask: (id: string) => Promise<LightMyRequestResponse>) {
  const madeUp = '00000000-0000-4000-8000-000000000000';
  const reference = await ask(madeUp);
  expect(response.statusCode).toBe(reference.statusCode);
  const { requestId: _ignored, ...body } = response.json() as Record<string, unknown>;
  const { requestId: _alsoIgnored, ...expected } = reference.json() as Record<string, unknown>;
  expect(JSON.stringify(body)).toBe(JSON.stringify(expected).replaceAll(madeUp, id));
}

export function problem(response: LightMyRequestResponse) {
  return { status: response.statusCode, type: response.headers['content-type'], body: response.json() as { title: string; status: number; detail: string; requestId: string; errors?: { field: string; message: string }[] } };
}
