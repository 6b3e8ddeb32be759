import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { getReviewOverview, listReviews, type ReviewsContext } from './reviews.service.ts';
import { fieldsFromJson, jsonBody, sendOutcome } from './plan-edit-forms.service.ts';
import { createReview, REVIEW_DATE_FIELDS, updateReview } from './review-editing.service.ts';

/*
 * Reviews as JSON: the list, a review's overview, and creating and changing a review through
 * the same services and checks as the pages. Dates are 'YYYY-MM-DD'; lists of organisations
 * are arrays of ids; edits send the `version` they read. Answers: 201 or 200 with the saved
 * object, 400 with {errors: [{field, message}]}, 409 for a stale version (with what changed),
 * 403 and 404 as for the pages.
 */

export async function reviewsApiRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  app.get('/api/reviews', { config: { access: 'signed in' } }, async (request) => ({
    reviews: await listReviews(ctx, requireActor(request)),
  }));

  app.get(
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

  app.post(
    '/api/reviews',
    { schema: { body: jsonBody }, config: { access: 'create reviews' } },
    async (request, reply) => {
      const outcome = await createReview(ctx, requireActor(request), fieldsFromJson(request.body, REVIEW_DATE_FIELDS));
      return sendOutcome(reply, outcome, 201, ({ reviewId, ...review }) => ({
        review: { id: reviewId, version: 1, ...review },
      }));
    },
  );

  app.put(
    '/api/reviews/:reviewId',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateReview(
        ctx,
        requireActor(request),
        reviewId,
        fieldsFromJson(request.body, REVIEW_DATE_FIELDS),
      );
      return sendOutcome(reply, outcome, 200, (review) => ({ review: { id: reviewId, ...review } }));
    },
  );
}
