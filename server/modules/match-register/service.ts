import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem, forbidden, notFound } from '../../http/problem.ts';
import { abilities, matchPartnerEligible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { municipalities as municipalityTable, organisations, type OrganisationType } from '../organisations/schema.ts';
import type { MatchProject, MatchProjectChange, MatchProjectSummary, NewMatch, NewMatchProject, PartnerCandidate, Progress, RegisteredMatch } from './schemas.ts';
import {
  matchProjectMunicipalities,
  matchProjectPartners,
  matchProjects,
  matchProjectTypes,
  registeredMatches,
  registeredMatchPartners,
  type CreditRule,
  type EducationLevel,
} from './schema.ts';
import { creditOf, quarterOf, SplitError, splitMunicipalTarget, type MunicipalitySplit } from './split.ts';
import { decodeStatbank, parseStatbankWorkplaces, StatbankError } from './statbank.ts';

/** What the policy needs of a project, and what the routes load first. */
export interface ProjectRecord {
  id: string;
  name: string;
  ownerOrganisationId: string;
  partnerIds: string[];
  version: number;
  creditRule: CreditRule;
  periodStart: string;
  periodEnd: string;
}

export async function findProjectRecord(db: Db, id: string): Promise<ProjectRecord | null> {
  const [p] = await db.select().from(matchProjects).where(eq(matchProjects.id, id));
  if (!p) return null;
  const partners = await db.select({ id: matchProjectPartners.organisationId }).from(matchProjectPartners).where(eq(matchProjectPartners.projectId, id));
  return { id: p.id, name: p.name, ownerOrganisationId: p.ownerOrganisationId, partnerIds: partners.map((x) => x.id), version: p.version, creditRule: p.creditRule, periodStart: p.periodStart, periodEnd: p.periodEnd };
}

/** The project if the actor may read it; else it does not exist for them. */
export async function readableProject(db: Db, actor: Actor, id: string): Promise<ProjectRecord> {
  const project = await findProjectRecord(db, id);
  if (!project || !policy.matchProject.read(actor, project)) throw notFound('matchProject.notFound');
  return project;
}

export async function listProjects(db: Db, actor: Actor): Promise<MatchProjectSummary[]> {
  const rows = (
    await db.execute<{ id: string; name: string; owner_id: string; owner_name: string; period_start: string; period_end: string; target_total: number }>(sql`
      SELECT p.id, p.name, o.id AS owner_id, o.name AS owner_name, p.period_start::text, p.period_end::text, p.target_total
      FROM match_projects p JOIN organisations o ON o.id = p.owner_organisation_id
      WHERE ${actor.systemAdmin ? sql`TRUE` : sql`(p.owner_organisation_id = ${actor.organisationId}
        OR EXISTS (SELECT 1 FROM match_project_partners pp WHERE pp.project_id = p.id AND pp.organisation_id = ${actor.organisationId}))`}
      ORDER BY p.period_start DESC, p.name`)
  ).rows;
  return rows.map((r) => ({ id: r.id, name: r.name, owner: { id: r.owner_id, name: r.owner_name }, periodStart: r.period_start, periodEnd: r.period_end, targetTotal: Number(r.target_total) }));
}

function checkProjectValues(p: { periodStart: string; periodEnd: string; targetTotal: number; municipalTarget: number }) {
  if (p.periodEnd < p.periodStart) throw fieldProblem('periodEnd', 'matchProject.period');
  if (p.municipalTarget > p.targetTotal) throw fieldProblem('municipalTarget', 'matchProject.municipalTargetAboveTotal');
}

/** Creates a project with its types, partners and municipalities (workplaces 0 until imported or set). */
export async function createProject(db: Db, actor: Actor | null, ownerOrganisationId: string, input: ReturnType<typeof normaliseNewProject>): Promise<string> {
  checkProjectValues(input);
  const known = await db.select({ code: municipalityTable.code }).from(municipalityTable).where(inArray(municipalityTable.code, [...input.municipalityCodes, ...input.excludedMunicipalityCodes]));
  const knownCodes = new Set(known.map((m) => m.code));
  const unknown = [...input.municipalityCodes, ...input.excludedMunicipalityCodes].find((c) => !knownCodes.has(c));
  if (unknown !== undefined) throw fieldProblem('municipalityCodes', 'matchProject.municipalityUnknown', { code: unknown });
  const partners = await db.select({ id: organisations.id, municipalityCode: organisations.municipalityCode }).from(organisations).where(inArray(organisations.id, input.partnerIds));
  if (partners.length !== new Set(input.partnerIds).size) throw fieldProblem('partnerIds', 'matchProject.organisationUnknown');
  const eligible = new Set((await partnerCandidates(db)).map((o) => o.id));
  if (input.partnerIds.some((id) => !eligible.has(id))) throw fieldProblem('partnerIds', 'matchProject.partnerIneligible');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(matchProjects)
      .values({
        name: input.name, ownerOrganisationId, periodStart: input.periodStart, periodEnd: input.periodEnd, creditRule: input.creditRule,
        targetTotal: input.targetTotal, municipalTarget: input.municipalTarget, excludedMunicipalityCodes: [...new Set(input.excludedMunicipalityCodes)],
      })
      .returning({ id: matchProjects.id });
    const id = row!.id;
    await tx.insert(matchProjectTypes).values(input.types.map((t, i) => ({ projectId: id, key: t.key, name: t.name, position: i })));
    // A partner serving one of the project's municipalities counts towards it; any other partner gets a target by hand.
    const projectCodes = new Set([...input.municipalityCodes, ...input.excludedMunicipalityCodes]);
    await tx.insert(matchProjectPartners).values(
      partners.map((p) => ({ projectId: id, organisationId: p.id, municipalityCode: p.municipalityCode !== null && projectCodes.has(p.municipalityCode) ? p.municipalityCode : null })),
    );
    await tx.insert(matchProjectMunicipalities).values([...projectCodes].map((code) => ({ projectId: id, municipalityCode: code })));
    if (actor) await audit(tx, actor, { action: 'create', entity: 'match_project', entityId: id, details: { name: input.name } });
    return id;
  });
}

