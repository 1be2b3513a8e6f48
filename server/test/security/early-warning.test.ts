/**
 * Early Warning stays with the EW team, tried from the side doors a security review found: the
 * evaluation (an invitation, its answer and comment) and the audit view of an admin without the EW
 * permission.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type TestContext } from '../helpers.ts';
import { apiAs, companiesIn, createContact, createEngagement, earlyWarningCategory, expectStatus, longSessions, organisationIds, type Api } from '../crm-fixtures.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';

describe('Early Warning through side doors', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<'hub' | 'hubEw' | 'hubAdmin' | 'hubEwAdmin', Api>;
  let hubId: string;
  let companies: string[];

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(1500, 31));
    ({ hub: hubId } = (await organisationIds(t.database, { hub: orgKeys.sydjylland })) as { hub: string });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true });
    await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'ew-admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland, earlyWarning: true });
    api.hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    api.hubEw = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    api.hubAdmin = apiAs(t, await login(t.app, 'admin@sydjylland.dk'));
    api.hubEwAdmin = apiAs(t, await login(t.app, 'ew-admin@sydjylland.dk'));
    companies = await companiesIn(t.database, 540);
  });

  it('a closed Early Warning engagement is never evaluated: no invitation, no mail', async () => {
    const cvr = companies[0]!;
    const contact = await createContact(api.hubEw, cvr, { name: 'Direktør EW', email: 'direktoer@ew-firma.dk' });
    expectStatus(await api.hubEw.post(`/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', givenByName: 'Direktør EW', givenByContactId: contact.id, channel: 'meeting' }), 201);
    const engagement = await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', deliveryCategoryId: await earlyWarningCategory(api.hubEw, hubId) });
    expect(engagement.confidential).toBe(true);
    expectStatus(await api.hubEw.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Rekonstruktion' }), 200);
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(0);
    expect(await count(t.database, "mail_outbox WHERE \"to\" = 'direktoer@ew-firma.dk'")).toBe(0);
  });

  it('an answer tied to an Early Warning engagement keeps its comment from hub users without the EW permission', async () => {
    const cvr = companies[1]!;
    const engagement = await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', confidential: true });
    // An answer matched to the EW engagement, as the national evaluation system's import could do.
    await t.database.rows(sql`INSERT INTO evaluation_answers (organisation_id, engagement_id, company_cvr, answered_on, nps, effect, comment, source)
      VALUES (${hubId}, ${engagement.id}, ${cvr}, '2026-11-20', 3, 'i nogen grad', 'Tak for hjælpen med konkurstruslen', 'import')`);
    const asAdviser = expectStatus(await api.hub.get(`/evaluations/comments?hub=${hubId}`), 200);
    const seen = JSON.stringify(asAdviser);
    for (const secret of ["konkurstruslen", cvr, engagement.id]) expect(seen).not.toContain(secret);
    const asEw = expectStatus(await api.hubEw.get(`/evaluations/comments?hub=${hubId}`), 200);
    expect(asEw.items).toContainEqual(expect.objectContaining({ comment: 'Tak for hjælpen med konkurstruslen', engagementId: engagement.id }));
  });

  it('the audit view shows an admin without the EW permission nothing of an Early Warning case; the EW admin sees it', async () => {
    const cvr = companies[2]!;
    const engagement = await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', confidential: true, description: 'EW-sag' });
    expectStatus(await api.hubEw.get(`/engagements/${engagement.id}`), 200);
    expectStatus(await api.hubEw.get(`/companies/${cvr}/timeline`), 200);
    // An ordinary colleague's own work on the same company stays visible to the admin.
    expectStatus(await api.hub.get(`/companies/${cvr}/timeline`), 200);
    const plain = expectStatus(await api.hubAdmin.get(`/audit?cvr=${cvr}`), 200) as { items: { user: { email: string } | null }[] };
    expect(JSON.stringify(plain)).not.toContain(engagement.id);
    expect(plain.items.map((i) => i.user?.email)).toEqual(['adviser@sydjylland.dk']);
    const ew = expectStatus(await api.hubEwAdmin.get(`/audit?cvr=${cvr}`), 200) as { items: { entityId: string | null }[] };
    expect(ew.items.some((i) => i.entityId === engagement.id)).toBe(true);
    expect(ew.items).toHaveLength(4);
  });

  it('an answer tied to an Early Warning engagement is left out of the hub’s exact results for users without the EW permission', async () => {
    const cvr = companies[3]!;
    const ew = await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', deliveryCategoryId: await earlyWarningCategory(api.hubEw, hubId) });
    await t.database.rows(sql`INSERT INTO evaluation_answers (organisation_id, engagement_id, company_cvr, answered_on, nps, effect, source)
      VALUES (${hubId}, ${ew.id}, ${cvr}, '2026-11-21', 2, 'slet ikke', 'import')`);
    const day = `hub=${hubId}&from=2026-11-21&to=2026-11-21`;
    for (const query of [`${day}`, `${day}&groupBy=deliveryCategory`, `${day}&groupBy=adviser`, `${day}&deliveryCategory=early_warning`]) {
      const asAdviser = expectStatus(await api.hub.get(`/evaluations/results?${query}`), 200);
      expect(asAdviser.overall.answers, query).toBe(0);
      expect(JSON.stringify(asAdviser.groups), query).not.toContain('early_warning');
    }
    expect(expectStatus(await api.hubEw.get(`/evaluations/results?${day}`), 200).overall.answers).toBe(1);
  });

  it('the national evaluation import never ties an answer to an Early Warning engagement', async () => {
    const cvr = companies[4]!;
    await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', confidential: true });
    const { importEvaluationsFile } = await import('../../modules/evaluations/import.ts');
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const dir = await mkdtemp(`${(await import('node:os')).tmpdir()}/kp-ew-`);
    await writeFile(`${dir}/answers.csv`, `cvr,date,nps,effect\n${cvr},2026-11-25,3,slet ikke\n`);
    await importEvaluationsFile(t.database, `${dir}/answers.csv`);
    const [row] = await t.database.rows<{ engagement_id: string | null }>(sql`SELECT engagement_id FROM evaluation_answers WHERE company_cvr = ${cvr}`);
    expect(row).toEqual({ engagement_id: null });
  });

  it('an EW user’s reads, whose counts include the cases, are not in the audit view of an admin without EW', async () => {
    await createEngagement(api.hubEw, { companyCvr: companies[5]!, level: 'specialised', confidential: true });
    expectStatus(await api.hubEw.get('/me/work'), 200);
    expectStatus(await api.hubEw.get('/engagements?status=open&pageSize=100'), 200);
    const plain = expectStatus(await api.hubAdmin.get('/audit'), 200) as { items: { user: { email: string } | null; action: string }[] };
    expect(plain.items.filter((i) => i.user?.email === 'ew@sydjylland.dk' && i.action === 'read')).toEqual([]);
    const ew = expectStatus(await api.hubEwAdmin.get('/audit'), 200) as { items: { user: { email: string } | null; action: string }[] };
    expect(ew.items.filter((i) => i.user?.email === 'ew@sydjylland.dk' && i.action === 'read').length).toBeGreaterThanOrEqual(2);
  });

  it('the hub’s contract report is exact for its director and EW team; its other advisers read it under disclosure control', async () => {
    await createUser(t.database, { email: 'direktor@sydjylland.dk', role: 'manager', org: orgKeys.sydjylland });
    const director = apiAs(t, await login(t.app, 'direktor@sydjylland.dk'));
    const imported = expectStatus(await director.post('/contracts/import', {
      title: 'Syd 2026', kkr: 'KKR Syddanmark', hub: 'Erhvervshus Sydjylland', periodStart: '2026-01-01', periodEnd: '2026-12-31',
      goals: [{ number: 1, group: 'regional', title: 'Vejledte', description: '', method: '', reporting: 'annual', indicator: { type: 'guided_companies', scale: { type: 'proportional' } } }],
    }), 201) as { id: string };
    // A day-by-day reading would date each Early Warning case: refused, naming the field.
    const daily = await api.hub.get(`/contracts/${imported.id}/report?at=2026-11-26`);
    expect(daily.statusCode).toBe(400);
    expect(daily.json().errors).toEqual([expect.objectContaining({ field: 'at' })]);
    expect(expectStatus(await api.hub.get(`/contracts/${imported.id}/report`), 200)).toMatchObject({ disclosureControl: true });
    for (const exact of [director, api.hubEw]) {
      expect(expectStatus(await exact.get(`/contracts/${imported.id}/report?at=2026-11-26`), 200)).toMatchObject({ disclosureControl: false });
    }
  });
});
