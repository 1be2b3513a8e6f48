/** Referrals (henvisninger) between organisations: API calls, with the server's own shapes. */
import { qs, request } from '../../shared/api.ts';
import type {
  NewReferral,
  Referral,
  ReferralBox,
  ReferralPage,
  ReferralReceivers,
  ReferralSort,
  ReferralStatus,
  SortDirection,
} from '#server/modules/referrals/schemas.ts';

export type {
  NewReferral,
  Referral,
  ReferralAbilities,
  ReferralBox,
  ReferralReceiver,
  ReferralSort,
  ReferralStatus,
  SortDirection,
} from '#server/modules/referrals/schemas.ts';

/** The statuses in the order a referral passes them (the filter's options). */
export const REFERRAL_STATUSES = ['sent', 'received', 'accepted', 'declined', 'completed'] as const satisfies readonly ReferralStatus[];

/** The columns the list sorts by (GET /referrals?sort=…). */
export const REFERRAL_SORTS = ['deadline', 'company', 'sent', 'status'] as const satisfies readonly ReferralSort[];

export interface ReferralListParams {
  box: ReferralBox;
  status?: ReferralStatus | '';
  overdue?: boolean;
  sort?: ReferralSort;
  dir?: SortDirection;
  page?: number;
}

const path = (id: string) => `/referrals/${encodeURIComponent(id)}`;

export const referralsApi = {
  create: (engagementId: string, body: NewReferral) => request<Referral>('POST', `/engagements/${encodeURIComponent(engagementId)}/referrals`, body),
  list: (p: ReferralListParams) =>
    request<ReferralPage>(
      'GET',
      `/referrals${qs({ box: p.box, status: p.status, overdue: p.overdue ? 'true' : undefined, sort: p.sort, dir: p.dir, page: p.page && p.page > 1 ? p.page : undefined })}`,
    ),
  get: (id: string) => request<Referral>('GET', path(id)),
  /** Whom the engagement's company can be referred to: the municipality's hub first, with any open referral to each. */
  receivers: (engagementId: string) => request<ReferralReceivers>('GET', `/referrals/receivers${qs({ engagementId })}`),
  receive: (id: string, version: number) => request<Referral>('POST', `${path(id)}/receive`, { version }),
  accept: (id: string, version: number) => request<Referral>('POST', `${path(id)}/accept`, { version }),
  decline: (id: string, version: number, reason: string) => request<Referral>('POST', `${path(id)}/decline`, { version, reason }),
  complete: (id: string, version: number, feedback: string) => request<Referral>('POST', `${path(id)}/complete`, { version, feedback }),
};
