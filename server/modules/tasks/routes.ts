import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../lib/ids.ts';
import { fieldProblem } from '../../http/problem.ts';
import { pageOf, pageWindow } from '../../lib/paging.ts';
import { authorize, authorizeVisible, policy, type Actor } from '../../policies/index.ts';
import { actorOf } from '../auth/plugin.ts';
import { audit } from '../audit/service.ts';
import { companyExists, findEngagement } from '../engagements/service.ts';
import { assigneeQuery, assigneesSchema, newTaskBody, taskChangeBody, taskListQuery, taskPageSchema, taskSchema } from './schemas.ts';
import { assignableUsers, checkNewTask, findTask, findTasks, insertTask, presentTask, updateTask, type TaskSubject } from './service.ts';

const byId = idParams('task.notFound');

/** Follow-up tasks (opgaver): the organisation's own, on an engagement or a company. */
export const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  /** An engagement the actor can see (else 404), as a task's subject: its company and confidentiality. */
  const engagementSubject = async (actor: Actor, now: Date, engagementId: string) => {
    const engagement = await findEngagement(db, actor, now, engagementId);
    authorizeVisible(!!engagement, 'engagement.notFound');
    const record = { organisationId: engagement.organisation.id, confidential: engagement.confidential };
    const subject: TaskSubject = { engagementId: engagement.id, companyCvr: engagement.company?.cvr ?? null, confidential: engagement.confidential };
    return { record, subject };
  };

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'listTasks',
        summary: "The caller's organisation's tasks on an engagement or a company, or the caller's own (assignee=me); open ones first, soonest due first",
        querystring: taskListQuery,
        response: { 200: taskPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.task.read(actor));
      const now = app.now();
      const { engagementId, companyCvr, assignee, status, page, pageSize } = request.query;
      const filters = [sql`TRUE`];
      let create = false;
      if (engagementId) {
        const { record } = await engagementSubject(actor, now, engagementId);
        filters.push(sql`t.engagement_id = ${engagementId}`);
        create = policy.task.create(actor, record);
      }
      if (companyCvr) {
        filters.push(sql`t.company_cvr = ${companyCvr}`);
        if (!engagementId) create = policy.task.create(actor);
      }
      if (assignee === 'me') filters.push(sql`t.assignee_user_id = ${actor.userId}`);
      if (status === 'open') filters.push(sql`t.done_at IS NULL`);
      if (status === 'done') filters.push(sql`t.done_at IS NOT NULL`);
      const rows = await findTasks(db, actor, now, sql.join(filters, sql` AND `), pageWindow({ page, pageSize }));
      const result = pageOf(rows, { page, pageSize });
      // Titles are free text about a company and its people, and name colleagues: the read is audited.
      await audit(db, actor, { action: 'read', entity: 'task', companyCvr: companyCvr ?? null, details: { count: result.items.length, engagementId: engagementId ?? null, assignee: assignee ?? null, status: status ?? null } });
      return { ...result, items: result.items.map((task) => presentTask(actor, task)), abilities: { create } };
    },
  );

  app.get(
    '/tasks/assignees',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'listTaskAssignees',
        summary: "Whom a task may be given to: the caller's organisation's active users who can act on it (the EW team for an Early Warning engagement's task); names only",
        querystring: assigneeQuery,
        response: { 200: assigneesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.task.read(actor));
      const confidential = request.query.engagementId ? (await engagementSubject(actor, app.now(), request.query.engagementId)).subject.confidential : false;
      return { items: await assignableUsers(db, actor, confidential) };
    },
  );

  app.get(
    '/tasks/:id',
    {
      schema: { tags: ['tasks'], operationId: 'getTask', summary: 'One task of the caller’s organisation', params: byId, response: { 200: taskSchema } },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.task.read(actor));
      const task = await findTask(db, actor, app.now(), request.params.id);
      authorizeVisible(!!task, 'task.notFound');
      await audit(db, actor, { action: 'read', entity: 'task', entityId: task.id, companyCvr: task.company?.cvr ?? null, details: { confidential: task.confidential } });
      return presentTask(actor, task);
    },
  );

  app.post(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'createTask',
        summary: 'Give a task on an engagement (engagementId) or directly on a company (companyCvr), due by the end of dueOn, to a user of the caller’s organisation (the caller by default)',
        body: newTaskBody,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = app.now();
      const { engagementId, companyCvr, ...values } = request.body;
      if ((engagementId === undefined) === (companyCvr === undefined)) throw fieldProblem('engagementId', 'task.subjectRequired');
      let subject: TaskSubject;
      if (engagementId) {
        const found = await engagementSubject(actor, now, engagementId);
        authorize(policy.task.create(actor, found.record));
        subject = found.subject;
      } else {
        authorize(policy.task.create(actor));
        if (!(await companyExists(db, companyCvr!))) throw fieldProblem('companyCvr', 'company.notFound', { cvr: companyCvr! });
        subject = { engagementId: null, companyCvr: companyCvr!, confidential: false };
      }
      const checked = await checkNewTask(db, actor, now, values, subject);
      const id = await db.transaction((tx) => insertTask(tx, actor, now, checked));
      const task = await findTask(db, actor, now, id);
      return reply.code(201).send(presentTask(actor, task!));
    },
  );

  app.patch(
    '/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'changeTask',
        summary: 'Change a task (title, due date, assignee) or mark it done or open again, at the version read (409 when changed meanwhile)',
        params: byId,
        body: taskChangeBody,
        response: { 200: taskSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.now();
      const task = await findTask(db, actor, now, request.params.id);
      authorizeVisible(!!task, 'task.notFound');
      authorize(policy.task.change(actor, task));
      await updateTask(db, actor, now, task, request.body);
      return presentTask(actor, (await findTask(db, actor, now, task.id))!);
    },
  );
};
