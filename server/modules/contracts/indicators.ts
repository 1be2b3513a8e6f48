import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { evaluationResults } from '../evaluations/service.ts';
import { fulfilment } from '../evaluations/results.ts';
import type { EventKind } from '../events/schema.ts';
import type { IndicatorDefinition, Scale } from './indicator-types.ts';

export interface BreakdownPart {
  label: string;
  /** Null when withheld from an aggregate-only reader (see ./disclosure.ts). */
  value: number | null;
  target: number | null;
  /** How many companies the part rests on; null when it does not count companies. */
  basis?: number | null;
  withheld?: Withheld;
}

/** Why a figure is not shown to an aggregate-only reader: it rests on fewer than 5 companies, or it would reveal one that does. */
export type Withheld = 'fewer_than_5' | 'suppressed' | null;

export interface GoalValue {
  value: number | null;
  target: number | null;
  fulfilment: number | null;
  unit: string;
  /** How many companies the value rests on (answers, guided companies, …); null when it does not count companies. */
  basis: number | null;
  /** Fulfilment is computed from the breakdown's parts (split targets), so hiding a part hides it too. */
  fulfilmentFromParts?: boolean;
  breakdown: BreakdownPart[];
  /**
   * What the breakdown's parts are made of, for disclosure control (never shown): the disjoint groups
   * of companies, for every combination of parts (indices into `breakdown`) the companies counted in
   * exactly those; `parts: []` are those in no part (the remainder). Only for goals whose parts count
   * companies.
   */
  cells?: BreakdownCell[];
}

export interface BreakdownCell {
  parts: number[];
  basis: number;
}

export interface ContractScope {
  hubId: string;
  from: string;
  to: string;
  year: number;
}

function score(value: number | null, target: number | null, scale: Scale, parts?: { value: number; target: number | null }[]): number | null {
  if (value === null) return null;
  if (scale.type === 'thresholds') return fulfilment(value, scale.thresholds);
  if (scale.type === 'proportional') {
    const targets = parts?.filter((p) => p.target) ?? [];
    if (targets.length) {
      const sum = targets.reduce((s, p) => s + p.target!, 0);
      return Math.round((1000 * targets.reduce((s, p) => s + Math.min(p.value, p.target!), 0)) / sum) / 10;
    }
    return target ? Math.min(100, Math.round((1000 * value) / target) / 10) : null;
  }
  return null;
}

