import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { pickOne, prng } from '../../lib/random.ts';
import { danishDate, deadlineAfter } from '../../lib/working-days.ts';
import { activities } from '../activities/schema.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { engagements } from '../engagements/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { tasks } from '../tasks/schema.ts';
import { users } from '../users/schema.ts';
import { themeKeys } from '../organisations/themes.ts';
import { evaluationAnswers, evaluationInvitations } from '../evaluations/schema.ts';
import { hashToken } from '../../lib/hashing.ts';

const firstNames = ['Anne', 'Bo', 'Camilla', 'Dorthe', 'Erik', 'Frank', 'Gitte', 'Hans', 'Inge', 'Jakob', 'Karina', 'Lars', 'Maria', 'Niels', 'Ole', 'Pernille', 'Rikke', 'Steen', 'Tina', 'Ulrik'];
const lastNames = ['Andersen', 'Bech', 'Dam', 'Friis', 'Holm', 'Juhl', 'Kjær', 'Lund', 'Mikkelsen', 'Nørgaard', 'Overgaard', 'Petersen', 'Rask', 'Skov', 'Thomsen', 'Vinther'];
const titles = ['Direktør', 'Ejer', 'Indehaver', 'Økonomichef', 'Salgschef', 'Produktionschef', 'Partner'];
const subjects = {
  meeting: ['Indledende møde', 'Opfølgningsmøde', 'Strategimøde', 'Møde om eksportplan', 'Møde om finansiering'],
  call: ['Telefonisk opfølgning', 'Afklarende samtale', 'Opkald om status'],
  mail: ['Materiale om tilbud sendt', 'Referat sendt', 'Mail om ansøgning'],
  event: ['Deltog i netværksmøde', 'Deltog i workshop om digitalisering', 'Deltog i eksportdag'],
  note: ['Notat om virksomhedens situation', 'Notat efter besøg', 'Intern note'],
} as const;
const needs = ['Sparring om vækstplan og finansiering', 'Hjælp til at komme i gang med eksport til Tyskland', 'Kompetenceudvikling af medarbejdere', 'Vurdering af muligheder for grøn omstilling', 'Rådgivning om generationsskifte', 'Digitalisering af ordreflowet'];
const outcomes = ['Vækstplan udarbejdet', 'Henvist til privat rådgiver', 'Virksomheden fik finansiering', 'Afsluttet efter afklaring', 'Eksportplan klar'];

const DAY = 86_400_000;
const chunk = <T>(items: T[], size = 500) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

type Org = { id: string; key: string; name: string; type: string; municipality_code: number | null };

/**
 * The CRM side of the demo: engagements, activities, contacts, consents and referrals across the
 * hubs and local business services, with Early Warning cases, so every screen has realistic content.
 * Dates are relative to `now`; the demo users get work of their own (open cases, an inbox, overdue items).
 */
