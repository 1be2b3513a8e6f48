/**
 * Sønderborg Kommune's "Handleplan for internationalisering" (seed 000): focus areas Tyskland and Kina
 * and its initiatives as the plan's tables state them, owned by the municipality's business service
 * (Erhvervsservice, lbs:540). Sønderborg Vækstråd and the municipality's own department Politik, Analyse
 * og Kommunikation are outside actors; Erhvervshus Sydjylland is a partner organisation.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import { addInitiative, addMilestone, assessInitiative, createPlan, insertLinkUnchecked, type InitiativeValues } from '../action-plans/service.ts';
import type { InitiativeAssessment } from '../action-plans/schema.ts';

const VAEKSTRAAD = 'Sønderborg Vækstråd';
const PAK = 'Politik, Analyse og Kommunikation';

interface DemoInitiative {
  title: string;
  focusArea: 'Tyskland' | 'Kina';
  description: string;
  objectives: string[];
  /** 'service': Erhvervsservice (the owner); else an outside actor by name. */
  responsible: 'service' | string;
  partners: ('service' | 'hub' | string)[];
  status: InitiativeValues['status'];
  assessment?: { value: InitiativeAssessment; comment: string };
  /** Days from the start of the plan's second year: negative is done, with `done`. */
  milestones?: { title: string; due: string; done?: boolean }[];
  /** Which demo records carry it. */
  carriedBy?: 'engagements' | 'germanyEvents' | 'chinaNetwork' | 'delegations' | 'chinaDays';
}

