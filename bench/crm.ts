/**
 * Benchmark "crm": national-scale CRM data (engagements, activities, contacts, consents, referrals)
 * on top of the imported companies, then the CRM read paths through HTTP (`app.inject` against
 * `buildApp`), signed in as users of large organisations.
 */
import { sql } from 'drizzle-orm';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import { hashPassword } from '../server/modules/auth/passwords.ts';
import { SESSION_COOKIE } from '../server/modules/auth/plugin.ts';
import { hubKey, localServiceKey } from '../server/modules/organisations/reference.ts';
import { insertUser } from '../server/modules/users/service.ts';
import { crmPlan, loadCrmData, type CrmData, type CrmPlan } from './lib/crm-data.ts';
import { describePostgres } from './lib/database.ts';
import type { Machine } from './lib/machine.ts';
import { Progress, note } from './lib/progress.ts';
import { markdownTable, type Row } from './lib/report.ts';
import { int, mib, ms, summarise, type LatencySummary } from './lib/stats.ts';

export const LIST_P95_BUDGET_MS = 100;
export const TIMELINE_P95_BUDGET_MS = 100;
const PASSWORD = 'bench-password-not-secret';
/**
 * Each endpoint's measurement stops after this long (with at least MIN_REQUESTS done), so a run
 * finishes when an endpoint misses its budget by an order of magnitude; the tables show the actual n.
 */
const MAX_SECONDS_PER_ENDPOINT = 120;
const MIN_REQUESTS = 60;

export interface CrmOptions {
  quick: boolean;
  machine: Machine;
  commit: string;
  /** Connection URL of the database (for the bulk load, on its own connection). */
  url: string;
  /** Skip loading: the database already holds CRM data (a kept benchmark database). */
  reuse?: boolean;
}

export interface CrmResult {
  key: string;
  rows: Row[];
  markdown: string;
}

interface Viewer {
  key: string;
  label: string;
  orgKey: string;
  earlyWarning: boolean;
  orgId: string;
  userId: string;
  headers: Record<string, string>;
}

const VIEWERS: { key: string; label: string; orgKey: string; earlyWarning: boolean }[] = [
  { key: 'hub', label: 'Erhvervshus Hovedstaden, adviser', orgKey: hubKey('Erhvervshus Hovedstaden'), earlyWarning: false },
  { key: 'hub-ew', label: 'Erhvervshus Hovedstaden, Early Warning team', orgKey: hubKey('Erhvervshus Hovedstaden'), earlyWarning: true },
  { key: 'kbh', label: 'Erhvervsservice København (101)', orgKey: localServiceKey(101), earlyWarning: false },
  { key: 'aarhus', label: 'Erhvervsservice Aarhus (751)', orgKey: localServiceKey(751), earlyWarning: false },
  { key: 'odense', label: 'Erhvervsservice Odense (461)', orgKey: localServiceKey(461), earlyWarning: false },
];

/**
 * Creates the benchmark users with known passwords. A new user takes over the caseload of the
 * generated colleague (same organisation, same EW membership) with the most open engagements, so
 * "Mit arbejde" is measured for a busy adviser.
 */
