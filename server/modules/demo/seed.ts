import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql, type SQL } from 'drizzle-orm';
import { DEMO_SEED_LOCK, positionalSql, type Database, type Db } from '../../db/client.ts';
import type { Reporter } from '../../cli/reporter.ts';
import { hashPassword } from '../auth/passwords.ts';
import { completeCvr } from '../companies/cvr.ts';
import { searchNameOf, type CompanyRecord } from '../companies/cvr-document.ts';
import { importCvrFile } from '../companies/import.ts';
import { upsertCompanies } from '../companies/service.ts';
import { organisations } from '../organisations/schema.ts';
import { hubKey, jobcentreKey, kkrKey, localServiceKey, partnerKeys, readMunicipalities } from '../organisations/reference.ts';
import { users, type Role } from '../users/schema.ts';
import { pickOne, prng } from '../../lib/random.ts';
import { seedDemoCrm } from './crm.ts';
import { seedDemoContract } from './contract.ts';
import { seedDemoOffers } from './offers.ts';
import { seedDemoLeads } from './leads.ts';
import { seedDemoActionPlans } from './action-plans.ts';
import { seedDemoSurveys } from './surveys.ts';
import { seedDemoEvents } from './events.ts';
import { seedDemoCases } from '../cases/demo.ts';
import { seedDemoMatchmaking } from '../matchmaking/demo.ts';
import { seedDemoMatchRegister } from '../match-register/demo.ts';
import { insertUser } from '../users/service.ts';

export const DEMO_PASSWORD = 'knudepunkt-demo';
const fixturesFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/cvr/vrvirksomhed-4.jsonl');

export const demoUsers: { email: string; name: string; role: Role; orgKey: string; earlyWarning?: boolean; systemAdmin?: boolean; description: string }[] = [
  { email: 'admin@demo.knudepunkt.dk', name: 'Astrid Holm', role: 'admin', orgKey: 'operator:knudepunkt', systemAdmin: true, description: 'systemadministrator' },
  { email: 'adviser@demo.knudepunkt.dk', name: 'Mads Kjær', role: 'adviser', orgKey: hubKey('Erhvervshus Sydjylland'), description: 'forretningsudvikler, Erhvervshus Sydjylland' },
  { email: 'ew@demo.knudepunkt.dk', name: 'Lene Bach', role: 'adviser', orgKey: hubKey('Erhvervshus Sydjylland'), earlyWarning: true, description: 'Early Warning-rådgiver, Erhvervshus Sydjylland' },
  { email: 'manager@demo.knudepunkt.dk', name: 'Henrik Dall', role: 'manager', orgKey: hubKey('Erhvervshus Sydjylland'), description: 'direktør, Erhvervshus Sydjylland' },
  { email: 'orgadmin@demo.knudepunkt.dk', name: 'Pia Lund', role: 'admin', orgKey: hubKey('Erhvervshus Sydjylland'), description: 'administrator, Erhvervshus Sydjylland' },
  { email: 'kommune@demo.knudepunkt.dk', name: 'Søren Iversen', role: 'adviser', orgKey: localServiceKey(540), description: 'erhvervskonsulent, Sønderborg' },
  { email: 'aabenraa@demo.knudepunkt.dk', name: 'Birgitte Thomsen', role: 'adviser', orgKey: localServiceKey(580), description: 'erhvervskonsulent, Aabenraa' },
  { email: 'reader@demo.knudepunkt.dk', name: 'Karen Vestergaard', role: 'reader', orgKey: kkrKey('KKR Syddanmark'), description: 'læser, KKR Syddanmark (kun aggregater)' },
  { email: 'nordjylland@demo.knudepunkt.dk', name: 'Morten Skov', role: 'manager', orgKey: hubKey('Erhvervshus Nordjylland'), description: 'projektleder for Vækst Via Viden 2.0, Erhvervshus Nordjylland' },
  { email: 'jobcenter@demo.knudepunkt.dk', name: 'Rikke Dahl', role: 'adviser', orgKey: jobcentreKey(851), description: 'virksomhedskonsulent, Jobcenter Aalborg (partner uden for erhvervsfremmesystemet)' },
  { email: 'aau@demo.knudepunkt.dk', name: 'Ole Bæk', role: 'adviser', orgKey: partnerKeys.aau, description: 'karrierevejleder, Aalborg Universitet (partner uden for erhvervsfremmesystemet)' },
];

