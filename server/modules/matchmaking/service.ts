import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Lang } from '../../http/i18n.ts';
import { conflict, fieldProblem, forbidden, notFound } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { consentInForce, cooperationVisible, matchVisible, policy, type Actor, type MatchRecord } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { companies } from '../companies/schema.ts';
import { consents } from '../consents/schema.ts';
import { assertContactOf } from '../contacts/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { themeName } from '../organisations/themes.ts';
import { cooperationItems, matches, type CooperationKind, type MatchCounterpartKind, type MatchStatus } from './schema.ts';
import type { agreementBody, changeCooperationBody, CooperationData, Counterpart, MatchSide, newCooperationBody, newMatchBody, Reason } from './schemas.ts';

/** Arrays come back from raw SQL as JSON (to_jsonb): one decoding for PGlite and node-postgres alike. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

// ---------------------------------------------------------------------------------------------
// Needs and offers of cooperation

type ItemRow = {
  id: string; kind: CooperationKind; company_cvr: string; company_name: string | null; organisation_id: string; organisation_name: string; title: string;
  themes: unknown; industry_codes: unknown; municipality_codes: unknown; regions: unknown; countries: unknown; description: string;
  status: 'open' | 'closed'; version: number; created_at: Date; updated_at: Date;
};

/** Needs and offers matching `where` that the actor may see (`cooperationVisible`), newest first. */
export async function findCooperation(db: Db, actor: Actor, now: Date, where: SQL, limit = 200): Promise<CooperationData[]> {
  const rows = (await db.execute<ItemRow>(sql`
    SELECT i.id, i.kind, i.company_cvr, co.name AS company_name, i.organisation_id, o.name AS organisation_name, i.title,
      to_jsonb(i.themes) AS themes, to_jsonb(i.industry_codes) AS industry_codes, to_jsonb(i.municipality_codes) AS municipality_codes,
      to_jsonb(i.regions) AS regions, to_jsonb(i.countries) AS countries, i.description, i.status, i.version, i.created_at, i.updated_at
    FROM cooperation_items i JOIN companies co ON co.cvr = i.company_cvr JOIN organisations o ON o.id = i.organisation_id
    WHERE ${cooperationVisible(actor, 'i', now)} AND ${where}
    ORDER BY i.status, i.created_at DESC, i.id
    LIMIT ${limit}`)).rows;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    company: { cvr: r.company_cvr, name: r.company_name ?? r.company_cvr },
    organisation: { id: r.organisation_id, name: r.organisation_name },
    title: r.title,
    themes: json(r.themes),
    industryCodes: json(r.industry_codes),
    municipalityCodes: json(r.municipality_codes),
    regions: json(r.regions),
    countries: json(r.countries),
    description: r.description,
    status: r.status,
    version: Number(r.version),
    createdAt: isoTime(r.created_at)!,
    updatedAt: isoTime(r.updated_at)!,
  }));
}

/** Records a need or offer of the actor's organisation on a company (which must exist); its id. */
export async function createCooperation(db: Db, actor: Actor, companyCvr: string, body: z.output<typeof newCooperationBody>): Promise<string> {
  const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, companyCvr));
  if (!company) throw notFound('company.notFound', { cvr: companyCvr });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cooperationItems)
      .values({ ...body, companyCvr, organisationId: actor.organisationId, createdBy: actor.userId })
      .returning({ id: cooperationItems.id });
    await audit(tx, actor, { action: 'create', entity: 'cooperation', entityId: row!.id, companyCvr, details: { kind: body.kind } });
    return row!.id;
  });
}

/** Changes a need or offer the actor may change, if `version` is still the one read. */
export async function changeCooperation(db: Db, actor: Actor, now: Date, item: CooperationData, change: z.output<typeof changeCooperationBody>): Promise<void> {
  const { version, ...fields } = change;
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(cooperationItems)
      .set({ ...fields, updatedAt: now, version: sql`${cooperationItems.version} + 1` })
      .where(and(eq(cooperationItems.id, item.id), eq(cooperationItems.version, version)))
      .returning({ id: cooperationItems.id });
    if (updated.length === 0) throw conflict('cooperation.stale');
    await audit(tx, actor, { action: 'update', entity: 'cooperation', entityId: item.id, companyCvr: item.company.cvr, details: { fields: Object.keys(fields) } });
  });
}

// ---------------------------------------------------------------------------------------------
// Scoring: every part is a reason with its weight; the score is their sum (at most 100).

/** How much each part can count; shown beside the score so nobody has to guess. */
export const WEIGHTS = { themes: 35, industry: 20, geography: 15, size: 5, text: 15, trigram: 10 } as const;
/** Suggestions below this are noise, not matches. */
const MIN_SCORE = 10;
const MAX_SUGGESTIONS = 15;
/** Themes a knowledge institution answers (student projects, research, skills). */
const KNOWLEDGE_THEMES = ['innovation', 'skills', 'digitalisation', 'green_transition', 'design'];
/** Words that ask for a knowledge institution (student projects, interns, research), stemmed by the same Danish configuration. */
const KNOWLEDGE_WORDS = 'studerende studieprojekt studiepraktik praktikant studiejob specialestuderende speciale forskning forsker universitet uddannelse akademiker kandidat';

