import { sql } from 'drizzle-orm';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCvrFile } from '../modules/companies/import.ts';
import { companySchema, companySearchResultSchema } from '../modules/companies/schemas.ts';
import { getCompany, searchCompanies, upsertCompanies } from '../modules/companies/service.ts';
import { generateCompanies } from '../modules/demo/seed.ts';
import { createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../test/helpers.ts';
import { fastSerializer } from './fast-serializer.ts';

const zodSerialize = serializerCompiler({ schema: companySchema, method: 'GET', url: '/companies/:cvr' } as never) as (data: unknown) => string;
const zodSerializeSearch = serializerCompiler({ schema: companySearchResultSchema, method: 'GET', url: '/companies' } as never) as (data: unknown) => string;

describe('the company page answer, serialised from JSON Schema', () => {
  let t: TestContext;
  let session: Session;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
    await importCvrFile(t.database, 'fixtures/cvr/vrvirksomhed-4.jsonl');
    await importCvrFile(t.database, 'fixtures/cvr/vrvirksomhed-ophoert.jsonl');
    await upsertCompanies(t.database, generateCompanies(150, 7));
    await createUser(t.database, { email: 'adviser@fast.dk', role: 'adviser', org: orgKeys.sydjylland });
    session = await login(t.app, 'adviser@fast.dk');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: session.headers, payload: { cvr: '39895692' } });
    expect(created.statusCode).toBe(201);
  });

  it('is byte for byte what the Zod serialiser makes of the same company, for register, ceased and hand-made companies', async () => {
    const cvrs = (await t.database.rows<{ cvr: string }>(sql`SELECT cvr FROM companies ORDER BY cvr`)).map((r) => r.cvr);
    expect(cvrs.length).toBeGreaterThan(150);
    for (const cvr of cvrs) {
      const response = await t.app.inject({ url: `/api/v1/companies/${cvr}`, headers: { cookie: session.cookie } });
      expect(response.statusCode).toBe(200);
      const { abilities } = response.json() as { abilities: unknown };
      expect(response.body, cvr).toBe(zodSerialize({ ...(await getCompany(t.database, cvr)), abilities }));
    }
  });

  it('answers a search byte for byte as the Zod serialiser would, over names, CVR prefixes, filters and empty results', async () => {
    const searches = [{ q: 'aps' }, { q: 'ApS', page: 2 }, { q: '3989' }, { q: 'zzzzqqq' }, { municipality: 540 }, { q: 'a', industry: '4' }, { q: 'Rengoering' }];
    let found = 0;
    for (const params of searches) {
      const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
      const response = await t.app.inject({ url: `/api/v1/companies?${query}`, headers: { cookie: session.cookie } });
      expect(response.statusCode, query).toBe(200);
      const expected = await searchCompanies(t.database, { page: 1, pageSize: 20, ...params } as Parameters<typeof searchCompanies>[1]);
      expect(response.body, query).toBe(zodSerializeSearch(expected));
      if (expected.items.length > 0) found++;
    }
    expect(found).toBeGreaterThanOrEqual(4);
  });

  it('sends only declared properties, as the Zod serialiser does', async () => {
    const company = await getCompany(t.database, '39895692');
    const { abilities } = (await t.app.inject({ url: '/api/v1/companies/39895692', headers: { cookie: session.cookie } })).json() as { abilities: unknown };
    const serialize = fastSerializer({ schema: companySchema });
    const answer = JSON.parse(serialize({ ...company, abilities, passwordHash: 'x', internalNote: 'y' })) as Record<string, unknown>;
    expect(answer).not.toHaveProperty('passwordHash');
    expect(answer).not.toHaveProperty('internalNote');
    expect(answer.cvr).toBe('39895692');
    // A required property missing is refused rather than sent short.
    expect(() => serialize({ ...company, abilities: {} })).toThrow(/required/);
  });
});
