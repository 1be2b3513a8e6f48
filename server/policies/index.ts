/**
 * The one place that decides who may read and write what (PRODUCT.md, "Who may see what").
 * Routes ask `authorize(policy.x.y(actor, …))`; no route inspects roles itself.
 */
import { sql, type SQL } from 'drizzle-orm';
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

/**
 * Jobcentres, unemployment funds, education institutions and clusters: partners outside the
 * business-promotion system (Vækst Via Viden). In the CRM they are ordinary organisations — their own
 * records, and others' only under a consent that covers them (`crmVisible`), every change audited —
 * and they receive referrals; but they run no offers, handle no guidance requests and import no contracts.
 */
export const outsidePartner = (actor: Actor) => ['jobcentre', 'unemployment_fund', 'education_institution', 'cluster'].includes(actor.organisationType);

/** Hubs, local business services and national operators run offers; KKR, authorities and outside partners do not. */
const runsOffers = (actor: Actor) => ['business_hub', 'local_business_service', 'operator'].includes(actor.organisationType);

const writes = (actor: Actor) => actor.role !== 'reader' && !aggregatesOnly(actor);

export interface OwnedRecord {
  organisationId: string;
}

/**
 * Rule 2 and 3 of "Who may see what", as SQL over a CRM table aliased `alias` (engagements,
 * activities, contacts): the owning organisation sees its records — confidential (Early Warning)
 * ones only with the EW permission —, another organisation only non-confidential records of a
 * company or prospect under a sharing consent in force that the *owning* organisation recorded and
 * that covers the reader. Aggregate-only readers see none.
 * Lists, timelines, counts and single-record reads all filter through this one predicate.
 */
export function crmVisible(actor: Actor, alias: string, now: Date, options: { confidential?: boolean } = {}): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const a = sql.raw(alias);
  const hasConfidential = options.confidential ?? true;
  const notConfidential = hasConfidential ? sql`NOT ${a}.confidential` : sql`TRUE`;
  const own = actor.earlyWarning || !hasConfidential ? sql`${a}.organisation_id = ${actor.organisationId}` : sql`(${a}.organisation_id = ${actor.organisationId} AND ${notConfidential})`;
  return sql`(${own} OR (${notConfidential} AND ${sharingConsentCovers(actor.organisationId, sql`${a}.organisation_id`, sql`${a}.company_cvr`, sql`${a}.prospect_id`, now)}))`;
}

/**
 * The same rule for a list of the actor's own organisation's records: what is left of `crmVisible`
 * once `organisation_id` is known to be the actor's. Written out so the planner can walk the
 * organisation's index in order instead of sorting everything an OR leaves behind.
 */
export function ownCrmVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const a = sql.raw(alias);
  return actor.earlyWarning ? sql`${a}.organisation_id = ${actor.organisationId}` : sql`(${a}.organisation_id = ${actor.organisationId} AND NOT ${a}.confidential)`;
}

/**
 * A consent row (alias) in force: not withdrawn, not expired, and — when it came from the public web
 * form — confirmed by an adviser. The one definition of "active" for sharing and for evaluation.
 */
export function consentInForce(alias: string, now: Date): SQL {
  const c = sql.raw(alias);
  return sql`(${c}.withdrawn_at IS NULL AND (${c}.expires_at IS NULL OR ${c}.expires_at > ${now.toISOString()}::timestamptz) AND NOT ${c}.awaiting_confirmation)`;
}

/**
 * Whose records a consent row `sc` opens: its recording organisation's only — a consent never opens
 * another organisation's records —, or every holder's when the company gave it itself (`all_holders`).
 */
export function consentOpens(alias: string, holderOrganisationId: SQL): SQL {
  const c = sql.raw(alias);
  return sql`(${c}.recorded_by_organisation_id = ${holderOrganisationId} OR ${c}.opens = 'all_holders')`;
}

/**
 * Conditions on a consents row `sc` for a sharing consent in force under which `readerId` may see
 * what `holderId` holds about a subject: recorded by the holder (see `consentOpens`) and covering the reader.
 */
export function activeSharingConsent(readerId: string, holderId: SQL, companyCvr: SQL, prospectId: SQL, now: Date): SQL {
  return sql`sc.purpose = 'sharing' AND ${consentInForce('sc', now)}
      AND (sc.scope = 'all' OR ${readerId}::uuid = ANY(sc.organisation_ids))
      AND ${consentOpens('sc', holderId)}
      AND (sc.company_cvr = ${companyCvr} OR sc.prospect_id = ${prospectId})`;
}

/** True where the holder's records of the company (or prospect) are open to `readerId` under a sharing consent in force. */
export function sharingConsentCovers(readerId: string, holderId: SQL, companyCvr: SQL, prospectId: SQL, now: Date): SQL {
  return sql`EXISTS (SELECT 1 FROM consents sc WHERE ${activeSharingConsent(readerId, holderId, companyCvr, prospectId, now)})`;
}

/**
 * Who may know that a consent (row alias) exists at all — its giver's name, its ids, whom it covers:
 * the recording organisation, and for a sharing consent the organisations it covers once it is in
 * force or withdrawn (a consent awaiting confirmation covers nobody yet; the hub of the lead it came
 * with may confirm it). An evaluation consent lets only its recorder ask, so only its recorder knows it.
 * Everyone else sees nothing of it. Withdrawing follows the same rule.
 */
export function consentVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const c = sql.raw(alias);
  return sql`(${c}.recorded_by_organisation_id = ${actor.organisationId}
    OR (${c}.purpose = 'sharing' AND NOT ${c}.awaiting_confirmation AND (${c}.scope = 'all' OR ${actor.organisationId}::uuid = ANY(${c}.organisation_ids)))
    OR (${c}.awaiting_confirmation AND EXISTS (SELECT 1 FROM guidance_requests g WHERE g.id = ${c}.guidance_request_id AND ${leadVisible(actor, 'g')})))`;
}

