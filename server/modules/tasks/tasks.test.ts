import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, createUser, login, orgKeys, problem, type TestContext } from '../../test/helpers.ts';
import { apiAs, companiesIn, createEngagement, expectStatus, longSessions, recordConsent, type Api } from '../../test/crm-fixtures.ts';
import { upsertCompanies } from '../companies/service.ts';
import { generateCompanies } from '../demo/seed.ts';

interface Task {
  id: string;
  title: string;
  dueOn: string;
  overdue: boolean;
  done: boolean;
  doneBy: { id: string; name: string } | null;
  assignee: { id: string; name: string };
  engagementId: string | null;
  company: { cvr: string; name: string | null } | null;
  activityId: string | null;
  confidential: boolean;
  version: number;
  abilities: { change: boolean };
}

const START = new Date('2026-11-27T09:00:00Z'); // Friday 27 November 2026, 10:00 in Denmark

describe('tasks (opgaver)', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let adviser: Api;
  let colleague: Api;
  let reader: Api;
  let aabenraa: Api;
  let hub: Api;
  let hubEw: Api;
  let hubEwAdmin: Api;
  let hubAdmin: Api;
  let kkr: Api;
  const user: Record<string, string> = {};
  let cvrs: string[];
  let engagementId: string;

  const fieldsOf = (response: Awaited<ReturnType<Api['get']>>) => (problem(response).body.errors ?? []).map((e) => e.field);
  const createTask = async (api: Api, body: object): Promise<Task> => expectStatus(await api.post('/tasks', body), 201);
  const tasksOf = async (api: Api, query: string): Promise<Task[]> => expectStatus(await api.get(`/tasks?${query}`), 200).items;

  beforeAll(async () => {
    t = await createTestApp(longSessions);
    t.clock.now = START;
    await upsertCompanies(t.database, generateCompanies(1000, 7));
    user.adviser = await createUser(t.database, { email: 'adviser@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Anne Adviser' });
    user.colleague = await createUser(t.database, { email: 'colleague@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Carl Colleague' });
    user.reader = await createUser(t.database, { email: 'reader@sonderborg.dk', role: 'reader', org: orgKeys.sonderborg, name: 'Rita Reader' });
    user.inactive = await createUser(t.database, { email: 'former@sonderborg.dk', role: 'adviser', org: orgKeys.sonderborg, name: 'Former' });
    await t.database.db.execute(sql`UPDATE users SET active = false WHERE id = ${user.inactive}`);
    user.aabenraa = await createUser(t.database, { email: 'adviser@aabenraa.dk', role: 'adviser', org: orgKeys.aabenraa });
    user.hub = await createUser(t.database, { email: 'adviser@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, name: 'Hanne Hub' });
    user.hubEw = await createUser(t.database, { email: 'ew@sydjylland.dk', role: 'adviser', org: orgKeys.sydjylland, earlyWarning: true, name: 'Erik EW' });
    user.hubEwAdmin = await createUser(t.database, { email: 'ew-admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland, earlyWarning: true, name: 'Ella EW-admin' });
    user.hubAdmin = await createUser(t.database, { email: 'admin@sydjylland.dk', role: 'admin', org: orgKeys.sydjylland, name: 'Alma Admin' });
    await createUser(t.database, { email: 'reader@kkr.dk', role: 'reader', org: orgKeys.kkrSyddanmark });
    adviser = apiAs(t, await login(t.app, 'adviser@sonderborg.dk'));
    colleague = apiAs(t, await login(t.app, 'colleague@sonderborg.dk'));
    reader = apiAs(t, await login(t.app, 'reader@sonderborg.dk'));
    aabenraa = apiAs(t, await login(t.app, 'adviser@aabenraa.dk'));
    hub = apiAs(t, await login(t.app, 'adviser@sydjylland.dk'));
    hubEw = apiAs(t, await login(t.app, 'ew@sydjylland.dk'));
    hubEwAdmin = apiAs(t, await login(t.app, 'ew-admin@sydjylland.dk'));
    hubAdmin = apiAs(t, await login(t.app, 'admin@sydjylland.dk'));
    kkr = apiAs(t, await login(t.app, 'reader@kkr.dk'));
    cvrs = await companiesIn(t.database, 540);
    engagementId = (await createEngagement(adviser, { companyCvr: cvrs[0], description: 'Eksportforløb' })).id;
  });

  describe('giving and changing a task', () => {
    let task: Task;

    it('gives a task on an engagement to its creator by default; it carries the engagement’s company', async () => {
      task = await createTask(adviser, { engagementId, title: 'Ring og følg op', dueOn: '2026-12-02' });
      expect(task).toMatchObject({
        title: 'Ring og følg op', dueOn: '2026-12-02', overdue: false, done: false, doneBy: null,
        assignee: { id: user.adviser, name: 'Anne Adviser' }, engagementId, company: { cvr: cvrs[0] }, activityId: null, confidential: false, version: 1,
        abilities: { change: true },
      });
      expect((await tasksOf(adviser, `engagementId=${engagementId}`)).map((x) => x.id)).toEqual([task.id]);
      expect((await tasksOf(adviser, `companyCvr=${cvrs[0]}`)).map((x) => x.id)).toEqual([task.id]);
      expect((await tasksOf(adviser, 'assignee=me&status=open')).map((x) => x.id)).toEqual([task.id]);
      expect(await tasksOf(colleague, 'assignee=me')).toEqual([]);
      const [entry] = await t.database.rows<{ action: string; company_cvr: string }>(sql`SELECT action, company_cvr FROM audit_log WHERE entity = 'task' AND entity_id = ${task.id}`);
      expect(entry).toEqual({ action: 'create', company_cvr: cvrs[0] });
    });

    it('gives a task directly on a company, to a colleague', async () => {
      const onCompany = await createTask(adviser, { companyCvr: cvrs[1], title: 'Send materiale', dueOn: '2026-11-27', assigneeUserId: user.colleague });
      expect(onCompany).toMatchObject({ engagementId: null, company: { cvr: cvrs[1] }, assignee: { id: user.colleague } });
      expect((await tasksOf(colleague, 'assignee=me')).map((x) => x.id)).toEqual([onCompany.id]);
    });

    it('says whether the caller may give a task on what a list is filtered to', async () => {
      expect(expectStatus(await adviser.get(`/tasks?engagementId=${engagementId}`), 200).abilities).toEqual({ create: true });
      expect(expectStatus(await adviser.get(`/tasks?companyCvr=${cvrs[3]}`), 200).abilities).toEqual({ create: true });
      expect(expectStatus(await reader.get(`/tasks?engagementId=${engagementId}`), 200).abilities).toEqual({ create: false });
      expect(expectStatus(await adviser.get('/tasks?assignee=me'), 200).abilities).toEqual({ create: false });
    });

    it.each([
      ['a date that does not exist', () => ({ dueOn: '2026-02-30' }), 'dueOn'],
      ['a date in words', () => ({ dueOn: 'tomorrow' }), 'dueOn'],
      ['a Danish date', () => ({ dueOn: '02.12.2026' }), 'dueOn'],
      ['a due date before today', () => ({ dueOn: '2026-11-26' }), 'dueOn'],
      ['no title', () => ({ title: '   ' }), 'title'],
      ['both an engagement and a company', () => ({ companyCvr: cvrs[1] }), 'engagementId'],
      ['an unknown field', () => ({ priority: 'high' }), null],
    ])('refuses %s with a field error (400), creating nothing', async (_case, change, field) => {
      const before = await count(t.database, 'tasks');
      const response = await adviser.post('/tasks', { engagementId, title: 'Følg op', dueOn: '2026-12-02', ...change() });
      expect(problem(response)).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json') });
      if (field) expect(fieldsOf(response)).toEqual([field]);
      expect(await count(t.database, 'tasks')).toBe(before);
    });

    it('refuses an unknown company (400) and a task on nothing (400)', async () => {
      expect(fieldsOf(await adviser.post('/tasks', { companyCvr: '99999998', title: 'X', dueOn: '2026-12-02' }))).toEqual(['companyCvr']);
      expect(fieldsOf(await adviser.post('/tasks', { title: 'X', dueOn: '2026-12-02' }))).toEqual(['engagementId']);
    });

    it.each([
      ['a user of another organisation', () => user.aabenraa],
      ['a user of the hub', () => user.hub],
      ['an inactive colleague', () => user.inactive],
      ['a reader, who could not mark it done', () => user.reader],
      ['a user that does not exist', () => '00000000-0000-4000-8000-000000000000'],
    ])('refuses %s as assignee (422 on assigneeUserId), creating nothing', async (_case, assignee) => {
      const before = await count(t.database, 'tasks');
      const response = await adviser.post('/tasks', { engagementId, title: 'Følg op', dueOn: '2026-12-02', assigneeUserId: assignee() });
      expect(problem(response).status).toBe(422);
      expect(fieldsOf(response)).toEqual(['assigneeUserId']);
      expect(await count(t.database, 'tasks')).toBe(before);
    });

    it('answers in English when asked', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/tasks', headers: { ...adviser.session.headers, 'accept-language': 'en' }, payload: { engagementId, title: 'X', dueOn: '2026-12-02', assigneeUserId: user.aabenraa } });
      expect(problem(response).body.errors).toEqual([{ field: 'assigneeUserId', message: 'A task can only be given to an active user of your organisation who can work on it.' }]);
    });

    it('lists whom a task may be given to: active users of the organisation who can act on it, names only', async () => {
      const { items } = expectStatus(await adviser.get('/tasks/assignees'), 200);
      expect(items).toEqual([
        { id: user.adviser, name: 'Anne Adviser' },
        { id: user.colleague, name: 'Carl Colleague' },
      ]);
    });

    it('marks a task done and open again at the version read; a stale version is a conflict that changes nothing', async () => {
      const done: Task = expectStatus(await colleague.patch(`/tasks/${task.id}`, { version: 1, done: true }), 200);
      expect(done).toMatchObject({ done: true, doneBy: { id: user.colleague }, version: 2, overdue: false });
      expect(problem(await adviser.patch(`/tasks/${task.id}`, { version: 1, done: false })).status).toBe(409);
      expect((await t.database.rows<{ version: number }>(sql`SELECT version FROM tasks WHERE id = ${task.id}`))[0]!.version).toBe(2);
      expect((await tasksOf(adviser, 'assignee=me&status=open')).map((x) => x.id)).not.toContain(task.id);
      expect((await tasksOf(adviser, 'assignee=me&status=done')).map((x) => x.id)).toContain(task.id);
      const reopened: Task = expectStatus(await adviser.patch(`/tasks/${task.id}`, { version: 2, done: false }), 200);
      expect(reopened).toMatchObject({ done: false, doneBy: null, version: 3 });
      task = reopened;
    });

    it('changes title, due date and assignee; the new assignee must be one the task may be given to', async () => {
      const changed: Task = expectStatus(await adviser.patch(`/tasks/${task.id}`, { version: task.version, title: 'Ring til direktøren', dueOn: '2026-12-04', assigneeUserId: user.colleague }), 200);
      expect(changed).toMatchObject({ title: 'Ring til direktøren', dueOn: '2026-12-04', assignee: { id: user.colleague }, version: task.version + 1 });
      const refused = await adviser.patch(`/tasks/${task.id}`, { version: changed.version, assigneeUserId: user.aabenraa });
      expect(problem(refused).status).toBe(422);
      expect(fieldsOf(refused)).toEqual(['assigneeUserId']);
      expect(fieldsOf(await adviser.patch(`/tasks/${task.id}`, { version: changed.version, dueOn: '2026-13-01' }))).toEqual(['dueOn']);
      expect(fieldsOf(await adviser.patch(`/tasks/${task.id}`, { version: changed.version, dueOn: '2026-11-20' }))).toEqual(['dueOn']);
      expect(expectStatus(await adviser.get(`/tasks/${task.id}`), 200)).toMatchObject({ title: 'Ring til direktøren', assignee: { id: user.colleague }, version: changed.version });
      task = changed;
    });

    it('is overdue once its due day has ended in Denmark, and keeps its due date when another field changes', async () => {
      try {
        t.clock.now = new Date('2026-12-04T22:59:00Z'); // 23:59 on the due day
        expect(expectStatus(await adviser.get(`/tasks/${task.id}`), 200).overdue).toBe(false);
        t.clock.now = new Date('2026-12-04T23:00:00Z'); // midnight
        expect(expectStatus(await adviser.get(`/tasks/${task.id}`), 200).overdue).toBe(true);
        // A past due date that is not being changed does not stop a change of the title.
        const renamed: Task = expectStatus(await adviser.patch(`/tasks/${task.id}`, { version: task.version, title: 'Ring igen', dueOn: task.dueOn }), 200);
        expect(renamed).toMatchObject({ title: 'Ring igen', overdue: true });
        task = renamed;
      } finally {
        t.clock.now = START;
      }
    });

    it('lets a reader of the organisation see tasks but not change them (403)', async () => {
      const seen = await tasksOf(reader, `engagementId=${engagementId}`);
      expect(seen.map((x) => x.id)).toEqual([task.id]);
      expect(seen[0]!.abilities).toEqual({ change: false });
      expect(problem(await reader.patch(`/tasks/${task.id}`, { version: task.version, done: true })).status).toBe(403);
      expect(problem(await reader.post('/tasks', { engagementId, title: 'X', dueOn: '2026-12-02' })).status).toBe(403);
    });
  });

  describe('visibility', () => {
    let task: Task;
    beforeAll(async () => {
      task = await createTask(adviser, { engagementId, title: 'Hemmelig note om Direktør Holm', dueOn: '2026-12-10' });
      // A sharing consent for all: it opens the engagement to the others, never the organisation's tasks.
      await recordConsent(adviser, cvrs[0]!, { scope: 'all' });
    });

    it('keeps a task from another organisation, even under a sharing consent (404, empty lists)', async () => {
      for (const other of [aabenraa, hub]) {
        expect(problem(await other.get(`/tasks/${task.id}`)).status).toBe(404);
        expect(problem(await other.patch(`/tasks/${task.id}`, { version: task.version, done: true })).status).toBe(404);
        const byCompany = await other.get(`/tasks?companyCvr=${cvrs[0]}`);
        expect(expectStatus(byCompany, 200).items).toEqual([]);
        // The engagement itself is shared, its tasks are not, and nobody else adds to them.
        const byEngagement = expectStatus(await other.get(`/tasks?engagementId=${engagementId}`), 200);
        expect(byEngagement).toMatchObject({ items: [], abilities: { create: false } });
        expect(problem(await other.post('/tasks', { engagementId, title: 'Overtag', dueOn: '2026-12-10' })).status).toBe(403);
        expect(byCompany.body + JSON.stringify(byEngagement)).not.toContain('Holm');
      }
      expect((await t.database.rows<{ version: number; done_at: Date | null }>(sql`SELECT version, done_at FROM tasks WHERE id = ${task.id}`))[0]).toEqual({ version: 1, done_at: null });
    });

    it('answers an engagement the caller cannot see with 404, for lists, assignees and new tasks alike', async () => {
      const hidden = await createEngagement(adviser, { companyCvr: cvrs[2] });
      expect(problem(await aabenraa.get(`/tasks?engagementId=${hidden.id}`)).status).toBe(404);
      expect(problem(await aabenraa.get(`/tasks/assignees?engagementId=${hidden.id}`)).status).toBe(404);
      expect(problem(await aabenraa.post('/tasks', { engagementId: hidden.id, title: 'X', dueOn: '2026-12-10' })).status).toBe(404);
    });

    it('refuses aggregate-only readers (403)', async () => {
      expect(problem(await kkr.get('/tasks?assignee=me')).status).toBe(403);
      expect(problem(await kkr.get(`/tasks/${task.id}`)).status).toBe(403);
      expect(problem(await kkr.post('/tasks', { companyCvr: cvrs[0], title: 'X', dueOn: '2026-12-10' })).status).toBe(403);
    });

    describe('Early Warning', () => {
      let ewEngagement: string;
      let ewTask: Task;

      beforeAll(async () => {
        ewEngagement = (await createEngagement(hubEw, { companyCvr: cvrs[4], level: 'specialised', confidential: true, description: 'Konkurstruet' })).id;
      });

      it('a task on a confidential engagement is confidential, and only an EW user can have it', async () => {
        ewTask = await createTask(hubEw, { engagementId: ewEngagement, title: 'Rekonstruktionsplan', dueOn: '2026-12-03' });
        expect(ewTask).toMatchObject({ confidential: true, engagementId: ewEngagement, assignee: { id: user.hubEw } });
        const refused = await hubEw.post('/tasks', { engagementId: ewEngagement, title: 'X', dueOn: '2026-12-03', assigneeUserId: user.hub });
        expect(problem(refused).status).toBe(422);
        expect(problem(refused).body.errors).toEqual([{ field: 'assigneeUserId', message: 'En opgave på et fortroligt Early Warning-forløb kan kun gives til en bruger med Early Warning-adgang.' }]);
        expect(problem(await hubEw.patch(`/tasks/${ewTask.id}`, { version: 1, assigneeUserId: user.hub })).status).toBe(422);
        const { items } = expectStatus(await hubEw.get(`/tasks/assignees?engagementId=${ewEngagement}`), 200);
        expect(items.map((u: { id: string }) => u.id).sort()).toEqual([user.hubEw, user.hubEwAdmin].sort());
      });

      it('is hidden from colleagues without the EW permission, in every list and in its audit entries', async () => {
        expect(problem(await hub.get(`/tasks/${ewTask.id}`)).status).toBe(404);
        expect(problem(await hub.patch(`/tasks/${ewTask.id}`, { version: 1, done: true })).status).toBe(404);
        expect(expectStatus(await hub.get(`/tasks?companyCvr=${cvrs[4]}`), 200).items).toEqual([]);
        expect(problem(await hub.get(`/tasks?engagementId=${ewEngagement}`)).status).toBe(404);
        expect(problem(await hub.post('/tasks', { engagementId: ewEngagement, title: 'X', dueOn: '2026-12-03' })).status).toBe(404);
        // Assigned to an EW admin, it shows in their own list; a colleague without EW still sees nothing.
        const moved: Task = expectStatus(await hubEw.patch(`/tasks/${ewTask.id}`, { version: 1, assigneeUserId: user.hubEwAdmin }), 200);
        expect((await tasksOf(hubEwAdmin, 'assignee=me')).map((x) => x.id)).toEqual([ewTask.id]);
        expect(await tasksOf(hubAdmin, 'assignee=me')).toEqual([]);
        expect(moved.version).toBe(2);
        const plain = expectStatus(await hubAdmin.get(`/audit?cvr=${cvrs[4]}`), 200);
        expect(JSON.stringify(plain)).not.toContain(ewTask.id);
        const ew = expectStatus(await hubEwAdmin.get(`/audit?cvr=${cvrs[4]}`), 200) as { items: { entityId: string | null }[] };
        expect(ew.items.filter((i) => i.entityId === ewTask.id).length).toBeGreaterThanOrEqual(2);
      });

      it('a colleague who loses the EW permission loses sight of the task', async () => {
        await t.database.db.execute(sql`UPDATE users SET early_warning = false WHERE id = ${user.hubEwAdmin}`);
        try {
          const again = apiAs(t, await login(t.app, 'ew-admin@sydjylland.dk'));
          expect(await tasksOf(again, 'assignee=me')).toEqual([]);
          expect(problem(await again.get(`/tasks/${ewTask.id}`)).status).toBe(404);
        } finally {
          await t.database.db.execute(sql`UPDATE users SET early_warning = true WHERE id = ${user.hubEwAdmin}`);
        }
      });
    });
  });

  describe('a follow-up task with an activity, in one step', () => {
    const activity = { type: 'meeting', occurredOn: '2026-11-27', subject: 'Møde om eksport' };

    it('records the activity and its task together; the task points to the activity', async () => {
      const created = expectStatus(await adviser.post(`/engagements/${engagementId}/activities`, { ...activity, followUp: { title: 'Følg op: Møde om eksport', dueOn: '2026-12-07', assigneeUserId: user.colleague } }), 201);
      expect(created.followUp).toMatchObject({ title: 'Følg op: Møde om eksport', dueOn: '2026-12-07', activityId: created.id, engagementId, company: { cvr: cvrs[0] }, assignee: { id: user.colleague }, abilities: { change: true } });
      expect((await tasksOf(colleague, 'assignee=me')).map((x) => x.id)).toContain(created.followUp.id);
    });

    it('is optional: without it, no task', async () => {
      const before = await count(t.database, 'tasks');
      const created = expectStatus(await adviser.post(`/engagements/${engagementId}/activities`, activity), 201);
      expect(created.followUp).toBeNull();
      expect(await count(t.database, 'tasks')).toBe(before);
    });

    it('on a company: the task is on the company, assigned to the caller by default', async () => {
      const created = expectStatus(await adviser.post(`/companies/${cvrs[5]}/activities`, { ...activity, followUp: { title: 'Ring tilbage', dueOn: '2026-11-30' } }), 201);
      expect(created.followUp).toMatchObject({ engagementId: null, company: { cvr: cvrs[5] }, assignee: { id: user.adviser }, activityId: created.id });
    });

    it('on an Early Warning engagement: the task is confidential too', async () => {
      const ew = await createEngagement(hubEw, { companyCvr: cvrs[6], level: 'specialised', confidential: true });
      const created = expectStatus(await hubEw.post(`/engagements/${ew.id}/activities`, { ...activity, followUp: { title: 'Tjek likviditet', dueOn: '2026-12-01' } }), 201);
      expect(created.followUp).toMatchObject({ confidential: true });
      expect(expectStatus(await hub.get(`/tasks?companyCvr=${cvrs[6]}`), 200).items).toEqual([]);
    });

    it.each([
      ['an assignee of another organisation', () => ({ assigneeUserId: user.aabenraa }), 422, 'followUp.assigneeUserId'],
      ['a due date in the past', () => ({ dueOn: '2026-11-01' }), 400, 'followUp.dueOn'],
      ['a date that does not exist', () => ({ dueOn: '2026-11-31' }), 400, 'followUp.dueOn'],
      ['no title', () => ({ title: '' }), 400, 'followUp.title'],
    ])('a bad follow-up (%s) records neither the activity nor the task', async (_case, change, status, field) => {
      const before = { activities: await count(t.database, 'activities'), tasks: await count(t.database, 'tasks') };
      const followUp = { title: 'Følg op', dueOn: '2026-12-07', ...change() };
      for (const url of [`/engagements/${engagementId}/activities`, `/companies/${cvrs[5]}/activities`]) {
        const response = await adviser.post(url, { ...activity, followUp });
        expect(problem(response).status).toBe(status);
        expect(fieldsOf(response)).toEqual([field]);
      }
      expect({ activities: await count(t.database, 'activities'), tasks: await count(t.database, 'tasks') }).toEqual(before);
    });

    it('a task that fails inside the transaction takes the activity with it', async () => {
      const before = { activities: await count(t.database, 'activities'), tasks: await count(t.database, 'tasks') };
      // The assignee passes the check, then is made unable to take the task before it is written.
      await t.database.db.execute(sql`CREATE FUNCTION kp_test_refuse_task() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
      await t.database.db.execute(sql`CREATE TRIGGER kp_test_refuse_task BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION kp_test_refuse_task()`);
      try {
        const response = await adviser.post(`/engagements/${engagementId}/activities`, { ...activity, followUp: { title: 'Følg op', dueOn: '2026-12-07' } });
        expect(response.statusCode).toBe(500);
      } finally {
        await t.database.db.execute(sql`DROP TRIGGER kp_test_refuse_task ON tasks`);
        await t.database.db.execute(sql`DROP FUNCTION kp_test_refuse_task()`);
      }
      expect({ activities: await count(t.database, 'activities'), tasks: await count(t.database, 'tasks') }).toEqual(before);
    });
  });
});
