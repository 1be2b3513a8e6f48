/**
 * Small shared fixtures for the CRM API tests: a session-bound HTTP client, helpers that create
 * engagements, consents and contacts through the API, and snapshots of row counts for asserting
 * that a rejected request changed nothing.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { count, orgId, type Session, type TestContext } from './helpers.ts';

export const cvrFixture = fileURLToPath(new URL('../../fixtures/cvr/vrvirksomhed-4.jsonl', import.meta.url));

/** Sessions that stay valid however far a test moves the clock. */
export const longSessions: Partial<Config> = { sessionIdleMinutes: 60 * 24 * 366 * 20, sessionAbsoluteHours: 24 * 366 * 20 };

export interface Api {
  session: Session;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: object): Promise<LightMyRequestResponse>;
  patch(url: string, payload: object): Promise<LightMyRequestResponse>;
}

/** Requests to /api/v1 as the signed-in user of `session` (cookie and CSRF token included). */
export function apiAs(t: TestContext, session: Session): Api {
  const url = (path: string) => `/api/v1${path}`;
  return {
    session,
    get: (path) => t.app.inject({ method: 'GET', url: url(path), headers: session.headers }),
    post: (path, payload = {}) => t.app.inject({ method: 'POST', url: url(path), headers: session.headers, payload }),
    patch: (path, payload) => t.app.inject({ method: 'PATCH', url: url(path), headers: session.headers, payload }),
  };
}

/** The JSON of a response that must have `status`; a failure shows the body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectStatus(response: LightMyRequestResponse, status: number): any {
  expect(response.statusCode, response.body).toBe(status);
  const type = String(response.headers['content-type'] ?? '');
  return type.includes('json') ? response.json() : response.body;
}

/** Companies of a municipality from the register, advertising-protected or not, by CVR. */
export async function companiesIn(database: Database, municipalityCode: number, options: { advertisingProtected?: boolean } = {}): Promise<string[]> {
  const rows = await database.rows<{ cvr: string }>(sql`
    SELECT cvr FROM companies WHERE municipality_code = ${municipalityCode}
      ${options.advertisingProtected === undefined ? sql`` : sql`AND advertising_protected = ${options.advertisingProtected}`}
    ORDER BY cvr`);
  return rows.map((r) => r.cvr);
}

export async function organisationIds(database: Database, keys: Record<string, string>): Promise<Record<string, string>> {
  const entries = await Promise.all(Object.entries(keys).map(async ([name, key]) => [name, await orgId(database, key)] as const));
  return Object.fromEntries(entries);
}

export interface EngagementBody {
  companyCvr?: string;
  level?: 'basic' | 'specialised';
  description?: string;
  confidential?: boolean;
  deliveryCategoryId?: string;
  responsibleUserId?: string;
  themes?: string[];
}

export async function createEngagement(api: Api, body: EngagementBody): Promise<{ id: string; version: number; confidential: boolean }> {
  return expectStatus(await api.post('/engagements', { level: 'basic', ...body }), 201);
}

export async function createContact(api: Api, cvr: string, body: { name: string; email?: string; phone?: string; title?: string }): Promise<{ id: string }> {
  return expectStatus(await api.post(`/companies/${cvr}/contacts`, body), 201);
}

export async function createActivity(api: Api, engagementId: string, body: { subject: string; notes?: string; contactId?: string; occurredOn?: string }): Promise<{ id: string }> {
  return expectStatus(await api.post(`/engagements/${engagementId}/activities`, { type: 'meeting', occurredOn: '2026-11-26', ...body }), 201);
}

export async function recordConsent(
  api: Api,
  cvr: string,
  body: { scope: 'all' | 'named'; organisationIds?: string[]; givenByName?: string; givenByContactId?: string },
): Promise<{ id: string }> {
  return expectStatus(await api.post(`/companies/${cvr}/consents`, { purpose: 'sharing', channel: 'meeting', givenByName: 'Direktør Hansen', ...body }), 201);
}

/** The Early Warning delivery category of a hub, read through the API. */
export async function earlyWarningCategory(api: Api, hubId: string): Promise<string> {
  const { items } = expectStatus(await api.get(`/organisations/${hubId}/delivery-categories`), 200) as { items: { id: string; key: string; confidential: boolean }[] };
  const category = items.find((c) => c.key === 'early_warning');
  expect(category?.confidential).toBe(true);
  return category!.id;
}

/** Audit entries that record a change (anything but reads, exports and sign-ins). */
export async function auditedChanges(database: Database): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action NOT IN ('read', 'export') AND action NOT LIKE 'auth.%'`);
  return row!.n;
}

/** Row counts of `tables` plus the number of change entries in the audit log. */
export async function snapshot(database: Database, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await count(database, table);
  counts['audit_log changes'] = await auditedChanges(database);
  return counts;
}

export const CRM_TABLES = ['engagements', 'activities', 'contacts', 'consents', 'referrals', 'mail_outbox', 'company_lists', 'company_list_members'];
