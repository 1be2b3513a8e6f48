import { eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conflict, fieldProblem } from '../../http/problem.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { findActivities } from '../activities/service.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { companies } from '../companies/schema.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { findConsents } from '../consents/service.ts';
import { findReferrals } from '../referrals/service.ts';
import { contacts } from './schema.ts';
import { prospects } from '../prospects/schema.ts';
import { ERASED_NAME, findContacts } from './service.ts';

const named = z.object({ id: z.string(), name: z.string() });
export const contactSchema = z.object({
  id: z.string(),
  companyCvr: z.string().nullable(),
  prospectId: z.string().nullable(),
  organisation: named,
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.string(),
  erased: z.boolean(),
});

const newContactBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
});

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/companies/:cvr/contacts',
    { schema: { tags: ['contacts'], summary: "A company's contact persons the caller may see", params: z.object({ cvr: cvrSchema }), response: { 200: z.object({ items: z.array(contactSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findContacts(db, actor, app.now(), sql`ct.company_cvr = ${request.params.cvr} AND ct.erased_at IS NULL`);
      await audit(db, actor, { action: 'read', entity: 'contact', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((c) => c.organisation.id) });
      return { items };
    },
  );

  app.post(
    '/companies/:cvr/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Record a contact person on a company',
        params: z.object({ cvr: cvrSchema }),
        body: newContactBody,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const [company] = await db.select({ cvr: companies.cvr }).from(companies).where(eq(companies.cvr, request.params.cvr));
      if (!company) throw fieldProblem('cvr', 'company.notFound', { cvr: request.params.cvr });
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(contacts)
          .values({ ...request.body, companyCvr: company.cvr, organisationId: actor.organisationId, createdBy: actor.userId })
          .returning({ id: contacts.id });
        await audit(tx, actor, { action: 'create', entity: 'contact', entityId: row!.id, companyCvr: company.cvr });
        return row!.id;
      });
      const [created] = await findContacts(db, actor, app.now(), sql`ct.id = ${id}`);
      return reply.code(201).send(created!);
    },
  );

  app.get(
    '/prospects/:id/contacts',
    { schema: { tags: ['contacts'], summary: "A prospect's contact persons", params: z.object({ id: z.uuid() }), response: { 200: z.object({ items: z.array(contactSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findContacts(db, actor, app.now(), sql`ct.prospect_id = ${request.params.id} AND ct.erased_at IS NULL`);
      await audit(db, actor, { action: 'read', entity: 'contact', entityId: request.params.id, details: { prospect: true, count: items.length } });
      return { items };
    },
  );

  app.post(
    '/prospects/:id/contacts',
    { schema: { tags: ['contacts'], summary: 'Record a contact person on a prospect of your organisation', params: z.object({ id: z.uuid() }), body: newContactBody, response: { 201: contactSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const [prospect] = await db.select({ id: prospects.id, organisationId: prospects.organisationId }).from(prospects).where(eq(prospects.id, request.params.id));
      authorizeVisible(!!prospect && policy.prospect.read(actor, prospect), 'prospect.notFound');
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(contacts)
          .values({ ...request.body, prospectId: prospect.id, organisationId: actor.organisationId, createdBy: actor.userId })
          .returning({ id: contacts.id });
        await audit(tx, actor, { action: 'create', entity: 'contact', entityId: row!.id, details: { prospect: prospect.id } });
        return row!.id;
      });
      const [created] = await findContacts(db, actor, app.now(), sql`ct.id = ${id}`);
      return reply.code(201).send(created!);
    },
  );

  app.get(
    '/contacts/:id/export',
    {
      schema: {
        tags: ['contacts'],
        summary: 'All data Knudepunkt holds about one contact person (data-protection access request), as JSON',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const [contact] = await findContacts(db, actor, now, sql`ct.id = ${request.params.id}`, { anyOrganisation: policy.contact.administerAny(actor) });
      authorizeVisible(!!contact, 'contact.notFound');
      authorize(policy.contact.administer(actor, { organisationId: contact.organisation.id }));
      const data = {
        exportedAt: now.toISOString(),
        contact,
        consentsGiven: await findConsents(db, policy.contact.administerAny(actor) ? null : actor, now, sql`sc.given_by_contact_id = ${contact.id}`),
        activities: await findActivities(db, actor, now, sql`a.contact_id = ${contact.id}`, 10_000),
        referrals: await findReferrals(db, actor, now, sql`r.contact_id = ${contact.id}`, { limit: 10_000 }),
      };
      await audit(db, actor, { action: 'export', entity: 'contact', entityId: contact.id, companyCvr: contact.companyCvr });
      return data;
    },
  );

  app.post(
    '/contacts/:id/erase',
    { schema: { tags: ['contacts'], summary: 'Erase a contact person: personal data anonymised, statistics kept', params: z.object({ id: z.uuid() }), response: { 200: contactSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const [contact] = await findContacts(db, actor, now, sql`ct.id = ${request.params.id}`, { anyOrganisation: policy.contact.administerAny(actor) });
      authorizeVisible(!!contact, 'contact.notFound');
      authorize(policy.contact.administer(actor, { organisationId: contact.organisation.id }));
      if (contact.erased) throw conflict('contact.alreadyErased');
      await db.transaction(async (tx) => {
        await tx.update(contacts).set({ name: ERASED_NAME, title: null, email: null, phone: null, erasedAt: now }).where(eq(contacts.id, contact.id));
        // The person's name also stands on the consents they gave; the consents themselves stay as evidence.
        await tx.execute(sql`UPDATE consents SET given_by_name = ${ERASED_NAME} WHERE given_by_contact_id = ${contact.id}`);
        await audit(tx, actor, { action: 'erase', entity: 'contact', entityId: contact.id, companyCvr: contact.companyCvr });
      });
      const [erased] = await findContacts(db, actor, now, sql`ct.id = ${contact.id}`, { anyOrganisation: policy.contact.administerAny(actor) });
      return erased!;
    },
  );

  app.get(
    '/contacts/retention',
    {
      schema: {
        tags: ['contacts'],
        summary: "The organisation's contacts with no activity for `years` years: candidates for erasure",
        querystring: z.object({ years: z.coerce.number().int().min(1).max(50).default(3) }),
        response: { 200: z.object({ years: z.number(), items: z.array(contactSchema.extend({ lastActivityOn: z.string().nullable() })) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.contact.retention(actor));
      const now = app.now();
      const { years } = request.query;
      const cutoff = new Date(now);
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
      // Last sign of life: the newest activity naming the contact, else when it was recorded.
      const rows = (await db.execute<{ id: string; last_activity_on: string | null }>(sql`
        SELECT ct.id, to_char(max(a.occurred_on), 'YYYY-MM-DD') AS last_activity_on
        FROM contacts ct LEFT JOIN activities a ON a.contact_id = ct.id
        WHERE ct.organisation_id = ${actor.organisationId} AND ct.erased_at IS NULL
        GROUP BY ct.id
        HAVING greatest(max(a.occurred_on)::timestamptz, min(ct.created_at)) < ${cutoff.toISOString()}::timestamptz`)).rows;
      const last = new Map(rows.map((r) => [r.id, r.last_activity_on]));
      const items = rows.length ? await findContacts(db, actor, now, sql`ct.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.id))}::jsonb)::uuid)`) : [];
      await audit(db, actor, { action: 'read', entity: 'contact', details: { retention: years, count: items.length } });
      return { years, items: items.map((c) => ({ ...c, lastActivityOn: last.get(c.id) ?? null })) };
    },
  );
};
