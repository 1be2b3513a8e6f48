import { request, type CodeName } from '../../shared/api.ts';

export interface CompanyLookup {
  cvr: string;
  name: string;
  municipality: CodeName | null;
}

export interface SelfAssessmentResult {
  key: 'digital' | 'export' | 'green';
  title: string;
  level: string;
  score: number;
  maxScore: number;
  explanation: string;
  answers: Record<string, number>;
}

export interface GuidanceRequestInput {
  cvr?: string;
  noCvr?: boolean;
  companyName?: string;
  municipalityCode?: number;
  contact: { name: string; email: string; phone?: string };
  need: string;
  themes: string[];
  consents: { sharing: boolean; evaluation: boolean };
  /** Only the answers: the server scores them itself. */
  selfAssessment?: Pick<SelfAssessmentResult, 'key' | 'answers'>;
  offerId?: string;
  website?: string;
}

export interface GuidanceReceipt {
  id: string;
  receivedAt: string;
  organisation: { name: string };
  dueAt: string;
}

export const guidanceApi = {
  company: (cvr: string) => request<CompanyLookup>('GET', `/public/companies/${encodeURIComponent(cvr)}`),
  submit: (input: GuidanceRequestInput, idempotencyKey: string) =>
    request<GuidanceReceipt>('POST', '/public/guidance-requests', input, { 'Idempotency-Key': idempotencyKey }),
};

/** One key per form fill, so that a retry or a double click never creates a second request. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a plain-http intranet address still needs a key.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Where the self-assessment module leaves its latest result for this form. */
export const SELF_ASSESSMENT_STORAGE_KEY = 'kp.selfAssessment';

function isSelfAssessment(v: unknown): v is SelfAssessmentResult {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.key === 'string' && typeof o.title === 'string' && typeof o.level === 'string';
}

export function readSelfAssessment(): SelfAssessmentResult | null {
  try {
    const raw = sessionStorage.getItem(SELF_ASSESSMENT_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isSelfAssessment(parsed) ? parsed : null;
  } catch {
    // Storage disabled or a corrupt value: the form simply has no result to send.
    return null;
  }
}

export function clearSelfAssessment(): void {
  try {
    sessionStorage.removeItem(SELF_ASSESSMENT_STORAGE_KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
}