/**
 * An evaluation consent (row alias) that lets `organisationId` invite the company: one it recorded
 * itself, or one the company gave itself for all holders. Nobody else's consent redirects its invitation.
 */
export function evaluationConsentFor(alias: string, organisationId: SQL, now: Date): SQL {
  const c = sql.raw(alias);
  return sql`(${c}.purpose = 'evaluation' AND ${consentInForce(alias, now)} AND ${consentOpens(alias, organisationId)})`;
}

/**
 * Audit entries (row alias `l`, with the acting user's row `u`) that would betray an Early Warning
 * case to an admin without the EW permission: entries on a confidential engagement or activity, an
 * EW user's reads (their counts include the cases), and whatever an EW user did about a company on
 * which the viewer's organisation has a confidential engagement. Only the EW team (and system admins) see those.
 */
export function auditEntryVisible(actor: Actor, alias: string, userAlias: string): SQL {
  if (actor.systemAdmin || actor.earlyWarning) return sql`TRUE`;
  const l = sql.raw(alias);
  const u = sql.raw(userAlias);
  return sql`(coalesce(${l}.details->>'confidential', 'false') <> 'true'
    AND NOT (coalesce(${u}.early_warning, false) AND ${l}.action IN ('read', 'export'))
    AND NOT (${l}.entity = 'engagement' AND EXISTS (SELECT 1 FROM engagements x WHERE x.id::text = ${l}.entity_id AND x.confidential))
    AND NOT (${l}.entity = 'activity' AND EXISTS (SELECT 1 FROM activities x WHERE x.id::text = ${l}.entity_id AND x.confidential))
    AND NOT (coalesce(${u}.early_warning, false) AND ${l}.company_cvr IS NOT NULL
      AND EXISTS (SELECT 1 FROM engagements x WHERE x.company_cvr = ${l}.company_cvr AND x.organisation_id = ${actor.organisationId} AND x.confidential)))`;
}

/** Guidance requests (leads): the receiving local business service and the hub of its municipality. */
export function leadVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const a = sql.raw(alias);
  return sql`(${a}.organisation_id = ${actor.organisationId} OR ${a}.hub_id = ${actor.organisationId})`;
}

/** Referrals are the business of the sending and the receiving organisation. */
export function referralVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const a = sql.raw(alias);
  return sql`(${a}.from_organisation_id = ${actor.organisationId} OR ${a}.to_organisation_id = ${actor.organisationId})`;
}

/**
 * Survey answers attached to a company's record (row alias over `surveys`): the survey's own
 * organisation only, as `policy.survey.answers` decides for the answers themselves.
 */
export function surveyAnswerVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  return sql`(${sql.raw(alias)}.organisation_id = ${actor.organisationId})`;
}

/** The organisation that runs Knudepunkt itself (its system administrators): it takes no companies' cases. */
export const SYSTEM_OPERATOR_KEY = 'operator:knudepunkt';

/**
 * Which organisations (row alias over `organisations`) may receive a referral: those that take
 * companies' cases. Not a KKR secretariat or a national authority (they see aggregates only, so they
 * could never read or answer it), nor the operator of Knudepunkt itself. Offering a receiver and
 * accepting one on POST both ask this one predicate.
 */
export function referralReceivable(alias: string): SQL {
  const o = sql.raw(alias);
  return sql`(${o}.type NOT IN ('kkr', 'national_authority') AND ${o}.key <> ${SYSTEM_OPERATOR_KEY})`;
}

/**
 * Which organisations (row alias over `organisations`) may be partners of a match project: those that
 * work with companies, as for referrals (`referralReceivable`): no KKR secretariat, national authority
 * or the operator of Knudepunkt, who see aggregates only or take no cases.
 */
export function matchPartnerEligible(alias: string): SQL {
  return referralReceivable(alias);
}

/**
 * Which organisations (row alias over `organisations`) may be named behind a case story: those that work
 * with companies, as for referrals (`referralReceivable`). A KKR secretariat, a national authority or the
 * operator writes no cases and could not even read one in the back office, so naming it would only put
 * its name on a story it never saw.
 */
export function caseAuthorEligible(alias: string): SQL {
  return referralReceivable(alias);
}

/**
 * Tasks (opgaver, row alias) are an organisation's own working notes, never shared, not even under a
 * sharing consent: its own users see them, a task on an Early Warning engagement (`confidential`,
 * copied from it) only with the EW permission. The own-organisation half of `crmVisible`.
 */
export function taskVisible(actor: Actor, alias: string): SQL {
  return ownCrmVisible(actor, alias);
}

/**
 * Users (row alias) a task of the actor's organisation may be given to: its active users who can act
 * on it (not readers, who cannot mark it done), with the EW permission for a confidential task (else
 * it would be hidden from its own assignee). The one rule behind the assignee check and the list of choices.
 */
export function taskAssignable(actor: Actor, userAlias: string, confidential: boolean): SQL {
  const u = sql.raw(userAlias);
  return sql`(${u}.organisation_id = ${actor.organisationId} AND ${u}.active AND ${u}.role <> 'reader' ${confidential ? sql`AND ${u}.early_warning` : sql``})`;
}

/** Prospects (persons) are the recording organisation's alone, as `policy.prospect.read` says; aggregate-only readers see none. */
export function prospectVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  return sql`${sql.raw(alias)}.organisation_id = ${actor.organisationId}`;
}

/**
 * A company's needs and offers of cooperation (row alias over `cooperation_items`): CRM records of the
 * organisation that recorded them, read by others under the rule of `crmVisible` — a sharing consent in
 * force that the holder recorded and that covers the reader. They are never confidential.
 */
