import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../lib/ids.ts';
import { conflict, fieldProblem, HttpProblem } from '../../http/problem.ts';
import { pageOf, pageWindow } from '../../lib/paging.ts';
import { deadlineAfter } from '../../lib/working-days.ts';
import { authorize, authorizeVisible, policy } from '../../policies/index.ts';
import { audit } from '../audit/service.ts';
import { actorOf } from '../auth/plugin.ts';
import { activeSharingConsentId } from '../consents/service.ts';
import { assertContactOf } from '../contacts/service.ts';
import { findEngagement } from '../engagements/service.ts';
import { queueMail } from '../mail/outbox.ts';
import { notificationRecipients } from '../users/service.ts';
import {
  newReferralBody,
  referralAnswerBodies,
  referralListQuery,
  referralPageSchema,
  referralReceiversQuery,
  referralReceiversSchema,
  referralSchema,
} from './schemas.ts';
import {
  answerReferral,
  findPublishedOffer,
  findReceiver,
  findReferrals,
  insertReferral,
  insertReferralConsent,
  overdueSql,
  presentReferral,
  referralNotice,
  referralReceivers,
  referralTransitions,
  userEmail,
} from './service.ts';

const engagementParams = idParams('engagement.notFound');
const referralParams = idParams('referral.notFound');

