import type { FastifyInstance } from 'fastify';
import { normaliseNumber, numberedParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { presentRecommendation } from './recommendations.presenter.ts';
import { getRecommendationPage } from './recommendations.service.ts';

type Params = { Params: { reviewId: number; number: string } };

export async function recommendationsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<Params>('/reviews/:reviewId/recommendations/:number', { schema: { params: numberedParams } }, async (request, reply) => {
    const page = await getRecommendationPage(ctx, request.params.reviewId, normaliseNumber(request.params.number));
    return reply.page('recommendations/views/recommendation.njk', presentRecommendation(page));
  });

  app.get<Params>('/api/reviews/:reviewId/recommendations/:number', { schema: { params: numberedParams } }, async (request) => {
    const p = await getRecommendationPage(ctx, request.params.reviewId, normaliseNumber(request.params.number));
    return {
      recommendation: p.recommendation,
      addressedOrganisations: p.organisations,
      findings: p.findings,
      rating: p.rollUp ?? null,
      actions: p.actions.map(({ status, ...a }) => ({ ...a, rating: status?.rating ?? null, awaitingAgreement: status?.awaitingAgreement ?? false })),
      exceptions: p.exceptions,
    };
  });
}
