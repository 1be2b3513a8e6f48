/**
 * Closing an engagement: the preview of what closing does about the evaluation (GET
 * /engagements/:id/close-preview) says exactly what the closing then does — an invitation queued to
 * the named contact, or none and why —, for every reason, and only to those who may close it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, createContact, createEngagement, cvrFixture, earlyWarningCategory, expectStatus, longSessions, organisationIds, type Api, type EngagementBody } from '../../test/crm-fixtures.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import type { ClosePreview } from './schemas.ts';

type Role = 'hub' | 'hubEw' | 'hubReader' | 'sonderborg' | 'fyn' | 'kkr';

describe('closing an engagement: the evaluation invitation, previewed and done', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Role, Api>;
  let org: Record<'hub' | 'sonderborg', string>;
  let free: string[];
  const nextCvr = () => free.shift()!;

  const preview = async (as: Role, id: string): Promise<ClosePreview> => expectStatus(await api[as].get(`/engagements/${id}/close-preview`), 200);
  const invitationMails = (id: string) => count(t.database, `mail_outbox WHERE dedupe_key = 'evaluation.invite:${id}'`);
  const evaluationConsent = async (as: Role, cvr: string, contactId?: string) =>
    expectStatus(await api[as].post(`/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', givenByName: 'Eva Ejer', channel: 'meeting', ...(contactId ? { givenByContactId: contactId } : {}) }), 201) as { id: string };

  /** Previews, closes, and checks that the closing did what the preview said. */
  async function previewThenClose(as: Role, body: EngagementBody & { companyCvr?: string; prospectId?: string }) {
    const engagement = (expectStatus(await api[as].post('/engagements', { level: 'basic', ...body }), 201)) as { id: string; version: number };
    const before = await count(t.database, 'mail_outbox');
    const previewed = await preview(as, engagement.id);
    // The preview only reads: no invitation, no mail.
    expect(await count(t.database, 'mail_outbox')).toBe(before);
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(0);
    const closed = expectStatus(await api[as].post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Afsluttet med en plan' }), 200);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'Afsluttet med en plan' });
    const { willSend, reason } = previewed.evaluationInvitation;
    expect(closed.evaluationInvitation).toEqual({ sent: willSend, reason });
    expect(await invitationMails(engagement.id)).toBe(willSend ? 1 : 0);
    expect(await count(t.database, `evaluation_invitations WHERE engagement_id = '${engagement.id}'`)).toBe(willSend ? 1 : 0);
    return { id: engagement.id, preview: previewed.evaluationInvitation };
  }

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await importCvrFile(t.database, cvrFixture);
    const companies = generateCompanies(1000, 21);
    await upsertCompanies(t.database, companies);
    free = companies.map((c) => c.cvr);
    org = (await organisationIds(t.database, { hub: orgKeys.sydjylland, sonderborg: orgKeys.sonderborg })) as typeof org;
    const users: [Role, string, string, boolean, 'adviser' | 'reader'][] = [
      ['hub', 'a@syd.dk', orgKeys.sydjylland, false, 'adviser'],
      ['hubEw', 'ew@syd.dk', orgKeys.sydjylland, true, 'adviser'],
      ['hubReader', 'r@syd.dk', orgKeys.sydjylland, false, 'reader'],
      ['sonderborg', 'a@sonderborg.dk', orgKeys.sonderborg, false, 'adviser'],
      ['fyn', 'a@fyn.dk', orgKeys.fyn, false, 'adviser'],
      ['kkr', 'r@kkr.dk', orgKeys.kkrSyddanmark, false, 'reader'],
    ];
    for (const [role, email, key, earlyWarning, r] of users) {
      await createUser(t.database, { email, role: r, org: key, earlyWarning });
      api[role] = apiAs(t, await login(t.app, email));
    }
  });

  it('names the contact who consented, and closing queues the invitation to exactly them', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Første Kontakt', email: 'forste@firma.dk' });
    const consenting = await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('hub', cvr, consenting.id);
    const { id, preview: p } = await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' });
    expect(p).toEqual({ willSend: true, contact: { name: 'Eva Ejer', email: 'eva@firma.dk' }, reason: null });
    expect(await count(t.database, `mail_outbox WHERE dedupe_key = 'evaluation.invite:${id}' AND "to" = 'eva@firma.dk'`)).toBe(1);
    // Reading the contact's name and address is audited.
    expect(await count(t.database, `audit_log WHERE entity = 'engagement' AND entity_id = '${id}' AND action = 'read' AND details->>'closePreview' = 'true'`)).toBe(1);
  });

  it('says why none goes out for basic guidance', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('hub', cvr);
    expect((await previewThenClose('hub', { companyCvr: cvr, level: 'basic' })).preview).toEqual({ willSend: false, contact: null, reason: 'basic' });
  });

  it('says why none goes out without an evaluation consent', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    expect((await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' })).preview).toEqual({ willSend: false, contact: null, reason: 'noConsent' });
  });

  it('says why none goes out when the consent was withdrawn', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    const consent = await evaluationConsent('hub', cvr);
    expectStatus(await api.hub.post(`/consents/${consent.id}/withdraw`, {}), 200);
    expect((await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' })).preview.reason).toBe('noConsent');
  });

  it('says why none goes out when no contact of the hub has an e-mail address', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Uden Mail', phone: '12345678' });
    await evaluationConsent('hub', cvr);
    expect((await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' })).preview).toEqual({ willSend: false, contact: null, reason: 'noContactEmail' });
  });

  it('is not redirected by another organisation’s consent or contact (attacker: Sønderborg records both)', async () => {
    const cvr = nextCvr();
    const theirs = await createContact(api.sonderborg, cvr, { name: 'Angriber', email: 'angriber@evil.dk' });
    await evaluationConsent('sonderborg', cvr, theirs.id);
    const result = await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' });
    expect(result.preview.reason).toBe('noConsent');
    expect(JSON.stringify(result.preview)).not.toContain('angriber');
    // With the hub's own consent but only the other organisation's contact: still no address of the hub's own.
    const cvr2 = nextCvr();
    await createContact(api.sonderborg, cvr2, { name: 'Angriber', email: 'angriber@evil.dk' });
    await evaluationConsent('hub', cvr2);
    expect((await previewThenClose('hub', { companyCvr: cvr2, level: 'specialised' })).preview.reason).toBe('noContactEmail');
    expect(await count(t.database, `mail_outbox WHERE "to" = 'angriber@evil.dk'`)).toBe(0);
  });

  it('says that Early Warning (confidential) guidance is never evaluated', async () => {
    const cvr = nextCvr();
    await createContact(api.hubEw, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('hubEw', cvr);
    const category = await earlyWarningCategory(api.hubEw, org.hub);
    expect((await previewThenClose('hubEw', { companyCvr: cvr, level: 'specialised', deliveryCategoryId: category })).preview).toEqual({ willSend: false, contact: null, reason: 'confidential' });
  });

  it('says that only a business hub evaluates (a local business service’s specialised engagement)', async () => {
    const cvr = nextCvr();
    await createContact(api.sonderborg, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('sonderborg', cvr);
    expect((await previewThenClose('sonderborg', { companyCvr: cvr, level: 'specialised' })).preview.reason).toBe('notHub');
  });

  it('says that a prospect’s engagement has no company to ask', async () => {
    const prospect = expectStatus(await api.hub.post('/prospects', { personName: 'Ivan Iværksætter' }), 201) as { id: string };
    expect((await previewThenClose('hub', { prospectId: prospect.id, level: 'specialised' })).preview.reason).toBe('noCompany');
  });

  it('says that a hub inviting after the first meeting does not invite at closing', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('hub', cvr);
    await t.database.db.execute(sql`INSERT INTO evaluation_settings (organisation_id, trigger) VALUES (${org.hub}, 'first_meeting')`);
    try {
      expect((await previewThenClose('hub', { companyCvr: cvr, level: 'specialised' })).preview.reason).toBe('afterFirstMeeting');
    } finally {
      await t.database.db.execute(sql`DELETE FROM evaluation_settings WHERE organisation_id = ${org.hub}`);
    }
  });

  it('says that an engagement invited already is not invited twice', async () => {
    const cvr = nextCvr();
    await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
    await evaluationConsent('hub', cvr);
    const engagement = await createEngagement(api.hub, { companyCvr: cvr, level: 'specialised' });
    await t.database.db.execute(sql`
      INSERT INTO evaluation_invitations (engagement_id, company_cvr, organisation_id, email, token_hash, created_at, expires_at)
      VALUES (${engagement.id}, ${cvr}, ${org.hub}, 'eva@firma.dk', ${`hash-${engagement.id}`}, now(), now() + interval '30 days')`);
    expect((await preview('hub', engagement.id)).evaluationInvitation.reason).toBe('alreadyInvited');
    const closed = expectStatus(await api.hub.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Slut' }), 200);
    expect(closed.evaluationInvitation).toEqual({ sent: false, reason: 'alreadyInvited' });
    expect(await invitationMails(engagement.id)).toBe(0);
  });

  describe('who may ask (those who may close it: policy.crm.change, as the close route)', () => {
    let engagementId: string;
    let ewId: string;
    beforeAll(async () => {
      const cvr = nextCvr();
      await createContact(api.hub, cvr, { name: 'Eva Ejer', email: 'eva@firma.dk' });
      await evaluationConsent('hub', cvr);
      engagementId = (await createEngagement(api.hub, { companyCvr: cvr, level: 'specialised' })).id;
      ewId = (await createEngagement(api.hubEw, { companyCvr: cvr, level: 'specialised', confidential: true })).id;
      // Sønderborg may even see the engagement under a sharing consent: seeing is not closing.
      expectStatus(await api.hub.post(`/companies/${cvr}/consents`, { purpose: 'sharing', scope: 'named', organisationIds: [org.sonderborg], givenByName: 'Eva Ejer', channel: 'meeting' }), 201);
    });

    it.each([
      ['another organisation that can see it', 'sonderborg', 403],
      ['another organisation that cannot see it', 'fyn', 404],
      ['an aggregate-only reader', 'kkr', 404],
      ['a reader of the owning hub', 'hubReader', 403],
    ] as const)('refuses %s, naming no contact', async (_who, role, status) => {
      const response = await api[role].get(`/engagements/${engagementId}/close-preview`);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.body).not.toContain('eva@firma.dk');
    });

    it('answers an Early Warning engagement only to the EW team', async () => {
      expect((await api.hub.get(`/engagements/${ewId}/close-preview`)).statusCode).toBe(404);
      expect((await preview('hubEw', ewId)).evaluationInvitation.reason).toBe('confidential');
    });

    it('answers 409 for a closed engagement, and 404 for an unknown id', async () => {
      const engagement = await createEngagement(api.hub, { companyCvr: nextCvr(), level: 'basic' });
      expectStatus(await api.hub.post(`/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Slut' }), 200);
      expect((await api.hub.get(`/engagements/${engagement.id}/close-preview`)).statusCode).toBe(409);
      expect((await api.hub.get(`/engagements/${crypto.randomUUID()}/close-preview`)).statusCode).toBe(404);
    });
  });
});