const initiatives: DemoInitiative[] = [
  {
    title: 'Kortlægning af virksomhedernes muligheder for udvikling i Tyskland',
    focusArea: 'Tyskland',
    description:
      'Sønderborg Vækstråd udarbejder en kortlægning af, hvilke redskaber og muligheder (organisationer, programmer, støtte-ordninger mv.) virksomhederne kan benytte sig af, hvis de vil eksportere til Tyskland/etablere sig i Tyskland. Udgangspunktet for kortlægningen er, at det skal være nemt for virksomhederne at komme i gang med en udviklingsproces rettet mod Tyskland.',
    objectives: ['Identificere og skabe et overblik over virksomhedernes muligheder og redskaber ved udvikling rettet mod Tyskland.'],
    responsible: VAEKSTRAAD,
    partners: ['hub'],
    status: 'done',
    assessment: { value: 'on_track', comment: 'Kortlægningen er færdig og ligger på Vækstrådets hjemmeside.' },
    milestones: [{ title: 'Kortlægningen offentliggjort', due: 'Y0-06-30', done: true }],
  },
  {
    title: 'Kortlægning af virksomheder med interesse i eksport/etablering i Tyskland',
    focusArea: 'Tyskland',
    description:
      'Sønderborg Vækstråd udarbejder en kortlægning af lokale SMV’er med interesse for eksport til Tyskland/etablering i Tyskland. Kortlægningen følges op af en opsøgende og afklarende kontakt til virksomhederne, hvor der blandt andet henvises til Erhvervshus Sydjylland. Som eksempel kan Hannover nævnes.',
    objectives: ['Identificere virksomheder med interesse for udvikling rettet mod Tyskland, herunder sikre henvisning til målrettet vejledning.'],
    responsible: VAEKSTRAAD,
    partners: [],
    status: 'running',
    assessment: { value: 'on_track', comment: 'De første virksomheder er kontaktet og henvist til erhvervshuset.' },
    milestones: [
      { title: 'Liste over interesserede SMV’er', due: 'Y1-03-31', done: true },
      { title: 'Alle virksomheder på listen kontaktet', due: 'Y1-12-31' },
    ],
    carriedBy: 'engagements',
  },
  {
    title: 'Kommunikation målrettet SMV’er',
    focusArea: 'Tyskland',
    description:
      'Sønderborg Vækstråd og Sønderborg Kommune gennemfører en kommunikationsindsats/informationskampagne rettet mod lokale SMV’er med fokus på virksomhedernes muligheder for at få hjælp til at styrke og løfte eksporten til Tyskland ved deltagelse i blandt andet Erhvervshus Sydjyllands workshops og øvrige tiltag. Der tages udgangspunkt i konkrete cases, og kommunikationen sker blandt andet gennem nyhedsbreve udsendt af Sønderborg Vækstråd og Erhvervsservice.',
    objectives: ['Styrke kommunikationen af konkrete redskaber til virksomhederne.'],
    responsible: VAEKSTRAAD,
    partners: ['service'],
    status: 'running',
  },
  {
    title: 'Målrettede arrangementer',
    focusArea: 'Tyskland',
    description:
      'Der afholdes hvert år arrangementer for de lokale SMV’er med fokus på udviklingsmulighederne i Tyskland. Arrangementerne målrettes forskellige typer af virksomheder, blandt andet med eksport som et af temaerne.',
    objectives: ['Styrke virksomhederne viden og kompetencer i forhold til udvikling rettet mod Tyskland.'],
    responsible: VAEKSTRAAD,
    partners: ['service', 'hub'],
    status: 'running',
    milestones: [{ title: 'Årets arrangement om eksport til Tyskland', due: 'Y1-10-31' }],
    carriedBy: 'germanyEvents',
  },
  {
    title: 'Relationer/samarbejder med tyske byer',
    focusArea: 'Tyskland',
    description:
      'Erhvervsudvalget var i februar 2020 på studietur til Nürnberg. På baggrund af erfaringerne fra studieturen undersøges mulighederne for bygge relationer til tyske byer i et erhvervsmæssigt perspektiv. Gennem eventuelle bysamarbejder skal der arbejdes med, at flere tyske virksomhederne bliver opmærksomme på virksomhederne i Sønderborg-området og det danske/nordiske marked generelt.',
    objectives: ['Undersøge mulighederne for mere specifikke bysamarbejder og igangsætte eventuelle tiltag.'],
    responsible: 'service',
    partners: [],
    status: 'planned',
  },
  {
    title: 'Tiltrækning af tyske virksomheder til Sønderborg-området',
    focusArea: 'Tyskland',
    description:
      'Sønderborg Kommune arbejder med at tiltrække tyske virksomheder til Sønderborg-området. I den forbindelse vurderes relevansen af at udarbejde en tysk Toolbox, der kan være med til at øge tyske virksomheders interesse for området. Ved henvendelse fra tyske virksomheder påtager Sønderborg Kommune sig værtsrollen.',
    objectives: ['Tiltrækning af en eller flere tyske virksomheder til Sønderborg-området.'],
    responsible: 'service',
    partners: [],
    status: 'running',
    assessment: { value: 'at_risk', comment: 'Ingen tyske virksomheder har henvendt sig endnu; en tysk Toolbox overvejes.' },
  },
  {
    title: 'Samarbejde mellem uddannelsesinstitutioner og virksomheder',
    focusArea: 'Tyskland',
    description:
      'Der er i grænseregionen etableret et samarbejde mellem universiteterne og virksomhederne i helholdsvis Sønderborg. Flensborg og Kiel. Med fortsat inddragelse af blandt andet ProjectZero arbejdes der videre med at styrke samarbejdet og områdets kernekompetencer inden for indistriel elektronik og mekatronik. Endvidere undersøges det, hvordan samarbejdet mellem uddannelsesinstitutioner og lokale virksomheder kan styrkes.',
    objectives: ['Styrke og udvikle samarbejdet mellem uddannelsesinstitutioner og virksomheder gennem konkrete projekter.'],
    responsible: VAEKSTRAAD,
    partners: [],
    status: 'running',
  },
  {
    title: 'Kina-netværk',
    focusArea: 'Kina',
    description:
      'Der er etableret et Kina-netværk på tværs af interessenter i Sønderborg-området, herunder virksomheder, uddannelsesinstitutioner, kommune m.fl. Sønderborg Kommune er tovholder på netværket, der som udgangspunkt mødes to gange i året.',
    objectives: ['Sikre koordinering og vidensdeling af indsatser rettet mod Kina.'],
    responsible: PAK,
    partners: [],
    status: 'running',
    milestones: [
      { title: 'Forårsmøde i Kina-netværket', due: 'Y1-04-30', done: true },
      { title: 'Efterårsmøde i Kina-netværket', due: 'Y1-11-30' },
    ],
    carriedBy: 'chinaNetwork',
  },
  {
    title: 'Bysamarbejder og officielle besøg',
    focusArea: 'Kina',
    description:
      'Sønderborg Kommune understøtter lokale virksomheder gennem bysamarbejder og officielle besøg, herunder modtagelse af kinesiske delegationer på rådhuset. Ved officielle besøg på rådhuset påtager Sønderborg Kommune sig værtsrollen og sikrer så vidt muligt opfølgning på besøgene.',
    objectives: ['Understøtte virksomheder i situationer, hvor Sønderborg Kommune som officiel myndighed kan være med til at åbne døre og styrke virksomhedernes udviklingsmuligheder i Kina.'],
    responsible: PAK,
    partners: [],
    status: 'running',
    carriedBy: 'delegations',
  },
  {
    title: 'Temadage og kobling af virksomheder',
    focusArea: 'Kina',
    description:
      'Sønderborg Kommune afholder temadage for lokale virksomhederne om mulighederne for udvikling i Kina, fx i forbindelse med de kinesiske dage. Som en del af temadagene vil der være fokus på at koble virksomheder, der allerede er etableret i Kina med virksomheder, der har interesse deri.',
    objectives: ['Styrke virksomhedernes viden og muligheder for udvikling i Kina.'],
    responsible: 'service',
    partners: [VAEKSTRAAD, 'hub'],
    status: 'running',
    carriedBy: 'chinaDays',
  },
  {
    title: 'Samarbejdsaftale om udvikling af kinesiske kulturcentre',
    focusArea: 'Kina',
    description:
      'Sønderborg Kommune indgår i et samarbejde om udvikling af kinesiske kulturcentre med et dansk perspektiv. Formålet med samarbejdet er, at et eller flere kinesiske kulturcentre skal fremvise Sønderborg-området og derigennem være med til at promovere og åbne døre for det lokale erhvervsliv samt tiltrække kinesiske turister til Sønderborg Kommune.',
    objectives: [
      'Skabe muligheder for at fremvise Sønderborg-områdets styrker i Kina, og herunder give lokale virksomheder en indgang til markedet i Kina.',
      'Promovere Sønderborg som en turistdestination – også på erhvervssområdet - i Kina.',
    ],
    responsible: PAK,
    partners: ['service'],
    status: 'planned',
  },
  {
    title: 'Samarbejde om konkrete projekter',
    focusArea: 'Kina',
    description:
      'Sønderborg Kommune støtter som officiel myndighed op om konkrete projekter og søgning af puljer/fonde i tilfælde, hvor virksomheder samarbejder med kinesiske byer om udvikling af produkter, eksport eller andet. Sønderborg Kommune vil altid foretage en vurdering af det enkelte projekt forud for en eventuel involvering i samarbejdet.',
    objectives: ['Støtte udviklingen af konkrete projekter som officiel myndighed.'],
    responsible: PAK,
    partners: ['service'],
    status: 'running',
  },
];

