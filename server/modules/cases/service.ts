import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { caseAuthorEligible, consentInForce, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { findContacts } from '../contacts/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { municipalities, organisations } from '../organisations/schema.ts';
import { offers } from '../offers/schema.ts';
import { caseImages, cases, type CaseStatus } from './schema.ts';
import type { caseChangeBody, caseLibraryQuery, newCaseBody, PublicCase } from './schemas.ts';
import { caseRegions, sizeOf } from './tags.ts';

/**
 * Whether a case (row alias `c`) is public at `now`: published, and its company's publication consent
 * in force — recorded for this company by one of the organisations behind the case. Every public read
 * asks this, so a withdrawn consent takes the case off the library on the next request.
 */
export function casePublic(alias: string, now: Date): SQL {
  const c = sql.raw(alias);
  return sql`(${c}.status = 'published' AND EXISTS (SELECT 1 FROM consents pc WHERE pc.id = ${c}.consent_id AND pc.purpose = 'publication'
    AND pc.company_cvr = ${c}.company_cvr AND pc.recorded_by_organisation_id = ANY(${c}.organisation_ids) AND ${consentInForce('pc', now)}))`;
}

type Row = {
  id: string; title: string; summary: string; story: string; what_was_done: string; benefit: string; company_cvr: string; company_name: string | null;
  organisations: unknown; industries: unknown; municipalities: unknown; job_contents: unknown; company_size: string | null; benefits: unknown; themes: unknown;
  offers: unknown; organisation_ids: unknown; video_url: string | null; images: unknown; published_at: Date | null; status: CaseStatus; version: number;
  consent_id: string | null; consent_active: boolean | null; consent_given_at: Date | null; consent_org_id: string | null; consent_org_name: string | null;
  is_public: boolean; created_at: Date; updated_at: Date;
};

/** jsonb arrives parsed from one driver and as text from the other. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** A case as the back office sees it (`organisationIds` for the policy); the public sees `publicCase` of it. */
export interface CaseView extends PublicCase {
  status: CaseStatus;
  version: number;
  organisationIds: string[];
  consent: { id: string; active: boolean; givenAt: string; recordedByOrganisation: { id: string; name: string } | null } | null;
  public: boolean;
  createdAt: string;
  updatedAt: string;
}

async function findCases(db: Db, now: Date, where: SQL, page: { limit?: number; offset?: number; order?: SQL } = {}): Promise<CaseView[]> {
  const rows = (await db.execute<Row>(sql`
    SELECT c.id, c.title, c.summary, c.story, c.what_was_done, c.benefit, c.company_cvr, co.name AS company_name,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'type', o.type) ORDER BY o.name), '[]'::jsonb) FROM organisations o WHERE o.id = ANY(c.organisation_ids)) AS organisations,
      to_jsonb(c.organisation_ids) AS organisation_ids, to_jsonb(c.industries) AS industries, to_jsonb(c.job_contents) AS job_contents,
      to_jsonb(c.benefits) AS benefits, to_jsonb(c.themes) AS themes, c.company_size,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('code', m.code, 'name', m.name) ORDER BY m.name), '[]'::jsonb) FROM municipalities m WHERE m.code = ANY(c.municipality_codes)) AS municipalities,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'title', f.title) ORDER BY f.title), '[]'::jsonb) FROM offers f WHERE f.id = ANY(c.offer_ids) AND f.status = 'published') AS offers,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'alt', i.alt, 'contentType', i.content_type, 'size', i.size) ORDER BY i.created_at, i.id), '[]'::jsonb) FROM case_images i WHERE i.case_id = c.id) AS images,
      c.video_url, c.published_at, c.status, c.version, c.created_at, c.updated_at,
      sc.id AS consent_id, (sc.id IS NOT NULL AND ${consentInForce('sc', now)}) AS consent_active, sc.given_at AS consent_given_at,
      ro.id AS consent_org_id, ro.name AS consent_org_name, ${casePublic('c', now)} AS is_public
    FROM cases c
      JOIN companies co ON co.cvr = c.company_cvr
      LEFT JOIN consents sc ON sc.id = c.consent_id
      LEFT JOIN organisations ro ON ro.id = sc.recorded_by_organisation_id
    WHERE ${where}
    ORDER BY ${page.order ?? sql`c.published_at DESC NULLS LAST, c.title, c.id`}
    LIMIT ${page.limit ?? 500} OFFSET ${page.offset ?? 0}`)).rows;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    story: r.story,
    whatWasDone: r.what_was_done,
    benefit: r.benefit,
    company: { cvr: r.company_cvr, name: r.company_name ?? '' },
    organisations: json(r.organisations),
    organisationIds: json(r.organisation_ids),
    industries: json(r.industries),
    municipalities: json(r.municipalities),
    jobContents: json(r.job_contents),
    companySize: r.company_size,
    benefits: json(r.benefits),
    themes: json(r.themes),
    offers: json(r.offers),
    videoUrl: r.video_url,
    images: json(r.images),
    publishedAt: isoTime(r.published_at),
    status: r.status,
    version: Number(r.version),
    consent: r.consent_id
      ? { id: r.consent_id, active: !!r.consent_active, givenAt: isoTime(r.consent_given_at)!, recordedByOrganisation: r.consent_org_id ? { id: r.consent_org_id, name: r.consent_org_name ?? '' } : null }
      : null,
    public: r.is_public,
    createdAt: isoTime(r.created_at)!,
    updatedAt: isoTime(r.updated_at)!,
  }));
}