type Band = 'micro' | 'small' | 'medium' | 'large';
const bandOf = (employees: number | null): Band | null =>
  employees === null ? null : employees < 10 ? 'micro' : employees < 50 ? 'small' : employees < 250 ? 'medium' : 'large';
const BANDS: Band[] = ['micro', 'small', 'medium', 'large'];
const bandName: Record<Lang, Record<Band, string>> = {
  da: { micro: 'mikro (under 10 ansatte)', small: 'lille (10–49 ansatte)', medium: 'mellemstor (50–249 ansatte)', large: 'stor (250+ ansatte)' },
  en: { micro: 'micro (under 10 employees)', small: 'small (10–49 employees)', medium: 'medium (50–249 employees)', large: 'large (250+ employees)' },
};
const targetBands: Record<string, Band[]> = { pre_starter: ['micro'], entrepreneur: ['micro'], sme: ['micro', 'small', 'medium'], large: ['large'] };

interface Profile {
  themes: string[];
  industry: string[];
  municipalities: number[];
  regions: string[];
  countries: string[];
  bands: Band[];
}

interface Places {
  name: Map<number, string>;
  region: Map<number, string>;
}

const commonPrefix = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/** A part of a score with what it matched on (theme keys, codes, words) as kept on a proposed match. */
export type ScoredReason = Reason & { values: string[] };

/** The parts of a score between a source's profile and a candidate's; each part only when it counts. */
export function scoreParts(
  source: Profile, candidate: Profile, text: { sharedWords: string[]; trigram: number; trigramOf: string }, lang: Lang, places: Places,
  options: { themesOf?: string[]; wholeCountry?: boolean } = {},
): ScoredReason[] {
  const reasons: ScoredReason[] = [];
  const wanted = options.themesOf ?? source.themes;
  const sharedThemes = wanted.filter((x) => candidate.themes.includes(x));
  if (sharedThemes.length > 0 && wanted.length > 0) {
    reasons.push({ kind: 'themes', weight: Math.round((WEIGHTS.themes * sharedThemes.length) / wanted.length), detail: sharedThemes.map((k) => themeName(k, lang)).join(', '), values: sharedThemes });
  }
  let best: { points: number; detail: string } | null = null;
  for (const a of source.industry) {
    for (const b of candidate.industry) {
      const n = commonPrefix(a, b);
      const whole = n === Math.min(a.length, b.length);
      // DB07: two digits are a main group, three a group; a code that is another's prefix asked for exactly that.
      const points = whole && n >= 2 ? WEIGHTS.industry : n >= 3 ? 14 : n >= 2 ? 8 : 0;
      if (points > (best?.points ?? 0)) best = { points, detail: a === b ? a : `${a} ↔ ${b}` };
    }
  }
  if (best) reasons.push({ kind: 'industry', weight: best.points, detail: best.detail, values: [] });
  const countries = source.countries.filter((c) => candidate.countries.includes(c));
  const municipalities = source.municipalities.filter((c) => candidate.municipalities.includes(c));
  const regions = source.regions.filter((r) => candidate.regions.includes(r));
  if (countries.length > 0) reasons.push({ kind: 'geography', weight: WEIGHTS.geography, detail: countries.join(', '), values: [] });
  else if (municipalities.length > 0) reasons.push({ kind: 'geography', weight: 10, detail: municipalities.map((c) => places.name.get(c) ?? String(c)).join(', '), values: [] });
  else if (regions.length > 0) reasons.push({ kind: 'geography', weight: 6, detail: regions.join(', '), values: [] });
  else if (options.wholeCountry) reasons.push({ kind: 'geography', weight: 4, detail: lang === 'da' ? 'Hele landet' : 'The whole country', values: [] });
  const [band] = source.bands;
  if (band && candidate.bands.length > 0) {
    if (candidate.bands.includes(band)) reasons.push({ kind: 'size', weight: WEIGHTS.size, detail: bandName[lang][band], values: [] });
    else if (candidate.bands.some((b) => Math.abs(BANDS.indexOf(b) - BANDS.indexOf(band)) === 1)) reasons.push({ kind: 'size', weight: 2, detail: candidate.bands.map((b) => bandName[lang][b]).join(', '), values: [] });
  }
  if (text.sharedWords.length > 0) reasons.push({ kind: 'text', weight: Math.min(WEIGHTS.text, 5 * text.sharedWords.length), detail: text.sharedWords.slice(0, 8).join(', '), values: [] });
  if (text.trigram >= 0.2) reasons.push({ kind: 'trigram', weight: Math.round(WEIGHTS.trigram * Math.min(1, text.trigram)), detail: `"${text.trigramOf}" (${text.trigram.toFixed(2)})`, values: [] });
  // Other parts are kept as shown; only theme names follow the reader's language.
  return reasons.map((r) => (r.kind === 'themes' ? r : { ...r, values: [r.detail] }));
}

