import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { actionParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { presentAction } from './actions.presenter.ts';
import { getActionPage } from './actions.service.ts';

type Params = { Params: { reviewId: number; actionId: number } };

export async function actionsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<Params>('/reviews/:reviewId/actions/:actionId', { schema: { params: actionParams } }, async (request, reply) => {
    const review = await getReview(ctx, requireActor(request), request.params.reviewId);
    const { actionId } = request.params;
    return reply.cachedPage(pageKey(ctx, requireActor(request), review, `action:${actionId}`), 'actions/views/action.njk', async () => ({
      ...presentAction(await getActionPage(ctx, requireActor(request), review.id, actionId)),
      can: permissionFlags(requireActor(request), review.id),
    }));
  });

  app.get<Params>('/api/reviews/:reviewId/actions/:actionId', { schema: { params: actionParams } }, async (request) => {
    const p = await getActionPage(ctx, requireActor(request), request.params.reviewId, request.params.actionId);
    return {
      action: p.action,
      label: p.label,
      organisations: p.organisations,
      dateReading: p.dateReading,
      rating: p.current,
      ratingHistory: p.ratings,
      progress: p.progress,
      evidence: p.evidence,
      exceptions: p.exceptions,
    };
  });
}