/** Computes one goal's value, target and fulfilment over the contract period up to `to`. */
export async function computeIndicator(db: Db, indicator: IndicatorDefinition, scope: ContractScope): Promise<GoalValue> {
  const { hubId, from, to } = scope;
  switch (indicator.type) {
    case 'nps':
    case 'effect_share': {
      const { overall } = await evaluationResults(db, { hub: hubId, from, to });
      const value = indicator.type === 'nps' ? overall.nps : overall.effectShare;
      const rounded = value === null ? null : Math.round(value * 10) / 10;
      const target = indicator.scale.type === 'thresholds' ? Math.max(...indicator.scale.thresholds.map((t) => t.min)) : null;
      // The companies that answered the question (an answer without a CVR number counts as one).
      const [row] = (await db.execute<{ n: number }>(sql`
        SELECT count(DISTINCT coalesce(a.company_cvr, a.id::text))::int AS n FROM evaluation_answers a
        WHERE a.organisation_id = ${hubId} AND a.answered_on BETWEEN ${from}::date AND ${to}::date
          AND ${indicator.type === 'nps' ? sql`a.nps IS NOT NULL` : sql`a.effect IS NOT NULL`}`)).rows;
      const basis = Number(row?.n ?? 0);
      const answers = indicator.type === 'nps' ? overall.npsAnswers : overall.effectAnswers;
      return { value: rounded, target, fulfilment: score(value, target, indicator.scale), unit: indicator.type === 'nps' ? 'NPS' : '%', basis, breakdown: [{ label: 'Svar', value: answers, target: null, basis }], cells: basis > 0 ? [{ parts: [0], basis }] : [] };
    }
    case 'guided_companies': {
      // One row per company and delivery category (and the company's municipality); counted here, so
      // that the parts and what they are made of (companies in none, or in two) come from the same rows.
      // A company guided in two categories counts once in the total.
      const rows = (await db.execute<{ cvr: string; key: string | null; municipality: number | string | null }>(sql`
        SELECT DISTINCT e.company_cvr AS cvr, dc.key, c.municipality_code AS municipality
        FROM engagements e LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id LEFT JOIN companies c ON c.cvr = e.company_cvr
        WHERE e.organisation_id = ${hubId} AND e.level = 'specialised' AND e.company_cvr IS NOT NULL
          AND e.opened_on <= ${to}::date AND (e.closed_on IS NULL OR e.closed_on >= ${from}::date)`)).rows;
      const companies = new Map<string, { keys: Set<string>; uncategorised: boolean; municipality: number | null }>();
      for (const r of rows) {
        const c = companies.get(r.cvr) ?? { keys: new Set<string>(), uncategorised: false, municipality: r.municipality === null ? null : Number(r.municipality) };
        if (r.key === null) c.uncategorised = true;
        else c.keys.add(r.key);
        companies.set(r.cvr, c);
      }
      const split = indicator.split ?? [];
      // Without a split, the breakdown is by delivery category ('-': none).
      const keys = [...new Set([...companies.values()].flatMap((c) => [...c.keys, ...(c.uncategorised ? ['-'] : [])]))].sort();
      type Guided = typeof companies extends Map<string, infer C> ? C : never;
      const inPart: ((c: Guided) => boolean)[] = split.length
        ? split.map((s) => (c) => ('categories' in s ? s.categories.some((k) => c.keys.has(k)) : c.municipality !== null && s.municipalities.includes(c.municipality)))
        : keys.map((k) => (c) => (k === '-' ? c.uncategorised : c.keys.has(k)));
      const counts = inPart.map(() => 0);
      const patterns = new Map<string, BreakdownCell>();
      for (const c of companies.values()) {
        const parts = inPart.flatMap((member, i) => (member(c) ? [i] : []));
        for (const i of parts) counts[i]!++;
        const key = parts.join(',');
        const cell = patterns.get(key) ?? { parts, basis: 0 };
        cell.basis++;
        patterns.set(key, cell);
      }
      const total = companies.size;
      const parts = split.map((s, i) => ({ label: s.label, value: counts[i]!, target: s.target, basis: counts[i]! }));
      const target = indicator.target ?? (parts.length ? parts.reduce((sum, p) => sum + p.target, 0) : null);
      return {
        value: total,
        target,
        fulfilment: score(total, target, indicator.scale, parts),
        unit: 'virksomheder',
        basis: total,
        fulfilmentFromParts: indicator.scale.type === 'proportional' && parts.some((p) => p.target),
        breakdown: split.length ? parts : keys.map((label, i) => ({ label, value: counts[i]!, target: null, basis: counts[i]! })),
        cells: [...patterns.values()],
      };
    }
    case 'engagements': {
      const [row] = (await db.execute<{ n: number; companies: number }>(sql`
        SELECT count(*)::int AS n, count(DISTINCT coalesce(e.company_cvr, e.prospect_id::text))::int AS companies FROM engagements e
        WHERE e.organisation_id = ${hubId} AND e.opened_on BETWEEN ${from}::date AND ${to}::date
          ${indicator.level ? sql`AND e.level = ${indicator.level}` : sql``}
          ${indicator.theme ? sql`AND ${indicator.theme} = ANY(e.themes)` : sql``}`)).rows;
      const value = Number(row?.n ?? 0);
      return { value, target: indicator.target ?? null, fulfilment: score(value, indicator.target ?? null, indicator.scale), unit: 'forløb', basis: Number(row?.companies ?? 0), breakdown: [] };
    }
    case 'referrals': {
      const [row] = (await db.execute<{ n: number; companies: number }>(sql`
        SELECT count(*)::int AS n, count(DISTINCT coalesce(r.company_cvr, r.engagement_id::text))::int AS companies
        FROM referrals r JOIN organisations tor ON tor.id = r.to_organisation_id
        WHERE ${indicator.direction === 'sent' ? sql`r.from_organisation_id` : sql`r.to_organisation_id`} = ${hubId}
          AND (r.sent_at AT TIME ZONE 'Europe/Copenhagen')::date BETWEEN ${from}::date AND ${to}::date
          ${indicator.receiverType ? sql`AND tor.type = ${indicator.receiverType}` : sql``}`)).rows;
      const value = Number(row?.n ?? 0);
      return { value, target: indicator.target ?? null, fulfilment: score(value, indicator.target ?? null, indicator.scale), unit: 'henvisninger', basis: Number(row?.companies ?? 0), breakdown: [] };
    }
    case 'intent_declarations': {
      const rows = (await db.execute<{ name: string; declared: boolean; evaluated: boolean }>(sql`
        SELECT m.name, (d.signed_on IS NOT NULL AND d.signed_on <= ${to}::date) AS declared,
               (d.evaluation_meeting_on IS NOT NULL AND d.evaluation_meeting_on <= ${to}::date) AS evaluated
        FROM municipalities m
          LEFT JOIN intent_declarations d ON d.municipality_code = m.code AND d.hub_id = ${hubId} AND d.year = ${scope.year}
        WHERE m.hub_id = ${hubId} ORDER BY m.name`)).rows;
      const value = rows.filter((r) => r.declared && r.evaluated).length;
      const target = rows.length;
      const scale = indicator.scale.type === 'thresholds' ? indicator.scale : { type: 'thresholds' as const, thresholds: [{ min: target, percent: 100 }] };
      return {
        value,
        target,
        fulfilment: score(value, target, scale),
        unit: 'kommuner',
        basis: null,
        breakdown: rows.map((r) => ({ label: `${r.name}: ${r.declared ? 'hensigtserklæring' : 'ingen hensigtserklæring'}, ${r.evaluated ? 'evalueret' : 'ikke evalueret'}`, value: r.declared && r.evaluated ? 1 : 0, target: 1 })),
      };
    }
    case 'events_held':
      return eventsHeld(db, indicator, scope);
    case 'manual': {
      const done = indicator.deliverables.filter((d) => d.done).length;
      return { value: done, target: indicator.deliverables.length, fulfilment: indicator.fulfilment, unit: 'leverancer', basis: null, breakdown: indicator.deliverables.map((d) => ({ label: d.title, value: d.done ? 1 : 0, target: 1 })) };
    }
  }
}

