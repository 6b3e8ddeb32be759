import { z } from 'zod';
import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { confirm, returnToFrom } from '../../../platform/http/confirmations.ts';
import { contentDisposition } from '../../../platform/http/downloads.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { returnToIn } from '../progress/return-to.ts';
import { presentEvidenceWithdrawal } from '../progress/withdrawal.presenter.ts';
import { decisionForm, evidenceForm, evidenceParams } from './evidence.forms.ts';
import { presentDecisionForm, presentEvidenceForm } from './evidence.presenter.ts';
import { decideEvidence, getEvidenceForDecision } from './decision.service.ts';
import { getEvidenceForWithdrawal, withdrawEvidence } from './evidence-withdrawal.service.ts';
import { withdrawalForm } from './withdrawal.forms.ts';
import {
  addEvidence,
  evidenceRules,
  getEvidenceFile,
  getEvidenceFormAccess,
  uploadLimitText,
} from './evidence.service.ts';
import { evidenceApiRoutes } from './evidence-api.routes.ts';

/*
 * An action's evidence: the form that adds a file, a link or a note to the action, the file
 * itself, and the form on which the peer challenge group accepts or rejects it. Evidence is
 * added under its action (/reviews/:reviewId/actions/:actionId/evidence/new) and, once added,
 * found by its own id within the review (/reviews/:reviewId/evidence/:evidenceId/…), where the
 * person who added it can also withdraw it until it is decided on. The decision and withdrawal
 * forms go back to the page named by `returnTo` (My work, say) when opened from there.
 */

/**
 * A link may choose the decision in advance (?decision=accept or ?decision=reject) and name the
 * page to go back to (?returnTo=/my-work).
 */
const decisionQuery = z.object({
  decision: z.enum(['accept', 'reject']).optional().catch(undefined),
  returnTo: z.string().optional().catch(undefined),
});
const returnToQuery = decisionQuery.pick({ returnTo: true });

export function evidenceRoutes(app: ClaspApp, ctx: AppContext): void {
  evidenceApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  // Adding evidence
  const evidencePath = '/reviews/:reviewId/actions/:actionId/evidence/new';
  app.get(
    evidencePath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action', restoresKeptForm: true } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const access = await getEvidenceFormAccess(ctx, requireActor(request), reviewId, actionId);
      return reply.page(
        'actions/evidence/views/evidence-form.njk',
        presentEvidenceForm(access, keptFormFor(request), uploadLimit),
      );
    },
  );
  app.post(
    evidencePath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await evidenceRules(ctx, actor, reviewId, actionId);
          await addEvidence(ctx, actor, reviewId, actionId, await parseForm(evidenceForm(rules), request.body));
          confirm(reply, 'Evidence added');
          return actionHref(reviewId, actionId);
        },
        async (refused) => {
          const access = await getEvidenceFormAccess(ctx, actor, reviewId, actionId);
          return reply.page(
            'actions/evidence/views/evidence-form.njk',
            presentEvidenceForm(access, refused, uploadLimit),
            refused.failure.status,
          );
        },
      );
    },
  );

  // Downloads are never shown in the browser: an uploaded file cannot run as part of Clasp.
  app.get(
    '/reviews/:reviewId/evidence/:evidenceId/file',
    { schema: { params: evidenceParams }, config: { access: 'read' } },
    async (request, reply) => {
      const file = await getEvidenceFile(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.evidenceId,
      );
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  );

  // Decisions on evidence
  const decisionPath = '/reviews/:reviewId/evidence/:evidenceId/decision';
  app.get(
    decisionPath,
    {
      schema: { params: evidenceParams, querystring: decisionQuery },
      config: { access: 'assure', restoresKeptForm: true },
    },
    async (request, reply) => {
      const found = await getEvidenceForDecision(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.evidenceId,
      );
      const kept = keptFormFor(request);
      return reply.page(
        'actions/evidence/views/decision-form.njk',
        presentDecisionForm(
          found,
          kept,
          request.query.decision ?? '',
          kept ? returnToIn(kept.fields) : returnToFrom(request.query.returnTo),
        ),
      );
    },
  );
  app.post(
    decisionPath,
    { schema: { params: evidenceParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, evidenceId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          // Who may decide is checked before what was sent, as for every form.
          await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
          const decision = await parseForm(decisionForm, request.body);
          const { evidence } = await decideEvidence(ctx, actor, reviewId, evidenceId, decision);
          confirm(reply, decision.status === 'accepted' ? 'Evidence accepted' : 'Evidence rejected');
          return returnToIn(request.body) ?? actionHref(reviewId, evidence.action_id);
        },
        async (refused) => {
          const found = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
          return reply.page(
            'actions/evidence/views/decision-form.njk',
            presentDecisionForm(found, refused, '', returnToIn(request.body)),
            refused.failure.status,
          );
        },
      );
    },
  );

  // Withdrawing evidence added by mistake: a page that asks first, then a form post.
  const withdrawPath = '/reviews/:reviewId/evidence/:evidenceId/withdraw';
  app.get(
    withdrawPath,
    { schema: { params: evidenceParams, querystring: returnToQuery }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, evidenceId } = request.params;
      const found = await getEvidenceForWithdrawal(ctx, requireActor(request), reviewId, evidenceId);
      return reply.page(
        'actions/progress/views/withdraw-form.njk',
        presentEvidenceWithdrawal(found, null, returnToFrom(request.query.returnTo)),
      );
    },
  );
  app.post(
    withdrawPath,
    { schema: { params: evidenceParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, evidenceId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          // Who may withdraw is checked before what was sent, as for every form.
          await getEvidenceForWithdrawal(ctx, actor, reviewId, evidenceId);
          const command = await parseForm(withdrawalForm, request.body);
          const { evidence } = await withdrawEvidence(ctx, actor, reviewId, evidenceId, command);
          confirm(reply, 'Evidence withdrawn');
          return returnToIn(request.body) ?? actionHref(reviewId, evidence.action_id);
        },
        async (refused) => {
          const found = await getEvidenceForWithdrawal(ctx, actor, reviewId, evidenceId);
          return reply.page(
            'actions/progress/views/withdraw-form.njk',
            presentEvidenceWithdrawal(found, refused, returnToIn(request.body)),
            refused.failure.status,
          );
        },
      );
    },
  );
}
