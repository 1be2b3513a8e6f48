/**
 * National-scale CRM test data for the "crm" benchmark, loaded with set-based SQL
 * (`INSERT … SELECT … FROM generate_series`) on one connection — test data, not the importer.
 *
 * Shape (full scale; `scale` divides every count):
 * - users in the hubs and the 98 local business services, spread by each organisation's share of
 *   companies; ~6 % of hub staff are in the Early Warning team;
 * - engagements on a quarter of the companies (the local business service of the company's
 *   municipality 60 %, its hub 35 %, another organisation 5 %), 60 % closed, ~1 % of all of them
 *   confidential Early Warning cases in a hub; 5 % of the engagements are concentrated on a set of
 *   "busy" companies (≈25 each, from several organisations; 12 % of them by the three organisations the benchmark signs in as), so
 *   company timelines have a realistic worst case;
 * - activities (90 % on engagements, 10 % directly on a company), contacts, consents (sharing with
 *   scope all or named, some withdrawn or expired, some for evaluation; every second busy company
 *   has an active sharing consent for all, the others only the named ones under their referrals) and referrals (mostly between a municipality and
 *   its hub; the open ones recent, so some are overdue).
 *
 * Ids are derived from the row number (`md5('e' || n)` made a version-4 UUID) so tables can refer to each other
 * without lookups. Foreign-key triggers are switched off for the load (`session_replication_role`),
 * which the construction makes safe: every referenced id is generated from the same ranges.
 */
import pg from 'pg';
import { themeKeys } from '../../server/modules/organisations/themes.ts';
import { hubKey, localServiceKey } from '../../server/modules/organisations/reference.ts';
import { note } from './progress.ts';

export interface CrmPlan {
  hubUsers: number;
  localUsers: number;
  engagements: number;
  /** Share of the engagements concentrated on the busy companies. */
  busyShare: number;
  busyCompanies: number;
  /** Share of the companies that ever had an engagement. */
  engagedCompanyShare: number;
  activities: number;
  companyLevelActivityShare: number;
  contacts: number;
  consents: number;
  referrals: number;
  /** Share of all engagements that are confidential Early Warning cases (all in hubs). */
  earlyWarningShare: number;
}

export const crmPlan = (scale: number): CrmPlan => ({
  hubUsers: Math.round(1_400 / scale),
  localUsers: Math.round(3_600 / scale),
  engagements: Math.round(500_000 / scale),
  busyShare: 0.05,
  busyCompanies: Math.round(1_000 / scale),
  engagedCompanyShare: 0.25,
  activities: Math.round(2_000_000 / scale),
  companyLevelActivityShare: 0.1,
  contacts: Math.round(300_000 / scale),
  consents: Math.round(400_000 / scale),
  referrals: Math.round(100_000 / scale),
  earlyWarningShare: 0.01,
});

/** The organisations whose users the benchmark signs in as; busy companies have engagements of theirs. */
export const FEATURED_ORGANISATIONS = [hubKey('Erhvervshus Hovedstaden'), localServiceKey(101), localServiceKey(751)] as const;

export interface LoadStep {
  table: string;
  rows: number;
  seconds: number;
}

export interface CrmData {
  steps: LoadStep[];
  analyzeSeconds: number;
  /** Busy companies, most records first. */
  busyCvrs: string[];
  seconds: number;
}

const HUB_SHARE_OF_ENGAGEMENTS = 0.35 + 0.05 * (7 / 105); // hub of the municipality, plus a few picked at random
/** A valid version-4 UUID derived from a row number (the API validates ids as RFC 4122 UUIDs). */
const uid = (expr: string) => `overlay(overlay(md5(${expr}) placing '4' from 13) placing '8' from 17)::uuid`;
const literal = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;
/** 1-based element of a text-array literal chosen by a random value in [0, 1). */
const pick = (values: readonly string[], r: string) => `(${literal(values)})[1 + floor(${r} * ${values.length})::int]`;