export interface RawSuggestion {
  counterpart: Counterpart;
  score: number;
  reasons: ScoredReason[];
  matchId: string | null;
}

async function placesOf(db: Db): Promise<Places> {
  const rows = (await db.execute<{ code: number; name: string; region: string }>(sql`SELECT code, name, region FROM municipalities`)).rows;
  return { name: new Map(rows.map((r) => [Number(r.code), r.name])), region: new Map(rows.map((r) => [Number(r.code), r.region])) };
}

type SourceRow = {
  id: string; kind: CooperationKind; company_cvr: string; title: string; description: string; themes: unknown; industry_codes: unknown;
  municipality_codes: unknown; regions: unknown; countries: unknown; industry_code: string | null; municipality_code: number | null; employees: number | null;
};

/** The source item's query: its own lexemes (Danish stems) OR-ed, so a candidate sharing any word is found by the GIN index. */
const SOURCE = (id: string) => sql`
  s AS (
    SELECT i.id, i.kind, i.company_cvr, i.title, i.themes, i.search_vector,
      CASE WHEN length(i.search_vector) > 0
        THEN array_to_string(array(SELECT quote_literal(l) FROM unnest(tsvector_to_array(i.search_vector)) l), ' | ')::tsquery END AS q
    FROM cooperation_items i WHERE i.id = ${id}
  )`;

const sharedWords = (vector: SQL) => sql`to_jsonb(array(SELECT l FROM unnest(tsvector_to_array(${vector})) l WHERE l = ANY(tsvector_to_array(s.search_vector)) ORDER BY l))`;

export type Only = { kind: 'company'; itemId: string } | { kind: 'offer'; offerId: string } | { kind: 'institution'; organisationId: string };

/**
 * Suggested counterparts for a need or offer the actor can see, best first: other companies' opposite
 * items the actor can see, published catalogue offers and knowledge institutions (for a need). The
 * candidate pool is found through indexes (shared theme, shared word, similar title) and capped before
 * scoring; with `only`, that one counterpart is scored (a proposal keeps the score it was made with).
 */
