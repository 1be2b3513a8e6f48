/**
 * Partners outside the business-promotion system (jobcentres, unemployment funds, education
 * institutions, clusters), tried from the outside per role: in the CRM they hold their own records and
 * read others' only under a consent that covers them, exactly like a local business service; they
 * receive referrals; every change they make is audited; and they reach no lead, offer or contract import.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, type TestContext } from '../helpers.ts';
import { apiAs, companiesIn, createContact, createEngagement, CRM_TABLES, expectStatus, longSessions, organisationIds, recordConsent, snapshot, type Api } from '../crm-fixtures.ts';
import { upsertCompanies } from '../../modules/companies/service.ts';
import { generateCompanies } from '../../modules/demo/seed.ts';
import { hubKey, jobcentreKey, localServiceKey, partnerKeys } from '../../modules/organisations/reference.ts';

type Who = 'jobcentre' | 'jobcentreReader' | 'aau' | 'akasse' | 'hub' | 'lbs';

describe('outside partners: own records, consented records, referrals, and nothing more', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Who, Api>;
  let org: Record<'jobcentre' | 'aau' | 'akasse' | 'cluster' | 'hub' | 'lbs', string>;
  let companies: string[];

  /** Everything `who` can read about the company, as one string, and whether the engagement opens. */
  async function everything(who: Api, cvr: string, engagementId: string) {
    const responses = await Promise.all([
      who.get(`/engagements/${engagementId}`),
      who.get(`/companies/${cvr}/engagements`),
      who.get(`/companies/${cvr}/timeline`),
      who.get(`/companies/${cvr}/contacts`),
    ]);
    return { engagementStatus: responses[0]!.statusCode, body: responses.map((r) => r.body).join('\n') };
  }

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(3000, 16));
    org = (await organisationIds(t.database, {
      jobcentre: jobcentreKey(851),
      aau: partnerKeys.aau,
      akasse: partnerKeys.akademikernes,
      cluster: partnerKeys.cluster,
      hub: hubKey('Erhvervshus Nordjylland'),
      lbs: localServiceKey(851),
    })) as typeof org;
    await createUser(t.database, { email: 'adviser@jobcenter-aalborg.dk', role: 'adviser', org: jobcentreKey(851) });
    await createUser(t.database, { email: 'reader@jobcenter-aalborg.dk', role: 'reader', org: jobcentreKey(851) });
    await createUser(t.database, { email: 'adviser@aau.dk', role: 'adviser', org: partnerKeys.aau });
    await createUser(t.database, { email: 'adviser@akasse.dk', role: 'adviser', org: partnerKeys.akademikernes });
    await createUser(t.database, { email: 'adviser@ehnj.dk', role: 'adviser', org: hubKey('Erhvervshus Nordjylland') });
    await createUser(t.database, { email: 'adviser@aalborg.dk', role: 'adviser', org: localServiceKey(851) });
    const emails: Record<Who, string> = {
      jobcentre: 'adviser@jobcenter-aalborg.dk', jobcentreReader: 'reader@jobcenter-aalborg.dk', aau: 'adviser@aau.dk',
      akasse: 'adviser@akasse.dk', hub: 'adviser@ehnj.dk', lbs: 'adviser@aalborg.dk',
    };
    for (const [who, email] of Object.entries(emails)) api[who as Who] = apiAs(t, await login(t.app, email));
    companies = await companiesIn(t.database, 851);
    expect(companies.length).toBeGreaterThanOrEqual(6);
  });

  it('the reference data holds the eleven North Jutland jobcentres, both unemployment funds, AAU, UCN and a cluster', async () => {
    const { items } = expectStatus(await api.hub.get('/organisations'), 200) as { items: { type: string; name: string; municipalityCode: number | null }[] };
    const jobcentres = items.filter((o) => o.type === 'jobcentre');
    expect(jobcentres).toHaveLength(11);
    expect(jobcentres.find((o) => o.municipalityCode === 851)?.name).toBe('Jobcenter Aalborg');
    expect(jobcentres.map((o) => o.name)).toContain('Jobcenter Læsø');
    expect(items.filter((o) => o.type === 'unemployment_fund').map((o) => o.name).sort()).toEqual(['Akademikernes A-kasse', 'Magistrenes A-kasse']);
    expect(items.filter((o) => o.type === 'education_institution').map((o) => o.name)).toEqual(expect.arrayContaining(['Aalborg Universitet (AAU)', expect.stringContaining('UCN')]));
    expect(items.filter((o) => o.type === 'cluster')).toHaveLength(1);
  });

  it('a jobcentre keeps its own records: no other organisation, partner or not, reads them without a consent', async () => {
    const cvr = companies[0]!;
    const engagement = await createEngagement(api.jobcentre, { companyCvr: cvr, description: 'JC-FORLOEB-own' });
    await createContact(api.jobcentre, cvr, { name: 'JC Kontakt own', email: 'jc-own@firma.dk' });
    const mine = await everything(api.jobcentre, cvr, engagement.id);
    expect(mine.engagementStatus).toBe(200);
    expect(mine.body).toContain('JC Kontakt own');
    // The jobcentre's own reader reads them too (same organisation), but may not change anything.
    expect((await everything(api.jobcentreReader, cvr, engagement.id)).engagementStatus).toBe(200);
    for (const who of ['aau', 'akasse', 'hub', 'lbs'] as const) {
      const seen = await everything(api[who], cvr, engagement.id);
      expect(seen.engagementStatus, who).toBe(404);
      expect(seen.body, who).not.toContain('JC-FORLOEB-own');
      expect(seen.body, who).not.toContain('JC Kontakt own');
    }
  });

  it('a consent the jobcentre records naming AAU opens the jobcentre’s records to AAU only', async () => {
    const cvr = companies[1]!;
    const engagement = await createEngagement(api.jobcentre, { companyCvr: cvr, description: 'JC-FORLOEB-named' });
    await recordConsent(api.jobcentre, cvr, { scope: 'named', organisationIds: [org.aau] });
    expect((await everything(api.aau, cvr, engagement.id)).body).toContain('JC-FORLOEB-named');
    for (const who of ['akasse', 'hub', 'lbs'] as const) expect((await everything(api[who], cvr, engagement.id)).engagementStatus, who).toBe(404);
    // AAU's own records are not opened by the jobcentre's consent.
    const aauEngagement = await createEngagement(api.aau, { companyCvr: cvr, description: 'AAU-FORLOEB-named' });
    expect((await api.jobcentre.get(`/engagements/${aauEngagement.id}`)).statusCode).toBe(404);
  });

  it('a partner reads another organisation’s records only under that organisation’s consent, like everyone else', async () => {
    const cvr = companies[2]!;
    const hubEngagement = await createEngagement(api.hub, { companyCvr: cvr, description: 'HUB-FORLOEB-partner' });
    expect((await api.akasse.get(`/engagements/${hubEngagement.id}`)).statusCode).toBe(404);
    // A consent the partner records itself opens nothing of the hub's.
    await recordConsent(api.akasse, cvr, { scope: 'all' });
    expect((await everything(api.akasse, cvr, hubEngagement.id)).body).not.toContain('HUB-FORLOEB-partner');
    await recordConsent(api.hub, cvr, { scope: 'named', organisationIds: [org.akasse] });
    expect((await everything(api.akasse, cvr, hubEngagement.id)).body).toContain('HUB-FORLOEB-partner');
    expect((await api.aau.get(`/engagements/${hubEngagement.id}`)).statusCode).toBe(404);
  });

  it('a partner may not change another organisation’s engagement even when it may read it', async () => {
    const cvr = companies[3]!;
    const hubEngagement = await createEngagement(api.hub, { companyCvr: cvr, description: 'HUB-FORLOEB-change' });
    await recordConsent(api.hub, cvr, { scope: 'named', organisationIds: [org.jobcentre] });
    const { version } = expectStatus(await api.jobcentre.get(`/engagements/${hubEngagement.id}`), 200) as { version: number };
    const before = await snapshot(t.database, CRM_TABLES);
    expect((await api.jobcentre.patch(`/engagements/${hubEngagement.id}`, { description: 'overtaget', version })).statusCode).toBe(403);
    expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
  });

  it('a jobcentre reader writes nothing', async () => {
    const before = await snapshot(t.database, CRM_TABLES);
    expect((await api.jobcentreReader.post('/engagements', { companyCvr: companies[4], level: 'basic', description: 'må ikke' })).statusCode).toBe(403);
    expect((await api.jobcentreReader.post(`/companies/${companies[4]}/consents`, { purpose: 'sharing', scope: 'all', channel: 'meeting', givenByName: 'X' })).statusCode).toBe(403);
    expect(await snapshot(t.database, CRM_TABLES)).toEqual(before);
  });

  it('receives a referral from the local business service, and answers it', async () => {
    const cvr = companies[5]!;
    const engagement = await createEngagement(api.lbs, { companyCvr: cvr, description: 'LBS-FORLOEB-ref' });
    const receivers = expectStatus(await api.lbs.get(`/referrals/receivers?engagementId=${engagement.id}`), 200) as { items: { id: string }[] };
    for (const partner of [org.jobcentre, org.aau, org.akasse, org.cluster]) expect(receivers.items.map((r) => r.id)).toContain(partner);
    const referral = expectStatus(
      await api.lbs.post(`/engagements/${engagement.id}/referrals`, { toOrganisationId: org.jobcentre, reason: 'Søger en akademiker', needs: 'Kandidat med data science', consent: { givenByName: 'Direktør Holm', channel: 'phone' } }),
      201,
    ) as { id: string; version: number };
    const answer = { version: referral.version };
    // The receiver reads the engagement under the consent recorded with the referral; AAU does not.
    expect((await api.jobcentre.get(`/engagements/${engagement.id}`)).statusCode).toBe(200);
    expect((await api.aau.get(`/engagements/${engagement.id}`)).statusCode).toBe(404);
    expect((await api.aau.post(`/referrals/${referral.id}/receive`, answer)).statusCode).toBe(404);
    expect((await api.jobcentreReader.post(`/referrals/${referral.id}/receive`, answer)).statusCode).toBe(403);
    expect(expectStatus(await api.jobcentre.post(`/referrals/${referral.id}/receive`, answer), 200)).toMatchObject({ status: 'received' });
  });

  it('audits what a partner does, under its own organisation', async () => {
    const cvr = companies[0]!;
    const rows = await t.database.rows<{ action: string; entity: string; organisation_id: string }>(sql`
      SELECT l.action, l.entity, u.organisation_id FROM audit_log l JOIN users u ON u.id = l.user_id
      WHERE u.email = 'adviser@jobcenter-aalborg.dk' AND l.company_cvr = ${cvr}`);
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'create', entity: 'engagement', organisation_id: org.jobcentre })]));
  });

  it('reaches no guidance request, runs no offers and imports no contracts: the session says so and the server refuses', async () => {
    for (const who of ['jobcentre', 'aau', 'akasse'] as const) {
      const session = expectStatus(await api[who].get('/auth/session'), 200) as { abilities: { sections: Record<string, boolean>; create: Record<string, boolean> } };
      expect(session.abilities.sections.leads, who).toBe(false);
      expect(session.abilities.sections.offers, who).toBe(false);
      expect(session.abilities.create).toMatchObject({ engagement: true, consent: true, offer: false, contract: false });
      expect((await api[who].get('/guidance-requests')).statusCode, who).toBe(403);
    }
    const hubSession = expectStatus(await api.hub.get('/auth/session'), 200) as { abilities: { sections: Record<string, boolean> } };
    expect(hubSession.abilities.sections.leads).toBe(true);
  });
});
