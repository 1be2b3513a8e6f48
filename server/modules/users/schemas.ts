/**
 * The users API's request and response shapes: the routes validate and serialise with them, and the
 * web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { organisationTypes } from '../organisations/schema.ts';
import { roles } from './schema.ts';

export const userAbilitiesSchema = z.object({
  /** Change name, role, Early Warning permission, password; deactivate. */
  change: z.boolean(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  earlyWarning: z.boolean(),
  systemAdmin: z.boolean(),
  active: z.boolean(),
  organisation: z.object({ id: z.string(), name: z.string(), type: z.enum(organisationTypes) }),
});

/** A user as an administrator sees them, with what the caller may do with them. */
export const managedUserSchema = userSchema.extend({ abilities: userAbilitiesSchema });

export const newUserBody = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles),
  earlyWarning: z.boolean().default(false),
  systemAdmin: z.boolean().default(false),
  organisationId: z.uuid().optional(),
  password: z.string().min(12).max(1024),
});

export const userChangeBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles).optional(),
  earlyWarning: z.boolean().optional(),
  active: z.boolean().optional(),
  password: z.string().min(12).max(1024).optional(),
});

const perKind = <T extends z.ZodType>(value: T) => z.object({ leads: value, referrals: value });

/**
 * The caller's own settings: whether they are mailed about new requests (leads) and referrals to
 * their organisation — the effective choice, what it would be without one of their own
 * (`notifiedByDefault`), and whether they have made one (`chosen`).
 */
export const mySettingsSchema = z.object({
  notifications: perKind(z.boolean()).describe('What the user is mailed about now'),
  notifiedByDefault: perKind(z.boolean()).describe('What the user would be mailed about without a choice of their own (advisers yes; the Early Warning team and managers no)'),
  chosen: perKind(z.boolean()).describe('Whether the user has made their own choice (else the default applies)'),
});

/** A user's own choice per kind; null goes back to the default. */
export const mySettingsBody = z.strictObject({
  notifications: z.strictObject({ leads: z.boolean().nullable(), referrals: z.boolean().nullable() }),
});

export type User = z.infer<typeof userSchema>;
export type MySettings = z.infer<typeof mySettingsSchema>;
export type MySettingsChange = z.input<typeof mySettingsBody>;
export type ManagedUser = z.infer<typeof managedUserSchema>;
export type NewUser = z.input<typeof newUserBody>;
export type UserChange = z.input<typeof userChangeBody>;
export { roles };
export type { Role } from './schema.ts';
