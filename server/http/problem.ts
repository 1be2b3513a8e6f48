import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { pickLanguage, translate, hasMessage, type Lang } from './i18n.ts';
import { pathOf } from './logging.ts';
import { recordParamsOf } from '../lib/ids.ts';

export interface FieldError {
  field: string;
  message: string;
}

interface FieldIssue {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** An error a route throws on purpose; rendered as application/problem+json in the caller's language. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly fieldIssues: FieldIssue[] = [],
  ) {
    super(key);
  }
}

export const notFound = (key = 'problem.404', params?: Record<string, string | number>) => new HttpProblem(404, key, params);
export const forbidden = () => new HttpProblem(403, 'problem.403');
export const conflict = (key: string, params?: Record<string, string | number>) => new HttpProblem(409, key, params);
export const fieldProblem = (field: string, key: string, params?: Record<string, string | number>) =>
  new HttpProblem(400, 'validation.failed', {}, [{ field, key, params }]);

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, lang: Lang, status: number, key: string, params: Record<string, string | number> = {}, fieldIssues: FieldIssue[] = []) {
  const errors: FieldError[] = fieldIssues.map((i) => ({ field: i.field, message: translate(lang, i.key, i.params) }));
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .header('content-language', lang)
    .send({
      type: 'about:blank',
      title: titles[status] ?? 'Error',
      status,
      detail: translate(lang, hasMessage(key) ? key : `problem.${status}`, params),
      ...(errors.length ? { errors } : {}),
      // The request's id, also in the x-request-id header and on its log lines.
      requestId: String(reply.request.id),
    });
}

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
  values?: unknown[];
  keys?: string[];
}

/** Maps a Zod issue to one of our translated messages; custom refinements carry a message key. */
function issueToField(prefix: string, issue: ZodLikeIssue): FieldIssue {
  const field = issue.path.length ? issue.path.map(String).join('.') : prefix;
  // Our schemas put a message key on refinements and formats they care about.
  if (hasMessage(issue.message)) return { field, key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? { field, key: 'required' } : { field, key: 'invalidType', params: { expected: String(issue.expected) } };
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return { field, key: 'required' };
      return { field, key: issue.origin === 'string' ? 'tooShort' : 'tooSmall', params: { minimum: Number(issue.minimum) } };
    case 'too_big':
      return { field, key: issue.origin === 'string' ? 'tooLong' : 'tooBig', params: { maximum: Number(issue.maximum) } };
    case 'invalid_format':
      return { field, key: issue.format === 'email' ? 'invalidEmail' : 'invalidFormat' };
    case 'invalid_value':
      return { field, key: 'invalidOption', params: { options: (issue.values ?? []).map(String).join(', ') } };
    case 'unrecognized_keys':
      return { field, key: 'unknownField', params: { keys: (issue.keys ?? []).join(', ') } };
    default:
      return { field, key: 'invalidFormat' };
  }
}

// Values PostgreSQL cannot hold: a number out of range, text that is not a number/uuid/date, a
// date or time out of range. Other data exceptions (division by zero, …) are the server's fault: 500.
const DATA_EXCEPTION = /^(22003|22P02|22007|22008|22001)$/;

/**
 * The PostgreSQL data exception (SQLSTATE class 22: a value out of range or malformed for its type)
 * behind an error, or null. node-postgres (pg's DatabaseError) and PGlite both put the SQLSTATE in
 * `code`; Drizzle wraps either in a DrizzleQueryError whose `cause` it is, so the cause chain is
 * followed. Node's own error codes (EPIPE, ECONNRESET) never start with digits.
 */
export function dataExceptionOf(error: unknown): { code: string; message: string } | null {
  const seen = new Set<unknown>();
  for (let e = error; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && DATA_EXCEPTION.test(code)) return { code, message: typeof message === 'string' ? message : '' };
  }
  return null;
}

/**
 * A 404 about a record the route's path names (declared with `recordId`, lib/ids.ts), with the id asked
 * for: a path id that is no UUID (it names no record), or a route's own 404 under that parameter's key
 * that does not name the id yet. Null for any other error.
 */
function recordNotFound(request: FastifyRequest, error: FastifyError): { key: string; params: Record<string, string | number> } | null {
  const declared = recordParamsOf(request.routeOptions.schema?.params);
  if (!declared.length) return null;
  const given = (request.params ?? {}) as Record<string, unknown>;
  if (hasZodFastifySchemaValidationErrors(error) && error.validationContext === 'params') {
    const malformed = declared.find((p) => !p.schema.safeParse(given[p.name]).success);
    return malformed ? { key: malformed.notFoundKey, params: { id: String(given[malformed.name]) } } : null;
  }
  if (error instanceof HttpProblem && error.status === 404 && error.params.id === undefined) {
    const named = declared.find((p) => p.notFoundKey === error.key);
    return named ? { key: error.key, params: { ...error.params, id: String(given[named.name]) } } : null;
  }
  return null;
}

export function problemErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const lang = pickLanguage(request.headers['accept-language']);
  const missing = recordNotFound(request, error);
  if (missing) return sendProblem(reply, lang, 404, missing.key, missing.params);
  if (error instanceof HttpProblem) {
    return sendProblem(reply, lang, error.status, error.key, error.params, error.fieldIssues);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) =>
      issueToField(String(error.validationContext ?? 'body'), {
        ...(v.params as object),
        code: v.keyword,
        message: v.message ?? '',
        path: v.instancePath.split('/').filter(Boolean),
      } as ZodLikeIssue),
    );
    return sendProblem(reply, lang, 400, 'validation.failed', {}, issues);
  }
  const dataException = dataExceptionOf(error);
  if (dataException) {
    // PostgreSQL refused a value the route's schema let through (a number beyond int4, a date it has
    // no room for): the request is at fault, so 400, not 500. It also means a schema lacks a bound,
    // hence logged as an error; the SQL and its parameters stay out of the log and the answer.
    // The driver's message quotes the refused value, which may be personal data: only the code is logged.
    request.log.error({ sqlState: dataException.code, method: request.method, route: request.routeOptions.url ?? pathOf(request.url) }, 'database refused a request value');
    return sendProblem(reply, lang, 400, 'problem.dataException');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const key = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'validation.invalidJson' : `problem.${status}`;
    return sendProblem(reply, lang, status, key);
  }
  // Logged in every mode, by route and not by URL (a query string may carry names and e-mails); the
  // logger's error serialiser (http/logging.ts) leaves SQL parameters and quoted values out.
  request.log.error({ err: error, method: request.method, route: request.routeOptions.url ?? pathOf(request.url) }, 'unhandled error');
  return sendProblem(reply, lang, 500, 'problem.500');
}
