import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgId, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, expectStatus, type Api } from '../../test/crm-fixtures.ts';

/** Six ordinary companies and two advertising-protected ones, each with a contact of Sønderborg's. */
const ORDINARY = Array.from({ length: 6 }, (_, i) => String(91_000_000 + i));
const PROTECTED = ['91000901', '91000902'];

const questions = [{ id: 'q1', type: 'single' as const, text: 'Hvordan går det?', options: [{ id: 'good', label: 'Godt' }, { id: 'bad', label: 'Skidt' }] }];

describe('surveys, as an attacker would try them', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let otherOrg: Api;
  const pub = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) => t.app.inject({ method, url: `/api/v1/public/surveys${url}`, payload, headers });

  beforeAll(async () => {
    t = await createTestApp();
    const sonderborg = await orgId(t.database, orgKeys.sonderborg);
    const adviserId = await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    for (const cvr of [...ORDINARY, ...PROTECTED]) {
      await t.database.db.execute(sql`INSERT INTO companies (cvr, name, municipality_code, industry_code, employees, status, advertising_protected, source)
        VALUES (${cvr}, ${`Virksomhed ${cvr}`}, 540, '256200', 20, 'NORMAL', ${PROTECTED.includes(cvr)}, 'manual')`);
      await t.database.db.execute(sql`INSERT INTO contacts (company_cvr, organisation_id, name, email, created_by) VALUES (${cvr}, ${sonderborg}, 'Kontakt', ${`info@${cvr}.example`}, ${adviserId})`);
    }
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    otherOrg = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
  });

  it('keeps the purpose once sent: an analysis that reached advertising-protected companies cannot turn into business development', async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Analyse', purpose: 'analysis', questions }), 201);
    expect(expectStatus(await adviser.post(`/surveys/${s.id}/send`, { municipality: 540 }), 200).invited).toBe(8);
    const changed = await adviser.patch(`/surveys/${s.id}`, { purpose: 'business_development' });
    expect(problem(changed).status).toBe(409);
    expect(problem(changed).body.detail).toBe('Formålet kan kun ændres, mens undersøgelsen er en kladde.');
    expect(expectStatus(await adviser.get(`/surveys/${s.id}`), 200).purpose).toBe('analysis');
    // A draft's purpose still changes.
    const draft = expectStatus(await adviser.post('/surveys', { title: 'Kladde', purpose: 'analysis', questions }), 201);
    expect(expectStatus(await adviser.patch(`/surveys/${draft.id}`, { purpose: 'business_development' }), 200).purpose).toBe('business_development');
  });

  it('changes only the fields a PATCH names: leaving out the public link, sharing or attaching keeps them', async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Delvis', purpose: 'analysis', intro: 'Intro', attachToCompany: true, shared: true, publicLink: true, questions }), 201);
    expect(s.publicPath).toMatch(/^\/undersoegelser\/link\//);
    const changed = expectStatus(await adviser.patch(`/surveys/${s.id}`, { title: 'Nyt navn' }), 200);
    expect(changed).toMatchObject({ title: 'Nyt navn', intro: 'Intro', attachToCompany: true, shared: true, publicPath: s.publicPath });
  });

  it('bounds the reminder rounds, so a survey cannot flood its recipients', async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Påmindelser', purpose: 'analysis', questions }), 201);
    expectStatus(await adviser.post(`/surveys/${s.id}/send`, { municipality: 540 }), 200);
    for (let round = 1; round <= 3; round++) expect(expectStatus(await adviser.post(`/surveys/${s.id}/reminders`), 200).round).toBe(round);
    const fourth = await adviser.post(`/surveys/${s.id}/reminders`);
    expect(problem(fourth).status).toBe(409);
    expect(problem(fourth).body.detail).toBe('Der er allerede sendt 3 påmindelser.');
    const mails = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mail_outbox WHERE dedupe_key LIKE 'survey.reminder:%' AND split_part(dedupe_key, ':', 2) IN (SELECT id::text FROM survey_invitations WHERE survey_id = ${s.id})`);
    expect(mails[0]!.n).toBe(3 * 8);
    expect(expectStatus(await adviser.get(`/surveys/${s.id}`), 200).reminderRound).toBe(3);
  });

  it("refuses ids that are names of an object's own machinery, which would read as answers nobody gave", async () => {
    for (const id of ['constructor', '__proto__', 'toString']) {
      const res = await adviser.post('/surveys', { title: 'Ids', purpose: 'analysis', questions: [{ id, type: 'text', text: 'Kommentar' }] });
      expect(problem(res).status).toBe(400);
      expect(problem(res).body.errors?.map((e) => e.field)).toEqual(['questions.0.id']);
      const option = await adviser.post('/surveys', { title: 'Ids', purpose: 'analysis', questions: [{ id: 'q', type: 'matrix', text: 'M', rows: [{ id, label: 'R' }], columns: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] }] });
      expect(problem(option).body.errors?.map((e) => e.field)).toEqual(['questions.0.rows.0.id']);
    }
  });

  it("does not let another organisation send, remind, change or read the answers of a survey (404), nor learn of an open one's results", async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Privat', purpose: 'analysis', questions }), 201);
    for (const res of [
      await otherOrg.post(`/surveys/${s.id}/send`, { municipality: 540 }),
      await otherOrg.post(`/surveys/${s.id}/reminders`),
      await otherOrg.patch(`/surveys/${s.id}`, { title: 'Overtaget' }),
      await otherOrg.post(`/surveys/${s.id}/close`),
      await otherOrg.get(`/surveys/${s.id}/responses`),
      await otherOrg.get(`/surveys/${s.id}/results`),
      await otherOrg.get(`/surveys/${s.id}/results.xlsx`),
    ]) expect(problem(res).status).toBe(404);
    expect(expectStatus(await adviser.get(`/surveys/${s.id}`), 200).title).toBe('Privat');
  });

  it("does not confirm a shared survey to another organisation until it is closed, then reads it protected", async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Delt', purpose: 'analysis', shared: true, questions }), 201);
    expectStatus(await adviser.post(`/surveys/${s.id}/open`), 200);
    expect(problem(await otherOrg.get(`/surveys/${s.id}/results`)).status).toBe(404);
    expect(problem(await otherOrg.get(`/surveys/${s.id}/results.xlsx`)).status).toBe(404);
    expectStatus(await adviser.post(`/surveys/${s.id}/close`), 200);
    expect(expectStatus(await otherOrg.get(`/surveys/${s.id}/results`), 200).disclosureControl).toBe(true);
    const listed = expectStatus(await otherOrg.get('/surveys'), 200).items.find((x: { id: string }) => x.id === s.id);
    expect(listed.abilities).toEqual({ change: false, send: false, results: true, answers: false });
  });

  it('answers a personal link once even when the answers race, and the GET reveals no other respondent', async () => {
    const s = expectStatus(await adviser.post('/surveys', { title: 'Kapløb', purpose: 'analysis', questions }), 201);
    expectStatus(await adviser.post(`/surveys/${s.id}/send`, { municipality: 540 }), 200);
    const mails = await t.database.rows<{ text: string }>(sql`SELECT text FROM mail_outbox WHERE dedupe_key LIKE 'survey.invite:%' AND split_part(dedupe_key, ':', 2) IN (SELECT id::text FROM survey_invitations WHERE survey_id = ${s.id})`);
    const token = /\/undersoegelser\/svar\/([\w-]+)/.exec(mails[0]!.text)![1]!;
    const view = expectStatus(await pub('GET', `/answer/${token}`), 200);
    expect(JSON.stringify(view)).not.toMatch(/9100\d{4}|info@|example/);
    const results = await Promise.all([1, 2, 3].map(() => pub('POST', `/answer/${token}`, { answers: { q1: 'good' } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const n = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM survey_responses WHERE survey_id = ${s.id}`);
    expect(n[0]!.n).toBe(1);
  });
});