/** Danish names of the event kinds, for the breakdown and the reports (which are Danish). */
const eventKindLabels: Record<EventKind, string> = {
  workshop: 'Workshops',
  network_meeting: 'Netværksmøder',
  course: 'Kurser',
  fair: 'Messer',
  delegation_visit: 'Delegationsbesøg',
  academy: 'ErhvervsfremmeAkademier',
  webinar: 'Webinarer',
  other: 'Andre arrangementer',
};

/**
 * The events of the hub's that count: organised or co-organised by it, not cancelled, and ended within
 * the period up to the report's date (by the day they ended in Denmark; the report's date, not the
 * clock, so that a report as of a date always counts the same).
 */
function heldEventsSql(hubId: string, from: string, to: string, kinds: readonly EventKind[] | undefined) {
  return sql`
    FROM events e
    WHERE (e.organiser_organisation_id = ${hubId} OR EXISTS (SELECT 1 FROM event_co_organisers co WHERE co.event_id = e.id AND co.organisation_id = ${hubId}))
      AND e.status <> 'cancelled'
      AND (e.ends_at AT TIME ZONE 'Europe/Copenhagen')::date BETWEEN ${from}::date AND ${to}::date
      ${kinds?.length ? sql`AND e.kind IN (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})` : sql``}`;
}

