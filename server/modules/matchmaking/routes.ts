import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pickLanguage } from '../../http/i18n.ts';
import { idParams } from '../../lib/ids.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { casesFor } from '../cases/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { cvrSchema } from '../companies/schemas.ts';
import {
  agreementBody,
  changeCooperationBody,
  cooperationSchema,
  matchListQuery,
  matchSchema,
  newCooperationBody,
  newMatchBody,
  sideBody,
  suggestionsSchema,
  type CooperationData,
} from './schemas.ts';
import {
  acceptMatch,
  changeCooperation,
  createCooperation,
  declineMatch,
  findCooperation,
  findMatches,
  introduce,
  proposeMatch,
  recordAgreement,
  suggestionsFor,
  withContacts,
  type MatchData,
} from './service.ts';

const presentItem = (actor: Actor, item: CooperationData) => ({ ...item, abilities: abilities.cooperation(actor, item) });

const presentMatch = (actor: Actor, match: MatchData) => {
  const { record, contactIds: _contactIds, ...rest } = match;
  return { ...rest, abilities: abilities.match(actor, record) };
};

export const matchmakingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const langOf = (headers: { 'accept-language'?: string }) => pickLanguage(headers['accept-language']);

  /** A need or offer the caller can see, else 404 (whether it exists is not the caller's business). */
  const visibleItem = async (actor: Actor, now: Date, id: string) => {
    const [item] = await findCooperation(db, actor, now, sql`i.id = ${id}`);
    authorizeVisible(!!item, 'cooperation.notFound');
    return item;
  };

  /** A match the caller's organisation holds a side of, else 404. */
  const visibleMatch = async (actor: Actor, now: Date, id: string, lang: 'da' | 'en') => {
    const [match] = await findMatches(db, actor, now, sql`m.id = ${id}`, lang);
    authorizeVisible(!!match, 'matchmaking.notFound');
    return match;
  };

  const readMatch = async (actor: Actor, now: Date, id: string, lang: 'da' | 'en') => {
    const match = await withContacts(db, actor, await visibleMatch(actor, now, id, lang));
    const related = await casesFor(db, now, { offerId: match.b.kind === 'offer' ? match.b.id : undefined, themes: [...match.a.themes, ...match.b.themes] }, 5);
    return { ...presentMatch(actor, match), cases: related.map((c) => ({ id: c.id, title: c.title, summary: c.summary, company: c.company })) };
  };

  app.get(
    '/companies/:cvr/cooperation',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'listCompanyCooperation',
        summary: "A company's needs and offers of cooperation that the caller may see",
        params: z.object({ cvr: cvrSchema }),
        response: { 200: z.object({ items: z.array(cooperationSchema), abilities: z.object({ create: z.boolean() }) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findCooperation(db, actor, app.now(), sql`i.company_cvr = ${request.params.cvr}`);
      await audit(db, actor, { action: 'read', entity: 'cooperation', companyCvr: request.params.cvr, details: { count: items.length }, holders: items.map((i) => i.organisation.id) });
      return { items: items.map((i) => presentItem(actor, i)), abilities: { create: policy.crm.create(actor) } };
    },
  );

  app.post(
    '/companies/:cvr/cooperation',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'createCooperation',
        summary: 'Record a need or an offer of cooperation on a company',
        params: z.object({ cvr: cvrSchema }),
        body: newCooperationBody,
        response: { 201: cooperationSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const id = await createCooperation(db, actor, request.params.cvr, request.body);
      const [created] = await findCooperation(db, actor, app.now(), sql`i.id = ${id}`);
      return reply.code(201).send(presentItem(actor, created!));
    },
  );

  app.get(
    '/cooperation',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'listOwnCooperation',
        summary: "The caller's organisation's open needs and offers (the matchmaking page)",
        response: { 200: z.object({ items: z.array(cooperationSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const items = await findCooperation(db, actor, app.now(), sql`i.organisation_id = ${actor.organisationId} AND i.status = 'open'`);
      return { items: items.map((i) => presentItem(actor, i)) };
    },
  );

  app.patch(
    '/cooperation/:id',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'changeCooperation',
        summary: 'Change or close a need or offer of cooperation',
        params: idParams('cooperation.notFound'),
        body: changeCooperationBody,
        response: { 200: cooperationSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const item = await visibleItem(actor, now, request.params.id);
      authorize(abilities.cooperation(actor, item).change);
      await changeCooperation(db, actor, now, item, request.body);
      const [changed] = await findCooperation(db, actor, now, sql`i.id = ${item.id}`);
      return presentItem(actor, changed!);
    },
  );

  app.get(
    '/cooperation/:id/suggestions',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'suggestMatches',
        summary: 'Suggested matches for a need or offer, best first, each with its score and the parts it is made of',
        params: idParams('cooperation.notFound'),
        response: { 200: suggestionsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const item = await visibleItem(actor, now, request.params.id);
      const found = await suggestionsFor(db, actor, now, item.id, langOf(request.headers));
      await audit(db, actor, { action: 'read', entity: 'cooperation', entityId: item.id, companyCvr: item.company.cvr, details: { suggestions: found.length } });
      return {
        item: presentItem(actor, item),
        items: found.map((s) => ({
          counterpart: s.counterpart,
          score: s.score,
          reasons: s.reasons.map(({ kind, weight, detail }) => ({ kind, weight, detail })),
          matchId: s.matchId,
          abilities: { propose: !s.matchId && item.status === 'open' && policy.match.propose(actor, { aHolderId: item.organisation.id, bHolderId: s.counterpart.holder.id }) },
        })),
      };
    },
  );

  app.get(
    '/matches',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'listMatches',
        summary: "Matches the caller's organisation holds a side of, newest first",
        querystring: matchListQuery,
        response: { 200: z.object({ items: z.array(matchSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const { cvr, status } = request.query;
      const where = sql`${cvr ? sql`(ai.company_cvr = ${cvr} OR bi.company_cvr = ${cvr})` : sql`TRUE`} AND ${status ? sql`m.status = ${status}` : sql`TRUE`}`;
      const items = await findMatches(db, actor, app.now(), where, langOf(request.headers));
      // Contact persons are shown on the match itself (GET /matches/:id), where reading them is audited.
      return { items: items.map((m) => presentMatch(actor, m)) };
    },
  );

  app.post(
    '/matches',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'proposeMatch',
        summary: 'Propose a match of a need or offer with another company’s, a catalogue offer or a knowledge institution',
        body: newMatchBody,
        response: { 201: matchSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.crm.create(actor));
      const now = app.now();
      const lang = langOf(request.headers);
      const id = await proposeMatch(db, actor, now, request.body, lang);
      return reply.code(201).send(await readMatch(actor, now, id, lang));
    },
  );

  app.get(
    '/matches/:id',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'getMatch',
        summary: 'A match with both sides, the agreements and — once both companies agreed — the introduced contact persons',
        params: idParams('matchmaking.notFound'),
        response: { 200: matchSchema },
      },
    },
    async (request) => readMatch(actorOf(request), app.now(), request.params.id, langOf(request.headers)),
  );

  app.post(
    '/matches/:id/accept',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'acceptMatch',
        summary: "Accept a proposed match for one's own side",
        params: idParams('matchmaking.notFound'),
        body: sideBody,
        response: { 200: matchSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const lang = langOf(request.headers);
      const match = await visibleMatch(actor, now, request.params.id, lang);
      const side = request.body.side;
      authorize(policy.match.actFor(actor, side === 'a' ? match.record.aHolderId : match.record.bHolderId));
      await acceptMatch(db, actor, now, match, side);
      return readMatch(actor, now, match.id, lang);
    },
  );

  app.post(
    '/matches/:id/agreements',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'recordMatchAgreement',
        summary: "Record that one's own side's company agreed to be introduced (a consent with purpose introduction)",
        params: idParams('matchmaking.notFound'),
        body: agreementBody,
        response: { 200: matchSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const lang = langOf(request.headers);
      const match = await visibleMatch(actor, now, request.params.id, lang);
      const side = request.body.side;
      // The holder of a side speaks for its company; nobody records the other company's agreement.
      authorize(policy.match.actFor(actor, side === 'a' ? match.record.aHolderId : match.record.bHolderId));
      await recordAgreement(db, actor, now, match, request.body);
      return readMatch(actor, now, match.id, lang);
    },
  );

  app.post(
    '/matches/:id/introduce',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'introduceMatch',
        summary: 'Introduce the two sides to each other by mail once both companies agreed',
        params: idParams('matchmaking.notFound'),
        response: { 200: matchSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const lang = langOf(request.headers);
      const match = await visibleMatch(actor, now, request.params.id, lang);
      authorize(policy.match.take(actor, match.record));
      await introduce(db, actor, now, match, app.config);
      return readMatch(actor, now, match.id, lang);
    },
  );

  app.post(
    '/matches/:id/decline',
    {
      schema: {
        tags: ['matchmaking'],
        operationId: 'declineMatch',
        summary: 'Decline a match that is not yet introduced',
        params: idParams('matchmaking.notFound'),
        response: { 200: matchSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const lang = langOf(request.headers);
      const match = await visibleMatch(actor, now, request.params.id, lang);
      authorize(policy.match.take(actor, match.record));
      await declineMatch(db, actor, now, match);
      return readMatch(actor, now, match.id, lang);
    },
  );
};
