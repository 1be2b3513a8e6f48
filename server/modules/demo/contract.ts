import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { importContract, readTemplate } from '../contracts/service.ts';
import { contractInput } from '../contracts/schemas.ts';
import { goals, intentDeclarations } from '../contracts/schema.ts';
import type { IndicatorDefinition } from '../contracts/indicator-types.ts';

/**
 * The shipped 2020 contract, instantiated for the current year so the demo data computes it:
 * intent declarations for most of Sydjylland's municipalities and some deliverables ticked off.
 */
export async function seedDemoContract(database: Database, now: Date) {
  const { db } = database;
  const year = now.getUTCFullYear();
  const template = contractInput.parse(readTemplate());
  const contractId = await importContract(db, template, {
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    title: `Resultatkontrakt ${year} mellem KKR Syddanmark og Erhvervshus Sydjylland (efter 2020-kontrakten)`,
  });
  const hub = (await db.execute<{ id: string }>(sql`SELECT id FROM organisations WHERE key = 'hub:sydjylland'`)).rows[0]!;
  const municipalities = (await db.execute<{ code: number; name: string }>(sql`SELECT code, name FROM municipalities WHERE hub_id = ${hub.id} ORDER BY name`)).rows;
  // Key account managers from the 2020 contract's contact table.
  const managers: Record<string, string> = {
    Billund: 'Lone Thiel Høgholt', Esbjerg: 'Per Rask Jensen', Fanø: 'Per Rask Jensen', Fredericia: 'Jesper Holst Egede', Haderslev: 'Per Rask Jensen',
    Kolding: 'Allan Clausen', Middelfart: 'Allan Clausen', Sønderborg: 'Hanne Gulløv', Tønder: 'Torben Schwartz', Varde: 'Jeanette Kristensen',
    Vejen: 'Rikke B. Olesen', Vejle: 'Jesper Holst-Egede', Aabenraa: 'Rikke B. Olesen',
  };
  await db.insert(intentDeclarations).values(
    municipalities.map((m, i) => ({
      hubId: hub.id,
      municipalityCode: Number(m.code),
      year,
      signedOn: i < 12 ? `${year}-02-${String(3 + i).padStart(2, '0')}` : null,
      evaluationMeetingOn: i < 9 ? `${year}-11-${String(2 + i).padStart(2, '0')}` : null,
      keyAccountManager: managers[m.name] ?? null,
    })),
  );
  // Manual goals: some delivered, with the hub's own assessment.
  const progress: Record<number, { done: number; fulfilment: number; justification: string }> = {
    3: { done: 2, fulfilment: 100, justification: 'Den fælles digitale indgang er i drift, og erhvervshuset deltager i arbejdsgruppen.' },
    6: { done: 2, fulfilment: 50, justification: 'Samarbejdsaftaler er indgået; ét af to ErhvervsfremmeAkademier er afholdt.' },
    7: { done: 3, fulfilment: 75, justification: 'Tre af fire indsatsområder er afrapporteret.' },
    8: { done: 1, fulfilment: 50, justification: 'Kortlægningen er færdig; strategien er under udarbejdelse.' },
  };
  for (const [number, p] of Object.entries(progress)) {
    const [goal] = await db.select().from(goals).where(and(eq(goals.contractId, contractId), eq(goals.number, Number(number))));
    if (!goal || goal.indicator.type !== 'manual') continue;
    const indicator: IndicatorDefinition = {
      ...goal.indicator,
      deliverables: goal.indicator.deliverables.map((d, i) => ({ ...d, done: i < p.done })),
      fulfilment: p.fulfilment,
      justification: p.justification,
    };
    await db.update(goals).set({ indicator }).where(eq(goals.id, goal.id));
  }
  return contractId;
}
