import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { organisations } from '../organisations/schema.ts';
import { contractReport } from './service.ts';
import { contracts, statusReports } from './schema.ts';
import type { ReportDocument } from './render.ts';
import { basisOf, type DisclosedGoal, type SnapshotGoal } from './disclosure.ts';

export interface Snapshot {
  asOf: string;
  goals: SnapshotGoal[];
}

/** Computes a snapshot; the trend is the change since the latest published report before it. */
export async function takeSnapshot(db: Db, contractId: string, asOf: string): Promise<Snapshot | null> {
  const report = await contractReport(db, contractId, asOf);
  if (!report) return null;
  const [previous] = (await db.execute<{ snapshot: Snapshot | string }>(sql`
    SELECT snapshot FROM status_reports WHERE contract_id = ${contractId} AND status = 'published' AND as_of < ${report.asOf}::date
    ORDER BY as_of DESC, version DESC LIMIT 1`)).rows;
  const before = previous ? (typeof previous.snapshot === 'string' ? (JSON.parse(previous.snapshot) as Snapshot) : previous.snapshot) : null;
  return {
    asOf: report.asOf,
    goals: report.goals.map((g) => {
      const previous = before?.goals.find((b) => b.number === g.number);
      const old = previous?.value;
      const trend = g.value !== null && old !== null && old !== undefined ? Math.round((g.value - old) * 10) / 10 : null;
      // The previous figure's basis travels with the trend, so that readers under disclosure control
      // are not shown a trend from a figure they may not see.
      return { ...g, trend, previousBasis: previous ? basisOf(previous) : null };
    }),
  };
}

/** The printable document of a stored status report (its frozen figures), or of a live computation. */
export async function reportDocument(db: Db, contractId: string, source: { snapshot: { asOf: string; goals: (SnapshotGoal & Partial<Pick<DisclosedGoal, 'withheld'>>)[] }; status: string; version: number | null; directorComment: string | null; goalComments: Record<string, string> }): Promise<ReportDocument> {
  const [contract] = await db.select({ title: contracts.title, hubId: contracts.hubId, kkrId: contracts.kkrId }).from(contracts).where(eq(contracts.id, contractId));
  const names = new Map((await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(sql`${organisations.id} IN (${contract!.hubId}, ${contract!.kkrId})`)).map((o) => [o.id, o.name]));
  return {
    title: contract!.title,
    hub: names.get(contract!.hubId) ?? '',
    kkr: names.get(contract!.kkrId) ?? '',
    asOf: source.snapshot.asOf,
    status: source.status,
    version: source.version,
    directorComment: source.directorComment,
    goals: source.snapshot.goals.map((g) => ({ number: g.number, group: g.group, title: g.title, value: g.value, target: g.target, fulfilment: g.fulfilment, unit: g.unit, trend: g.trend, comment: source.goalComments[String(g.number)] ?? null, withheld: g.withheld ?? null })),
  };
}

export async function listReports(db: Db, contractId: string) {
  return db.select().from(statusReports).where(eq(statusReports.contractId, contractId)).orderBy(asc(statusReports.asOf), asc(statusReports.version));
}