const purpose = [
  'Handleplan for internationalisering skal være med til:',
  '• At styrke virksomhedernes fokus på internationalisering og skabe bedre forudsætninger for, at virksomhederne kan bevæge sig ind på det internationale marked gennem viden og konkrete tilbud.',
  '• At understøtte udviklingen i de lokale virksomheders eksportmuligheder og muligheder for at etablere afdelinger i andre lande med fokus på SMV’erne.',
  '• At positionere Sønderborg som et bæredygtigt, innovativt og højteknologisk område og udbrede erfaringerne fra arbejdet med bæredygtighed og grøn teknologi i et internationalt perspektiv.',
  '• At understøtte erhvervslivet og skabe lokale arbejdspladser ved at tiltrække internationale virksomheder til området.',
  '• At videreudvikle Sønderborg til en turistdestination i særklasse, der også tiltrækker erhvervsturister fra hele verden.',
  'Erhvervsudvalget har prioriteret to fokusområder for handleplan for internationalisering: Tyskland og Kina.',
].join('\n');

/** Which demo records carry an initiative: found by what they are, so the plan links whatever the other demo data holds. */
async function carriers(db: Db, kind: NonNullable<DemoInitiative['carriedBy']>, sonderborg: string, hub: string): Promise<{ kind: 'engagement' | 'event' | 'referral'; id: string }[]> {
  const events = (where: ReturnType<typeof sql>) =>
    db.execute<{ id: string }>(sql`SELECT id FROM events WHERE organiser_organisation_id IN (${sonderborg}, ${hub}) AND ${where} ORDER BY starts_at LIMIT 6`);
  switch (kind) {
    case 'engagements': {
      const engagements = (await db.execute<{ id: string }>(sql`
        SELECT id FROM engagements WHERE organisation_id = ${sonderborg} AND NOT confidential AND 'internationalisation' = ANY(themes) ORDER BY opened_on, id LIMIT 6`)).rows;
      const referrals = (await db.execute<{ id: string }>(sql`SELECT id FROM referrals WHERE from_organisation_id = ${sonderborg} AND to_organisation_id = ${hub} ORDER BY sent_at, id LIMIT 3`)).rows;
      return [...engagements.map((e) => ({ kind: 'engagement' as const, id: e.id })), ...referrals.map((r) => ({ kind: 'referral' as const, id: r.id }))];
    }
    case 'germanyEvents':
      return (await events(sql`kind <> 'network_meeting' AND kind <> 'delegation_visit' AND (title ILIKE '%tysk%' OR title ILIKE '%german%' OR title ILIKE '%eksport%')`)).rows.map((e) => ({ kind: 'event', id: e.id }));
    case 'chinaNetwork':
      return (await events(sql`kind = 'network_meeting' AND title ILIKE '%kina%'`)).rows.map((e) => ({ kind: 'event', id: e.id }));
    case 'delegations':
      return (await events(sql`kind = 'delegation_visit'`)).rows.map((e) => ({ kind: 'event', id: e.id }));
    case 'chinaDays':
      return (await events(sql`kind <> 'network_meeting' AND kind <> 'delegation_visit' AND (title ILIKE '%kina%' OR title ILIKE '%kines%')`)).rows.map((e) => ({ kind: 'event', id: e.id }));
  }
}

