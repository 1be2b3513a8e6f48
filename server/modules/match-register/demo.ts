/**
 * Vækst Via Viden 2.0 (seed 001, 5.1.4): Erhvervshus Nordjylland coordinates; the partners are the
 * North Jutland municipalities' jobcentres and business services, AAU, UCN, Akademikernes and
 * Magistrenes A-kasse. 2,000 matches over medio 2020–medio 2023: 1,400 for the municipalities by their
 * share of workplaces (fixtures/statbank, ERHV2 2019; Læsø left out until decided) and 600 set by hand
 * (AAU 250, UCN 200, Akademikernes 100, Magistrenes 50).
 *
 * One year of matches (2020-07-01 to 2021-06-30), made so the progress can be checked by hand:
 * - each municipality in the split gets a third of its target in the first year, rounded down, less
 *   one for every second municipality by code (Thisted, Frederikshavn, Rebild, Jammerbugt, Hjørring); the
 *   matches go round the seven types in order and round the four quarters in order; its jobcentre
 *   registers the even-numbered ones and its business service the odd ones; every fourth is
 *   registered by the jobcentre with the business service as helper (the municipality still gets 1);
 * - Jobcenter Læsø registers 2 (counted in the total, not in any municipal target);
 * - AAU registers 60, UCN 48, Akademikernes 20 and Magistrenes 10, types and quarters in turn; every
 *   fifth of AAU's is made with Akademikernes A-kasse, credited half each under the rule `split`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { municipalities as municipalityTable, organisations } from '../organisations/schema.ts';
import { jobcentreKey, localServiceKey, partnerKeys, readMunicipalities } from '../organisations/reference.ts';
import { matchProjectMunicipalities, matchProjectPartners, matchProjects, registeredMatches, registeredMatchPartners, type EducationLevel } from './schema.ts';
import { createProject, normaliseNewProject } from './service.ts';
import { splitMunicipalTarget } from './split.ts';
import { decodeStatbank, parseStatbankWorkplaces } from './statbank.ts';

const statbankFile = fileURLToPath(new URL('../../../fixtures/statbank/erhv2-nordjylland-2019-win1252.csv', import.meta.url));
const LAESOE = 825;

/** The seven kinds of match of 001 5.1.4, in its order. */
export const vaekstViaVidenTypes = [
  { key: 'studieprojektsamarbejde', name: 'Studieprojektsamarbejde' },
  { key: 'studiepraktik', name: 'Studiepraktik' },
  { key: 'studiejob', name: 'Studiejob' },
  { key: 'virksomhedspraktik', name: 'Virksomhedspraktik' },
  { key: 'loentilskud', name: 'Løntilskud' },
  { key: 'ordinaert_job', name: 'Ordinært job' },
  { key: 'ordinaert_job_vaekstpilot', name: 'Ordinært job med Vækstpilot' },
];

const QUARTER_DAYS = ['2020-08-14', '2020-11-13', '2021-02-12', '2021-05-14'];
const education: [EducationLevel, string][] = [['master', 'AAU'], ['professional_bachelor', 'UCN'], ['bachelor', 'AAU'], ['master', 'AAU'], ['academy', 'UCN'], ['phd', 'AAU'], ['master', 'AAU']];

export const demoPartnerTargets = { [partnerKeys.aau]: 250, [partnerKeys.ucn]: 200, [partnerKeys.akademikernes]: 100, [partnerKeys.magistrenes]: 50 } as Record<string, number>;
const partnerMatches = { [partnerKeys.aau]: 60, [partnerKeys.ucn]: 48, [partnerKeys.akademikernes]: 20, [partnerKeys.magistrenes]: 10 } as Record<string, number>;

/** The number of first-year matches the demo gives a municipality of the split (see the module comment). */
export const demoMunicipalMatches = (target: number, indexByCode: number) => Math.floor(target / 3) - (indexByCode % 2 === 1 ? 1 : 0);

