import { z } from 'zod';
import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { isoDate, versionField } from '../../platform/plan-schemas.ts';
import { linkNextPage, pageOfList, pageQuery } from '../../platform/http/api-conventions.ts';
import { overlay, partialBody } from '../../platform/partial-update.ts';
import { getReviewOverview, listReviewStatuses, type ReviewsContext } from './reviews.service.ts';
import { presentOverviewJson, presentReviewListJson } from './reviews.presenter.ts';
import { requireExceptionFilters } from './exception-filters.ts';
import { reviewForm } from './reviews.forms.ts';
import { reviewAnswer, reviewListAnswer, reviewOverviewAnswer } from './reviews.schemas.ts';
import { createReview, editReviewForm, reviewRules, updateReview } from './review-editing.service.ts';

/*
 * Reviews as JSON: the list, a review's overview, and creating and changing a review through
 * the same form schema, services and checks as the pages. Dates are 'YYYY-MM-DD'; lists of
 * organisations are arrays of ids; edits send the `version` they read (or its ETag as If-Match).
 * Answers: 201 or 200 with the saved review; refusals are problems from the error handler: 400
 * with each field's problem, 409 for a stale version (412 when it came from If-Match), with
 * what changed; 403 and 404 as for the pages.
 */

/** What creating a review, or changing its details, sends: every field, as the form has them. */
const reviewBody = z
  .object({
    title: z
      .string()
      .max(300)
      .optional()
      .describe(`The title; left out or blank, it is "Review of health services for … in" and the area`),
    area: z.string().max(100).describe('The area the review covered, for example Rotherham'),
    reviewStart: isoDate.describe("When the review started, 'YYYY-MM-DD'"),
    reviewEnd: isoDate.describe("When the review ended, 'YYYY-MM-DD': the same day as it started or later"),
    reportPublished: isoDate.describe("When the report was published, 'YYYY-MM-DD'"),
    reportReceived: isoDate.nullable().optional().describe("When the report was received, 'YYYY-MM-DD', if known"),
    leadOrganisationId: z.number().int().describe("The lead organisation's id; it is always among those covered"),
    organisationIds: z.array(z.number().int()).describe('The ids of the organisations the review covers'),
    ratingScale: z.enum(['BRAG', 'RAG']).describe('BRAG: Blue, Red, Amber, Green; RAG: Red, Amber, Green'),
    assignmentDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .nullable()
      .optional()
      .describe('Days an assignment may go unanswered before it is chased, 1 to 365; null or left out for 14'),
    version: versionField.describe(
      'Changing a review: the version you read (from the GET answer), or send its ETag as If-Match instead. ' +
        'If someone saved since, the change is refused with 409 and what they changed. Not sent when creating one.',
    ),
  })
  .describe('A review. POST and PUT send every field: one left out is saved empty (or as its default).')
  .meta({
    examples: [
      {
        area: 'Rotherham',
        reviewStart: '2026-03-02',
        reviewEnd: '2026-03-06',
        reportPublished: '2026-05-14',
        leadOrganisationId: 1,
        organisationIds: [1, 2],
        ratingScale: 'BRAG',
      },
    ],
  });

const reviewListQuery = z.object(pageQuery);

export function reviewsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.get(
    '/api/reviews',
    {
      schema: {
        summary: 'List the reviews you can read',
        description: 'Newest report first, a page at a time: follow the Link rel="next" header until there is none.',
        querystring: reviewListQuery,
        response: { 200: reviewListAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request, reply) => {
      const { reviews } = presentReviewListJson(await listReviewStatuses(ctx, requireActor(request)));
      const page = pageOfList(reviews, (review) => String(review.id), request.query);
      linkNextPage(request, reply, page.next);
      return { reviews: page.items };
    },
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
    {
      schema: { summary: 'Create a review', body: formBody(reviewBody), response: { 201: reviewAnswer } },
      config: { access: 'create reviews' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await parseForm(reviewForm(await reviewRules(ctx, actor)), request.body);
      return reply.code(201).send({ review: await createReview(ctx, actor, command) });
    },
  );

  app.put(
    '/api/reviews/:reviewId',
    {
      schema: {
        summary: 'Change the details of a review',
        params: reviewIdParams,
        body: formBody(reviewBody),
        response: { 200: reviewAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const command = await parseForm(reviewForm(await reviewRules(ctx, actor, reviewId)), request.body);
      return { review: await updateReview(ctx, actor, reviewId, command) };
    },
  );

  app.patch(
    '/api/reviews/:reviewId',
    {
      schema: {
        summary: 'Change some details of a review',
        description:
          'Changes only the fields sent; the others keep their saved values. Send the version you read (or its ' +
          'ETag as If-Match). A field a review does not have is refused (400), and so is a body with no field ' +
          'to change.',
        params: reviewIdParams,
        body: formBody(partialBody(reviewBody, 'review')),
        response: { 200: reviewAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      // The same checks, form and service as PUT, over the details as saved now.
      const { values } = await editReviewForm(ctx, actor, reviewId);
      const body = overlay(values, request.body, reviewBody, 'review');
      const command = await parseForm(reviewForm(await reviewRules(ctx, actor, reviewId)), body);
      return { review: await updateReview(ctx, actor, reviewId, command) };
    },
  );
}