/** What the public sees of a case: none of the back office's bookkeeping (status, version, consent, organisations' ids). */
export function publicCase(c: CaseView): PublicCase {
  const { status: _s, version: _v, organisationIds: _o, consent: _c, public: _p, createdAt: _cr, updatedAt: _u, ...rest } = c;
  return rest;
}

/** The cases of the actor's organisation (it is among those behind them), every status. */
export function listCasesOf(db: Db, organisationId: string, now: Date): Promise<CaseView[]> {
  return findCases(db, now, sql`${organisationId}::uuid = ANY(c.organisation_ids)`, { order: sql`c.updated_at DESC, c.id` });
}

/** A case by id (any status), or undefined. */
export async function findCase(db: Db, id: string, now: Date): Promise<CaseView | undefined> {
  return (await findCases(db, now, sql`c.id = ${id}`))[0];
}

/** A public case by id, or undefined (a draft, an archived case and one without a publication consent in force are not). */
export async function publicCaseById(db: Db, id: string, now: Date): Promise<CaseView | undefined> {
  return (await findCases(db, now, sql`c.id = ${id} AND ${casePublic('c', now)}`))[0];
}

type CaseFields = Omit<z.output<typeof caseChangeBody>, 'version'>;

/**
 * Checks the ids a case refers to, refusing each on its own field: the organisations behind it exist
 * and include the actor's own; the consent is a publication consent in force for this company that
 * the actor's organisation recorded (no other, so a guessed or borrowed id is refused); the offers are
 * published; the municipalities exist.
 */
