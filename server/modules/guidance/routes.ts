import { eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldProblem, HttpProblem } from '../../http/problem.ts';
import { isoTime } from '../../lib/rows.ts';
import { addWorkingDays } from '../../lib/working-days.ts';
import { authorize, leadVisible, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { queueMail } from '../mail/outbox.ts';
import { themeKeys } from '../organisations/themes.ts';
import { users } from '../users/schema.ts';
import { guidanceRequests } from './schema.ts';

/** Working days the local business service has to get back to the company. */
const RESPONSE_DAYS = 2;

const requestBody = z.strictObject({
  cvr: cvrSchema.optional(),
  noCvr: z.boolean().default(false),
  companyName: z.string().trim().max(200).optional(),
  municipalityCode: z.number().int().min(100).max(999).optional(),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
  }),
  need: z.string().trim().min(1).max(2_000),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
  consents: z.strictObject({ sharing: z.boolean(), evaluation: z.boolean() }),
  selfAssessment: z.record(z.string(), z.unknown()).optional(),
  /** Honeypot: hidden in the form, so only robots fill it in. */
  website: z.string().max(500).optional(),
});

const receiptSchema = z.object({ id: z.string(), receivedAt: z.string(), organisation: z.object({ name: z.string() }), dueAt: z.string() });

