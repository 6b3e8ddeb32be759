import type { FastifyInstance } from 'fastify';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { presentFinding, presentFindingsList } from './findings.presenter.ts';
import { getFinding, getFindingsList } from './findings.service.ts';

type ReviewParams = { Params: { reviewId: number } };
type FindingParams = { Params: { reviewId: number; number: string } };

export async function findingsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<ReviewParams>('/reviews/:reviewId/findings', { schema: { params: reviewIdParams } }, async (request, reply) => {
    const view = presentFindingsList(await getFindingsList(ctx, request.params.reviewId));
    return reply.page('findings/views/list.njk', view);
  });

  app.get<FindingParams>('/reviews/:reviewId/findings/:number', { schema: { params: numberedParams } }, async (request, reply) => {
    const view = presentFinding(await getFinding(ctx, request.params.reviewId, normaliseNumber(request.params.number)));
    return reply.page('findings/views/finding.njk', view);
  });

  app.get<ReviewParams>('/api/reviews/:reviewId/findings', { schema: { params: reviewIdParams } }, async (request) => {
    const { findings } = await getFindingsList(ctx, request.params.reviewId);
    return { findings };
  });

  app.get<FindingParams>('/api/reviews/:reviewId/findings/:number', { schema: { params: numberedParams } }, async (request) => {
    const { finding, recommendations } = await getFinding(ctx, request.params.reviewId, normaliseNumber(request.params.number));
    return { finding, recommendations };
  });
}
