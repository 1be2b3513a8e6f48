import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../lib/ids.ts';
import { conflict, fieldProblem, HttpProblem, notFound } from '../../http/problem.ts';
import { abilities, authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { hashPassword } from '../auth/passwords.ts';
import { deleteUserSessions } from '../auth/sessions.ts';
import { users } from './schema.ts';
import { managedUserSchema, mySettingsBody, mySettingsSchema, newUserBody, userChangeBody } from './schemas.ts';
import { findNotificationSettings, findUser, findUsers, insertUser, organisationExists, updateNotificationSettings, updateUser } from './service.ts';

const byId = idParams('user.notFound');

const present = <U extends { organisation: { id: string }; systemAdmin: boolean }>(actor: Actor, user: U) => ({ ...user, abilities: abilities.user(actor, user) });

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get(
    '/users',
    { schema: { tags: ['users'], operationId: 'listUsers', summary: "Users the caller administers (own organisation; all for a system admin)", response: { 200: z.object({ items: z.array(managedUserSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.user.list(actor));
      const scope = policy.user.scope(actor);
      const items = await findUsers(db, scope ? eq(users.organisationId, scope) : undefined);
      await audit(db, actor, { action: 'read', entity: 'user', details: { count: items.length, scope } });
      return { items: items.map((u) => present(actor, u)) };
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        operationId: 'createUser',
        summary: 'Create a user',
        body: newUserBody,
        response: { 201: managedUserSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { password, organisationId = actor.organisationId, ...rest } = request.body;
      authorize(policy.user.manage(actor, organisationId));
      if (rest.systemAdmin) authorize(policy.user.grantSystemAdmin(actor));
      if (!(await organisationExists(db, organisationId))) throw fieldProblem('organisationId', 'user.organisationUnknown');
      const passwordHash = await hashPassword(password);
      const id = await db.transaction(async (tx) => {
        const newId = await insertUser(tx, { ...rest, organisationId, passwordHash });
        if (!newId) throw conflict('user.emailTaken');
        await audit(tx, actor, { action: 'create', entity: 'user', entityId: newId, details: { email: rest.email, role: rest.role, organisationId } });
        return newId;
      });
      return reply.code(201).send(present(actor, (await findUser(db, id))!));
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        operationId: 'changeUser',
        summary: 'Change a user: name, role, Early Warning permission, active, password',
        params: byId,
        body: userChangeBody,
        response: { 200: managedUserSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const target = await findUser(db, request.params.id);
      // Users outside one's administration are reported as missing, not forbidden.
      authorizeVisible(!!target && policy.user.manage(actor, target.organisation.id), 'user.notFound');
      authorize(policy.user.change(actor, { organisationId: target.organisation.id, systemAdmin: target.systemAdmin }));
      const { password, ...changes } = request.body;
      if (changes.active === false && target.id === actor.userId) throw new HttpProblem(400, 'user.cannotDeactivateSelf');
      const passwordHash = password ? await hashPassword(password) : undefined;
      await db.transaction(async (tx) => {
        await updateUser(tx, target.id, { ...changes, ...(passwordHash ? { passwordHash } : {}) });
        // A deactivated user, or one whose password or permissions changed, signs in again.
        if (changes.role || changes.earlyWarning !== undefined || changes.active === false || password) await deleteUserSessions(tx, target.id);
        await audit(tx, actor, { action: 'update', entity: 'user', entityId: target.id, details: { ...changes, passwordChanged: !!password } });
      });
      // The database announces this to every server; this one need not wait for its own announcement.
      app.sessionCache.forgetUser(target.id);
      return present(actor, (await findUser(db, target.id))!);
    },
  );

  // The caller's own settings: there is no route to anyone else's.
  app.get(
    '/me/settings',
    { schema: { tags: ['users'], operationId: 'getMySettings', summary: "The caller's own settings: which new work they are mailed about", response: { 200: mySettingsSchema } } },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.user.settings(actor, actor.userId));
      const settings = await findNotificationSettings(db, actor.userId);
      if (!settings) throw notFound('user.notFound');
      return settings;
    },
  );

  app.put(
    '/me/settings',
    {
      schema: {
        tags: ['users'],
        operationId: 'putMySettings',
        summary: "Store the caller's own choice of mails about new requests and referrals (null: back to the default)",
        body: mySettingsBody,
        response: { 200: mySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.user.settings(actor, actor.userId));
      const { notifications } = request.body;
      await db.transaction(async (tx) => {
        await updateNotificationSettings(tx, actor.userId, notifications);
        await audit(tx, actor, { action: 'update', entity: 'user', entityId: actor.userId, details: { notifications } });
      });
      const settings = await findNotificationSettings(db, actor.userId);
      if (!settings) throw notFound('user.notFound');
      return settings;
    },
  );
};
