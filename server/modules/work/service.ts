import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import { findEngagements } from '../engagements/service.ts';
import { findReferrals, overdueSql } from '../referrals/service.ts';

/** How much "Mit arbejde" shows of each list; the rest is one link away, and the page says so. */
export const WORK_LIMITS = { engagements: 100, referrals: 50 };

/** One row more than shown is fetched, so the page can say that a list goes on. */
const shown = <T>(rows: T[], limit: number) => ({ items: rows.slice(0, limit), more: rows.length > limit });

export async function myWork(db: Db, actor: Actor, now: Date, limits = WORK_LIMITS) {
  const open = shown(
    await findEngagements(db, actor, now, sql`e.responsible_user_id = ${actor.userId} AND e.status = 'open'`, { limit: limits.engagements + 1, offset: 0 }, { ownOrganisation: true }),
    limits.engagements,
  );
  const waiting = shown(await findReferrals(db, actor, now, sql`r.to_organisation_id = ${actor.organisationId} AND r.status IN ('sent', 'received')`, { limit: limits.referrals + 1 }), limits.referrals);
  const overdue = shown(await findReferrals(db, actor, now, overdueSql('r', now), { limit: limits.referrals + 1 }), limits.referrals);
  return {
    openEngagements: open.items,
    referralsWaiting: waiting.items,
    overdue: overdue.items,
    more: { openEngagements: open.more, referralsWaiting: waiting.more, overdue: overdue.more },
  };
}
