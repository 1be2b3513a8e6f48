/** Activities (meetings, calls, notes …) on an engagement or a company: API calls, with the server's own shapes. */
import { request } from '../../shared/api.ts';
import type { ActivityType, CreatedActivity, NewActivity } from '#server/modules/activities/schemas.ts';

export type { Activity, ActivityType, CreatedActivity, NewActivity } from '#server/modules/activities/schemas.ts';

/** The activity types in the order the form offers them. */
export const ACTIVITY_TYPES = ['meeting', 'call', 'mail', 'event', 'note'] as const satisfies readonly ActivityType[];

export const activitiesApi = {
  addToEngagement: (engagementId: string, body: NewActivity) => request<CreatedActivity>('POST', `/engagements/${encodeURIComponent(engagementId)}/activities`, body),
  addToCompany: (cvr: string, body: NewActivity) => request<CreatedActivity>('POST', `/companies/${encodeURIComponent(cvr)}/activities`, body),
};