export const guidanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  const receipt = async (id: string) => {
    const [row] = (await db.execute<{ id: string; created_at: Date; name: string; due_at: Date }>(sql`
      SELECT g.id, g.created_at, o.name, g.due_at FROM guidance_requests g JOIN organisations o ON o.id = g.organisation_id WHERE g.id = ${id}`)).rows;
    return { id: row!.id, receivedAt: isoTime(row!.created_at)!, organisation: { name: row!.name }, dueAt: isoTime(row!.due_at)! };
  };

  app.post(
    '/public/guidance-requests',
    {
      config: { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['guidance'],
        summary: "Request guidance (Få vejledning); send an Idempotency-Key header so a retry creates nothing new",
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: requestBody,
        response: { 201: receiptSchema, 200: receiptSchema },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!key || !/^[\w-]{8,100}$/.test(key)) throw new HttpProblem(400, 'guidance.idempotencyKey');
      const body = request.body;
      const now = app.now();
      // A filled honeypot gets a normal-looking answer and nothing is stored.
      if (body.website) return reply.code(201).send({ id: crypto.randomUUID(), receivedAt: now.toISOString(), organisation: { name: '' }, dueAt: now.toISOString() });
      const [existing] = await db.select({ id: guidanceRequests.id }).from(guidanceRequests).where(eq(guidanceRequests.idempotencyKey, key));
      if (existing) return reply.code(200).send(await receipt(existing.id));
      if (!body.cvr && !body.noCvr) throw fieldProblem('cvr', 'guidance.cvrOrNone');
      const [company] = body.cvr ? await db.select({ cvr: companies.cvr, name: companies.name, municipalityCode: companies.municipalityCode }).from(companies).where(eq(companies.cvr, body.cvr)) : [];
      const municipalityCode = company?.municipalityCode ?? body.municipalityCode;
      if (!municipalityCode) throw fieldProblem('municipalityCode', 'guidance.municipalityRequired');
      const [target] = (await db.execute<{ lbs: string; hub_id: string; name: string }>(sql`
        SELECT o.id AS lbs, m.hub_id, o.name FROM municipalities m JOIN organisations o ON o.key = 'lbs:' || m.code WHERE m.code = ${municipalityCode}`)).rows;
      if (!target) throw fieldProblem('municipalityCode', 'municipality.unknown', { code: municipalityCode });

      const id = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(guidanceRequests)
          .values({
            idempotencyKey: key,
            companyCvr: company?.cvr ?? null,
            companyName: company?.name ?? body.companyName ?? null,
            municipalityCode,
            organisationId: target.lbs,
            hubId: target.hub_id,
            contactName: body.contact.name,
            contactEmail: body.contact.email,
            contactPhone: body.contact.phone ?? null,
            need: body.need,
            themes: body.themes,
            consentSharing: body.consents.sharing,
            consentEvaluation: body.consents.evaluation,
            selfAssessment: body.selfAssessment ?? null,
            dueAt: addWorkingDays(now, RESPONSE_DAYS),
            createdAt: now,
          })
          .onConflictDoNothing({ target: guidanceRequests.idempotencyKey })
          .returning({ id: guidanceRequests.id });
        // A concurrent duplicate won the race: answer with its receipt.
        if (inserted.length === 0) return null;
        const leadId = inserted[0]!.id;
        if (company) {
          // The company's own consents, given on the web, recorded against the person who asked.
          const system = (await tx.select({ id: users.id }).from(users).where(eq(users.organisationId, target.lbs)).limit(1))[0];
          const [contact] = system
            ? await tx.insert(contacts).values({ companyCvr: company.cvr, organisationId: target.lbs, name: body.contact.name, email: body.contact.email, phone: body.contact.phone ?? null, createdBy: system.id }).returning({ id: contacts.id })
            : [];
          for (const purpose of (['sharing', 'evaluation'] as const).filter((p) => body.consents[p])) {
            await tx.insert(consents).values({ companyCvr: company.cvr, purpose, scope: 'all', givenByContactId: contact?.id ?? null, givenByName: body.contact.name, givenAt: now, channel: 'web', recordedByOrganisationId: target.lbs });
          }
        }
        await queueMail(tx, {
          to: body.contact.email,
          dedupeKey: `guidance.receipt:${leadId}`,
          subject: 'Vi har modtaget din henvendelse',
          text: `Tak for din henvendelse om vejledning. ${target.name} vender tilbage inden for ${RESPONSE_DAYS} arbejdsdage.\n\nThank you for your request. ${target.name} will get back to you within ${RESPONSE_DAYS} working days.\n`,
        });
        await audit(tx, null, { action: 'create', entity: 'guidance_request', entityId: leadId, companyCvr: company?.cvr ?? null });
        return leadId;
      });
      if (!id) {
        const [winner] = await db.select({ id: guidanceRequests.id }).from(guidanceRequests).where(eq(guidanceRequests.idempotencyKey, key));
        return reply.code(200).send(await receipt(winner!.id));
      }
      return reply.code(201).send(await receipt(id));
    },
  );

  app.get(
    '/guidance-requests',
    { schema: { tags: ['guidance'], summary: "Leads for the caller's local business service, or for the municipalities of the caller's hub" } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.guidanceRequest.visibleTo(actor));
      const rows = (await db.execute<Record<string, unknown>>(sql`
        SELECT g.id, g.company_cvr, g.company_name, g.municipality_code, g.contact_name, g.contact_email, g.contact_phone, g.need, g.themes,
          g.consent_sharing, g.consent_evaluation, g.status, g.due_at, g.created_at, o.name AS organisation_name
        FROM guidance_requests g JOIN organisations o ON o.id = g.organisation_id
        WHERE ${leadVisible(actor, 'g')} ORDER BY g.created_at DESC LIMIT 200`)).rows;
      await audit(db, actor, { action: 'read', entity: 'guidance_request', details: { count: rows.length } });
      return {
        items: rows.map((r) => ({
          id: r.id,
          company: r.company_cvr ? { cvr: r.company_cvr, name: r.company_name } : null,
          companyName: r.company_name,
          municipalityCode: Number(r.municipality_code),
          organisation: { name: r.organisation_name },
          contact: { name: r.contact_name, email: r.contact_email, phone: r.contact_phone },
          need: r.need,
          themes: r.themes,
          consents: { sharing: r.consent_sharing, evaluation: r.consent_evaluation },
          status: r.status,
          dueAt: isoTime(r.due_at as Date),
          overdue: r.status === 'new' && new Date(r.due_at as Date) < app.now(),
          createdAt: isoTime(r.created_at as Date),
        })),
      };
    },
  );
};