export async function suggestionsFor(db: Db, actor: Actor, now: Date, itemId: string, lang: Lang, only?: Only): Promise<RawSuggestion[]> {
  const [src] = (await db.execute<SourceRow>(sql`
    SELECT i.id, i.kind, i.company_cvr, i.title, i.description, to_jsonb(i.themes) AS themes, to_jsonb(i.industry_codes) AS industry_codes,
      to_jsonb(i.municipality_codes) AS municipality_codes, to_jsonb(i.regions) AS regions, to_jsonb(i.countries) AS countries,
      co.industry_code, co.municipality_code, co.employees
    FROM cooperation_items i JOIN companies co ON co.cvr = i.company_cvr WHERE i.id = ${itemId}`)).rows;
  if (!src) return [];
  const places = await placesOf(db);
  const profileOf = (r: { themes: unknown; industry_codes: unknown; municipality_codes: unknown; regions: unknown; countries: unknown; industry_code: string | null; municipality_code: number | null; employees: number | null }): Profile => {
    const municipalities = [...json<number[]>(r.municipality_codes), ...(r.municipality_code ? [Number(r.municipality_code)] : [])];
    const band = bandOf(r.employees === null ? null : Number(r.employees));
    return {
      themes: json(r.themes),
      industry: [...json<string[]>(r.industry_codes), ...(r.industry_code ? [r.industry_code] : [])],
      municipalities,
      regions: [...new Set([...json<string[]>(r.regions), ...municipalities.map((m) => places.region.get(m)).filter((x): x is string => !!x)])],
      countries: json(r.countries),
      bands: band ? [band] : [],
    };
  };
  const source = profileOf(src);
  const out: RawSuggestion[] = [];

  if (!only || only.kind === 'company') {
    const rows = (await db.execute<SourceRow & { holder_id: string; holder_name: string; company_name: string | null; shared_words: unknown; trigram: number; match_id: string | null }>(sql`
      WITH ${SOURCE(itemId)}
      SELECT c.id, c.kind, c.company_cvr, c.title, to_jsonb(c.themes) AS themes, to_jsonb(c.industry_codes) AS industry_codes,
        to_jsonb(c.municipality_codes) AS municipality_codes, to_jsonb(c.regions) AS regions, to_jsonb(c.countries) AS countries,
        co.name AS company_name, co.industry_code, co.municipality_code, co.employees, o.id AS holder_id, o.name AS holder_name,
        ${sharedWords(sql`c.search_vector`)} AS shared_words, similarity(c.title, s.title) AS trigram,
        (SELECT m.id FROM matches m WHERE m.status <> 'declined'
           AND ((m.a_item_id = s.id AND m.b_item_id = c.id) OR (m.a_item_id = c.id AND m.b_item_id = s.id)) LIMIT 1) AS match_id
      FROM s JOIN cooperation_items c ON c.kind <> s.kind AND c.status = 'open' AND c.company_cvr <> s.company_cvr
        JOIN companies co ON co.cvr = c.company_cvr JOIN organisations o ON o.id = c.organisation_id
      WHERE ${only ? sql`c.id = ${only.itemId}` : sql`(c.themes && s.themes OR c.search_vector @@ s.q OR c.title % s.title)`}
        AND ${cooperationVisible(actor, 'c', now)}
      ORDER BY cardinality(array(SELECT unnest(c.themes) INTERSECT SELECT unnest(s.themes))) DESC, ts_rank(c.search_vector, s.q) DESC NULLS LAST, c.id
      LIMIT 200`)).rows;
    for (const r of rows) {
      const reasons = scoreParts(source, profileOf(r), { sharedWords: json(r.shared_words), trigram: Number(r.trigram), trigramOf: r.title }, lang, places);
      out.push({
        counterpart: { kind: 'company', id: r.id, title: r.title, itemKind: r.kind, company: { cvr: r.company_cvr, name: r.company_name ?? r.company_cvr }, holder: { id: r.holder_id, name: r.holder_name } },
        score: reasons.reduce((sum, x) => sum + x.weight, 0),
        reasons,
        matchId: r.match_id,
      });
    }
  }

  if (src.kind === 'need' && (!only || only.kind === 'offer')) {
    const rows = (await db.execute<{ id: string; title: string; themes: unknown; municipality_codes: unknown; target_groups: unknown; holder_id: string; holder_name: string; shared_words: unknown; trigram: number; match_id: string | null }>(sql`
      WITH ${SOURCE(itemId)}
      SELECT o.id, o.title, to_jsonb(o.themes) AS themes, to_jsonb(o.municipality_codes) AS municipality_codes, to_jsonb(o.target_groups) AS target_groups,
        op.id AS holder_id, op.name AS holder_name, ${sharedWords(sql`o.search_vector`)} AS shared_words, similarity(o.title, s.title) AS trigram,
        (SELECT m.id FROM matches m WHERE m.status <> 'declined' AND m.a_item_id = s.id AND m.b_offer_id = o.id LIMIT 1) AS match_id
      FROM s JOIN offers o ON o.status = 'published' JOIN organisations op ON op.id = o.operator_id
      WHERE ${only ? sql`o.id = ${only.offerId}` : sql`(o.themes && s.themes OR o.search_vector @@ s.q)`}
      ORDER BY cardinality(array(SELECT unnest(o.themes) INTERSECT SELECT unnest(s.themes))) DESC, ts_rank(o.search_vector, s.q) DESC NULLS LAST, o.id
      LIMIT 100`)).rows;
    for (const r of rows) {
      const municipalities = json<number[]>(r.municipality_codes);
      const candidate: Profile = {
        themes: json(r.themes), industry: [], municipalities, countries: [],
        regions: [...new Set(municipalities.map((m) => places.region.get(m)).filter((x): x is string => !!x))],
        bands: [...new Set(json<string[]>(r.target_groups).flatMap((g) => targetBands[g] ?? []))],
      };
      const reasons = scoreParts(source, candidate, { sharedWords: json(r.shared_words), trigram: Number(r.trigram), trigramOf: r.title }, lang, places, { wholeCountry: municipalities.length === 0 });
      out.push({
        counterpart: { kind: 'offer', id: r.id, title: r.title, itemKind: null, company: null, holder: { id: r.holder_id, name: r.holder_name } },
        score: reasons.reduce((sum, x) => sum + x.weight, 0),
        reasons,
        matchId: r.match_id,
      });
    }
  }

  if (src.kind === 'need' && (!only || only.kind === 'institution')) {
    const rows = (await db.execute<{ id: string; name: string; municipality_code: number | null; shared_words: unknown; trigram: number; match_id: string | null }>(sql`
      WITH ${SOURCE(itemId)}
      SELECT org.id, org.name, org.municipality_code,
        ${sharedWords(sql`to_tsvector('danish'::regconfig, ${KNOWLEDGE_WORDS})`)} AS shared_words,
        word_similarity(org.name, s.title || ' ' || ${src.description}) AS trigram,
        (SELECT m.id FROM matches m WHERE m.status <> 'declined' AND m.a_item_id = s.id AND m.b_institution_id = org.id LIMIT 1) AS match_id
      FROM s JOIN organisations org ON org.type = 'education_institution'
      WHERE ${only ? sql`org.id = ${only.organisationId}` : sql`TRUE`}
      ORDER BY org.name, org.id
      LIMIT 50`)).rows;
    for (const r of rows) {
      const municipalities = r.municipality_code ? [Number(r.municipality_code)] : [];
      const candidate: Profile = {
        themes: KNOWLEDGE_THEMES, industry: [], municipalities, countries: [], bands: [],
        regions: municipalities.map((m) => places.region.get(m)).filter((x): x is string => !!x),
      };
      const reasons = scoreParts(source, candidate, { sharedWords: json(r.shared_words), trigram: Number(r.trigram), trigramOf: r.name }, lang, places);
      out.push({
        counterpart: { kind: 'institution', id: r.id, title: r.name, itemKind: null, company: null, holder: { id: r.id, name: r.name } },
        score: reasons.reduce((sum, x) => sum + x.weight, 0),
        reasons,
        matchId: r.match_id,
      });
    }
  }

  if (only) return out;
  return out
    .filter((x) => x.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.counterpart.title.localeCompare(b.counterpart.title, 'da') || a.counterpart.id.localeCompare(b.counterpart.id))
    .slice(0, MAX_SUGGESTIONS);
}

