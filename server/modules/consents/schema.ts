import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { code, companies } from '../companies/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { prospects } from '../prospects/schema.ts';
import { users } from '../users/schema.ts';

/** `publication`: the company lets the recording organisation publish a case story about it (server/modules/cases). */
/** `introduction`: the company agrees that its contact persons are passed to the other side of one match (server/modules/matchmaking). */
export const consentPurposes = ['sharing', 'evaluation', 'publication', 'introduction'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];
export const consentScopes = ['all', 'named'] as const;
export const consentChannels = ['meeting', 'phone', 'email', 'web', 'letter'] as const;

/**
 * Samtykke. Active while not withdrawn and not expired; withdrawal takes effect on the next request
 * because visibility is always decided from this table, never copied elsewhere.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    companyCvr: code('company_cvr').references(() => companies.cvr),
    prospectId: uuid('prospect_id').references(() => prospects.id),
    purpose: text('purpose').$type<ConsentPurpose>().notNull(),
    scope: text('scope').$type<'all' | 'named'>().notNull(),
    /** With scope `named`: the organisations the company agreed to share with. */
    organisationIds: uuid('organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
    givenByContactId: uuid('given_by_contact_id').references(() => contacts.id),
    givenByName: text('given_by_name').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull(),
    channel: text('channel').$type<(typeof consentChannels)[number]>().notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedByOrganisationId: uuid('recorded_by_organisation_id').references(() => organisations.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBy: uuid('withdrawn_by').references(() => users.id),
    /** Who withdrew it: the recording organisation, an organisation it covers, or (no organisation) the company itself. */
    withdrawnByOrganisationId: uuid('withdrawn_by_organisation_id').references(() => organisations.id),
    withdrawnVia: text('withdrawn_via').$type<'organisation' | 'company'>(),
    withdrawalNote: text('withdrawal_note'),
    /**
     * Whose records a sharing consent opens. `recorder`: only what the recording organisation holds
     * ("the company lets the recorder share what it holds"). `all_holders` is reserved for a consent
     * the company gives itself, signed in (self-service); an organisation can never record one.
     */
    opens: text('opens').$type<'recorder' | 'all_holders'>().notNull().default('recorder'),
    /**
     * Given on the public web form by someone nobody has spoken to yet: recorded, but not in force
     * until an adviser who has been in touch with the company confirms it.
     */
    awaitingConfirmation: boolean('awaiting_confirmation').notNull().default(false),
    /** The guidance request (lead) the consent came with. No foreign key: leads refer to this module's neighbours, not the other way round. */
    guidanceRequestId: uuid('guidance_request_id'),
    confirmedBy: uuid('confirmed_by').references(() => users.id),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('consents_opens', sql`${t.opens} IN ('recorder', 'all_holders')`),
    check('consents_subject', sql`(${t.companyCvr} IS NOT NULL) <> (${t.prospectId} IS NOT NULL)`),
    index('consents_company_idx').on(t.companyCvr, t.purpose),
    index('consents_prospect_idx').on(t.prospectId, t.purpose),
    index('consents_guidance_request_idx').on(t.guidanceRequestId).where(sql`${t.guidanceRequestId} IS NOT NULL`),
  ],
);
