import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, recordId } from '../../lib/ids.ts';
import { versionSchema } from '../../lib/integers.ts';
import { pageQuery } from '../../lib/paging.ts';
import { authorize, policy } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { idempotencyKeyHeaders } from '../guidance/schemas.ts';
import {
  attendanceBody,
  cancelTokenParams,
  evaluationResultSchema,
  eventBody,
  eventPageSchema,
  eventPatchBody,
  eventSchema,
  eventsQuery,
  followUpBody,
  followUpListSchema,
  followUpTasksBody,
  followUpTasksResultSchema,
  participantListSchema,
  publicEventListSchema,
  publicEventSchema,
  publicRegistrationSchema,
  seriesBody,
  seriesListSchema,
  seriesMemberBody,
  seriesSchema,
  signUpBody,
  signUpReceiptSchema,
} from './schemas.ts';
import {
  addFollowUp,
  addSeriesMember,
  cancelByToken,
  confirmParticipantConsents,
  cancelEvent,
  cancelParticipant,
  changesOrganisation,
  createEvent,
  createFollowUpTasks,
  createSeries,
  eventRecord,
  findEvent,
  findPublicEvent,
  findSeries,
  listEvents,
  listFollowUps,
  listParticipants,
  listPublicEvents,
  listSeries,
  onlyLeaves,
  participantForKey,
  presentEvent,
  receiptOf,
  registerAttendance,
  registrationByToken,
  removeSeriesMember,
  sendEvaluation,
  signUp,
  signUpHashOf,
  updateEvent,
} from './service.ts';

