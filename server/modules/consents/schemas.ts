/**
 * The consents API's request and response shapes: the routes validate and serialise with them, and the
 * web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { isoDate, isoDateTime } from '../../lib/dates.ts';
import { consentChannels, consentPurposes, consentScopes } from './schema.ts';

const named = z.object({ id: z.string(), name: z.string() });

/** What the caller may do with a consent they can see. */
export const consentAbilitiesSchema = z.object({ withdraw: z.boolean() });

/** A consent as the service reads it. */
export const consentDataSchema = z.object({
  id: z.string(),
  companyCvr: z.string().nullable(),
  prospectId: z.string().nullable(),
  purpose: z.enum(consentPurposes),
  scope: z.enum(consentScopes),
  organisations: z.array(named),
  givenByName: z.string(),
  givenByContactId: z.string().nullable(),
  givenAt: z.string(),
  channel: z.string(),
  recordedByOrganisation: named.nullable(),
  expiresAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  /** Who withdrew it: an organisation (named), or the company itself. */
  withdrawnBy: z.object({ via: z.enum(['organisation', 'company']), organisation: named.nullable() }).nullable(),
  /** Given on the public web form and not yet confirmed by an adviser: recorded, not in force. */
  awaitingConfirmation: z.boolean(),
  active: z.boolean(),
});

export const consentSchema = consentDataSchema.extend({ abilities: consentAbilitiesSchema });

export const newConsentBody = z.strictObject({
  // An introduction consent belongs to one match and is recorded there (POST /matches/:id/agreements).
  purpose: z.enum(consentPurposes).exclude(['introduction']),
  scope: z.enum(consentScopes),
  organisationIds: z.array(z.uuid()).max(200).default([]),
  givenByContactId: z.uuid().optional(),
  givenByName: z.string().trim().min(1).max(200),
  channel: z.enum(consentChannels),
  expiresAt: isoDateTime.or(isoDate).optional(),
});

export const withdrawConsentBody = z.strictObject({ note: z.string().trim().max(2_000).optional() });

export type ConsentData = z.infer<typeof consentDataSchema>;
export type Consent = z.infer<typeof consentSchema>;
export type ConsentAbilities = z.infer<typeof consentAbilitiesSchema>;
export type ConsentInput = z.input<typeof newConsentBody>;
export type ConsentPurpose = ConsentInput['purpose'];
export type ConsentScope = ConsentInput['scope'];
export type ConsentChannel = ConsentInput['channel'];
export type ConsentWithdrawal = z.input<typeof withdrawConsentBody>;
