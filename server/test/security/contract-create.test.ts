import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kkrKey } from '../../modules/organisations/reference.ts';
import { readTemplate } from '../../modules/contracts/service.ts';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../helpers.ts';

/** Issue 10, hole 5: only a party to a contract (its hub or its KKR) may create it. */
describe('importing a contract between two other parties', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const sessions: Record<string, Session> = {};

  // The shipped template is the contract between KKR Syddanmark and Erhvervshus Sydjylland.
  const template = readTemplate() as Record<string, unknown>;
  const contract = (title: string) => ({ ...template, override: { periodStart: '2026-01-01', periodEnd: '2026-12-31', title } });
  const importAs = (who: string, payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/contracts/import', headers: sessions[who]!.headers, payload: payload as object });
  const state = async () => ({
    contracts: await count(t.database, 'contracts'),
    goals: await count(t.database, 'contract_goals'),
    audit: await count(t.database, "audit_log WHERE entity = 'contract' AND action = 'create'"),
  });

  beforeAll(async () => {
    t = await createTestApp();
    const users: [string, Parameters<typeof createUser>[1]][] = [
      ['fynManager', { email: 'direktor@fyn.dk', role: 'manager', org: orgKeys.fyn }],
      ['fynAdmin', { email: 'admin@fyn.dk', role: 'admin', org: orgKeys.fyn }],
      ['otherKkrManager', { email: 'chef@kkr-nord.dk', role: 'manager', org: kkrKey('KKR Nordjylland') }],
      ['localAdmin', { email: 'admin@sonderborg.dk', role: 'admin', org: orgKeys.sonderborg }],
      ['hubManager', { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland }],
      ['hubAdviser', { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland }],
      ['kkrManager', { email: 'chef@kkr-syd.dk', role: 'manager', org: orgKeys.kkrSyddanmark }],
      ['systemAdmin', { email: 'sys@test.dk', role: 'admin', org: orgKeys.operator, systemAdmin: true }],
    ];
    for (const [who, options] of users) {
      await createUser(t.database, options);
      sessions[who] = await login(t.app, options.email);
    }
  });

  it.each(['fynManager', 'fynAdmin', 'otherKkrManager', 'localAdmin', 'hubAdviser'])('refuses %s (403) and saves nothing', async (who) => {
    const before = await state();
    const response = await importAs(who, contract(`Forsøg af ${who}`));
    expect(problem(response)).toMatchObject({ status: 403, type: expect.stringContaining('application/problem+json') });
    expect(await state()).toEqual(before);
  });

  it.each(['hubManager', 'kkrManager', 'systemAdmin'])('lets %s create it', async (who) => {
    const before = await state();
    const response = await importAs(who, contract(`Kontrakt oprettet af ${who}`));
    expect(response.statusCode).toBe(201);
    expect((await state()).contracts).toBe(before.contracts + 1);
  });
});
