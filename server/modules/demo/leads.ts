import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { deadlineAfter } from '../../lib/working-days.ts';
import { guidanceRequests } from '../guidance/schema.ts';
import { receiverOf, RESPONSE_DAYS } from '../guidance/service.ts';

type Seed = [municipality: number, daysAgo: number, contact: string, need: string, themes: string[], withCvr: boolean];

/** A few "Få vejledning" requests so that the leads inbox of the demo's Sønderborg adviser is not empty. */
const seeds: Seed[] = [
  [540, 0, 'Mette Hansen', 'Vi overvejer at sælge vores produkter i Tyskland og vil gerne høre om mulighederne for hjælp.', ['export'], true],
  [540, 1, 'Jonas Møller', 'Jeg vil starte et lille bryggeri og har brug for hjælp til budget og registrering.', ['startup', 'financing'], false],
  [540, 5, 'Sara Lund', 'Vores ejer går på pension om to år. Hvordan planlægger vi et generationsskifte?', ['succession'], true],
  [580, 2, 'Peter Nielsen', 'Vi vil gerne nedbringe vores energiforbrug i produktionen.', ['green_transition'], true],
  [510, 3, 'Line Kristensen', 'Hjælp til at komme i gang med webshop og digital markedsføring.', ['digitalisation'], true],
];

export async function seedDemoLeads(db: Db, now: Date): Promise<number> {
  let n = 0;
  for (const [municipality, daysAgo, contactName, need, themes, withCvr] of seeds) {
    const target = await receiverOf(db, municipality);
    const [company] = withCvr
      ? (await db.execute<{ cvr: string; name: string }>(sql`SELECT cvr, name FROM companies WHERE municipality_code = ${municipality} ORDER BY cvr OFFSET ${n} LIMIT 1`)).rows
      : [];
    if (!target) continue;
    const createdAt = new Date(now.getTime() - daysAgo * 86_400_000);
    await db.insert(guidanceRequests).values({
      idempotencyKey: `demo-lead-${n}`,
      companyCvr: company?.cvr ?? null,
      companyName: company?.name ?? 'Bryggeri (under opstart)',
      municipalityCode: municipality,
      organisationId: target.lbs,
      hubId: target.hub_id,
      contactName,
      contactEmail: `${contactName.split(' ')[0]!.toLowerCase()}@example.dk`,
      need,
      themes,
      consentSharing: n % 2 === 0,
      consentEvaluation: true,
      dueOn: deadlineAfter(createdAt, RESPONSE_DAYS),
      createdAt,
    });
    n++;
  }
  return n;
}
