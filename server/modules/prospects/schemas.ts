/**
 * The prospects API's request and response shapes: the routes validate and serialise with them, and the
 * web takes its types from them (type imports only).
 */
import { z } from 'zod';
import { municipalityCodeSchema } from '../../lib/integers.ts';
import { cvrSchema } from '../companies/schemas.ts';

/** What the caller may do with a prospect. */
export const prospectAbilitiesSchema = z.object({
  /** Link it to the CVR number of the company it founded. */
  link: z.boolean(),
});

/** A prospect as the service reads it. */
export const prospectDataSchema = z.object({
  id: z.string(),
  personName: z.string(),
  plannedName: z.string().nullable(),
  municipality: z.object({ code: z.number(), name: z.string() }).nullable(),
  description: z.string().nullable(),
  organisationId: z.string(),
  companyCvr: z.string().nullable(),
  linkedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const prospectSchema = prospectDataSchema.extend({ abilities: prospectAbilitiesSchema });

export const newProspectBody = z.strictObject({
  personName: z.string().trim().min(1).max(200),
  plannedName: z.string().trim().max(300).optional(),
  municipalityCode: municipalityCodeSchema.optional(),
  description: z.string().trim().max(5000).optional(),
});

export const linkProspectBody = z.strictObject({ cvr: cvrSchema });

export type ProspectData = z.infer<typeof prospectDataSchema>;
export type Prospect = z.infer<typeof prospectSchema>;
export type ProspectAbilities = z.infer<typeof prospectAbilitiesSchema>;
export type NewProspect = z.input<typeof newProspectBody>;
export type ProspectLink = z.input<typeof linkProspectBody>;