// ---------------------------------------------------------------------------------------------
// Matches

type MatchRow = {
  id: string; status: MatchStatus; score: number; reasons: unknown; note: string; proposed_at: Date; introduced_at: Date | null;
  proposer_org_id: string; proposer_org_name: string;
  a_item_id: string; a_holder_id: string; a_holder_name: string; a_title: string; a_item_kind: CooperationKind; a_themes: unknown; a_cvr: string; a_company_name: string | null;
  a_accepted_at: Date | null; a_consent_id: string | null; a_given_by: string | null; a_given_at: Date | null; a_agreed: boolean; a_contact_ids: unknown;
  b_kind: MatchCounterpartKind; b_id: string; b_holder_id: string; b_holder_name: string; b_title: string; b_item_kind: CooperationKind | null; b_themes: unknown;
  b_cvr: string | null; b_company_name: string | null; b_offer_contact_name: string | null; b_offer_contact_email: string | null;
  b_accepted_at: Date | null; b_consent_id: string | null; b_given_by: string | null; b_given_at: Date | null; b_agreed: boolean; b_contact_ids: unknown;
};

export interface MatchData {
  id: string;
  status: MatchStatus;
  score: number;
  reasons: Reason[];
  note: string;
  proposedBy: { id: string; name: string };
  proposedAt: string;
  introducedAt: string | null;
  a: MatchSide;
  b: MatchSide;
  record: MatchRecord & { status: MatchStatus; aAccepted: boolean; bAccepted: boolean };
  contactIds: { a: string[]; b: string[] };
}

/** Matches matching `where` the actor may see (`matchVisible`), newest first; contacts are filled in by `withContacts`. */
export async function findMatches(db: Db, actor: Actor, now: Date, where: SQL, lang: Lang, limit = 200): Promise<MatchData[]> {
  const agreed = (column: SQL) => sql`(${column} IS NOT NULL AND EXISTS (SELECT 1 FROM consents sc WHERE sc.id = ${column} AND sc.purpose = 'introduction' AND ${consentInForce('sc', now)}))`;
  const rows = (await db.execute<MatchRow>(sql`
    SELECT m.id, m.status, m.score, m.reasons, m.note, m.proposed_at, m.introduced_at, po.id AS proposer_org_id, po.name AS proposer_org_name,
      m.a_item_id, m.a_holder_id, ah.name AS a_holder_name, ai.title AS a_title, ai.kind AS a_item_kind, to_jsonb(ai.themes) AS a_themes,
      ai.company_cvr AS a_cvr, ac.name AS a_company_name, m.a_accepted_at, m.a_consent_id, ag.given_by_name AS a_given_by, ag.given_at AS a_given_at,
      ${agreed(sql`m.a_consent_id`)} AS a_agreed, to_jsonb(m.a_contact_ids) AS a_contact_ids,
      m.b_kind, coalesce(m.b_item_id, m.b_offer_id, m.b_institution_id) AS b_id, m.b_holder_id, bh.name AS b_holder_name,
      coalesce(bi.title, bo.title, bh.name) AS b_title, bi.kind AS b_item_kind, to_jsonb(coalesce(bi.themes, bo.themes, '{}'::text[])) AS b_themes,
      bi.company_cvr AS b_cvr, bc.name AS b_company_name, bo.contact_name AS b_offer_contact_name, bo.contact_email AS b_offer_contact_email,
      m.b_accepted_at, m.b_consent_id, bg.given_by_name AS b_given_by, bg.given_at AS b_given_at,
      ${agreed(sql`m.b_consent_id`)} AS b_agreed, to_jsonb(m.b_contact_ids) AS b_contact_ids
    FROM matches m
      JOIN organisations po ON po.id = m.proposed_by_organisation_id
      JOIN cooperation_items ai ON ai.id = m.a_item_id
      JOIN companies ac ON ac.cvr = ai.company_cvr
      JOIN organisations ah ON ah.id = m.a_holder_id
      JOIN organisations bh ON bh.id = m.b_holder_id
      LEFT JOIN cooperation_items bi ON bi.id = m.b_item_id
      LEFT JOIN companies bc ON bc.cvr = bi.company_cvr
      LEFT JOIN offers bo ON bo.id = m.b_offer_id
      LEFT JOIN consents ag ON ag.id = m.a_consent_id
      LEFT JOIN consents bg ON bg.id = m.b_consent_id
    WHERE ${matchVisible(actor, 'm')} AND ${where}
    ORDER BY m.proposed_at DESC, m.id
    LIMIT ${limit}`)).rows;
  return rows.map((r) => {
    const record = {
      aHolderId: r.a_holder_id, bHolderId: r.b_holder_id, bIsCompany: r.b_kind === 'company', aAgreed: r.a_agreed, bAgreed: r.b_agreed,
      status: r.status, aAccepted: r.a_accepted_at !== null, bAccepted: r.b_accepted_at !== null,
    };
    const stored = json<{ kind: Reason['kind']; weight: number; values: string[] }[]>(r.reasons);
    return {
      id: r.id,
      status: r.status,
      score: Number(r.score),
      reasons: stored.map((x) => ({ kind: x.kind, weight: x.weight, detail: x.kind === 'themes' ? x.values.map((k) => themeName(k, lang)).join(', ') : x.values.join(', ') })),
      note: r.note,
      proposedBy: { id: r.proposer_org_id, name: r.proposer_org_name },
      proposedAt: isoTime(r.proposed_at)!,
      introducedAt: isoTime(r.introduced_at),
      a: {
        kind: 'company', id: r.a_item_id, title: r.a_title, itemKind: r.a_item_kind, themes: json(r.a_themes),
        company: { cvr: r.a_cvr, name: r.a_company_name ?? r.a_cvr }, holder: { id: r.a_holder_id, name: r.a_holder_name },
        acceptedAt: isoTime(r.a_accepted_at),
        agreement: { consentId: r.a_consent_id, givenByName: r.a_given_by, givenAt: isoTime(r.a_given_at), inForce: r.a_agreed },
        contacts: null, publicContact: null,
      },
      b: {
        kind: r.b_kind, id: r.b_id, title: r.b_title, itemKind: r.b_item_kind, themes: json(r.b_themes),
        company: r.b_cvr ? { cvr: r.b_cvr, name: r.b_company_name ?? r.b_cvr } : null, holder: { id: r.b_holder_id, name: r.b_holder_name },
        acceptedAt: isoTime(r.b_accepted_at),
        agreement: r.b_kind === 'company' ? { consentId: r.b_consent_id, givenByName: r.b_given_by, givenAt: isoTime(r.b_given_at), inForce: r.b_agreed } : null,
        contacts: null,
        publicContact: r.b_kind === 'offer' ? { name: r.b_offer_contact_name, email: r.b_offer_contact_email } : null,
      },
      record,
      contactIds: { a: json(r.a_contact_ids), b: json(r.b_contact_ids) },
    };
  });
}

