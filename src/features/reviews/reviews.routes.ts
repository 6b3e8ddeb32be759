import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { canCreateReview, permissionFlags } from '../../domain/permissions.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { presentOverview } from './reviews.presenter.ts';
import { presentReviewStatusList } from './review-list.presenter.ts';
import { getReview, getReviewOverview, listReviewStatuses, pageKey, planOfReview } from './reviews.service.ts';
import type { AppContext } from '../context.ts';
import { countMyWork } from '../my-work/my-work.service.ts';
import { asksForFilters, NO_FILTERS, readExceptionFilters } from './exception-filters.ts';
import { changesSinceIssued } from './changes-since-issued.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { reviewForm } from './reviews.forms.ts';
import {
  createReview,
  editReviewForm,
  newReviewForm,
  reviewRules,
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

export function reviewsRoutes(app: ClaspApp, ctx: AppContext): void {
  reviewsApiRoutes(app, ctx);

  app.get('/', { config: { access: 'signed in' } }, async (_request, reply) => reply.redirect('/my-work'));

  app.get('/reviews', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    const reviews = presentReviewStatusList(await listReviewStatuses(ctx, actor));
    return reply.page('reviews/views/list.njk', { pageTitle: 'Reviews', reviews, canCreate: canCreateReview(actor) });
  });

  app.get(
    '/reviews/:reviewId',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const review = await getReview(ctx, actor, request.params.reviewId);
      // Filters are checked against the plan (its organisations and leads), read from the
      // analysed plan kept per revision; an address without filters need not read it.
      const filters = asksForFilters(request.query)
        ? readExceptionFilters(request.query, (await planOfReview(ctx, review)).state)
        : NO_FILTERS;
      // Only people with a role in the review have work in it (an administrator reads without one).
      const member = actor.memberships.some((m) => m.reviewId === review.id);
      const myWorkCount = member ? await countMyWork(ctx, actor, review.id) : null;
      // The page is kept per filter and per My work count: people with the same roles, filters
      // and count share one copy, and a count that changes makes a new one.
      const key = [
        pageKey(ctx, actor, review, 'overview'),
        JSON.stringify([filters.values, filters.ignored]),
        `my-work:${String(myWorkCount)}`,
      ].join('|');
      return reply.cachedPage(key, 'reviews/views/overview.njk', async () => ({
        ...presentOverview(await getReviewOverview(ctx, actor, review.id), {
          filters,
          myWorkCount,
          changes: await changesSinceIssued(ctx, actor, review),
        }),
        can: permissionFlags(actor, review.id),
        reviewHref: `/reviews/${review.id}`,
        breadcrumbs: [{ text: 'Reviews', href: '/reviews' }],
      }));
    },
  );

  /* Creating a review, and changing its details */
  const reviewPage = (reply: FastifyReply, form: ReviewForm, refused: RefusedForm | null = null) =>
    sendForm(reply, 'reviews/views/review-form.njk', presentReviewForm(form, refused), refused?.failure);

  app.get('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) =>
    reviewPage(reply, await newReviewForm(ctx, requireActor(request))),
  );

  app.post('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    return submitForm(
      reply,
      request.body,
      async () => {
        const saved = await createReview(
          ctx,
          actor,
          await parseForm(reviewForm(await reviewRules(ctx, actor)), request.body),
        );
        return `/reviews/${saved.id}`;
      },
      async (refused) => reviewPage(reply, await newReviewForm(ctx, actor), refused),
    );
  });

  app.get(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) =>
      reviewPage(reply, await editReviewForm(ctx, requireActor(request), request.params.reviewId)),
  );

  app.post(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(reviewForm(await reviewRules(ctx, actor, reviewId)), request.body);
          await updateReview(ctx, actor, reviewId, command);
          return `/reviews/${reviewId}`;
        },
        async (refused) => reviewPage(reply, await editReviewForm(ctx, actor, reviewId), refused),
      );
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
