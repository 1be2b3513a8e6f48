import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, orgKeys, orgId, type TestContext } from '../../test/helpers.ts';
import { upsertCompanies } from '../companies/service.ts';
import { seedDemoEvents } from '../demo/events.ts';
import { generateCompanies } from '../demo/seed.ts';

describe("demo events: Sønderborg's internationalisation events and the hub's academies", () => {
  let t: TestContext;
  const now = new Date('2026-12-02T10:00:00Z');
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.now = now;
    await upsertCompanies(t.database, generateCompanies(3000));
    await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg });
    await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland });
    expect(await seedDemoEvents(t.database.db, now)).toEqual({ events: 12 });
  });
  afterAll(() => t.close());

  it('holds academies of the hub in the current year, held and with participants, so goal 6 can be counted', async () => {
    const hub = await orgId(t.database, orgKeys.sydjylland);
    const held = await t.database.rows<{ title: string; attended: number }>(sql`
      SELECT e.title, (SELECT count(*)::int FROM event_participants p WHERE p.event_id = e.id AND p.status = 'attended') AS attended
      FROM events e WHERE e.organiser_organisation_id = ${hub} AND e.kind = 'academy' AND e.status <> 'cancelled' AND e.ends_at < ${now.toISOString()}::timestamptz
        AND e.starts_at >= '2026-01-01'`);
    expect(held).toHaveLength(3);
    expect(held.every((e) => e.attended === 5)).toBe(true);
  });

  it('has the delegation visit with follow-up records, the China network with members and two meetings a year, and public events to sign up for', async () => {
    const [visit] = await t.database.rows<{ n: number }>(sql`
      SELECT count(f.*)::int AS n FROM events e JOIN event_follow_ups f ON f.event_id = e.id WHERE e.kind = 'delegation_visit'`);
    expect(visit!.n).toBe(3);
    const [network] = await t.database.rows<{ members: number; meetings: number }>(sql`
      SELECT (SELECT count(*)::int FROM event_series_members m WHERE m.series_id = s.id) AS members,
        (SELECT count(*)::int FROM events e WHERE e.series_id = s.id AND e.starts_at >= '2026-01-01' AND e.starts_at < '2027-01-01') AS meetings
      FROM event_series s WHERE s.title = 'Kina-netværket'`);
    expect(network).toEqual({ members: 10, meetings: 2 });
    const open = (await t.app.inject({ url: '/api/v1/public/events' })).json() as { items: { title: string; signupOpen: boolean }[] };
    expect(open.items.map((e) => e.title)).toEqual(expect.arrayContaining(['Eksport til Tyskland: muligheder for SMV’er 2026', 'Kinesiske dage 2027: erhvervsarrangement om samhandel med Kina']));
    expect(open.items.every((e) => e.signupOpen)).toBe(true);
    // Participations are activities of the organiser on the companies' timelines.
    const [timeline] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM activities WHERE type = 'event'`);
    expect(timeline!.n).toBeGreaterThan(20);
  });
});
