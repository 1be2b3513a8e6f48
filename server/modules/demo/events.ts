import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { danishDate } from '../../lib/working-days.ts';
import { activities } from '../activities/schema.ts';
import { hubKey, localServiceKey } from '../organisations/reference.ts';
import { eventCoOrganisers, eventFollowUps, eventParticipants, events, eventSeries, eventSeriesMembers, type EventKind, type ParticipantStatus } from '../events/schema.ts';

/**
 * Sønderborg's events from its action plan for internationalisation (seed 000): the yearly events for
 * SMEs on Germany, the business event of the Chinese days (January/February), a Chinese delegation
 * visit with its follow-up, the China network meeting twice a year; and Erhvervshus Sydjylland's
 * ErhvervsfremmeAkademier of the current year (held, with participants), which goal 6 of the 2020
 * contract counts. Dates are relative to `now`, so the demo always has past and upcoming events.
 */

const DAY = 86_400_000;

/** A Danish wall-clock time on a day, as an instant (winter time is close enough for demo data, and summer differs by an hour). */
function at(day: Date, hour: number, minute = 0): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - 1, minute));
}

const people = ['Anders Møller', 'Mette Lund', 'Lars Nissen', 'Hanne Schmidt', 'Jens Petersen', 'Susanne Holm', 'Peter Thomsen', 'Lone Jessen', 'Niels Clausen', 'Camilla Bruhn', 'Rasmus Hansen', 'Ida Frederiksen', 'Thomas Damgaard', 'Maja Jepsen'];
const advisers = ['Tina Kragh (Haderslev)', 'Ole Brink (Tønder)', 'Jette Wulff (Vejen)', 'Kim Lauritsen (Esbjerg)', 'Rikke Sand (Aabenraa)', 'Søren Iversen (Sønderborg)', 'Bente Kjær (Kolding)', 'Poul Fogh (Varde)'];

const emailOf = (name: string, i: number) => `${name.split(' ')[0]!.toLowerCase().replace(/[^a-z]/g, '')}.${i}@eksempel.dk`;

interface DemoEvent {
  organiser: string;
  coOrganisers?: string[];
  kind: EventKind;
  title: string;
  description: string;
  themes: string[];
  startsAt: Date;
  hours: number;
  place: string | null;
  online?: boolean;
  capacity: number | null;
  public: boolean;
  seriesId?: string | null;
  /** Company participants (by index into the Sønderborg companies) and their status. */
  participants?: { company: number; status: ParticipantStatus }[];
  /** Participants without a company (the advisers at an academy). */
  persons?: { name: string; status: ParticipantStatus }[];
  followUps?: { company: number; metWith: string; nextStep: string; dueInDays?: number }[];
}