/** The plan, from the year before `now` to two years after, so its milestones fall around today. */
export async function seedDemoActionPlans(db: Db, now: Date): Promise<{ actionPlans: number; actionPlanLinks: number }> {
  const orgs = new Map((await db.execute<{ id: string; key: string }>(sql`SELECT id, key FROM organisations WHERE key IN ('lbs:540', 'hub:sydjylland')`)).rows.map((o) => [o.key, o.id]));
  const sonderborg = orgs.get('lbs:540')!;
  const hub = orgs.get('hub:sydjylland')!;
  const [user] = (await db.execute<{ id: string; name: string; email: string }>(sql`SELECT id, name, email FROM users WHERE organisation_id = ${sonderborg} AND role <> 'reader' AND active ORDER BY created_at LIMIT 1`)).rows;
  const actor: Actor | null = user
    ? { userId: user.id, name: user.name, email: user.email, organisationId: sonderborg, organisationType: 'local_business_service', role: 'adviser', earlyWarning: false, systemAdmin: false }
    : null;
  const year = now.getUTCFullYear();
  const date = (spec: string) => spec.replace(/^Y(\d)/, (_, offset: string) => String(year - 1 + Number(offset)));
  const planId = await createPlan(
    db,
    actor,
    { ownerOrganisationId: sonderborg, title: 'Handleplan for internationalisering', periodStart: `${year - 1}-01-01`, periodEnd: `${year + 2}-12-31`, focusAreas: ['Tyskland', 'Kina'], description: purpose },
    now,
  );
  const plan = { id: planId, ownerOrganisationId: sonderborg };
  let links = 0;
  for (const item of initiatives) {
    const organisation = (p: string) => (p === 'service' ? sonderborg : p === 'hub' ? hub : null);
    const initiativeId = await addInitiative(
      db,
      actor,
      plan,
      {
        title: item.title,
        focusArea: item.focusArea,
        description: item.description,
        objectives: item.objectives,
        responsibleOrganisationId: item.responsible === 'service' ? sonderborg : null,
        responsibleName: item.responsible === 'service' ? null : item.responsible,
        partnerOrganisationIds: item.partners.map(organisation).filter((id): id is string => !!id),
        partnerNames: item.partners.filter((p) => !organisation(p)),
        status: item.status,
      },
      now,
    );
    for (const m of item.milestones ?? []) await addMilestone(db, actor, plan, initiativeId, { title: m.title, dueOn: date(m.due), doneOn: m.done ? date(m.due) : null }, now);
    if (item.assessment) await assessInitiative(db, actor, plan, { id: initiativeId }, { assessment: item.assessment.value, comment: item.assessment.comment }, now);
    if (item.carriedBy) {
      for (const target of await carriers(db, item.carriedBy, sonderborg, hub)) {
        await insertLinkUnchecked(db, initiativeId, { kind: target.kind, targetId: target.id, organisationId: sonderborg }, now);
        links++;
      }
    }
  }
  return { actionPlans: 1, actionPlanLinks: links };
}
