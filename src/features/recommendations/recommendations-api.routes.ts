import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { overlay, partialBody, patchDescription } from '../../platform/partial-update.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { getRecommendationPage } from './recommendations.service.ts';
import { presentRecommendationJson } from './recommendations.presenter.ts';
import { recommendationForm } from './recommendations.forms.ts';
import {
  recommendationAnswer,
  recommendationBody,
  nothingBody,
  recommendationArchivedAnswer,
  recommendationPageAnswer,
  recommendationRestoredAnswer,
} from './recommendations.schemas.ts';
import {
  archiveRecommendation,
  createRecommendation,
  editRecommendationForm,
  recommendationRules,
  restoreRecommendation,
  updateRecommendation,
} from './recommendation-editing.service.ts';

/*
 * Recommendations as JSON: one recommendation with its actions, and adding, changing,
 * archiving and restoring one through the same form schema, services and checks as the pages.
 * Edits send the `version` they read. Answers: 201 or 200 with the saved recommendation; 400
 * with {errors: [{field, message}]} and 409 for a stale version (with what changed) come from
 * the error handler; 403 and 404 as for the pages.
 */

const recommendationPatchBody = partialBody(recommendationBody, 'recommendation');

export function recommendationsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.get(
    '/api/reviews/:reviewId/recommendations/:number',
    {
      schema: {
        summary: 'Show a recommendation and its actions',
        params: numberedParams,
        response: { 200: recommendationPageAnswer },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const page = await getRecommendationPage(ctx, requireActor(request), request.params.reviewId, number);
      return presentRecommendationJson(page);
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations',
    {
      schema: {
        summary: 'Add a recommendation to a review',
        params: reviewIdParams,
        body: formBody(recommendationBody),
        response: { 201: recommendationAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const rules = await recommendationRules(ctx, actor, reviewId);
      const command = await parseForm(recommendationForm(rules), request.body);
      return reply.code(201).send({ recommendation: await createRecommendation(ctx, actor, reviewId, command) });
    },
  );

  app.put(
    '/api/reviews/:reviewId/recommendations/:number',
    {
      schema: {
        summary: 'Change a recommendation',
        description: 'Replaces every field: a field left out is saved empty. To change only some, use PATCH.',
        params: numberedParams,
        body: formBody(recommendationBody),
        response: { 200: recommendationAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const rules = await recommendationRules(ctx, actor, reviewId, number);
      const command = await parseForm(recommendationForm(rules), request.body);
      return { recommendation: await updateRecommendation(ctx, actor, reviewId, number, command) };
    },
  );

  app.patch(
    '/api/reviews/:reviewId/recommendations/:number',
    {
      schema: {
        summary: 'Change some fields of a recommendation',
        description: patchDescription('recommendation'),
        params: numberedParams,
        body: formBody(recommendationPatchBody),
        response: { 200: recommendationAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const { values } = await editRecommendationForm(ctx, actor, reviewId, number);
      const body = overlay(values, request.body, recommendationBody, 'recommendation');
      const rules = await recommendationRules(ctx, actor, reviewId, number);
      const command = await parseForm(recommendationForm(rules), body);
      return { recommendation: await updateRecommendation(ctx, actor, reviewId, number, command) };
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/archive',
    {
      schema: {
        summary: 'Archive a recommendation',
        params: numberedParams,
        body: formBody(nothingBody),
        response: { 200: recommendationArchivedAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { archived } = await archiveRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: true }, actionsArchived: archived };
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/restore',
    {
      schema: {
        summary: 'Restore an archived recommendation',
        params: numberedParams,
        body: formBody(nothingBody),
        response: { 200: recommendationRestoredAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { restored } = await restoreRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: false }, actionsRestored: restored };
    },
  );
}
