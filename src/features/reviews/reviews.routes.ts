import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { canCreateReview, permissionFlags } from '../../domain/permissions.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { presentOverview, presentReviewList } from './reviews.presenter.ts';
import { getReview, getReviewOverview, listReviews, pageKey, type ReviewsContext } from './reviews.service.ts';
import type { Fields } from './plan-edits.service.ts';
import { retry, sendForm, type FormFailure } from './plan-edit-forms.service.ts';
import {
  createReview,
  editReviewForm,
  newReviewForm,
  updateReview,
  type ReviewForm,
} from './review-editing.service.ts';
import { presentReviewForm } from './review-editing.presenter.ts';
import { getArchive } from './archive.service.ts';
import { presentArchive } from './archive.presenter.ts';
import { reviewsApiRoutes } from './reviews-api.routes.ts';

/*
 * The pages of reviews: the list, a review's overview, creating a review and changing its
 * details, and its archive. A form posts, then redirects (303) when saved; problems re-render
 * the form with the values entered: 400 for invalid values, 409 for a stale edit.
 */

export async function reviewsRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  await reviewsApiRoutes(app, ctx);

  app.get('/', { config: { access: 'signed in' } }, async (_request, reply) => reply.redirect('/reviews'));

  app.get('/reviews', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    const reviews = presentReviewList(await listReviews(ctx, actor));
    return reply.page('reviews/views/list.njk', { pageTitle: 'Reviews', reviews, canCreate: canCreateReview(actor) });
  });

  app.get(
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

  /* Creating a review, and changing its details */
  const reviewPage = (
    reply: FastifyReply,
    form: ReviewForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'reviews/views/review-form.njk', presentReviewForm(form, fields, version), failure);

  app.get('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) => {
    const form = await newReviewForm(ctx, requireActor(request));
    return reviewPage(reply, form, form.fields, null);
  });

  app.post('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    const outcome = await createReview(ctx, actor, request.body);
    if (outcome.ok) return reply.redirect(`/reviews/${outcome.saved.reviewId}`, 303);
    const again = retry(request.body, outcome);
    return reviewPage(reply, await newReviewForm(ctx, actor), again.fields, null, outcome);
  });

  app.get(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editReviewForm(ctx, requireActor(request), request.params.reviewId);
      return reviewPage(reply, form, form.fields, form.version);
    },
  );

  app.post(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const outcome = await updateReview(ctx, actor, reviewId, request.body);
      if (outcome.ok) return reply.redirect(`/reviews/${reviewId}`, 303);
      const again = retry(request.body, outcome);
      return reviewPage(reply, await editReviewForm(ctx, actor, reviewId), again.fields, again.version, outcome);
    },
  );

  /* The archive: recommendations and actions taken out of the plan */
  app.get(
    '/reviews/:reviewId/archived',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      return reply.page(
        'reviews/views/archived.njk',
        presentArchive(await getArchive(ctx, requireActor(request), request.params.reviewId)),
      );
    },
  );
}