const firstNames = ['Anne', 'Bo', 'Camilla', 'Dorthe', 'Erik', 'Frank', 'Gitte', 'Hans', 'Inge', 'Jakob', 'Karina', 'Lars', 'Maria', 'Niels', 'Ole', 'Pernille', 'Rikke', 'Steen', 'Tina', 'Ulrik'];
const lastNames = ['Andersen', 'Bech', 'Dam', 'Friis', 'Holm', 'Juhl', 'Kjær', 'Lund', 'Mikkelsen', 'Nørgaard', 'Overgaard', 'Petersen', 'Rask', 'Skov', 'Thomsen', 'Vinther'];
const titles = ['Direktør', 'Ejer', 'Indehaver', 'Økonomichef', 'Salgschef', 'Produktionschef', 'Partner'];
const descriptions = ['Sparring om vækstplan og finansiering', 'Hjælp til at komme i gang med eksport', 'Kompetenceudvikling af medarbejdere', 'Vurdering af muligheder for grøn omstilling', 'Rådgivning om generationsskifte', 'Digitalisering af ordreflowet', ''];
const outcomes = ['Vækstplan udarbejdet', 'Henvist til privat rådgiver', 'Virksomheden fik finansiering', 'Afsluttet efter afklaring', 'Eksportplan klar'];
const subjects = ['Indledende møde', 'Opfølgningsmøde', 'Strategimøde', 'Telefonisk opfølgning', 'Afklarende samtale', 'Referat sendt', 'Mail om ansøgning', 'Deltog i netværksmøde', 'Deltog i workshop', 'Notat efter besøg'];
const notes = ['Virksomheden overvejer at ansætte to medarbejdere.', 'Aftalt opfølgning om tre måneder.', 'Ejeren ønsker sparring om finansiering.', 'Materiale om tilbud sendt efter mødet.'];
const reasons = ['Behov for specialiseret vejledning', 'Virksomheden ønsker lokal sparring', 'Eksportrådgivning', 'Finansieringsmuligheder'];
const channels = ['meeting', 'phone', 'email', 'web', 'letter'];

