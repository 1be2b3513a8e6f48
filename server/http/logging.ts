/**
 * What the server logs, and what it never logs. Lines are JSON (pino, through Fastify) on stdout, one
 * object per line, each request's lines carrying its `requestId`: the same id the answer's
 * `x-request-id` header and every problem+json body show, so a user's screenshot finds the line.
 *
 * Personal data stays out: a request is logged by its method and route pattern (a path without its
 * query string when no route matched), never by its query, body, headers or client address; an error
 * by its type, code and stack frames, with the SQL parameters and the values PostgreSQL quotes left out.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

/** Where log lines go; by default stdout. Tests pass a stream of their own to read the lines. */
export interface LogDestination {
  write(line: string): void;
}

// A proxy's id (a UUID, nginx's $request_id, a ULID, an AWS trace id) passes; anything longer, or with
// characters that could forge a log line or a header, is replaced by a fresh UUID.
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/;

/** The request's id: the caller's `x-request-id` when it is a sane value, else a new UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The path of a URL without its query string (searches put names, e-mails and CVR numbers there). */
export const pathOf = (url: string) => url.split('?', 1)[0]!;

function requestForLog(request: FastifyRequest) {
  const route = request.routeOptions?.url;
  return route ? { method: request.method, route } : { method: request.method, url: pathOf(request.url ?? '') };
}

function replyForLog(reply: Pick<FastifyReply, 'statusCode'>) {
  return { statusCode: reply.statusCode };
}

// Five digits or capitals with a digit among them (22P02, 23505, XX000); Node's own codes (EPIPE) have none.
const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  code?: string;
  sqlState?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
  query?: string;
  stack: string;
  cause?: LoggedError;
}

/**
 * An error as it may be logged. A database error is known by its SQLSTATE: its `detail` ("Key
 * (email)=(…) already exists") is dropped, and so is the message of a data exception (class 22),
 * which quotes the refused value; other PostgreSQL messages name only tables and constraints.
 * Drizzle's wrapper keeps its SQL text (placeholders, no values) and loses its `params`. The stack keeps
 * only its frames, since its first line repeats the message.
 */
export function errorForLog(error: unknown, depth = 0): LoggedError {
  if (error === null || typeof error !== 'object') return { type: typeof error, message: '', stack: '' };
  const e = error as Record<string, unknown> & { constructor?: { name?: string } };
  const type = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (e.constructor?.name ?? 'Error');
  const text = (key: string) => (typeof e[key] === 'string' ? (e[key] as string) : undefined);
  const code = text('code');
  const out: LoggedError = { type, message: '', stack: '' };
  const sqlState = code && SQLSTATE.test(code) ? code : undefined;
  if (sqlState) {
    out.sqlState = sqlState;
    out.message = sqlState.startsWith('22') ? '(not logged: it quotes the refused value)' : (text('message') ?? '');
    for (const key of ['table', 'column', 'constraint', 'routine'] as const) if (text(key)) out[key] = text(key);
  } else if (typeof e.query === 'string' && 'params' in e) {
    out.message = 'Failed query';
    out.query = e.query;
  } else {
    out.message = text('message') ?? '';
    if (code) out.code = code;
  }
  out.stack = (text('stack') ?? '').split('\n').filter((line) => /^\s+at /.test(line)).join('\n');
  if (e.cause !== undefined && e.cause !== error && depth < 5) out.cause = errorForLog(e.cause, depth + 1);
  return out;
}

/** Fastify's logger and request-id options: JSON lines at `info`, or nothing when `destination` is false. */
export function loggingOptions(destination: LogDestination | boolean | undefined): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController'> {
  return {
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    logger: destination
      ? {
          level: 'info',
          ...(typeof destination === 'object' ? { stream: destination } : {}),
          serializers: { req: requestForLog, res: replyForLog, err: errorForLog },
        }
      : false,
  };
}