/** A receiver that can never answer (KKR, national authority, Knudepunkt's operator): refused as unprocessable, naming the field. */
const cannotReceive = (field: string) => new HttpProblem(422, 'validation.failed', {}, [{ field, key: 'referral.receiverCannotAnswer' }]);

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  /** The web's detail view of the referral: the link in every mail about it. */
  const link = (id: string) => `${app.config.publicUrl}/henvisninger/${id}`;

  /** The engagement the actor refers from: visible (else 404), not confidential, and the actor's organisation's to refer (else 403). */
  const engagementToRefer = async (actor: ReturnType<typeof actorOf>, now: Date, engagementId: string) => {
    const engagement = await findEngagement(db, actor, now, engagementId);
    authorizeVisible(!!engagement, 'engagement.notFound');
    if (engagement.confidential) throw new HttpProblem(400, 'referral.confidential');
    authorize(policy.referral.send(actor, { organisationId: engagement.organisation.id, confidential: engagement.confidential }));
    return engagement;
  };

  app.get(
    '/referrals/receivers',
    {
      schema: {
        tags: ['referrals'],
        operationId: 'listReferralReceivers',
        summary: "Whom the engagement's company can be referred to: the municipality's hub first, each with any open referral of the company to it that the caller can see",
        querystring: referralReceiversQuery,
        response: { 200: referralReceiversSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const engagement = await engagementToRefer(actor, app.now(), request.query.engagementId);
      const subject = { companyCvr: engagement.company?.cvr ?? null, prospectId: engagement.prospect?.id ?? null };
      const items = await referralReceivers(db, actor, subject);
      const open = items.filter((r) => r.openReferral);
      if (open.length > 0) {
        await audit(db, actor, { action: 'read', entity: 'referral', companyCvr: subject.companyCvr, details: { receivers: true, open: open.map((r) => r.openReferral!.id) } });
      }
      return { items };
    },
  );

  app.post(
    '/engagements/:id/referrals',
    {
      schema: {
        tags: ['referrals'],
        operationId: 'createReferral',
        summary: 'Refer the company of an engagement to another organisation',
        description: 'A KKR secretariat, a national authority or the operator of Knudepunkt cannot receive a referral: 422 naming the field.',
        params: engagementParams,
        body: newReferralBody,
        response: { 201: referralSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = app.now();
      const engagement = await engagementToRefer(actor, now, request.params.id);
      const body = request.body;
      if (!body.toOrganisationId === !body.toOfferId) throw fieldProblem('toOrganisationId', 'referral.receiverRequired');
      // A referral to an offer goes to the organisation that runs it.
      let offer: { id: string; operatorId: string } | undefined;
      if (body.toOfferId) {
        offer = await findPublishedOffer(db, body.toOfferId);
        if (!offer) throw fieldProblem('toOfferId', 'offer.notFound');
      }
      const receiverField = offer ? 'toOfferId' : 'toOrganisationId';
      const toOrganisationId = offer?.operatorId ?? body.toOrganisationId!;
      if (toOrganisationId === actor.organisationId) throw fieldProblem(receiverField, 'referral.toOwn');
      const receiver = await findReceiver(db, toOrganisationId);
      if (!receiver) throw fieldProblem('toOrganisationId', 'referral.organisationUnknown');
      if (!receiver.receivable) throw cannotReceive(receiverField);
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
        const dueOn = deadlineAfter(now, app.config.referralDeadlineDays);
        const referralId = await insertReferral(tx, actor, now, {
          engagementId: engagement.id,
          companyCvr: subject.companyCvr,
          toOrganisationId: receiver.id,
          offerId: offer?.id ?? null,
          reason: body.reason,
          needs: body.needs,
          consentId,
          contactId: body.contactId ?? null,
          dueOn,
        });
        await audit(tx, actor, { action: 'create', entity: 'referral', entityId: referralId, companyCvr: subject.companyCvr, details: { to: receiver.id } });
        // The receiver's advisers who want referral mail (notification settings); no contact person is named.
        const notice = referralNotice({ from: engagement.organisation.name, to: receiver.name, company: engagement.company, needs: body.needs, dueOn, link: link(referralId) });
        for (const { email } of await notificationRecipients(tx, receiver.id, 'referrals')) {
          await queueMail(tx, { to: email, dedupeKey: `referral.sent:${referralId}:${email}`, ...notice });
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
        summary: "The caller's organisation's referral inbox or outbox, sorted by deadline, company, sent or status",
        querystring: referralListQuery,
        response: { 200: referralPageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(policy.crm.read(actor));
      const now = app.now();
      const { box, status, overdue, sort, dir, page, pageSize } = request.query;
      const filters = [box === 'inbox' ? sql`r.to_organisation_id = ${actor.organisationId}` : sql`r.from_organisation_id = ${actor.organisationId}`];
      if (status) filters.push(sql`r.status = ${status}`);
      if (overdue === 'true') filters.push(overdueSql('r', now));
      const order = { sort, dir: dir ?? (sort === 'sent' ? 'desc' : 'asc') } as const;
      const rows = await findReferrals(db, actor, now, sql.join(filters, sql` AND `), { ...pageWindow({ page, pageSize }), order });
      const result = pageOf(rows, { page, pageSize });
      await audit(db, actor, { action: 'read', entity: 'referral', details: { box, page, count: result.items.length } });
      return { ...result, items: result.items.map((r) => presentReferral(actor, r)) };
    },
  );

  app.get(
    '/referrals/:id',
    { schema: { tags: ['referrals'], operationId: 'getReferral', summary: 'A referral, to its sender or its receiver', params: referralParams, response: { 200: referralSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const [referral] = await findReferrals(db, actor, app.now(), sql`r.id = ${request.params.id}`);
      authorizeVisible(!!referral, 'referral.notFound');
      await audit(db, actor, { action: 'read', entity: 'referral', entityId: referral.id, companyCvr: referral.company?.cvr ?? null, holders: [referral.from.id] });
      return presentReferral(actor, referral);
    },
  );

  for (const [action, rule] of Object.entries(referralTransitions) as [keyof typeof referralTransitions, (typeof referralTransitions)[keyof typeof referralTransitions]][]) {
    app.post(
      `/referrals/:id/${action}`,
      {
        schema: {
          tags: ['referrals'],
          operationId: `${action}Referral`,
          summary: `The receiver ${action}s the referral`,
          params: referralParams,
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