/** The organisations that may be a project's partners (`matchPartnerEligible`), by type and name. */
export async function partnerCandidates(db: Db): Promise<PartnerCandidate[]> {
  const rows = (
    await db.execute<{ id: string; name: string; type: OrganisationType; municipality_code: number | null }>(sql`
      SELECT o.id, o.name, o.type, o.municipality_code FROM organisations o WHERE ${matchPartnerEligible('o')} ORDER BY o.type, o.name`)
  ).rows;
  return rows.map((r) => ({ id: r.id, name: r.name, type: r.type, municipalityCode: r.municipality_code === null ? null : Number(r.municipality_code) }));
}

/** The body as `createProject` takes it (defaults applied, types unique). */
export function normaliseNewProject(input: NewMatchProject & { creditRule: CreditRule; excludedMunicipalityCodes: number[] }) {
  const keys = new Set<string>();
  for (const [i, t] of input.types.entries()) {
    if (keys.has(t.key)) throw fieldProblem(`types.${i}.key`, 'matchProject.typeDuplicate');
    keys.add(t.key);
  }
  return input;
}

/** The project as the API shows it: types, partners, the target split (or why it cannot be made) and what the caller may do. */
export async function presentProject(db: Db, actor: Actor, project: ProjectRecord): Promise<MatchProject> {
  return { ...(await detailsOf(db, project)), abilities: abilities.matchProject(actor, project) };
}

async function detailsOf(db: Db, project: ProjectRecord): Promise<Omit<MatchProject, 'abilities'>> {
  const [p] = await db
    .select({ row: matchProjects, ownerName: organisations.name })
    .from(matchProjects)
    .innerJoin(organisations, eq(organisations.id, matchProjects.ownerOrganisationId))
    .where(eq(matchProjects.id, project.id));
  const types = await db.select({ key: matchProjectTypes.key, name: matchProjectTypes.name }).from(matchProjectTypes).where(eq(matchProjectTypes.projectId, project.id)).orderBy(asc(matchProjectTypes.position));
  const partners = await db
    .select({ organisationId: matchProjectPartners.organisationId, name: organisations.name, type: organisations.type, municipalityCode: matchProjectPartners.municipalityCode, target: matchProjectPartners.target })
    .from(matchProjectPartners)
    .innerJoin(organisations, eq(organisations.id, matchProjectPartners.organisationId))
    .where(eq(matchProjectPartners.projectId, project.id))
    .orderBy(asc(organisations.name));
  const { split, problem } = await splitOf(db, p!.row);
  const partnerTarget = p!.row.targetTotal - p!.row.municipalTarget;
  return {
    id: p!.row.id,
    name: p!.row.name,
    owner: { id: p!.row.ownerOrganisationId, name: p!.ownerName },
    periodStart: p!.row.periodStart,
    periodEnd: p!.row.periodEnd,
    targetTotal: p!.row.targetTotal,
    version: p!.row.version,
    creditRule: p!.row.creditRule,
    municipalTarget: p!.row.municipalTarget,
    partnerTarget,
    partnerTargetAllocated: partners.reduce((s, x) => s + (x.municipalityCode === null ? (x.target ?? 0) : 0), 0),
    excludedMunicipalityCodes: p!.row.excludedMunicipalityCodes,
    workplacesSource: p!.row.workplacesSource,
    types,
    partners: partners.map((x) => ({ ...x, type: x.type as OrganisationType, target: x.municipalityCode === null ? x.target : null })),
    municipalities: split,
    splitProblem: problem,
  };
}

