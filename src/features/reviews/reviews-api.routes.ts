import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { getReviewOverview, listReviewStatuses, type ReviewsContext } from './reviews.service.ts';
import { presentOverviewJson, presentReviewListJson } from './reviews.presenter.ts';
import { requireExceptionFilters } from './exception-filters.ts';
import { reviewForm } from './reviews.forms.ts';
import { reviewAnswer, reviewListAnswer, reviewOverviewAnswer } from './reviews.schemas.ts';
import { createReview, reviewRules, updateReview } from './review-editing.service.ts';

/*
 * Reviews as JSON: the list, a review's overview, and creating and changing a review through
 * the same form schema, services and checks as the pages. Dates are 'YYYY-MM-DD'; lists of
 * organisations are arrays of ids; edits send the `version` they read. Answers: 201 or 200
 * with the saved review; 400 with {errors: [{field, message}]} and 409 for a stale version
 * (with what changed) come from the error handler; 403 and 404 as for the pages.
 */

export function reviewsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.get(
    '/api/reviews',
    {
      schema: { summary: 'List the reviews you can read', response: { 200: reviewListAnswer } },
      config: { access: 'signed in' },
    },
    async (request) => presentReviewListJson(await listReviewStatuses(ctx, requireActor(request))),
  );

  app.get(
    '/api/reviews/:reviewId',
    {
      schema: {
        summary: 'Show a review and its exceptions',
        description: 'Narrow the exceptions with ?kind=, ?organisation= and ?lead=, as on the review page.',
        params: reviewIdParams,
        response: { 200: reviewOverviewAnswer },
      },
      config: { access: 'read' },
    },
    async (request) => {
      // ?kind=&organisation=&lead= narrow the exceptions as on the page; a value the plan does not have is a 400.
      const overview = await getReviewOverview(ctx, requireActor(request), request.params.reviewId);
      return presentOverviewJson(overview, requireExceptionFilters(request.query, overview.state));
    },
  );

  app.post(
    '/api/reviews',
    { schema: { summary: 'Create a review', response: { 201: reviewAnswer } }, config: { access: 'create reviews' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await parseForm(reviewForm(await reviewRules(ctx, actor)), request.body);
      return reply.code(201).send({ review: await createReview(ctx, actor, command) });
    },
  );

  app.put(
    '/api/reviews/:reviewId',
    {
      schema: { summary: 'Change the details of a review', params: reviewIdParams, response: { 200: reviewAnswer } },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const command = await parseForm(reviewForm(await reviewRules(ctx, actor, reviewId)), request.body);
      return { review: await updateReview(ctx, actor, reviewId, command) };
    },
  );
}
