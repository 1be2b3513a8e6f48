import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { municipalities, organisations, type OrganisationType } from './schema.ts';
import { deliveryCategories } from '../engagements/schema.ts';
import { defaultDeliveryCategories, sydjyllandExtraCategories } from './themes.ts';
import { fulfilmentScales } from '../evaluations/schema.ts';
import { defaultScales } from '../evaluations/results.ts';

const csvPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../reference/kommuner.csv');

export interface MunicipalityRow {
  code: number;
  name: string;
  region: string;
  kkr: string;
  hub: string;
  population2020: number | null;
}

export function readMunicipalities(): MunicipalityRow[] {
  const [, ...lines] = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  return lines.map((line) => {
    const [code, name, region, kkr, hub, population] = line.split(',');
    return { code: Number(code), name: name!, region: region!, kkr: kkr!, hub: hub!, population2020: population ? Number(population) : null };
  });
}

const slug = (s: string) =>
  s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Bornholm's hub is a branch of Erhvervshus Hovedstaden ("Erhvervshus Hovedstaden – Bornholm"). */
const BRANCH_SEPARATOR = ' – ';

const nationalOrganisations: { key: string; type: OrganisationType; name: string }[] = [
  { key: 'national:erhvervsstyrelsen', type: 'national_authority', name: 'Erhvervsstyrelsen' },
  { key: 'operator:eksportraadet', type: 'operator', name: 'Eksportrådet' },
  { key: 'operator:eifo', type: 'operator', name: 'EIFO – Danmarks Eksport- og Investeringsfond' },
  { key: 'operator:innovationsfonden', type: 'operator', name: 'Innovationsfonden' },
  { key: 'operator:knudepunkt', type: 'operator', name: 'Knudepunkt drift' },
];

/**
 * Partners outside the business-promotion system that the North Jutland Vækst Via Viden project names
 * (001, 5.1.4.1): the municipalities' jobcentres, two unemployment funds, AAU, UCN and a cluster.
 * The region's jobcentres come from the municipality table, one per municipality.
 */
const partnerOrganisations: { key: string; type: OrganisationType; name: string }[] = [
  { key: 'akasse:akademikernes', type: 'unemployment_fund', name: 'Akademikernes A-kasse' },
  { key: 'akasse:magistrenes', type: 'unemployment_fund', name: 'Magistrenes A-kasse' },
  { key: 'edu:aau', type: 'education_institution', name: 'Aalborg Universitet (AAU)' },
  { key: 'edu:ucn', type: 'education_institution', name: 'UCN – University College Nordjylland' },
  { key: 'cluster:digital-lead', type: 'cluster', name: 'Digital Lead' },
];
export const partnerKeys = {
  akademikernes: 'akasse:akademikernes',
  magistrenes: 'akasse:magistrenes',
  aau: 'edu:aau',
  ucn: 'edu:ucn',
  cluster: 'cluster:digital-lead',
} as const;
/** The regions whose municipalities' jobcentres are reference data (those of the Vækst Via Viden partnership). */
const JOBCENTRE_REGIONS = new Set(['Region Nordjylland']);
export const jobcentreKey = (code: number) => `jobcentre:${code}`;

export const hubKey = (hubName: string) => `hub:${slug(hubName.replace(/^Erhvervshus /, '').replace(BRANCH_SEPARATOR, ' '))}`;
export const kkrKey = (kkrName: string) => `kkr:${slug(kkrName.replace(/^KKR /, ''))}`;
export const localServiceKey = (code: number) => `lbs:${code}`;

/** Loads municipalities, KKRs, hubs, local business services, national actors and partners; safe to run on every start. */
export async function ensureReferenceData(db: Db): Promise<void> {
  const rows = readMunicipalities();
  const wanted: { key: string; type: OrganisationType; name: string; parentKey?: string; municipalityCode?: number }[] = [];
  const seen = new Set<string>();
  const add = (org: (typeof wanted)[number]) => {
    if (seen.has(org.key)) return;
    wanted.push(org);
    seen.add(org.key);
  };
  for (const m of rows) {
    add({ key: kkrKey(m.kkr), type: 'kkr', name: m.kkr });
    const [mainHub] = m.hub.split(BRANCH_SEPARATOR);
    add({ key: hubKey(mainHub!), type: 'business_hub', name: mainHub! });
    if (m.hub.includes(BRANCH_SEPARATOR)) add({ key: hubKey(m.hub), type: 'business_hub', name: m.hub, parentKey: hubKey(mainHub!) });
  }
  for (const m of rows) add({ key: localServiceKey(m.code), type: 'local_business_service', name: `Erhvervsservice ${m.name} Kommune`, municipalityCode: m.code });
  nationalOrganisations.forEach(add);
  for (const m of rows.filter((r) => JOBCENTRE_REGIONS.has(r.region))) add({ key: jobcentreKey(m.code), type: 'jobcentre', name: `Jobcenter ${m.name}`, municipalityCode: m.code });
  partnerOrganisations.forEach(add);

  await db.transaction(async (tx) => {
    await tx
      .insert(organisations)
      .values(wanted.map(({ parentKey: _p, ...o }) => o))
      .onConflictDoUpdate({ target: organisations.key, set: { name: sql`excluded.name`, type: sql`excluded.type`, municipalityCode: sql`excluded.municipality_code` } });
    const ids = new Map((await tx.select({ id: organisations.id, key: organisations.key }).from(organisations)).map((o) => [o.key, o.id]));
    for (const org of wanted.filter((o) => o.parentKey)) {
      await tx.update(organisations).set({ parentId: ids.get(org.parentKey!)! }).where(sql`${organisations.key} = ${org.key}`);
    }
    await tx
      .insert(municipalities)
      .values(rows.map((m) => ({ code: m.code, name: m.name, region: m.region, kkrId: ids.get(kkrKey(m.kkr))!, hubId: ids.get(hubKey(m.hub))!, population2020: m.population2020 })))
      .onConflictDoUpdate({
        target: municipalities.code,
        set: { name: sql`excluded.name`, region: sql`excluded.region`, kkrId: sql`excluded.kkr_id`, hubId: sql`excluded.hub_id`, population2020: sql`excluded.population_2020` },
      });
    // Every hub starts with the standard delivery categories; existing ones (possibly renamed) are kept.
    const hubs = wanted.filter((o) => o.type === 'business_hub');
    const categories = hubs.flatMap((hub) =>
      [...defaultDeliveryCategories, ...(hub.key === hubKey('Erhvervshus Sydjylland') ? sydjyllandExtraCategories : [])].map((c) => ({ ...c, organisationId: ids.get(hub.key)! })),
    );
    await tx.insert(deliveryCategories).values(categories).onConflictDoNothing();
    // The 2020 contract's fulfilment scales; edited scales are kept.
    await tx.insert(fulfilmentScales).values(defaultScales).onConflictDoNothing();
  });
}
