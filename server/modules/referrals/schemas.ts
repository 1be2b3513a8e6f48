import { z } from 'zod';
import { consentChannels } from '../consents/schema.ts';
import { referralStatuses } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

export const referralSchema = z.object({
  id: z.string(),
  engagementId: z.string(),
  company: z.object({ cvr: z.string(), name: z.string().nullable() }).nullable(),
  from: named,
  to: named,
  offer: named.nullable(),
  reason: z.string().nullable(),
  needs: z.string().nullable(),
  contact: z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  withheld: z.boolean(),
  status: z.enum(referralStatuses),
  declineReason: z.string().nullable(),
  feedback: z.string().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  sentAt: z.string(),
  sentBy: named,
  receivedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  version: z.number(),
});

export const newReferralBody = z.strictObject({
  /** The receiving organisation, or — with `toOfferId` — the operator of a published offer. */
  toOrganisationId: z.uuid().optional(),
  toOfferId: z.uuid().optional(),
  reason: z.string().trim().min(1).max(5_000),
  needs: z.string().trim().min(1).max(5_000),
  contactId: z.uuid().optional(),
  /** The company's consent to share with the receiver, given now, when none is on record. */
  consent: z.strictObject({ givenByName: z.string().trim().min(1).max(200), channel: z.enum(consentChannels), givenByContactId: z.uuid().optional() }).optional(),
});
