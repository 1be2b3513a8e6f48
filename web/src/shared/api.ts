import { getCurrentLang } from './i18n.tsx';

/** The server's own shapes (type imports only: nothing of the server reaches the browser). */
export type { Abilities, Session } from '#server/modules/auth/schemas.ts';
export type { User } from '#server/modules/users/schemas.ts';
import type { ProblemDocument } from '#server/http/openapi.ts';

export interface Ref {
  id: string;
  name: string;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize?: number;
  hasMore: boolean;
}

export interface ItemList<T> {
  items: T[];
}

export type FieldError = NonNullable<ProblemDocument['errors']>[number];

/** The server's problem document; a network failure has a status and a detail only. */
export type Problem = Partial<ProblemDocument> & Pick<ProblemDocument, 'status'>;

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field messages keyed by field name. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      if (e.field && !(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API request (other than the session check and login) answers 401. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': getCurrentLang(),
    ...extraHeaders,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'Network error', detail: getCurrentLang() === 'da' ? 'Kunne ikke kontakte serveren.' : 'Could not reach the server.' });
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const p = (data && typeof data === 'object' ? data : {}) as Partial<Problem>;
    const problem: Problem = {
      type: p.type,
      title: p.title ?? res.statusText,
      status: typeof p.status === 'number' ? p.status : res.status,
      detail: p.detail ?? p.title ?? res.statusText,
      errors: Array.isArray(p.errors) ? p.errors : undefined,
      requestId: typeof p.requestId === 'string' ? p.requestId : (res.headers.get('x-request-id') ?? undefined),
    };
    if (res.status === 401 && !path.startsWith('/auth/')) unauthorizedHandler?.();
    throw new ApiError(problem);
  }
  return data as T;
}

/** `?a=1&b=x` from the parameters that have a value (undefined, null and '' are left out); '' when none has. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}