type EventsHeld = Extract<IndicatorDefinition, { type: 'events_held' }>;

async function eventsHeld(db: Db, indicator: EventsHeld, { hubId, from, to }: ContractScope): Promise<GoalValue> {
  const deliverables = (indicator.deliverables ?? []).map((d) => ({ label: d.title, value: d.done ? 1 : 0, target: 1 }));
  const done = deliverables.reduce((sum, d) => sum + d.value, 0);
  const target = indicator.target ?? null;
  // Each deliverable weighs as much as one event of the target ("2 academies and the agreements": 3 parts).
  const fulfilmentOf = (value: number) =>
    indicator.scale.type === 'proportional' && deliverables.length > 0 && target !== null
      ? Math.round((1000 * (Math.min(value, target) + done)) / (target + deliverables.length)) / 10
      : score(value, target, indicator.scale);
  if (indicator.measure === 'participants') {
    // Participants who attended; the companies (or prospects, or people without either) they came from are the basis.
    const [row] = (await db.execute<{ n: number; companies: number }>(sql`
      SELECT count(*)::int AS n, count(DISTINCT coalesce(p.company_cvr, p.prospect_id::text, p.id::text))::int AS companies
      FROM event_participants p WHERE p.status = 'attended' AND p.event_id IN (SELECT e.id ${heldEventsSql(hubId, from, to, indicator.kinds)})`)).rows;
    const value = Number(row?.n ?? 0);
    return { value, target, fulfilment: fulfilmentOf(value), unit: 'deltagere', basis: Number(row?.companies ?? 0), breakdown: deliverables };
  }
  const rows = (await db.execute<{ kind: EventKind; n: number }>(sql`
    SELECT e.kind, count(*)::int AS n ${heldEventsSql(hubId, from, to, indicator.kinds)} GROUP BY e.kind ORDER BY e.kind`)).rows;
  const value = rows.reduce((sum, r) => sum + Number(r.n), 0);
  // Events are the hub's own public activity, not companies: nothing here is withheld (basis null).
  const byKind = (indicator.kinds ?? rows.map((r) => r.kind)).map((kind) => ({ label: eventKindLabels[kind], value: Number(rows.find((r) => r.kind === kind)?.n ?? 0), target: null }));
  return { value, target, fulfilment: fulfilmentOf(value), unit: 'arrangementer', basis: null, breakdown: [...byKind, ...deliverables] };
}

/** When each company counted in a cumulative figure: unit (company) → the dates it added to the figure. */
export type Contributions = Map<string, string[]>;

/**
 * What a company-based goal's figure (and each part of its breakdown, by label) is made of over time:
 * for every company, the dates on which it added to the figure (answers, entering the guided
 * companies, engagements opened, referrals sent). Null for goals that do not count companies.
 * Disclosure control uses it so that two cumulative figures at different dates never differ by
 * fewer than 5 companies (./disclosure.ts).
 */
