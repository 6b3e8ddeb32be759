import type { FastifyInstance } from 'fastify';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { presentRecommendation } from './recommendations.presenter.ts';
import { getRecommendationPage } from './recommendations.service.ts';

const params = {
  type: 'object',
  required: ['reviewId', 'number'],
  properties: {
    reviewId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    number: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}\\.?$' },
  },
} as const;

type Params = { Params: { reviewId: number; number: string } };

/** Recommendation numbers are written with or without a trailing dot ("3.1." in some reports). */
function normaliseNumber(number: string): string {
  return number.replace(/\.$/, '');
}

export async function recommendationsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<Params>('/reviews/:reviewId/recommendations/:number', { schema: { params } }, async (request, reply) => {
    const page = await getRecommendationPage(ctx, request.params.reviewId, normaliseNumber(request.params.number));
    return reply.page('recommendations/views/recommendation.njk', presentRecommendation(page));
  });

  app.get<Params>('/api/reviews/:reviewId/recommendations/:number', { schema: { params } }, async (request) => {
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
