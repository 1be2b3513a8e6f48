import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createTestDatabase } from '../test/helpers.ts';
import { errorForLog } from './logging.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Personal data a request might carry: in the query string, and as a value handed to PostgreSQL.
const EMAIL = 'anna.hansen@example.dk';
const NAME = 'Anna Hansen';

/**
 * The request id and the log: every answer names its request (header and problem+json), and the log
 * line of an unexpected 500 carries that id but no query string, SQL parameter or quoted value.
 * The real app and error handler on PGlite, with a log destination that keeps the lines.
 */
describe('request ids and logs', () => {
  let database: Database;
  let app: FastifyInstance;
  let lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({
      database,
      config: loadConfig({}),
      webRoot: null,
      logger: { write: (line: string) => { raw.push(line); lines.push(JSON.parse(line) as Record<string, unknown>); } },
    });
    // Routes with the faults a real route could have: a bug, a query PostgreSQL rejects, and values it cannot hold.
    const route = (url: string, handler: () => Promise<unknown>) => app.get(url, { config: { public: true } }, handler);
    route('/api/test/bug', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'name')");
    });
    route('/api/test/broken-query', async () => database.rows(sql`SELECT ${EMAIL}::text AS email, ${NAME}::text FROM no_such_table`));
    route('/api/test/unique', async () => database.rows(sql`INSERT INTO organisations (key, name, type) SELECT key, ${NAME}, type FROM organisations LIMIT 1`));
    route('/api/test/22P02', async () => database.rows(sql`SELECT ${EMAIL}::uuid AS id`));
    route('/api/test/22007', async () => database.rows(sql`SELECT ${NAME}::date AS d`));
    route('/api/test/22008', async () => database.db.transaction((tx) => tx.execute(sql`SELECT ${'2026-02-30'}::date AS d`)));
    route('/api/test/22003', async () => database.rows(sql`SELECT ${'99999999999'}::int4 AS n`));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });
  beforeEach(() => {
    lines = [];
    raw.length = 0;
  });

  describe('the request id', () => {
    it('is a fresh UUID when the caller sends none, in the header and the problem body of a 404', async () => {
      const first = await app.inject({ url: '/api/v1/no-such-thing' });
      const second = await app.inject({ url: '/api/v1/no-such-thing' });
      expect(first.statusCode).toBe(404);
      const id = first.headers['x-request-id'] as string;
      expect(id).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).not.toBe(id);
      expect(first.json()).toMatchObject({ status: 404, requestId: id });
    });

    it('is the caller’s x-request-id when that is a sane value, echoed on success and on a 400', async () => {
      const health = await app.inject({ url: '/api/health', headers: { 'x-request-id': 'edge-7f3a9c21' } });
      expect(health.statusCode).toBe(200);
      expect(health.headers['x-request-id']).toBe('edge-7f3a9c21');

      const invalid = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'not an address' }, headers: { 'x-request-id': '3b241101-e2bb-4255-8caf-4136c566a962' } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.headers['x-request-id']).toBe('3b241101-e2bb-4255-8caf-4136c566a962');
      expect(invalid.json()).toMatchObject({ status: 400, errors: expect.any(Array), requestId: '3b241101-e2bb-4255-8caf-4136c566a962' });
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with characters that could forge a log line', 'abc"} {"level":60'],
      ['with an e-mail address', EMAIL],
      ['empty', ''],
    ])('is replaced by a fresh UUID when the given one is %s', async (_, given) => {
      const response = await app.inject({ url: '/api/v1/no-such-thing', headers: { 'x-request-id': given } });
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.json().requestId).toBe(response.headers['x-request-id']);
    });
  });

  describe('an unexpected error', () => {
    it('answers a generic 500 problem naming the request, and logs it with that id, the route and no query string', async () => {
      const response = await app.inject({ url: `/api/test/bug?email=${encodeURIComponent(EMAIL)}&name=${encodeURIComponent(NAME)}`, headers: { 'accept-language': 'en' } });
      const id = response.headers['x-request-id'] as string;
      expect(response.json()).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred. Please try again later.', requestId: id });
      expect(response.body).not.toContain('Cannot read');

      const logged = linesOf(id);
      const failure = logged.find((l) => l.msg === 'unhandled error');
      expect(failure).toMatchObject({ level: 50, requestId: id, method: 'GET', route: '/api/test/bug', err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'name')", stack: expect.stringContaining(' at ') } });
      // The request's own lines: where it came in and how it ended, by route.
      expect(logged.find((l) => l.msg === 'incoming request')).toMatchObject({ req: { method: 'GET', route: '/api/test/bug' } });
      expect(logged.find((l) => l.msg === 'request completed')).toMatchObject({ res: { statusCode: 500 } });
      const text = raw.join('');
      for (const secret of ['anna', 'Anna', 'email=', '?', 'example.dk']) expect(text).not.toContain(secret);
    });

    it('logs a path without its query when no route matched', async () => {
      const response = await app.inject({ url: `/api/v1/no-such-thing?q=${encodeURIComponent(EMAIL)}` });
      expect(linesOf(response.headers['x-request-id'] as string).find((l) => l.msg === 'incoming request')).toMatchObject({ req: { method: 'GET', url: '/api/v1/no-such-thing' } });
      expect(raw.join('')).not.toContain('anna');
    });

    it.each([
      ['a query PostgreSQL rejects', '/api/test/broken-query', '42P01'],
      ['a unique violation no route expected', '/api/test/unique', '23505'],
    ])('answers %s with a generic 500 and logs its SQLSTATE, not its SQL parameters or detail', async (_, url, sqlState) => {
      const response = await app.inject({ url, headers: { 'accept-language': 'da' } });
      const id = response.headers['x-request-id'] as string;
      expect(response.json()).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Der opstod en uventet fejl. Prøv igen senere.', requestId: id });
      expect(response.body).not.toMatch(/select|insert|organisations|no_such_table|anna/i);
      const failure = linesOf(id).find((l) => l.msg === 'unhandled error') as { err: { message: string; query?: string; cause?: { sqlState?: string } } } | undefined;
      expect(failure?.err).toMatchObject({ message: 'Failed query', query: expect.stringMatching(/^(select|insert)/i), cause: { sqlState } });
      const text = raw.join('');
      expect(text).not.toContain('anna');
      expect(text).not.toContain('Anna');
      expect(text).not.toContain('Key (');
    });
  });

  describe('a value PostgreSQL cannot hold', () => {
    it.each([
      ['22P02', 'text that is not a uuid'],
      ['22007', 'text that is not a date'],
      ['22008', 'a date that does not exist'],
      ['22003', 'a number beyond int4'],
    ])('(%s, %s) is a generic 400 problem with the request id, without SQL, logged by its SQLSTATE only', async (code) => {
      const response = await app.inject({ url: `/api/test/${code}`, headers: { 'accept-language': 'en' } });
      const id = response.headers['x-request-id'] as string;
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'A value in the request is out of range or has an invalid format.', requestId: id });
      // The request id is random hex and may hold e.g. "22779": the rest of the answer is what must not tell.
      expect(response.body.replace(id, '')).not.toMatch(/select|uuid|date|int4|::|anna|2026-02-30|99999999999|22\d\d\d/i);
      expect(linesOf(id).find((l) => l.msg === 'database refused a request value')).toMatchObject({ level: 50, sqlState: code, route: `/api/test/${code}` });
      expect(raw.join('')).not.toMatch(/anna|2026-02-30|99999999999/i);
    });
  });

  describe('errorForLog', () => {
    it('keeps the SQL text of a failed Drizzle query and drops its parameters and the value PostgreSQL quotes', async () => {
      const error = await database.rows(sql`SELECT ${EMAIL}::uuid`).catch((e: unknown) => e);
      const logged = errorForLog(error);
      expect(logged).toMatchObject({ message: 'Failed query', query: expect.stringContaining('$1::uuid'), cause: { sqlState: '22P02' } });
      expect(JSON.stringify(logged)).not.toContain('anna');
    });

    it('keeps the message, code and stack frames of any other error, and follows its causes', () => {
      const error = new Error('outer', { cause: Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) });
      const logged = errorForLog(error);
      expect(logged).toMatchObject({ type: 'Error', message: 'outer', cause: { message: 'write EPIPE', code: 'EPIPE' } });
      expect(logged.stack?.split('\n').every((line) => /^\s+at /.test(line))).toBe(true);
      const loop: Error & { cause?: unknown } = new Error('loop');
      loop.cause = loop;
      expect(errorForLog(loop)).toEqual(expect.objectContaining({ message: 'loop' }));
      expect(errorForLog('a string')).toMatchObject({ type: 'string', message: '' });
    });
  });
});
