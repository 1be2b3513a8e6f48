import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { consents } from '../consents/schema.ts';
import { cases } from './schema.ts';

interface DemoCase {
  title: string;
  summary: string;
  story: string;
  whatWasDone: string;
  benefit: string;
  /** Organisation keys; the first recorded the publication consent. Keys not in the database are left out. */
  organisations: string[];
  industries: string[];
  municipalityCodes: number[];
  jobContents: string[];
  companySize: 'micro' | 'small' | 'medium' | 'large';
  benefits: string[];
  themes: string[];
  /** Titles of published offers the case mentions. */
  offers?: string[];
  videoUrl?: string;
}

/** Stories in the spirit of Vækst Via Viden 2.0 (seed 001, 5.2.6): graduates and companies that found each other. */
const demoCases: DemoCase[] = [
  {
    title: 'Første akademiker gav data styr på produktionen',
    summary: 'En maskinfabrik i Aalborg ansatte sin første højtuddannede: en dataanalytiker fra AAU, der nu styrer vedligehold efter data.',
    story: 'Maskinfabrikken havde aldrig haft en akademiker ansat. Et studieprojekt om maskinernes driftsdata blev til et studiejob og siden en fast stilling. I dag planlægges vedligehold ud fra data i stedet for faste intervaller.',
    whatWasDone: 'Erhvervshuset og AAU matchede virksomheden med en studerende på et semesterprojekt; jobcentret hjalp med løntilskud det første halve år.',
    benefit: 'Færre uplanlagte stop, 12 % mindre nedetid og en ny medarbejder, der nu selv vejleder nye studerende.',
    organisations: ['hub:nordjylland', 'edu:aau', 'jobcentre:851'],
    industries: ['manufacturing'],
    municipalityCodes: [851],
    jobContents: ['data_analysis', 'production_logistics'],
    companySize: 'small',
    benefits: ['first_graduate', 'efficiency', 'digitalisation'],
    themes: ['digitalisation', 'skills'],
    offers: ['Automatisering og robotter'],
    videoUrl: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ',
  },
  {
    title: 'Eksport til Tyskland med en cand.ling.merc. om bord',
    summary: 'En fødevarevirksomhed i Hjørring fik en dimittend i virksomhedspraktik og fik sin første tyske kunde.',
    story: 'Virksomheden ville til Tyskland, men manglede sprog og markedskendskab. En nyuddannet fra Akademikernes A-kasse kom i virksomhedspraktik og byggede salgsmateriale og kontakter op.',
    whatWasDone: 'A-kassen og den lokale erhvervsservice fandt kandidaten; praktikken blev til ordinært job efter tre måneder.',
    benefit: 'Første eksportordre efter fem måneder og en ny stilling i salgsafdelingen.',
    organisations: ['akasse:akademikernes', 'lbs:860', 'hub:nordjylland'],
    industries: ['manufacturing', 'trade_transport'],
    municipalityCodes: [860],
    jobContents: ['sales_export', 'marketing_communication'],
    companySize: 'micro',
    benefits: ['export', 'jobs', 'growth'],
    themes: ['export', 'internationalisation'],
    offers: ['Eksportklar – første skridt til Tyskland'],
  },
  {
    title: 'Grøn omstilling i byggeriet med en ingeniør fra UCN',
    summary: 'Et entreprenørfirma i Thisted fik beregnet CO2-aftrykket af sine byggerier og vinder nu flere udbud.',
    story: 'Kunderne begyndte at spørge til klimaaftryk. En bygningskonstruktør fra UCN skrev sit afgangsprojekt om firmaets byggerier og blev ansat bagefter.',
    whatWasDone: 'UCN formidlede projektet, erhvervshuset gav sparring om grøn omstilling, og virksomheden fik en vækstpilot-ordning.',
    benefit: 'Klimaberegninger i alle tilbud og to vundne offentlige udbud det første år.',
    organisations: ['edu:ucn', 'hub:nordjylland'],
    industries: ['construction'],
    municipalityCodes: [787],
    jobContents: ['sustainability', 'engineering'],
    companySize: 'medium',
    benefits: ['green_transition', 'new_competences'],
    themes: ['green_transition'],
    offers: ['Grøn omstilling i produktionen'],
  },
  {
    title: 'Softwarehus i Aarhus fandt sin nye udvikler gennem en klynge',
    summary: 'Et lille softwarehus fik en datalog via klyngens matchmaking og kunne sige ja til en stor kunde.',
    story: 'Softwarehuset havde mere arbejde end folk. Gennem klyngens netværk mødte direktøren en nyuddannet datalog, der startede i studiejob og nu leder et kundeprojekt.',
    whatWasDone: 'Klyngen arrangerede matchmaking; den lokale erhvervsservice hjalp med rekrutteringsplanen.',
    benefit: 'En ny kunde til 2 mio. kr. og to nye stillinger.',
    organisations: ['lbs:751', 'cluster:digital-lead'],
    industries: ['information_communication'],
    municipalityCodes: [751],
    jobContents: ['software_development', 'project_management'],
    companySize: 'micro',
    benefits: ['recruitment', 'growth', 'jobs'],
    themes: ['digitalisation', 'growth'],
  },
  {
    title: 'Rådgivningsvirksomhed i Sønderborg styrkede økonomistyringen',
    summary: 'En cand.merc. i løntilskud gav ejerlederen overblik over økonomien og tid til at udvikle forretningen.',
    story: 'Ejerlederen brugte aftenerne på regnskab. En cand.merc. fra Magistrenes A-kasse kom i løntilskud og byggede budgetter og rapportering op.',
    whatWasDone: 'Erhvervshuset pegede på behovet i et vækstforløb; A-kassen fandt kandidaten.',
    benefit: 'Månedlig rapportering, bedre likviditet og en strategi for de næste tre år.',
    organisations: ['hub:sydjylland', 'lbs:540', 'akasse:magistrenes'],
    industries: ['business_services'],
    municipalityCodes: [540],
    jobContents: ['finance_administration', 'strategy_business_development'],
    companySize: 'small',
    benefits: ['efficiency', 'new_competences'],
    themes: ['growth', 'financing'],
    offers: ['Vækstforløb for SMV’er'],
  },
  {
    title: 'Landbrug i Vesthimmerland udviklede nye produkter med en agronom',
    summary: 'En stor svineproducent fik en agronom i studiepraktik, der startede et nyt forretningsben.',
    story: 'Studiepraktikken handlede om foderdata, men førte til et nyt produkt: gødning solgt til naboer. Praktikanten blev ansat som udviklingsansvarlig.',
    whatWasDone: 'AAU og jobcentret stod for praktikken; erhvervshuset gav sparring om innovation.',
    benefit: 'Et nyt forretningsben og ny viden om data i landbruget.',
    organisations: ['edu:aau', 'jobcentre:820', 'hub:nordjylland'],
    industries: ['agriculture'],
    municipalityCodes: [820],
    jobContents: ['research_development'],
    companySize: 'large',
    benefits: ['innovation', 'growth'],
    themes: ['innovation'],
  },
];