async function createViewers(database: Database, app: FastifyInstance): Promise<Viewer[]> {
  const passwordHash = await hashPassword(PASSWORD);
  const viewers: Viewer[] = [];
  for (const v of VIEWERS) {
    const [org] = await database.rows<{ id: string }>(sql`SELECT id FROM organisations WHERE key = ${v.orgKey}`);
    if (!org) throw new Error(`organisation ${v.orgKey} missing`);
    const email = `bench.${v.key}@knudepunkt.invalid`;
    const created = await insertUser(database.db, { email, name: `Bench ${v.label}`, role: 'adviser', organisationId: org.id, passwordHash, earlyWarning: v.earlyWarning });
    const [user] = await database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = ${email}`);
    if (created) {
      await database.db.execute(sql`
        UPDATE engagements SET responsible_user_id = ${created}
        WHERE responsible_user_id = (
          SELECT u.id FROM users u WHERE u.organisation_id = ${org.id} AND u.early_warning = ${v.earlyWarning} AND u.id <> ${created}
          ORDER BY (SELECT count(*) FROM engagements e WHERE e.responsible_user_id = u.id AND e.status = 'open') DESC, u.id LIMIT 1)`);
    }
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE);
    if (login.statusCode !== 200 || !session) throw new Error(`login as ${email} failed: ${login.statusCode} ${login.body}`);
    viewers.push({ ...v, orgId: org.id, userId: user!.id, headers: { cookie: `${SESSION_COOKIE}=${session.value}` } });
  }
  return viewers;
}

interface Request {
  url: string;
  viewer: Viewer;
  /** Sub-group for the breakdown (viewer, owner or not, …). */
  group: string;
}

interface Measured {
  all: LatencySummary;
  groups: Map<string, LatencySummary>;
  /** Mean number of items in the answers (what was actually rendered). */
  meanItems: number;
  slowest: { ms: number; url: string; viewer: string };
  /** Stopped early by MAX_SECONDS_PER_ENDPOINT. */
  capped: boolean;
}

async function measure(app: FastifyInstance, label: string, requests: readonly Request[], warmUp: readonly Request[], count: (body: unknown) => number): Promise<Measured> {
  const get = async (r: Request) => {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url: r.url, headers: r.viewer.headers });
    const elapsed = performance.now() - started;
    if (res.statusCode !== 200) throw new Error(`GET ${r.url} as ${r.viewer.key} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return { elapsed, items: count(res.json()) };
  };
  for (const r of warmUp) await get(r);
  const samples: number[] = [];
  const byGroup = new Map<string, number[]>();
  let items = 0;
  let slowest = { ms: 0, url: '', viewer: '' };
  const progress = new Progress(label, requests.length, 'requests');
  const deadline = performance.now() + MAX_SECONDS_PER_ENDPOINT * 1000;
  let capped = false;
  for (let i = 0; i < requests.length; i++) {
    if (i >= MIN_REQUESTS && performance.now() > deadline) {
      capped = true;
      note(`\n  ${label}: stopped after ${MAX_SECONDS_PER_ENDPOINT} s and ${i} of ${requests.length} requests`);
      break;
    }
    const r = requests[i]!;
    const { elapsed, items: n } = await get(r);
    samples.push(elapsed);
    items += n;
    if (!byGroup.has(r.group)) byGroup.set(r.group, []);
    byGroup.get(r.group)!.push(elapsed);
    if (elapsed > slowest.ms) slowest = { ms: elapsed, url: r.url, viewer: r.viewer.key };
    if (i % 25 === 0) progress.update(i + 1);
  }
  progress.stop(samples.length);
  note(`  slowest: ${ms(slowest.ms)} (${slowest.viewer}: ${slowest.url})`);
  return { all: summarise(samples), groups: new Map([...byGroup].map(([g, s]) => [g, summarise(s)])), meanItems: items / (samples.length || 1), slowest, capped };
}

/** `n` requests cycling through `make(i)`. */
const cycle = (n: number, make: (i: number) => Request) => Array.from({ length: n }, (_, i) => make(i));
const itemsOf = (body: unknown) => ((body as { items?: unknown[] }).items ?? []).length;

