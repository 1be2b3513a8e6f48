/**
 * The organisations API's shapes (actors, municipalities, themes, colleagues, delivery categories):
 * the routes validate and serialise with them, and the web takes its types from them (type imports
 * only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { roles } from '../users/schema.ts';
import { organisationTypes } from './schema.ts';

export const organisationSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  type: z.enum(organisationTypes),
  municipalityCode: z.number().nullable(),
  parentId: z.string().nullable(),
});

export const municipalitySchema = z.object({ code: z.number(), name: z.string(), region: z.string(), kkr: z.string(), hub: z.string(), population2020: z.number().nullable() });

/** A municipality (or any coded register value) by code and name: what the public pages need. */
export const codeNameSchema = z.object({ code: z.number(), name: z.string() });

export const themeSchema = z.object({ key: z.string(), name: z.string() });

export const colleagueSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(roles) });

export const deliveryCategoryAbilitiesSchema = z.object({
  /** Put an engagement in this category: a confidential (Early Warning) one only for whoever may create confidential engagements. */
  choose: z.boolean(),
});

export const deliveryCategorySchema = z.object({ id: z.string(), key: z.string(), name: z.string(), confidential: z.boolean() });

/** A delivery category with what the caller may do with it. */
export const deliveryCategoryWithAbilitiesSchema = deliveryCategorySchema.extend({ abilities: deliveryCategoryAbilitiesSchema });

export const newDeliveryCategoryBody = z.strictObject({
  key: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'invalidFormat' }),
  name: z.string().trim().min(1).max(100),
  confidential: z.boolean().default(false),
});

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export type Organisation = z.infer<typeof organisationSchema>;
export type Municipality = z.infer<typeof municipalitySchema>;
export type CodeName = z.infer<typeof codeNameSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type Colleague = z.infer<typeof colleagueSchema>;
export type DeliveryCategory = z.infer<typeof deliveryCategoryWithAbilitiesSchema>;
export type NewDeliveryCategory = z.input<typeof newDeliveryCategoryBody>;
export type { OrganisationType } from './schema.ts';
export type { ThemeKey } from './themes.ts';
