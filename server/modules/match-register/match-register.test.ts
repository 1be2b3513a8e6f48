import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, login, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, expectStatus, longSessions, organisationIds, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';
import { hubKey, jobcentreKey, localServiceKey, partnerKeys, readMunicipalities } from '../organisations/reference.ts';
import type { MatchProject, Progress, RegisteredMatch } from './schemas.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../fixtures/statbank/${name}`, import.meta.url))).toString('base64');
const NORTH = readMunicipalities().filter((m) => m.region === 'Region Nordjylland').map((m) => m.code);
const LAESOE = 825;
const TYPES = [
  ['studieprojektsamarbejde', 'Studieprojektsamarbejde'], ['studiepraktik', 'Studiepraktik'], ['studiejob', 'Studiejob'], ['virksomhedspraktik', 'Virksomhedspraktik'],
  ['loentilskud', 'Løntilskud'], ['ordinaert_job', 'Ordinært job'], ['ordinaert_job_vaekstpilot', 'Ordinært job med Vækstpilot'],
].map(([key, name]) => ({ key: key!, name: name! }));
const sum = (xs: { target: number }[]) => xs.reduce((s, x) => s + x.target, 0);

describe('match register', () => {
  let t: TestContext;
  afterAll(() => t.close());
  const api = {} as Record<'owner' | 'hubAdviser' | 'jobcentre' | 'jobcentreReader' | 'lbs' | 'aau' | 'akasse' | 'outsider', Api>;
  let org: Record<'hub' | 'jobcentre' | 'jobcentreHjoerring' | 'lbs' | 'aau' | 'akasse', string>;
  let project: MatchProject;
  let cvrs: string[];
  const base = () => `/match-projects/${project.id}`;
  const refresh = async (as: Api = api.owner): Promise<MatchProject> => (project = expectStatus(await as.get(base()), 200));

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    await upsertCompanies(t.database, generateCompanies(2000, 16));
    org = (await organisationIds(t.database, {
      hub: hubKey('Erhvervshus Nordjylland'), jobcentre: jobcentreKey(851), jobcentreHjoerring: jobcentreKey(860), lbs: localServiceKey(851), aau: partnerKeys.aau, akasse: partnerKeys.akademikernes,
    })) as typeof org;
    const users: [keyof typeof api, string, 'adviser' | 'manager' | 'reader', string][] = [
      ['owner', 'manager@ehnj.dk', 'manager', hubKey('Erhvervshus Nordjylland')],
      ['hubAdviser', 'adviser@ehnj.dk', 'adviser', hubKey('Erhvervshus Nordjylland')],
      ['jobcentre', 'adviser@jobcenter-aalborg.dk', 'adviser', jobcentreKey(851)],
      ['jobcentreReader', 'reader@jobcenter-aalborg.dk', 'reader', jobcentreKey(851)],
      ['lbs', 'adviser@aalborg.dk', 'adviser', localServiceKey(851)],
      ['aau', 'adviser@aau.dk', 'adviser', partnerKeys.aau],
      ['akasse', 'adviser@akasse.dk', 'adviser', partnerKeys.akademikernes],
      ['outsider', 'manager@sydjylland.dk', 'manager', hubKey('Erhvervshus Sydjylland')],
    ];
    for (const [who, email, role, key] of users) {
      await createUser(t.database, { email, role, org: key });
      api[who] = apiAs(t, await login(t.app, email));
    }
    cvrs = await companiesIn(t.database, 851);
    project = expectStatus(
      await api.owner.post('/match-projects', {
        name: 'Vækst Via Viden 2.0', periodStart: '2020-07-01', periodEnd: '2023-06-30', creditRule: 'split', targetTotal: 2000, municipalTarget: 1400,
        municipalityCodes: NORTH.filter((c) => c !== LAESOE), excludedMunicipalityCodes: [LAESOE], types: TYPES,
        partnerIds: [org.jobcentre, org.jobcentreHjoerring, org.lbs, org.aau, org.akasse],
      }),
      201,
    );
  });

  it('creates the project with its partners: municipal ones counting for their municipality, the rest by hand', () => {
    expect(project.types.map((x) => x.key)).toEqual(TYPES.map((x) => x.key));
    expect(project.partners.find((p) => p.organisationId === org.jobcentre)).toMatchObject({ municipalityCode: 851, target: null, type: 'jobcentre' });
    expect(project.partners.find((p) => p.organisationId === org.aau)).toMatchObject({ municipalityCode: null, type: 'education_institution' });
    expect(project.partnerTarget).toBe(600);
    // No workplaces yet: no split, and the reason.
    expect(project.municipalities).toBeNull();
    expect(project.splitProblem).toBe('matchProject.noWorkplaces');
    expect(project.abilities).toEqual({ manage: true, register: false });
  });

  it('offers as partners the organisations that work with companies, and refuses others', async () => {
    const { items } = expectStatus(await api.outsider.get('/match-projects/partner-candidates'), 200) as { items: { id: string; type: string }[] };
    expect(items.map((o) => o.id)).toEqual(expect.arrayContaining([org.aau, org.akasse, org.jobcentre, org.lbs, org.hub]));
    expect(items.some((o) => o.type === 'kkr' || o.type === 'national_authority')).toBe(false);
    expect((await api.jobcentre.get('/match-projects/partner-candidates')).statusCode).toBe(403);
    const kkr = (await organisationIds(t.database, { kkr: 'kkr:nordjylland' })).kkr!;
    const response = await api.owner.post('/match-projects', {
      name: 'X', periodStart: '2024-01-01', periodEnd: '2024-12-31', targetTotal: 10, municipalTarget: 5, municipalityCodes: [851], types: TYPES.slice(0, 1), partnerIds: [org.aau, kkr],
    });
    expect(problem(response)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'partnerIds' })] } });
    expect((await api.jobcentre.post('/match-projects', { name: 'X', periodStart: '2024-01-01', periodEnd: '2024-12-31', targetTotal: 10, municipalTarget: 5, municipalityCodes: [851], types: TYPES.slice(0, 1), partnerIds: [org.aau] })).statusCode).toBe(403);
  });

  it('imports workplaces from the StatBank CSV in Windows-1252 and in UTF-8: 1,400 split exactly, Læsø left out by the rule', async () => {
    for (const name of ['erhv2-nordjylland-2019-win1252.csv', 'erhv2-nordjylland-2019-utf8.csv']) {
      project = expectStatus(await api.owner.post(`${base()}/workplaces`, { contentBase64: fixture(name) }), 200);
      expect(project.workplacesSource).toBe('ERHV2 2019');
      expect(sum(project.municipalities!)).toBe(1400);
      expect(project.municipalities!.find((m) => m.code === LAESOE)).toMatchObject({ excluded: true, target: 0, workplaces: 187 });
      expect(project.municipalities!.filter((m) => m.code !== LAESOE).every((m) => m.target > 0)).toBe(true);
      expect(project.municipalities!.find((m) => m.code === 851)).toMatchObject({ workplaces: 12588, target: 465 });
    }
  });

  it('refuses an export missing one of the project’s municipalities, and changes nothing', async () => {
    const withoutRebild = Buffer.from(readFileSync(fileURLToPath(new URL('../../../fixtures/statbank/erhv2-nordjylland-2019-utf8.csv', import.meta.url)), 'utf8').replace(/^"Rebild".*\r\n/m, '')).toString('base64');
    const response = await api.owner.post(`${base()}/workplaces`, { contentBase64: withoutRebild });
    expect(problem(response)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'contentBase64', message: 'Filen mangler tal for Rebild.' })] } });
    expect((await refresh()).municipalities!.find((m) => m.code === 840)!.workplaces).toBe(1809);
  });

  it('keeps targets set by hand and the total exact; refuses one for a municipality left out, and overrides above 1,400', async () => {
    project = expectStatus(await api.owner.patch(base(), { version: project.version, municipalities: [{ code: 851, targetOverride: 500 }] }), 200);
    expect(project.municipalities!.find((m) => m.code === 851)).toMatchObject({ target: 500, overridden: true });
    expect(sum(project.municipalities!)).toBe(1400);
    const laesoe = await api.owner.patch(base(), { version: project.version, municipalities: [{ code: LAESOE, targetOverride: 5 }] });
    expect(problem(laesoe)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'municipalities.0.targetOverride' })] } });
    const above = await api.owner.patch(base(), { version: project.version, municipalities: [{ code: 860, targetOverride: 901 }] });
    expect(problem(above)).toMatchObject({ status: 400 });
    expect((await refresh()).municipalities!.find((m) => m.code === 860)!.overridden).toBe(false);
    // Back to the split.
    project = expectStatus(await api.owner.patch(base(), { version: project.version, municipalities: [{ code: 851, targetOverride: null }] }), 200);
    expect(project.municipalities!.find((m) => m.code === 851)!.target).toBe(465);
    expect((await api.owner.patch(base(), { version: project.version - 1, creditRule: 'first' })).statusCode).toBe(409);
  });

  it('splits the 600 between the other partners by hand, never above 600 and never to a municipal partner', async () => {
    project = expectStatus(await api.owner.patch(base(), { version: project.version, partners: [{ organisationId: org.aau, target: 350 }, { organisationId: org.akasse, target: 200 }] }), 200);
    expect(project.partnerTargetAllocated).toBe(550);
    expect(project.partners.find((p) => p.organisationId === org.aau)!.target).toBe(350);
    expect((await api.owner.patch(base(), { version: project.version, partners: [{ organisationId: org.akasse, target: 251 }] })).statusCode).toBe(400);
    expect((await api.owner.patch(base(), { version: project.version, partners: [{ organisationId: org.jobcentre, target: 10 }] })).statusCode).toBe(400);
    expect((await refresh()).partnerTargetAllocated).toBe(550);
  });

  it('lets only the owner’s managers change targets, and hides the project from organisations outside it', async () => {
    for (const who of ['jobcentre', 'aau', 'hubAdviser'] as const) expect((await api[who].patch(base(), { version: project.version, creditRule: 'first' })).statusCode, who).toBe(403);
    expect((await api.outsider.get(base())).statusCode).toBe(404);
    expect(expectStatus(await api.outsider.get('/match-projects'), 200).items).toEqual([]);
    expect(expectStatus(await api.aau.get('/match-projects'), 200).items.map((p: { id: string }) => p.id)).toEqual([project.id]);
    expect((await refresh(api.aau)).abilities).toEqual({ manage: false, register: true });
  });

  it('registers a match without person data, counted once however many partners helped, credit split by the rule', async () => {
    const body = { companyCvr: cvrs[0], typeKey: 'studiejob', matchedOn: '2021-02-15', educationLevel: 'master', institution: 'AAU' };
    expect((await api.jobcentre.post(`${base()}/matches`, { ...body, cpr: '0101901234' })).statusCode).toBe(400);
    expect((await api.jobcentre.post(`${base()}/matches`, { ...body, candidateName: 'Anna' })).statusCode).toBe(400);
    expect((await api.jobcentreReader.post(`${base()}/matches`, body)).statusCode).toBe(403);
    expect((await api.outsider.post(`${base()}/matches`, body)).statusCode).toBe(404);
    expect((await api.jobcentre.post(`${base()}/matches`, { ...body, matchedOn: '2024-01-01' })).statusCode).toBe(400);
    const match = expectStatus(await api.jobcentre.post(`${base()}/matches`, { ...body, helpedBy: [org.lbs, org.aau] }), 201) as RegisteredMatch;
    expect(match.partners.map((p) => [p.id, p.credit])).toEqual([[org.jobcentre, 0.33], [org.lbs, 0.33], [org.aau, 0.33]]);
    // The same match from another partner: refused until confirmed as a different one.
    expect(problem(await api.aau.post(`${base()}/matches`, body))).toMatchObject({ status: 409 });
    const progress = expectStatus(await api.akasse.get(`${base()}/progress`), 200) as Progress;
    expect(progress.total).toMatchObject({ matches: 1, credited: 1, target: 2000 });
    expect(progress.total.byType.studiejob).toBe(1);
    expect(progress.total.byQuarter['2021-Q1']).toBe(1);
    // Jobcentre and business service of Aalborg count together for Aalborg: 2 of 3 thirds.
    expect(progress.municipalities.find((m) => m.code === 851)).toMatchObject({ credited: 0.67, target: 465 });
    expect(progress.municipalities.find((m) => m.code === LAESOE)).toMatchObject({ excluded: true, target: null, credited: 0 });
    expect(progress.partners.find((p) => p.organisationId === org.aau)).toMatchObject({ credited: 0.33, target: 350 });
    expect(progress.quarters[0]).toBe('2020-Q3');
  });

  it('shows a match’s details only to the partners that helped make it', async () => {
    const listOf = async (who: Api) => (expectStatus(await who.get(`${base()}/matches`), 200) as { items: RegisteredMatch[] }).items;
    expect(await listOf(api.aau)).toHaveLength(1);
    expect(await listOf(api.akasse)).toHaveLength(0);
    expect(await listOf(api.owner)).toHaveLength(0);
    const [match] = await listOf(api.aau);
    expect(match!.abilities.delete).toBe(false);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1${base()}/matches/${match!.id}`, headers: api.aau.session.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1${base()}/matches/${match!.id}`, headers: api.akasse.session.headers })).statusCode).toBe(404);
  });

  it('credits the registering partner alone under the rule `first`, still counting the match once', async () => {
    project = expectStatus(await api.owner.patch(base(), { version: (await refresh()).version, creditRule: 'first' }), 200);
    const progress = expectStatus(await api.owner.get(`${base()}/progress`), 200) as Progress;
    expect(progress.total.matches).toBe(1);
    expect(progress.partners.find((p) => p.organisationId === org.jobcentre)!.credited).toBe(1);
    expect(progress.partners.find((p) => p.organisationId === org.aau)!.credited).toBe(0);
    expect(progress.municipalities.find((m) => m.code === 851)!.credited).toBe(1);
  });

  it('audits registrations and target changes', async () => {
    const rows = await t.database.rows<{ action: string; entity: string }>(sql`SELECT action, entity FROM audit_log WHERE entity IN ('match_project', 'registered_match')`);
    expect(rows).toEqual(expect.arrayContaining([
      { action: 'create', entity: 'match_project' }, { action: 'import', entity: 'match_project' }, { action: 'update', entity: 'match_project' }, { action: 'create', entity: 'registered_match' },
    ]));
  });

  it('exports the steering group’s status report as Excel, Word and PDF', async () => {
    const xlsx = await t.app.inject({ url: `/api/v1${base()}/report?format=xlsx`, headers: api.aau.session.headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells).toEqual(expect.arrayContaining(['Aalborg Kommune', 'Aalborg Universitet (AAU)', 'Studiejob']));
    const docx = await t.app.inject({ url: `/api/v1${base()}/report?format=docx`, headers: api.aau.session.headers });
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await t.app.inject({ url: `/api/v1${base()}/report?format=pdf`, headers: api.aau.session.headers });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.app.inject({ url: `/api/v1${base()}/report?format=pdf`, headers: api.outsider.session.headers })).statusCode).toBe(404);
  });
});