export function cooperationVisible(actor: Actor, alias: string, now: Date): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const a = sql.raw(alias);
  return sql`(${a}.organisation_id = ${actor.organisationId} OR ${sharingConsentCovers(actor.organisationId, sql`${a}.organisation_id`, sql`${a}.company_cvr`, sql`NULL::uuid`, now)})`;
}

/**
 * Matches (row alias over `matches`) are the business of the two sides' holders: the organisations that
 * hold each side's need or offer (for a catalogue offer its operator, for a knowledge institution the
 * institution). The proposer is always one of them (`policy.match.propose`).
 */
export function matchVisible(actor: Actor, alias: string): SQL {
  if (aggregatesOnly(actor)) return sql`FALSE`;
  const m = sql.raw(alias);
  return sql`(${m}.a_holder_id = ${actor.organisationId} OR ${m}.b_holder_id = ${actor.organisationId})`;
}

/** A match as the policy needs it: who holds each side, and whether the companies' introduction consents are in force. */
export interface MatchRecord {
  aHolderId: string;
  bHolderId: string;
  /** Side B is a company (its agreement is needed too), not a catalogue offer or an institution. */
  bIsCompany: boolean;
  aAgreed: boolean;
  bAgreed: boolean;
}

export interface CrmRecord {
  organisationId: string;
  confidential: boolean;
}

