import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, type Session, type TestContext } from '../../test/helpers.ts';
import { generateCompanies } from '../demo/seed.ts';
import { upsertCompanies } from '../companies/service.ts';
import { readTemplate } from './service.ts';

const THIS_YEAR = '2026';

describe('performance contracts', () => {
  let t: TestContext;
  let manager: Session;
  let kkrReader: Session;
  let adviser: Session;
  let otherHub: Session;
  let contractId: string;
  afterAll(() => t.close());

  const api = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, payload: payload as object });

  /** Engagements and evaluation answers for the hub: NPS exactly 60 (10 answers) and an effect share of exactly 60 %. */
  async function seedData() {
    await upsertCompanies(t.database, generateCompanies(1200, 5));
    const { sql } = await import('drizzle-orm');
    const companies = await t.database.rows<{ cvr: string }>(sql`
      SELECT c.cvr FROM companies c JOIN municipalities m ON m.code = c.municipality_code JOIN organisations h ON h.id = m.hub_id
      WHERE h.key = 'hub:sydjylland' ORDER BY c.cvr LIMIT 10`);
    const categories = (await api(manager, 'GET', `/organisations/${(await api(manager, 'GET', '/auth/session')).json().user.organisation.id}/delivery-categories`)).json().items as { id: string; key: string }[];
    const vaekst = categories.find((c) => c.key === 'vaekst')!;
    const npsScores = [9, 9, 9, 9, 9, 9, 9, 8, 8, 3];
    const effects = ['i høj grad', 'i høj grad', 'i nogen grad', 'i nogen grad', 'i nogen grad', 'i høj grad', 'ved ikke', 'slet ikke', 'i lav grad', 'ved ikke'];
    for (let i = 0; i < 10; i++) {
      const cvr = companies[i]!.cvr;
      const contact = (await api(manager, 'POST', `/companies/${cvr}/contacts`, { name: `Kontakt ${i}`, email: `k${i}@firma.dk` })).json();
      await api(manager, 'POST', `/companies/${cvr}/consents`, { purpose: 'evaluation', scope: 'all', givenByContactId: contact.id, givenByName: `Kontakt ${i}`, channel: 'meeting' });
      const engagement = (await api(manager, 'POST', '/engagements', { companyCvr: cvr, level: 'specialised', deliveryCategoryId: vaekst.id, themes: ['growth'], openedOn: `${THIS_YEAR}-02-01` })).json();
      await api(manager, 'POST', `/engagements/${engagement.id}/close`, { version: engagement.version, outcome: 'Plan', closedOn: `${THIS_YEAR}-03-01` });
    }
    const tokens = await t.database.rows<{ id: string }>((await import('drizzle-orm')).sql`SELECT id FROM evaluation_invitations ORDER BY created_at`);
    const { invitationToken } = await import('../evaluations/invitations.ts');
    for (let i = 0; i < tokens.length; i++) {
      const token = await invitationToken(t.database.db, tokens[i]!.id);
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/public/evaluations/${token}`, payload: { nps: npsScores[i], effect: effects[i] } });
      expect(r.statusCode).toBe(201);
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimit: 10_000 });
    t.clock.now = new Date(`${THIS_YEAR}-06-30T10:00:00Z`);
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'kkr@test.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    await createUser(t.database, { email: 'adviser@syd.dk', role: 'adviser', org: orgKeys.sydjylland });
    await createUser(t.database, { email: 'direktor@fyn.dk', role: 'manager', org: orgKeys.fyn });
    manager = await login(t.app, 'direktor@syd.dk');
    kkrReader = await login(t.app, 'kkr@test.dk');
    adviser = await login(t.app, 'adviser@syd.dk');
    otherHub = await login(t.app, 'direktor@fyn.dk');
    await seedData();
  });

  it('imports the shipped template with all 12 goals', async () => {
    const template = (await api(manager, 'GET', '/contracts/template')).json();
    expect(template.goals).toHaveLength(12);
    const imported = await api(manager, 'POST', '/contracts/import', { ...template, override: { periodStart: `${THIS_YEAR}-01-01`, periodEnd: `${THIS_YEAR}-12-31` } });
    expect(imported.statusCode, imported.body).toBe(201);
    contractId = imported.json().id;
    const contract = (await api(kkrReader, 'GET', `/contracts/${contractId}`)).json();
    expect(contract.goals.map((g: { number: number }) => g.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(contract.goals.map((g: { group: string }) => g.group)).toEqual([...Array(3).fill('national'), ...Array(4).fill('joint'), ...Array(5).fill('regional')]);
  });

  it('tells each caller what they may do with a contract, as the policy decides', async () => {
    const abilitiesOf = async (s: Session) => {
      const detail = (await api(s, 'GET', `/contracts/${contractId}`)).json().abilities;
      const listed = (await api(s, 'GET', '/contracts')).json().items.find((c: { id: string }) => c.id === contractId).abilities;
      expect(listed).toEqual(detail);
      return detail;
    };
    expect(await abilitiesOf(manager)).toEqual({ manage: true, report: true, readDraft: true });
    expect(await abilitiesOf(kkrReader)).toEqual({ manage: false, report: false, readDraft: false });
    // The hub's advisers see its drafts but neither edit the contract nor report on it.
    expect(await abilitiesOf(adviser)).toEqual({ manage: false, report: false, readDraft: true });
  });

  it('computes every goal from the data; goals 1 and 2 apply the thresholds exactly', async () => {
    const report = (await api(manager, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-06-30`)).json();
    expect(report.goals).toHaveLength(12);
    const goal = (n: number) => report.goals.find((g: { number: number }) => g.number === n);
    // NPS exactly 60 → 100 %; effect share exactly 60 % → 50 %.
    expect(goal(1)).toMatchObject({ value: 60, target: 60, fulfilment: 100 });
    expect(goal(2)).toMatchObject({ value: 60, target: 70, fulfilment: 50 });
    // Ten guided companies in vækst: 10 of the 420 vækst+drift part, none of the RK2020+EW part.
    expect(goal(5)).toMatchObject({ value: 10, target: 840 });
    expect(goal(5).fulfilment).toBeCloseTo((100 * 10) / 840, 1);
    expect(goal(4)).toMatchObject({ value: 0, target: 13, fulfilment: 0 });
    expect(goal(3)).toMatchObject({ value: 0, target: 2, fulfilment: null });
  });

  it('counts intent declarations only with the evaluation meeting held', async () => {
    await api(manager, 'PUT', `/contracts/${contractId}/intent-declarations/540`, { signedOn: `${THIS_YEAR}-02-01`, keyAccountManager: 'Hanne Gulløv' });
    const before = (await api(manager, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-12-31`)).json().goals[3];
    expect(before.value).toBe(0);
    await api(manager, 'PUT', `/contracts/${contractId}/intent-declarations/540`, { evaluationMeetingOn: `${THIS_YEAR}-11-20` });
    const after = (await api(manager, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-12-31`)).json().goals[3];
    expect(after.value).toBe(1);
    // A municipality outside the hub is refused.
    expect((await api(manager, 'PUT', `/contracts/${contractId}/intent-declarations/101`, { signedOn: `${THIS_YEAR}-02-01` })).statusCode).toBe(400);
  });

  it('computes goal 6 from the ErhvervsfremmeAkademier the hub held, with the agreements ticked off by hand', async () => {
    const { sql } = await import('drizzle-orm');
    const orgId = async (key: string) => (await t.database.rows<{ id: string }>(sql`SELECT id FROM organisations WHERE key = ${key}`))[0]!.id;
    const [syd, fyn] = [await orgId(orgKeys.sydjylland), await orgId(orgKeys.fyn)];
    const event = async (organiser: string, kind: string, endsOn: string, options: { status?: string; coOrganiser?: string } = {}) => {
      const [row] = await t.database.rows<{ id: string }>(sql`
        INSERT INTO events (organiser_organisation_id, kind, title, starts_at, ends_at, status)
        VALUES (${organiser}, ${kind}, ${`${kind} ${endsOn}`}, ${`${endsOn}T08:00:00Z`}::timestamptz, ${`${endsOn}T14:00:00Z`}::timestamptz, ${options.status ?? 'planned'}) RETURNING id`);
      if (options.coOrganiser) await t.database.db.execute(sql`INSERT INTO event_co_organisers (event_id, organisation_id) VALUES (${row!.id}, ${options.coOrganiser})`);
    };
    await event(syd, 'academy', `${THIS_YEAR}-02-10`);
    // Co-organised with another hub: it counts for both.
    await event(fyn, 'academy', `${THIS_YEAR}-05-05`, { coOrganiser: syd });
    // None of these count: cancelled, after the report's date, another kind, another hub's alone.
    await event(syd, 'academy', `${THIS_YEAR}-04-01`, { status: 'cancelled' });
    await event(syd, 'academy', `${THIS_YEAR}-09-01`);
    await event(syd, 'workshop', `${THIS_YEAR}-03-01`);
    await event(fyn, 'academy', `${THIS_YEAR}-03-01`);

    const goal6 = async (at: string) => ((await api(manager, 'GET', `/contracts/${contractId}/report?at=${at}`)).json().goals as { number: number }[]).find((g) => g.number === 6);
    // Two academies and the agreements are three equal parts of the goal.
    expect(await goal6(`${THIS_YEAR}-03-31`)).toMatchObject({ value: 1, target: 2, unit: 'arrangementer', fulfilment: 33.3 });
    const june = await goal6(`${THIS_YEAR}-06-30`);
    expect(june).toMatchObject({ value: 2, target: 2, fulfilment: 66.7 });
    expect((june as unknown as { breakdown: unknown[] }).breakdown).toEqual([
      expect.objectContaining({ label: 'ErhvervsfremmeAkademier', value: 2 }),
      expect.objectContaining({ label: 'Samarbejdsaftaler med nationale aktører og klynger', value: 0, target: 1 }),
    ]);
    const indicator = (await api(manager, 'GET', `/contracts/${contractId}`)).json().goals.find((g: { number: number }) => g.number === 6).indicator;
    const ticked = await api(manager, 'PUT', `/contracts/${contractId}/goals/6/indicator`, { ...indicator, deliverables: [{ title: indicator.deliverables[0].title, done: true }] });
    expect(ticked.statusCode, ticked.body).toBe(200);
    expect(await goal6(`${THIS_YEAR}-06-30`)).toMatchObject({ value: 2, fulfilment: 100 });
    // Events are the hub's public activity, not companies: KKR reads the same figure.
    expect(((await api(kkrReader, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-05-31`)).json().goals as { number: number; value: number }[]).find((g) => g.number === 6)?.value).toBe(2);
  });

  it('rejects a goal with an unknown indicator or a malformed scale, naming the goal, and saves nothing', async () => {
    const template = readTemplate() as { goals: { number: number; indicator: unknown }[] };
    const before = await count(t.database, 'contracts');
    const unknown = structuredClone(template);
    unknown.goals[4]!.indicator = { type: 'happiness', scale: { type: 'manual' } };
    const r1 = await api(manager, 'POST', '/contracts/import', unknown);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().detail).toContain('Mål 5');
    expect(r1.json().errors[0]).toMatchObject({ field: 'goals.4.indicator.type', message: expect.stringContaining('happiness') });
    const malformed = structuredClone(template);
    malformed.goals[0]!.indicator = { type: 'nps', scale: { type: 'thresholds', thresholds: [{ min: 60, percent: 150 }] } };
    const r2 = await api(manager, 'POST', '/contracts/import', { ...malformed, override: undefined });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().detail).toContain('Mål 1');
    expect(await count(t.database, 'contracts')).toBe(before);
  });

  it('freezes a published status report: later data never changes it', async () => {
    const draft = await api(manager, 'POST', `/contracts/${contractId}/status-reports`, { asOf: `${THIS_YEAR}-06-30` });
    expect(draft.statusCode).toBe(201);
    const reportId = draft.json().id;
    // Drafts are the hub's: KKR sees them only once published.
    expect((await api(kkrReader, 'GET', `/status-reports/${reportId}`)).statusCode).toBe(404);
    expect((await api(adviser, 'PATCH', `/status-reports/${reportId}`, { directorComment: 'x' })).statusCode).toBe(403);
    await api(manager, 'PATCH', `/status-reports/${reportId}`, { directorComment: 'Godt halvår.', goalComments: { '5': 'Flere forløb i efteråret.' } });
    expect(draft.json().abilities).toEqual({ change: true, publish: true });
    const published = await api(manager, 'POST', `/status-reports/${reportId}/publish`);
    expect(published.json()).toMatchObject({ status: 'published', directorComment: 'Godt halvår.' });
    const frozen = published.json().snapshot;
    // KKR reads it under disclosure control: as of 30 June, a month that has not ended, its NPS and
    // effect goals are withheld (no cell of the evaluation table holds June yet).
    const readByKkr = (await api(kkrReader, 'GET', `/status-reports/${reportId}`)).json();
    expect(readByKkr.abilities).toEqual({ change: false, publish: false });
    const seenByKkr = readByKkr.snapshot;
    expect(seenByKkr.goals[0]).toMatchObject({ value: null, withheld: 'suppressed' });

    // New engagements and a poor answer arrive after publishing.
    const cvrs = generateCompanies(1200, 5).slice(150, 153).map((c) => c.cvr);
    for (const cvr of cvrs) await api(manager, 'POST', '/engagements', { companyCvr: cvr, level: 'specialised', themes: ['growth'], openedOn: `${THIS_YEAR}-04-01` });
    const live = (await api(manager, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-06-30`)).json();
    expect(live.goals[4].value).toBe(13);
    const again = (await api(kkrReader, 'GET', `/status-reports/${reportId}`)).json();
    expect(again.snapshot).toEqual(seenByKkr);
    expect((await api(manager, 'GET', `/status-reports/${reportId}`)).json().snapshot).toEqual(frozen);
    expect(again.snapshot.goals[4].value).toBe(10);
    expect((await api(manager, 'PATCH', `/status-reports/${reportId}`, { refresh: true })).statusCode).toBe(409);
    // A new version can be issued; it has the new figures.
    const v2 = (await api(manager, 'POST', `/contracts/${contractId}/status-reports`, { asOf: `${THIS_YEAR}-06-30` })).json();
    expect(v2.version).toBe(2);
    expect(v2.snapshot.goals[4].value).toBe(13);
    expect((await api(otherHub, 'POST', `/status-reports/${v2.id}/publish`)).statusCode).toBe(404);
  });

  it('exports Word, PDF and Excel files that contain every goal', async () => {
    const reports = (await api(kkrReader, 'GET', `/contracts/${contractId}/status-reports`)).json().items;
    const id = reports.find((r: { status: string }) => r.status === 'published').id;
    const fetchFile = (format: string) => t.app.inject({ url: `/api/v1/status-reports/${id}?format=${format}`, headers: kkrReader.headers });
    const titles = (readTemplate() as { goals: { title: string }[] }).goals.map((g) => g.title);

    const docx = await fetchFile('docx');
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    for (const title of titles) expect(xml).toContain(title);
    expect(xml).toContain('Godt halvår.');

    const xlsx = await fetchFile('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String);
    for (const title of titles) expect(cells).toContain(title);

    const pdf = await fetchFile('pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await getDocument({ data: new Uint8Array(pdf.rawPayload), verbosity: 0 }).promise;
    let text = '';
    for (let p = 1; p <= doc.numPages; p++) text += (await (await doc.getPage(p)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ') + ' ';
    for (const title of titles) expect(text.replace(/\s+/g, ' ')).toContain(title.split(' ').slice(0, 3).join(' '));
  });

  it('keeps evidence for manual goals: links and files of allowed types and size', async () => {
    const before = await count(t.database, 'contract_goal_evidence');
    const link = await api(manager, 'POST', `/contracts/${contractId}/goals/6/evidence`, { deliverable: 'ErhvervsfremmeAkademi 1', url: 'https://example.dk/program.pdf' });
    expect(link.statusCode).toBe(201);
    const content = Buffer.from('%PDF-1.4 bevis').toString('base64');
    const file = await api(manager, 'POST', `/contracts/${contractId}/goals/6/evidence`, { deliverable: 'ErhvervsfremmeAkademi 1', fileName: 'deltagerliste.pdf', contentType: 'application/pdf', contentBase64: content });
    expect(file.statusCode).toBe(201);
    const badType = await api(manager, 'POST', `/contracts/${contractId}/goals/6/evidence`, { deliverable: 'x', fileName: 'virus.exe', contentType: 'application/x-msdownload', contentBase64: content });
    expect(badType.json().errors[0].field).toBe('contentType');
    const tooBig = await api(manager, 'POST', `/contracts/${contractId}/goals/6/evidence`, { deliverable: 'x', fileName: 'stor.pdf', contentType: 'application/pdf', contentBase64: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') });
    expect(tooBig.statusCode).toBe(400);
    expect((await api(adviser, 'POST', `/contracts/${contractId}/goals/6/evidence`, { deliverable: 'x', url: 'https://example.dk' })).statusCode).toBe(403);
    expect(await count(t.database, 'contract_goal_evidence')).toBe(before + 2);
    const list = (await api(kkrReader, 'GET', `/contracts/${contractId}/goals/6/evidence`)).json().items;
    const stored = list.find((e: { fileName: string | null }) => e.fileName === 'deltagerliste.pdf');
    const download = await t.app.inject({ url: `/api/v1/contracts/${contractId}/goals/6/evidence/${stored.id}`, headers: kkrReader.headers });
    expect(download.rawPayload.toString()).toBe('%PDF-1.4 bevis');
  });

  it('refuses to import the same contract twice, in Danish or English, and saves nothing', async () => {
    const template = (await api(manager, 'GET', '/contracts/template')).json();
    const again = { ...template, override: { periodStart: `${THIS_YEAR}-01-01`, periodEnd: `${THIS_YEAR}-12-31` } };
    const before = await count(t.database, 'contracts');
    const goalsBefore = await count(t.database, 'contract_goals');
    const [da, en] = await Promise.all([
      api(manager, 'POST', '/contracts/import', again),
      t.app.inject({ method: 'POST', url: '/api/v1/contracts/import', headers: { ...manager.headers, 'accept-language': 'en' }, payload: again }),
    ]);
    expect([da.statusCode, en.statusCode]).toEqual([409, 409]);
    expect(da.json().detail).toContain('allerede importeret');
    expect(en.json().detail).toContain('already been imported');
    expect(await count(t.database, 'contracts')).toBe(before);
    expect(await count(t.database, 'contract_goals')).toBe(goalsBefore);
  });

  it('splits a target per municipality', async () => {
    const template = readTemplate() as { goals: { number: number; indicator: unknown }[] };
    const custom = structuredClone(template);
    custom.goals = [{ ...custom.goals[4]!, number: 1, indicator: { type: 'guided_companies', split: [{ label: 'Sønderborg', municipalities: [540], target: 5 }, { label: 'Resten', municipalities: [510, 530, 550, 561, 563, 573, 575, 580, 607, 621, 630, 410], target: 100 }], scale: { type: 'proportional' } } }];
    const id = (await api(manager, 'POST', '/contracts/import', { ...custom, override: { periodStart: `${THIS_YEAR}-01-01`, periodEnd: `${THIS_YEAR}-12-31`, title: 'Resultatkontrakt med delmål pr. kommune' } })).json().id;
    const report = (await api(manager, 'GET', `/contracts/${id}/report?at=${THIS_YEAR}-06-30`)).json();
    const parts = report.goals[0].breakdown as { label: string; value: number; target: number }[];
    expect(parts.map((p) => p.label)).toEqual(['Sønderborg', 'Resten']);
    // The ten companies of the fixture lie in Sydjylland; three later ones may lie elsewhere and count in no part.
    expect(parts.reduce((sum, p) => sum + p.value, 0)).toBe(10);
    expect(report.goals[0].value).toBe(13);
    // Moves forward only.
    expect((await api(manager, 'PATCH', `/contracts/${id}`, { status: 'closed' })).statusCode).toBe(200);
    expect((await api(manager, 'PATCH', `/contracts/${id}`, { status: 'active' })).statusCode).toBe(409);
  });

  it('lets only the parties import and edit contracts', async () => {
    const template = readTemplate();
    expect((await api(adviser, 'POST', '/contracts/import', template)).statusCode).toBe(403);
    expect((await api(otherHub, 'PUT', `/contracts/${contractId}/goals/3/indicator`, { type: 'manual', scale: { type: 'manual' }, deliverables: [{ title: 'x', done: true }] })).statusCode).toBe(403);
    const ticked = await api(manager, 'PUT', `/contracts/${contractId}/goals/3/indicator`, { type: 'manual', scale: { type: 'manual' }, deliverables: [{ title: 'Digital indgang', done: true }, { title: 'Arbejdsgruppe', done: true }], fulfilment: 100, justification: 'Begge leveret.' });
    expect(ticked.statusCode).toBe(200);
    const report = (await api(manager, 'GET', `/contracts/${contractId}/report?at=${THIS_YEAR}-06-30`)).json();
    expect(report.goals[2]).toMatchObject({ value: 2, target: 2, fulfilment: 100 });
  });
});

describe('knudepunkt report contract', () => {
  it('prints each goal with number, value, target and fulfilment as JSON', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-report-'));
    const bin = new URL('../../../bin/knudepunkt.js', import.meta.url).pathname;
    const { DATABASE_URL: _d, PORT: _p, ...env } = process.env;
    const run = promisify(execFile);
    await run(process.execPath, [bin, 'seed', '--demo'], { env: { ...env, KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test' } });
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pglite') });
    const { rows } = await db.query<{ id: string }>('SELECT id FROM contracts LIMIT 1');
    await db.close();
    const { stdout } = await run(process.execPath, [bin, 'report', 'contract', rows[0]!.id, '--at', `${new Date().getUTCFullYear()}-12-31`, '--format', 'json'], { env: { ...env, KNUDEPUNKT_DATA_DIR: dataDir, NODE_ENV: 'test' } });
    const report = JSON.parse(stdout);
    expect(report.goals).toHaveLength(12);
    for (const goal of report.goals) {
      expect(goal).toHaveProperty('number');
      expect(goal).toHaveProperty('value');
      expect(goal).toHaveProperty('target');
      expect(goal).toHaveProperty('fulfilment');
      if (goal.fulfilment !== null) expect(goal.fulfilment).toBeGreaterThanOrEqual(0);
    }
    expect(report.goals[0].value).not.toBeNull();
  }, 120_000);
});
