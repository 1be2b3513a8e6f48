/**
 * The one place that decides who may read and write what (PRODUCT.md, "Who may see what").
 * Routes ask `authorize(policy.x.y(actor, …))`; no route inspects roles itself.
 */
import type { OrganisationType } from '../modules/organisations/schema.ts';
import type { Role } from '../modules/users/schema.ts';
import { HttpProblem } from '../http/problem.ts';

export interface Actor {
  userId: string;
  name: string;
  email: string;
  organisationId: string;
  organisationType: OrganisationType;
  role: Role;
  earlyWarning: boolean;
  systemAdmin: boolean;
}

/** KKR secretariats and national authorities see aggregates only: no personal data, no company-level CRM detail. */
export const aggregatesOnly = (actor: Actor) => actor.organisationType === 'kkr' || actor.organisationType === 'national_authority';

const writes = (actor: Actor) => actor.role !== 'reader' && !aggregatesOnly(actor);

export interface OwnedRecord {
  organisationId: string;
}

export const policy = {
  company: {
    /** CVR master data is public to every signed-in user. */
    read: (_actor: Actor) => true,
    create: (actor: Actor) => writes(actor) || actor.systemAdmin,
  },
  prospect: {
    list: (actor: Actor) => !aggregatesOnly(actor),
    read: (actor: Actor, prospect: OwnedRecord) => prospect.organisationId === actor.organisationId,
    create: (actor: Actor) => writes(actor),
    link: (actor: Actor, prospect: OwnedRecord) => writes(actor) && prospect.organisationId === actor.organisationId,
  },
  user: {
    list: (actor: Actor) => actor.systemAdmin || actor.role === 'admin',
    /** Which organisation's users the actor may see: all (null) or one. */
    scope: (actor: Actor): string | null => (actor.systemAdmin ? null : actor.organisationId),
    manage: (actor: Actor, organisationId: string) => actor.systemAdmin || (actor.role === 'admin' && actor.organisationId === organisationId),
    /** Only a system admin makes system admins. */
    grantSystemAdmin: (actor: Actor) => actor.systemAdmin,
  },
  organisation: {
    list: (_actor: Actor) => true,
  },
  audit: {
    read: (actor: Actor) => actor.systemAdmin || actor.role === 'admin',
  },
  system: {
    /** Imports and seeding touch every organisation's view of the register. */
    administer: (actor: Actor) => actor.systemAdmin,
  },
};

export function authorize(allowed: boolean): asserts allowed {
  if (!allowed) throw new HttpProblem(403, 'problem.403');
}

/** For records whose existence must not leak: not visible means 404, never 403. */
export function authorizeVisible(allowed: boolean, notFoundKey = 'problem.404'): asserts allowed {
  if (!allowed) throw new HttpProblem(404, notFoundKey);
}