const surnames = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen', 'Knudsen', 'Jakobsen', 'Mikkelsen', 'Frederiksen', 'Lauridsen', 'Holm', 'Schmidt', 'Eriksen', 'Kristiansen', 'Simonsen', 'Clausen', 'Svendsen', 'Andreasen', 'Iversen', 'Østergaard', 'Jeppesen', 'Vestergaard', 'Nissen', 'Lund', 'Damgaard'];
const givenNames = ['Anders', 'Mette', 'Lars', 'Hanne', 'Jens', 'Susanne', 'Peter', 'Lone', 'Søren', 'Kirsten', 'Niels', 'Camilla', 'Rasmus', 'Louise', 'Mikkel', 'Ida', 'Frederik', 'Sofie', 'Thomas', 'Maja'];
const places = ['Nord', 'Syd', 'Øst', 'Vest', 'Fjord', 'Skov', 'Bakke', 'Strand', 'Å', 'Mølle', 'Havn', 'Eng', 'Dal', 'Hede', 'Klint'];

const trades: { words: string[]; code: string; text: string; weight: number }[] = [
  { words: ['Tømrerfirma', 'Tømrer & Snedker', 'Byg'], code: '433200', text: 'Tømrer- og bygningssnedkervirksomhed', weight: 9 },
  { words: ['VVS', 'VVS & Blik', 'VVS-teknik'], code: '432200', text: 'VVS- og blikkenslagerforretninger', weight: 6 },
  { words: ['El-service', 'El-installation', 'Elteknik'], code: '432100', text: 'El-installation', weight: 6 },
  { words: ['Malerfirma', 'Malerforretning'], code: '433400', text: 'Maler- og glarmestervirksomhed', weight: 4 },
  { words: ['Maskinfabrik', 'Smedie', 'Stålindustri'], code: '256200', text: 'Maskinforarbejdning', weight: 5 },
  { words: ['Software', 'IT', 'Digital', 'Data'], code: '620100', text: 'Computerprogrammering', weight: 7 },
  { words: ['Rådgivning', 'Consulting', 'Management'], code: '702200', text: 'Virksomhedsrådgivning og anden rådgivning om driftsledelse', weight: 7 },
  { words: ['Revision', 'Regnskab'], code: '692000', text: 'Bogføring og revision: skatterådgivning', weight: 4 },
  { words: ['Bageri', 'Brødhus'], code: '107120', text: 'Bagerier', weight: 3 },
  { words: ['Transport', 'Vognmandsforretning', 'Logistik'], code: '494100', text: 'Vejgodstransport', weight: 5 },
  { words: ['Frisør', 'Hårstudio'], code: '960210', text: 'Frisørsaloner', weight: 4 },
  { words: ['Restaurant', 'Café', 'Kro'], code: '561010', text: 'Restauranter', weight: 5 },
  { words: ['Autoværksted', 'Auto', 'Bilservice'], code: '452010', text: 'Almindelig reparation og vedligeholdelse af motorkøretøjer', weight: 5 },
  { words: ['Design', 'Designstudie'], code: '741020', text: 'Industriel design og produktdesign', weight: 3 },
  { words: ['Gartneri', 'Planteskole'], code: '013000', text: 'Planteformering', weight: 2 },
  { words: ['Landbrug', 'Gård'], code: '014100', text: 'Opdræt af kvæg til mælkeproduktion', weight: 4 },
  { words: ['Tandklinik', 'Tandlægerne'], code: '862300', text: 'Tandlæger', weight: 2 },
  { words: ['Arkitekter', 'Tegnestue'], code: '711100', text: 'Arkitektvirksomhed', weight: 2 },
  { words: ['Fødevarer', 'Pølsemageri', 'Mejeri'], code: '101300', text: 'Forarbejdning af kød og fjerkræ', weight: 2 },
  { words: ['Grøn Energi', 'Solceller', 'Vindservice'], code: '351100', text: 'Produktion af elektricitet', weight: 2 },
  { words: ['Marketing', 'Kommunikation', 'Reklame'], code: '731100', text: 'Reklamebureauer', weight: 3 },
  { words: ['Isenkram', 'Byggemarked'], code: '475210', text: 'Isenkram- og byggemarkeder', weight: 2 },
  { words: ['Rengøring', 'Service'], code: '812100', text: 'Almindelig rengøring i bygninger', weight: 3 },
];

const forms = [
  { code: 80, short: 'APS', long: 'Anpartsselskab', suffix: 'ApS', weight: 50 },
  { code: 60, short: 'A/S', long: 'Aktieselskab', suffix: 'A/S', weight: 10 },
  { code: 10, short: 'ENK', long: 'Enkeltmandsvirksomhed', suffix: '', weight: 30 },
  { code: 30, short: 'I/S', long: 'Interessentskab', suffix: 'I/S', weight: 6 },
  { code: 40, short: 'K/S', long: 'Kommanditselskab', suffix: 'K/S', weight: 2 },
  { code: 115, short: 'FMA', long: 'Forening med begrænset ansvar', suffix: 'F.M.B.A.', weight: 2 },
];