export async function seedDemoCrm(database: Database, now: Date, passwordHash: string) {
  const { db } = database;
  const rand = prng(4711);
  const orgs = (await db.execute<Org>(sql`SELECT id, key, name, type, municipality_code FROM organisations`)).rows;
  const byKey = new Map(orgs.map((o) => [o.key, o]));
  const hubOfMunicipality = new Map(
    (await db.execute<{ code: number; hub_id: string }>(sql`SELECT code, hub_id FROM municipalities`)).rows.map((r) => [Number(r.code), r.hub_id]),
  );
  const categories = (await db.execute<{ id: string; organisation_id: string; key: string; confidential: boolean }>(sql`SELECT id, organisation_id, key, confidential FROM delivery_categories`)).rows;
  const demoStaff = new Map((await db.execute<{ id: string; email: string; organisation_id: string; early_warning: boolean }>(sql`SELECT id, email, organisation_id, early_warning FROM users`)).rows.map((u) => [u.email, u]));

  // Two colleagues in every hub and local business service, so cases have different owners.
  const staffRows = orgs
    .filter((o) => o.type === 'business_hub' || o.type === 'local_business_service')
    .flatMap((o, i) =>
      [0, 1].map((n) => ({
        email: `raadgiver${n + 1}.${o.key.replace(/[^a-z0-9]+/g, '-')}@demo.knudepunkt.dk`,
        name: `${firstNames[(i * 2 + n) % firstNames.length]} ${lastNames[(i + n * 5) % lastNames.length]}`,
        role: 'adviser' as const,
        organisationId: o.id,
        passwordHash,
      })),
    );
  for (const part of chunk(staffRows)) await db.insert(users).values(part).onConflictDoNothing();
  const staff = (await db.execute<{ id: string; organisation_id: string; early_warning: boolean }>(sql`SELECT id, organisation_id, early_warning FROM users WHERE role IN ('adviser', 'manager') AND active`)).rows;
  const staffOf = (orgId: string, ew = false) => staff.filter((u) => u.organisation_id === orgId && (!ew || u.early_warning));

  const companies = (await db.execute<{ cvr: string; municipality_code: number }>(sql`
    SELECT cvr, municipality_code FROM companies WHERE municipality_code IS NOT NULL AND status = 'NORMAL' ORDER BY cvr`)).rows;
  const dateBefore = (maxDaysAgo: number, minDaysAgo = 0) => danishDate(new Date(now.getTime() - (minDaysAgo + Math.floor(rand() * (maxDaysAgo - minDaysAgo))) * DAY));

  const engagementRows: (typeof engagements.$inferInsert & { id: string })[] = [];
  const activityRows: (typeof activities.$inferInsert)[] = [];
  const contactRows: (typeof contacts.$inferInsert & { id: string })[] = [];
  const consentRows: (typeof consents.$inferInsert & { id: string })[] = [];
  const referralRows: (typeof referrals.$inferInsert)[] = [];
  const uuid = () => crypto.randomUUID();

  const sydjylland = byKey.get('hub:sydjylland')!;
  const sonderborg = byKey.get('lbs:540')!;
  const ewUser = demoStaff.get('ew@demo.knudepunkt.dk');
  const hubAdviser = demoStaff.get('adviser@demo.knudepunkt.dk');
  const kommuneAdviser = demoStaff.get('kommune@demo.knudepunkt.dk');

  // One in four companies has had contact with the system; Sønderborg's more often, for the demo.
  const engaged = companies.filter((c) => rand() < (c.municipality_code === 540 ? 0.6 : 0.25));
  for (const company of engaged) {
    const local = byKey.get(`lbs:${company.municipality_code}`)!;
    const hubId = hubOfMunicipality.get(company.municipality_code)!;
    const contactName = `${pickOne(rand, firstNames)} ${pickOne(rand, lastNames)}`;
    const contactId = uuid();
    const localStaff = staffOf(local.id);
    const recorder = local.id === sonderborg.id && kommuneAdviser && rand() < 0.7 ? kommuneAdviser.id : pickOne(rand, localStaff).id;
    contactRows.push({
      id: contactId,
      companyCvr: company.cvr,
      organisationId: local.id,
      name: contactName,
      title: pickOne(rand, titles),
      email: `${contactName.split(' ')[0]!.toLowerCase()}@${company.cvr}.demo.dk`,
      phone: `+45 ${20 + Math.floor(rand() * 70)} ${10 + Math.floor(rand() * 89)} ${10 + Math.floor(rand() * 89)} ${10 + Math.floor(rand() * 89)}`,
      createdBy: recorder,
      createdAt: new Date(now.getTime() - 400 * DAY),
    });
    // Consent: most share with the whole system, some only with their hub, some withdraw later.
    const consentRoll = rand();
    const sharing = consentRoll < 0.45 ? 'all' : consentRoll < 0.7 ? 'named' : null;
    let sharingConsentId: string | null = null;
    if (sharing) {
      sharingConsentId = uuid();
      const givenAt = new Date(now.getTime() - (60 + Math.floor(rand() * 300)) * DAY);
      consentRows.push({
        id: sharingConsentId,
        companyCvr: company.cvr,
        purpose: 'sharing',
        scope: sharing,
        organisationIds: sharing === 'named' ? [hubId] : [],
        givenByContactId: contactId,
        givenByName: contactName,
        givenAt,
        channel: pickOne(rand, ['meeting', 'phone', 'email'] as const),
        recordedBy: recorder,
        recordedByOrganisationId: local.id,
        withdrawnAt: rand() < 0.06 ? new Date(givenAt.getTime() + 30 * DAY) : null,
      });
    }
    // The evaluation consent is the hub's: it asks for the evaluation, and only its own consent lets it.
    if (rand() < 0.7) {
      consentRows.push({
        id: uuid(),
        companyCvr: company.cvr,
        purpose: 'evaluation',
        scope: 'all',
        givenByName: contactName,
        givenAt: new Date(now.getTime() - 200 * DAY),
        channel: 'meeting',
        recordedBy: staffOf(hubId)[0]?.id ?? recorder,
        recordedByOrganisationId: hubId,
      });
    }

    // Basic guidance in the local business service.
    const localEngagementId = uuid();
    const openedOn = dateBefore(500, 10);
    const closed = rand() < 0.55;
    engagementRows.push({
      id: localEngagementId,
      companyCvr: company.cvr,
      organisationId: local.id,
      responsibleUserId: recorder,
      level: 'basic',
      themes: [pickOne(rand, themeKeys), ...(rand() < 0.4 ? [pickOne(rand, themeKeys)] : [])].filter((v, i, a) => a.indexOf(v) === i),
      status: closed ? 'closed' : 'open',
      outcome: closed ? pickOne(rand, outcomes) : null,
      openedOn,
      closedOn: closed ? danishDate(new Date(Math.min(now.getTime(), Date.parse(openedOn) + 40 * DAY))) : null,
      description: pickOne(rand, needs),
    });
    for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
      const type = pickOne(rand, ['meeting', 'call', 'mail', 'note'] as const);
      activityRows.push({
        engagementId: localEngagementId,
        companyCvr: company.cvr,
        organisationId: local.id,
        userId: recorder,
        type,
        occurredOn: danishDate(new Date(Math.min(now.getTime(), Date.parse(openedOn) + i * 9 * DAY))),
        durationMinutes: type === 'meeting' ? 60 : type === 'call' ? 15 : null,
        subject: pickOne(rand, subjects[type]),
        contactId: rand() < 0.6 ? contactId : null,
      });
    }

    // Half of them went on to specialised guidance in the hub, mostly by referral.
    if (rand() < 0.5) {
      const hubStaff = staffOf(hubId);
      const hubCategories = categories.filter((c) => c.organisation_id === hubId && !c.confidential);
      const owner = hubId === sydjylland.id && hubAdviser && rand() < 0.5 ? hubAdviser.id : pickOne(rand, hubStaff).id;
      const hubEngagementId = uuid();
      const hubOpened = danishDate(new Date(Math.min(now.getTime() - DAY, Date.parse(openedOn) + 14 * DAY)));
      const hubClosed = rand() < 0.5;
      engagementRows.push({
        id: hubEngagementId,
        companyCvr: company.cvr,
        organisationId: hubId,
        responsibleUserId: owner,
        level: 'specialised',
        deliveryCategoryId: pickOne(rand, hubCategories).id,
        themes: [pickOne(rand, themeKeys)],
        status: hubClosed ? 'closed' : 'open',
        outcome: hubClosed ? pickOne(rand, outcomes) : null,
        openedOn: hubOpened,
        closedOn: hubClosed ? danishDate(new Date(Math.min(now.getTime(), Date.parse(hubOpened) + 60 * DAY))) : null,
        description: `Specialiseret vejledning: ${pickOne(rand, needs).toLowerCase()}`,
      });
      activityRows.push({
        engagementId: hubEngagementId,
        companyCvr: company.cvr,
        organisationId: hubId,
        userId: owner,
        type: 'meeting',
        occurredOn: hubOpened,
        durationMinutes: 90,
        subject: 'Første møde i erhvervshuset',
      });
      if (sharingConsentId && consentRows.find((c) => c.id === sharingConsentId)?.withdrawnAt == null) {
        const sentAt = new Date(Date.parse(openedOn) + 7 * DAY);
        const roll = rand();
        const recent = now.getTime() - sentAt.getTime() < 20 * DAY;
        const status = recent ? (roll < 0.5 ? 'sent' : 'received') : roll < 0.1 ? 'declined' : roll < 0.4 ? 'accepted' : 'completed';
        referralRows.push({
          engagementId: localEngagementId,
          companyCvr: company.cvr,
          fromOrganisationId: local.id,
          toOrganisationId: hubId,
          reason: 'Virksomheden har potentiale for vækst og behov for specialiseret vejledning.',
          needs: pickOne(rand, needs),
          consentId: sharingConsentId,
          contactId,
          status,
          declineReason: status === 'declined' ? 'Virksomheden er bedre hjulpet af en privat rådgiver.' : null,
          feedback: status === 'completed' ? 'Forløb gennemført i erhvervshuset; virksomheden har fået en vækstplan.' : null,
          dueOn: deadlineAfter(sentAt, 5),
          sentBy: recorder,
          sentAt,
          receivedAt: status === 'sent' ? null : new Date(sentAt.getTime() + DAY),
          answeredAt: ['accepted', 'declined', 'completed'].includes(status) ? new Date(sentAt.getTime() + 2 * DAY) : null,
          completedAt: status === 'completed' ? new Date(sentAt.getTime() + 60 * DAY) : null,
        });
      }
    }
  }

  // Early Warning: companies in crisis, visible only to the EW team in Sydjylland.
  const ewCategory = categories.find((c) => c.organisation_id === sydjylland.id && c.key === 'early_warning')!;
  const sydCompanies = companies.filter((c) => hubOfMunicipality.get(c.municipality_code) === sydjylland.id);
  for (let i = 0; i < 30 && ewUser; i++) {
    const company = sydCompanies[Math.floor(rand() * sydCompanies.length)]!;
    const id = uuid();
    const openedOn = dateBefore(300, 5);
    engagementRows.push({
      id,
      companyCvr: company.cvr,
      organisationId: sydjylland.id,
      responsibleUserId: ewUser.id,
      level: 'specialised',
      deliveryCategoryId: ewCategory.id,
      themes: ['crisis'],
      status: i % 3 === 0 ? 'closed' : 'open',
      outcome: i % 3 === 0 ? 'Rekonstruktion gennemført' : null,
      openedOn,
      closedOn: i % 3 === 0 ? danishDate(new Date(Math.min(now.getTime(), Date.parse(openedOn) + 90 * DAY))) : null,
      description: 'Virksomheden er i økonomisk krise; likviditetsplan og dialog med kreditorer.',
      confidential: true,
    });
    activityRows.push({ engagementId: id, companyCvr: company.cvr, organisationId: sydjylland.id, userId: ewUser.id, type: 'meeting', occurredOn: openedOn, durationMinutes: 120, subject: 'Fortroligt krisemøde', confidential: true });
  }

  await db.transaction(async (tx) => {
    for (const part of chunk(contactRows)) await tx.insert(contacts).values(part);
    for (const part of chunk(consentRows)) await tx.insert(consents).values(part);
    for (const part of chunk(engagementRows)) await tx.insert(engagements).values(part);
    for (const part of chunk(activityRows)) await tx.insert(activities).values(part);
    for (const part of chunk(referralRows)) await tx.insert(referrals).values(part);
    for (const part of chunk(demoTasks(engagementRows, [kommuneAdviser?.id, hubAdviser?.id], now))) await tx.insert(tasks).values(part);
  });
  const evaluations = await seedDemoEvaluations(database, now, rand);
  return { engagements: engagementRows.length, activities: activityRows.length, referrals: referralRows.length, consents: consentRows.length, contacts: contactRows.length, evaluations };
}