async function splitOf(db: Db, project: typeof matchProjects.$inferSelect): Promise<{ split: MunicipalitySplit[] | null; problem: string | null }> {
  const rows = await db
    .select({ code: matchProjectMunicipalities.municipalityCode, name: municipalityTable.name, workplaces: matchProjectMunicipalities.workplaces, targetOverride: matchProjectMunicipalities.targetOverride })
    .from(matchProjectMunicipalities)
    .innerJoin(municipalityTable, eq(municipalityTable.code, matchProjectMunicipalities.municipalityCode))
    .where(eq(matchProjectMunicipalities.projectId, project.id))
    .orderBy(asc(municipalityTable.name));
  try {
    return { split: splitMunicipalTarget(project.municipalTarget, rows, new Set(project.excludedMunicipalityCodes)), problem: null };
  } catch (error) {
    if (error instanceof SplitError) return { split: null, problem: error.key };
    throw error;
  }
}

/**
 * Targets by hand, workplaces, exclusions and the credit rule, at the version read. The change must
 * leave a split that can be made (targets by hand within the municipal part) and the partners' targets
 * within theirs; else nothing changes (422).
 */
export async function changeProject(db: Db, actor: Actor, project: ProjectRecord, change: MatchProjectChange): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(matchProjects)
      .set({
        ...(change.creditRule ? { creditRule: change.creditRule } : {}),
        ...(change.excludedMunicipalityCodes ? { excludedMunicipalityCodes: [...new Set(change.excludedMunicipalityCodes)] } : {}),
        version: sql`${matchProjects.version} + 1`,
      })
      .where(and(eq(matchProjects.id, project.id), eq(matchProjects.version, change.version)))
      .returning();
    if (updated.length === 0) throw conflict('matchProject.stale');
    const row = updated[0]!;
    const codes = new Set(
      (await tx.select({ code: matchProjectMunicipalities.municipalityCode }).from(matchProjectMunicipalities).where(eq(matchProjectMunicipalities.projectId, project.id))).map((m) => m.code),
    );
    for (const [i, code] of (change.excludedMunicipalityCodes ?? []).entries()) if (!codes.has(code)) throw fieldProblem(`excludedMunicipalityCodes.${i}`, 'matchProject.municipalityNotInProject', { code });
    for (const [i, m] of (change.municipalities ?? []).entries()) {
      if (!codes.has(m.code)) throw fieldProblem(`municipalities.${i}.code`, 'matchProject.municipalityNotInProject', { code: m.code });
      if (m.targetOverride !== undefined && m.targetOverride !== null && row.excludedMunicipalityCodes.includes(m.code)) {
        throw fieldProblem(`municipalities.${i}.targetOverride`, 'matchProject.overrideExcluded', { code: m.code });
      }
      const set = { ...(m.workplaces !== undefined ? { workplaces: m.workplaces } : {}), ...(m.targetOverride !== undefined ? { targetOverride: m.targetOverride } : {}) };
      if (Object.keys(set).length > 0) await tx.update(matchProjectMunicipalities).set(set).where(and(eq(matchProjectMunicipalities.projectId, project.id), eq(matchProjectMunicipalities.municipalityCode, m.code)));
    }
    const partnerRows = await tx.select().from(matchProjectPartners).where(eq(matchProjectPartners.projectId, project.id));
    for (const [i, p] of (change.partners ?? []).entries()) {
      const partner = partnerRows.find((x) => x.organisationId === p.organisationId);
      if (!partner) throw fieldProblem(`partners.${i}.organisationId`, 'matchProject.notPartner');
      if (partner.municipalityCode !== null) throw fieldProblem(`partners.${i}.target`, 'matchProject.municipalPartnerTarget');
      partner.target = p.target;
      await tx.update(matchProjectPartners).set({ target: p.target }).where(and(eq(matchProjectPartners.projectId, project.id), eq(matchProjectPartners.organisationId, p.organisationId)));
    }
    const allocated = partnerRows.reduce((s, x) => s + (x.municipalityCode === null ? (x.target ?? 0) : 0), 0);
    const partnerTarget = row.targetTotal - row.municipalTarget;
    if (allocated > partnerTarget) throw fieldProblem('partners', 'matchProject.partnerTargetsExceed', { total: partnerTarget, allocated });
    const { problem } = await splitOf(tx, row);
    if (problem === 'matchProject.overridesExceed') throw fieldProblem('municipalities', problem, { total: row.municipalTarget });
    await audit(tx, actor, { action: 'update', entity: 'match_project', entityId: project.id, holders: [project.ownerOrganisationId], details: { fields: Object.keys(change).filter((k) => k !== 'version') } });
  });
}

