/**
 * The contacts API's request and response shapes: the routes validate and serialise with them, and the
 * web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { consentDataSchema } from '../consents/schemas.ts';
import { activitySchema } from '../activities/schemas.ts';
import { referralDataSchema } from '../referrals/schemas.ts';

const named = z.object({ id: z.string(), name: z.string() });

/** What the caller may do with a contact person. */
export const contactAbilitiesSchema = z.object({
  /** Data-protection duties: export (access request) and erasure. */
  administer: z.boolean(),
});

/** A contact person as the service reads it. */
export const contactDataSchema = z.object({
  id: z.string(),
  companyCvr: z.string().nullable(),
  prospectId: z.string().nullable(),
  organisation: named,
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.string(),
  erased: z.boolean(),
});

export const contactSchema = contactDataSchema.extend({ abilities: contactAbilitiesSchema });

export const newContactBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().trim().regex(/^\+?[\d ()-]{6,20}$/, { message: 'invalidFormat' }).optional(),
});

/** Everything Knudepunkt holds about one contact person (a data-protection access request): records as data, without what one may do with them. */
export const contactExportSchema = z.object({
  exportedAt: z.string(),
  contact: contactSchema,
  consentsGiven: z.array(consentDataSchema),
  activities: z.array(activitySchema),
  referrals: z.array(referralDataSchema),
});

export const retentionQuery = z.object({ years: z.coerce.number().int().min(1).max(50).default(3) });

export const retentionSchema = z.object({ years: z.number(), items: z.array(contactSchema.extend({ lastActivityOn: z.string().nullable() })) });

export type ContactData = z.infer<typeof contactDataSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type ContactAbilities = z.infer<typeof contactAbilitiesSchema>;
export type NewContact = z.input<typeof newContactBody>;
export type ContactExport = z.infer<typeof contactExportSchema>;
export type Retention = z.infer<typeof retentionSchema>;
