import { z } from 'zod';
import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { contentDisposition } from '../../../platform/http/downloads.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { decisionForm, evidenceForm, evidenceParams } from './evidence.forms.ts';
import { presentDecisionForm, presentEvidenceForm } from './evidence.presenter.ts';
import { decideEvidence, getEvidenceForDecision } from './decision.service.ts';
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
 * found by its own id within the review (/reviews/:reviewId/evidence/:evidenceId/…).
 */

/** A link may choose the decision in advance: ?decision=accept or ?decision=reject. */
const decisionQuery = z.object({ decision: z.enum(['accept', 'reject']).optional().catch(undefined) });

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
      return reply.page(
        'actions/evidence/views/decision-form.njk',
        presentDecisionForm(found, keptFormFor(request), request.query.decision ?? ''),
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
          return actionHref(reviewId, evidence.action_id);
        },
        async (refused) => {
          const found = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
          return reply.page(
            'actions/evidence/views/decision-form.njk',
            presentDecisionForm(found, refused),
            refused.failure.status,
          );
        },
      );
    },
  );
}
