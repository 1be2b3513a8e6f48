import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { offers } from '../offers/schema.ts';

type Seed = [operatorKey: string, title: string, summary: string, themes: string[], targetGroups: string[], phases: string[], format: string, price: 'free' | 'paid', municipalities?: number[]];

/** A realistic catalogue across the hubs, a few local business services and the national operators. */
const catalogue: Seed[] = [
  ['hub:sydjylland', 'Vækstforløb for SMV’er', 'Specialiseret 1:1-sparring om vækstplan, marked og organisation for etablerede virksomheder med ambitioner.', ['growth'], ['sme'], ['growth', 'established'], 'guidance', 'free'],
  ['hub:sydjylland', 'Early Warning – virksomheder i krise', 'Fortrolig og uvildig hjælp til virksomheder i økonomiske vanskeligheder, med erfarne frivillige rådgivere.', ['crisis', 'financing'], ['sme', 'entrepreneur'], ['established', 'transition'], 'guidance', 'free'],
  ['hub:sydjylland', 'Grøn omstilling i produktionen', 'Kortlægning af energiforbrug og ressourcer og en konkret plan for grøn omstilling.', ['green_transition'], ['sme', 'large'], ['growth', 'established'], 'programme', 'free'],
  ['hub:sydjylland', 'Eksportklar – første skridt til Tyskland', 'Workshops og sparring om markedsvalg, salgskanaler og regler, når du vil eksportere til Tyskland.', ['export', 'internationalisation'], ['sme'], ['growth'], 'course', 'free'],
  ['hub:sydjylland', 'Designtænkning i praksis', 'Brug designmetoder til at udvikle produkter og services sammen med dine kunder.', ['design', 'innovation'], ['sme', 'entrepreneur'], ['start', 'growth'], 'course', 'free'],
  ['hub:sydjylland', 'Generationsskifte – planlæg i god tid', 'Vejledning om ejerskifte, værdiansættelse og rådgivere, når virksomheden skal videre.', ['succession'], ['sme'], ['transition'], 'guidance', 'free'],
  ['hub:hovedstaden', 'Scale-up-programmet', 'Et intensivt forløb for virksomheder i hurtig vækst: ledelse, kapital og internationalisering.', ['growth', 'financing', 'internationalisation'], ['sme'], ['growth'], 'programme', 'paid'],
  ['hub:hovedstaden', 'Digital omstilling for detailhandlen', 'Fra fysisk butik til omnichannel: e-handel, data og digital markedsføring.', ['digitalisation'], ['sme'], ['established'], 'course', 'free'],
  ['hub:hovedstaden', 'Netværk for kvindelige iværksættere', 'Netværk og mentorer for kvinder, der driver eller vil starte egen virksomhed.', ['startup'], ['entrepreneur', 'pre_starter'], ['idea', 'start'], 'network', 'free'],
  ['hub:hovedstaden-bornholm', 'Bornholmsk fødevarevækst', 'Sparring om produktudvikling, afsætning og turisme for fødevarevirksomheder på Bornholm.', ['growth', 'innovation'], ['sme', 'entrepreneur'], ['start', 'growth'], 'guidance', 'free', [400]],
  ['hub:sjaelland', 'Automatisering og robotter', 'Afklar om automatisering kan løfte din produktion, og find den rette leverandør.', ['digitalisation', 'innovation'], ['sme', 'large'], ['growth', 'established'], 'guidance', 'free'],
  ['hub:sjaelland', 'Kompetenceløft af medarbejdere', 'Hjælp til at finde og finansiere efteruddannelse, der passer til virksomhedens strategi.', ['skills'], ['sme'], ['established'], 'guidance', 'free'],
  ['hub:fyn', 'Robotklyngen – match med teknologi', 'Bliv matchet med robot- og automationsvirksomheder og videninstitutioner på Fyn.', ['innovation', 'digitalisation'], ['sme', 'large'], ['growth'], 'network', 'free'],
  ['hub:fyn', 'Iværksætterforløb – fra idé til første kunde', 'Et forløb over 8 uger om forretningsmodel, kunder og økonomi for nye virksomheder.', ['startup'], ['pre_starter', 'entrepreneur'], ['idea', 'start'], 'course', 'free'],
  ['hub:midtjylland', 'Finansieringsparathed', 'Gør virksomheden klar til at søge lån, tilskud eller investorer, og mød finansieringsaktørerne.', ['financing'], ['sme', 'entrepreneur'], ['start', 'growth'], 'guidance', 'free'],
  ['hub:midtjylland', 'Cirkulær økonomi i små virksomheder', 'Find forretningen i genbrug, reparation og nye materialer.', ['green_transition', 'innovation'], ['sme'], ['growth', 'established'], 'programme', 'free'],
  ['hub:midtjylland', 'Ledelse i vækst', 'Ledelsesudvikling for ejerledere, når virksomheden vokser fra 10 til 50 medarbejdere.', ['growth', 'skills'], ['sme'], ['growth'], 'course', 'paid'],
  ['hub:nordjylland', 'Maritime muligheder', 'Sparring og netværk for virksomheder i den maritime sektor og dens leverandører.', ['growth', 'export'], ['sme', 'large'], ['established'], 'network', 'free'],
  ['hub:nordjylland', 'Grønne investeringer – energitjek', 'Et gratis energitjek og en handlingsplan med forslag til investeringer.', ['green_transition', 'financing'], ['sme'], ['established'], 'guidance', 'free'],
  ['lbs:540', 'Startvejledning i Sønderborg', 'Gratis samtale om at starte virksomhed: idé, budget, moms, forsikring og registrering.', ['startup'], ['pre_starter', 'entrepreneur'], ['idea', 'start'], 'guidance', 'free', [540]],
  ['lbs:540', 'Sønderborg Erhvervsnetværk', 'Møder for lokale virksomheder om aktuelle temaer, med virksomhedsbesøg og sparring.', ['growth'], ['sme', 'entrepreneur'], ['start', 'growth', 'established'], 'network', 'free', [540]],
  ['lbs:540', 'Kina-netværket', 'Erfaringsudveksling mellem virksomheder, der er etableret i Kina, og dem, der overvejer det.', ['export', 'internationalisation'], ['sme', 'large'], ['growth', 'established'], 'network', 'free', [540, 580, 510, 550]],
  ['lbs:580', 'Iværksætterhuset Aabenraa', 'Kontorplads, netværk og vejledning for nye virksomheder i Aabenraa.', ['startup'], ['entrepreneur'], ['start'], 'network', 'paid', [580]],
  ['lbs:101', 'Københavns startvejledning', 'Vejledning på dansk og engelsk for dig, der vil starte virksomhed i København.', ['startup'], ['pre_starter', 'entrepreneur'], ['idea', 'start'], 'guidance', 'free', [101]],
  ['lbs:101', 'Kvarterløft for butikker', 'Sparring om digital synlighed og events for butikker i byens kvarterer.', ['digitalisation', 'growth'], ['sme'], ['established'], 'programme', 'free', [101]],
  ['lbs:751', 'Aarhus Startup Café', 'Ugentlig drop-in med vejledere og erfarne iværksættere.', ['startup'], ['pre_starter', 'entrepreneur'], ['idea', 'start'], 'network', 'free', [751]],
  ['lbs:461', 'Odense Tech Start', 'Forløb for tech-iværksættere om forretningsmodel og første finansiering.', ['startup', 'financing', 'digitalisation'], ['entrepreneur'], ['start'], 'programme', 'free', [461]],
  ['lbs:851', 'Aalborg Erhvervsservice – virksomhedsbesøg', 'Vi besøger din virksomhed og finder sammen de rette muligheder i erhvervsfremmesystemet.', ['growth'], ['sme'], ['growth', 'established'], 'guidance', 'free', [851]],
  ['lbs:630', 'Vejle Erhvervsudvikling – rekruttering', 'Hjælp til at finde og tiltrække kvalificeret arbejdskraft.', ['skills'], ['sme', 'large'], ['growth', 'established'], 'guidance', 'free', [630]],
  ['lbs:561', 'Esbjerg Energi – leverandørudvikling', 'Bliv leverandør til energisektoren: krav, certificeringer og netværk.', ['green_transition', 'growth'], ['sme'], ['growth'], 'programme', 'free', [561]],
  ['operator:eksportraadet', 'Eksportrådets markedsafklaring', 'Rådgivning fra handelsrådgivere på ambassaderne om dit marked, kunder og partnere.', ['export', 'internationalisation'], ['sme', 'large'], ['growth', 'established'], 'guidance', 'paid'],
  ['operator:eksportraadet', 'SMV:Eksport – tilskud til eksportrådgivning', 'Tilskud til eksportrådgivning for små og mellemstore virksomheder.', ['export', 'financing'], ['sme'], ['growth'], 'funding', 'free'],
  ['operator:eksportraadet', 'Messer og erhvervsfremstød', 'Deltag i fællesstande og delegationsrejser på udvalgte markeder.', ['export'], ['sme', 'large'], ['growth', 'established'], 'programme', 'paid'],
  ['operator:eifo', 'Vækstlån', 'Lån til virksomheder med vækstpotentiale, hvor banken ikke kan finansiere alene.', ['financing', 'growth'], ['sme'], ['growth', 'established'], 'funding', 'paid'],
  ['operator:eifo', 'Eksportkredit og garantier', 'Finansiering og garantier, der gør det tryggere at sælge til udlandet.', ['financing', 'export'], ['sme', 'large'], ['growth', 'established'], 'funding', 'paid'],
  ['operator:eifo', 'Iværksætterlån', 'Lån til nye virksomheder med en stærk forretningsmodel.', ['financing', 'startup'], ['entrepreneur'], ['start'], 'funding', 'paid'],
  ['operator:innovationsfonden', 'Innobooster', 'Tilskud til innovationsprojekter i små og mellemstore virksomheder.', ['innovation', 'financing'], ['sme', 'entrepreneur'], ['start', 'growth'], 'funding', 'free'],
  ['operator:innovationsfonden', 'Erhvervsforsker', 'Ansæt en erhvervsforsker i samarbejde med et universitet.', ['innovation', 'skills'], ['sme', 'large'], ['growth', 'established'], 'funding', 'free'],
  ['operator:innovationsfonden', 'Grand Solutions', 'Store forsknings- og innovationsprojekter i partnerskaber mellem virksomheder og forskere.', ['innovation', 'green_transition'], ['large'], ['established'], 'funding', 'free'],
  ['hub:sydjylland', 'Digitaliseringstjek', 'Et kort forløb, der finder de tre vigtigste digitale forbedringer i din virksomhed.', ['digitalisation'], ['sme', 'entrepreneur'], ['start', 'growth', 'established'], 'guidance', 'free'],
];

export async function seedDemoOffers(database: Database) {
  const { db } = database;
  const orgs = new Map((await db.execute<{ key: string; id: string }>(sql`SELECT key, id FROM organisations`)).rows.map((o) => [o.key, o.id]));
  const rows = catalogue
    .filter(([key]) => orgs.has(key))
    .map(([key, title, summary, themes, targetGroups, phases, format, price, municipalities], i) => ({
      operatorId: orgs.get(key)!,
      title,
      summary,
      description: `${summary}\n\nKontakt os for at høre, om tilbuddet passer til din virksomhed.`,
      themes,
      targetGroups,
      phases,
      format: format as (typeof offers.$inferInsert)['format'],
      price,
      municipalityCodes: municipalities ?? [],
      contactName: 'Kontaktcenter',
      contactEmail: 'kontakt@example.dk',
      link: `https://example.dk/tilbud/${i + 1}`,
      status: (i % 13 === 12 ? 'draft' : 'published') as 'draft' | 'published',
    }));
  await db.insert(offers).values(rows);
  return rows.length;
}