const eventParams = idParams('event.notFound');
const seriesParams = idParams('event.seriesNotFound');
const participantParams = eventParams.extend({ participantId: recordId('event.participantUnknown') });

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };
  const links = { publicUrl: app.config.publicUrl };

  // --- The public entry point -------------------------------------------------------------

  app.get(
    '/public/events',
    { config: publicConfig, schema: { tags: ['events'], operationId: 'listPublicEvents', summary: 'Public events that have not ended, soonest first', response: { 200: publicEventListSchema } } },
    async () => listPublicEvents(db, app.now()),
  );

  app.get(
    '/public/events/:id',
    {
      config: publicConfig,
      schema: { tags: ['events'], operationId: 'getPublicEvent', summary: 'A public event and whether one can sign up now; a non-public one is missing (404)', params: eventParams, response: { 200: publicEventSchema } },
    },
    async (request) => findPublicEvent(db, app.now(), request.params.id),
  );

  app.post(
    '/public/events/:id/registrations',
    {
      config: publicConfig,
      schema: {
        tags: ['events'],
        operationId: 'signUpForEvent',
        summary: 'Sign up for a public event, for a company by CVR or without one; a seat if one is free, else the waiting list',
        description: 'Answers 201 with the receipt, or 200 with the first receipt when the same Idempotency-Key comes again with the same body; the same key with another body is refused (422). A closed or cancelled event is a 409, a second sign-up with the same e-mail too.',
        params: eventParams,
        headers: idempotencyKeyHeaders,
        body: signUpBody,
        response: { 201: signUpReceiptSchema.describe('Signed up (or on the waiting list)'), 200: signUpReceiptSchema.describe('A retry: the receipt of the first sign-up with this key') },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { website, ...input } = request.body;
      const now = app.now();
      // A filled honeypot gets a normal-looking answer and nothing is stored.
      if (website) return reply.code(201).send({ id: crypto.randomUUID(), status: 'registered', event: { title: '', startsAt: now.toISOString() } });
      const requestHash = signUpHashOf(request.params.id, input);
      const existing = await participantForKey(db, key, requestHash);
      if (existing) return reply.code(200).send(await receiptOf(db, existing));
      const id = await signUp(db, now, request.params.id, input, { key, requestHash, publicUrl: links.publicUrl, publicOnly: true });
      if (!id) return reply.code(200).send(await receiptOf(db, (await participantForKey(db, key, requestHash))!));
      return reply.code(201).send(await receiptOf(db, id));
    },
  );

  app.get(
    '/public/event-registrations/:token',
    {
      config: publicConfig,
      schema: { tags: ['events'], operationId: 'getEventRegistration', summary: 'The sign-up a personal cancellation link belongs to: the event and whether it can still be cancelled', params: cancelTokenParams, response: { 200: publicRegistrationSchema } },
    },
    async (request) => registrationByToken(db, app.now(), request.params.token),
  );

  app.post(
    '/public/event-registrations/:token/cancel',
    {
      config: publicConfig,
      schema: {
        tags: ['events'],
        operationId: 'cancelEventRegistration',
        summary: 'Cancel the sign-up the link belongs to; the first on the waiting list moves up. Cancelling again answers as done',
        params: cancelTokenParams,
        response: { 200: publicRegistrationSchema },
      },
    },
    async (request) => cancelByToken(db, app.now(), request.params.token, links),
  );

  // --- The back office ---------------------------------------------------------------------

  app.get(
    '/events',
    { schema: { tags: ['events'], operationId: 'listEvents', summary: 'Events, upcoming (soonest first) or past (latest first), by kind, series or own', querystring: eventsQuery.extend(pageQuery), response: { 200: eventPageSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.event.read(actor));
      const { page, pageSize, ...query } = request.query;
      const result = await listEvents(db, actor, app.now(), query, { page, pageSize });
      return { ...result, items: result.items.map((e) => presentEvent(actor, e)) };
    },
  );

  app.post(
    '/events',
    { schema: { tags: ['events'], operationId: 'createEvent', summary: "Create an event organised by the caller's organisation", body: eventBody, response: { 201: eventSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.event.create(actor));
      const id = await createEvent(db, actor, app.now(), request.body);
      return reply.code(201).send(presentEvent(actor, await findEvent(db, app.now(), id)));
    },
  );

  app.get(
    '/events/:id',
    { schema: { tags: ['events'], operationId: 'getEvent', summary: 'One event, with what the caller may do with it', params: eventParams, response: { 200: eventSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.event.read(actor));
      return presentEvent(actor, await findEvent(db, app.now(), request.params.id));
    },
  );

  app.patch(
    '/events/:id',
    { schema: { tags: ['events'], operationId: 'updateEvent', summary: 'Change an event (organiser and co-organisers; who co-organises and the network only the organiser, else 403); more seats move those waiting up', params: eventParams, body: eventPatchBody, response: { 200: eventSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      if (changesOrganisation(event, request.body)) {
        const leaving = onlyLeaves(event, request.body, actor.organisationId) && policy.event.leave(actor, eventRecord(event));
        if (!leaving) authorize(policy.event.organise(actor, eventRecord(event)));
      }
      await updateEvent(db, actor, app.now(), event, request.body, links);
      return presentEvent(actor, await findEvent(db, app.now(), event.id));
    },
  );

  app.post(
    '/events/:id/cancel',
    {
      schema: {
        tags: ['events'], operationId: 'cancelEvent', summary: 'Cancel a planned event; those signed up or waiting are told by mail', params: eventParams,
        body: z.strictObject({ version: versionSchema }), response: { 200: eventSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      await cancelEvent(db, actor, app.now(), event, request.body.version);
      return presentEvent(actor, await findEvent(db, app.now(), event.id));
    },
  );

  app.get(
    '/events/:id/participants',
    {
      schema: {
        tags: ['events'], operationId: 'listEventParticipants', summary: "The participants with their contact data: the organiser's and co-organisers' alone (403 for others); the read is audited",
        params: eventParams, response: { 200: participantListSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.readParticipants(actor, eventRecord(event)));
      return listParticipants(db, actor, event);
    },
  );

  app.post(
    '/events/:id/participants/:participantId/confirm-consents',
    {
      schema: {
        tags: ['events'], operationId: 'confirmEventParticipantConsents',
        summary: 'Confirm the consents a participant ticked on the sign-up form (after being in touch); until then they are not in force',
        params: participantParams, response: { 200: participantListSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      await confirmParticipantConsents(db, actor, app.now(), event, request.params.participantId);
      return listParticipants(db, actor, event);
    },
  );

  app.post(
    '/events/:id/participants/:participantId/cancel',
    {
      schema: {
        tags: ['events'], operationId: 'cancelEventParticipant',
        summary: 'Cancel a sign-up (organiser and co-organisers), e.g. one made by a robot to take the seats; the first waiting moves up, the person is told by mail',
        params: participantParams, response: { 200: participantListSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      await cancelParticipant(db, actor, app.now(), event, request.params.participantId, links);
      return listParticipants(db, actor, event);
    },
  );

  app.post(
    '/events/:id/attendance',
    {
      schema: {
        tags: ['events'], operationId: 'registerEventAttendance', summary: 'Register who attended and who did not (from the start of the event)', params: eventParams,
        body: attendanceBody, response: { 200: participantListSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      await registerAttendance(db, actor, app.now(), event, request.body.participants);
      return listParticipants(db, actor, event);
    },
  );

  app.post(
    '/events/:id/follow-up-tasks',
    {
      schema: {
        tags: ['events'], operationId: 'createEventFollowUpTasks', summary: "A task of the caller's organisation per company that attended: contact within N working days (once per participant)",
        params: eventParams, body: followUpTasksBody, response: { 201: followUpTasksResultSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      return reply.code(201).send(await createFollowUpTasks(db, actor, app.now(), event, request.body));
    },
  );

  app.get(
    '/events/:id/follow-ups',
    { schema: { tags: ['events'], operationId: 'listEventFollowUps', summary: 'Follow-up records (who met whom, what is next): organiser and co-organisers', params: eventParams, response: { 200: followUpListSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.readParticipants(actor, eventRecord(event)));
      return listFollowUps(db, actor, event);
    },
  );

  app.post(
    '/events/:id/follow-ups',
    { schema: { tags: ['events'], operationId: 'addEventFollowUp', summary: 'Record which company met whom and what is next', params: eventParams, body: followUpBody, response: { 201: followUpListSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      await addFollowUp(db, actor, app.now(), event, request.body);
      return reply.code(201).send(await listFollowUps(db, actor, event));
    },
  );

  app.post(
    '/events/:id/evaluation',
    {
      schema: {
        tags: ['events'], operationId: 'sendEventEvaluation', summary: 'Send the evaluation questionnaire (a survey linked to the event) to those who attended, once',
        params: eventParams, response: { 201: evaluationResultSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const event = await findEvent(db, app.now(), request.params.id);
      authorize(policy.event.change(actor, eventRecord(event)));
      return reply.code(201).send(await sendEvaluation(db, actor, app.now(), event, links));
    },
  );

  // --- Networks ------------------------------------------------------------------------------

  app.get(
    '/event-series',
    { schema: { tags: ['events'], operationId: 'listEventSeries', summary: 'Networks (event series); members only for the organisation that runs each', response: { 200: seriesListSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.eventSeries.read(actor));
      return listSeries(db, actor);
    },
  );

  app.post(
    '/event-series',
    { schema: { tags: ['events'], operationId: 'createEventSeries', summary: "Create a network run by the caller's organisation", body: seriesBody, response: { 201: seriesSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(policy.eventSeries.create(actor));
      const id = await createSeries(db, actor, app.now(), request.body);
      return reply.code(201).send(await findSeries(db, actor, id));
    },
  );

  app.get(
    '/event-series/:id',
    { schema: { tags: ['events'], operationId: 'getEventSeries', summary: 'One network', params: seriesParams, response: { 200: seriesSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.eventSeries.read(actor));
      return findSeries(db, actor, request.params.id);
    },
  );

  app.post(
    '/event-series/:id/members',
    { schema: { tags: ['events'], operationId: 'addEventSeriesMember', summary: 'Add a member company to a network', params: seriesParams, body: seriesMemberBody, response: { 200: seriesSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const series = await findSeries(db, actor, request.params.id);
      authorize(policy.eventSeries.manage(actor, { organisationId: series.organisation.id }));
      await addSeriesMember(db, actor, app.now(), series.id, request.body.cvr);
      return findSeries(db, actor, series.id);
    },
  );

  app.delete(
    '/event-series/:id/members/:cvr',
    {
      schema: {
        tags: ['events'], operationId: 'removeEventSeriesMember', summary: 'Remove a member company from a network', params: seriesParams.extend({ cvr: seriesMemberBody.shape.cvr }),
        response: { 200: seriesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const series = await findSeries(db, actor, request.params.id);
      authorize(policy.eventSeries.manage(actor, { organisationId: series.organisation.id }));
      await removeSeriesMember(db, actor, series.id, request.params.cvr);
      return findSeries(db, actor, series.id);
    },
  );
};
