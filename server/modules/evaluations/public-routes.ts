import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpProblem } from '../../http/problem.ts';
import { audit } from '../audit/service.ts';
import { withdrawConsents } from '../consents/service.ts';
import { hashToken } from '../../lib/hashing.ts';
import { claimInvitation, findInvitationByToken, insertLinkAnswer, unsubscribeInvitation } from './invitations.ts';
import { effectAnswers } from './schema.ts';
import {
  evaluationAnswerBody,
  evaluationAnsweredSchema,
  evaluationTokenParams as tokenParams,
  evaluationUnsubscribedSchema,
  publicEvaluationSchema,
  type PublicEvaluationState as State,
} from './schemas.ts';

/**
 * The company's side of the evaluation: no sign-in, a personal single-use link. Every outcome is a
 * clear state the answer page can explain; nothing here reveals whose link it is beyond the hub's name.
 */
export const evaluationPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const publicConfig = { public: true, rateLimit: { max: app.config.publicRateLimit, timeWindow: '1 minute' } };

  const lookup = async (token: string) => {
    const row = await findInvitationByToken(db, token);
    if (!row) return { state: 'unknown' as State, hub: null, id: null };
    const state: State = row.answered_at ? 'answered' : row.unsubscribed_at ? 'unsubscribed' : new Date(row.expires_at) <= app.now() ? 'expired' : 'open';
    return { state, hub: row.organisation_name, id: row.id };
  };

  app.get(
    '/public/evaluations/:token',
    {
      config: publicConfig,
      schema: {
        tags: ['evaluations'],
        operationId: 'getPublicEvaluation',
        summary: 'The state of an evaluation link (open, answered, expired, unsubscribed or unknown)',
        params: tokenParams,
        response: { 200: publicEvaluationSchema },
      },
    },
    async (request) => {
      const { state, hub } = await lookup(request.params.token);
      return { state, hub, effectAnswers: [...effectAnswers] };
    },
  );

  app.post(
    '/public/evaluations/:token',
    {
      config: publicConfig,
      schema: {
        tags: ['evaluations'],
        operationId: 'answerEvaluation',
        summary: 'Answer the evaluation once: NPS 0–10, expected effect, optional comment',
        params: tokenParams,
        body: evaluationAnswerBody,
        response: { 201: evaluationAnsweredSchema },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const tokenHash = hashToken(request.params.token);
      const stored = await db.transaction(async (tx) => {
        // The conditional update is the single-use guard: of concurrent submissions exactly one wins it.
        const invitation = await claimInvitation(tx, tokenHash, now);
        if (!invitation) return false;
        await insertLinkAnswer(tx, invitation, now, request.body);
        await audit(tx, null, { action: 'answer', entity: 'evaluation', entityId: invitation.id, companyCvr: invitation.company_cvr });
        return true;
      });
      if (!stored) {
        const { state } = await lookup(request.params.token);
        if (state === 'unknown') throw new HttpProblem(404, 'evaluation.unknown');
        if (state === 'expired') throw new HttpProblem(410, 'evaluation.expired');
        if (state === 'unsubscribed') throw new HttpProblem(410, 'evaluation.unsubscribed');
        throw new HttpProblem(409, 'evaluation.alreadyAnswered');
      }
      return reply.code(201).send({ state: 'answered' as const });
    },
  );

  app.post(
    '/public/evaluations/:token/unsubscribe',
    {
      config: publicConfig,
      schema: {
        tags: ['evaluations'],
        operationId: 'unsubscribeEvaluation',
        summary: "Unsubscribe: withdraws the company's evaluation consent",
        params: tokenParams,
        response: { 200: evaluationUnsubscribedSchema },
      },
    },
    async (request) => {
      const now = app.now();
      const { state, id } = await lookup(request.params.token);
      if (!id) throw new HttpProblem(404, 'evaluation.unknown');
      if (state !== 'unsubscribed') {
        await db.transaction(async (tx) => {
          const companyCvr = await unsubscribeInvitation(tx, id, now);
          // The company itself withdraws every evaluation consent it gave; each recorder is told.
          await withdrawConsents(tx, { company: true }, now, sql`sc.company_cvr = ${companyCvr} AND sc.purpose = 'evaluation'`, 'Frameldt via evalueringslink', app.config);
          await audit(tx, null, { action: 'unsubscribe', entity: 'evaluation', entityId: id, companyCvr });
        });
      }
      return { state: 'unsubscribed' as const };
    },
  );
};