const sizes = [
  { interval: '0-0', min: 0, max: 0, weight: 25 },
  { interval: '1-1', min: 1, max: 1, weight: 15 },
  { interval: '2-4', min: 2, max: 4, weight: 20 },
  { interval: '5-9', min: 5, max: 9, weight: 15 },
  { interval: '10-19', min: 10, max: 19, weight: 11 },
  { interval: '20-49', min: 20, max: 49, weight: 8 },
  { interval: '50-99', min: 50, max: 99, weight: 4 },
  { interval: '100-199', min: 100, max: 199, weight: 1.5 },
  { interval: '200-499', min: 200, max: 499, weight: 0.5 },
];

const streets = ['Hovedgaden', 'Industrivej', 'Stationsvej', 'Østergade', 'Vestergade', 'Nørregade', 'Søndergade', 'Havnevej', 'Skolevej', 'Kirkevej', 'Engvej', 'Håndværkervej', 'Erhvervsvej', 'Birkevej', 'Egevej', 'Mejerivej', 'Fabriksvej', 'Parkvej'];

/** Rough size of the business population: the big cities get more companies. */
const bigCities: Record<number, number> = { 101: 14, 751: 8, 461: 6, 851: 5, 561: 3, 630: 3, 621: 3, 147: 3, 540: 3, 791: 2, 657: 2, 615: 2 };

function pick<T extends { weight: number }>(rand: () => number, items: T[]): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let r = rand() * total;
  for (const item of items) if ((r -= item.weight) < 0) return item;
  return items[items.length - 1]!;
}

/** About `count` synthetic companies across all 98 municipalities, with valid CVR and P-numbers. */
export function generateCompanies(count: number, seed = 2020): CompanyRecord[] {
  const rand = prng(seed);
  const municipalities = readMunicipalities();
  const weighted = municipalities.map((m) => ({ ...m, weight: bigCities[m.code] ?? 1 }));
  const usedCvr = new Set<string>();
  const records: CompanyRecord[] = [];
  // Every municipality gets some companies before the rest are spread by weight.
  const plan = [...municipalities.flatMap((m) => Array.from({ length: 10 }, () => m)), ...Array.from({ length: Math.max(0, count - municipalities.length * 10) }, () => pick(rand, weighted))];
  let pCounter = 1_000_000;
  for (const m of plan.slice(0, count)) {
    let cvr: string | null = null;
    while (!cvr || usedCvr.has(cvr)) cvr = completeCvr(String(1_000_000 + Math.floor(rand() * 8_999_999)));
    usedCvr.add(cvr);
    const trade = pick(rand, trades);
    const form = pick(rand, forms);
    const word = pickOne(rand, trade.words);
    const style = rand();
    const base = style < 0.4 ? `${pickOne(rand, surnames)}s ${word}` : style < 0.7 ? `${m.name} ${word}` : style < 0.85 ? `${word} ${pickOne(rand, places)}` : `${pickOne(rand, givenNames)} ${pickOne(rand, surnames)} ${word}`;
    const name = form.suffix ? `${base} ${form.suffix}` : base;
    const size = form.code === 10 ? sizes[Math.floor(rand() * 4)]! : pick(rand, sizes);
    const employees = size.min + Math.floor(rand() * (size.max - size.min + 1));
    const founded = new Date(Date.UTC(1960 + Math.floor(rand() * 64), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))).toISOString().slice(0, 10);
    const statusRoll = rand();
    const status = statusRoll < 0.93 ? 'NORMAL' : statusRoll < 0.97 ? 'OPHØRT' : statusRoll < 0.99 ? 'UNDER KONKURS' : 'UNDER FRIVILLIG LIKVIDATION';
    const street = `${pickOne(rand, streets)} ${1 + Math.floor(rand() * 120)}`;
    const postalCode = 1000 + ((m.code * 37) % 8000);
    const units = employees >= 50 && rand() < 0.5 ? 2 + Math.floor(rand() * 3) : 1;
    const productionUnits = Array.from({ length: units }, (_, i) => ({ p_number: String(1_100_000_000 + pCounter++), valid_from: founded, valid_to: i > 0 && rand() < 0.2 ? '2022-12-31' : null }));
    records.push({
      cvr,
      name,
      secondary_names: [],
      search_name: searchNameOf(name, []),
      company_form_code: form.code,
      company_form_short: form.short,
      company_form_long: form.long,
      street,
      address_text: `${street}, ${postalCode} ${m.name}`,
      postal_code: postalCode,
      city: m.name,
      municipality_code: m.code,
      industry_code: trade.code,
      industry_text: trade.text,
      status,
      // A date from the CVR number rather than from rand(), so the rest of the demo data stays as it was.
      status_since: status === 'NORMAL' ? null : `202${Number(cvr) % 5}-${String((Number(cvr) % 12) + 1).padStart(2, '0')}-15`,
      founded_on: founded,
      employees,
      employees_interval: size.interval,
      employees_period: '2026-09',
      advertising_protected: rand() < 0.25,
      production_units: productionUnits,
    });
  }
  return records;
}

