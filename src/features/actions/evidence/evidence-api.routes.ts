import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { decisionForm, evidenceForm, evidenceParams } from './evidence.forms.ts';
import { presentDecidedEvidence } from './evidence.presenter.ts';
import {
  addedEvidenceResponse,
  decisionResponse,
  evidenceBody,
  evidenceDecisionBody,
  withdrawalBody,
  withdrawalResponse,
} from './evidence.schemas.ts';
import { decideEvidence, getEvidenceForDecision } from './decision.service.ts';
import { addEvidence, evidenceRules } from './evidence.service.ts';
import { getEvidenceForWithdrawal, withdrawEvidence } from './evidence-withdrawal.service.ts';
import { withdrawalForm } from './withdrawal.forms.ts';

/**
 * Evidence for scripts and other systems: the same form schemas, services, permissions and
 * audit as the pages. Bodies are JSON, with dates as 'YYYY-MM-DD'; evidence files are sent as
 * multipart/form-data (field "file"). A refused form is answered by the error handler: 400
 * with {errors: [{field, message}]}, or 409 for a decision on evidence decided on or withdrawn
 * since, and for a withdrawal refused (someone else's evidence, or evidence decided on).
 */
export function evidenceApiRoutes(app: ClaspApp, ctx: AppContext): void {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/evidence',
    {
      schema: {
        summary: 'Add evidence to an action',
        params: actionParams,
        consumes: ['application/json', 'multipart/form-data'],
        body: formBody(evidenceBody),
        response: { 201: addedEvidenceResponse },
      },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const item = await parseForm(evidenceForm(await evidenceRules(ctx, actor, reviewId, actionId)), request.body);
      const evidenceId = await addEvidence(ctx, actor, reviewId, actionId, item);
      return reply.code(201).send({ evidenceId, status: 'submitted', action: actionUrl(reviewId, actionId) });
    },
  );

  app.post(
    '/api/reviews/:reviewId/evidence/:evidenceId/decision',
    {
      schema: {
        summary: 'Accept or reject evidence',
        params: evidenceParams,
        body: formBody(evidenceDecisionBody),
        response: { 200: decisionResponse },
      },
      config: { access: 'assure' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, evidenceId } = request.params;
      // Who may decide is checked before what was sent, as for every form.
      await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
      const decision = await parseForm(decisionForm, request.body);
      const { evidence } = await decideEvidence(ctx, actor, reviewId, evidenceId, decision);
      return reply
        .code(200)
        .send({ evidence: presentDecidedEvidence(evidence), action: actionUrl(reviewId, evidence.action_id) });
    },
  );

  app.post(
    '/api/reviews/:reviewId/evidence/:evidenceId/withdrawal',
    {
      schema: {
        summary: 'Withdraw evidence',
        params: evidenceParams,
        body: formBody(withdrawalBody),
        response: { 200: withdrawalResponse },
      },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, evidenceId } = request.params;
      // Who may withdraw is checked before what was sent, as for every form.
      await getEvidenceForWithdrawal(ctx, actor, reviewId, evidenceId);
      const command = await parseForm(withdrawalForm, request.body);
      const { evidence, withdrawal } = await withdrawEvidence(ctx, actor, reviewId, evidenceId, command);
      return reply.code(200).send({
        withdrawn: {
          kind: 'evidence_item' as const,
          id: evidence.id,
          by: withdrawal?.actor_name ?? actor.name,
          at: withdrawal?.created_at ?? '',
          reason: withdrawal?.reason ?? command.reason,
          evidenceIds: [evidence.id],
        },
        action: actionUrl(reviewId, evidence.action_id),
      });
    },
  );
}