/**
 * Workplaces from a StatBank export. Every municipality of the project must be in it, except those the
 * project's rule leaves out; municipalities outside the project are passed over.
 */
export async function importWorkplaces(db: Db, actor: Actor, project: ProjectRecord, bytes: Uint8Array): Promise<{ imported: number; period: string | null }> {
  const known = await db.select({ code: municipalityTable.code, name: municipalityTable.name }).from(municipalityTable);
  let table;
  try {
    table = parseStatbankWorkplaces(decodeStatbank(bytes), known);
  } catch (error) {
    if (error instanceof StatbankError) throw fieldProblem('contentBase64', error.key, error.params);
    throw error;
  }
  const [row] = await db.select().from(matchProjects).where(eq(matchProjects.id, project.id));
  const codes = (await db.select({ code: matchProjectMunicipalities.municipalityCode }).from(matchProjectMunicipalities).where(eq(matchProjectMunicipalities.projectId, project.id))).map((m) => m.code);
  const missing = codes.filter((c) => !table.values.has(c) && !row!.excludedMunicipalityCodes.includes(c));
  if (missing.length > 0) throw fieldProblem('contentBase64', 'statbank.missing', { municipalities: missing.map((c) => known.find((k) => k.code === c)!.name).join(', ') });
  const source = [table.title?.split(':')[0], table.period].filter(Boolean).join(' ') || null;
  await db.transaction(async (tx) => {
    for (const code of codes) {
      const workplaces = table.values.get(code);
      if (workplaces !== undefined) await tx.update(matchProjectMunicipalities).set({ workplaces }).where(and(eq(matchProjectMunicipalities.projectId, project.id), eq(matchProjectMunicipalities.municipalityCode, code)));
    }
    await tx.update(matchProjects).set({ workplacesSource: source, version: sql`${matchProjects.version} + 1` }).where(eq(matchProjects.id, project.id));
    await audit(tx, actor, { action: 'import', entity: 'match_project', entityId: project.id, details: { workplaces: source } });
  });
  return { imported: codes.filter((c) => table.values.has(c)).length, period: table.period };
}

/**
 * Registers a match: once, with the registering partner first and the partners it names after it. A
 * match like one already registered (same company, type, date and education) is refused with 409 until
 * confirmed, so two partners who helped with the same match do not count it twice; who registered the
 * other one is not said.
 */
