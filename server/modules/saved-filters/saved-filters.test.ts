import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, expectSameAsUnknown, login, orgKeys, problem, type Session, type TestContext } from '../../test/helpers.ts';
import { normaliseQuery } from './service.ts';

interface Saved {
  id: string;
  list: string;
  name: string;
  query: string;
  createdAt: string;
}

describe('saved filters (/me/saved-filters)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let anna: Session;
  let bo: Session;
  let fyn: Session;

  const list = async (s: Session, l: string) => {
    const response = await t.app.inject({ url: `/api/v1/me/saved-filters?list=${l}`, headers: s.headers });
    expect(response.statusCode).toBe(200);
    return (response.json() as { items: Saved[] }).items;
  };
  const save = (s: Session, payload: Record<string, unknown>, lang = 'da') =>
    t.app.inject({ method: 'POST', url: '/api/v1/me/saved-filters', headers: { ...s.headers, 'accept-language': lang }, payload });
  const remove = (s: Session, id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/me/saved-filters/${id}`, headers: s.headers });

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'anna@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'bo@test.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'fyn@test.dk', role: 'admin', org: orgKeys.fyn });
    anna = await login(t.app, 'anna@test.dk');
    bo = await login(t.app, 'bo@test.dk');
    fyn = await login(t.app, 'fyn@test.dk');
  });

  it('saves, lists by name and deletes a filter, without the page or the opened item', async () => {
    const created = await save(anna, { list: 'leads', name: ' Mine nye ', query: '?status=new&side=3&sort=deadline&id=00000000-0000-0000-0000-000000000000' });
    expect(created.statusCode).toBe(201);
    const filter = created.json() as Saved;
    expect(filter).toMatchObject({ list: 'leads', name: 'Mine nye', query: 'status=new&sort=deadline' });
    expect((await save(anna, { list: 'leads', name: 'Forfaldne', query: 'overdue=1&page=2' })).json()).toMatchObject({ query: 'overdue=1' });
    expect((await save(anna, { list: 'referrals', name: 'Indbakke', query: 'box=inbox' })).statusCode).toBe(201);
    expect((await save(anna, { list: 'companies', name: 'Sønderborg', query: 'municipality=540&page=4' })).json()).toMatchObject({ query: 'municipality=540' });

    expect((await list(anna, 'leads')).map((f) => [f.name, f.query])).toEqual([
      ['Forfaldne', 'overdue=1'],
      ['Mine nye', 'status=new&sort=deadline'],
    ]);
    expect((await list(anna, 'referrals')).map((f) => f.name)).toEqual(['Indbakke']);
    expect((await list(anna, 'companies')).map((f) => f.name)).toEqual(['Sønderborg']);
    expect(await list(anna, 'tasks')).toEqual([]);

    expect((await remove(anna, filter.id)).statusCode).toBe(204);
    expect((await list(anna, 'leads')).map((f) => f.name)).toEqual(['Forfaldne']);
    expect((await remove(anna, filter.id)).statusCode).toBe(404);
  });

  it('keeps the encoding of the URL (Danish letters, spaces)', async () => {
    const response = await save(anna, { list: 'engagements', name: 'Sønderborg', query: 'q=s%C3%B8nder+borg&tema=gr%C3%B8n' });
    expect(response.json()).toMatchObject({ query: 'q=s%C3%B8nder+borg&tema=gr%C3%B8n' });
    expect(new URLSearchParams((response.json() as Saved).query).get('q')).toBe('sønder borg');
  });

  it('refuses a name the user already has on the list (409, on the name field), but not on another list or for another user', async () => {
    const dup = await save(anna, { list: 'leads', name: 'Forfaldne', query: 'status=new' });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).body.errors).toEqual([{ field: 'name', message: 'Du har allerede et gemt filter med navnet "Forfaldne" på denne liste. Vælg et andet navn.' }]);
    const en = await save(anna, { list: 'leads', name: 'Forfaldne', query: 'status=new' }, 'en');
    expect(problem(en).body.detail).toBe('You already have a saved filter named "Forfaldne" on this list. Choose another name.');
    expect((await save(anna, { list: 'tasks', name: 'Forfaldne', query: 'overdue=1' })).statusCode).toBe(201);
    expect((await save(bo, { list: 'leads', name: 'Forfaldne', query: 'overdue=1' })).statusCode).toBe(201);
  });

  it('validates: an unknown list, too long, not a query string, nothing to save, no name', async () => {
    const before = await count(t.database, 'saved_filters');
    const badList = await save(anna, { list: 'contracts', name: 'X', query: 'a=1' });
    expect(problem(badList).body.errors?.map((e) => e.field)).toEqual(['list']);
    expect((await t.app.inject({ url: '/api/v1/me/saved-filters?list=audit', headers: anna.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/me/saved-filters', headers: anna.headers })).statusCode).toBe(400);

    const tooLong = await save(anna, { list: 'leads', name: 'Lang', query: `q=${'a'.repeat(1000)}` });
    expect(problem(tooLong).body.errors).toEqual([{ field: 'query', message: 'Må højst være 1000 tegn.' }]);
    const longName = await save(anna, { list: 'leads', name: 'n'.repeat(81), query: 'a=1' });
    expect(problem(longName).body.errors?.map((e) => e.field)).toEqual(['name']);

    for (const query of ['a=1#frag', 'a=<script>', 'a=1 b', 'a=%E0%A4%A', 'a=%ZZ', 'a=\n1']) {
      const bad = await save(anna, { list: 'leads', name: `Bad ${query}`, query });
      expect(bad.statusCode, query).toBe(400);
      expect(problem(bad).body.errors?.[0]?.field, query).toBe('query');
    }
    const empty = await save(anna, { list: 'leads', name: 'Tom', query: '?side=2' });
    expect(problem(empty).body.errors).toEqual([{ field: 'query', message: 'Der er ikke valgt noget filter at gemme. Vælg et filter på listen først.' }]);
    expect(problem(await save(anna, { list: 'leads', name: '   ', query: 'a=1' })).body.errors?.map((e) => e.field)).toEqual(['name']);
    expect((await save(anna, { list: 'leads', name: 'X', query: 'a=1', userId: 'someone' })).statusCode).toBe(400);
    expect(await count(t.database, 'saved_filters')).toBe(before);
  });

  it("answers another user's filter as missing (404) and leaves it alone", async () => {
    const bos = await list(bo, 'leads');
    expect(bos).toHaveLength(1);
    // Anna sees only her own, never Bo's.
    expect((await list(anna, 'leads')).map((f) => f.id)).not.toContain(bos[0]!.id);
    const attack = await remove(anna, bos[0]!.id);
    expect(attack.statusCode).toBe(404);
    expect(problem(attack).body.detail).toBe(`Der findes intet gemt filter med id ${bos[0]!.id}.`);
    await expectSameAsUnknown(attack, bos[0]!.id, (other) => remove(anna, other));
    expect((await remove(fyn, bos[0]!.id)).statusCode).toBe(404);
    expect(await list(bo, 'leads')).toEqual(bos);
    // An id that is not one at all names no filter either (and no SQL error reaches the user).
    const malformed = await remove(anna, 'not-a-uuid');
    expect(malformed.statusCode).toBe(404);
    expect(problem(malformed).body.detail).toBe('Der findes intet gemt filter med id not-a-uuid.');
    expect((await remove(anna, '00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });

  it('needs a session and the CSRF token', async () => {
    expect((await t.app.inject({ url: '/api/v1/me/saved-filters?list=leads' })).statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/me/saved-filters', headers: { cookie: anna.cookie }, payload: { list: 'leads', name: 'Y', query: 'a=1' } });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('limits how many filters a user keeps on one list', async () => {
    for (let i = 0; i < 50; i++) expect((await save(fyn, { list: 'referrals', name: `F${i}`, query: `n=${i}` })).statusCode).toBe(201);
    const over = await save(fyn, { list: 'referrals', name: 'One too many', query: 'n=51' });
    expect(over.statusCode).toBe(409);
    expect((await save(fyn, { list: 'leads', name: 'Other list', query: 'n=1' })).statusCode).toBe(201);
  });
});

describe('normaliseQuery', () => {
  it('drops the page and the opened item, keeps order and repeated keys', () => {
    expect(normaliseQuery('?tema=a&tema=b&page=4&side=2&id=x&status=new')).toBe('tema=a&tema=b&status=new');
    expect(normaliseQuery('')).toBe('');
    expect(normaliseQuery('a=%ZZ')).toBeNull();
  });
});
