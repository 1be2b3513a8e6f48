import { getCurrentLang } from './i18n.tsx';

/** The server's own shapes (type imports only: nothing of the server reaches the browser). */
import type { Session } from '#server/modules/auth/schemas.ts';
import type { ManagedUser, NewUser, Role, User, UserChange } from '#server/modules/users/schemas.ts';

export type { Abilities, Session } from '#server/modules/auth/schemas.ts';
export type { ManagedUser, Role, User } from '#server/modules/users/schemas.ts';

export interface Organisation {
  id: string;
  name: string;
  type: string;
  municipalityCode?: number | null;
  parentId?: string | null;
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

export interface Theme {
  key: string;
  name: string;
}

export interface Colleague {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface DeliveryCategory {
  id: string;
  key: string;
  name: string;
  confidential: boolean;
}

export type EngagementLevel = 'basic' | 'specialised';
export type EngagementStatus = 'open' | 'closed';

export interface Engagement {
  id: string;
  company: { cvr: string; name: string | null } | null;
  prospect: { id: string; personName: string } | null;
  organisation: Ref;
  responsible: Ref;
  level: EngagementLevel;
  deliveryCategory: DeliveryCategory | null;
  themes: string[];
  status: EngagementStatus;
  outcome: string | null;
  openedOn: string;
  closedOn: string | null;
  description: string;
  confidential: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const ACTIVITY_TYPES = ['meeting', 'call', 'mail', 'event', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface Activity {
  id: string;
  engagementId: string | null;
  companyCvr: string | null;
  organisation: Ref;
  user: Ref;
  type: ActivityType;
  occurredOn: string;
  durationMinutes: number | null;
  subject: string;
  notes: string | null;
  contact: Ref | null;
  confidential: boolean;
}

export interface ActivityInput {
  type: ActivityType;
  occurredOn: string;
  durationMinutes?: number;
  subject: string;
  notes?: string;
  contactId?: string;
}

export interface Contact {
  id: string;
  companyCvr: string | null;
  organisation: Ref;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  erased: boolean;
}

export type ConsentPurpose = 'sharing' | 'evaluation';
export type ConsentScope = 'all' | 'named';
export const CONSENT_CHANNELS = ['meeting', 'phone', 'email', 'web', 'letter'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export interface Consent {
  id: string;
  companyCvr: string;
  purpose: ConsentPurpose;
  scope: ConsentScope;
  organisations: Ref[];
  givenByName: string;
  givenByContactId: string | null;
  givenAt: string;
  channel: ConsentChannel;
  recordedByOrganisation: Ref | null;
  expiresAt: string | null;
  withdrawnAt: string | null;
  /** An organisation that withdrew it, or the company itself. */
  withdrawnBy: { via: 'organisation' | 'company'; organisation: Ref | null } | null;
  /** Ticked on the public form; not in force until an adviser of the lead confirms it. */
  awaitingConfirmation: boolean;
  active: boolean;
  /** What the signed-in user may do with it, as the server's policy decided. */
  abilities: { withdraw: boolean };
}

export const REFERRAL_STATUSES = ['sent', 'received', 'accepted', 'declined', 'completed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export interface Referral {
  id: string;
  engagementId: string;
  company: { cvr: string; name: string | null } | null;
  from: Ref;
  to: Ref;
  /** Set when the referral was to an offer (`to` is then the offer's operator). */
  offer: Ref | null;
  reason: string | null;
  needs: string | null;
  contact: { id: string; name: string; email: string | null; phone: string | null } | null;
  withheld: boolean;
  status: ReferralStatus;
  declineReason: string | null;
  feedback: string | null;
  dueAt: string;
  overdue: boolean;
  sentAt: string;
  sentBy: Ref;
  receivedAt: string | null;
  answeredAt: string | null;
  completedAt: string | null;
  version: number;
}

export interface EngagementDetail extends Engagement {
  activities: Activity[];
  referrals: Referral[];
}

export interface TimelineItem {
  kind: 'engagement' | 'activity' | 'referral';
  id: string;
  date: string;
  organisation: Ref;
  title: string;
  detail: string | null;
  engagementId: string | null;
}

export interface MyWork {
  openEngagements: Engagement[];
  referralsWaiting: Referral[];
  overdue: Referral[];
  /** Lists longer than the overview shows. */
  more: { openEngagements: boolean; referralsWaiting: boolean; overdue: boolean };
}

export interface AuditEntry {
  id: string | number;
  at: string;
  user: { id: string; name: string; email: string } | null;
  organisation: Ref | null;
  action: string;
  entity: string;
  entityId: string | null;
  companyCvr: string | null;
  details: unknown;
}

export interface EngagementInput {
  companyCvr?: string;
  prospectId?: string;
  level: EngagementLevel;
  deliveryCategoryId?: string;
  themes: string[];
  description?: string;
  responsibleUserId?: string;
  openedOn?: string;
  confidential?: boolean;
}

export interface EngagementPatch {
  version: number;
  description?: string;
  themes?: string[];
  responsibleUserId?: string;
  deliveryCategoryId?: string | null;
  level?: EngagementLevel;
}

export interface ConsentInput {
  purpose: ConsentPurpose;
  scope: ConsentScope;
  organisationIds?: string[];
  givenByContactId?: string;
  givenByName: string;
  channel: ConsentChannel;
  expiresAt?: string;
}

export interface ReferralInput {
  /** The receiving organisation; or, instead, a published offer, whose operator receives the referral. */
  toOrganisationId?: string;
  toOfferId?: string;
  reason: string;
  needs: string;
  contactId?: string;
  consent?: { givenByName: string; channel: ConsentChannel };
}

export const EFFECT_ANSWERS = ['i høj grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke'] as const;
export type EffectAnswer = (typeof EFFECT_ANSWERS)[number];

export type PublicEvaluationState = 'open' | 'answered' | 'expired' | 'unknown' | 'unsubscribed';

export interface PublicEvaluation {
  state: PublicEvaluationState;
  hub: string | null;
  effectAnswers: string[];
}

export interface EvaluationAnswerInput {
  nps: number;
  effect: string;
  comment?: string;
}

export const EVALUATION_GROUP_BY = ['hub', 'municipality', 'deliveryCategory', 'adviser', 'month'] as const;
export type EvaluationGroupBy = (typeof EVALUATION_GROUP_BY)[number];

export interface EvaluationFilters {
  hub?: string;
  municipality?: string;
  deliveryCategory?: string;
  adviser?: string;
  from?: string;
  to?: string;
  groupBy?: EvaluationGroupBy;
}

export interface EvaluationFigures {
  answers: number;
  npsAnswers: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  npsMarginOfError: number | null;
  effectAnswers: number;
  effectCounts: Record<string, number>;
  effectShare: number | null;
  effectMarginOfError: number | null;
  invitations: number;
  responseRate: number | null;
  npsFulfilment: number | null;
  effectFulfilment: number | null;
}

/**
 * A group's results. A group the server suppressed (disclosure control: everyone but the hub looking
 * at its own results) carries its key and label only: every figure is null.
 */
export type EvaluationResult = { key: string; label: string } & (
  | ({ suppressed: false } & EvaluationFigures)
  | ({ suppressed: true } & { [K in keyof EvaluationFigures]: null })
);

export interface EvaluationResults {
  overall: EvaluationResult;
  groups: EvaluationResult[];
  suppressionLimit: number;
  /** Whether the server answered under disclosure control (it decides; the web only shows it). */
  disclosureControl: boolean;
  /** The period the server answered for: under disclosure control without dates, the latest ended quarter. */
  period: { from: string | null; to: string | null };
  /** The grouping the server answered with: under disclosure control a crossed query is grouped by month. */
  groupBy: EvaluationGroupBy | null;
}

export interface EvaluationComment {
  id: string;
  answeredOn: string;
  nps: number | null;
  effect: string | null;
  comment: string;
  company: { cvr: string; name: string | null } | null;
  engagementId: string | null;
}

export type EvaluationTrigger = 'close' | 'first_meeting';

export interface EvaluationSettings {
  trigger: EvaluationTrigger;
  daysAfterFirstMeeting: number;
  reminderAfterDays: number;
  linkValidDays: number;
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
  createUser: (body: NewUser) =>
    request<ManagedUser>('POST', '/users', body),
  updateUser: (id: string, body: UserChange) =>
    request<ManagedUser>('PATCH', `/users/${encodeURIComponent(id)}`, body),
  themes: () => request<ItemList<Theme>>('GET', '/themes'),
  colleagues: () => request<ItemList<Colleague>>('GET', '/colleagues'),
  deliveryCategories: (organisationId: string) =>
    request<ItemList<DeliveryCategory>>('GET', `/organisations/${encodeURIComponent(organisationId)}/delivery-categories`),
  engagements: (p: { status?: EngagementStatus; responsible?: 'me'; page?: number; pageSize?: number }) =>
    request<Paged<Engagement>>('GET', `/engagements${qs(p)}`),
  engagement: (id: string) => request<EngagementDetail>('GET', `/engagements/${encodeURIComponent(id)}`),
  createEngagement: (body: EngagementInput) => request<Engagement>('POST', '/engagements', body),
  updateEngagement: (id: string, body: EngagementPatch) => request<Engagement>('PATCH', `/engagements/${encodeURIComponent(id)}`, body),
  closeEngagement: (id: string, body: { version: number; outcome: string; closedOn?: string }) =>
    request<Engagement>('POST', `/engagements/${encodeURIComponent(id)}/close`, body),
  addEngagementActivity: (id: string, body: ActivityInput) =>
    request<Activity>('POST', `/engagements/${encodeURIComponent(id)}/activities`, body),
  addCompanyActivity: (cvr: string, body: ActivityInput) =>
    request<Activity>('POST', `/companies/${encodeURIComponent(cvr)}/activities`, body),
  companyEngagements: (cvr: string) => request<ItemList<Engagement>>('GET', `/companies/${encodeURIComponent(cvr)}/engagements`),
  companyTimeline: (cvr: string) => request<ItemList<TimelineItem>>('GET', `/companies/${encodeURIComponent(cvr)}/timeline`),
  contacts: (cvr: string) => request<ItemList<Contact>>('GET', `/companies/${encodeURIComponent(cvr)}/contacts`),
  createContact: (cvr: string, body: { name: string; title?: string; email?: string; phone?: string }) =>
    request<Contact>('POST', `/companies/${encodeURIComponent(cvr)}/contacts`, body),
  consents: (cvr: string) => request<ItemList<Consent>>('GET', `/companies/${encodeURIComponent(cvr)}/consents`),
  createConsent: (cvr: string, body: ConsentInput) => request<Consent>('POST', `/companies/${encodeURIComponent(cvr)}/consents`, body),
  withdrawConsent: (id: string, note?: string) => request<Consent>('POST', `/consents/${encodeURIComponent(id)}/withdraw`, note ? { note } : {}),
  createReferral: (engagementId: string, body: ReferralInput) =>
    request<Referral>('POST', `/engagements/${encodeURIComponent(engagementId)}/referrals`, body),
  referrals: (p: { box: 'inbox' | 'outbox'; status?: ReferralStatus | ''; overdue?: boolean; page?: number }) =>
    request<Paged<Referral>>('GET', `/referrals${qs({ box: p.box, status: p.status, overdue: p.overdue ? 'true' : undefined, page: p.page && p.page > 1 ? p.page : undefined })}`),
  referral: (id: string) => request<Referral>('GET', `/referrals/${encodeURIComponent(id)}`),
  receiveReferral: (id: string, version: number) => request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/receive`, { version }),
  acceptReferral: (id: string, version: number) => request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/accept`, { version }),
  declineReferral: (id: string, version: number, reason: string) =>
    request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/decline`, { version, reason }),
  completeReferral: (id: string, version: number, feedback: string) =>
    request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/complete`, { version, feedback }),
  myWork: () => request<MyWork>('GET', '/me/work'),
  audit: (p: { userId?: string; cvr?: string; from?: string; to?: string; page?: number }) => request<Paged<AuditEntry>>('GET', `/audit${qs(p)}`),
  publicEvaluation: (token: string) => request<PublicEvaluation>('GET', `/public/evaluations/${encodeURIComponent(token)}`),
  answerEvaluation: (token: string, body: EvaluationAnswerInput) =>
    request<{ state: 'answered' }>('POST', `/public/evaluations/${encodeURIComponent(token)}`, body),
  unsubscribeEvaluation: (token: string) =>
    request<{ state: 'unsubscribed' }>('POST', `/public/evaluations/${encodeURIComponent(token)}/unsubscribe`),
  evaluationResults: (f: EvaluationFilters) => request<EvaluationResults>('GET', `/evaluations/results${qs({ ...f })}`),
  evaluationComments: (f: EvaluationFilters & { hub: string }) =>
    request<ItemList<EvaluationComment>>('GET', `/evaluations/comments${qs({ ...f, groupBy: undefined })}`),
  evaluationSettings: (organisationId: string) =>
    request<EvaluationSettings>('GET', `/organisations/${encodeURIComponent(organisationId)}/evaluation-settings`),
  updateEvaluationSettings: (organisationId: string, body: EvaluationSettings) =>
    request<EvaluationSettings>('PUT', `/organisations/${encodeURIComponent(organisationId)}/evaluation-settings`, body),
};

/** Download links for the evaluation results (the browser sends the session cookie). */
export function evaluationExportUrl(format: 'csv' | 'xlsx', f: EvaluationFilters): string {
  return `/api/v1/evaluations/results.${format}${qs({ ...f })}`;
}
