import { useQuery } from '@tanstack/react-query';
import { request } from '../../shared/api.ts';
import type { MatchProject, MatchProjectChange, MatchProjectSummary, NewMatch, NewMatchProject, PartnerCandidate, Progress, RegisteredMatch } from '#server/modules/match-register/schemas.ts';

export type { MatchProject, MatchProjectSummary, Progress, RegisteredMatch } from '#server/modules/match-register/schemas.ts';

export const EDUCATION_LEVELS = ['academy', 'professional_bachelor', 'bachelor', 'master', 'phd', 'other'] as const;
export const REPORT_FORMATS = ['xlsx', 'docx', 'pdf'] as const;
export const MATCH_PROJECTS_KEY = ['match-projects'] as const;

const project = (id: string) => `/match-projects/${encodeURIComponent(id)}`;

export const matchRegisterApi = {
  list: () => request<{ items: MatchProjectSummary[] }>('GET', '/match-projects'),
  get: (id: string) => request<MatchProject>('GET', project(id)),
  create: (body: NewMatchProject) => request<MatchProject>('POST', '/match-projects', body),
  partnerCandidates: () => request<{ items: PartnerCandidate[] }>('GET', '/match-projects/partner-candidates'),
  change: (id: string, body: MatchProjectChange) => request<MatchProject>('PATCH', project(id), body),
  importWorkplaces: (id: string, contentBase64: string) => request<MatchProject>('POST', `${project(id)}/workplaces`, { contentBase64 }),
  progress: (id: string) => request<Progress>('GET', `${project(id)}/progress`),
  matches: (id: string) => request<{ items: RegisteredMatch[] }>('GET', `${project(id)}/matches`),
  register: (id: string, body: NewMatch) => request<RegisteredMatch>('POST', `${project(id)}/matches`, body),
  remove: (id: string, matchId: string) => request<void>('DELETE', `${project(id)}/matches/${encodeURIComponent(matchId)}`),
};

export const reportUrl = (id: string, format: (typeof REPORT_FORMATS)[number]) => `/api/v1${project(id)}/report?format=${format}`;

export function useMatchProjects() {
  return useQuery({ queryKey: MATCH_PROJECTS_KEY, queryFn: matchRegisterApi.list });
}

export function useMatchProject(id: string | undefined) {
  return useQuery({ queryKey: [...MATCH_PROJECTS_KEY, id], queryFn: () => matchRegisterApi.get(id!), enabled: !!id });
}

export function useProgress(id: string | undefined) {
  return useQuery({ queryKey: [...MATCH_PROJECTS_KEY, id, 'progress'], queryFn: () => matchRegisterApi.progress(id!), enabled: !!id });
}

export function useOwnMatches(id: string | undefined) {
  return useQuery({ queryKey: [...MATCH_PROJECTS_KEY, id, 'matches'], queryFn: () => matchRegisterApi.matches(id!), enabled: !!id });
}

/** A file's bytes as base64, so a Windows-1252 export arrives at the server untouched. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