export async function contributionsOf(db: Db, indicator: IndicatorDefinition, scope: Omit<ContractScope, 'year'>): Promise<{ value: Contributions; parts: Map<string, Contributions> } | null> {
  const { hubId, from, to } = scope;
  const collect = (rows: { unit: string; day: string }[]) => {
    const out: Contributions = new Map();
    for (const r of rows) {
      const dates = out.get(r.unit);
      if (dates) dates.push(r.day);
      else out.set(r.unit, [r.day]);
    }
    return out;
  };
  switch (indicator.type) {
    case 'nps':
    case 'effect_share': {
      const rows = (await db.execute<{ unit: string; day: string }>(sql`
        SELECT DISTINCT coalesce(a.company_cvr, a.id::text) AS unit, to_char(a.answered_on, 'YYYY-MM-DD') AS day FROM evaluation_answers a
        WHERE a.organisation_id = ${hubId} AND a.answered_on BETWEEN ${from}::date AND ${to}::date
          AND ${indicator.type === 'nps' ? sql`a.nps IS NOT NULL` : sql`a.effect IS NOT NULL`}`)).rows;
      const value = collect(rows);
      return { value, parts: new Map([['Svar', value]]) };
    }
    case 'guided_companies': {
      // A company enters the figure when its first qualifying engagement opens (at the period's start at the earliest).
      const rows = (await db.execute<{ unit: string; key: string | null; municipality: number | null; day: string }>(sql`
        SELECT e.company_cvr AS unit, dc.key, c.municipality_code AS municipality, to_char(greatest(min(e.opened_on), ${from}::date), 'YYYY-MM-DD') AS day
        FROM engagements e LEFT JOIN delivery_categories dc ON dc.id = e.delivery_category_id LEFT JOIN companies c ON c.cvr = e.company_cvr
        WHERE e.organisation_id = ${hubId} AND e.level = 'specialised' AND e.company_cvr IS NOT NULL
          AND e.opened_on <= ${to}::date AND (e.closed_on IS NULL OR e.closed_on >= ${from}::date)
        GROUP BY 1, 2, 3`)).rows;
      const entry = (filter: (r: (typeof rows)[number]) => boolean) => {
        const first = new Map<string, string>();
        for (const r of rows) if (filter(r) && (!first.has(r.unit) || r.day < first.get(r.unit)!)) first.set(r.unit, r.day);
        return collect([...first].map(([unit, day]) => ({ unit, day })));
      };
      const parts = new Map<string, Contributions>();
      if (indicator.split?.length) {
        for (const s of indicator.split) {
          parts.set(s.label, 'categories' in s ? entry((r) => r.key !== null && s.categories.includes(r.key)) : entry((r) => r.municipality !== null && s.municipalities.includes(Number(r.municipality))));
        }
      } else {
        for (const key of new Set(rows.map((r) => r.key ?? '-'))) parts.set(key, entry((r) => (r.key ?? '-') === key));
      }
      return { value: entry(() => true), parts };
    }
    case 'engagements': {
      const rows = (await db.execute<{ unit: string; day: string }>(sql`
        SELECT DISTINCT coalesce(e.company_cvr, e.prospect_id::text) AS unit, to_char(e.opened_on, 'YYYY-MM-DD') AS day FROM engagements e
        WHERE e.organisation_id = ${hubId} AND e.opened_on BETWEEN ${from}::date AND ${to}::date
          ${indicator.level ? sql`AND e.level = ${indicator.level}` : sql``}
          ${indicator.theme ? sql`AND ${indicator.theme} = ANY(e.themes)` : sql``}`)).rows;
      return { value: collect(rows), parts: new Map() };
    }
    case 'referrals': {
      const sentOn = sql`(r.sent_at AT TIME ZONE 'Europe/Copenhagen')::date`;
      const rows = (await db.execute<{ unit: string; day: string }>(sql`
        SELECT DISTINCT coalesce(r.company_cvr, r.engagement_id::text) AS unit, to_char(${sentOn}, 'YYYY-MM-DD') AS day
        FROM referrals r JOIN organisations tor ON tor.id = r.to_organisation_id
        WHERE ${indicator.direction === 'sent' ? sql`r.from_organisation_id` : sql`r.to_organisation_id`} = ${hubId}
          AND ${sentOn} BETWEEN ${from}::date AND ${to}::date
          ${indicator.receiverType ? sql`AND tor.type = ${indicator.receiverType}` : sql``}`)).rows;
      return { value: collect(rows), parts: new Map() };
    }
    case 'events_held': {
      if (indicator.measure !== 'participants') return null;
      const rows = (await db.execute<{ unit: string; day: string }>(sql`
        SELECT DISTINCT coalesce(p.company_cvr, p.prospect_id::text, p.id::text) AS unit, to_char(e.ends_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD') AS day
        FROM event_participants p JOIN events e ON e.id = p.event_id
        WHERE p.status = 'attended' AND e.id IN (SELECT e.id ${heldEventsSql(hubId, from, to, indicator.kinds)})`)).rows;
      return { value: collect(rows), parts: new Map() };
    }
    default:
      return null;
  }
}