export async function seedDemoEvents(db: Db, now: Date): Promise<{ events: number }> {
  const org = async (key: string) => (await db.execute<{ id: string }>(sql`SELECT id FROM organisations WHERE key = ${key}`)).rows[0]?.id;
  const sonderborg = await org(localServiceKey(540));
  const hub = await org(hubKey('Erhvervshus Sydjylland'));
  if (!sonderborg || !hub) return { events: 0 };
  const userOf = async (organisationId: string) =>
    (await db.execute<{ id: string }>(sql`SELECT id FROM users WHERE organisation_id = ${organisationId} AND role <> 'reader' ORDER BY created_at LIMIT 1`)).rows[0]?.id ?? null;
  const sonderborgUser = await userOf(sonderborg);
  const hubUser = await userOf(hub);
  // Active, not advertising-protected Sønderborg companies: the participants and network members.
  const companies = (await db.execute<{ cvr: string; name: string }>(sql`
    SELECT cvr, name FROM companies WHERE municipality_code = 540 AND status = 'NORMAL' AND NOT advertising_protected ORDER BY cvr LIMIT 40`)).rows;
  if (companies.length < 20) return { events: 0 };

  const year = now.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const day = (ms: number) => new Date(ms);
  const future = (days: number) => day(now.getTime() + days * DAY);
  const past = (days: number) => day(now.getTime() - days * DAY);
  // The Chinese days fall in January or February: this year's have been held once January is over, next year's are ahead.
  const chineseDaysThisYear = day(Date.UTC(year, 0, 28));
  const chineseDaysNext = day(Date.UTC(year + 1, 0, 27));

  const [series] = await db
    .insert(eventSeries)
    .values({
      organisationId: sonderborg, title: 'Kina-netværket', themes: ['internationalisation', 'export'], createdBy: sonderborgUser,
      description: 'Netværk på tværs af interessenter i Sønderborg-området – virksomheder, uddannelsesinstitutioner, kommune m.fl. Sønderborg Kommune er tovholder; netværket mødes to gange om året.',
    })
    .returning({ id: eventSeries.id });
  await db.insert(eventSeriesMembers).values(companies.slice(10, 20).map((c) => ({ seriesId: series!.id, companyCvr: c.cvr, addedBy: sonderborgUser })));

  const germany = 'Hvert år holdes arrangementer for de lokale SMV’er om udviklingsmulighederne i Tyskland, med eksport som et af temaerne. Sønderborg Vækstråd i samarbejde med Erhvervsservice og Erhvervshus Sydjylland.';
  // An academy in each third of the year so far (held), whenever in the year the demo is made.
  const sinceNewYear = now.getTime() - startOfYear;
  const academyDay = (part: number) => day(startOfYear + Math.max(1, Math.floor((sinceNewYear * part) / 4 / DAY)) * DAY);

  const demo: DemoEvent[] = [
    {
      organiser: sonderborg, coOrganisers: [hub], kind: 'workshop', title: `Eksport til Tyskland: muligheder for SMV’er ${past(380).getUTCFullYear()}`, description: germany,
      themes: ['export', 'internationalisation'], startsAt: at(past(380), 13), hours: 3, place: 'Alsion, Alsion 2, 6400 Sønderborg', capacity: 40, public: true,
      participants: [0, 1, 2, 3, 4, 5].map((company, i) => ({ company, status: i === 5 ? 'no_show' : 'attended' })),
    },
    {
      organiser: sonderborg, coOrganisers: [hub], kind: 'workshop', title: `Eksport til Tyskland: muligheder for SMV’er ${future(21).getUTCFullYear()}`, description: germany,
      themes: ['export', 'internationalisation'], startsAt: at(future(21), 13), hours: 3, place: 'Alsion, Alsion 2, 6400 Sønderborg', capacity: 30, public: true,
      participants: [6, 7, 8].map((company) => ({ company, status: 'registered' })),
    },
    {
      organiser: sonderborg, kind: 'workshop', title: `Kinesiske dage ${year}: erhvervsarrangement om samhandel med Kina`,
      description: 'Som en del af de kinesiske dage i januar og februar: temadag for lokale virksomheder om mulighederne i Kina, hvor virksomheder, der allerede er etableret i Kina, kobles med virksomheder, der har interesse deri.',
      themes: ['internationalisation', 'export'], startsAt: at(chineseDaysThisYear, 15), hours: 3, place: 'Sønderborg Rådhus, Rådhustorvet 10, 6400 Sønderborg', capacity: 50, public: true,
      participants: chineseDaysThisYear < now ? [10, 11, 12, 13, 14].map((company) => ({ company, status: 'attended' })) : [],
    },
    {
      organiser: sonderborg, kind: 'workshop', title: `Kinesiske dage ${year + 1}: erhvervsarrangement om samhandel med Kina`,
      description: 'Temadag under de kinesiske dage: mulighederne for udvikling i Kina, og kobling af virksomheder med erfaring fra Kina og virksomheder med interesse deri.',
      themes: ['internationalisation', 'export'], startsAt: at(chineseDaysNext, 15), hours: 3, place: 'Sønderborg Rådhus, Rådhustorvet 10, 6400 Sønderborg', capacity: 60, public: true,
    },
    {
      organiser: sonderborg, coOrganisers: [hub], kind: 'delegation_visit', title: 'Kinesisk delegation fra Baoding besøger Sønderborg',
      description: 'Officielt besøg fra venskabsbyen Baoding: ProjectZero, lokale virksomheder inden for grøn teknologi og modtagelse på rådhuset. Sønderborg Kommune er vært og sikrer opfølgning på besøget.',
      themes: ['internationalisation', 'green_transition'], startsAt: at(past(45), 9), hours: 7, place: 'Sønderborg Rådhus og ProjectZero', capacity: 20, public: false,
      participants: [15, 16, 17, 18].map((company) => ({ company, status: 'attended' })),
      followUps: [
        { company: 15, metWith: 'Baoding Municipal Bureau of Commerce', nextStep: 'Sende materiale om varmepumpeløsninger; videomøde aftales i næste kvartal.', dueInDays: 30 },
        { company: 16, metWith: 'Hebei Green Energy Co., Ltd.', nextStep: 'Tilbud på styringskomponenter til pilotprojekt.', dueInDays: 14 },
        { company: 18, metWith: 'Baoding Vocational and Technical College', nextStep: 'Undersøge praktikantudveksling; Erhvervshus Sydjylland henviser til Eksportrådet.' },
      ],
    },
    {
      organiser: sonderborg, kind: 'network_meeting', title: `Kina-netværket: forårsmøde ${year}`, seriesId: series!.id,
      description: 'Koordinering og vidensdeling om indsatserne rettet mod Kina.', themes: ['internationalisation'], startsAt: at(day(Math.min(startOfYear + 130 * DAY, now.getTime() - 60 * DAY)), 16), hours: 2,
      place: 'Sønderborg Rådhus', capacity: null, public: false, participants: [10, 11, 12, 13, 14, 15].map((company) => ({ company, status: 'attended' })),
    },
    {
      // Held a few days ago; attendance not yet registered (the organiser's next step).
      organiser: sonderborg, kind: 'network_meeting', title: `Kina-netværket: efterårsmøde ${year}`, seriesId: series!.id,
      description: 'Koordinering og vidensdeling om indsatserne rettet mod Kina; status på bysamarbejderne med Baoding, Haiyan og Jinan.', themes: ['internationalisation'], startsAt: at(past(3), 16), hours: 2,
      place: 'Sønderborg Rådhus', capacity: null, public: false, participants: [10, 12, 14, 16, 17, 19].map((company) => ({ company, status: 'registered' })),
    },
    {
      organiser: sonderborg, kind: 'network_meeting', title: `Kina-netværket: forårsmøde ${year + 1}`, seriesId: series!.id,
      description: 'Koordinering og vidensdeling om indsatserne rettet mod Kina.', themes: ['internationalisation'], startsAt: at(future(150), 16), hours: 2,
      place: 'Sønderborg Rådhus', capacity: null, public: false,
    },
    ...[1, 2, 3].map((part, i): DemoEvent => ({
      organiser: hub, kind: 'academy', title: [`ErhvervsfremmeAkademi: eksportrådgivning og Tyskland`, `ErhvervsfremmeAkademi: grøn omstilling i SMV’er`, `ErhvervsfremmeAkademi: henvisning til nationale aktører`][i]!,
      description: 'For egne og kommunale erhvervsservicekonsulenter: orientering om og drøftelse af aktuelle og relevante emner (resultatkontraktens mål 6).',
      themes: [['export', 'internationalisation'], ['green_transition'], ['growth']][i]!, startsAt: at(academyDay(part), 9), hours: 6, place: 'Erhvervshus Sydjylland, Kolding', capacity: 40, public: false,
      persons: advisers.slice(i, i + 6).map((name, k) => ({ name, status: k === 5 ? 'no_show' : 'attended' })),
    })),
    {
      organiser: hub, kind: 'academy', title: 'ErhvervsfremmeAkademi: Early Warning og virksomheder i krise', description: 'For egne og kommunale erhvervsservicekonsulenter.',
      themes: ['crisis'], startsAt: at(future(35), 9), hours: 6, place: 'Erhvervshus Sydjylland, Kolding', capacity: 40, public: false,
    },
  ];

  let count = 0;
  for (const e of demo) {
    const author = e.organiser === hub ? hubUser : sonderborgUser;
    const [row] = await db
      .insert(events)
      .values({
        organiserOrganisationId: e.organiser, seriesId: e.seriesId ?? null, kind: e.kind, title: e.title, description: e.description, themes: e.themes, startsAt: e.startsAt,
        endsAt: new Date(e.startsAt.getTime() + e.hours * 3_600_000), place: e.place, online: e.online ?? false, capacity: e.capacity, signupOpen: true, public: e.public,
        createdBy: author, createdAt: new Date(Math.min(e.startsAt.getTime() - 30 * DAY, now.getTime())),
      })
      .returning({ id: events.id });
    const eventId = row!.id;
    count++;
    if (e.coOrganisers?.length) await db.insert(eventCoOrganisers).values(e.coOrganisers.map((organisationId) => ({ eventId, organisationId })));
    const registeredAt = new Date(Math.min(e.startsAt.getTime() - 10 * DAY, now.getTime() - DAY));
    for (const [i, p] of (e.participants ?? []).entries()) {
      const company = companies[p.company]!;
      const name = people[(p.company + i) % people.length]!;
      const [participant] = await db
        .insert(eventParticipants)
        .values({
          eventId, companyCvr: company.cvr, companyName: company.name, personName: name, email: emailOf(name, p.company), status: p.status,
          registeredAt: new Date(registeredAt.getTime() + i * 3_600_000), attendanceAt: p.status === 'attended' || p.status === 'no_show' ? e.startsAt : null,
          attendanceBy: p.status === 'attended' || p.status === 'no_show' ? author : null,
        })
        .returning({ id: eventParticipants.id });
      if (author && p.status !== 'cancelled' && p.status !== 'waitlisted') {
        const verb = p.status === 'attended' ? 'Deltog i arrangement' : p.status === 'no_show' ? 'Udeblev fra arrangement' : 'Tilmeldt arrangement';
        const [activity] = await db
          .insert(activities)
          .values({ companyCvr: company.cvr, organisationId: e.organiser, userId: author, type: 'event', occurredOn: danishDate(e.startsAt), subject: `${verb}: ${e.title}` })
          .returning({ id: activities.id });
        await db.execute(sql`UPDATE event_participants SET activity_id = ${activity!.id} WHERE id = ${participant!.id}`);
      }
    }
    for (const [i, p] of (e.persons ?? []).entries()) {
      await db.insert(eventParticipants).values({
        eventId, personName: p.name, email: emailOf(p.name, 100 + i), status: p.status, registeredAt: new Date(registeredAt.getTime() + i * 3_600_000),
        attendanceAt: e.startsAt, attendanceBy: author,
      });
    }
    for (const f of e.followUps ?? []) {
      const company = companies[f.company]!;
      await db.insert(eventFollowUps).values({
        eventId, companyCvr: company.cvr, metWith: f.metWith, nextStep: f.nextStep, dueOn: f.dueInDays ? danishDate(new Date(now.getTime() + f.dueInDays * DAY)) : null,
        organisationId: e.organiser, createdBy: author, createdAt: new Date(e.startsAt.getTime() + 2 * DAY),
      });
    }
  }
  return { events: count };
}
