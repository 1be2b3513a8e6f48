/** Follow-up tasks (opgaver): API calls, with the server's own shapes. */
import { useQuery } from '@tanstack/react-query';
import { qs, request, type ItemList, type Ref } from '../../shared/api.ts';
import type { NewTask, Task, TaskChange, TaskListQuery, TaskPage } from '#server/modules/tasks/schemas.ts';

export type { FollowUp, NewTask, Task, TaskChange, TaskPage, TaskStatus } from '#server/modules/tasks/schemas.ts';

const path = (id: string) => `/tasks/${encodeURIComponent(id)}`;

export const tasksApi = {
  list: (query: Omit<TaskListQuery, 'page' | 'pageSize'> & { page?: number; pageSize?: number }) => request<TaskPage>('GET', `/tasks${qs(query)}`),
  create: (body: NewTask) => request<Task>('POST', '/tasks', body),
  change: (id: string, body: TaskChange) => request<Task>('PATCH', path(id), body),
  assignees: (engagementId?: string) => request<ItemList<Ref>>('GET', `/tasks/assignees${qs({ engagementId })}`),
};

/**
 * The query keys a change to tasks touches: every task list, "Mit arbejde" and the menu's counts
 * (invalidate them all after creating, changing or completing a task).
 */
export const TASK_KEYS = [['tasks'], ['my-work'], ['me', 'counts']] as const;

/** Whom a task may be given to (names only), for a task on `engagementId` (the EW team only for an Early Warning one) or on a company. */
export function useAssignees(engagementId?: string, enabled = true) {
  return useQuery({
    queryKey: ['tasks', 'assignees', engagementId ?? null],
    queryFn: async () => (await tasksApi.assignees(engagementId)).items,
    staleTime: 5 * 60_000,
    enabled,
  });
}