export async function registerMatch(db: Db, actor: Actor, project: ProjectRecord, input: NewMatch & { helpedBy: string[]; confirmNotDuplicate: boolean }): Promise<string> {
  const [type] = await db.select().from(matchProjectTypes).where(and(eq(matchProjectTypes.projectId, project.id), eq(matchProjectTypes.key, input.typeKey)));
  if (!type) throw fieldProblem('typeKey', 'registeredMatch.typeUnknown');
  if (input.matchedOn < project.periodStart || input.matchedOn > project.periodEnd) throw fieldProblem('matchedOn', 'registeredMatch.outsidePeriod');
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, input.companyCvr));
  if (!company) throw fieldProblem('companyCvr', 'registeredMatch.companyUnknown');
  const helpers = [...new Set(input.helpedBy)].filter((id) => id !== actor.organisationId);
  for (const [i, id] of helpers.entries()) if (!project.partnerIds.includes(id)) throw fieldProblem(`helpedBy.${i}`, 'matchProject.notPartner');
  if (!input.confirmNotDuplicate) {
    const [same] = await db
      .select({ id: registeredMatches.id })
      .from(registeredMatches)
      .where(
        and(
          eq(registeredMatches.projectId, project.id), eq(registeredMatches.companyCvr, input.companyCvr), eq(registeredMatches.typeKey, input.typeKey),
          eq(registeredMatches.matchedOn, input.matchedOn), eq(registeredMatches.educationLevel, input.educationLevel), sql`lower(${registeredMatches.institution}) = lower(${input.institution})`,
        ),
      )
      .limit(1);
    if (same) throw conflict('registeredMatch.possibleDuplicate');
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(registeredMatches)
      .values({
        projectId: project.id, companyCvr: input.companyCvr, typeKey: input.typeKey, matchedOn: input.matchedOn, educationLevel: input.educationLevel as EducationLevel,
        institution: input.institution, registeredByOrganisationId: actor.organisationId, registeredBy: actor.userId,
      })
      .returning({ id: registeredMatches.id });
    await tx.insert(registeredMatchPartners).values([actor.organisationId, ...helpers].map((organisationId, position) => ({ matchId: row!.id, organisationId, position })));
    await audit(tx, actor, { action: 'create', entity: 'registered_match', entityId: row!.id, companyCvr: input.companyCvr, holders: helpers, details: { project: project.id, type: input.typeKey } });
    return row!.id;
  });
}

type MatchRow = {
  id: string;
  company_cvr: string;
  company_name: string;
  type_key: string;
  matched_on: string;
  education_level: EducationLevel;
  institution: string;
  registered_by_organisation_id: string;
  partner_ids: string[];
  partner_names: string[];
};

/** The matches the caller's organisation helped make (registered or named on), newest first. */
export async function listMatches(db: Db, actor: Actor, project: ProjectRecord): Promise<RegisteredMatch[]> {
  const rows = (
    await db.execute<MatchRow>(sql`
      SELECT m.id, m.company_cvr, c.name AS company_name, m.type_key, m.matched_on::text, m.education_level, m.institution, m.registered_by_organisation_id,
        array_agg(mp.organisation_id::text ORDER BY mp.position) AS partner_ids, array_agg(o.name ORDER BY mp.position) AS partner_names
      FROM registered_matches m
      JOIN companies c ON c.cvr = m.company_cvr
      JOIN registered_match_partners mp ON mp.match_id = m.id
      JOIN organisations o ON o.id = mp.organisation_id
      WHERE m.project_id = ${project.id}
        AND EXISTS (SELECT 1 FROM registered_match_partners mine WHERE mine.match_id = m.id AND mine.organisation_id = ${actor.organisationId})
      GROUP BY m.id, c.name
      ORDER BY m.matched_on DESC, m.created_at DESC
      LIMIT 1000`)
  ).rows;
  return rows.filter((r) => policy.matchProject.readMatch(actor, { partnerIds: r.partner_ids })).map((r) => presentMatch(actor, project.creditRule, r));
}

function presentMatch(actor: Actor, rule: CreditRule, r: MatchRow): RegisteredMatch {
  const credit = creditOf(rule, r.partner_ids);
  return {
    id: r.id,
    company: { cvr: r.company_cvr, name: r.company_name },
    typeKey: r.type_key,
    matchedOn: r.matched_on,
    educationLevel: r.education_level,
    institution: r.institution,
    registeredBy: { id: r.partner_ids[0]!, name: r.partner_names[0]! },
    partners: r.partner_ids.map((id, i) => ({ id, name: r.partner_names[i]!, credit: round2(credit.get(id) ?? 0) })),
    abilities: abilities.registeredMatch(actor, { registeredByOrganisationId: r.registered_by_organisation_id }),
  };
}

