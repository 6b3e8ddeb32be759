import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { actionParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { presentAction } from './actions.presenter.ts';
import { canEditThisAction, getActionPage } from './actions.service.ts';

type Params = { Params: { reviewId: number; actionId: number } };

export async function actionsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<Params>(
    '/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const review = await getReview(ctx, actor, request.params.reviewId);
      const { actionId } = request.params;
      // Roles in the review are part of every page key; whether this person edits this action
      // depends on the action's organisations too, so it names the kept page.
      const canEdit = await canEditThisAction(ctx, actor, review, actionId);
      const key = pageKey(ctx, actor, review, `action:${actionId}:${canEdit ? 'edit' : 'read'}`);
      return reply.cachedPage(key, 'actions/views/action.njk', async () => ({
        ...presentAction(await getActionPage(ctx, actor, review.id, actionId)),
        can: permissionFlags(actor, review.id),
        canEdit,
      }));
    },
  );

  app.get<Params>(
    '/api/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request) => {
      const p = await getActionPage(ctx, requireActor(request), request.params.reviewId, request.params.actionId);
      return {
        action: p.action,
        label: p.label,
        organisations: p.organisations,
        dateReading: p.dateReading,
        rating: p.current,
        ratingHistory: p.ratings,
        challenges: p.challenges,
        progress: p.progress,
        evidence: p.evidence.map((e) => ({
          ...e,
          download: e.kind === 'file' ? `/reviews/${p.review.id}/evidence/${e.id}/file` : null,
        })),
        exceptions: p.exceptions,
      };
    },
  );
}