export const policy = {
  company: {
    /** CVR master data is public to every signed-in user. */
    read: (_actor: Actor) => true,
    /**
     * What anyone may look up without signing in (the "Få vejledning" form fills name and municipality
     * from the CVR): the register's public name and municipality, nothing Knudepunkt knows beyond it.
     */
    publicView: (c: { cvr: string; name: string; municipality: { code: number; name: string } | null }) => ({ cvr: c.cvr, name: c.name, municipality: c.municipality }),
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
    /**
     * Changing a user (name, role, permissions, active, password): an admin of the user's organisation,
     * but a system admin only by a system admin — else an organisation's admin could take over one.
     */
    change: (actor: Actor, target: { organisationId: string; systemAdmin: boolean }) =>
      actor.systemAdmin || (actor.role === 'admin' && actor.organisationId === target.organisationId && !target.systemAdmin),
    /**
     * A user's own settings (which mails about new work they get): the user themself, whoever they
     * are; no one else, not even an admin (it is their inbox).
     */
    settings: (actor: Actor, userId: string) => actor.userId === userId,
  },
  /** Saved filters on the lists an adviser uses daily: each user keeps their own; another user's is missing (404). */
  savedFilter: {
    use: (_actor: Actor) => true,
    own: (actor: Actor, filter: { userId: string }) => filter.userId === actor.userId,
  },
  organisation: {
    list: (_actor: Actor) => true,
    /** An organisation's own settings (e.g. delivery categories): its admins, or a system admin. */
    configure: (actor: Actor, organisationId: string) => actor.systemAdmin || (actor.role === 'admin' && actor.organisationId === organisationId),
  },
  audit: {
    read: (actor: Actor) => actor.systemAdmin || actor.role === 'admin',
    /** Which organisation's entries: all (null) for a system admin, else the admin's own. */
    scope: (actor: Actor): string | null => (actor.systemAdmin ? null : actor.organisationId),
  },
  crm: {
    /** Reading CRM records at all (lists, timelines); each record is then filtered by crmVisible. */
    read: (actor: Actor) => !aggregatesOnly(actor),
    create: (actor: Actor) => writes(actor),
    /** Only the EW team marks an engagement confidential (or picks a confidential category). */
    createConfidential: (actor: Actor) => writes(actor) && actor.earlyWarning,
    /** Changing an engagement or adding to it: the owning organisation's writers (EW team for confidential ones). */
    change: (actor: Actor, record: CrmRecord) =>
      writes(actor) && record.organisationId === actor.organisationId && (!record.confidential || actor.earlyWarning),
  },
  /**
   * Matchmaking. Only a side's holder acts for its side: accepts the match and records its company's
   * agreement to be introduced; nobody can accept or agree for the other side. Contact persons pass
   * only once every company side's introduction consent is in force.
   */
  match: {
    /** Proposing: a writer whose organisation holds one of the two sides (the other side it must be able to see). */
    propose: (actor: Actor, match: { aHolderId: string; bHolderId: string }) =>
      writes(actor) && (match.aHolderId === actor.organisationId || match.bHolderId === actor.organisationId),
    /** Accepting for a side, or recording that side's company's agreement: that side's holder's writers. */
    actFor: (actor: Actor, holderId: string) => writes(actor) && holderId === actor.organisationId,
    /** Declining and introducing: a writer of either side's holder. */
    take: (actor: Actor, match: { aHolderId: string; bHolderId: string }) =>
      writes(actor) && (match.aHolderId === actor.organisationId || match.bHolderId === actor.organisationId),
    /** Whether every company side has agreed (consents in force): until then no contact details pass. */
    agreed: (match: MatchRecord) => match.aAgreed && (!match.bIsCompany || match.bAgreed),
    /**
     * Whether the actor sees side `side`'s introduced contact persons: its own holder always (they are its
     * own records), the other side's holder only once both companies agreed, and not on a declined match
     * (the companies agreed to be introduced through this match; a declined one introduces nobody).
     */
    seesContactsOf: (actor: Actor, match: MatchRecord & { status: string }, side: 'a' | 'b') => {
      const own = side === 'a' ? match.aHolderId : match.bHolderId;
      const other = side === 'a' ? match.bHolderId : match.aHolderId;
      if (aggregatesOnly(actor)) return false;
      return own === actor.organisationId || (other === actor.organisationId && match.status !== 'declined' && match.aAgreed && (!match.bIsCompany || match.bAgreed));
    },
  },
  consent: {
    /** A company can tell any adviser that it consents; the consent opens only the recording organisation's records. */
    record: (actor: Actor) => writes(actor),
    /**
     * Withdrawal: any writer who may see the consent (`consentVisible`: the recorder or an organisation
     * it covers); others are told it does not exist. The company withdraws through its own links.
     */
    withdraw: (actor: Actor) => writes(actor),
    /** The consent panel: whatever `consentVisible` lets through. */
    list: (actor: Actor) => !aggregatesOnly(actor),
  },
  contact: {
    /** Data-protection duties (export, erasure, retention) belong to the organisation that holds the data. */
    administer: (actor: Actor, contact: OwnedRecord) =>
      actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && contact.organisationId === actor.organisationId),
    retention: (actor: Actor) => actor.systemAdmin || actor.role === 'admin' || actor.role === 'manager',
    /** A system admin handles data-protection requests for any organisation's contacts. */
    administerAny: (actor: Actor) => actor.systemAdmin,
  },
  referral: {
    /** Early Warning is never shared, so a confidential engagement cannot be referred. */
    send: (actor: Actor, engagement: CrmRecord) => writes(actor) && engagement.organisationId === actor.organisationId && !engagement.confidential,
    answer: (actor: Actor, referral: { toOrganisationId: string }) => writes(actor) && referral.toOrganisationId === actor.organisationId,
    /** The receiver opens its own engagement from a referral it accepted (POST /engagements with `referralId`). */
    openEngagement: (actor: Actor, referral: { toOrganisationId: string }) => writes(actor) && referral.toOrganisationId === actor.organisationId,
  },
  /** Follow-up tasks (opgaver): internal to the organisation; which ones a user sees is `taskVisible`. */
  task: {
    /** Reading tasks at all (lists, "Mit arbejde", the menu counts); each row is then filtered by taskVisible. */
    read: (actor: Actor) => !aggregatesOnly(actor),
    /**
     * Giving a task on a company, or on an engagement the actor may change (own organisation; EW team
     * for an Early Warning one: the task inherits its confidentiality).
     */
    create: (actor: Actor, engagement?: CrmRecord) =>
      writes(actor) && (!engagement || (engagement.organisationId === actor.organisationId && (!engagement.confidential || actor.earlyWarning))),
    /** Changing a task (title, due date, assignee, done): a writer of its organisation who may see it. */
    change: (actor: Actor, task: CrmRecord) => writes(actor) && task.organisationId === actor.organisationId && (!task.confidential || actor.earlyWarning),
  },
  list: {
    create: (actor: Actor) => writes(actor),
    read: (actor: Actor, list: OwnedRecord) => list.organisationId === actor.organisationId && !aggregatesOnly(actor),
  },
  evaluation: {
    /** Aggregated results are for everyone signed in; `disclosureControl` decides how. */
    results: (_actor: Actor) => true,
    /**
     * Whether a query for evaluation results goes through disclosure control (whole ended periods,
     * one dimension, small cells suppressed: server/modules/evaluations/aggregate.ts). Unprotected
     * figures are for the hub whose guidance is evaluated, looking at its own results (`hub` = its
     * own organisation). Every other query is protected: other hubs' results, all hubs at once, and
     * any user of a local business service, an operator, a KKR or a national authority — an answer
     * by day and municipality would otherwise single out one company's case.
     */
    disclosureControl: (actor: Actor, filters: { hub?: string }) =>
      !(filters.hub !== undefined && actor.organisationType === 'business_hub' && actor.organisationId === filters.hub),
    /** Per-adviser figures and free-text comments stay with the hub that gave the guidance. */
    comments: (actor: Actor, hubId: string) => !aggregatesOnly(actor) && actor.organisationId === hubId,
    /** Answers tied to an Early Warning engagement (e.g. imported ones) name the company: the EW team's alone. */
    confidentialAnswers: (actor: Actor) => actor.earlyWarning,
    byAdviser: (actor: Actor, hubId: string | undefined) => !!hubId && !aggregatesOnly(actor) && actor.organisationId === hubId,
    configure: (actor: Actor, hubId: string) => actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && actor.organisationId === hubId),
  },
  contract: {
    /** Contracts and published reports are aggregate documents: everyone signed in may read them. */
    read: (_actor: Actor) => true,
    /**
     * Exact figures are the hub's, whose guidance the contract measures: its director and admins, who
     * answer for the contract, and its EW team. They count Early Warning cases, so the hub's other
     * advisers — who could date a case by reading the figures day by day —, the KKR party and other
     * organisations read them under disclosure control (server/policies/disclosure.ts).
     */
    disclosureControl: (actor: Actor, contract: { hubId: string }) =>
      !(actor.organisationId === contract.hubId && (actor.earlyWarning || actor.role === 'manager' || actor.role === 'admin')),
    /** The parties edit: the hub's and the KKR's admins and managers (and system admins). */
    manage: (actor: Actor, contract: { hubId: string; kkrId: string }) =>
      actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && (actor.organisationId === contract.hubId || actor.organisationId === contract.kkrId)),
    /** Drafts of status reports are the hub's work in progress. */
    readDraft: (actor: Actor, contract: { hubId: string }) => actor.systemAdmin || actor.organisationId === contract.hubId,
    /** The hub's director (manager) writes the report and publishes it to KKR. */
    report: (actor: Actor, contract: { hubId: string }) => actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && actor.organisationId === contract.hubId),
    /** Whether the actor may import contracts at all: admins and managers of a hub or a KKR (each contract then checks `create`). */
    import: (actor: Actor) =>
      actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && (actor.organisationType === 'business_hub' || actor.organisationType === 'kkr')),
    /** Creating (importing) a contract: a party's admins and managers — the actor's organisation is its hub or its KKR — or a system admin. */
    create: (actor: Actor, contract: { hubId: string; kkrId: string }) =>
      actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && (actor.organisationId === contract.hubId || actor.organisationId === contract.kkrId)),
  },
  offer: {
    create: (actor: Actor) => writes(actor) && runsOffers(actor),
    /** The back-office list of one's own organisation's offers, drafts included (readers too). */
    listOwn: (actor: Actor) => runsOffers(actor),
    manage: (actor: Actor, offer: { operatorId: string }) => writes(actor) && actor.organisationId === offer.operatorId,
    /** Published offers are public; drafts and archived ones only their operator knows about. */
    visible: (actor: Actor, offer: { operatorId: string; status: string }) => offer.status === 'published' || offer.operatorId === actor.organisationId,
  },
  /**
   * Gode historier (case stories): written, changed, published and archived by the writers of the
   * organisations behind the case, nobody else; to everyone else a case exists only in the public
   * library (while published with the company's publication consent in force, `casePublic`).
   */
  case: {
    create: (actor: Actor) => writes(actor),
    /** The back office's list of cases one's own organisation is behind (readers too). */
    listOwn: (actor: Actor) => !aggregatesOnly(actor),
    /** A case in the back office: only the organisations behind it know it there; others get 404. */
    visible: (actor: Actor, story: { organisationIds: readonly string[] }) => !aggregatesOnly(actor) && story.organisationIds.includes(actor.organisationId),
    manage: (actor: Actor, story: { organisationIds: readonly string[] }) => writes(actor) && story.organisationIds.includes(actor.organisationId),
    /** Sending public cases to a contact person of a company: an adviser's work (which contacts, `crmVisible` decides). */
    send: (actor: Actor) => writes(actor),
  },
  guidanceRequest: {
    /** A lead is the business of the municipality's local business service and of its hub; outside partners never receive one. */
    visibleTo: (actor: Actor) => !aggregatesOnly(actor) && !outsidePartner(actor),
    /** Taking and closing a lead is adviser work; which leads one can reach is `leadVisible`. */
    handle: (actor: Actor) => writes(actor) && !outsidePartner(actor),
    /**
     * "Opret forløb" from a lead: handling it and opening an engagement of one's own organisation
     * (both writer's work), on a lead one can reach (`leadVisible`).
     */
    openEngagement: (actor: Actor) => writes(actor) && !outsidePartner(actor),
    /** "Opret som iværksætter": handling the lead and recording a prospect (and its contact) of one's own organisation. */
    createProspect: (actor: Actor) => writes(actor) && !outsidePartner(actor),
  },
  event: {
    /** Events (arrangementer) are known to everyone signed in; public ones to everyone through the public routes. */
    read: (_actor: Actor) => true,
    /** Advisers, managers and admins create events for their organisation. */
    create: (actor: Actor) => writes(actor),
    /** Changing, cancelling and following up an event: the writers of its organiser and co-organisers. */
    change: (actor: Actor, event: { organiserId: string; coOrganiserIds: readonly string[] }) =>
      writes(actor) && (event.organiserId === actor.organisationId || event.coOrganiserIds.includes(actor.organisationId)),
    /**
     * Who co-organises (and so reads the participants' personal data) and which network the event
     * belongs to: the organiser's writers alone, so a co-organiser cannot bring in a third organisation.
     */
    organise: (actor: Actor, event: { organiserId: string }) => writes(actor) && event.organiserId === actor.organisationId,
    /** A co-organiser named by the organiser alone may withdraw from the event (its contract counts co-organised events). */
    leave: (actor: Actor, event: { coOrganiserIds: readonly string[] }) => writes(actor) && event.coOrganiserIds.includes(actor.organisationId),
    /** The participants' personal data (names, e-mails, attendance, follow-up records): the organiser and co-organisers only. */
    readParticipants: (actor: Actor, event: { organiserId: string; coOrganiserIds: readonly string[] }) =>
      !aggregatesOnly(actor) && (event.organiserId === actor.organisationId || event.coOrganiserIds.includes(actor.organisationId)),
  },
  eventSeries: {
    read: (_actor: Actor) => true,
    create: (actor: Actor) => writes(actor),
    /** A network's members and its details: the writers of the organisation that runs it. */
    manage: (actor: Actor, series: { organisationId: string }) => writes(actor) && series.organisationId === actor.organisationId,
    /** Which companies are members: the organisation that runs the network. */
    readMembers: (actor: Actor, series: { organisationId: string }) => !aggregatesOnly(actor) && series.organisationId === actor.organisationId,
  },
  /**
   * Spørgeskemaundersøgelser: the owner organisation's. Its advisers, managers and admins build and
   * send them; its users read them and their exact results. Other signed-in organisations read the
   * results of a survey marked shared, once it is closed, under disclosure control; else it is missing (404).
   */
  survey: {
    create: (actor: Actor) => writes(actor),
    read: (actor: Actor, survey: OwnedRecord) => survey.organisationId === actor.organisationId,
    manage: (actor: Actor, survey: OwnedRecord) => writes(actor) && survey.organisationId === actor.organisationId,
    /** Others only once closed: figures read while answers still come in could be compared answer by answer. */
    results: (actor: Actor, survey: OwnedRecord & { shared: boolean; status: string }) => survey.organisationId === actor.organisationId || (survey.shared && survey.status === 'closed'),
    /** Exact figures are the owner's; everyone else reads them protected (server/policies/disclosure.ts). */
    disclosureControl: (actor: Actor, survey: OwnedRecord) => survey.organisationId !== actor.organisationId,
    /** Free-text answers and answers on a company's record (personal data): the owner's users, not aggregate-only readers. */
    answers: (actor: Actor, survey: OwnedRecord) => !aggregatesOnly(actor) && survey.organisationId === actor.organisationId,
  },
  statistics: {
    /** Aggregates are for everyone signed in. */
    read: (_actor: Actor) => true,
    /**
     * They count every organisation's engagements (Early Warning included), so everyone reads them
     * under disclosure control: a hub's total minus its shown municipalities must not give one.
     */
    disclosureControl: (_actor: Actor) => true,
  },
  /**
   * Handleplaner: public documents, so everyone signed in reads them. The owner organisation and the
   * organisations named on its initiatives (responsible or partner) edit them together; only the owner
   * deletes the plan. `editors` is the owner and those named organisations.
   */
  actionPlan: {
    read: (_actor: Actor) => true,
    /** Advisers, managers and admins of an organisation that takes part in business promotion (not readers, not aggregate-only readers). */
    create: (actor: Actor) => writes(actor),
    edit: (actor: Actor, plan: { ownerOrganisationId: string; editorOrganisationIds: readonly string[] }) =>
      writes(actor) && (plan.ownerOrganisationId === actor.organisationId || plan.editorOrganisationIds.includes(actor.organisationId)),
    delete: (actor: Actor, plan: { ownerOrganisationId: string }) => writes(actor) && plan.ownerOrganisationId === actor.organisationId,
    /**
     * Deciding who edits: naming an organisation on an initiative that edits nothing yet, or removing the
     * last mention of one (by a change or by deleting the initiative). The owner only, so a partner cannot
     * hand the plan to organisations of its choosing nor push a co-editor out.
     */
    manage: (actor: Actor, plan: { ownerOrganisationId: string }) => writes(actor) && plan.ownerOrganisationId === actor.organisationId,
  },
  /**
   * Match register projects (Vækst Via Viden 2.0): the owning (coordinating) organisation and the
   * partners read the project, its target split and its progress; to anyone else it does not exist
   * (404). The owner's admins and managers set targets, workplaces and partners; the partners' writers
   * register matches. A match's details (company, education) are for the partners that helped make
   * it; the others see it only in the totals. A match carries no person data, so totals need no disclosure control.
   */
  matchProject: {
    /** The list shows only the projects `read` allows. */
    list: (actor: Actor) => !aggregatesOnly(actor) || actor.systemAdmin,
    create: (actor: Actor) => actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && !aggregatesOnly(actor)),
    read: (actor: Actor, project: { ownerOrganisationId: string; partnerIds: readonly string[] }) =>
      actor.systemAdmin || project.ownerOrganisationId === actor.organisationId || project.partnerIds.includes(actor.organisationId),
    manage: (actor: Actor, project: { ownerOrganisationId: string }) =>
      actor.systemAdmin || ((actor.role === 'admin' || actor.role === 'manager') && project.ownerOrganisationId === actor.organisationId),
    register: (actor: Actor, project: { partnerIds: readonly string[] }) => writes(actor) && project.partnerIds.includes(actor.organisationId),
    readMatch: (actor: Actor, match: { partnerIds: readonly string[] }) => !aggregatesOnly(actor) && match.partnerIds.includes(actor.organisationId),
    /** Correcting (deleting) a match: the writers of the partner that registered it. */
    changeMatch: (actor: Actor, match: { registeredByOrganisationId: string }) => writes(actor) && match.registeredByOrganisationId === actor.organisationId,
  },
  system: {
    /** Imports and seeding touch every organisation's view of the register. */
    administer: (actor: Actor) => actor.systemAdmin,
  },
};

