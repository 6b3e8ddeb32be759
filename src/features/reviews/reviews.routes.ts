import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { canCreateReview, permissionFlags } from '../../domain/permissions.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { presentOverview, presentReviewList } from './reviews.presenter.ts';
import { getReview, getReviewOverview, listReviews, pageKey, type ReviewsContext } from './reviews.service.ts';

export async function reviewsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get('/', { config: { access: 'signed in' } }, async (_request, reply) => reply.redirect('/reviews'));

  app.get('/reviews', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    const reviews = presentReviewList(await listReviews(ctx, actor));
    return reply.page('reviews/views/list.njk', { pageTitle: 'Reviews', reviews, canCreate: canCreateReview(actor) });
  });

  app.get<{ Params: { reviewId: number } }>(
    '/reviews/:reviewId',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, 'overview'),
        'reviews/views/overview.njk',
        async () => ({
          ...presentOverview(await getReviewOverview(ctx, requireActor(request), review.id)),
          can: permissionFlags(requireActor(request), review.id),
          reviewHref: `/reviews/${review.id}`,
          breadcrumbs: [{ text: 'Reviews', href: '/reviews' }],
        }),
      );
    },
  );

  app.get('/api/reviews', { config: { access: 'signed in' } }, async (request) => ({
    reviews: await listReviews(ctx, requireActor(request)),
  }));

  app.get<{ Params: { reviewId: number } }>(
    '/api/reviews/:reviewId',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request) => {
      const o = await getReviewOverview(ctx, requireActor(request), request.params.reviewId);
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
    },
  );
}