async function checkReferences(db: Db, actor: Actor, now: Date, companyCvr: string, fields: CaseFields, current?: CaseView) {
  if (fields.organisationIds) {
    const ids = [...new Set(fields.organisationIds)];
    if (!ids.includes(actor.organisationId)) throw fieldProblem('organisationIds', 'case.ownOrganisation');
    // Naming a co-author does not hand it the case: no organisation takes another off it (and with
    // it, perhaps, the publication consent that organisation recorded).
    if (current?.organisationIds.some((id) => id !== actor.organisationId && !ids.includes(id))) throw fieldProblem('organisationIds', 'case.removeOther');
    const found = await db.select({ id: organisations.id }).from(organisations).where(and(inArray(organisations.id, ids), caseAuthorEligible('organisations')));
    if (found.length !== ids.length) throw fieldProblem('organisationIds', 'case.organisationUnknown');
    fields.organisationIds = ids;
  }
  if (fields.consentId) {
    const [consent] = (await db.execute<{ id: string }>(sql`
      SELECT sc.id FROM consents sc
      WHERE sc.id = ${fields.consentId} AND sc.purpose = 'publication' AND sc.company_cvr = ${companyCvr}
        AND sc.recorded_by_organisation_id = ${actor.organisationId} AND ${consentInForce('sc', now)}`)).rows;
    if (!consent) throw fieldProblem('consentId', 'case.consentInvalid');
  }
  if (fields.offerIds && fields.offerIds.length > 0) {
    const ids = [...new Set(fields.offerIds)];
    const found = await db.select({ id: offers.id }).from(offers).where(and(inArray(offers.id, ids), eq(offers.status, 'published')));
    if (found.length !== ids.length) throw fieldProblem('offerIds', 'case.offerUnknown');
    fields.offerIds = ids;
  }
  if (fields.municipalityCodes && fields.municipalityCodes.length > 0) {
    const codes = [...new Set(fields.municipalityCodes)];
    const found = await db.select({ code: municipalities.code }).from(municipalities).where(inArray(municipalities.code, codes));
    if (found.length !== codes.length) throw fieldProblem('municipalityCodes', 'case.municipalityUnknown');
    fields.municipalityCodes = codes;
  }
}

/** Creates a draft case about a company (which must be in the register); its id. Geography and size default to the register's. */
export async function createCase(db: Db, actor: Actor, now: Date, body: z.output<typeof newCaseBody>): Promise<string> {
  const [company] = await db.select({ cvr: companies.cvr, municipalityCode: companies.municipalityCode, employees: companies.employees }).from(companies).where(eq(companies.cvr, body.companyCvr));
  if (!company) throw fieldProblem('companyCvr', 'case.companyUnknown');
  const { companyCvr: _cvr, ...rest } = body;
  const fields: CaseFields = {
    ...rest,
    organisationIds: body.organisationIds ?? [actor.organisationId],
    municipalityCodes: body.municipalityCodes ?? (company.municipalityCode ? [company.municipalityCode] : []),
    companySize: body.companySize === undefined ? sizeOf(company.employees) : body.companySize,
  };
  await checkReferences(db, actor, now, company.cvr, fields);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({ ...(fields as Required<CaseFields>), companyCvr: company.cvr, createdBy: actor.userId, createdAt: now, updatedAt: now })
      .returning({ id: cases.id });
    await audit(tx, actor, { action: 'create', entity: 'case', entityId: row!.id, companyCvr: company.cvr });
    return row!.id;
  });
}

/** Changes a case if it is still at `version` (else 409 case.stale), audited in the same transaction. */
export async function changeCase(db: Db, actor: Actor, now: Date, current: CaseView, version: number, changes: CaseFields) {
  await checkReferences(db, actor, now, current.company.cvr, changes, current);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(cases)
      .set({ ...changes, version: sql`${cases.version} + 1`, updatedAt: now })
      .where(and(eq(cases.id, current.id), eq(cases.version, version)))
      .returning({ id: cases.id });
    if (updated.length === 0) throw conflict('case.stale');
    await audit(tx, actor, { action: 'update', entity: 'case', entityId: current.id, companyCvr: current.company.cvr, details: { fields: Object.keys(changes) } });
  });
}

/** Publishes or archives a case, audited as the action. Publishing needs the company's publication consent in force. */
export async function moveCase(db: Db, actor: Actor, now: Date, current: CaseView, action: 'publish' | 'archive', to: CaseStatus) {
  if (action === 'publish' && !(current.consent?.active && current.organisationIds.includes(current.consent.recordedByOrganisation?.id ?? ''))) {
    throw conflict('case.consentRequired');
  }
  await db.transaction(async (tx) => {
    await tx
      .update(cases)
      .set({ status: to, version: sql`${cases.version} + 1`, updatedAt: now, ...(action === 'publish' ? { publishedAt: now } : {}) })
      .where(eq(cases.id, current.id));
    await audit(tx, actor, { action, entity: 'case', entityId: current.id, companyCvr: current.company.cvr });
  });
}

/**
 * A page of the public library: public cases matching free text (Danish stemming) and every tag
 * category — industry, geography (region or municipality), job content, company size, benefit —, a
 * theme, an organisation behind it or an offer it mentions; with how many match in all.
 */
