import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { FormErrors } from '../../platform/forms.ts';
import { actionParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import {
  errorList,
  evidenceParams,
  readDecision,
  readEvidence,
  readProgress,
  readRatingDecision,
  ValidationFailed,
} from './assurance.forms.ts';
import { decideEvidence } from './decision.service.ts';
import { addEvidence } from './evidence.service.ts';
import { postProgress } from './progress.service.ts';
import { decideRating } from './rating.service.ts';

type ActionRoute = { Params: { reviewId: number; actionId: number } };
type EvidenceRoute = { Params: { reviewId: number; evidenceId: number } };

/** Problems with what was sent: 400 (or 409) with {errors: [{field, message}]}, the fields named as sent. */
async function respond(reply: FastifyReply, status: number, work: () => Promise<object>) {
  try {
    return reply.code(status).send(await work());
  } catch (error) {
    if (error instanceof ValidationFailed) return reply.code(error.status).send({ errors: errorList(error.errors) });
    throw error;
  }
}

/**
 * The assurance loop for scripts and other systems: the same services, permissions and
 * audit as the forms. Bodies are JSON, with dates as 'YYYY-MM-DD'; evidence files are sent
 * as multipart/form-data (field "file").
 */
export async function assuranceApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post<ActionRoute>(
    '/api/reviews/:reviewId/actions/:actionId/progress',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readProgress(request.body, ctx.today(), errors);
      return respond(reply, 201, async () => ({
        ...(await postProgress(ctx, requireActor(request), reviewId, actionId, draft, errors)),
        action: actionUrl(reviewId, actionId),
      }));
    },
  );

  app.post<ActionRoute>(
    '/api/reviews/:reviewId/actions/:actionId/evidence',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readEvidence(request.body, ctx.today(), errors);
      return respond(reply, 201, async () => {
        const evidenceId = await addEvidence(ctx, requireActor(request), reviewId, actionId, draft, errors);
        return { evidenceId, status: 'submitted', action: actionUrl(reviewId, actionId) };
      });
    },
  );

  app.post<EvidenceRoute>(
    '/api/reviews/:reviewId/evidence/:evidenceId/decision',
    { schema: { params: evidenceParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const { reviewId, evidenceId } = request.params;
      const errors = new FormErrors();
      const draft = readDecision(request.body, errors);
      return respond(reply, 200, async () => {
        const { evidence } = await decideEvidence(ctx, requireActor(request), reviewId, evidenceId, draft, errors);
        const { id, status, status_reason, status_by_name, status_at, version } = evidence;
        return {
          evidence: { id, status, status_reason, status_by_name, status_at, version },
          action: actionUrl(reviewId, evidence.action_id),
        };
      });
    },
  );

  app.post<ActionRoute>(
    '/api/reviews/:reviewId/actions/:actionId/rating',
    { schema: { params: actionParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readRatingDecision(request.body, errors);
      return respond(reply, 201, async () => ({
        ...(await decideRating(ctx, requireActor(request), reviewId, actionId, draft, errors)),
        action: actionUrl(reviewId, actionId),
      }));
    },
  );
}
