import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { findActivities } from '../activities/service.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { findConsents } from '../consents/service.ts';
import { findProspectOwnership } from '../prospects/service.ts';
import { findReferrals } from '../referrals/service.ts';
import { contactExportSchema, contactSchema, newContactBody, retentionQuery, retentionSchema, type ContactData } from './schemas.ts';
import { createContact, eraseContact, findContacts, retentionCandidates } from './service.ts';

const present = <C extends ContactData>(actor: Actor, contact: C) => ({ ...contact, abilities: abilities.contact(actor, contact) });

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  /** A contact for a data-protection duty: any organisation's for a system admin, else one the caller can see; then the duty's policy. */
  const administeredContact = async (actor: Actor, now: Date, id: string) => {
    const [contact] = await findContacts(db, actor, now, sql`ct.id = ${id}`, { anyOrganisation: policy.contact.administerAny(actor) });
    authorizeVisible(!!contact, 'contact.notFound');
    authorize(policy.contact.administer(actor, { organisationId: contact.organisation.id }));
    return contact;
  };

  app.get(
    '/companies/:cvr/contacts',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'listCompanyContacts',
        summary: "A company's contact persons the caller may see",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(contactSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findContacts(db, actor, app.now(), sql`ct.company_cvr = ${request.params.cvr} AND ct.erased_at IS NULL`);
      await audit(db, actor, { action: 'read', entity: 'contact', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((c) => c.organisation.id) });
      return { items: items.map((c) => present(actor, c)) };
    },
  );

  app.post(
    '/companies/:cvr/contacts',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'createCompanyContact',
        summary: 'Record a contact person on a company',
        params: z.object({ cvr: cvrSchema }),
        body: newContactBody,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const id = await createContact(db, actor, { companyCvr: request.params.cvr }, request.body);
      const [created] = await findContacts(db, actor, app.now(), sql`ct.id = ${id}`);
      return reply.code(201).send(present(actor, created!));
    },
  );

  app.get(
    '/prospects/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'listProspectContacts',
        summary: "A prospect's contact persons",
        params: idParams('prospect.notFound'),
        response: { 200: z.object({ items: z.array(contactSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const prospect = await findProspectOwnership(db, request.params.id);
      authorizeVisible(!!prospect && policy.prospect.read(actor, prospect), 'prospect.notFound');
      const items = await findContacts(db, actor, app.now(), sql`ct.prospect_id = ${prospect.id} AND ct.erased_at IS NULL`);
      await audit(db, actor, { action: 'read', entity: 'contact', entityId: request.params.id, details: { prospect: true, count: items.length } });
      return { items: items.map((c) => present(actor, c)) };
    },
  );

  app.post(
    '/prospects/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'createProspectContact',
        summary: 'Record a contact person on a prospect of your organisation',
        params: idParams('prospect.notFound'),
        body: newContactBody,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const prospect = await findProspectOwnership(db, request.params.id);
      authorizeVisible(!!prospect && policy.prospect.read(actor, prospect), 'prospect.notFound');
      const id = await createContact(db, actor, { prospectId: prospect.id }, request.body);
      const [created] = await findContacts(db, actor, app.now(), sql`ct.id = ${id}`);
      return reply.code(201).send(present(actor, created!));
    },
  );

  app.get(
    '/contacts/:id/export',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'exportContact',
        summary: 'All data Knudepunkt holds about one contact person (data-protection access request), as JSON',
        params: idParams('contact.notFound'),
        response: { 200: contactExportSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const contact = await administeredContact(actor, now, request.params.id);
      const data = {
        exportedAt: now.toISOString(),
        contact: present(actor, contact),
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
    {
      schema: {
        tags: ['contacts'],
        operationId: 'eraseContact',
        summary: 'Erase a contact person: personal data anonymised, statistics kept',
        params: idParams('contact.notFound'),
        response: { 200: contactSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const contact = await administeredContact(actor, now, request.params.id);
      await eraseContact(db, actor, now, contact);
      const [erased] = await findContacts(db, actor, now, sql`ct.id = ${contact.id}`, { anyOrganisation: policy.contact.administerAny(actor) });
      return present(actor, erased!);
    },
  );

  app.get(
    '/contacts/retention',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'listRetentionContacts',
        summary: "The organisation's contacts with no activity for `years` years: candidates for erasure",
        querystring: retentionQuery,
        response: { 200: retentionSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.contact.retention(actor));
      const { years } = request.query;
      const items = await retentionCandidates(db, actor, app.now(), years);
      await audit(db, actor, { action: 'read', entity: 'contact', details: { retention: years, count: items.length } });
      return { years, items: items.map((c) => present(actor, c)) };
    },
  );
};