export async function hasAnyUser(db: Db, email?: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(email ? eq(users.email, email) : undefined).limit(1);
  return rows.length > 0;
}

/**
 * Creates the demo data set once: ~5,000 companies, the 4 real CVR documents, and one user per role.
 * `ifNoUsers` (serve --demo-if-empty) seeds only a database without any user; otherwise it is seeded
 * unless the demo users exist. All of it is one transaction under an advisory lock: servers starting
 * together on one empty database seed it once (the others wait, then find the users), and a process
 * killed mid-seed leaves nothing behind, so the next start seeds from scratch.
 */
export async function seedDemo(database: Database, options: { reporter?: Reporter; companies?: number; ifNoUsers?: boolean; onStart?: () => void } = {}) {
  const notCreated = { created: false, companies: 0, users: 0 } as const;
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEMO_SEED_LOCK})`);
    // Read after the lock: READ COMMITTED takes a fresh snapshot per statement, so this sees another seeder's commit.
    if (await hasAnyUser(tx, options.ifNoUsers ? undefined : demoUsers[0]!.email)) return notCreated;
    options.onStart?.();
    return seedAll(withinTransaction(database, tx), options);
  });
}

/**
 * The database seen through one transaction: everything the seeding functions do through it,
 * their own transactions included (savepoints), is part of it.
 */
function withinTransaction(database: Database, tx: Db): Database {
  return {
    db: tx,
    kind: database.kind,
    rows: async <T>(query: SQL) => (await tx.execute(query)).rows as T[],
    prepared: async <T>(_name: string, text: string, values: unknown[]) => (await tx.execute(positionalSql(text, values))).rows as T[],
    close: () => Promise.reject(new Error('a transaction is not closed, it ends')),
    session: (work) => work(tx),
    listen: (channel, handlers) => database.listen(channel, handlers),
  };
}

async function seedAll(database: Database, options: { reporter?: Reporter; companies?: number }) {
  const { db } = database;
  const records = generateCompanies(options.companies ?? 5000);
  const batch = 1000;
  for (let i = 0; i < records.length; i += batch) {
    await upsertCompanies(database, records.slice(i, i + batch));
    options.reporter?.progress('Demovirksomheder', Math.min(i + batch, records.length), records.length);
  }
  options.reporter?.done();
  // Four documents, one batch: the import's parallel batch writers never share this one connection.
  await importCvrFile(database, fixturesFile);
  const orgIds = new Map((await db.select({ id: organisations.id, key: organisations.key }).from(organisations)).map((o) => [o.key, o.id]));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of demoUsers) {
    await insertUser(db, { email: u.email, name: u.name, role: u.role, organisationId: orgIds.get(u.orgKey)!, passwordHash, earlyWarning: u.earlyWarning ?? false, systemAdmin: u.systemAdmin ?? false });
  }
  const crm = await seedDemoCrm(database, new Date(), passwordHash);
  await seedDemoContract(database, new Date());
  await seedDemoOffers(database);
  await seedDemoLeads(db, new Date());
  await seedDemoSurveys(db);
  await seedDemoEvents(db, new Date());
  // After the CRM and events demo data: the plan links the engagements, referrals and events that carry it.
  await seedDemoActionPlans(db, new Date());
  // After the offers: cases link the published offers they mention.
  await seedDemoCases(db, new Date());
  // After the CRM demo data: needs and offers on companies of Sønderborg and Aabenraa, with their consents.
  await seedDemoMatchmaking(db, new Date());
  // Vækst Via Viden 2.0: a year of matches in North Jutland, by its jobcentres, business services, AAU, UCN and A-kasser.
  await seedDemoMatchRegister(db);
  await db.execute(sql`ANALYZE`);
  return { created: true as const, companies: records.length + 4, users: demoUsers.length, ...crm };
}
