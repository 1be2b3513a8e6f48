import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, recordId } from '../../lib/ids.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { fileResponse } from '../../http/openapi.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { caseChangeBody, caseImageSchema, caseLibraryQuery, caseSchema, newCaseBody, newImageBody, publicCasePageSchema, publicCaseSchema, sendCasesBody, sentCasesSchema } from './schemas.ts';
import {
  addImage,
  changeCase,
  createCase,
  findCase,
  imageOf,
  listCasesOf,
  moveCase,
  publicCase,
  publicCaseById,
  removeImage,
  searchLibrary,
  sendCases,
  type CaseView,
} from './service.ts';

const byId = idParams('case.notFound');
const byImage = z.object({ id: recordId('case.notFound'), imageId: recordId('case.imageNotFound') });
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** A back-office case with what the caller may do with it. */
const present = (actor: Actor, story: CaseView) => {
  const { organisationIds: _o, ...rest } = story;
  return { ...rest, abilities: abilities.case(actor, story) };
};

/** Gode historier: written by the organisations behind them in the back office, searchable by anyone in the public library. */
export const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/cases',
    { schema: { tags: ['cases'], operationId: 'listCases', summary: "The case stories the caller's organisation is behind, every status", response: { 200: z.object({ items: z.array(caseSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.case.listOwn(actor));
      return { items: (await listCasesOf(db, actor.organisationId, app.now())).map((c) => present(actor, c)) };
    },
  );

  app.post('/cases', { schema: { tags: ['cases'], operationId: 'createCase', summary: 'Create a case story (as a draft)', body: newCaseBody, response: { 201: caseSchema } } }, async (request, reply) => {
    const actor = actorOf(request);
    authorize(policy.case.create(actor));
    const now = app.now();
    const id = await createCase(db, actor, now, request.body);
    return reply.code(201).send(present(actor, (await findCase(db, id, now))!));
  });

  /** A case the actor's organisation is behind; to anyone else it does not exist here (404). */
  const visibleCase = async (actor: Actor, id: string) => {
    const story = await findCase(db, id, app.now());
    authorizeVisible(!!story && policy.case.visible(actor, story), 'case.notFound');
    return story;
  };
  const ownCase = async (actor: Actor, id: string) => {
    const story = await visibleCase(actor, id);
    authorize(policy.case.manage(actor, story));
    return story;
  };

  app.get('/cases/:id', { schema: { tags: ['cases'], operationId: 'getCase', summary: 'A case story of the caller\'s organisation', params: byId, response: { 200: caseSchema } } }, async (request) => {
    const actor = actorOf(request);
    return present(actor, await visibleCase(actor, request.params.id));
  });

  app.patch(
    '/cases/:id',
    { schema: { tags: ['cases'], operationId: 'changeCase', summary: 'Change a case story; `version` must be the one read (else 409)', params: byId, body: caseChangeBody, response: { 200: caseSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const story = await ownCase(actor, request.params.id);
      const { version, ...changes } = request.body;
      await changeCase(db, actor, app.now(), story, version, changes);
      return present(actor, (await findCase(db, story.id, app.now()))!);
    },
  );

  for (const [action, to, from] of [['publish', 'published', ['draft', 'archived']], ['archive', 'archived', ['draft', 'published']]] as const) {
    app.post(
      `/cases/:id/${action}`,
      {
        schema: {
          tags: ['cases'],
          operationId: `${action}Case`,
          summary: action === 'publish' ? "Publish a case story (needs the company's publication consent in force)" : 'Archive a case story',
          params: byId,
          response: { 200: caseSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const story = await ownCase(actor, request.params.id);
        if (!(from as readonly string[]).includes(story.status)) throw conflict('case.transition', { from: story.status, to });
        await moveCase(db, actor, app.now(), story, action, to);
        return present(actor, (await findCase(db, story.id, app.now()))!);
      },
    );
  }

  app.post(
    '/cases/:id/images',
    {
      // Base64 of at most 512 KiB, in JSON.
      bodyLimit: 800_000,
      schema: { tags: ['cases'], operationId: 'addCaseImage', summary: 'Add an image (PNG, JPEG, GIF or WebP, told by its bytes; at most 512 KiB)', params: byId, body: newImageBody, response: { 201: caseImageSchema } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const story = await ownCase(actor, request.params.id);
      const id = await addImage(db, actor, story, request.body.alt, request.body.data);
      const image = (await findCase(db, story.id, app.now()))!.images.find((i) => i.id === id)!;
      return reply.code(201).send(image);
    },
  );

  app.delete(
    '/cases/:id/images/:imageId',
    { schema: { tags: ['cases'], operationId: 'removeCaseImage', summary: 'Remove an image', params: byImage, response: { 204: z.null().describe('Removed') } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const story = await ownCase(actor, request.params.id);
      if (!(await removeImage(db, actor, story, request.params.imageId))) throw notFound('case.imageNotFound', { id: request.params.imageId });
      return reply.code(204).send(null);
    },
  );

  const sendImage = async (reply: import('fastify').FastifyReply, caseId: string, imageId: string) => {
    const image = await imageOf(db, caseId, imageId);
    if (!image) throw notFound('case.imageNotFound', { id: imageId });
    return reply.type(image.contentType).header('content-disposition', 'inline').send(image.bytes);
  };

  app.get(
    '/cases/:id/images/:imageId',
    { schema: { tags: ['cases'], operationId: 'getCaseImage', summary: 'An image of a case story of the caller\'s organisation', params: byImage, response: { 200: fileResponse('The image', IMAGE_TYPES) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const story = await visibleCase(actor, request.params.id);
      return sendImage(reply, story.id, request.params.imageId);
    },
  );

  app.post(
    '/cases/send',
    {
      schema: {
        tags: ['cases'],
        operationId: 'sendCases',
        summary: 'Send a contact person of a company links to public case stories by e-mail (the same selection once a day), audited',
        body: sendCasesBody,
        response: { 200: sentCasesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.case.send(actor));
      return sendCases(db, actor, app.now(), request.body, app.config);
    },
  );

  // The public library: no sign-in; public cases only (published, with the company's consent in force).
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };

  app.get(
    '/public/cases',
    {
      config: publicConfig,
      schema: {
        tags: ['cases'],
        operationId: 'searchCaseLibrary',
        summary: 'Search the public case library: free text, industry, region or municipality, job content, company size, benefit, theme, organisation, offer',
        querystring: caseLibraryQuery,
        response: { 200: publicCasePageSchema },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query;
      const { items, total, hasMore } = await searchLibrary(db, app.now(), request.query);
      return { items: items.map(publicCase), page, pageSize, total, hasMore };
    },
  );

  app.get('/public/cases/:id', { config: publicConfig, schema: { tags: ['cases'], operationId: 'getPublicCase', summary: 'A public case story', params: byId, response: { 200: publicCaseSchema } } }, async (request) => {
    const story = await publicCaseById(db, request.params.id, app.now());
    if (!story) throw notFound('case.notFound', { id: request.params.id });
    return publicCase(story);
  });

  app.get(
    '/public/cases/:id/images/:imageId',
    { config: publicConfig, schema: { tags: ['cases'], operationId: 'getPublicCaseImage', summary: 'An image of a public case story', params: byImage, response: { 200: fileResponse('The image', IMAGE_TYPES) } } },
    async (request, reply) => {
      const story = await publicCaseById(db, request.params.id, app.now());
      if (!story) throw notFound('case.notFound', { id: request.params.id });
      return sendImage(reply, story.id, request.params.imageId);
    },
  );
};
