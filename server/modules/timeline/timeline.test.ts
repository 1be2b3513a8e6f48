/**
 * The company timeline: items as data (no Danish titles, no raw status codes for the web to show),
 * worded by the web in both languages, and — as an attacker — who sees the company's request, its
 * self-assessment and its consents.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, createActivity, createEngagement, cvrFixture, earlyWarningCategory, expectStatus, longSessions, organisationIds, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { referrals } from '../referrals/schema.ts';
import { activityTypes } from '../activities/schema.ts';
import { consentChannels, consentPurposes } from '../consents/schema.ts';
import { engagementLevels } from '../engagements/schema.ts';
import { leadStatuses } from '../guidance/schema.ts';
import { selfAssessmentKeys, selfAssessmentLevels } from '../offers/self-assessment.ts';
import { referralStatuses } from '../referrals/schema.ts';
import { timelineItemSchema, type TimelineItem } from './schemas.ts';
import { da, en } from '../../../web/src/messages.ts';
import { registerMessages, translate } from '../../../web/src/shared/i18n.tsx';
import { timelineRow } from '../../../web/src/modules/companies/timelineText.ts';

// The app registers its dictionaries per bundle (public, back office, English on demand); here all of them.
registerMessages('da', da);
registerMessages('en', en);

type Role = 'sonderborg' | 'sonderborgEw' | 'aabenraa' | 'hub' | 'hubEw' | 'fyn' | 'kkr';
const NEED = 'Vi vil gerne eksportere til Tyskland – HEMMELIGT-BEHOV';

describe('the company timeline', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<Role, Api>;
  let org: Record<'sonderborg' | 'aabenraa' | 'hub' | 'fyn', string>;
  let cvrs: string[];
  let requestCvr: string;
  let requestId: string;

  const timeline = async (as: Role, cvr: string): Promise<TimelineItem[]> => expectStatus(await api[as].get(`/companies/${cvr}/timeline`), 200).items;
  const kinds = (items: TimelineItem[]) => [...new Set(items.map((i) => i.kind))].sort();

  const submitRequest = (cvr: string, key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/public/guidance-requests',
      headers: { 'idempotency-key': key },
      payload: {
        cvr,
        contact: { name: 'Anna Ejer', email: 'anna@firma.dk' },
        need: NEED,
        themes: ['export'],
        consents: { sharing: true, evaluation: true },
        selfAssessment: { key: 'export', answers: { e1: 3, e2: 2, e3: 2, e4: 1, e5: 0 } },
      },
    });

  beforeAll(async () => {
    t = await createTestApp({ ...longSessions, publicRateLimit: 10_000 });
    await importCvrFile(t.database, cvrFixture);
    const companies = generateCompanies(1000, 12);
    await upsertCompanies(t.database, companies);
    cvrs = companies.filter((c) => c.municipality_code === 540).map((c) => c.cvr);
    org = (await organisationIds(t.database, { sonderborg: orgKeys.sonderborg, aabenraa: orgKeys.aabenraa, hub: orgKeys.sydjylland, fyn: orgKeys.fyn })) as typeof org;
    const users: [Role, string, string, boolean, 'adviser' | 'reader'][] = [
      ['sonderborg', 'a@sonderborg.dk', orgKeys.sonderborg, false, 'adviser'],
      ['sonderborgEw', 'ew@sonderborg.dk', orgKeys.sonderborg, true, 'adviser'],
      ['aabenraa', 'a@aabenraa.dk', orgKeys.aabenraa, false, 'adviser'],
      ['hub', 'a@syd.dk', orgKeys.sydjylland, false, 'adviser'],
      ['hubEw', 'ew@syd.dk', orgKeys.sydjylland, true, 'adviser'],
      ['fyn', 'a@fyn.dk', orgKeys.fyn, false, 'adviser'],
      ['kkr', 'r@kkr.dk', orgKeys.kkrSyddanmark, false, 'reader'],
    ];
    for (const [role, email, key, earlyWarning, r] of users) {
      await createUser(t.database, { email, role: r, org: key, earlyWarning });
      api[role] = apiAs(t, await login(t.app, email));
    }
    requestCvr = cvrs[1]!;
    const submitted = await submitRequest(requestCvr, 'timeline-request-1');
    expect(submitted.statusCode, submitted.body).toBe(201);
    requestId = submitted.json().id;
  });

  describe('shape: data for the web to word, not Danish text', () => {
    let cvr: string;
    let engagementId: string;
    let referralId: string;
    let categoryName: string;

    beforeAll(async () => {
      cvr = cvrs[0]!;
      const hubCategories = expectStatus(await api.hub.get(`/organisations/${org.hub}/delivery-categories`), 200).items as { id: string; name: string; confidential: boolean }[];
      const category = hubCategories.find((c) => !c.confidential)!;
      categoryName = category.name;
      const engagement = await createEngagement(api.hub, { companyCvr: cvr, level: 'specialised', description: 'Vækstplan', deliveryCategoryId: category.id });
      engagementId = engagement.id;
      await createActivity(api.hub, engagementId, { subject: 'Første møde', notes: 'Gode noter' });
      expectStatus(await api.hub.post(`/engagements/${engagementId}/close`, { version: engagement.version, outcome: 'Planen er lagt' }), 200);
      const consent = await recordConsent(api.hub, cvr, { scope: 'named', organisationIds: [org.sonderborg] });
      const [hubUser] = await t.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'a@syd.dk'`);
      const [row] = await t.database.db
        .insert(referrals)
        .values({ engagementId, companyCvr: cvr, fromOrganisationId: org.hub, toOrganisationId: org.sonderborg, reason: 'Lokalt netværk', needs: 'Kontakt', consentId: consent.id, status: 'completed', dueOn: '2026-12-01', sentBy: hubUser!.id, sentAt: t.clock.now })
        .returning({ id: referrals.id });
      referralId = row!.id;
    });

    it('sends each kind as structured data that the response schema accepts', async () => {
      const response = await api.hub.get(`/companies/${cvr}/timeline`);
      const items = expectStatus(response, 200).items as TimelineItem[];
      for (const item of items) expect(timelineItemSchema.safeParse(item).success, JSON.stringify(item)).toBe(true);
      expect(items.find((i) => i.kind === 'engagement')).toEqual({
        kind: 'engagement', id: engagementId, date: expect.any(String), organisation: { id: org.hub, name: 'Erhvervshus Sydjylland' }, engagementId,
        level: 'specialised', closed: true, deliveryCategory: categoryName, description: 'Vækstplan',
      });
      expect(items.find((i) => i.kind === 'activity')).toMatchObject({ activityType: 'meeting', subject: 'Første møde', notes: 'Gode noter', engagementId });
      expect(items.find((i) => i.kind === 'referral')).toMatchObject({
        id: referralId, status: 'completed', to: { id: org.sonderborg, name: 'Erhvervsservice Sønderborg Kommune' }, organisation: { id: org.hub }, engagementId,
      });
      expect(items.find((i) => i.kind === 'consent')).toMatchObject({ event: 'given', purpose: 'sharing', channel: 'meeting', awaitingConfirmation: false, organisation: { id: org.hub }, engagementId: null });
      // No wording from the server: no Danish titles, no title/detail fields at all.
      expect(response.body).not.toMatch(/Specialiseret vejledning|Basal vejledning|\(lukket\)|Henvisning til/);
      for (const item of items) expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['title']));
    });

    it('words the items in Danish and in English, with no raw code left', async () => {
      const items = await timeline('hub', cvr);
      const tDa = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('da', key, params);
      const tEn = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);
      const engagement = items.find((i) => i.kind === 'engagement')!;
      expect(timelineRow(engagement, tDa)).toEqual({ kind: 'Forløb', organisation: 'Erhvervshus Sydjylland', title: `${categoryName} · Specialiseret vejledning (lukket)`, href: `/forloeb/${engagementId}`, detail: 'Vækstplan' });
      expect(timelineRow(engagement, tEn).title).toBe(`${categoryName} · Specialised guidance (closed)`);
      const referral = items.find((i) => i.kind === 'referral')!;
      expect(timelineRow(referral, tDa)).toMatchObject({ title: 'Henvisning til Erhvervsservice Sønderborg Kommune', detail: 'Status: Afsluttet' });
      expect(timelineRow(referral, tEn)).toMatchObject({ title: 'Referral to Erhvervsservice Sønderborg Kommune', detail: 'Status: Completed' });
      expect(timelineRow(items.find((i) => i.kind === 'activity')!, tEn).title).toBe('Meeting: Første møde');
      expect(timelineRow(items.find((i) => i.kind === 'consent')!, tEn)).toMatchObject({ kind: 'Consent', title: `Consent given: ${en['purpose.sharing']}`, detail: 'Channel: Meeting' });
      expect(timelineRow(items.find((i) => i.kind === 'consent')!, tDa)).toMatchObject({ kind: 'Samtykke', title: `Samtykke givet: ${da['purpose.sharing']}`, detail: 'Kanal: Møde' });
    });

    it('has a wording for every kind and every code, in both languages', () => {
      const base = { id: 'x', date: '2026-11-27', organisation: null, engagementId: null };
      const samples: TimelineItem[] = [
        ...engagementLevels.flatMap((level) => [true, false].map((closed) => ({ ...base, kind: 'engagement' as const, level, closed, deliveryCategory: null, description: null }))),
        ...activityTypes.map((activityType) => ({ ...base, kind: 'activity' as const, activityType, subject: 'S', notes: null })),
        ...referralStatuses.map((status) => ({ ...base, kind: 'referral' as const, to: { id: 'o', name: 'Org' }, status })),
        ...leadStatuses.map((status) => ({ ...base, kind: 'request' as const, status, need: 'N' })),
        ...selfAssessmentKeys.flatMap((questionnaire) => selfAssessmentLevels.map((level) => ({ ...base, kind: 'selfAssessment' as const, requestId: 'r', questionnaire, level, score: 1, maxScore: 15 }))),
        ...consentPurposes.flatMap((purpose) => consentChannels.flatMap((channel) => (['given', 'withdrawn'] as const).map((event) => ({ ...base, kind: 'consent' as const, event, purpose, channel, awaitingConfirmation: event === 'given' })))),
        { ...base, kind: 'surveyAnswer' as const, surveyId: 's', title: 'Samhandel med Tyskland' },
      ];
      // Codes that must never show as they are: the English codes in Danish text, the Danish level words in English text.
      const codes = { da: [...engagementLevels, ...activityTypes, ...referralStatuses, ...leadStatuses, ...consentPurposes, ...consentChannels], en: [...selfAssessmentLevels, 'in_progress'] };
      for (const lang of ['da', 'en'] as const) {
        const t = (key: keyof typeof da, params?: Record<string, string | number>) => {
          expect(lang === 'da' ? da[key] : en[key], `${lang}: ${key}`).toEqual(expect.any(String));
          return translate(lang, key, params);
        };
        for (const sample of samples) {
          const row = timelineRow(sample, t);
          for (const text of [row.kind, row.title, row.detail ?? '', row.organisation]) {
            expect(text).not.toMatch(/\{\w+\}|undefined/);
            // A code shown as it is would be a word of its own (e.g. "completed", "in_progress", "på vej").
            const words = ` ${text.split(/[\s:()·,–]+/).join(' ')} `;
            for (const code of codes[lang]) expect(words, `${lang} ${JSON.stringify(sample)}`).not.toContain(` ${code} `);
          }
          expect(row.organisation).toBe(lang === 'da' ? 'Virksomheden selv' : 'The company itself');
        }
      }
    });
  });

  describe('the request, its self-assessment and its consents', () => {
    it('shows the lead’s organisation and its hub the request with its need, the self-assessment and the consents awaiting confirmation', async () => {
      for (const role of ['sonderborg', 'hub', 'sonderborgEw', 'hubEw'] as const) {
        const items = await timeline(role, requestCvr);
        const request = items.find((i) => i.kind === 'request');
        expect(request, role).toMatchObject({ id: requestId, status: 'new', need: NEED, organisation: { id: org.sonderborg }, engagementId: null });
        expect(items.find((i) => i.kind === 'selfAssessment'), role).toMatchObject({ id: requestId, requestId, questionnaire: 'export', level: 'på vej', score: 8, maxScore: 15 });
        const consents = items.filter((i) => i.kind === 'consent');
        expect(consents.map((c) => c.kind === 'consent' && `${c.event}:${c.purpose}:${c.channel}:${c.awaitingConfirmation}`).sort(), role).toEqual(['given:evaluation:web:true', 'given:sharing:web:true']);
        // Newest first; on the same moment the request, then its self-assessment, then its consents.
        expect(items.map((i) => i.kind)).toEqual(['request', 'selfAssessment', 'consent', 'consent']);
      }
      const [row] = (await timeline('sonderborg', requestCvr)).filter((i) => i.kind === 'request');
      expect(timelineRow(row!, (k, p) => translate('da', k, p))).toMatchObject({ kind: 'Henvendelse', title: 'Henvendelse via Få vejledning (Ny)', href: `/henvendelser/${requestId}`, detail: NEED });
    });

    it.each(['aabenraa', 'fyn'] as const)('hides the request, its need, its self-assessment and the unconfirmed consents from another organisation (%s)', async (role) => {
      const response = await api[role].get(`/companies/${requestCvr}/timeline`);
      expect(expectStatus(response, 200).items).toEqual([]);
      expect(response.body).not.toContain('HEMMELIGT-BEHOV');
      expect(response.body).not.toContain(requestId);
    });

    it('refuses aggregate-only readers the timeline altogether', async () => {
      expect((await api.kkr.get(`/companies/${requestCvr}/timeline`)).statusCode).toBe(403);
    });

    it('shows a confirmed sharing consent to the organisations it covers, but still not the request', async () => {
      expectStatus(await api.sonderborg.post(`/guidance-requests/${requestId}/confirm-consents`), 200);
      const items = await timeline('aabenraa', requestCvr);
      expect(kinds(items)).toEqual(['consent']);
      expect(items).toEqual([expect.objectContaining({ kind: 'consent', event: 'given', purpose: 'sharing', awaitingConfirmation: false, organisation: { id: org.sonderborg, name: 'Erhvervsservice Sønderborg Kommune' } })]);
      // The evaluation consent lets only its recorder ask: nobody else learns of it.
      expect(JSON.stringify(items)).not.toMatch(/evaluation|HEMMELIGT-BEHOV/);
    });

    it('shows a withdrawal as an item of its own, by whom', async () => {
      const consents = expectStatus(await api.sonderborg.get(`/companies/${requestCvr}/consents`), 200).items as { id: string; purpose: string }[];
      const sharing = consents.find((c) => c.purpose === 'sharing')!;
      t.clock.now = new Date('2026-11-30T10:00:00Z');
      try {
        expectStatus(await api.hub.post(`/consents/${sharing.id}/withdraw`, {}), 200);
      } finally {
        t.clock.now = new Date('2026-11-27T09:00:00Z');
      }
      const items = await timeline('aabenraa', requestCvr);
      expect(items.map((i) => i.kind === 'consent' && `${i.event}:${i.date}:${i.organisation?.id}`)).toEqual([`withdrawn:2026-11-30:${org.hub}`, `given:2026-11-27:${org.sonderborg}`]);
    });

    it('links the request to the engagement opened from it only for those who may open that engagement', async () => {
      const ew = await createEngagement(api.sonderborgEw, { companyCvr: requestCvr, confidential: true, description: 'EW-FRA-HENVENDELSE' });
      await t.database.db.execute(sql`UPDATE guidance_requests SET engagement_id = ${ew.id}, status = 'in_progress' WHERE id = ${requestId}`);
      const forEw = (await timeline('sonderborgEw', requestCvr)).find((i) => i.kind === 'request');
      expect(forEw).toMatchObject({ status: 'in_progress', engagementId: ew.id });
      for (const role of ['sonderborg', 'hub', 'hubEw'] as const) {
        const response = await api[role].get(`/companies/${requestCvr}/timeline`);
        const items = expectStatus(response, 200).items as TimelineItem[];
        expect(items.find((i) => i.kind === 'request'), role).toMatchObject({ engagementId: null });
        expect(items.some((i) => i.kind === 'engagement'), role).toBe(false);
        expect(response.body).not.toContain(ew.id);
        expect(response.body).not.toContain('EW-FRA-HENVENDELSE');
      }
    });

    it('keeps Early Warning engagements and activities off everyone else’s timeline', async () => {
      const hubId = org.hub;
      const category = await earlyWarningCategory(api.hubEw, hubId);
      const ew = await createEngagement(api.hubEw, { companyCvr: requestCvr, deliveryCategoryId: category, description: 'EW-KRISE' });
      const activity = await createActivity(api.hubEw, ew.id, { subject: 'EW-MOEDE', notes: 'EW-NOTAT' });
      const own = await timeline('hubEw', requestCvr);
      expect(own.map((i) => i.id)).toEqual(expect.arrayContaining([ew.id, activity.id]));
      for (const role of ['hub', 'sonderborg', 'sonderborgEw', 'aabenraa', 'fyn'] as const) {
        const response = await api[role].get(`/companies/${requestCvr}/timeline`);
        expect(response.body).not.toMatch(/EW-KRISE|EW-MOEDE|EW-NOTAT/);
        expect(response.body).not.toContain(ew.id);
        expect(response.body).not.toContain(activity.id);
      }
    });
  });
});