type ContactRow = { id: string; name: string; title: string | null; email: string | null; phone: string | null };

async function contactsByIds(db: Db, ids: string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  return (await db.execute<ContactRow>(sql`
    SELECT ct.id, ct.name, ct.title, ct.email, ct.phone FROM contacts ct
    WHERE ct.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) AND ct.erased_at IS NULL
    ORDER BY ct.name, ct.id`)).rows;
}

/**
 * Fills in each side's introduced contact persons where `policy.match.seesContactsOf` allows; reading the
 * other side's is audited so its holder sees it in its own audit view.
 */
export async function withContacts(db: Db, actor: Actor, match: MatchData): Promise<MatchData> {
  const out = { ...match, a: { ...match.a }, b: { ...match.b } };
  for (const side of ['a', 'b'] as const) {
    if (!policy.match.seesContactsOf(actor, match.record, side)) continue;
    out[side].contacts = await contactsByIds(db, match.contactIds[side]);
    const holder = side === 'a' ? match.record.aHolderId : match.record.bHolderId;
    if (holder !== actor.organisationId && out[side].contacts!.length > 0) {
      await audit(db, actor, { action: 'read', entity: 'contact', companyCvr: out[side].company?.cvr ?? null, details: { match: match.id, count: out[side].contacts!.length }, holders: [holder] });
    }
  }
  return out;
}

/** Where a counterpart is held, or a field problem when the actor cannot see it. */
async function counterpartOf(db: Db, actor: Actor, now: Date, item: CooperationData, body: z.output<typeof newMatchBody>['counterpart']) {
  if (body.kind === 'company') {
    const [other] = await findCooperation(db, actor, now, sql`i.id = ${body.itemId}`);
    if (!other) throw fieldProblem('counterpart.itemId', 'cooperation.unknown');
    if (other.kind === item.kind || other.company.cvr === item.company.cvr) throw fieldProblem('counterpart.itemId', 'matchmaking.kindsMismatch');
    if (other.status !== 'open') throw fieldProblem('counterpart.itemId', 'matchmaking.closed');
    return { only: { kind: 'company', itemId: other.id } as Only, holderId: other.organisation.id, values: { bItemId: other.id } };
  }
  if (item.kind !== 'need') throw fieldProblem('counterpart.kind', 'matchmaking.needOnly');
  if (body.kind === 'offer') {
    const [offer] = (await db.execute<{ id: string; operator_id: string }>(sql`SELECT id, operator_id FROM offers WHERE id = ${body.offerId} AND status = 'published'`)).rows;
    if (!offer) throw fieldProblem('counterpart.offerId', 'matchmaking.offerUnknown');
    return { only: { kind: 'offer', offerId: offer.id } as Only, holderId: offer.operator_id, values: { bOfferId: offer.id } };
  }
  const [institution] = (await db.execute<{ id: string }>(sql`SELECT id FROM organisations WHERE id = ${body.organisationId} AND type = 'education_institution'`)).rows;
  if (!institution) throw fieldProblem('counterpart.organisationId', 'matchmaking.institutionUnknown');
  return { only: { kind: 'institution', organisationId: institution.id } as Only, holderId: institution.id, values: { bInstitutionId: institution.id } };
}