/** Follow-up tasks on the demo advisers' own open engagements: one overdue, one due today, the rest ahead. */
function demoTasks(engagementRows: (typeof engagements.$inferInsert)[], advisers: (string | undefined)[], now: Date): (typeof tasks.$inferInsert)[] {
  const titles = ['Ring og følg op på mødet', 'Send materiale om eksportrådgivning', 'Aftal møde med banken', 'Tjek status på ansøgning'];
  const offsets = [-3, 0, 2, 6];
  return advisers.filter((id): id is string => !!id).flatMap((userId) =>
    engagementRows
      .filter((e) => e.responsibleUserId === userId && e.status === 'open' && !e.confidential)
      .slice(0, titles.length)
      .map((e, i) => ({
        organisationId: e.organisationId,
        engagementId: e.id!,
        companyCvr: e.companyCvr ?? null,
        title: titles[i]!,
        dueOn: danishDate(new Date(now.getTime() + offsets[i]! * DAY)),
        assigneeUserId: userId,
        createdBy: userId,
        createdAt: new Date(now.getTime() - 7 * DAY),
      })),
  );
}

/**
 * Answers to the evaluation of closed specialised engagements with an evaluation consent. Sydjylland's
 * follow a fixed pattern that puts it between the contract's thresholds: NPS 55 (goal 1 half met, ≥ 50
 * but < 60) and an effect share of 65 % (goal 2 half met, ≥ 60 % but < 70 %).
 */