/**
 * The caller's global abilities, sent with the session (as Outline's API sends policies): which
 * sections of the app they may open and what they may create. Each is the very policy a route asks,
 * so the web shows a menu item or a button exactly where the server would allow it.
 */
export function abilitiesOf(actor: Actor) {
  return {
    /** Where sign-in lands: an adviser's own work, else the company search. */
    home: policy.crm.create(actor) && (actor.role === 'adviser' || actor.role === 'manager') ? ('myWork' as const) : ('search' as const),
    sections: {
      myWork: policy.crm.read(actor),
      search: policy.company.read(actor),
      leads: policy.guidanceRequest.visibleTo(actor),
      referrals: policy.crm.read(actor),
      evaluation: policy.evaluation.results(actor),
      contracts: policy.contract.read(actor),
      prospects: policy.prospect.list(actor),
      catalogue: true,
      offers: policy.offer.listOwn(actor),
      users: policy.user.list(actor),
      audit: policy.audit.read(actor),
      events: policy.event.read(actor),
      actionPlans: policy.actionPlan.read(actor),
      /** Own surveys, and other organisations' shared results. */
      surveys: policy.company.read(actor),
      /** Needs and offers of cooperation and their suggested matches. */
      matchmaking: policy.crm.read(actor),
      /** Gode historier: the organisation's own cases in the back office. */
      cases: policy.case.listOwn(actor),
      /** The match projects the caller's organisation owns or takes part in (the list may be empty). */
      matchRegister: policy.matchProject.list(actor),
    },
    /** CRM records (engagements, activities, contacts, consents) at all; KKR and national authorities see aggregates only. */
    readCrm: policy.crm.read(actor),
    create: {
      engagement: policy.crm.create(actor),
      /** An Early Warning (confidential) engagement, or one in a confidential delivery category. */
      confidentialEngagement: policy.crm.createConfidential(actor),
      prospect: policy.prospect.create(actor),
      consent: policy.consent.record(actor),
      offer: policy.offer.create(actor),
      list: policy.list.create(actor),
      contract: policy.contract.import(actor),
      user: policy.user.manage(actor, actor.organisationId),
      event: policy.event.create(actor),
      eventSeries: policy.eventSeries.create(actor),
      actionPlan: policy.actionPlan.create(actor),
      survey: policy.survey.create(actor),
      matchProject: policy.matchProject.create(actor),
      case: policy.case.create(actor),
      /** POST /cases/send */
      sendCases: policy.case.send(actor),
      /** POST /companies/:cvr/cooperation */
      cooperation: policy.crm.create(actor),
    },
    /** A system admin places users in any organisation and may make system admins. */
    anyOrganisation: policy.user.grantSystemAdmin(actor),
  };
}
export type Abilities = ReturnType<typeof abilitiesOf>;

