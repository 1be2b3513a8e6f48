import { qs, request } from '../../shared/api.ts';
import type { AuditPage, AuditQuery } from '#server/modules/audit/schemas.ts';

export type { AuditEntry, AuditPage } from '#server/modules/audit/schemas.ts';

export const auditApi = {
  entries: (p: AuditQuery) => request<AuditPage>('GET', `/audit${qs(p)}`),
};
