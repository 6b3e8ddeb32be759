import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { normaliseNumber, numberedParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { presentRecommendation } from './recommendations.presenter.ts';
import { getRecommendationPage } from './recommendations.service.ts';

type Params = { Params: { reviewId: number; number: string } };

export async function recommendationsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<Params>(
    '/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      const number = normaliseNumber(request.params.number);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, `recommendation:${number}`),
        'recommendations/views/recommendation.njk',
        async () => ({
          ...presentRecommendation(await getRecommendationPage(ctx, requireActor(request), review.id, number)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  app.get<Params>(
    '/api/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request) => {
      const p = await getRecommendationPage(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return {
        recommendation: p.recommendation,
        addressedOrganisations: p.organisations,
        findings: p.findings,
        rating: p.rollUp ?? null,
        actions: p.actions.map(({ status, ...a }) => ({
          ...a,
          rating: status?.rating ?? null,
          awaitingAgreement: status?.awaitingAgreement ?? false,
        })),
        exceptions: p.exceptions,
      };
    },
  );
}
