import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../helpers.ts';

/** Issue 14: a JSON body that is not UTF-8 is refused, never stored with U+FFFD in place of letters. */
describe('JSON bodies that are not UTF-8', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;

  const listNames = async () => (await t.database.db.execute<{ name: string }>(sql`SELECT name FROM company_lists ORDER BY name`)).rows.map((r) => r.name);
  const body = (name: Buffer) => Buffer.concat([Buffer.from('{"name":"'), name, Buffer.from('","filters":{}}')]);

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    adviser = await login(t.app, 'adviser@syd.dk');
  });

  it('stores a UTF-8 name as sent', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { ...adviser.headers, 'content-type': 'application/json' }, payload: body(Buffer.from('Kampagne Ærø', 'utf8')) });
    expect(response.statusCode, response.body).toBe(201);
    expect(await listNames()).toEqual(['Kampagne Ærø']);
  });

  it('refuses the same name in Latin-1 with a 400 naming the body, and stores nothing', async () => {
    const before = await count(t.database, 'company_lists');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { ...adviser.headers, 'content-type': 'application/json; charset=utf-8' }, payload: body(Buffer.from('Kampagne Ærø 2', 'latin1')) });
    expect(problem(response), response.body).toMatchObject({
      status: 400,
      type: expect.stringContaining('application/problem+json'),
      body: { detail: expect.stringContaining('ikke gyldig UTF-8'), errors: [{ field: 'body', message: expect.stringContaining('UTF-8') }] },
    });
    expect(await count(t.database, 'company_lists')).toBe(before);
    expect((await listNames()).join()).not.toContain('\uFFFD');
  });

  it('answers in English when asked, also before signing in', async () => {
    const response = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: Buffer.concat([Buffer.from('{"email":"adviser@syd.dk","password":"s'), Buffer.from([0xe6, 0xf8]), Buffer.from('"}')]),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ detail: 'The body is not valid UTF-8 text. Send it as UTF-8 (not Latin-1/Windows-1252, for example) and try again.', errors: [{ field: 'body' }] });
  });

  it('keeps the other answers of the JSON parser: invalid JSON, an empty body, prototype poisoning', async () => {
    const send = (payload: string) => t.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { ...adviser.headers, 'content-type': 'application/json' }, payload });
    expect((await send('{"name":')).json()).toMatchObject({ status: 400, detail: 'Indholdet er ikke gyldig JSON.' });
    expect((await send('')).statusCode).toBe(400);
    expect((await send('{"__proto__":{"x":1},"name":"a","filters":{}}')).statusCode).toBe(400);
  });
});