/**
 * A handful of published case stories with tags in every category, each with a publication consent
 * its first organisation recorded. About companies of the register (the demo's or the test's), so it
 * works on any database that holds companies and the reference organisations.
 */
export async function seedDemoCases(db: Db, now: Date): Promise<number> {
  const fallback = (await db.execute<{ cvr: string }>(sql`SELECT cvr FROM companies ORDER BY (name IS NULL), cvr LIMIT ${demoCases.length}`)).rows;
  if (fallback.length === 0) return 0;
  const used = new Set<string>();
  // A company of the story's municipality where the register has one, else any.
  const companyFor = async (municipalityCode: number | undefined, i: number) => {
    const [local] = (await db.execute<{ cvr: string }>(sql`
      SELECT cvr FROM companies WHERE municipality_code = ${municipalityCode ?? null}::int AND name IS NOT NULL
        AND cvr <> ALL(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify([...used])}::jsonb)))
      ORDER BY employees DESC NULLS LAST, cvr LIMIT 1`)).rows;
    const cvr = local?.cvr ?? fallback[i % fallback.length]!.cvr;
    used.add(cvr);
    return { cvr };
  };
  const orgRows = (await db.execute<{ id: string; key: string }>(sql`SELECT id, key FROM organisations`)).rows;
  const orgId = new Map(orgRows.map((o) => [o.key, o.id]));
  const offerRows = (await db.execute<{ id: string; title: string }>(sql`SELECT id, title FROM offers WHERE status = 'published'`)).rows;
  const offerId = new Map(offerRows.map((o) => [o.title, o.id]));
  const codes = new Set((await db.execute<{ code: number }>(sql`SELECT code FROM municipalities`)).rows.map((m) => Number(m.code)));
  let created = 0;
  for (const [i, demo] of demoCases.entries()) {
    const organisationIds = demo.organisations.map((k) => orgId.get(k)).filter((id): id is string => !!id);
    if (organisationIds.length === 0) continue;
    const company = await companyFor(demo.municipalityCodes[0], i);
    const givenAt = new Date(now.getTime() - (60 - i * 7) * 86_400_000);
    const [consent] = await db
      .insert(consents)
      .values({ companyCvr: company.cvr, purpose: 'publication', scope: 'all', givenByName: 'Ejerleder (demo)', givenAt, channel: 'meeting', recordedByOrganisationId: organisationIds[0]! })
      .returning({ id: consents.id });
    await db.insert(cases).values({
      title: demo.title,
      summary: demo.summary,
      story: demo.story,
      whatWasDone: demo.whatWasDone,
      benefit: demo.benefit,
      companyCvr: company.cvr,
      consentId: consent!.id,
      organisationIds,
      industries: demo.industries,
      municipalityCodes: demo.municipalityCodes.filter((c) => codes.has(c)),
      jobContents: demo.jobContents,
      companySize: demo.companySize,
      benefits: demo.benefits,
      themes: demo.themes,
      offerIds: (demo.offers ?? []).map((t) => offerId.get(t)).filter((id): id is string => !!id),
      videoUrl: demo.videoUrl ?? null,
      status: 'published',
      publishedAt: new Date(givenAt.getTime() + 86_400_000),
      createdAt: givenAt,
      updatedAt: givenAt,
    });
    created++;
  }
  return created;
}