export async function searchLibrary(db: Db, now: Date, query: z.output<typeof caseLibraryQuery>): Promise<{ items: CaseView[]; total: number; hasMore: boolean }> {
  const { q, industry, region, municipality, jobContent, companySize, benefit, theme, organisation, offer, page, pageSize } = query;
  const filters = [casePublic('c', now)];
  let order: SQL | undefined;
  if (q) {
    filters.push(sql`c.search_vector @@ websearch_to_tsquery('danish', ${q})`);
    order = sql`ts_rank(c.search_vector, websearch_to_tsquery('danish', ${q})) DESC, c.published_at DESC, c.id`;
  }
  if (industry) filters.push(sql`${industry} = ANY(c.industries)`);
  if (region) filters.push(sql`EXISTS (SELECT 1 FROM municipalities m WHERE m.code = ANY(c.municipality_codes) AND m.region = ${caseRegions[region]})`);
  if (municipality) filters.push(sql`${municipality}::int = ANY(c.municipality_codes)`);
  if (jobContent) filters.push(sql`${jobContent} = ANY(c.job_contents)`);
  if (companySize) filters.push(sql`c.company_size = ${companySize}`);
  if (benefit) filters.push(sql`${benefit} = ANY(c.benefits)`);
  if (theme) filters.push(sql`${theme} = ANY(c.themes)`);
  if (organisation) filters.push(sql`${organisation}::uuid = ANY(c.organisation_ids)`);
  if (offer) filters.push(sql`${offer}::uuid = ANY(c.offer_ids)`);
  const where = sql.join(filters, sql` AND `);
  const items = await findCases(db, now, where, { limit: pageSize + 1, offset: (page - 1) * pageSize, order });
  const [{ total }] = (await db.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM cases c WHERE ${where}`)).rows as [{ total: number }];
  return { items: items.slice(0, pageSize), total: Number(total), hasMore: items.length > pageSize };
}

/**
 * Public cases for a match or an offer (matchmaking calls this): those that mention the offer, then
 * those sharing a theme, newest first; at most `limit`. Only what the public library shows.
 */
export async function casesFor(db: Db, now: Date, about: { offerId?: string; themes?: readonly string[] }, limit = 5): Promise<PublicCase[]> {
  const themes = [...new Set(about.themes ?? [])];
  const conditions: SQL[] = [];
  if (about.offerId) conditions.push(sql`${about.offerId}::uuid = ANY(c.offer_ids)`);
  if (themes.length > 0) conditions.push(sql`c.themes && ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(themes)}::jsonb))`);
  if (conditions.length === 0) return [];
  const offerFirst = about.offerId ? sql`(${about.offerId}::uuid = ANY(c.offer_ids)) DESC,` : sql``;
  const rows = await findCases(db, now, sql`${casePublic('c', now)} AND (${sql.join(conditions, sql` OR `)})`, {
    limit,
    order: sql`${offerFirst} c.published_at DESC NULLS LAST, c.id`,
  });
  return rows.map(publicCase);
}

/** The image types a case may hold, told by their first bytes (never by the name or the declared type); SVG is not one (it can carry script). */
export function sniffImage(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const MAX_IMAGE_BYTES = 512 * 1024;
export const MAX_IMAGES = 6;

/** Adds an image to a case: a known type by its bytes, at most 512 KiB, at most six per case. Its id. */
export async function addImage(db: Db, actor: Actor, current: CaseView, alt: string, data: string): Promise<string> {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) throw fieldProblem('data', 'case.imageSize', { max: MAX_IMAGE_BYTES / 1024 });
  const contentType = sniffImage(bytes);
  if (!contentType) throw fieldProblem('data', 'case.imageType');
  if (current.images.length >= MAX_IMAGES) throw conflict('case.imageLimit', { max: MAX_IMAGES });
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(caseImages).values({ caseId: current.id, contentType, alt, bytes: new Uint8Array(bytes), size: bytes.length }).returning({ id: caseImages.id });
    await tx.update(cases).set({ version: sql`${cases.version} + 1` }).where(eq(cases.id, current.id));
    await audit(tx, actor, { action: 'update', entity: 'case', entityId: current.id, details: { image: 'added', imageId: row!.id } });
    return row!.id;
  });
}

export async function removeImage(db: Db, actor: Actor, current: CaseView, imageId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(caseImages).where(and(eq(caseImages.id, imageId), eq(caseImages.caseId, current.id))).returning({ id: caseImages.id });
    if (removed.length === 0) return false;
    await tx.update(cases).set({ version: sql`${cases.version} + 1` }).where(eq(cases.id, current.id));
    await audit(tx, actor, { action: 'update', entity: 'case', entityId: current.id, details: { image: 'removed', imageId } });
    return true;
  });
}

/** An image's bytes and type, if it belongs to the case. */
export async function imageOf(db: Db, caseId: string, imageId: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const [row] = await db.select({ contentType: caseImages.contentType, bytes: caseImages.bytes }).from(caseImages).where(and(eq(caseImages.id, imageId), eq(caseImages.caseId, caseId)));
  return row ? { contentType: row.contentType, bytes: Buffer.from(row.bytes) } : undefined;
}

/**
 * Sends a contact person of a company links to public cases, by mail through the outbox, audited.
 * The contact must be one the actor may see on that company, with an e-mail address; every case must
 * be public now. The same selection to the same person on the same day is queued once (dedupe key).
 */
export async function sendCases(
  db: Db, actor: Actor, now: Date, input: { companyCvr: string; contactId: string; caseIds: string[]; message?: string }, links: { publicUrl: string },
): Promise<{ queued: boolean; to: string; caseIds: string[] }> {
  const [contact] = await findContacts(db, actor, now, sql`ct.id = ${input.contactId} AND ct.company_cvr = ${input.companyCvr} AND ct.erased_at IS NULL`);
  if (!contact) throw fieldProblem('contactId', 'contact.unknown');
  if (!contact.email) throw fieldProblem('contactId', 'case.contactNoEmail');
  const ids = [...new Set(input.caseIds)];
  const found = await findCases(db, now, sql`c.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) AND ${casePublic('c', now)}`);
  if (found.length !== ids.length) throw fieldProblem('caseIds', 'case.notPublic');
  const byId = new Map(found.map((c) => [c.id, c]));
  const ordered = ids.map((id) => byId.get(id)!);
  const list = ordered.map((c) => `• ${c.title}\n  ${links.publicUrl}/historier/${c.id}`).join('\n');
  const [sender] = (await db.execute<{ name: string }>(sql`SELECT name FROM organisations WHERE id = ${actor.organisationId}`)).rows;
  const dedupeKey = `cases.sent:${actor.organisationId}:${contact.id}:${[...ids].sort().join(',')}:${now.toISOString().slice(0, 10)}`;
  return db.transaction(async (tx) => {
    const before = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM mail_outbox WHERE dedupe_key = ${dedupeKey}`)).rows[0]!.n;
    await queueMail(tx, {
      to: contact.email!,
      dedupeKey,
      subject: ordered.length === 1 ? `En god historie fra ${sender?.name ?? 'erhvervsfremmesystemet'}` : `Gode historier fra ${sender?.name ?? 'erhvervsfremmesystemet'}`,
      text:
        `Kære ${contact.name}\n\n${input.message ? `${input.message}\n\n` : ''}${actor.name} fra ${sender?.name ?? ''} sender dig ${ordered.length === 1 ? 'en historie' : 'nogle historier'} om virksomheder, der har haft gavn af et samarbejde:\n\n${list}\n\n` +
        `— In English: ${actor.name} of ${sender?.name ?? ''} sends you case stories about companies like yours (links above).\n`,
    });
    const queued = Number(before) === 0;
    if (queued) {
      await audit(tx, actor, { action: 'send', entity: 'case', companyCvr: input.companyCvr, details: { caseIds: ids, contactId: contact.id } });
    }
    return { queued, to: contact.email!, caseIds: ids };
  });
}
