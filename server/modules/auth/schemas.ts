/** The session API's shapes; the web's Session type is this one. */
import { z } from 'zod';
import type { Abilities } from '../../policies/index.ts';
import { userSchema } from '../users/schemas.ts';

const flags = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.boolean()])) as Record<K, z.ZodBoolean>);

/** The caller's global abilities (policies/index.ts `abilitiesOf`); `satisfies` keeps the two from drifting apart. */
export const abilitiesSchema = z.object({
  home: z.enum(['myWork', 'search']),
  sections: flags(['myWork', 'search', 'leads', 'referrals', 'evaluation', 'contracts', 'prospects', 'catalogue', 'offers', 'users', 'audit', 'actionPlans', 'events', 'surveys', 'matchmaking', 'cases', 'matchRegister'] as const),
  readCrm: z.boolean(),
  create: flags(['engagement', 'confidentialEngagement', 'prospect', 'consent', 'offer', 'list', 'contract', 'user', 'actionPlan', 'event', 'eventSeries', 'survey', 'cooperation', 'case', 'sendCases', 'matchProject'] as const),
  anyOrganisation: z.boolean(),
}) satisfies z.ZodType<Abilities>;

export const sessionSchema = z.object({ user: userSchema, csrfToken: z.string(), abilities: abilitiesSchema });

export const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

export type Session = z.infer<typeof sessionSchema>;
export type { Abilities };
