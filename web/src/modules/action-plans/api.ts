import { useQuery } from '@tanstack/react-query';
import { qs, request } from '../../shared/api.ts';
import type {
  ActionPlan,
  ActionPlanChange,
  ActionPlanPage,
  AssessmentChange,
  InitiativeChange,
  LinkTargets,
  MilestoneChange,
  NewActionPlan,
  NewInitiative,
  NewLink,
  NewMilestone,
} from '#server/modules/action-plans/schemas.ts';

export type { ActionPlan, ActionPlanSummary, AssessmentChange, Initiative, Milestone, PlanLink } from '#server/modules/action-plans/schemas.ts';

export const INITIATIVE_STATUSES = ['planned', 'running', 'done', 'dropped'] as const;
export const ASSESSMENTS = ['on_track', 'at_risk', 'off_track'] as const;
export const LINK_KINDS = ['engagement', 'event', 'offer', 'referral'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const ACTION_PLANS_KEY = ['action-plans'] as const;

const enc = encodeURIComponent;
const plan = (id: string) => `/action-plans/${enc(id)}`;
const initiative = (id: string, initiativeId: string) => `${plan(id)}/initiatives/${enc(initiativeId)}`;

export const actionPlansApi = {
  list: () => request<ActionPlanPage>('GET', '/action-plans?pageSize=100'),
  get: (id: string) => request<ActionPlan>('GET', plan(id)),
  create: (body: NewActionPlan) => request<ActionPlan>('POST', '/action-plans', body),
  change: (id: string, body: ActionPlanChange) => request<ActionPlan>('PATCH', plan(id), body),
  remove: (id: string) => request<void>('DELETE', plan(id)),
  addInitiative: (id: string, body: NewInitiative) => request<ActionPlan>('POST', `${plan(id)}/initiatives`, body),
  changeInitiative: (id: string, initiativeId: string, body: InitiativeChange) => request<ActionPlan>('PATCH', initiative(id, initiativeId), body),
  removeInitiative: (id: string, initiativeId: string) => request<ActionPlan>('DELETE', initiative(id, initiativeId)),
  assess: (id: string, initiativeId: string, body: AssessmentChange) => request<ActionPlan>('POST', `${initiative(id, initiativeId)}/assessment`, body),
  addMilestone: (id: string, initiativeId: string, body: NewMilestone) => request<ActionPlan>('POST', `${initiative(id, initiativeId)}/milestones`, body),
  changeMilestone: (id: string, initiativeId: string, milestoneId: string, body: MilestoneChange) =>
    request<ActionPlan>('PATCH', `${initiative(id, initiativeId)}/milestones/${enc(milestoneId)}`, body),
  removeMilestone: (id: string, initiativeId: string, milestoneId: string) => request<ActionPlan>('DELETE', `${initiative(id, initiativeId)}/milestones/${enc(milestoneId)}`),
  addLink: (id: string, initiativeId: string, body: NewLink) => request<ActionPlan>('POST', `${initiative(id, initiativeId)}/links`, body),
  removeLink: (id: string, initiativeId: string, linkId: string) => request<ActionPlan>('DELETE', `${initiative(id, initiativeId)}/links/${enc(linkId)}`),
  linkTargets: (kind: LinkKind, q: string) => request<LinkTargets>('GET', `/action-plans/link-targets${qs({ kind, q })}`),
};

export const exportUrl = (id: string, format: 'docx' | 'pdf') => `/api/v1${plan(id)}/export?format=${format}`;

export function useActionPlans() {
  return useQuery({ queryKey: ACTION_PLANS_KEY, queryFn: actionPlansApi.list });
}

export function useActionPlan(id: string | undefined) {
  return useQuery({ queryKey: [...ACTION_PLANS_KEY, id], queryFn: () => actionPlansApi.get(id!), enabled: !!id });
}

/** Lines of a textarea as a list: one item a line, blank lines dropped. */
export const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** A field error keyed by the field, whatever item of a list it names (`objectives.2` → `objectives`). */
export function byField(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) out[field.split('.')[0]!] ??= message;
  return out;
}
