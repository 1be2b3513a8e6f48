import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestContext } from '../../test/helpers.ts';
import { isValidCvr, isValidPNumber } from '../companies/cvr.ts';
import { DEMO_PASSWORD, demoUsers, generateCompanies, seedDemo } from './seed.ts';

describe('demo data', () => {
  it('generates companies with valid, unique CVR and P-numbers in all 98 municipalities', () => {
    const companies = generateCompanies(5000);
    expect(companies).toHaveLength(5000);
    expect(new Set(companies.map((c) => c.cvr)).size).toBe(5000);
    expect(companies.every((c) => isValidCvr(c.cvr))).toBe(true);
    const pNumbers = companies.flatMap((c) => c.production_units.map((p) => p.p_number));
    expect(new Set(pNumbers).size).toBe(pNumbers.length);
    expect(pNumbers.every(isValidPNumber)).toBe(true);
    expect(new Set(companies.map((c) => c.municipality_code)).size).toBe(98);
    // Same seed, same data: every demo database looks alike.
    expect(generateCompanies(50)).toEqual(generateCompanies(50));
  });

  describe('seeding', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('creates the companies, the real CVR documents and one user per role, once', async () => {
      const first = await seedDemo(t.database, { companies: 500 });
      expect(first).toMatchObject({ created: true, companies: 504 });
      const second = await seedDemo(t.database, { companies: 500 });
      expect(second.created).toBe(false);
      const [row] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM companies`);
      expect(row!.n).toBe(504);
      const roles = new Set(demoUsers.map((u) => u.role));
      expect([...roles].sort()).toEqual(['admin', 'adviser', 'manager', 'reader']);
      expect(demoUsers.some((u) => u.earlyWarning)).toBe(true);
      for (const user of demoUsers) await expect(login(t.app, user.email, DEMO_PASSWORD)).resolves.toBeTruthy();
    });
  });
});
