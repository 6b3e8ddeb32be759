import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { presentFinding, presentFindingsList } from './findings.presenter.ts';
import { getFinding, getFindingsList } from './findings.service.ts';

type ReviewParams = { Params: { reviewId: number } };
type FindingParams = { Params: { reviewId: number; number: string } };

export async function findingsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<ReviewParams>(
    '/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, 'findings'),
        'findings/views/list.njk',
        async () => ({
          ...presentFindingsList(await getFindingsList(ctx, requireActor(request), review.id)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  app.get<FindingParams>(
    '/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      const number = normaliseNumber(request.params.number);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, `finding:${number}`),
        'findings/views/finding.njk',
        async () => ({
          ...presentFinding(await getFinding(ctx, requireActor(request), review.id, number)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  app.get<ReviewParams>(
    '/api/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request) => {
      const { findings } = await getFindingsList(ctx, requireActor(request), request.params.reviewId);
      return { findings };
    },
  );

  app.get<FindingParams>(
    '/api/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request) => {
      const { finding, recommendations } = await getFinding(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return { finding, recommendations };
    },
  );
}