/**
 * Which companies (or events) of its hub a company-counting figure counts, beyond its period: a goal's
 * value and each part of its breakdown. Two figures of the same `kind` whose filters contain one
 * another (`filterContains`) and whose periods do too count nested populations, so their difference
 * counts the companies in the one and not the other (./disclosure.ts compares them).
 */
export type FigureFilter = Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;

export interface FigureSeries {
  kind: string;
  /** The figure counts companies, each once (guided companies); otherwise events (answers, engagements, referrals) of companies. */
  companiesOnly: boolean;
  value: FigureFilter;
  part: (label: string) => FigureFilter;
}

const sortedUnique = <T extends string | number>(values: readonly T[]) => [...new Set(values)].sort();

export function seriesOf(indicator: IndicatorDefinition): FigureSeries | null {
  switch (indicator.type) {
    case 'nps':
    case 'effect_share':
      // The one part, the answers, counts the same answers as the value.
      return { kind: indicator.type, companiesOnly: false, value: {}, part: () => ({}) };
    case 'guided_companies': {
      const split = indicator.split ?? [];
      return {
        kind: 'guided_companies',
        companiesOnly: true,
        value: {},
        part: (label): FigureFilter => {
          if (split.length === 0) return label === '-' ? { uncategorised: true } : { categories: [label] };
          const s = split.find((p) => p.label === label);
          if (!s) return { label };
          return 'categories' in s ? { categories: sortedUnique(s.categories) } : { municipalities: sortedUnique(s.municipalities) };
        },
      };
    }
    case 'engagements':
      return { kind: 'engagements', companiesOnly: false, value: { ...(indicator.level ? { level: indicator.level } : {}), ...(indicator.theme ? { theme: indicator.theme } : {}) }, part: () => ({}) };
    case 'referrals':
      return { kind: `referrals:${indicator.direction}`, companiesOnly: false, value: indicator.receiverType ? { receiverType: indicator.receiverType } : {}, part: () => ({}) };
    case 'events_held':
      // Attendances of companies; a figure of events held counts no companies.
      return indicator.measure === 'participants' ? { kind: 'event_participants', companiesOnly: false, value: indicator.kinds ? { kinds: sortedUnique(indicator.kinds) } : {}, part: () => ({}) } : null;
    default:
      return null;
  }
}

/** Whether every company (or event) a figure filtered by `inner` counts, one filtered by `outer` counts too (same kind, same period). */
export function filterContains(outer: FigureFilter, inner: FigureFilter): boolean {
  return Object.entries(outer).every(([key, value]) => {
    const other = inner[key];
    if (Array.isArray(value)) return Array.isArray(other) && other.every((x) => value.includes(x));
    return value === other;
  });
}

/** A filter as a stable key. */
export const filterKey = (filter: FigureFilter) => JSON.stringify(Object.keys(filter).sort().map((k) => [k, filter[k]]));

/**
 * Whether two definitions of a goal count the same (type, filters, and the parts of a split by label
 * and filter); targets, scales and a manual goal's deliverables may differ.
 */
export function countsAlike(a: IndicatorDefinition, b: IndicatorDefinition): boolean {
  if (a.type !== b.type) return false;
  const [sa, sb] = [seriesOf(a), seriesOf(b)];
  if (!sa || !sb) return sa === sb;
  const parts = (i: IndicatorDefinition, s: FigureSeries) => (i.type === 'guided_companies' ? (i.split ?? []).map((p) => [p.label, filterKey(s.part(p.label))]) : []);
  return sa.kind === sb.kind && filterKey(sa.value) === filterKey(sb.value) && JSON.stringify(parts(a, sa)) === JSON.stringify(parts(b, sb));
}