/**
 * Proposes a match of `item` (which the actor can see) with a counterpart it can see, scored as a
 * suggestion would be; the actor's organisation must hold one side. Returns its id.
 */
export async function proposeMatch(db: Db, actor: Actor, now: Date, body: z.output<typeof newMatchBody>, lang: Lang): Promise<string> {
  const [item] = await findCooperation(db, actor, now, sql`i.id = ${body.itemId}`);
  if (!item) throw fieldProblem('itemId', 'cooperation.unknown');
  if (item.status !== 'open') throw fieldProblem('itemId', 'matchmaking.closed');
  const counterpart = await counterpartOf(db, actor, now, item, body.counterpart);
  const holders = { aHolderId: item.organisation.id, bHolderId: counterpart.holderId };
  // Only a side's holder proposes: nobody pairs two other organisations' companies.
  if (!policy.match.propose(actor, holders)) throw forbidden();
  const [scored] = await suggestionsFor(db, actor, now, item.id, lang, counterpart.only);
  if (!scored) throw fieldProblem('counterpart', 'cooperation.unknown');
  if (scored.matchId) throw conflict('matchmaking.exists');
  const stored = scored.reasons.map((r) => ({ kind: r.kind, weight: r.weight, values: r.values }));
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(matches)
      .values({
        aItemId: item.id, aHolderId: holders.aHolderId, bKind: body.counterpart.kind, ...counterpart.values, bHolderId: holders.bHolderId,
        score: scored.score, reasons: stored, note: body.note, proposedBy: actor.userId, proposedByOrganisationId: actor.organisationId, proposedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: matches.id });
    if (inserted.length === 0) throw conflict('matchmaking.exists');
    const id = inserted[0]!.id;
    await audit(tx, actor, { action: 'create', entity: 'match', entityId: id, companyCvr: item.company.cvr, details: { kind: body.counterpart.kind, score: scored.score }, holders: [holders.aHolderId, holders.bHolderId] });
    return id;
  });
}

const holderOf = (match: MatchData, side: 'a' | 'b') => (side === 'a' ? match.record.aHolderId : match.record.bHolderId);

/** Accepts a proposed match for one side; when both sides have accepted, the match is accepted. */
export async function acceptMatch(db: Db, actor: Actor, now: Date, match: MatchData, side: 'a' | 'b'): Promise<void> {
  if (match.status !== 'proposed') throw conflict('matchmaking.state');
  const acceptedAt = side === 'a' ? matches.aAcceptedAt : matches.bAcceptedAt;
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(matches)
      .set(side === 'a' ? { aAcceptedAt: now, aAcceptedBy: actor.userId, version: sql`${matches.version} + 1` } : { bAcceptedAt: now, bAcceptedBy: actor.userId, version: sql`${matches.version} + 1` })
      .where(and(eq(matches.id, match.id), eq(matches.status, 'proposed'), sql`${acceptedAt} IS NULL`))
      .returning({ id: matches.id });
    if (updated.length === 0) throw conflict('matchmaking.state');
    await tx.execute(sql`UPDATE matches SET status = 'accepted' WHERE id = ${match.id} AND status = 'proposed' AND a_accepted_at IS NOT NULL AND b_accepted_at IS NOT NULL`);
    await audit(tx, actor, { action: 'accept', entity: 'match', entityId: match.id, companyCvr: match[side].company?.cvr ?? null, details: { side }, holders: [match.record.aHolderId, match.record.bHolderId] });
  });
}

/**
 * Records that a side's company agreed to be introduced: a consent with purpose `introduction`,
 * recorded by the side's holder, naming the other side's holder, linked to this match with the contact
 * persons the company agreed to pass on (the holder's own, of that company). Only on an accepted match.
 */
