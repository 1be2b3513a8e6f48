import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, expectStatus, longSessions, type Api } from '../../test/crm-fixtures.ts';
import { deadlineText } from '../../lib/working-days.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

/** A request's (lead's) way through the adviser's day: the mail, the detail, the list, closing, and what is made from it. */
describe('Henvendelser: the adviser handles a request', () => {
  let t: TestContext;
  let api: Record<'adviser' | 'ew' | 'manager' | 'reader' | 'hub' | 'aabenraa' | 'fyn' | 'kkr', Api>;
  let cvrs: string[];
  let aabenraaCvr: string;
  let keyNo = 0;

  const submit = async (body: object): Promise<string> => {
    // A minute apart, so that "received" has an order.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/public/guidance-requests', headers: { 'idempotency-key': `leads-test-${++keyNo}` }, payload: body });
    return expectStatus(response, 201).id;
  };
  const request = (over: object = {}) => ({
    cvr: cvrs[0], contact: { name: 'Anna Ejer', email: 'anna@firma.dk', phone: '+45 20 30 40 50' }, need: 'Vi vil gerne eksportere til Tyskland.', themes: ['export'],
    consents: { sharing: false, evaluation: false }, ...over,
  });
  const noCvr = (over: object = {}) => request({ cvr: undefined, noCvr: true, companyName: 'Idé til café', municipalityCode: 540, ...over });
  const mails = (leadId: string) =>
    t.database.rows<{ to: string; subject: string; text: string }>(sql`SELECT "to", subject, text FROM mail_outbox WHERE dedupe_key LIKE ${`guidance.new:${leadId}:%`} ORDER BY "to"`);
  const leadRow = async (id: string) =>
    (await t.database.rows<{ status: string; version: number; outcome: string | null; engagement_id: string | null; prospect_id: string | null }>(sql`
      SELECT status, version, outcome, engagement_id, prospect_id FROM guidance_requests WHERE id = ${id}`))[0]!;
  const setStatus = (as: Api, id: string, body: object) => as.post(`/guidance-requests/${id}/status`, body);

  beforeAll(async () => {
    t = await createTestApp({ ...longSessions, publicRateLimit: 10_000 });
    const companies = generateCompanies(1000, 7);
    await upsertCompanies(t.database, companies);
    cvrs = await companiesIn(t.database, 540);
    aabenraaCvr = (await companiesIn(t.database, 580))[0]!;
    const users = [
      ['adviser@sonderborg.dk', 'adviser', orgKeys.sonderborg, false],
      ['ew@sonderborg.dk', 'adviser', orgKeys.sonderborg, true],
      ['manager@sonderborg.dk', 'manager', orgKeys.sonderborg, false],
      ['optin-manager@sonderborg.dk', 'manager', orgKeys.sonderborg, false],
      ['optout-adviser@sonderborg.dk', 'adviser', orgKeys.sonderborg, false],
      ['reader@sonderborg.dk', 'reader', orgKeys.sonderborg, false],
      ['adviser@sydjylland.dk', 'adviser', orgKeys.sydjylland, false],
      ['adviser@aabenraa.dk', 'adviser', orgKeys.aabenraa, false],
      ['adviser@fyn.dk', 'adviser', orgKeys.fyn, false],
      ['reader@kkr.dk', 'reader', orgKeys.kkrSyddanmark, false],
    ] as const;
    for (const [email, role, org, earlyWarning] of users) await createUser(t.database, { email, role, org, earlyWarning });
    await t.database.db.execute(sql`UPDATE users SET notify_leads = true WHERE email = 'optin-manager@sonderborg.dk'`);
    await t.database.db.execute(sql`UPDATE users SET notify_leads = false WHERE email = 'optout-adviser@sonderborg.dk'`);
    const as = async (email: string) => apiAs(t, await login(t.app, email));
    api = {
      adviser: await as('adviser@sonderborg.dk'), ew: await as('ew@sonderborg.dk'), manager: await as('manager@sonderborg.dk'), reader: await as('reader@sonderborg.dk'),
      hub: await as('adviser@sydjylland.dk'), aabenraa: await as('adviser@aabenraa.dk'), fyn: await as('adviser@fyn.dk'), kkr: await as('reader@kkr.dk'),
    };
  });
  afterAll(() => t.close());

  describe('the mail about a new request', () => {
    it('goes to the receiving service’s advisers, and to others only by their own choice, with the link that opens the request', async () => {
      const id = await submit(request({ need: `Vi vil gerne eksportere til Tyskland. ${'Mere om det. '.repeat(40)}` }));
      const queued = await mails(id);
      // Not the EW adviser, not the manager (unless chosen), not the adviser who opted out, not the hub, not another municipality.
      expect(queued.map((m) => m.to)).toEqual(['adviser@sonderborg.dk', 'optin-manager@sonderborg.dk']);
      const { dueOn } = expectStatus(await api.adviser.get(`/guidance-requests/${id}`), 200);
      const name = (await t.database.rows<{ name: string }>(sql`SELECT name FROM companies WHERE cvr = ${cvrs[0]!}`))[0]!.name;
      for (const mail of queued) {
        expect(mail.subject).toContain(name);
        expect(mail.text).toContain(`${name} (CVR ${cvrs[0]})`);
        expect(mail.text).toContain(`Svarfrist: senest ${deadlineText(dueOn, 'da')}`);
        expect(mail.text).toContain(`Reply by: ${deadlineText(dueOn, 'en')}`);
        expect(mail.text).toContain(`Åbn henvendelsen i Knudepunkt: ${t.config.publicUrl}/henvendelser/${id}\n`);
        // The need, shortened: the mail does not carry the whole text.
        expect(mail.text).toContain('Behov: Vi vil gerne eksportere til Tyskland.');
        expect(mail.text).toMatch(/Behov: [^\n]{1,200}…\n/);
      }
    });

    it('names the planned business, or else the person, when there is no CVR number', async () => {
      const planned = await submit(noCvr());
      expect((await mails(planned))[0]!.text).toContain('Idé til café (uden CVR-nummer)');
      const person = await submit(noCvr({ companyName: undefined }));
      expect((await mails(person))[0]!.subject).toContain('Anna Ejer');
    });

    it('goes to the other municipality’s advisers for a request there, and to no one in Sønderborg', async () => {
      const id = await submit(request({ cvr: aabenraaCvr }));
      expect((await mails(id)).map((m) => m.to)).toEqual(['adviser@aabenraa.dk']);
    });
  });

  describe('the detail view', () => {
    it('shows the request to its service and hub, audits the read, and is missing for everyone else', async () => {
      const id = await submit(request({ consents: { sharing: true, evaluation: false } }));
      const lead = expectStatus(await api.adviser.get(`/guidance-requests/${id}`), 200);
      expect(lead).toMatchObject({ id, status: 'new', contact: { name: 'Anna Ejer', email: 'anna@firma.dk' }, consents: { sharing: true, awaitingConfirmation: true }, outcome: null, engagement: null, prospect: null });
      expect(lead.abilities).toEqual({ handle: true, confirmConsents: true, createEngagement: true, createProspect: false });
      expectStatus(await api.hub.get(`/guidance-requests/${id}`), 200);
      const reads = `audit_log WHERE entity = 'guidance_request' AND action = 'read' AND entity_id = '${id}'`;
      expect(await count(t.database, reads)).toBe(2);
      // The hub read the service's lead: the service sees that in its audit view.
      expect(await count(t.database, `${reads} AND holder_organisation_ids IS NOT NULL`)).toBe(1);

      expectStatus(await api.aabenraa.get(`/guidance-requests/${id}`), 404);
      expectStatus(await api.fyn.get(`/guidance-requests/${id}`), 404);
      expectStatus(await api.kkr.get(`/guidance-requests/${id}`), 403);
      expectStatus(await api.adviser.get('/guidance-requests/00000000-0000-4000-8000-000000000000'), 404);
      expect(await count(t.database, reads)).toBe(2);
      // A reader sees it, but may do nothing with it.
      expect(expectStatus(await api.reader.get(`/guidance-requests/${id}`), 200).abilities).toEqual({ handle: false, confirmConsents: false, createEngagement: false, createProspect: false });
    });
  });

  describe('the list', () => {
    let ids: Record<'late' | 'zulu' | 'alpha' | 'taken' | 'aabenraa', string>;
    const list = async (as: Api, query: string) => expectStatus(await as.get(`/guidance-requests?pageSize=100&${query}`), 200) as { items: { id: string; dueOn: string; status: string; companyName: string | null }[]; municipalities: { code: number }[] };
    const ours = (items: { id: string }[]) => items.map((l) => l.id).filter((id) => Object.values(ids).includes(id));

    beforeAll(async () => {
      ids = {
        late: await submit(noCvr({ companyName: 'Mellem ApS', themes: ['financing'] })),
        zulu: await submit(noCvr({ companyName: 'zulu idé' })),
        alpha: await submit(noCvr({ companyName: 'Alfa idé', themes: ['financing', 'export'] })),
        taken: await submit(noCvr({ companyName: 'Bravo idé' })),
        aabenraa: await submit(noCvr({ companyName: 'Aabenraa idé', municipalityCode: 580 })),
      };
      await t.database.db.execute(sql`UPDATE guidance_requests SET due_on = '2020-01-02' WHERE id = ${ids.late}`);
      expectStatus(await setStatus(api.adviser, ids.taken, { status: 'in_progress', version: 1 }), 200);
    });

    it('sorts on the server by deadline, company, received and status, both ways', async () => {
      const byCompany = ours((await list(api.hub, 'sort=company')).items);
      expect(byCompany).toEqual([ids.aabenraa, ids.alpha, ids.taken, ids.late, ids.zulu]);
      expect(ours((await list(api.hub, 'sort=company&dir=desc')).items)).toEqual([...byCompany].reverse());
      expect(ours((await list(api.hub, 'sort=deadline')).items)[0]).toBe(ids.late);
      expect(ours((await list(api.hub, 'sort=deadline&dir=desc')).items).at(-1)).toBe(ids.late);
      expect(ours((await list(api.hub, 'sort=received')).items)).toEqual([ids.aabenraa, ids.taken, ids.alpha, ids.zulu, ids.late]);
      expect(ours((await list(api.hub, 'sort=received&dir=asc')).items)).toEqual([ids.late, ids.zulu, ids.alpha, ids.taken, ids.aabenraa]);
      const byStatus = (await list(api.hub, 'sort=status')).items.map((l) => l.status);
      expect(byStatus).toEqual([...byStatus].sort((a, b) => ['new', 'in_progress', 'closed'].indexOf(a) - ['new', 'in_progress', 'closed'].indexOf(b)));
      expect(byStatus).toContain('in_progress');
      expectStatus(await api.hub.get('/guidance-requests?sort=name'), 400);
      expectStatus(await api.hub.get('/guidance-requests?dir=up'), 400);
    });

    it('filters by status, overdue, municipality and theme, and offers the municipalities the caller’s leads come from', async () => {
      expect(ours((await list(api.hub, 'overdue=true')).items)).toEqual([ids.late]);
      expect(ours((await list(api.hub, 'overdue=false')).items)).not.toContain(ids.late);
      expect(ours((await list(api.hub, 'status=in_progress')).items)).toEqual([ids.taken]);
      expect(ours((await list(api.hub, 'municipality=580')).items)).toEqual([ids.aabenraa]);
      expect(ours((await list(api.hub, 'theme=financing&sort=company')).items)).toEqual([ids.alpha, ids.late]);
      expect(ours((await list(api.hub, 'theme=financing&overdue=true')).items)).toEqual([ids.late]);
      expect((await list(api.hub, '')).municipalities.map((m) => m.code).sort()).toEqual([540, 580]);
      // The service sees its own municipality's leads only, whatever it filters by.
      expect((await list(api.adviser, '')).municipalities.map((m) => m.code)).toEqual([540]);
      expect(ours((await list(api.adviser, 'municipality=580')).items)).toEqual([]);
      expectStatus(await api.hub.get('/guidance-requests?theme=astrology'), 400);
      expectStatus(await api.hub.get('/guidance-requests?municipality=99999999999'), 400);
    });

    it('keeps paging in the chosen order', async () => {
      const all = (await list(api.hub, 'sort=company')).items.map((l) => l.id);
      const paged: string[] = [];
      for (let page = 1; ; page++) {
        const body = expectStatus(await api.hub.get(`/guidance-requests?sort=company&pageSize=2&page=${page}`), 200);
        paged.push(...body.items.map((l: { id: string }) => l.id));
        if (!body.hasMore) break;
      }
      expect(paged).toEqual(all);
    });
  });

  describe('closing and reopening', () => {
    it('needs an outcome to close; a closed request is reopened (in progress, outcome cleared); a stale version changes nothing', async () => {
      const id = await submit(request());
      const missing = expectStatus(await setStatus(api.adviser, id, { status: 'closed', version: 1 }), 400);
      expect(missing.errors.map((e: { field: string }) => e.field)).toEqual(['outcome']);
      expectStatus(await setStatus(api.adviser, id, { status: 'closed', outcome: '   ', version: 1 }), 400);
      expect(await leadRow(id)).toMatchObject({ status: 'new', version: 1 });

      expectStatus(await setStatus(api.aabenraa, id, { status: 'closed', outcome: 'Ikke jeres', version: 1 }), 404);
      expectStatus(await setStatus(api.reader, id, { status: 'closed', outcome: 'Læser', version: 1 }), 403);
      const closed = expectStatus(await setStatus(api.adviser, id, { status: 'closed', outcome: 'Henvist til eksportrådgiver.', version: 1 }), 200);
      expect(closed).toMatchObject({ status: 'closed', outcome: 'Henvist til eksportrådgiver.', version: 2 });
      expect(closed.abilities.createEngagement).toBe(false);

      expectStatus(await setStatus(api.hub, id, { status: 'in_progress', version: 1 }), 409);
      expectStatus(await setStatus(api.hub, id, { status: 'closed', outcome: 'Igen', version: 2 }), 409);
      const reopened = expectStatus(await setStatus(api.hub, id, { status: 'in_progress', version: 2 }), 200);
      expect(reopened).toMatchObject({ status: 'in_progress', outcome: null, version: 3, handledBy: { name: 'adviser' } });
      // Taking it again is no move at all.
      expectStatus(await setStatus(api.hub, id, { status: 'in_progress', version: 3 }), 409);
      expect(await leadRow(id)).toMatchObject({ status: 'in_progress', version: 3 });
      expect(await count(t.database, `audit_log WHERE entity = 'guidance_request' AND entity_id = '${id}' AND action = 'update'`)).toBe(2);
    });
  });

  describe('"Opret forløb" from a request', () => {
    const engagements = () => count(t.database, 'engagements');

    it('opens the engagement for the request’s company, links it and takes the request, in one go', async () => {
      const id = await submit(request({ cvr: cvrs[1] }));
      const engagement = expectStatus(
        await api.adviser.post('/engagements', { companyCvr: cvrs[1], level: 'basic', themes: ['export'], description: 'Vi vil gerne eksportere til Tyskland.', guidanceRequestId: id }),
        201,
      );
      expect(await leadRow(id)).toMatchObject({ status: 'in_progress', version: 2, engagement_id: engagement.id });
      const lead = expectStatus(await api.adviser.get(`/guidance-requests/${id}`), 200);
      expect(lead.engagement).toEqual({ id: engagement.id });
      expect(lead.abilities.createEngagement).toBe(false);
      // Once is enough: a second engagement from the same request is refused, and none is made.
      const before = await engagements();
      expectStatus(await api.adviser.post('/engagements', { companyCvr: cvrs[1], level: 'basic', guidanceRequestId: id }), 409);
      expect(await engagements()).toBe(before);
    });

    it('keeps a request in progress as it is, only linking it', async () => {
      const id = await submit(request({ cvr: cvrs[2] }));
      expectStatus(await setStatus(api.adviser, id, { status: 'in_progress', version: 1 }), 200);
      const engagement = expectStatus(await api.hub.post('/engagements', { companyCvr: cvrs[2], level: 'specialised', guidanceRequestId: id }), 201);
      expect(await leadRow(id)).toMatchObject({ status: 'in_progress', engagement_id: engagement.id });
    });

    it('refuses another organisation’s request, another company, a closed request and a reader, creating nothing', async () => {
      const id = await submit(request({ cvr: cvrs[3] }));
      const before = await engagements();
      const foreign = expectStatus(await api.aabenraa.post('/engagements', { companyCvr: cvrs[3], level: 'basic', guidanceRequestId: id }), 400);
      expect(foreign.errors.map((e: { field: string }) => e.field)).toEqual(['guidanceRequestId']);
      expectStatus(await api.fyn.post('/engagements', { companyCvr: cvrs[3], level: 'basic', guidanceRequestId: id }), 400);
      const other = expectStatus(await api.adviser.post('/engagements', { companyCvr: cvrs[4], level: 'basic', guidanceRequestId: id }), 400);
      expect(other.errors.map((e: { field: string }) => e.field)).toEqual(['companyCvr']);
      expectStatus(await api.reader.post('/engagements', { companyCvr: cvrs[3], level: 'basic', guidanceRequestId: id }), 403);
      expectStatus(await setStatus(api.adviser, id, { status: 'closed', outcome: 'Ikke relevant', version: 1 }), 200);
      expectStatus(await api.adviser.post('/engagements', { companyCvr: cvrs[3], level: 'basic', guidanceRequestId: id }), 409);
      expect(await engagements()).toBe(before);
      expect(await leadRow(id)).toMatchObject({ status: 'closed', engagement_id: null });
    });

    it('does not show an Early Warning engagement through the request to those who may not see it', async () => {
      const id = await submit(request({ cvr: cvrs[5] }));
      const ew = expectStatus(await api.ew.post('/engagements', { companyCvr: cvrs[5], level: 'basic', confidential: true, guidanceRequestId: id }), 201);
      expect(expectStatus(await api.ew.get(`/guidance-requests/${id}`), 200).engagement).toEqual({ id: ew.id });
      expect(expectStatus(await api.adviser.get(`/guidance-requests/${id}`), 200).engagement).toBeNull();
      expect(expectStatus(await api.hub.get(`/guidance-requests/${id}`), 200).engagement).toBeNull();
      // Still linked: no second engagement from it.
      expectStatus(await api.adviser.post('/engagements', { companyCvr: cvrs[5], level: 'basic', guidanceRequestId: id }), 409);
    });
  });

  describe('"Opret som iværksætter" from a request without CVR', () => {
    it('records the prospect with its municipality, need and contact, links it and takes the request; then an engagement for it', async () => {
      const id = await submit(noCvr({ companyName: 'Kaffebaren', need: 'Jeg vil åbne en kaffebar.' }));
      expectStatus(await api.aabenraa.post(`/guidance-requests/${id}/prospect`), 404);
      expectStatus(await api.reader.post(`/guidance-requests/${id}/prospect`), 403);
      expectStatus(await api.kkr.post(`/guidance-requests/${id}/prospect`), 403);
      expect(expectStatus(await api.adviser.get(`/guidance-requests/${id}`), 200).abilities).toMatchObject({ createEngagement: false, createProspect: true });

      const lead = expectStatus(await api.adviser.post(`/guidance-requests/${id}/prospect`), 201);
      expect(lead).toMatchObject({ status: 'in_progress', prospect: { personName: 'Anna Ejer' } });
      expect(lead.abilities).toMatchObject({ createEngagement: true, createProspect: false });
      const prospect = expectStatus(await api.adviser.get('/prospects'), 200).items.find((p: { id: string }) => p.id === lead.prospect.id);
      expect(prospect).toMatchObject({ personName: 'Anna Ejer', plannedName: 'Kaffebaren', municipality: { code: 540 }, description: 'Jeg vil åbne en kaffebar.' });
      const [contact] = expectStatus(await api.adviser.get(`/prospects/${lead.prospect.id}/contacts`), 200).items;
      expect(contact).toMatchObject({ name: 'Anna Ejer', email: 'anna@firma.dk', phone: '+45 20 30 40 50' });
      // Once only.
      expectStatus(await api.adviser.post(`/guidance-requests/${id}/prospect`), 409);

      const engagement = expectStatus(await api.adviser.post('/engagements', { prospectId: lead.prospect.id, level: 'basic', guidanceRequestId: id }), 201);
      expect(await leadRow(id)).toMatchObject({ status: 'in_progress', prospect_id: lead.prospect.id, engagement_id: engagement.id });
    });

    it('refuses a request with a CVR number, and a closed one', async () => {
      const withCvr = await submit(request());
      expectStatus(await api.adviser.post(`/guidance-requests/${withCvr}/prospect`), 409);
      const closed = await submit(noCvr());
      expectStatus(await setStatus(api.adviser, closed, { status: 'closed', outcome: 'Ikke aktuelt', version: 1 }), 200);
      const before = await count(t.database, 'prospects');
      expectStatus(await api.adviser.post(`/guidance-requests/${closed}/prospect`), 409);
      expect(await count(t.database, 'prospects')).toBe(before);
    });
  });
});
