import type { FastifyInstance } from 'fastify';
import { reviewIdParams } from '../../platform/route-params.ts';
import { presentOverview, presentReviewList } from './reviews.presenter.ts';
import { getReview, getReviewOverview, listReviews, pageKey, type ReviewsContext } from './reviews.service.ts';

export async function reviewsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get('/', async (_request, reply) => reply.redirect('/reviews'));

  app.get('/reviews', async (_request, reply) => {
    const reviews = presentReviewList(await listReviews(ctx));
    return reply.page('reviews/views/list.njk', { pageTitle: 'Reviews', reviews });
  });

  app.get<{ Params: { reviewId: number } }>('/reviews/:reviewId', { schema: { params: reviewIdParams } }, async (request, reply) => {
    const review = await getReview(ctx, request.params.reviewId);
    return reply.cachedPage(pageKey(ctx, review, 'overview'), 'reviews/views/overview.njk', async () => ({
      ...presentOverview(await getReviewOverview(ctx, review.id)),
      breadcrumbs: [{ text: 'Reviews', href: '/reviews' }],
    }));
  });

  app.get('/api/reviews', async () => ({ reviews: await listReviews(ctx) }));

  app.get<{ Params: { reviewId: number } }>('/api/reviews/:reviewId', { schema: { params: reviewIdParams } }, async (request) => {
    const o = await getReviewOverview(ctx, request.params.reviewId);
    return {
      review: { ...o.review, inspectors: JSON.parse(o.review.inspectors) as string[] },
      planDueDate: o.dueDate,
      organisationsCovered: o.covered,
      leadOrganisation: o.lead ?? null,
      ratings: o.analysis.rollUp,
      exceptions: o.analysis.exceptions,
      asOf: o.options.today,
      staleDays: o.options.staleDays,
      versions: o.versions,
    };
  });
}