export async function loadCrmData(url: string, plan: CrmPlan): Promise<CrmData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const steps: LoadStep[] = [];
  const run = async (table: string, text: string) => {
    const t = performance.now();
    const result = await client.query(text);
    const step = { table, rows: result.rowCount ?? 0, seconds: (performance.now() - t) / 1000 };
    steps.push(step);
    note(`  ${table}: ${step.rows.toLocaleString('en-US')} rows in ${step.seconds.toFixed(1)} s`);
    return result;
  };
  try {
    await client.query(`SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SELECT setseed(0.2020)`);
    try {
      // Test data consistent by construction: skip the per-row foreign-key triggers.
      await client.query(`SET session_replication_role = replica`);
    } catch {
      note('  (not a superuser: loading with foreign-key triggers, slower)');
    }

    // Helper tables, dropped at the end: organisations with their user-number ranges, and companies numbered.
    await client.query(`DROP TABLE IF EXISTS bench_orgs, bench_companies, bench_referral_plan`);
    await client.query(`
      CREATE TABLE bench_orgs AS
      WITH counts AS (SELECT municipality_code, count(*) AS n FROM companies WHERE municipality_code IS NOT NULL GROUP BY 1),
      weights AS (
        SELECT o.id, o.key, o.type, o.municipality_code,
          CASE WHEN o.type = 'local_business_service' THEN (SELECT coalesce(sum(c.n), 0) FROM counts c WHERE c.municipality_code = o.municipality_code)
               ELSE (SELECT coalesce(sum(c.n), 0) FROM counts c JOIN municipalities m ON m.code = c.municipality_code WHERE m.hub_id = o.id) END AS weight
        FROM organisations o WHERE o.type IN ('business_hub', 'local_business_service')),
      sized AS (
        SELECT *, CASE WHEN type = 'business_hub'
            THEN greatest(3, round(${plan.hubUsers} * weight / nullif(sum(weight) OVER (PARTITION BY type), 0)))
            ELSE greatest(${plan.localUsers >= 300 ? 2 : 1}, round(${plan.localUsers} * weight / nullif(sum(weight) OVER (PARTITION BY type), 0))) END::int AS users_count
        FROM weights)
      SELECT row_number() OVER (ORDER BY key)::int AS n, id, key, type, municipality_code, users_count,
        (sum(users_count) OVER (ORDER BY key) - users_count + 1)::int AS users_from,
        CASE WHEN type = 'business_hub' THEN greatest(1, round(users_count * 0.06))::int ELSE 0 END AS ew_count
      FROM sized`);
    await client.query(`CREATE UNIQUE INDEX ON bench_orgs (n); ANALYZE bench_orgs`);
    const { rows: orgRows } = await client.query<{ organisations: number; n: number }>(`SELECT count(*)::int AS organisations, max(n) AS n FROM bench_orgs`);
    const organisationCount = orgRows[0]!.organisations;
    const featured = (await client.query<{ n: number }>(`SELECT n FROM bench_orgs WHERE key = ANY($1) ORDER BY n`, [FEATURED_ORGANISATIONS])).rows.map((r) => r.n);
    if (featured.length !== FEATURED_ORGANISATIONS.length) throw new Error(`featured organisations missing: found ${featured.length} of ${FEATURED_ORGANISATIONS.join(', ')}`);

    await client.query(`
      CREATE TABLE bench_companies AS
      SELECT row_number() OVER (ORDER BY md5(c.cvr))::int AS n, c.cvr, lbs.n AS lbs_n, hub.n AS hub_n
      FROM companies c
        JOIN municipalities m ON m.code = c.municipality_code
        JOIN bench_orgs lbs ON lbs.municipality_code = m.code AND lbs.type = 'local_business_service'
        JOIN bench_orgs hub ON hub.id = m.hub_id`);
    await client.query(`CREATE UNIQUE INDEX ON bench_companies (n); ANALYZE bench_companies`);
    const companyCount = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_companies`)).rows[0]!.n;
    const pool = Math.floor(companyCount * plan.engagedCompanyShare);
    const busy = plan.busyCompanies;
    if (pool <= busy * 2) throw new Error(`too few companies (${companyCount}) for ${busy} busy companies`);

    await run('users', `
      INSERT INTO users (id, email, name, password_hash, organisation_id, role, early_warning, created_at)
      SELECT ${uid(`'u' || g`)}, 'bruger' || g || '@bench.knudepunkt.invalid',
        (${literal(firstNames)})[1 + g % ${firstNames.length}] || ' ' || (${literal(lastNames)})[1 + (g / ${firstNames.length}) % ${lastNames.length}],
        '!bench-no-login', o.id, CASE WHEN (g - o.users_from) % 12 = 5 THEN 'manager' ELSE 'adviser' END, g - o.users_from < o.ew_count,
        now() - interval '3 years'
      FROM bench_orgs o CROSS JOIN LATERAL generate_series(o.users_from, o.users_from + o.users_count - 1) g`);

    const E = plan.engagements;
    const busyEngagements = Math.round(E * plan.busyShare);
    const normalEngagements = E - busyEngagements;
    const pEw = plan.earlyWarningShare / HUB_SHARE_OF_ENGAGEMENTS;
    await run('engagements', `
      WITH s AS MATERIALIZED (
        SELECT g, g > ${normalEngagements} AS busy,
          (CASE WHEN g > ${normalEngagements} THEN 1 + floor(random() * ${busy}) ELSE ${busy} + 1 + floor(random() * ${pool - busy}) END)::int AS company_n,
          random() AS r_org, random() AS r_pick, random() AS r_ew, random() AS r_cat, random() AS r_level, random() AS r_t1, random() AS r_t2,
          random() AS r_status, random() AS r_open, random() AS r_len, random() AS r_user, random() AS r_text
        FROM generate_series(1, ${E}) g
      ), chosen AS MATERIALIZED (
        SELECT s.*, c.cvr,
          CASE
            WHEN s.busy AND s.r_org < 0.40 THEN c.lbs_n
            WHEN s.busy AND s.r_org < 0.70 THEN c.hub_n
            WHEN s.busy AND s.r_org < 0.82 THEN (ARRAY[${featured.join(', ')}])[1 + floor(s.r_pick * ${featured.length})::int]
            WHEN NOT s.busy AND s.r_org < 0.60 THEN c.lbs_n
            WHEN NOT s.busy AND s.r_org < 0.95 THEN c.hub_n
            ELSE 1 + floor(s.r_pick * ${organisationCount})::int
          END AS org_n
        FROM s JOIN bench_companies c ON c.n = s.company_n
      ), e AS (
        SELECT ch.*, o.id AS org_id, o.type AS org_type, o.users_from, o.users_count, o.ew_count,
          (o.type = 'business_hub' AND ch.r_ew < ${pEw}) AS ew, ch.r_status < 0.6 AS closed,
          CASE WHEN ch.r_status < 0.6 THEN current_date - (30 + floor(ch.r_open * 2500))::int ELSE current_date - floor(ch.r_open * ch.r_open * 730)::int END AS opened
        FROM chosen ch JOIN bench_orgs o ON o.n = ch.org_n
      )
      INSERT INTO engagements (id, company_cvr, organisation_id, responsible_user_id, level, delivery_category_id, themes, status, outcome,
        opened_on, closed_on, description, confidential, created_at, updated_at)
      SELECT ${uid(`'e' || e.g`)}, e.cvr, e.org_id,
        ${uid(`'u' || (CASE WHEN e.ew THEN e.users_from + floor(e.r_user * e.ew_count) ELSE e.users_from + e.ew_count + floor(e.r_user * (e.users_count - e.ew_count)) END)::int`)},
        CASE WHEN e.r_level < (CASE WHEN e.org_type = 'business_hub' THEN 0.55 ELSE 0.1 END) THEN 'specialised' ELSE 'basic' END,
        dc.id,
        ARRAY[(${literal(themeKeys)})[1 + floor(e.r_t1 * 12)::int]]
          || CASE WHEN e.r_t2 < 0.5 THEN ARRAY[(${literal(themeKeys)})[1 + (floor(e.r_t1 * 12)::int + 1 + floor(e.r_t2 * 22)::int) % 12]] ELSE '{}'::text[] END,
        CASE WHEN e.closed THEN 'closed' ELSE 'open' END,
        CASE WHEN e.closed THEN ${pick(outcomes, 'e.r_text')} END,
        e.opened,
        CASE WHEN e.closed THEN least(current_date, e.opened + 1 + floor(e.r_len * 365)::int) END,
        ${pick(descriptions, 'e.r_text')},
        e.ew,
        e.opened + time '08:00' + e.r_user * interval '10 hours',
        coalesce(CASE WHEN e.closed THEN least(current_date, e.opened + 1 + floor(e.r_len * 365)::int) END, e.opened) + time '18:00'
      FROM e LEFT JOIN delivery_categories dc ON dc.organisation_id = e.org_id AND dc.key = CASE
        WHEN e.ew THEN 'early_warning' WHEN e.org_type = 'business_hub' AND e.r_cat < 0.45 THEN 'vaekst' WHEN e.org_type = 'business_hub' AND e.r_cat < 0.8 THEN 'drift' END`);

    const C = plan.contacts;
    await run('contacts', `
      INSERT INTO contacts (id, company_cvr, organisation_id, name, title, email, phone, created_by, created_at)
      SELECT ${uid(`'c' || g`)}, e.company_cvr, e.organisation_id,
        (${literal(firstNames)})[1 + (g * 7) % ${firstNames.length}] || ' ' || (${literal(lastNames)})[1 + (g * 13) % ${lastNames.length}],
        (${literal(titles)})[1 + g % ${titles.length}], 'kontakt' || g || '@example.invalid', '+45 ' || (20000000 + g)::text, e.responsible_user_id, e.created_at
      FROM generate_series(1, ${C}) g JOIN engagements e ON e.id = ${uid(`'e' || (1 + (g - 1) % ${E})`)}`);

    const A = plan.activities;
    const engagementActivities = Math.round(A * (1 - plan.companyLevelActivityShare));
    await run('activities', `
      WITH s AS MATERIALIZED (
        SELECT g, (1 + floor(random() * ${E}))::int AS k, random() AS r_type, random() AS r_day, random() AS r_contact, random() AS r_text
        FROM generate_series(1, ${A}) g
      )
      INSERT INTO activities (id, engagement_id, company_cvr, organisation_id, user_id, type, occurred_on, duration_minutes, subject, notes, contact_id, confidential, created_at)
      SELECT ${uid(`'a' || s.g`)}, CASE WHEN s.g <= ${engagementActivities} THEN e.id END, e.company_cvr, e.organisation_id, e.responsible_user_id,
        CASE WHEN s.r_type < 0.35 THEN 'meeting' WHEN s.r_type < 0.6 THEN 'call' WHEN s.r_type < 0.8 THEN 'mail' WHEN s.r_type < 0.9 THEN 'event' ELSE 'note' END,
        e.opened_on + floor(s.r_day * (coalesce(e.closed_on, current_date) - e.opened_on + 1))::int,
        CASE WHEN s.r_type < 0.6 THEN 15 + 15 * floor(s.r_text * 6)::int END,
        ${pick(subjects, 's.r_text')},
        CASE WHEN s.r_text < 0.6 THEN ${pick(notes, 's.r_contact')} END,
        CASE WHEN s.g <= ${engagementActivities} AND s.k <= ${C} AND s.r_contact < 0.5 THEN ${uid(`'c' || s.k`)} END,
        e.confidential,
        e.opened_on + floor(s.r_day * (coalesce(e.closed_on, current_date) - e.opened_on + 1))::int + time '12:00'
      FROM s JOIN engagements e ON e.id = ${uid(`'e' || s.k`)}`);

    // Referrals and the consents they were sent under: planned together so both can refer to the plan.
    const R = plan.referrals;
    await client.query(`
      CREATE TABLE bench_referral_plan AS
      WITH s AS MATERIALIZED (
        SELECT g AS n, (1 + floor(random() * ${E}))::int AS k, random() AS r_to, random() AS r_pick, random() AS r_status, random() AS r_age, random() AS r_scope
        FROM generate_series(1, ${R}) g
      )
      SELECT s.*, s.k > ${normalEngagements} AS busy, e.company_cvr, e.organisation_id AS from_id, e.responsible_user_id,
        CASE
          WHEN s.r_to < 0.2 AND 1 + floor(s.r_pick * ${organisationCount})::int <> fo.n THEN 1 + floor(s.r_pick * ${organisationCount})::int
          WHEN fo.type = 'local_business_service' THEN c.hub_n
          WHEN c.lbs_n <> fo.n THEN c.lbs_n
          ELSE c.hub_n
        END AS to_n,
        CASE WHEN s.r_status < 0.08 THEN 'sent' WHEN s.r_status < 0.15 THEN 'received' WHEN s.r_status < 0.5 THEN 'accepted' WHEN s.r_status < 0.6 THEN 'declined' ELSE 'completed' END AS status,
        CASE WHEN s.r_status < 0.15 THEN now() - s.r_age * interval '14 days' ELSE now() - interval '14 days' - s.r_age * interval '1000 days' END AS sent_at
      FROM s
        JOIN engagements e ON e.id = ${uid(`'e' || s.k`)}
        JOIN bench_companies c ON c.cvr = e.company_cvr
        JOIN bench_orgs fo ON fo.id = e.organisation_id
      WHERE NOT e.confidential`);
    await client.query(`DELETE FROM bench_referral_plan p USING bench_orgs o WHERE o.n = p.to_n AND o.id = p.from_id`);
    await client.query(`CREATE UNIQUE INDEX ON bench_referral_plan (n); ANALYZE bench_referral_plan`);

    const K = plan.consents;
    const busyWithConsent = Math.ceil(busy / 2);
    await run('consents (under referrals)', `
      INSERT INTO consents (id, company_cvr, purpose, scope, organisation_ids, given_by_contact_id, given_by_name, given_at, channel, recorded_by,
        recorded_by_organisation_id, withdrawn_at, created_at)
      SELECT ${uid(`'k' || p.n`)}, p.company_cvr, 'sharing', CASE WHEN p.r_scope < 0.5 AND NOT p.busy THEN 'all' ELSE 'named' END,
        CASE WHEN p.r_scope < 0.5 AND NOT p.busy THEN '{}'::uuid[] ELSE ARRAY[o.id] END,
        CASE WHEN p.k <= ${C} THEN ${uid(`'c' || p.k`)} END, 'Kontaktperson ' || p.n, p.sent_at - interval '1 day', ${pick(channels, 'p.r_pick')},
        p.responsible_user_id, p.from_id, CASE WHEN p.r_scope > 0.95 THEN p.sent_at + interval '30 days' END, p.sent_at - interval '1 day'
      FROM bench_referral_plan p JOIN bench_orgs o ON o.n = p.to_n`);
    const referralConsents = steps[steps.length - 1]!.rows;
    await run('consents (busy companies)', `
      INSERT INTO consents (id, company_cvr, purpose, scope, given_by_name, given_at, channel, recorded_by, recorded_by_organisation_id, created_at)
      SELECT ${uid(`'kb' || c.n || '-' || purpose`)}, c.cvr, purpose, 'all', 'Direktøren', now() - interval '200 days', 'meeting', ${uid(`'u' || o.users_from`)}, o.id, now() - interval '200 days'
      FROM bench_companies c JOIN bench_orgs o ON o.n = c.lbs_n CROSS JOIN unnest(ARRAY['sharing', 'evaluation']) purpose
      WHERE c.n <= ${busy} AND c.n % 2 = 1`);
    const otherConsents = Math.max(0, K - referralConsents - busyWithConsent * 2);
    await run('consents (other)', `
      WITH s AS MATERIALIZED (
        SELECT g, (1 + floor(random() * ${normalEngagements}))::int AS k, random() AS r_purpose, random() AS r_scope, random() AS r_other,
          random() AS r_age, random() AS r_state
        FROM generate_series(1, ${otherConsents}) g
      )
      INSERT INTO consents (id, company_cvr, purpose, scope, organisation_ids, given_by_contact_id, given_by_name, given_at, channel, recorded_by,
        recorded_by_organisation_id, expires_at, withdrawn_at, withdrawn_by, created_at)
      SELECT ${uid(`'ko' || s.g`)}, e.company_cvr, CASE WHEN s.r_purpose < 0.85 THEN 'sharing' ELSE 'evaluation' END,
        CASE WHEN s.r_scope < 0.6 THEN 'all' ELSE 'named' END,
        CASE WHEN s.r_scope < 0.6 THEN '{}'::uuid[] ELSE ARRAY[e.organisation_id, o.id] END,
        CASE WHEN s.k <= ${C} THEN ${uid(`'c' || s.k`)} END, 'Kontaktperson', now() - s.r_age * interval '1800 days', ${pick(channels, 's.r_other')},
        e.responsible_user_id, e.organisation_id,
        CASE WHEN s.r_state >= 0.8 THEN now() - s.r_age * interval '1800 days' + interval '2 years' END,
        CASE WHEN s.r_state < 0.1 THEN now() - s.r_age * s.r_state * interval '1800 days' END,
        CASE WHEN s.r_state < 0.1 THEN e.responsible_user_id END,
        now() - s.r_age * interval '1800 days'
      FROM s JOIN engagements e ON e.id = ${uid(`'e' || s.k`)} JOIN bench_orgs o ON o.n = 1 + floor(s.r_other * ${organisationCount})::int`);

    await run('referrals', `
      INSERT INTO referrals (id, engagement_id, company_cvr, from_organisation_id, to_organisation_id, reason, needs, consent_id, contact_id, status,
        decline_reason, feedback, due_at, sent_by, sent_at, received_at, answered_at, answered_by, completed_at)
      SELECT ${uid(`'r' || p.n`)}, ${uid(`'e' || p.k`)}, p.company_cvr, p.from_id, o.id, ${pick(reasons, 'p.r_pick')}, ${pick(descriptions.slice(0, -1), 'p.r_age')},
        ${uid(`'k' || p.n`)}, CASE WHEN p.k <= ${C} THEN ${uid(`'c' || p.k`)} END, p.status,
        CASE WHEN p.status = 'declined' THEN 'Uden for vores målgruppe' END,
        CASE WHEN p.status = 'completed' THEN 'Forløb gennemført' END,
        p.sent_at + interval '7 days', p.responsible_user_id, p.sent_at,
        CASE WHEN p.status <> 'sent' THEN p.sent_at + interval '1 day' END,
        CASE WHEN p.status IN ('accepted', 'declined', 'completed') THEN p.sent_at + interval '3 days' END,
        CASE WHEN p.status IN ('accepted', 'declined', 'completed') THEN ${uid(`'u' || (o.users_from + o.ew_count + floor(p.r_scope * (o.users_count - o.ew_count)))::int`)} END,
        CASE WHEN p.status = 'completed' THEN p.sent_at + interval '60 days' END
      FROM bench_referral_plan p JOIN bench_orgs o ON o.n = p.to_n`);

    const busyCvrs = (await client.query<{ cvr: string }>(`
      SELECT c.cvr FROM bench_companies c WHERE c.n <= ${busy}
      ORDER BY (SELECT count(*) FROM engagements e WHERE e.company_cvr = c.cvr) DESC, c.n`)).rows.map((r) => r.cvr);
    await client.query(`DROP TABLE bench_orgs, bench_companies, bench_referral_plan`);
    await client.query(`RESET session_replication_role`);

    const analyzeStarted = performance.now();
    await client.query('ANALYZE');
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    return { steps, analyzeSeconds, busyCvrs, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
