import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { fieldsFromJson, jsonBody, sendOutcome } from '../reviews/plan-edit-forms.service.ts';
import { getRecommendationPage } from './recommendations.service.ts';
import {
  archiveRecommendation,
  createRecommendation,
  restoreRecommendation,
  updateRecommendation,
} from './recommendation-editing.service.ts';

/*
 * Recommendations as JSON: one recommendation with its actions, and adding, changing,
 * archiving and restoring one through the same services and checks as the pages. Edits send
 * the `version` they read. Answers: 201 or 200 with the saved recommendation, 400 with
 * {errors: [{field, message}]}, 409 for a stale version (with what changed), 403 and 404 as
 * for the pages.
 */

export async function recommendationsApiRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  app.get(
    '/api/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request) => {
      const p = await getRecommendationPage(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return {
        recommendation: p.recommendation,
        addressedOrganisations: p.organisations,
        findings: p.findings,
        rating: p.rollUp ?? null,
        actions: p.actions.map(({ status, ...a }) => ({
          ...a,
          rating: status?.rating ?? null,
          awaitingAgreement: status?.awaitingAgreement ?? false,
        })),
        exceptions: p.exceptions,
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const outcome = await createRecommendation(
        ctx,
        requireActor(request),
        request.params.reviewId,
        fieldsFromJson(request.body),
      );
      return sendOutcome(reply, outcome, 201, (recommendation) => ({ recommendation }));
    },
  );

  app.put(
    '/api/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateRecommendation(
        ctx,
        requireActor(request),
        reviewId,
        normaliseNumber(request.params.number),
        fieldsFromJson(request.body),
      );
      return sendOutcome(reply, outcome, 200, (recommendation) => ({ recommendation }));
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { archived } = await archiveRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: true }, actionsArchived: archived };
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/restore',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { restored } = await restoreRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: false }, actionsRestored: restored };
    },
  );
}
