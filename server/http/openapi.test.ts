import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/helpers.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** The API description is whole: what `npm run lint:api` checks with Redocly, asserted here as well so `npm test` catches it. */
describe('the OpenAPI document', () => {
  let t: TestContext;
  let operations: { method: string; path: string; op: Operation }[];
  beforeAll(async () => {
    t = await createTestApp();
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));
  });
  afterAll(() => t.close());

  it('names every operation once', () => {
    const missing = operations.filter((o) => !o.op.operationId).map((o) => `${o.method} ${o.path}`);
    expect(missing).toEqual([]);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes the success answer of every operation', () => {
    const undescribed = operations
      .filter((o) => !Object.entries(o.op.responses).some(([code, r]) => code === '204' || (/^2/.test(code) && Object.values(r.content ?? {}).some((c) => c.schema))))
      .map((o) => `${o.method} ${o.path}`);
    expect(undescribed).toEqual([]);
  });

  it('answers every refusal as application/problem+json, and says which operations need no session', () => {
    for (const { op } of operations) expect(op.responses['4XX']?.content).toHaveProperty(['application/problem+json']);
    const login = operations.find((o) => o.path === '/api/v1/auth/login' && o.method === 'post')!;
    expect(login.op.security).toEqual([]);
    const users = operations.find((o) => o.path === '/api/v1/users' && o.method === 'get')!;
    expect(users.op.security).toBeUndefined();
    expect(users.op.responses['401']).toBeDefined();
  });
});
