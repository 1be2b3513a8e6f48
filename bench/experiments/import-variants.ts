/**
 * Scratch experiment (not part of `npm run bench`): where does the CVR import spend its time, and what
 * would server-side changes buy? Each variant imports FILE into its own fresh database with a copy of
 * the importer loop and the same SQL as `upsertCompanies`, timing every stage.
 *
 *   node --import tsx bench/experiments/import-variants.ts FILE [variant …]
 *
 * Variants: baseline (= importCvrFile), batch5000, pipeline (parse the next batch while the database
 * writes the previous one), dropindexes (drop the secondary indexes of companies — name-word GIN,
 * name btrees, … — for the load and rebuild them after), pipeline+dropindexes, nounits (companies
 * only, to split the SQL cost between the two tables).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { openPostgres, runMigrations, type Database } from '../../server/db/client.ts';
import { parseCvrLine, type CompanyRecord } from '../../server/modules/companies/cvr-document.ts';
import { ensureReferenceData } from '../../server/modules/organisations/reference.ts';
import { createBenchDatabase, DEFAULT_ADMIN_URL } from '../lib/database.ts';

interface Variant {
  batchSize: number;
  pipeline: boolean;
  dropIndexes: boolean;
  units: boolean;
}

const variants: Record<string, Variant> = {
  baseline: { batchSize: 1000, pipeline: false, dropIndexes: false, units: true },
  batch5000: { batchSize: 5000, pipeline: false, dropIndexes: false, units: true },
  pipeline: { batchSize: 1000, pipeline: true, dropIndexes: false, units: true },
  dropindexes: { batchSize: 1000, pipeline: false, dropIndexes: true, units: true },
  'pipeline+dropindexes': { batchSize: 1000, pipeline: true, dropIndexes: true, units: true },
  nounits: { batchSize: 1000, pipeline: false, dropIndexes: false, units: false },
};

const COLUMNS = [
  'cvr', 'name', 'secondary_names', 'search_name', 'company_form_code', 'company_form_short', 'company_form_long',
  'street', 'address_text', 'postal_code', 'city', 'municipality_code', 'industry_code', 'industry_text', 'status',
  'founded_on', 'employees', 'employees_interval', 'employees_period', 'advertising_protected',
];
const TYPES = `cvr text, name text, secondary_names text[], search_name text, company_form_code int,
  company_form_short text, company_form_long text, street text, address_text text, postal_code int, city text,
  municipality_code int, industry_code text, industry_text text, status text, founded_on date, employees int,
  employees_interval text, employees_period text, advertising_protected boolean`;
const columnList = COLUMNS.join(', ');
const updateList = COLUMNS.filter((c) => c !== 'cvr').map((c) => `${c} = excluded.${c}`).join(', ');

const timers = { readParseMap: 0, stringify: 0, companiesSql: 0, unitsSql: 0, waitForDb: 0, rebuildIndex: 0 };
const since = (t: number) => performance.now() - t;

/** The statements of `upsertCompanies`, timed one by one. */
async function upsert(database: Database, records: CompanyRecord[], units: boolean) {
  let t = performance.now();
  const companiesJson = JSON.stringify(records.map(({ production_units: _p, ...r }) => r));
  const unitRows = units ? records.flatMap((r) => r.production_units.map((p) => ({ ...p, cvr: r.cvr }))) : [];
  const unitsJson = JSON.stringify(unitRows);
  timers.stringify += since(t);
  await database.db.transaction(async (tx) => {
    t = performance.now();
    await tx.execute(sql`
      INSERT INTO companies (${sql.raw(columnList)}, source)
      SELECT ${sql.raw(columnList)}, 'cvr' FROM jsonb_to_recordset(${companiesJson}::jsonb) AS r(${sql.raw(TYPES)})
      ON CONFLICT (cvr) DO UPDATE SET ${sql.raw(updateList)}, source = excluded.source, updated_at = now()
      RETURNING (xmax = 0)::int AS inserted`);
    timers.companiesSql += since(t);
    if (unitRows.length) {
      t = performance.now();
      await tx.execute(sql`
        INSERT INTO production_units (p_number, cvr, valid_from, valid_to)
        SELECT p_number, cvr, valid_from, valid_to FROM jsonb_to_recordset(${unitsJson}::jsonb)
          AS u(p_number text, cvr text, valid_from date, valid_to date)
        ON CONFLICT (p_number) DO UPDATE SET cvr = excluded.cvr, valid_from = excluded.valid_from, valid_to = excluded.valid_to`);
      timers.unitsSql += since(t);
    }
  });
}

async function run(name: string, variant: Variant, file: string) {
  for (const k of Object.keys(timers) as (keyof typeof timers)[]) timers[k] = 0;
  const benchDb = await createBenchDatabase(DEFAULT_ADMIN_URL, 'knudepunkt_exp');
  const database = await openPostgres(benchDb.url);
  try {
    await runMigrations(database);
    await ensureReferenceData(database.db);
    // Whatever secondary indexes the current migrations give companies, dropped now and rebuilt after the load.
    const indexes = variant.dropIndexes
      ? await database.rows<{ indexname: string; indexdef: string }>(sql`
          SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'companies' AND indexname <> 'companies_pkey'`)
      : [];
    for (const index of indexes) await database.db.execute(sql.raw(`DROP INDEX ${index.indexname}`));
    const started = performance.now();
    let batch = new Map<string, CompanyRecord>();
    let pending: Promise<void> | null = null;
    let companies = 0;
    const flush = async () => {
      if (batch.size === 0) return;
      const records = [...batch.values()];
      batch = new Map();
      if (pending) {
        const t = performance.now();
        await pending;
        timers.waitForDb += since(t);
      }
      pending = upsert(database, records, variant.units);
      if (!variant.pipeline) {
        await pending;
        pending = null;
      }
    };
    let t = performance.now();
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      const parsed = parseCvrLine(line);
      if (!parsed.ok) continue;
      companies++;
      batch.set(parsed.record.cvr, parsed.record);
      if (batch.size >= variant.batchSize) {
        timers.readParseMap += since(t);
        await flush();
        t = performance.now();
      }
    }
    timers.readParseMap += since(t);
    await flush();
    if (pending) await pending;
    if (variant.dropIndexes) {
      t = performance.now();
      await database.db.execute(sql`SET maintenance_work_mem = '512MB'`);
      for (const index of indexes) await database.db.execute(sql.raw(index.indexdef));
      timers.rebuildIndex = since(t);
    }
    const seconds = since(started) / 1000;
    const fmt = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;
    console.log(
      `${name.padEnd(18)} ${companies} companies in ${seconds.toFixed(1)} s = ${Math.round(companies / seconds)}/s | ` +
        `read+parse+map ${fmt(timers.readParseMap)}, JSON.stringify ${fmt(timers.stringify)}, companies SQL ${fmt(timers.companiesSql)}, ` +
        `P-units SQL ${fmt(timers.unitsSql)}, waiting for DB ${fmt(timers.waitForDb)}, index rebuild ${fmt(timers.rebuildIndex)}`,
    );
  } finally {
    await database.close();
    await benchDb.drop();
  }
}

const [file, ...names] = process.argv.slice(2);
if (!file) throw new Error('usage: import-variants.ts FILE [variant …]');
for (const name of names.length ? names : Object.keys(variants)) {
  const variant = variants[name];
  if (!variant) throw new Error(`unknown variant ${name}; known: ${Object.keys(variants).join(', ')}`);
  await run(name, variant, file);
}