export async function crmBenchmark(database: Database, options: CrmOptions): Promise<CrmResult> {
  const key = options.quick ? 'crm-quick' : 'crm';
  const scale = options.quick ? 25 : 1;
  const plan: CrmPlan = crmPlan(scale);
  const started = new Date();
  note(`CRM benchmark${options.quick ? ' (--quick)' : ''}`);

  let data: CrmData | null = null;
  if (!options.reuse) {
    note('  loading CRM data with set-based SQL…');
    data = await loadCrmData(options.url, plan);
    note(`  loaded in ${data.seconds.toFixed(1)} s (ANALYZE ${data.analyzeSeconds.toFixed(1)} s)`);
  }

  const counts = (await database.rows<Record<string, number>>(sql`
    SELECT (SELECT count(*) FROM companies)::int AS companies,
      (SELECT count(*) FROM users)::int AS users,
      (SELECT count(*) FROM organisations WHERE type IN ('business_hub', 'local_business_service'))::int AS organisations,
      (SELECT count(*) FROM engagements)::int AS engagements,
      (SELECT count(*) FROM engagements WHERE status = 'closed')::int AS closed,
      (SELECT count(*) FROM engagements WHERE confidential)::int AS confidential,
      (SELECT count(DISTINCT company_cvr) FROM engagements)::int AS engaged_companies,
      (SELECT count(*) FROM activities)::int AS activities,
      (SELECT count(*) FROM activities WHERE engagement_id IS NULL)::int AS company_activities,
      (SELECT count(*) FROM contacts)::int AS contacts,
      (SELECT count(*) FROM consents)::int AS consents,
      (SELECT count(*) FROM consents WHERE purpose = 'sharing' AND scope = 'all')::int AS consents_all,
      (SELECT count(*) FROM consents WHERE purpose = 'sharing' AND scope = 'named')::int AS consents_named,
      (SELECT count(*) FROM consents WHERE purpose = 'evaluation')::int AS consents_evaluation,
      (SELECT count(*) FROM consents WHERE withdrawn_at IS NOT NULL)::int AS consents_withdrawn,
      (SELECT count(*) FROM referrals)::int AS referrals,
      (SELECT count(*) FROM referrals WHERE status IN ('sent', 'received'))::int AS referrals_open`))[0]!;
  const busyCvrs = (await database.rows<{ cvr: string }>(sql`
    SELECT company_cvr AS cvr FROM engagements GROUP BY company_cvr ORDER BY count(*) DESC, company_cvr LIMIT ${plan.busyCompanies}`)).map((r) => r.cvr);
  /** As a PostgreSQL array literal (drizzle would expand a JS array into a row). */
  const busyArray = `{${busyCvrs.join(',')}}`;

  const app = await buildApp({ database, config: loadConfig(), webRoot: null });
  try {
    const viewers = await createViewers(database, app);
    const byKey = new Map(viewers.map((v) => [v.key, v]));
    const v = (k: string) => byKey.get(k)!;
    const listViewers = ['hub', 'hub-ew', 'kbh', 'aarhus'].map(v);

    const orgSizes = await database.rows<{ org: string; engagements: number; open: number; confidential: number }>(sql`
      SELECT o.key AS org, count(*)::int AS engagements, count(*) FILTER (WHERE e.status = 'open')::int AS open, count(*) FILTER (WHERE e.confidential)::int AS confidential
      FROM engagements e JOIN organisations o ON o.id = e.organisation_id
      WHERE o.key IN (${sql.join([...new Set(viewers.map((x) => x.orgKey))].map((k) => sql`${k}`), sql`, `)}) GROUP BY o.key ORDER BY o.key`);
    const caseloads = await database.rows<{ key: string; open: number }>(sql`
      SELECT split_part(u.email, '@', 1) AS key, count(e.id) FILTER (WHERE e.status = 'open')::int AS open
      FROM users u LEFT JOIN engagements e ON e.responsible_user_id = u.id WHERE u.email LIKE 'bench.%' GROUP BY 1 ORDER BY 1`);

    // Busy companies: how many records and organisations, and for each viewer whether it owns records and whether a consent covers it.
    const busyStats = (await database.rows<{ engagements: number; activities: number; organisations: number; referrals: number }>(sql`
      SELECT avg(e)::float AS engagements, avg(a)::float AS activities, avg(o)::float AS organisations, avg(r)::float AS referrals FROM (
        SELECT (SELECT count(*) FROM engagements WHERE company_cvr = c) AS e, (SELECT count(*) FROM activities WHERE company_cvr = c) AS a,
          (SELECT count(DISTINCT organisation_id) FROM engagements WHERE company_cvr = c) AS o, (SELECT count(*) FROM referrals WHERE company_cvr = c) AS r
        FROM unnest(${busyArray}::text[]) c) t`))[0]!;
    const relation = new Map<string, string>();
    for (const viewer of viewers) {
      const rows = await database.rows<{ cvr: string; owner: boolean; consent: boolean }>(sql`
        SELECT c AS cvr, EXISTS (SELECT 1 FROM engagements e WHERE e.company_cvr = c AND e.organisation_id = ${viewer.orgId}) AS owner,
          EXISTS (SELECT 1 FROM consents sc WHERE sc.company_cvr = c AND sc.purpose = 'sharing' AND sc.withdrawn_at IS NULL AND (sc.expires_at IS NULL OR sc.expires_at > now())
            AND (sc.scope = 'all' OR ${viewer.orgId}::uuid = ANY(sc.organisation_ids))) AS consent
        FROM unnest(${busyArray}::text[]) c`);
      for (const r of rows) relation.set(`${viewer.key}:${r.cvr}`, r.owner ? 'own organisation has records' : r.consent ? 'other organisation, consent covers it' : 'other organisation, no consent');
    }

    const loadAverage = os.loadavg()[0]!;
    // 1. The organisation's engagement list.
    const N = 600;
    const listAll = await measure(app, 'Engagement list', cycle(N, (i) => ({ url: '/api/v1/engagements?page=1&pageSize=20', viewer: listViewers[i % listViewers.length]!, group: listViewers[i % listViewers.length]!.key })), cycle(40, (i) => ({ url: '/api/v1/engagements?page=1&pageSize=20', viewer: listViewers[i % 4]!, group: '' })), itemsOf);
    const listOpen = await measure(app, 'Open engagements', cycle(N, (i) => ({ url: '/api/v1/engagements?status=open&page=1&pageSize=20', viewer: listViewers[i % listViewers.length]!, group: listViewers[i % listViewers.length]!.key })), cycle(40, (i) => ({ url: '/api/v1/engagements?status=open&page=1&pageSize=20', viewer: listViewers[i % 4]!, group: '' })), itemsOf);

    // 2. Company timelines of the busy companies, as every viewer (owners and others).
    const timelineRequest = (i: number, offset: number): Request => {
      const cvr = busyCvrs[(i + offset) % busyCvrs.length]!;
      const viewer = viewers[(i + Math.floor(i / busyCvrs.length)) % viewers.length]!;
      return { url: `/api/v1/companies/${cvr}/timeline`, viewer, group: relation.get(`${viewer.key}:${cvr}`)! };
    };
    const timeline = await measure(app, 'Company timelines', cycle(N, (i) => timelineRequest(i, 0)), cycle(50, (i) => timelineRequest(i, 7)), itemsOf);

    // 3. Single engagements, inboxes, "Mit arbejde", statistics.
    const detailIds = new Map<string, string[]>();
    for (const viewer of listViewers) {
      detailIds.set(viewer.key, (await database.rows<{ id: string }>(sql`
        SELECT id FROM engagements WHERE organisation_id = ${viewer.orgId} ${viewer.earlyWarning ? sql`` : sql`AND NOT confidential`}
        ORDER BY md5(id::text) LIMIT 200`)).map((r) => r.id));
    }
    const detailRequest = (i: number, offset: number): Request => {
      const viewer = listViewers[i % listViewers.length]!;
      const ids = detailIds.get(viewer.key)!;
      return { url: `/api/v1/engagements/${ids[(Math.floor(i / listViewers.length) + offset) % ids.length]}`, viewer, group: viewer.key };
    };
    const detail = await measure(app, 'Engagement detail', cycle(500, (i) => detailRequest(i, 0)), cycle(40, (i) => detailRequest(i, 150)), (b) => ((b as { activities: unknown[] }).activities ?? []).length);
    const inboxViewers = ['hub', 'kbh', 'aarhus', 'odense'].map(v);
    const inbox = await measure(app, 'Referral inbox', cycle(500, (i) => ({ url: '/api/v1/referrals?box=inbox', viewer: inboxViewers[i % 4]!, group: inboxViewers[i % 4]!.key })), cycle(20, (i) => ({ url: '/api/v1/referrals?box=inbox', viewer: inboxViewers[i % 4]!, group: '' })), itemsOf);
    const work = await measure(app, 'Mit arbejde', cycle(500, (i) => ({ url: '/api/v1/me/work', viewer: listViewers[i % 4]!, group: listViewers[i % 4]!.key })), cycle(20, (i) => ({ url: '/api/v1/me/work', viewer: listViewers[i % 4]!, group: '' })), (b) => {
      const w = b as { openEngagements: unknown[]; referralsWaiting: unknown[]; overdue: unknown[] };
      return w.openEngagements.length + w.referralsWaiting.length + w.overdue.length;
    });
    // Statistics are read under disclosure control by everyone: whole years that have ended.
    const year = new Date().getFullYear() - 1;
    const statisticsUrl = `/api/v1/statistics/engagements?year=${year}&groupBy=municipality`;
    const statistics = await measure(app, 'Statistics', cycle(10, () => ({ url: statisticsUrl, viewer: v('kbh'), group: 'all' })), cycle(1, () => ({ url: statisticsUrl, viewer: v('kbh'), group: '' })), (b) => ((b as { groups: unknown[] }).groups ?? []).length);

    const pg = await describePostgres(database);
    const sizes = await database.rows<{ name: string; bytes: string }>(sql`
      SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
        AND (c.relname LIKE 'engagements%' OR c.relname LIKE 'activities%' OR c.relname LIKE 'consents%' OR c.relname LIKE 'contacts%' OR c.relname LIKE 'referrals%')
      ORDER BY pg_relation_size(c.oid) DESC`);

    const within = (s: LatencySummary, budget: number) => s.p95 <= budget;
    const viewerLabel = (k: string) => byKey.get(k)?.label ?? k;
    const rows: Row[] = [
      { figure: `GET /api/v1/engagements?page=1&pageSize=20 p50 (n=${listAll.all.count}, 4 users of the hub and 2 big municipalities)`, measured: ms(listAll.all.p50) },
      { figure: 'GET /api/v1/engagements?page=1&pageSize=20 p95', measured: ms(listAll.all.p95), budget: `≤ ${LIST_P95_BUDGET_MS} ms`, met: within(listAll.all, LIST_P95_BUDGET_MS) },
      { figure: 'GET /api/v1/engagements?page=1&pageSize=20 p99', measured: ms(listAll.all.p99) },
      ...[...listAll.groups].map(([g, s]): Row => ({ figure: `… p95 as ${viewerLabel(g)} (n=${s.count})`, measured: ms(s.p95), budget: `≤ ${LIST_P95_BUDGET_MS} ms`, met: within(s, LIST_P95_BUDGET_MS) })),
      { figure: `GET /api/v1/engagements?status=open&page=1&pageSize=20 p50 (n=${listOpen.all.count})`, measured: ms(listOpen.all.p50) },
      { figure: 'GET /api/v1/engagements?status=open&page=1&pageSize=20 p95', measured: ms(listOpen.all.p95), budget: `≤ ${LIST_P95_BUDGET_MS} ms`, met: within(listOpen.all, LIST_P95_BUDGET_MS) },
      { figure: 'GET /api/v1/engagements?status=open&page=1&pageSize=20 p99', measured: ms(listOpen.all.p99) },
      ...[...listOpen.groups].map(([g, s]): Row => ({ figure: `… p95 as ${viewerLabel(g)} (n=${s.count})`, measured: ms(s.p95), budget: `≤ ${LIST_P95_BUDGET_MS} ms`, met: within(s, LIST_P95_BUDGET_MS) })),
      { figure: `GET /api/v1/companies/{cvr}/timeline p50 (n=${timeline.all.count}, ${busyCvrs.length} busiest companies, 5 users)`, measured: ms(timeline.all.p50) },
      { figure: 'GET /api/v1/companies/{cvr}/timeline p95', measured: ms(timeline.all.p95), budget: `≤ ${TIMELINE_P95_BUDGET_MS} ms`, met: within(timeline.all, TIMELINE_P95_BUDGET_MS) },
      { figure: 'GET /api/v1/companies/{cvr}/timeline p99', measured: ms(timeline.all.p99) },
      ...[...timeline.groups].sort().map(([g, s]): Row => ({ figure: `… p95, ${g} (n=${s.count})`, measured: ms(s.p95), budget: `≤ ${TIMELINE_P95_BUDGET_MS} ms`, met: within(s, TIMELINE_P95_BUDGET_MS) })),
      { figure: `GET /api/v1/engagements/{id} p95 (n=${detail.all.count}, own organisation's engagements)`, measured: ms(detail.all.p95) },
      { figure: `GET /api/v1/referrals?box=inbox p95 (n=${inbox.all.count})`, measured: ms(inbox.all.p95) },
      { figure: `GET /api/v1/me/work p95 (n=${work.all.count})`, measured: ms(work.all.p95) },
      { figure: `GET /api/v1/statistics/engagements?year=${year}&groupBy=municipality, median of ${statistics.all.count}`, measured: ms(statistics.all.p50) },
    ];

    const endpoints: [string, Measured][] = [
      ['engagements?page=1&pageSize=20', listAll],
      ['engagements?status=open&page=1&pageSize=20', listOpen],
      ['companies/{cvr}/timeline', timeline],
      ['engagements/{id}', detail],
      ['referrals?box=inbox', inbox],
      ['me/work', work],
      [`statistics/engagements?year=${year}&groupBy=municipality`, statistics],
    ];
    const line = (label: string, s: LatencySummary, items: string) => `| ${label} | ${s.count} | ${items} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.mean)} |`;
    const endpointTable = [
      '| GET /api/v1/… | n | items per answer | p50 | p95 | p99 | max | mean |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...endpoints.map(([label, m]) => line(label, m.all, m.meanItems.toFixed(1))),
    ].join('\n');
    const groupTable = [
      '| endpoint | as | n | p50 | p95 | p99 | max |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...endpoints
        .filter(([, m]) => m.groups.size > 1)
        .flatMap(([label, m]) => [...m.groups].sort(([a], [b]) => a.localeCompare(b)).map(([g, s]) => `| ${label} | ${viewerLabel(g)} | ${s.count} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`)),
    ].join('\n');

    const m = options.machine;
    const c = counts;
    const pct = (part: number, whole: number) => `${((100 * part) / (whole || 1)).toFixed(1)} %`;
    const load = data
      ? `- **Load:** set-based \`INSERT … SELECT … generate_series\` on one connection (foreign-key triggers off, all indexes in place), ${data.seconds.toFixed(1)} s in all: ${data.steps.map((s) => `${s.table} ${int(s.rows)} in ${s.seconds.toFixed(1)} s`).join(', ')}; \`ANALYZE\` ${data.analyzeSeconds.toFixed(1)} s.`
      : '- **Load:** reused a kept database (`--reuse-database`).';
    const capped = endpoints.filter(([, x]) => x.capped).map(([label]) => `\`${label}\``);
    const cappedNote = capped.length
      ? `\n\n**Stopped early:** ${capped.join(', ')} — each endpoint is measured for at most ${MAX_SECONDS_PER_ENDPOINT} s (at least ${MIN_REQUESTS} requests), so n is below the planned 500–600 where an endpoint missed its budget by an order of magnitude.`
      : '';
    const markdown = `## CRM read paths — ${options.quick ? 'quick' : 'national scale'} (${int(c.engagements!)} engagements, ${int(c.activities!)} activities)

Run: \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${started.toISOString().slice(0, 10)} (${started.toISOString().slice(11, 16)} UTC), after the company benchmark, in the same database.

- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.platform}; Node ${m.node}; PostgreSQL ${pg.version} (local, ${pg.settings}).
- **Code measured:** commit ${options.commit}. Load average (1 min) when the measurements started: ${loadAverage.toFixed(1)}.
- **Data** (\`bench/lib/crm-data.ts\`, test data, not the importer): ${int(c.companies!)} companies; ${int(c.users!)} users in ${c.organisations} hubs and local business services (by share of companies, ~6 % of hub staff in Early Warning); ${int(c.engagements!)} engagements on ${int(c.engaged_companies!)} companies (${pct(c.closed!, c.engagements!)} closed, ${pct(c.confidential!, c.engagements!)} confidential Early Warning in hubs; 60 % by the company's local business service, 35 % by its hub, 5 % by another organisation); ${int(c.activities!)} activities (${int(c.company_activities!)} directly on companies); ${int(c.contacts!)} contacts; ${int(c.consents!)} consents (sharing: ${int(c.consents_all!)} scope all, ${int(c.consents_named!)} named; ${int(c.consents_evaluation!)} evaluation; ${int(c.consents_withdrawn!)} withdrawn); ${int(c.referrals!)} referrals (${int(c.referrals_open!)} not yet answered).
- **Organisations measured:** ${orgSizes.map((o) => `${o.org} ${int(o.engagements)} engagements (${int(o.open)} open, ${int(o.confidential)} EW)`).join('; ')}. Each benchmark user took over the caseload of the generated colleague with the most open engagements: ${caseloads.map((x) => `${x.key} ${x.open}`).join(', ')} open.
- **Busy companies:** the ${busyCvrs.length} companies with most engagements (5 % of all engagements are concentrated on them): on average ${busyStats.engagements.toFixed(1)} engagements from ${busyStats.organisations.toFixed(1)} organisations, ${busyStats.activities.toFixed(1)} activities, ${busyStats.referrals.toFixed(1)} referrals; every second one has an active sharing consent with scope all, the others only consents named to the receivers of their referrals.
${load}
- **Method:** \`app.inject\` against \`buildApp\` (session cookie, validation, policy, audit-log insert and serialisation included), one request at a time, signed in as the users below (real sign-in with \`insertUser\`/\`hashPassword\`); warm-up requests first (20–50 per endpoint, other ids where the endpoint takes one). Timelines cycle through the busy companies and 5 users, so each user sees companies where its organisation has records and companies where it has none (with and without a covering consent).

${markdownTable(rows)}${cappedNote}

Per endpoint:

${endpointTable}

Per user or relation:

${groupTable}

Relation sizes: ${sizes.map((s) => `${s.name} ${mib(Number(s.bytes))}`).join(', ')}.`;
    return { key, rows, markdown };
  } finally {
    await app.close();
  }
}