export async function seedDemoMatchRegister(db: Db): Promise<{ projectId: string; matches: number }> {
  const orgs = new Map((await db.select({ id: organisations.id, key: organisations.key }).from(organisations)).map((o) => [o.key, o.id]));
  const north = readMunicipalities().filter((m) => m.region === 'Region Nordjylland');
  const partnerIds = [
    ...north.flatMap((m) => [orgs.get(jobcentreKey(m.code))!, orgs.get(localServiceKey(m.code))!]),
    ...Object.keys(demoPartnerTargets).map((k) => orgs.get(k)!),
  ];
  const projectId = await createProject(
    db,
    null,
    orgs.get('hub:nordjylland')!,
    normaliseNewProject({
      name: 'Vækst Via Viden 2.0', periodStart: '2020-07-01', periodEnd: '2023-06-30', creditRule: 'split', targetTotal: 2000, municipalTarget: 1400,
      municipalityCodes: north.filter((m) => m.code !== LAESOE).map((m) => m.code), excludedMunicipalityCodes: [LAESOE], types: vaekstViaVidenTypes, partnerIds,
    }),
  );
  const known = await db.select({ code: municipalityTable.code, name: municipalityTable.name }).from(municipalityTable);
  const table = parseStatbankWorkplaces(decodeStatbank(readFileSync(statbankFile)), known);
  for (const [code, workplaces] of table.values) {
    await db.update(matchProjectMunicipalities).set({ workplaces }).where(and(eq(matchProjectMunicipalities.projectId, projectId), eq(matchProjectMunicipalities.municipalityCode, code)));
  }
  await db.update(matchProjects).set({ workplacesSource: 'ERHV2 2019' }).where(eq(matchProjects.id, projectId));
  for (const [key, target] of Object.entries(demoPartnerTargets)) {
    await db.update(matchProjectPartners).set({ target }).where(and(eq(matchProjectPartners.projectId, projectId), eq(matchProjectPartners.organisationId, orgs.get(key)!)));
  }

  const companiesOf = new Map<number, string[]>();
  for (const row of (await db.execute<{ cvr: string; municipality_code: number }>(sql`
    SELECT cvr, municipality_code FROM companies WHERE status = 'NORMAL' AND municipality_code IN (${sql.join(north.map((m) => sql`${m.code}`), sql`, `)}) ORDER BY cvr`)).rows) {
    const list = companiesOf.get(Number(row.municipality_code)) ?? [];
    list.push(row.cvr);
    companiesOf.set(Number(row.municipality_code), list);
  }
  const anyNorth = [...companiesOf.values()].flat();
  if (anyNorth.length === 0) return { projectId, matches: 0 };
  const companyIn = (code: number, i: number) => {
    const list = companiesOf.get(code)?.length ? companiesOf.get(code)! : anyNorth;
    return list[i % list.length]!;
  };

  const matches: (typeof registeredMatches.$inferInsert & { id: string })[] = [];
  const credits: (typeof registeredMatchPartners.$inferInsert)[] = [];
  const add = (code: number, i: number, registrar: string, helpers: string[]) => {
    const id = crypto.randomUUID();
    const [educationLevel, institution] = education[i % education.length]!;
    matches.push({
      id, projectId, companyCvr: companyIn(code, i), typeKey: vaekstViaVidenTypes[i % 7]!.key, matchedOn: QUARTER_DAYS[i % 4]!, educationLevel, institution,
      registeredByOrganisationId: registrar,
    });
    [registrar, ...helpers].forEach((organisationId, position) => credits.push({ matchId: id, organisationId, position }));
  };

  const inputs = north.filter((m) => m.code !== LAESOE).map((m) => ({ code: m.code, name: m.name, workplaces: table.values.get(m.code) ?? 0, targetOverride: null }));
  const split = splitMunicipalTarget(1400, inputs, new Set()).sort((a, b) => a.code - b.code);
  split.forEach((m, index) => {
    const jobcentre = orgs.get(jobcentreKey(m.code))!;
    const service = orgs.get(localServiceKey(m.code))!;
    for (let i = 0; i < demoMunicipalMatches(m.target, index); i++) {
      if (i % 4 === 3) add(m.code, i, jobcentre, [service]);
      else add(m.code, i, i % 2 === 0 ? jobcentre : service, []);
    }
  });
  for (let i = 0; i < 2; i++) add(LAESOE, i, orgs.get(jobcentreKey(LAESOE))!, []);
  for (const [key, count] of Object.entries(partnerMatches)) {
    for (let i = 0; i < count; i++) {
      const helpers = key === partnerKeys.aau && i % 5 === 4 ? [orgs.get(partnerKeys.akademikernes)!] : [];
      add(851, i, orgs.get(key)!, helpers);
    }
  }
  for (let i = 0; i < matches.length; i += 500) await db.insert(registeredMatches).values(matches.slice(i, i + 500));
  for (let i = 0; i < credits.length; i += 500) await db.insert(registeredMatchPartners).values(credits.slice(i, i + 500));
  return { projectId, matches: matches.length };
}
