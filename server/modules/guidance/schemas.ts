/**
 * The guidance API's shapes ("Få vejledning" and the leads it makes): the routes validate and
 * serialise with them, and the web takes its types from them (type imports only), so a change here
 * breaks the web's type check.
 */
import { z } from 'zod';
import { int4Param, versionSchema } from '../../lib/integers.ts';
import { pageSchema } from '../../lib/paging.ts';
import { cvrSchema } from '../companies/schemas.ts';
import { selfAssessmentAnswers } from '../offers/schemas.ts';
import { selfAssessmentKeys } from '../offers/self-assessment.ts';
import { themeKeys } from '../organisations/themes.ts';
import { leadStatuses } from './schema.ts';

/**
 * The client's key for one filled-in form: a retry or a double click with it finds the first request
 * instead of making a second. Required, so that no submission can slip past the check.
 */
export const idempotencyKeyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'guidance.idempotencyKey' })
    .regex(/^[\w-]{8,100}$/, { message: 'guidance.idempotencyKey' })
    .describe('One key per filled-in form (8–100 letters, digits, - or _); a retry with the same key and body gets the first receipt'),
});

export const guidanceRequestBody = z.strictObject({
  cvr: cvrSchema.optional(),
  noCvr: z.boolean().default(false),
  companyName: z.string().trim().max(200).optional(),
  municipalityCode: z.number().int().min(100).max(999).optional(),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
  }),
  need: z.string().trim().min(1).max(2_000),
  themes: z.array(z.enum(themeKeys)).max(12).default([]),
  consents: z.strictObject({ sharing: z.boolean(), evaluation: z.boolean() }),
  /** A self-assessment to send along: its answers; the server scores them itself. */
  selfAssessment: z.object({ key: z.enum(selfAssessmentKeys), answers: selfAssessmentAnswers }).optional(),
  /** The published offer the company asked from. */
  offerId: z.uuid().optional(),
  /** Honeypot: hidden in the form, so only robots fill it in. */
  website: z.string().max(500).optional(),
});

/** What the company is told: who will answer, and by when. */
export const guidanceReceiptSchema = z.object({ id: z.string(), receivedAt: z.string(), organisation: z.object({ name: z.string() }), dueOn: z.iso.date() });

export const leadAbilitiesSchema = z.object({
  /** Take it (in progress), close it with an outcome, or reopen a closed one; which fits is its status. */
  handle: z.boolean(),
  /** Confirm the consents the company ticked on the form (when some await confirmation). */
  confirmConsents: z.boolean(),
  /**
   * "Opret forløb" (POST /engagements with `guidanceRequestId`): the lead is open, has no engagement yet,
   * and names a company by CVR (or a prospect of the caller's organisation made from it).
   */
  createEngagement: z.boolean(),
  /** "Opret som iværksætter" (POST /guidance-requests/:id/prospect): an open lead without CVR and without a prospect yet. */
  createProspect: z.boolean(),
});

/** A company's "Få vejledning" request, as its local business service and hub see it. */
export const leadSchema = z.object({
  id: z.string(),
  company: z.object({ cvr: z.string(), name: z.string() }).nullable(),
  companyName: z.string().nullable(),
  municipality: z.object({ code: z.number(), name: z.string() }),
  organisation: z.object({ id: z.string(), name: z.string() }),
  contact: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
  need: z.string(),
  themes: z.array(z.string()),
  /** What the company ticked; `awaitingConfirmation`: not in force until an adviser confirms it. */
  consents: z.object({ sharing: z.boolean(), evaluation: z.boolean(), awaitingConfirmation: z.boolean() }),
  selfAssessment: z.object({ key: z.string(), title: z.string(), level: z.string(), score: z.number(), maxScore: z.number() }).nullable(),
  offer: z.object({ id: z.string(), title: z.string() }).nullable(),
  status: z.enum(leadStatuses),
  /** The last working day to answer by: the end of that day in Denmark. */
  dueOn: z.iso.date(),
  overdue: z.boolean(),
  createdAt: z.string(),
  /** Who last took or closed the lead. */
  handledBy: z.object({ name: z.string(), at: z.string().nullable() }).nullable(),
  /** What the adviser wrote when closing it; null while it is open. */
  outcome: z.string().nullable(),
  /** The engagement opened from it ("Opret forløb"). */
  engagement: z.object({ id: z.string() }).nullable(),
  /** The prospect made from it (a request without CVR), and the organisation that holds it. */
  prospect: z.object({ id: z.string(), personName: z.string(), organisationId: z.string() }).nullable(),
  version: z.number(),
  abilities: leadAbilitiesSchema,
});

/** A page of leads, and the municipalities the caller's leads come from (the municipality filter's choices). */
export const leadPageSchema = pageSchema(leadSchema).extend({ municipalities: z.array(z.object({ code: z.number(), name: z.string() })) });

export const leadSorts = ['deadline', 'company', 'received', 'status'] as const;
export const leadSortDirections = ['asc', 'desc'] as const;

export const leadsQuery = z.object({
  status: z.enum(leadStatuses).optional(),
  /** Only leads past their deadline and not yet taken (status new). */
  overdue: z.enum(['true', 'false']).optional(),
  municipality: int4Param(100, 999).optional(),
  theme: z.enum(themeKeys).optional(),
  /** The column to sort by: the deadline, the company's (or planned) name, when it was received (the default), or the status in the order a lead passes them. */
  sort: z.enum(leadSorts).default('received'),
  /** Ascending or descending; by default newest first for `received`, else ascending. */
  dir: z.enum(leadSortDirections).optional(),
});

/** Take it or reopen it (in_progress), or close it with an outcome (required). */
export const leadStatusBody = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('in_progress'), version: versionSchema }),
  z.strictObject({ status: z.literal('closed'), outcome: z.string().trim().min(1).max(5_000), version: versionSchema }),
]);

/** A lead after its consents were confirmed, with the purposes confirmed. */
export const confirmedLeadSchema = leadSchema.extend({ confirmed: z.array(z.enum(['sharing', 'evaluation'])) });

export type GuidanceRequest = z.input<typeof guidanceRequestBody>;
export type GuidanceReceipt = z.infer<typeof guidanceReceiptSchema>;
export type Lead = z.infer<typeof leadSchema>;
export type LeadPage = z.infer<typeof leadPageSchema>;
export type LeadStatusChange = z.input<typeof leadStatusBody>;
export type LeadsQuery = z.input<typeof leadsQuery>;
export type LeadSort = (typeof leadSorts)[number];
export type LeadSortDirection = (typeof leadSortDirections)[number];
export type ConfirmedLead = z.infer<typeof confirmedLeadSchema>;
export type { LeadStatus } from './schema.ts';