describe('answers that do not fit, on the public link', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let token: string;
  const post = (payload: unknown, key = 'browser-key-1') =>
    t.app.inject({ method: 'POST', url: `/api/v1/public/surveys/link/${token}`, payload: payload as object, headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    const adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    const s = expectStatus(await adviser.post('/surveys', { title: 'Åbent link', purpose: 'analysis', publicLink: true, questions: [...questions, { id: 'm', type: 'matrix', text: 'M', rows: [{ id: 'r', label: 'R' }], columns: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] }, { id: 'c', type: 'text', text: 'Kommentar', maxLength: 50 }] }), 201);
    expectStatus(await adviser.post(`/surveys/${s.id}/open`), 200);
    token = s.publicPath.split('/').pop();
  });

  it('refuses a flood of unknown question ids in one error, not one per id', async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x${i}`, 'a']));
    const res = await post({ answers: { q1: 'good', ...many } });
    expect(problem(res).status).toBe(400);
    expect(problem(res).body.errors).toHaveLength(1);
    const rows = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`r${i}`, 'a']));
    const matrix = await post({ answers: { m: rows } });
    expect(problem(matrix).body.errors).toHaveLength(1);
  });

  it('refuses NUL, nested JSON and over-long texts, storing nothing; a reused key stores one answer', async () => {
    expect(problem(await post({ answers: { c: 'a\u0000b' } })).status).toBe(400);
    expect(problem(await post({ answers: { m: { r: { deep: { deeper: 'a' } } } } })).status).toBe(400);
    expect(problem(await post({ answers: { c: 'x'.repeat(51) } })).status).toBe(400);
    expect(problem(await post({ answers: { q1: 'good' }, attachToCompany: true, companyCvr: '91000000' })).status).toBe(400);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM survey_responses`))[0]!.n).toBe(0);
    expect((await post({ answers: { q1: 'good' } })).statusCode).toBe(201);
    expect((await post({ answers: { q1: 'bad' } })).statusCode).toBe(200);
    expect(problem(await post({ answers: { q1: 'bad' } }, 'short')).status).toBe(400);
    const stored = await t.database.rows<{ answers: unknown; company_cvr: string | null }>(sql`SELECT answers, company_cvr FROM survey_responses`);
    expect(stored).toEqual([{ answers: { q1: 'good' }, company_cvr: null }]);
  });
});
