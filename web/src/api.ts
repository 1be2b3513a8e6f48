import { getCurrentLang } from './i18n.tsx';

export type Role = 'adviser' | 'manager' | 'admin' | 'reader';

export interface Organisation {
  id: string;
  name: string;
  type: string;
  municipalityCode?: number | null;
  parentId?: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  earlyWarning: boolean;
  systemAdmin: boolean;
  organisation: Pick<Organisation, 'id' | 'name' | 'type'>;
}

export interface ManagedUser extends User {
  active: boolean;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface Municipality {
  code: number;
  name: string;
  region?: string;
  kkr?: string;
  hub?: string;
}

export interface CodeName {
  code: number;
  name: string;
}

export interface Industry {
  code: string | number;
  text: string;
}

export interface CompanySummary {
  cvr: string;
  name: string;
  municipality: CodeName | null;
  industry: Industry | null;
  status: string | null;
  employees: number | null;
  advertisingProtected: boolean;
  city: string | null;
  postalCode: string | null;
}

export interface CompanySearchResult {
  items: CompanySummary[];
  page: number;
  pageSize: number;
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
}

export interface ProductionUnit {
  pNumber: string;
  validFrom: string | null;
  validTo: string | null;
  active: boolean;
}

export interface Company {
  cvr: string;
  name: string;
  secondaryNames: string[];
  companyForm: { code: string | number; short: string; long: string } | null;
  address: { text: string; street?: string; postalCode?: string; city?: string } | null;
  municipality: CodeName | null;
  industry: Industry | null;
  status: string | null;
  foundedOn: string | null;
  employees: { count: number | null; interval: string | null; period: string | null } | null;
  advertisingProtected: boolean;
  productionUnits: ProductionUnit[];
  source: 'cvr' | 'manual';
  updatedAt: string | null;
}

export interface Prospect {
  id: string;
  personName: string;
  plannedName: string | null;
  municipality: CodeName | null;
  description: string | null;
  companyCvr: string | null;
  createdAt: string;
}

export interface ItemList<T> {
  items: T[];
}

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

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

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': getCurrentLang(),
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
    };
    if (res.status === 401 && !path.startsWith('/auth/')) unauthorizedHandler?.();
    throw new ApiError(problem);
  }
  return data as T;
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export const api = {
  getSession: async (): Promise<Session | null> => {
    try {
      return await request<Session>('GET', '/auth/session');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: (email: string, password: string) => request<Session>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  municipalities: () => request<ItemList<Municipality>>('GET', '/municipalities'),
  organisations: () => request<ItemList<Organisation>>('GET', '/organisations'),
  searchCompanies: (p: { q?: string; municipality?: string; industry?: string; page?: number; pageSize?: number }) =>
    request<CompanySearchResult>('GET', `/companies${qs(p)}`),
  company: (cvr: string) => request<Company>('GET', `/companies/${encodeURIComponent(cvr)}`),
  prospects: () => request<ItemList<Prospect>>('GET', '/prospects'),
  createProspect: (body: { personName: string; plannedName?: string; municipalityCode?: number; description?: string }) =>
    request<Prospect>('POST', '/prospects', body),
  linkProspect: (id: string, cvr: string) => request<Prospect>('POST', `/prospects/${encodeURIComponent(id)}/link`, { cvr }),
  users: () => request<ItemList<ManagedUser>>('GET', '/users'),
  createUser: (body: { email: string; name: string; role: Role; earlyWarning?: boolean; organisationId?: string; password: string }) =>
    request<ManagedUser>('POST', '/users', body),
  updateUser: (id: string, body: { name?: string; role?: Role; earlyWarning?: boolean; active?: boolean }) =>
    request<ManagedUser>('PATCH', `/users/${encodeURIComponent(id)}`, body),
};
