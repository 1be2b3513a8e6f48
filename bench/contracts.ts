/**
 * Benchmark "contracts": a full status report of the 12-goal contract at national scale, on top of
 * the company and CRM data: 300,000 evaluation answers, intent declarations, the shipped template.
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import { hashPassword } from '../server/modules/auth/passwords.ts';
import { SESSION_COOKIE } from '../server/modules/auth/plugin.ts';
import { takeSnapshot } from '../server/modules/contracts/reports.ts';
import { importContract, readTemplate } from '../server/modules/contracts/service.ts';
import { contractInput } from '../server/modules/contracts/schemas.ts';
import { insertUser } from '../server/modules/users/service.ts';
import { danishDate } from '../server/lib/working-days.ts';
import { lastEndedMonthEnd } from '../server/policies/disclosure.ts';
import type { Machine } from './lib/machine.ts';
import { note } from './lib/progress.ts';
import { markdownTable, type Row } from './lib/report.ts';
import { int, ms, summarise } from './lib/stats.ts';

export const REPORT_BUDGET_MS = 1_000;

export interface ContractsOptions {
  quick: boolean;
  machine: Machine;
  commit: string;
}

const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

export async function contractsBenchmark(database: Database, options: ContractsOptions) {
  const { db } = database;
  const year = new Date().getUTCFullYear();
  const answersWanted = options.quick ? 12_000 : 300_000;
  let t = performance.now();

  // Every specialised hub engagement got an invitation, 85 % answered; the rest of the answers are
  // imports from the national system, matched to the same engagements. Answers fall in this year.
  await db.execute(sql`
    INSERT INTO evaluation_invitations (engagement_id, company_cvr, organisation_id, email, token_hash, created_at, expires_at, answered_at)
    SELECT e.id, e.company_cvr, e.organisation_id, 'bench@example.dk', md5(e.id::text),
      make_date(${year}, 1 + (abs(hashtext(e.id::text)) % 11), 1)::timestamptz,
      make_date(${year}, 1 + (abs(hashtext(e.id::text)) % 11), 1)::timestamptz + interval '30 days',
      CASE WHEN abs(hashtext(e.id::text || 'a')) % 100 < 85 THEN make_date(${year}, 1 + (abs(hashtext(e.id::text)) % 11), 3)::timestamptz END
    FROM engagements e JOIN organisations o ON o.id = e.organisation_id
    WHERE e.level = 'specialised' AND o.type = 'business_hub' AND e.company_cvr IS NOT NULL
    LIMIT ${answersWanted}`);
  await db.execute(sql`
    INSERT INTO evaluation_answers (invitation_id, engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source)
    SELECT i.id, i.engagement_id, i.company_cvr, i.organisation_id, (i.answered_at AT TIME ZONE 'Europe/Copenhagen')::date,
      (ARRAY[10,10,9,9,9,8,8,7,6,5,3,10,9,9])[1 + abs(hashtext(i.id::text)) % 14],
      (ARRAY['i høj grad','i nogen grad','i nogen grad','i lav grad','slet ikke','ved ikke','i høj grad'])[1 + abs(hashtext(i.id::text || 'e')) % 7],
      'link'
    FROM evaluation_invitations i WHERE i.answered_at IS NOT NULL`);
  const [{ linked }] = (await db.execute<{ linked: number }>(sql`SELECT count(*)::int AS linked FROM evaluation_answers`)).rows as [{ linked: number }];
  const missing = Math.max(0, answersWanted - Number(linked));
  await db.execute(sql`
    INSERT INTO evaluation_answers (engagement_id, company_cvr, organisation_id, answered_on, nps, effect, source, import_key)
    SELECT i.engagement_id, i.company_cvr, i.organisation_id, make_date(${year}, 1 + g % 11, 1 + g % 27),
      (ARRAY[10,9,9,8,7,6,3,10,9])[1 + g % 9], (ARRAY['i høj grad','i nogen grad','ved ikke','i lav grad'])[1 + g % 4], 'import', 'bench-' || g
    FROM generate_series(1, ${missing}) AS g
      JOIN (SELECT engagement_id, company_cvr, organisation_id, row_number() OVER (ORDER BY id) - 1 AS rn FROM evaluation_invitations) i
        ON i.rn = g % GREATEST((SELECT count(*) FROM evaluation_invitations), 1)`);
  await db.execute(sql`
    INSERT INTO intent_declarations (hub_id, municipality_code, year, signed_on, evaluation_meeting_on)
    SELECT m.hub_id, m.code, ${year}, make_date(${year}, 2, 1), CASE WHEN m.code % 3 <> 0 THEN make_date(${year}, 11, 15) END FROM municipalities m
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`ANALYZE evaluation_answers; ANALYZE evaluation_invitations; ANALYZE intent_declarations`);
  const [counts] = (await db.execute<{ answers: number; invitations: number; engagements: number }>(sql`
    SELECT (SELECT count(*) FROM evaluation_answers)::int AS answers, (SELECT count(*) FROM evaluation_invitations)::int AS invitations,
      (SELECT count(*) FROM engagements)::int AS engagements`)).rows;
  const loadSeconds = seconds(t);
  note(`Evaluation data: ${int(counts!.answers)} answers, ${int(counts!.invitations)} invitations in ${loadSeconds} s`);

  // The shipped template, for this year, for the largest hub and for Sydjylland (whose contract it is).
  const template = contractInput.parse(readTemplate());
  const hubs = [
    { kkr: 'KKR Hovedstaden', hub: 'Erhvervshus Hovedstaden' },
    { kkr: 'KKR Syddanmark', hub: 'Erhvervshus Sydjylland' },
  ];
  const contractIds: { hub: string; id: string }[] = [];
  for (const h of hubs) contractIds.push({ hub: h.hub, id: await importContract(db, { ...template, ...h }, { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }) });

  const asOf = `${year}-12-31`;
  const direct: number[] = [];
  const runs = options.quick ? 10 : 20;
  for (const c of contractIds) await takeSnapshot(db, c.id, asOf); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const c of contractIds) {
      t = performance.now();
      await takeSnapshot(db, c.id, asOf);
      direct.push(performance.now() - t);
    }
  }

  const app = await buildApp({ database, config: { ...loadConfig({}), loginRateLimit: 1_000 }, webRoot: null });
  const email = `bench.contracts.${Date.now()}@example.dk`;
  const [kkr] = (await db.execute<{ id: string }>(sql`SELECT id FROM organisations WHERE key = 'kkr:hovedstaden'`)).rows;
  await insertUser(db, { email, name: 'Bench KKR', role: 'reader', organisationId: kkr!.id, passwordHash: await hashPassword('bench-password-123') });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'bench-password-123' } });
  const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
  const headers = { cookie: `${SESSION_COOKIE}=${cookie.value}` };
  // A KKR reader reads under disclosure control: as of a month end that has ended, the whole
  // protection (over time, nested figures, the evaluation table) included in what is timed.
  const endedMonthEnd = lastEndedMonthEnd(danishDate(new Date()));
  const httpAt = asOf < endedMonthEnd ? asOf : endedMonthEnd;
  const http: number[] = [];
  const files: Record<string, number[]> = { docx: [], pdf: [], xlsx: [] };
  for (let i = 0; i < runs; i++) {
    for (const c of contractIds) {
      t = performance.now();
      const r = await app.inject({ url: `/api/v1/contracts/${c.id}/report?at=${httpAt}`, headers });
      if (r.statusCode !== 200) throw new Error(`report answered ${r.statusCode}: ${r.body}`);
      http.push(performance.now() - t);
    }
  }
  for (const format of Object.keys(files)) {
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await app.inject({ url: `/api/v1/contracts/${contractIds[0]!.id}/report?at=${httpAt}&format=${format}`, headers });
      files[format]!.push(performance.now() - t);
    }
  }
  await app.close();

  const d = summarise(direct);
  const h = summarise(http);
  const rows: Row[] = [
    { figure: `Full status report, 12 goals (\`takeSnapshot\`), median (n=${direct.length}, 2 hubs)`, measured: ms(d.p50) },
    { figure: 'Full status report, 12 goals, p95', measured: ms(d.p95), budget: '≤ 1 s', met: d.p95 <= REPORT_BUDGET_MS },
    { figure: 'Full status report, 12 goals, max', measured: ms(d.max) },
    { figure: `GET /api/v1/contracts/{id}/report as a KKR reader (disclosure control, as of ${httpAt}), median (n=${http.length})`, measured: ms(h.p50) },
    { figure: 'GET /api/v1/contracts/{id}/report p95', measured: ms(h.p95), budget: '≤ 1 s', met: h.p95 <= REPORT_BUDGET_MS },
    ...Object.entries(files).map(([format, samples]) => ({ figure: `… as ${format} (median of 3, Erhvervshus Hovedstaden)`, measured: ms(summarise(samples).p50) })),
  ];
  const key = options.quick ? 'contracts-quick' : 'contracts';
  const markdown = `## Performance contract status report — ${options.quick ? 'quick' : 'national scale'}

Run: \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${new Date().toISOString().slice(11, 16)} UTC), after the company and CRM benchmarks, in the same database.

- **Machine:** ${options.machine.cpu}, ${options.machine.cores} cores, ${options.machine.ramGiB} GiB RAM, ${options.machine.platform}; Node ${options.machine.node}; PostgreSQL (local).
- **Code measured:** commit ${options.commit}.
- **Data:** the CRM data above (${int(counts!.engagements)} engagements) plus ${int(counts!.answers)} evaluation answers (${int(counts!.invitations)} invitations, 85 % answered; the rest imported), intent declarations for all 98 municipalities; set-based load in ${loadSeconds} s.
- **Contracts:** the shipped 2020 template instantiated for ${year} for Erhvervshus Hovedstaden (the largest hub) and Erhvervshus Sydjylland; each report computes all 12 goals (NPS, effect share, guided companies by delivery category with split targets, intent declarations, manual goals) as of ${asOf}, plus the trend against the latest published report.

${markdownTable(rows)}
`;
  return { key, rows, markdown };
}