export async function recordAgreement(db: Db, actor: Actor, now: Date, match: MatchData, body: z.output<typeof agreementBody>): Promise<void> {
  const side = match[body.side];
  if (!side.company || !side.agreement) throw fieldProblem('side', 'matchmaking.sideNotCompany');
  if (match.status !== 'accepted') throw conflict('matchmaking.notAccepted');
  if (side.agreement.inForce) throw conflict('matchmaking.alreadyAgreed');
  const subject = { companyCvr: side.company.cvr, prospectId: null };
  if (body.givenByContactId) await assertContactOf(db, actor, now, body.givenByContactId, subject, 'givenByContactId', { own: true });
  const contactIds = [...new Set(body.contactIds)];
  for (const id of contactIds) await assertContactOf(db, actor, now, id, subject, 'contactIds', { own: true });
  const other = holderOf(match, body.side === 'a' ? 'b' : 'a');
  await db.transaction(async (tx) => {
    const [consent] = await tx
      .insert(consents)
      .values({
        companyCvr: side.company!.cvr, purpose: 'introduction', scope: 'named', organisationIds: [other],
        givenByContactId: body.givenByContactId ?? null, givenByName: body.givenByName, givenAt: now, channel: body.channel,
        recordedBy: actor.userId, recordedByOrganisationId: actor.organisationId,
      })
      .returning({ id: consents.id });
    const updated = await tx
      .update(matches)
      .set(body.side === 'a' ? { aConsentId: consent!.id, aContactIds: contactIds, version: sql`${matches.version} + 1` } : { bConsentId: consent!.id, bContactIds: contactIds, version: sql`${matches.version} + 1` })
      .where(and(eq(matches.id, match.id), eq(matches.status, 'accepted')))
      .returning({ id: matches.id });
    if (updated.length === 0) throw conflict('matchmaking.notAccepted');
    await audit(tx, actor, { action: 'create', entity: 'consent', entityId: consent!.id, companyCvr: side.company!.cvr, details: { purpose: 'introduction', match: match.id, contacts: contactIds.length } });
  });
}

/**
 * Introduces the two sides once every company side agreed: each side's introduced contacts get a mail
 * with the other side's (queued in the same transaction, once per match and recipient).
 */
export async function introduce(db: Db, actor: Actor, now: Date, match: MatchData, links: { publicUrl: string }): Promise<void> {
  if (match.status !== 'accepted') throw conflict('matchmaking.notAccepted');
  if (!policy.match.agreed(match.record)) throw conflict('matchmaking.agreementMissing');
  const [aContacts, bContacts] = await Promise.all([contactsByIds(db, match.contactIds.a), contactsByIds(db, match.contactIds.b)]);
  const describe = (side: MatchSide, contacts: ContactRow[]) => {
    const lines = contacts.map((c) => `- ${c.name}${c.title ? `, ${c.title}` : ''}${c.email ? `, ${c.email}` : ''}${c.phone ? `, ${c.phone}` : ''}`);
    if (side.publicContact) lines.push(`- ${side.publicContact.name ?? ''}${side.publicContact.email ? `, ${side.publicContact.email}` : ''}`);
    const who = side.company ? `${side.company.name} (CVR ${side.company.cvr})` : side.holder.name;
    return `${who}: ${side.title}\n${lines.join('\n') || `- ${side.holder.name}`}`;
  };
  const mails: { to: string; key: string; other: string }[] = [];
  for (const c of aContacts) if (c.email) mails.push({ to: c.email, key: c.id, other: describe(match.b, bContacts) });
  for (const c of bContacts) if (c.email) mails.push({ to: c.email, key: c.id, other: describe(match.a, aContacts) });
  if (match.b.publicContact?.email) mails.push({ to: match.b.publicContact.email, key: `offer:${match.b.id}`, other: describe(match.a, aContacts) });
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(matches)
      .set({ status: 'introduced', introducedAt: now, introducedBy: actor.userId, version: sql`${matches.version} + 1` })
      .where(and(eq(matches.id, match.id), eq(matches.status, 'accepted')))
      .returning({ id: matches.id });
    if (updated.length === 0) throw conflict('matchmaking.notAccepted');
    for (const mail of mails) {
      await queueMail(tx, {
        to: mail.to,
        dedupeKey: `match.introduction:${match.id}:${mail.key}`,
        subject: 'Introduktion til en samarbejdspartner / Introduction to a partner',
        text:
          `Som aftalt med jeres erhvervsfremmeaktør introducerer vi jer for:\n\n${mail.other}\n\n` +
          `Begge parter har givet samtykke til, at kontaktoplysningerne gives videre.\n\n` +
          `— In English: as agreed with your business adviser, we introduce you to the partner above; both sides consented to sharing these contact details.\n\n${links.publicUrl}\n`,
      });
    }
    await audit(tx, actor, {
      action: 'introduce', entity: 'match', entityId: match.id, companyCvr: match.a.company?.cvr ?? null,
      details: { mails: mails.length }, holders: [match.record.aHolderId, match.record.bHolderId],
    });
  });
}

/** Declines a live match (either side's holder); a declined pair can be proposed again. */
export async function declineMatch(db: Db, actor: Actor, now: Date, match: MatchData): Promise<void> {
  if (match.status !== 'proposed' && match.status !== 'accepted') throw conflict('matchmaking.state');
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(matches)
      .set({ status: 'declined', declinedAt: now, declinedBy: actor.userId, version: sql`${matches.version} + 1` })
      .where(and(eq(matches.id, match.id), sql`${matches.status} IN ('proposed', 'accepted')`))
      .returning({ id: matches.id });
    if (updated.length === 0) throw conflict('matchmaking.state');
    await audit(tx, actor, { action: 'decline', entity: 'match', entityId: match.id, companyCvr: match.a.company?.cvr ?? null, holders: [match.record.aHolderId, match.record.bHolderId] });
  });
}
