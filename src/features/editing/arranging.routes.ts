import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { actionParams, normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import {
  archiveRecommendation,
  getArchive,
  recommendationArchiveQuestion,
  restoreRecommendation,
} from './recommendation-editing.service.ts';
import { actionArchiveQuestion, archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';
import { presentArchive } from './editing.presenter.ts';

/* Pages that put actions in order, archive recommendations and actions, and restore them. */

type ReviewParams = { Params: { reviewId: number } };
type NumberParams = { Params: { reviewId: number; number: string } };
type ActionParams = { Params: { reviewId: number; actionId: number } };

const recommendationHref = (reviewId: number, number: string) =>
  `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`;

export async function arrangingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const q = await recommendationArchiveQuestion(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      const base = `/reviews/${q.review.id}`;
      const path = recommendationHref(q.review.id, q.number);
      return reply.page('editing/views/archive-confirm.njk', {
        pageTitle: `${q.archived ? 'Restore' : 'Archive'} recommendation ${q.number} – ${q.review.area}`,
        heading: q.archived ? `Restore recommendation ${q.number}` : `Archive recommendation ${q.number}`,
        text: q.text,
        archived: q.archived,
        explanation: q.archived
          ? 'Restoring brings the recommendation back into the plan, with the actions that were archived with it.'
          : `Archiving takes the recommendation and its ${q.liveActions === 1 ? '1 action' : `${q.liveActions} actions`} out of the plan's ratings and exceptions. Nothing is deleted: they stay on the archive page, and a coordinator can restore them.`,
        formAction: q.archived ? `${path}/restore` : `${path}/archive`,
        cancelHref: q.archived ? `${base}/archived` : path,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: q.review.area, href: base },
        ],
      });
    },
  );

  app.post<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      await archiveRecommendation(ctx, requireActor(request), reviewId, normaliseNumber(request.params.number));
      return reply.redirect(`/reviews/${reviewId}/archived`, 303);
    },
  );

  app.post<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/restore',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      await restoreRecommendation(ctx, requireActor(request), reviewId, number);
      return reply.redirect(recommendationHref(reviewId, number), 303);
    },
  );

  app.get<ReviewParams>(
    '/reviews/:reviewId/archived',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      return reply.page(
        'editing/views/archived.njk',
        presentArchive(await getArchive(ctx, requireActor(request), request.params.reviewId)),
      );
    },
  );

  app.post<ActionParams>(
    '/reviews/:reviewId/actions/:actionId/move',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const direction = formText(request.body, 'direction') === 'up' ? 'up' : 'down';
      const moved = await moveAction(ctx, requireActor(request), reviewId, actionId, direction);
      return reply.redirect(`${recommendationHref(reviewId, moved.recommendationNumber)}#action-${actionId}`, 303);
    },
  );

  app.get<ActionParams>(
    '/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const q = await actionArchiveQuestion(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.actionId,
      );
      const base = `/reviews/${q.review.id}`;
      const path = `${base}/actions/${q.actionId}`;
      const restoreBlocked = q.archived && q.recommendationArchived;
      return reply.page('editing/views/archive-confirm.njk', {
        pageTitle: `${q.archived ? 'Restore' : 'Archive'} action – ${q.review.area}`,
        heading: q.archived ? 'Restore this action' : 'Archive this action',
        caption: `Recommendation ${q.recommendationNumber}`,
        text: q.text,
        archived: q.archived,
        restoreBlocked,
        explanation: restoreBlocked
          ? `Recommendation ${q.recommendationNumber} is archived. Restore the recommendation: the actions archived with it come back with it.`
          : q.archived
            ? 'Restoring brings the action back into the plan, its ratings and its exceptions.'
            : "Archiving takes the action out of the plan's ratings and exceptions. Nothing is deleted: its progress, evidence and ratings stay, and a coordinator can restore it.",
        formAction: q.archived ? `${path}/restore` : `${path}/archive`,
        cancelHref: path,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: q.review.area, href: base },
          {
            text: `Recommendation ${q.recommendationNumber}`,
            href: recommendationHref(q.review.id, q.recommendationNumber),
          },
        ],
      });
    },
  );

  app.post<ActionParams>(
    '/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      await archiveAction(ctx, requireActor(request), reviewId, actionId);
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );

  app.post<ActionParams>(
    '/reviews/:reviewId/actions/:actionId/restore',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );
}
