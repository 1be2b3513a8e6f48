import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conflict, fieldProblem, HttpProblem } from '../../http/problem.ts';
import { deadlineAfter } from '../../lib/working-days.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { activeSharingConsentId } from '../consents/service.ts';
import { assertContactOf } from '../contacts/service.ts';
import { findEngagement } from '../engagements/service.ts';
import { queueMail } from '../mail/outbox.ts';
import type { ReferralStatus } from './schema.ts';
import { newReferralBody, referralAnswerBodies, referralListQuery, referralPageSchema, referralSchema } from './schemas.ts';
import {
  answerReferral,
  findPublishedOffer,
  findReceiver,
  findReferrals,
  insertReferral,
  insertReferralConsent,
  overdueSql,
  presentReferral,
  referralNoticeRecipients,
  userEmail,
} from './service.ts';
import { pageOf, pageWindow } from '../../lib/paging.ts';

const idParams = z.object({ id: z.uuid() });

/** The receiver's answers: from which statuses each is allowed, and what it sets. */
const transitions = {
  receive: { from: ['sent'], to: 'received' },
  accept: { from: ['sent', 'received'], to: 'accepted' },
  decline: { from: ['sent', 'received'], to: 'declined' },
  complete: { from: ['accepted'], to: 'completed' },
} as const satisfies Record<string, { from: readonly ReferralStatus[]; to: ReferralStatus }>;

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const link = (id: string) => `${app.config.publicUrl}/henvisninger?id=${id}`;

  app.post(
    '/engagements/:id/referrals',
    {
      schema: {
        tags: ['referrals'],
        operationId: 'createReferral',
        summary: 'Refer the company of an engagement to another organisation',
        params: idParams,
        body: newReferralBody,
        response: { 201: referralSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await findEngagement(db, actor, now, request.params.id);
      authorizeVisible(!!engagement, 'engagement.notFound');
      if (engagement.confidential) throw new HttpProblem(400, 'referral.confidential');
      authorize(policy.referral.send(actor, { organisationId: engagement.organisation.id, confidential: engagement.confidential }));
      const body = request.body;
      if (!body.toOrganisationId === !body.toOfferId) throw fieldProblem('toOrganisationId', 'referral.receiverRequired');
      // A referral to an offer goes to the organisation that runs it.
      let offer: { id: string; operatorId: string } | undefined;
      if (body.toOfferId) {
        offer = await findPublishedOffer(db, body.toOfferId);
        if (!offer) throw fieldProblem('toOfferId', 'offer.notFound');
      }
      const toOrganisationId = offer?.operatorId ?? body.toOrganisationId!;
      if (toOrganisationId === actor.organisationId) throw fieldProblem(offer ? 'toOfferId' : 'toOrganisationId', 'referral.toOwn');
      const receiver = await findReceiver(db, toOrganisationId);
      if (!receiver) throw fieldProblem('toOrganisationId', 'referral.organisationUnknown');
      // KKR secretariats and national authorities see aggregates only: they could never read or answer it.
      if (receiver.type === 'kkr' || receiver.type === 'national_authority') throw fieldProblem('toOrganisationId', 'referral.receiverCannotAnswer');
      const subject = { companyCvr: engagement.company?.cvr ?? null, prospectId: engagement.prospect?.id ?? null };
      for (const [field, contactId] of [['contactId', body.contactId], ['consent.givenByContactId', body.consent?.givenByContactId]] as const) {
        if (contactId) await assertContactOf(db, actor, now, contactId, subject, field, { own: true });
      }
      const existingConsent = await activeSharingConsentId(db, now, subject, receiver.id, actor.organisationId);
      if (!existingConsent && !body.consent) throw fieldProblem('consent', 'referral.consentRequired');

      const id = await db.transaction(async (tx) => {
        let consentId = existingConsent;
        if (!consentId) {
          consentId = await insertReferralConsent(tx, actor, now, subject, receiver.id, body.consent!);
          await audit(tx, actor, { action: 'create', entity: 'consent', entityId: consentId, companyCvr: subject.companyCvr, details: { purpose: 'sharing', scope: 'named', via: 'referral' } });
        }
        const referralId = await insertReferral(tx, actor, now, {
          engagementId: engagement.id,
          companyCvr: subject.companyCvr,
          toOrganisationId: receiver.id,
          offerId: offer?.id ?? null,
          reason: body.reason,
          needs: body.needs,
          consentId,
          contactId: body.contactId ?? null,
          dueOn: deadlineAfter(now, app.config.referralDeadlineDays),
        });
        await audit(tx, actor, { action: 'create', entity: 'referral', entityId: referralId, companyCvr: subject.companyCvr, details: { to: receiver.id } });
        // The notice names no person and no content: the receiver reads it in Knudepunkt.
        const recipients = await referralNoticeRecipients(tx, receiver.id);
        for (const { email } of recipients) {
          await queueMail(tx, {
            to: email,
            dedupeKey: `referral.sent:${referralId}:${email}`,
            subject: `Ny henvisning fra ${engagement.organisation.name}`,
            text: `${engagement.organisation.name} har henvist en virksomhed${subject.companyCvr ? ` (CVR ${subject.companyCvr})` : ''} til ${receiver.name}.\n\nSe henvisningen i Knudepunkt: ${link(referralId)}\n`,
          });
        }
        return referralId;
      });
      const [created] = await findReferrals(db, actor, now, sql`r.id = ${id}`);
      return reply.code(201).send(presentReferral(actor, created!));
    },
  );

  app.get(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        operationId: 'listReferrals',
        summary: "The caller's organisation's referral inbox or outbox",
        querystring: referralListQuery,
        response: { 200: referralPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const now = app.now();
      const { box, status, overdue, page, pageSize } = request.query;
      const filters = [box === 'inbox' ? sql`r.to_organisation_id = ${actor.organisationId}` : sql`r.from_organisation_id = ${actor.organisationId}`];
      if (status) filters.push(sql`r.status = ${status}`);
      if (overdue === 'true') filters.push(overdueSql('r', now));
      const rows = await findReferrals(db, actor, now, sql.join(filters, sql` AND `), pageWindow({ page, pageSize }));
      const result = pageOf(rows, { page, pageSize });
      await audit(db, actor, { action: 'read', entity: 'referral', details: { box, page, count: result.items.length } });
      return { ...result, items: result.items.map((r) => presentReferral(actor, r)) };
    },
  );

  app.get(
    '/referrals/:id',
    { schema: { tags: ['referrals'], operationId: 'getReferral', summary: 'A referral', params: idParams, response: { 200: referralSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const [referral] = await findReferrals(db, actor, app.now(), sql`r.id = ${request.params.id}`);
      authorizeVisible(!!referral, 'referral.notFound');
      await audit(db, actor, { action: 'read', entity: 'referral', entityId: referral.id, companyCvr: referral.company?.cvr ?? null, holders: [referral.from.id] });
      return presentReferral(actor, referral);
    },
  );

  for (const [action, rule] of Object.entries(transitions) as [keyof typeof transitions, (typeof transitions)[keyof typeof transitions]][]) {
    app.post(
      `/referrals/:id/${action}`,
      {
        schema: {
          tags: ['referrals'],
          operationId: `${action}Referral`,
          summary: `The receiver ${action}s the referral`,
          params: idParams,
          body: referralAnswerBodies[action],
          response: { 200: referralSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const now = app.now();
        const [referral] = await findReferrals(db, actor, now, sql`r.id = ${request.params.id}`);
        authorizeVisible(!!referral, 'referral.notFound');
        authorize(policy.referral.answer(actor, { toOrganisationId: referral.to.id }));
        if (!(rule.from as readonly string[]).includes(referral.status)) throw conflict('referral.transition', { from: referral.status });
        const input = request.body as { version: number; reason?: string; feedback?: string };
        await db.transaction(async (tx) => {
          const sentBy = await answerReferral(tx, actor, now, referral, { action, to: rule.to, version: input.version, reason: input.reason, feedback: input.feedback });
          if (!sentBy) throw conflict('referral.stale');
          await audit(tx, actor, { action, entity: 'referral', entityId: referral.id, companyCvr: referral.company?.cvr ?? null });
          if (action !== 'receive') {
            const senderEmail = await userEmail(tx, sentBy);
            const words = { accept: 'accepteret', decline: 'afvist', complete: 'afsluttet med tilbagemelding' } as const;
            if (senderEmail !== undefined) {
              await queueMail(tx, {
                to: senderEmail,
                dedupeKey: `referral.${action}:${referral.id}`,
                subject: `Henvisning ${words[action]} af ${referral.to.name}`,
                text: `Din henvisning til ${referral.to.name} er ${words[action]}.\n\nSe den i Knudepunkt: ${link(referral.id)}\n`,
              });
            }
          }
        });
        const [changed] = await findReferrals(db, actor, now, sql`r.id = ${referral.id}`);
        return presentReferral(actor, changed!);
      },
    );
  }
};
