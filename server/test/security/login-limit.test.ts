import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, orgKeys, problem, TEST_PASSWORD, type TestContext } from '../helpers.ts';

/** Issue 10, hole 2: sign-in attempts are counted per account as it is looked up, not as it is typed. */
describe('guessing one account by re-typing its address', () => {
  let t: TestContext;
  afterAll(() => t.close());

  beforeAll(async () => {
    t = await createTestApp({ loginRateLimit: 3 });
    await createUser(t.database, { email: 'victim@test.dk', role: 'adviser', org: orgKeys.sydjylland });
  });

  const attempt = (email: string, password = 'wrong-wrong-wrong') => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  it('gives no fresh attempts for padded or re-cased spellings of the same address', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('victim@test.dk')).statusCode).toBe(401);
    const sessionsBefore = await count(t.database, 'sessions');
    const failuresBefore = await count(t.database, "audit_log WHERE action = 'auth.login_failed'");
    for (const spelling of [' victim@test.dk', 'victim@test.dk ', 'VICTIM@TEST.DK', '  Victim@Test.Dk\t', '\nvictim@test.DK']) {
      const response = await attempt(spelling);
      expect(problem(response), JSON.stringify(spelling)).toMatchObject({ status: 429, type: expect.stringContaining('application/problem+json') });
    }
    // Not even the right password gets through under another spelling, and no session is made.
    const right = await attempt(' Victim@TEST.dk ', TEST_PASSWORD);
    expect(problem(right)).toMatchObject({ status: 429, type: expect.stringContaining('application/problem+json') });
    expect(right.headers['set-cookie']).toBeUndefined();
    expect(await count(t.database, 'sessions')).toBe(sessionsBefore);
    expect(await count(t.database, "audit_log WHERE action = 'auth.login'")).toBe(0);
    // Refused attempts never reached the password check.
    expect(await count(t.database, "audit_log WHERE action = 'auth.login_failed'")).toBe(failuresBefore);
  });

  it('logs failed attempts under the address as it is looked up', async () => {
    const rows = await t.database.rows<{ email: string }>(sql`SELECT DISTINCT details->>'email' AS email FROM audit_log WHERE action = 'auth.login_failed'`);
    expect(rows).toEqual([{ email: 'victim@test.dk' }]);
  });
});
