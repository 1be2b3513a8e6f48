import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgId, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';

/** The web offers a delivery category only where the server says the caller may use it; it reads no flag itself. */
describe('delivery categories with their abilities', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Session;
  let ewAdviser: Session;
  let ewReader: Session;
  let fyn: Session;
  let sydjylland: string;

  type Category = { key: string; confidential: boolean; abilities: { choose: boolean } };
  const categories = async (s: Session) => {
    const response = await t.app.inject({ url: `/api/v1/organisations/${sydjylland}/delivery-categories`, headers: s.headers });
    expect(response.statusCode, response.body).toBe(200);
    return Object.fromEntries((response.json().items as Category[]).map((c) => [c.key, c.abilities]));
  };

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@syd.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'ew-reader@syd.dk', role: 'reader', org: orgKeys.sydjylland, earlyWarning: true });
    adviser = await login(t.app, 'adviser@syd.dk');
    ewAdviser = await login(t.app, 'ew@syd.dk');
    ewReader = await login(t.app, 'ew-reader@syd.dk');
    await createUser(t.database, { email: 'adviser@fyn.dk', role: 'adviser', org: orgKeys.fyn });
    fyn = await login(t.app, 'adviser@fyn.dk');
    sydjylland = await orgId(t.database, orgKeys.sydjylland);
  });

  it('lets only the Early Warning team choose a confidential category, and only writers of the organisation choose any', async () => {
    expect(await categories(adviser)).toMatchObject({ vaekst: { choose: true }, early_warning: { choose: false } });
    expect(await categories(ewAdviser)).toMatchObject({ vaekst: { choose: true }, early_warning: { choose: true } });
    // A reader opens no engagements, EW permission or not.
    expect(await categories(ewReader)).toMatchObject({ vaekst: { choose: false }, early_warning: { choose: false } });
    // An engagement goes in its own organisation's categories: another hub's adviser chooses none of these.
    expect(await categories(fyn)).toMatchObject({ vaekst: { choose: false }, early_warning: { choose: false } });
  });
});