async function seedDemoEvaluations(database: Database, now: Date, rand: () => number) {
  const { db } = database;
  const closed = (await db.execute<{ id: string; company_cvr: string; organisation_id: string; org_key: string; closed_on: string; contact_id: string | null; email: string | null }>(sql`
    SELECT e.id, e.company_cvr, e.organisation_id, o.key AS org_key, to_char(e.closed_on, 'YYYY-MM-DD') AS closed_on, ct.id AS contact_id, ct.email
    FROM engagements e
      JOIN organisations o ON o.id = e.organisation_id
      JOIN LATERAL (SELECT id, email FROM contacts WHERE company_cvr = e.company_cvr AND email IS NOT NULL ORDER BY created_at LIMIT 1) ct ON TRUE
    WHERE e.level = 'specialised' AND e.status = 'closed' AND NOT e.confidential AND o.type = 'business_hub'
      AND EXISTS (SELECT 1 FROM consents sc WHERE sc.company_cvr = e.company_cvr AND sc.purpose = 'evaluation' AND sc.withdrawn_at IS NULL)
    ORDER BY e.closed_on, e.id`)).rows;
  // 20 answers: 13 promoters, 5 passives, 2 detractors (NPS 55); 13 of 20 expect an effect (65 %).
  const npsPattern = [10, 9, 9, 10, 8, 9, 7, 10, 9, 3, 10, 9, 8, 9, 7, 10, 8, 9, 5, 9];
  const effectPattern = ['i høj grad', 'i nogen grad', 'i høj grad', 'i nogen grad', 'i lav grad', 'i høj grad', 'ved ikke', 'i nogen grad', 'i høj grad', 'slet ikke',
    'i nogen grad', 'i høj grad', 'i lav grad', 'i nogen grad', 'ved ikke', 'i høj grad', 'slet ikke', 'i nogen grad', 'i lav grad', 'i høj grad'] as const;
  const comments = ['Meget kompetent rådgiver, der hurtigt forstod vores udfordringer.', 'Godt forløb, men det tog lang tid at komme i gang.', 'Vi fik konkrete værktøjer, som vi bruger i hverdagen.', 'Henvisningen til en privat rådgiver var præcis det, vi havde brug for.'];
  const invitationRows: (typeof evaluationInvitations.$inferInsert)[] = [];
  const answerRows: (typeof evaluationAnswers.$inferInsert)[] = [];
  let sydIndex = 0;
  for (const e of closed) {
    const createdAt = new Date(Date.parse(e.closed_on) + 12 * 3_600_000);
    const id = crypto.randomUUID();
    const isSyd = e.org_key === 'hub:sydjylland';
    const answers = isSyd || rand() < 0.7;
    invitationRows.push({
      id,
      engagementId: e.id,
      companyCvr: e.company_cvr,
      organisationId: e.organisation_id,
      contactId: e.contact_id,
      email: e.email!,
      tokenHash: hashToken(crypto.randomUUID()),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 30 * DAY),
      answeredAt: answers ? new Date(createdAt.getTime() + 2 * DAY) : null,
    });
    if (!answers) continue;
    const k = isSyd ? sydIndex++ % 20 : Math.floor(rand() * 20);
    answerRows.push({
      invitationId: id,
      engagementId: e.id,
      companyCvr: e.company_cvr,
      organisationId: e.organisation_id,
      answeredOn: danishDate(new Date(createdAt.getTime() + 2 * DAY)),
      nps: isSyd ? npsPattern[k]! : Math.min(10, Math.max(0, npsPattern[k]! + (rand() < 0.3 ? 1 : 0) - (rand() < 0.2 ? 2 : 0))),
      effect: effectPattern[k]!,
      comment: rand() < 0.3 ? pickOne(rand, comments) : null,
      source: 'link',
    });
  }
  // Sydjylland's pattern holds exactly only for whole cycles of 20; trim the last partial cycle.
  const sydAnswers = answerRows.filter((a) => closed.find((e) => e.id === a.engagementId)?.org_key === 'hub:sydjylland');
  const excess = sydAnswers.length % 20;
  const drop = new Set(excess && sydAnswers.length > 20 ? sydAnswers.slice(-excess).map((a) => a.invitationId) : []);
  await db.transaction(async (tx) => {
    for (const part of chunk(invitationRows)) await tx.insert(evaluationInvitations).values(part.map((i) => (drop.has(i.id!) ? { ...i, answeredAt: null } : i)));
    for (const part of chunk(answerRows.filter((a) => !drop.has(a.invitationId!)))) if (part.length) await tx.insert(evaluationAnswers).values(part);
  });
  return answerRows.length - drop.size;
}