/**
 * What the caller may do with one record, sent beside it in every answer that returns it (as
 * Outline's presenters send a record's policies). Each is the very rule the route that does it asks,
 * so the web shows a button exactly where the server would allow it and never decides itself.
 */
export const abilities = {
  /** An engagement the caller can see (`crmVisible`); that only an open one changes is its state, not a permission. */
  engagement: (actor: Actor, engagement: { organisation: { id: string }; confidential: boolean }) => {
    const record = { organisationId: engagement.organisation.id, confidential: engagement.confidential };
    return {
      /** PATCH /engagements/:id */
      change: policy.crm.change(actor, record),
      /** POST /engagements/:id/activities */
      logActivity: policy.crm.change(actor, record),
      /** POST /engagements/:id/close */
      close: policy.crm.change(actor, record),
      /** POST /engagements/:id/referrals */
      refer: policy.referral.send(actor, record),
    };
  },
  /** A task the caller can see (`taskVisible`); that a done task can be reopened is its state, not a permission. */
  task: (actor: Actor, task: { organisationId: string; confidential: boolean }) => ({
    /** PATCH /tasks/:id (title, due date, assignee, done) */
    change: policy.task.change(actor, task),
  }),
  /** A referral the caller can see (`referralVisible`); which answer fits is its status. */
  referral: (actor: Actor, referral: { to: { id: string } }) => ({
    /** POST /referrals/:id/receive|accept|decline|complete */
    answer: policy.referral.answer(actor, { toOrganisationId: referral.to.id }),
    /** POST /engagements with `referralId`: the receiver's own engagement from the referral. */
    openEngagement: policy.referral.openEngagement(actor, { toOrganisationId: referral.to.id }),
  }),
  /** A hub's evaluation results as the caller may use them (the dashboard's hub choice). */
  evaluationHub: (actor: Actor, hubId: string) => ({
    byAdviser: policy.evaluation.byAdviser(actor, hubId),
    comments: policy.evaluation.comments(actor, hubId),
    configure: policy.evaluation.configure(actor, hubId),
  }),
  /** What the caller may filter evaluation results by, whichever hub. */
  evaluations: (actor: Actor) => ({
    confidentialAnswers: policy.evaluation.confidentialAnswers(actor),
  }),
  evaluationSettings: (actor: Actor, hubId: string) => ({
    configure: policy.evaluation.configure(actor, hubId),
  }),
  user: (actor: Actor, user: { organisation: { id: string }; systemAdmin: boolean }) => ({
    change: policy.user.change(actor, { organisationId: user.organisation.id, systemAdmin: user.systemAdmin }),
  }),
  /** A back-office offer: change, publish and archive it (PATCH /offers/:id, POST /offers/:id/publish|archive). */
  offer: (actor: Actor, offer: { operator: { id: string } }) => ({
    manage: policy.offer.manage(actor, { operatorId: offer.operator.id }),
  }),
  /**
   * A lead the caller can see (`leadVisible`); whether there are consents to confirm, and which status
   * move fits, is the lead's state. Creating from it also needs the lead open and not yet used (the
   * routes refuse the rest with 409), so the web offers exactly what would succeed.
   */
  lead: (
    actor: Actor,
    lead: { status: string; company: { cvr: string } | null; engagement: { id: string } | null; prospect: { organisationId: string } | null },
  ) => {
    const open = lead.status !== 'closed' && !lead.engagement;
    return {
      /** POST /guidance-requests/:id/status */
      handle: policy.guidanceRequest.handle(actor),
      /** POST /guidance-requests/:id/confirm-consents */
      confirmConsents: policy.guidanceRequest.handle(actor),
      /** POST /engagements with `guidanceRequestId`: for its company, or for the prospect the caller's organisation made from it. */
      createEngagement:
        policy.guidanceRequest.openEngagement(actor) && open && (!!lead.company || lead.prospect?.organisationId === actor.organisationId),
      /** POST /guidance-requests/:id/prospect */
      createProspect: policy.guidanceRequest.createProspect(actor) && open && !lead.company && !lead.prospect,
    };
  },
  /**
   * A delivery category: put an engagement in it (POST /engagements): a writer's own organisation's
   * categories only, and a confidential one only for the EW team.
   */
  deliveryCategory: (actor: Actor, category: { organisationId: string; confidential: boolean }) => ({
    choose: policy.crm.create(actor) && category.organisationId === actor.organisationId && (!category.confidential || policy.crm.createConfidential(actor)),
  }),
  /** The company page's actions, each the policy of the route that does it (the company itself is public register data). */
  company: (actor: Actor) => ({
    /** POST /engagements */
    createEngagement: policy.crm.create(actor),
    /** POST /companies/:cvr/activities */
    logActivity: policy.crm.create(actor),
    /** POST /companies/:cvr/contacts */
    addContact: policy.crm.create(actor),
    /** POST /companies/:cvr/consents */
    recordConsent: policy.consent.record(actor),
    /** The CRM tabs (timeline, engagements, contacts, consents); KKR and national authorities see aggregates only. */
    readCrm: policy.crm.read(actor),
    /** POST /cases/send for a contact of this company (which contacts, `crmVisible` decides). */
    sendCases: policy.case.send(actor),
  }),
  /** Data-protection duties on a contact person: export (access request) and erasure. */
  contact: (actor: Actor, contact: { organisation: { id: string } }) => ({
    administer: policy.contact.administer(actor, { organisationId: contact.organisation.id }),
  }),
  /** A consent the caller can see (`consentVisible`); one already withdrawn cannot be withdrawn again. */
  consent: (actor: Actor, consent: { withdrawnAt: string | null }) => ({
    withdraw: policy.consent.withdraw(actor) && consent.withdrawnAt === null,
  }),
  prospect: (actor: Actor, prospect: { organisationId: string }) => ({
    link: policy.prospect.link(actor, prospect),
  }),
  contract: (actor: Actor, contract: { hubId: string; kkrId: string }) => ({
    manage: policy.contract.manage(actor, contract),
    report: policy.contract.report(actor, contract),
    readDraft: policy.contract.readDraft(actor, contract),
  }),
  /** An action plan (every signed-in user reads it): its initiatives, milestones, links and assessments change with `change`. */
  actionPlan: (actor: Actor, plan: { ownerOrganisationId: string; editorOrganisationIds: readonly string[] }) => ({
    change: policy.actionPlan.edit(actor, plan),
    delete: policy.actionPlan.delete(actor, plan),
    manage: policy.actionPlan.manage(actor, plan),
  }),
  /** An event (all signed-in users see it); what its organiser and co-organisers may do. */
  event: (actor: Actor, event: { organiser: { id: string }; coOrganisers: readonly { id: string }[] }) => {
    const record = { organiserId: event.organiser.id, coOrganiserIds: event.coOrganisers.map((o) => o.id) };
    return {
      change: policy.event.change(actor, record),
      readParticipants: policy.event.readParticipants(actor, record),
      followUp: policy.event.change(actor, record),
      organise: policy.event.organise(actor, record),
      leave: policy.event.leave(actor, record),
    };
  },
  eventSeries: (actor: Actor, series: { organisation: { id: string } }) => ({
    manage: policy.eventSeries.manage(actor, { organisationId: series.organisation.id }),
  }),
  /** A survey the caller may see (own, or a shared one's results); that only a draft's questions change is its state. */
  survey: (actor: Actor, survey: { organisation: { id: string }; shared: boolean; status: string }) => {
    const record = { organisationId: survey.organisation.id, shared: survey.shared, status: survey.status };
    return {
      /** PATCH /surveys/:id, POST /surveys/:id/open|close */
      change: policy.survey.manage(actor, record),
      /** POST /surveys/:id/send and /reminders */
      send: policy.survey.manage(actor, record),
      /** GET /surveys/:id/results and results.xlsx */
      results: policy.survey.results(actor, record),
      /** Free texts and the answers attached to companies (GET /surveys/:id/responses) */
      answers: policy.survey.answers(actor, record),
    };
  },
  /** A need or offer of cooperation the caller can see (`cooperationVisible`). */
  cooperation: (actor: Actor, item: { organisation: { id: string } }) => ({
    /** PATCH /cooperation/:id */
    change: policy.crm.change(actor, { organisationId: item.organisation.id, confidential: false }),
  }),
  /**
   * A match the caller can see (`matchVisible`); each action also needs the match in the state it
   * applies to, so the web offers exactly what would succeed.
   */
  match: (actor: Actor, match: MatchRecord & { status: string; aAccepted: boolean; bAccepted: boolean }) => {
    const live = match.status === 'proposed' || match.status === 'accepted';
    const accepted = match.status === 'accepted';
    return {
      /** POST /matches/:id/accept { side: 'a' } */
      acceptA: policy.match.actFor(actor, match.aHolderId) && match.status === 'proposed' && !match.aAccepted,
      acceptB: policy.match.actFor(actor, match.bHolderId) && match.status === 'proposed' && !match.bAccepted,
      /** POST /matches/:id/agreements { side } */
      agreeA: policy.match.actFor(actor, match.aHolderId) && accepted && !match.aAgreed,
      agreeB: policy.match.actFor(actor, match.bHolderId) && accepted && match.bIsCompany && !match.bAgreed,
      /** POST /matches/:id/introduce */
      introduce: policy.match.take(actor, match) && accepted && policy.match.agreed(match),
      /** POST /matches/:id/decline */
      decline: policy.match.take(actor, match) && live,
    };
  },
  /** A back-office case: change, publish, archive it and its images (PATCH /cases/:id, POST /cases/:id/publish|archive|images). */
  case: (actor: Actor, story: { organisationIds: readonly string[] }) => ({
    manage: policy.case.manage(actor, story),
  }),
  /** A match project the caller can read. */
  matchProject: (actor: Actor, project: { ownerOrganisationId: string; partnerIds: readonly string[] }) => ({
    /** PATCH /match-projects/:id, POST /match-projects/:id/workplaces */
    manage: policy.matchProject.manage(actor, project),
    /** POST /match-projects/:id/matches */
    register: policy.matchProject.register(actor, project),
  }),
  /** A registered match the caller can see. */
  registeredMatch: (actor: Actor, match: { registeredByOrganisationId: string }) => ({
    /** DELETE /match-projects/:id/matches/:matchId */
    delete: policy.matchProject.changeMatch(actor, match),
  }),
  /** A status report of `contract`; that only drafts change is the report's state, not a permission. */
  statusReport: (actor: Actor, contract: { hubId: string }) => ({
    change: policy.contract.report(actor, contract),
    publish: policy.contract.report(actor, contract),
  }),
};

/** An actor from a user as the API shows it (sign-in has the user before the request has an actor). */
export function actorFromUser(user: { id: string; name: string; email: string; role: Role; earlyWarning: boolean; systemAdmin: boolean; organisation: { id: string; type: OrganisationType } }): Actor {
  return {
    userId: user.id, name: user.name, email: user.email, organisationId: user.organisation.id, organisationType: user.organisation.type,
    role: user.role, earlyWarning: user.earlyWarning, systemAdmin: user.systemAdmin,
  };
}

export function authorize(allowed: boolean): asserts allowed {
  if (!allowed) throw new HttpProblem(403, 'problem.403');
}

/** For records whose existence must not leak: not visible means 404, never 403. */
export function authorizeVisible(allowed: boolean, notFoundKey = 'problem.404'): asserts allowed {
  if (!allowed) throw new HttpProblem(404, notFoundKey);
}