export async function deleteMatch(db: Db, actor: Actor, project: ProjectRecord, matchId: string): Promise<void> {
  const [match] = await db.select().from(registeredMatches).where(and(eq(registeredMatches.id, matchId), eq(registeredMatches.projectId, project.id)));
  const partnerIds = match ? (await db.select({ id: registeredMatchPartners.organisationId }).from(registeredMatchPartners).where(eq(registeredMatchPartners.matchId, matchId))).map((p) => p.id) : [];
  if (!match || !policy.matchProject.readMatch(actor, { partnerIds })) throw notFound('registeredMatch.notFound');
  if (!policy.matchProject.changeMatch(actor, match)) throw forbidden();
  await db.transaction(async (tx) => {
    await tx.delete(registeredMatches).where(eq(registeredMatches.id, matchId));
    await audit(tx, actor, { action: 'delete', entity: 'registered_match', entityId: matchId, companyCvr: match.companyCvr, holders: partnerIds });
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The calendar quarters from the project's start to its end or `asOf`, whichever comes first. */
function quartersOf(start: string, end: string): string[] {
  const out: string[] = [];
  let year = Number(start.slice(0, 4));
  let q = Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1;
  const last = quarterOf(end);
  for (;;) {
    const label = `${year}-Q${q}`;
    out.push(label);
    if (label === last || out.length > 200) break;
    q += 1;
    if (q === 5) {
      q = 1;
      year += 1;
    }
  }
  return out;
}

/**
 * Progress against the targets: every match once in the total; per partner its credit by the project's
 * rule; per municipality the credit of its partners (jobcentre and business service together), by type
 * and by quarter. Credits are rounded to hundredths only when shown.
 */
export async function progressOf(db: Db, project: ProjectRecord, asOf: Date): Promise<Progress> {
  const presentation = await detailsOf(db, project);
  const matches = (
    await db.execute<{ type_key: string; matched_on: string; partner_ids: string[] }>(sql`
      SELECT m.type_key, m.matched_on::text, array_agg(mp.organisation_id::text ORDER BY mp.position) AS partner_ids
      FROM registered_matches m JOIN registered_match_partners mp ON mp.match_id = m.id
      WHERE m.project_id = ${project.id} GROUP BY m.id`)
  ).rows;
  const today = asOf.toISOString().slice(0, 10);
  const quarters = quartersOf(project.periodStart, today < project.periodEnd ? (today < project.periodStart ? project.periodStart : today) : project.periodEnd);
  type Acc = { credited: number; byType: Record<string, number>; byQuarter: Record<string, number> };
  const empty = (): Acc => ({ credited: 0, byType: Object.fromEntries(presentation.types.map((t) => [t.key, 0])), byQuarter: Object.fromEntries(quarters.map((q) => [q, 0])) });
  const add = (acc: Acc, type: string, quarter: string, amount: number) => {
    acc.credited += amount;
    acc.byType[type] = (acc.byType[type] ?? 0) + amount;
    acc.byQuarter[quarter] = (acc.byQuarter[quarter] ?? 0) + amount;
  };
  const total = empty();
  const byTypeQuarter: Record<string, number> = {};
  const byPartner = new Map(presentation.partners.map((p) => [p.organisationId, empty()]));
  const byMunicipality = new Map((presentation.municipalities ?? []).map((m) => [m.code, empty()]));
  const municipalityOf = new Map(presentation.partners.map((p) => [p.organisationId, p.municipalityCode]));
  for (const m of matches) {
    const quarter = quarterOf(m.matched_on);
    add(total, m.type_key, quarter, 1);
    byTypeQuarter[`${m.type_key}|${quarter}`] = (byTypeQuarter[`${m.type_key}|${quarter}`] ?? 0) + 1;
    for (const [organisationId, credit] of creditOf(project.creditRule, m.partner_ids)) {
      const partner = byPartner.get(organisationId);
      if (partner) add(partner, m.type_key, quarter, credit);
      const code = municipalityOf.get(organisationId);
      const municipality = code === null || code === undefined ? undefined : byMunicipality.get(code);
      if (municipality) add(municipality, m.type_key, quarter, credit);
    }
  }
  const shown = (acc: Acc) => ({
    credited: round2(acc.credited),
    byType: Object.fromEntries(Object.entries(acc.byType).map(([k, v]) => [k, round2(v)])),
    byQuarter: Object.fromEntries(Object.entries(acc.byQuarter).map(([k, v]) => [k, round2(v)])),
  });
  return {
    asOf: today,
    quarters,
    types: presentation.types,
    total: { ...shown(total), matches: matches.length, target: presentation.targetTotal, byTypeQuarter },
    municipalities: (presentation.municipalities ?? []).map((m) => ({ code: m.code, name: m.name, excluded: m.excluded, target: m.excluded ? null : m.target, ...shown(byMunicipality.get(m.code)!) })),
    partners: presentation.partners.map((p) => ({ organisationId: p.organisationId, name: p.name, municipalityCode: p.municipalityCode, target: p.target, ...shown(byPartner.get(p.organisationId)!) })),
  };
}
