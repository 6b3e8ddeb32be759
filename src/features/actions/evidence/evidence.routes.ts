import { z } from 'zod';
import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { contentDisposition } from '../../../platform/http/downloads.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { handleForm } from '../assurance.forms.ts';
import { evidenceParams, readDecision, readEvidence } from './evidence.forms.ts';
import { presentDecisionForm, presentEvidenceForm } from './evidence.presenter.ts';
import { decideEvidence, getEvidenceForDecision } from './decision.service.ts';
import { addEvidence, getEvidenceFile, getEvidenceFormAccess, uploadLimitText } from './evidence.service.ts';
import { evidenceApiRoutes } from './evidence-api.routes.ts';

/*
 * An action's evidence: the form that adds a file, a link or a note to the action, the file
 * itself, and the form on which the peer challenge group accepts or rejects it. Evidence is
 * added under its action (/reviews/:reviewId/actions/:actionId/evidence/new) and, once added,
 * found by its own id within the review (/reviews/:reviewId/evidence/:evidenceId/…).
 */

/** A link may choose the decision in advance: ?decision=accept or ?decision=reject. */
const decisionQuery = z.object({ decision: z.string().optional() });

export async function evidenceRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  await evidenceApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  // Adding evidence
  const evidencePath = '/reviews/:reviewId/actions/:actionId/evidence/new';
  app.get(
    evidencePath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const access = await getEvidenceFormAccess(ctx, requireActor(request), reviewId, actionId);
      return reply.page(
        'actions/evidence/views/evidence-form.njk',
        presentEvidenceForm(access, null, null, uploadLimit),
      );
    },
  );
  app.post(
    evidencePath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readEvidence(request.body, ctx.today(), errors);
      return handleForm(
        reply,
        async () => {
          await addEvidence(ctx, actor, reviewId, actionId, draft, errors);
          return actionHref(reviewId, actionId);
        },
        async (failed) => {
          const access = await getEvidenceFormAccess(ctx, actor, reviewId, actionId);
          return reply.page(
            'actions/evidence/views/evidence-form.njk',
            presentEvidenceForm(access, draft, failed.errors, uploadLimit),
            failed.status,
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
    { schema: { params: evidenceParams, querystring: decisionQuery }, config: { access: 'assure' } },
    async (request, reply) => {
      const found = await getEvidenceForDecision(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.evidenceId,
      );
      const decision =
        request.query.decision === 'reject' || request.query.decision === 'accept' ? request.query.decision : '';
      return reply.page(
        'actions/evidence/views/decision-form.njk',
        presentDecisionForm(found, { decision, reason: '' }, null),
      );
    },
  );
  app.post(
    decisionPath,
    { schema: { params: evidenceParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, evidenceId } = request.params;
      const errors = new FormErrors();
      const draft = readDecision(request.body, errors);
      return handleForm(
        reply,
        async () => {
          const { evidence } = await decideEvidence(ctx, actor, reviewId, evidenceId, draft, errors);
          return actionHref(reviewId, evidence.action_id);
        },
        async (failed) => {
          const found = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
          // After a conflict the form shows the decision now recorded, and starts afresh from it.
          const values =
            failed.status === 409 ? { decision: '', reason: '' } : { decision: draft.decision, reason: draft.reason };
          return reply.page(
            'actions/evidence/views/decision-form.njk',
            presentDecisionForm(found, values, failed.errors),
            failed.status,
          );
        },
      );
    },
  );
}
