/** "Mit arbejde": the API call, with the server's own shape. */
import { request } from '../../shared/api.ts';
import type { MyWork } from '#server/modules/work/schemas.ts';

export type { MyCounts, MyWork, WorkItem } from '#server/modules/work/schemas.ts';

export const workApi = {
  myWork: () => request<MyWork>('GET', '/me/work'),
};
