/**
 * The referrals API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { pageQuery, pageSchema } from '../../lib/paging.ts';
import { versionSchema } from '../../lib/integers.ts';
import { consentChannels } from '../consents/schema.ts';
import { referralStatuses } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

/**
 * What the caller may do with a referral now: each the policy of the route that does it, and for the
 * answers also whether the referral's status allows it (the route refuses the others with 409).
 */
export const referralAbilitiesSchema = z.object({
  /** The caller's organisation answers it (receives, accepts, declines, completes), whatever its status. */
  answer: z.boolean(),
  /** POST /referrals/:id/receive: the receiver marks it received (status sent). */
  receive: z.boolean(),
  /** POST /referrals/:id/accept (status sent or received). */
  accept: z.boolean(),
  /** POST /referrals/:id/decline, with a reason (status sent or received). */
  decline: z.boolean(),
  /** POST /referrals/:id/complete, with feedback (status accepted). */
  complete: z.boolean(),
  /** POST /engagements with `referralId`: the receiver opens its own engagement for the company (accepted or completed, none linked yet). */
  openEngagement: z.boolean(),
});

/** A referral as the service reads it (a contact person's data export carries it so). */
export const referralDataSchema = z.object({
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
  /** The last working day to answer by: the end of that day in Denmark. */
  dueOn: z.iso.date(),
  overdue: z.boolean(),
  sentAt: z.string(),
  sentBy: named,
  receivedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  /** The receiver's own engagement opened from the referral; shown to the receiver only. */
  receiverEngagementId: z.string().nullable(),
  version: z.number(),
});

/** A referral with what the caller may do with it. */
export const referralSchema = referralDataSchema.extend({ abilities: referralAbilitiesSchema });

export const referralPageSchema = pageSchema(referralSchema);

export const referralSorts = ['deadline', 'company', 'sent', 'status'] as const;
export const sortDirections = ['asc', 'desc'] as const;

export const referralListQuery = z.object({
  box: z.enum(['inbox', 'outbox']).default('inbox'),
  status: z.enum(referralStatuses).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** The column to sort by: the deadline, the company's name, when it was sent (the default), or the status in the order a referral passes them. */
  sort: z.enum(referralSorts).default('sent'),
  /** Ascending or descending; by default newest first for `sent`, else ascending. */
  dir: z.enum(sortDirections).optional(),
  ...pageQuery,
});

export const referralReceiversQuery = z.object({
  /** The engagement to refer from: the caller must be allowed to refer it. */
  engagementId: z.uuid(),
});

/** An organisation the caller may refer the engagement's company to. */
export const referralReceiverSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The hub of the company's (or prospect's) municipality: listed first. */
  suggested: z.boolean(),
  /** A referral of the same company to this receiver that is still open (sent, received or accepted) and the caller can see; else null. */
  openReferral: z.object({ id: z.string() }).nullable(),
});

export const referralReceiversSchema = z.object({ items: z.array(referralReceiverSchema) });

export const newReferralBody = z.strictObject({
  /** The receiving organisation, or — with `toOfferId` — the operator of a published offer. */
  toOrganisationId: z.uuid().optional(),
  toOfferId: z.uuid().optional(),
  /** Background for the receiver; optional since the form asks one question (`needs`), kept for older clients. */
  reason: z.string().trim().max(5_000).default(''),
  /** What the receiver is asked to help with: the one field the form asks for. */
  needs: z.string().trim().min(1).max(5_000),
  contactId: z.uuid().optional(),
  /** The company's consent to share with the receiver, given now, when none is on record. */
  consent: z.strictObject({ givenByName: z.string().trim().min(1).max(200), channel: z.enum(consentChannels), givenByContactId: z.uuid().optional() }).optional(),
});

/** The receiver's answers, each with what it carries. */
export const referralAnswerBodies = {
  receive: z.strictObject({ version: versionSchema }),
  accept: z.strictObject({ version: versionSchema }),
  decline: z.strictObject({ version: versionSchema, reason: z.string().trim().min(1).max(5_000) }),
  complete: z.strictObject({ version: versionSchema, feedback: z.string().trim().min(1).max(5_000) }),
};

export type ReferralData = z.infer<typeof referralDataSchema>;
export type Referral = z.infer<typeof referralSchema>;
export type ReferralAbilities = z.infer<typeof referralAbilitiesSchema>;
export type ReferralPage = z.infer<typeof referralPageSchema>;
export type NewReferral = z.input<typeof newReferralBody>;
/** The list's query string as the web sends it (numbers as numbers; the server coerces the text). */
export type ReferralListQuery = Partial<z.output<typeof referralListQuery>>;
export type ReferralBox = z.output<typeof referralListQuery>['box'];
export type ReferralAnswer = keyof typeof referralAnswerBodies;
export type ReferralDecline = z.input<(typeof referralAnswerBodies)['decline']>;
export type ReferralCompletion = z.input<(typeof referralAnswerBodies)['complete']>;
export type ReferralSort = (typeof referralSorts)[number];
export type SortDirection = (typeof sortDirections)[number];
export type ReferralReceiver = z.infer<typeof referralReceiverSchema>;
export type ReferralReceivers = z.infer<typeof referralReceiversSchema>;
export type { ReferralStatus } from './schema.ts';
