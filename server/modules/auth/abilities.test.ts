/**
 * The session's abilities are the policy module's answers: for every kind of user, a section the
 * session offers opens (its API answers), and one it withholds is refused. The web shows menu items
 * from these alone, so a menu item never ends in a 403 (as "Iværksættere" did for a KKR reader).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';

const SECTION_PROBES = {
  myWork: '/me/work',
  leads: '/guidance-requests',
  referrals: '/referrals?box=inbox',
  prospects: '/prospects',
  offers: '/offers',
  users: '/users',
  audit: '/audit',
  actionPlans: '/action-plans',
  events: '/events',
  surveys: '/surveys',
  cases: '/cases',
} as const;

const PEOPLE = [
  { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, expect: { myWork: true, prospects: true, users: false, audit: false, offers: true } },
  { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland, expect: { myWork: true, users: true, audit: true } },
  { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark, expect: { myWork: false, leads: false, referrals: false, prospects: false, offers: false, users: false } },
  { email: 'manager@kkr.dk', role: 'manager', org: orgKeys.kkrSyddanmark, expect: { prospects: false, offers: false } },
] as const;

describe('session abilities', () => {
  let t: TestContext;
  afterAll(() => t.close());
  beforeAll(async () => {
    t = await createTestApp();
    for (const p of PEOPLE) await createUser(t.database, { email: p.email, role: p.role, org: p.org });
  });

  it.each(PEOPLE)('$email: every section the session offers opens, and every one it withholds is refused', async (person) => {
    const session = await login(t.app, person.email);
    const sessionBody = (await t.app.inject({ url: '/api/v1/auth/session', headers: session.headers })).json() as { abilities: { sections: Record<string, boolean> } };
    const sections = sessionBody.abilities.sections;
    expect(sections).toMatchObject(person.expect);
    for (const [section, url] of Object.entries(SECTION_PROBES)) {
      const status = (await t.app.inject({ url: `/api/v1${url}`, headers: session.headers })).statusCode;
      expect({ section, opens: status === 200 }).toEqual({ section, opens: sections[section] });
    }
  });

  it('comes with the sign-in answer too', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'reader@kkr.dk', password: 'correct horse battery staple' } });
    expect(response.json()).toMatchObject({ abilities: { sections: { prospects: false, evaluation: true, contracts: true }, create: { engagement: false } } });
  });
});
