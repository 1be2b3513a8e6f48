import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpProblem } from '../../http/problem.ts';
import { danishDate } from '../../lib/working-days.ts';
import { audit } from '../audit/service.ts';
import { withdrawConsents } from '../consents/service.ts';
import { hashToken } from './invitations.ts';
import { effectAnswers, evaluationAnswers } from './schema.ts';
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
    const [row] = (await db.execute<{ id: string; organisation_name: string; answered_at: Date | null; expires_at: Date; unsubscribed_at: Date | null }>(sql`
      SELECT i.id, o.name AS organisation_name, i.answered_at, i.expires_at, i.unsubscribed_at
      FROM evaluation_invitations i JOIN organisations o ON o.id = i.organisation_id WHERE i.token_hash = ${hashToken(token)}`)).rows;
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
        const [invitation] = (await tx.execute<{ id: string; engagement_id: string; company_cvr: string | null; organisation_id: string }>(sql`
          UPDATE evaluation_invitations SET answered_at = ${now.toISOString()}::timestamptz
          WHERE token_hash = ${tokenHash} AND answered_at IS NULL AND unsubscribed_at IS NULL AND expires_at > ${now.toISOString()}::timestamptz
          RETURNING id, engagement_id, company_cvr, organisation_id`)).rows;
        if (!invitation) return false;
        await tx.insert(evaluationAnswers).values({
          invitationId: invitation.id,
          engagementId: invitation.engagement_id,
          companyCvr: invitation.company_cvr,
          organisationId: invitation.organisation_id,
          answeredOn: danishDate(now),
          nps: request.body.nps,
          effect: request.body.effect,
          comment: request.body.comment || null,
          source: 'link',
        });
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
          const [invitation] = (await tx.execute<{ company_cvr: string | null }>(sql`
            UPDATE evaluation_invitations SET unsubscribed_at = ${now.toISOString()}::timestamptz WHERE id = ${id} RETURNING company_cvr`)).rows;
          // The company itself withdraws every evaluation consent it gave; each recorder is told.
          await withdrawConsents(tx, { company: true }, now, sql`sc.company_cvr = ${invitation!.company_cvr} AND sc.purpose = 'evaluation'`, 'Frameldt via evalueringslink', app.config);
          await audit(tx, null, { action: 'unsubscribe', entity: 'evaluation', entityId: id, companyCvr: invitation!.company_cvr });
        });
      }
      return { state: 'unsubscribed' as const };
    },
  );
};
