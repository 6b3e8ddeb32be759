import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { recommendationForm } from './recommendations.forms.ts';
import { presentRecommendation } from './recommendations.presenter.ts';
import { getRecommendationPage } from './recommendations.service.ts';
import {
  archiveRecommendation,
  createRecommendation,
  editRecommendationForm,
  newRecommendationForm,
  recommendationArchiveQuestion,
  recommendationRules,
  restoreRecommendation,
  updateRecommendation,
  type RecommendationForm,
} from './recommendation-editing.service.ts';
import { presentRecommendationForm } from './recommendation-editing.presenter.ts';
import { recommendationsApiRoutes } from './recommendations-api.routes.ts';

/*
 * The pages of recommendations: a recommendation, adding and changing one, archiving and
 * restoring it. A form posts, then redirects (303) when saved; problems re-render the form
 * with the values entered: 400 for invalid values, 409 for a stale edit.
 */

const recommendationHref = (reviewId: number, number: string) =>
  `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`;

export function recommendationsRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  recommendationsApiRoutes(app, ctx);

  app.get(
    '/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      const number = normaliseNumber(request.params.number);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, `recommendation:${number}`),
        'recommendations/views/recommendation.njk',
        async () => ({
          ...presentRecommendation(await getRecommendationPage(ctx, requireActor(request), review.id, number)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  /* Adding and changing a recommendation */
  const recommendationPage = (reply: FastifyReply, form: RecommendationForm, refused: RefusedForm | null = null) =>
    sendForm(
      reply,
      'recommendations/views/recommendation-form.njk',
      presentRecommendationForm(form, refused),
      refused?.failure,
    );

  app.get(
    '/reviews/:reviewId/recommendations/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) =>
      recommendationPage(reply, await newRecommendationForm(ctx, requireActor(request), request.params.reviewId)),
  );

  app.post(
    '/reviews/:reviewId/recommendations/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await recommendationRules(ctx, actor, reviewId);
          const command = await parseForm(recommendationForm(rules), request.body);
          const saved = await createRecommendation(ctx, actor, reviewId, command);
          confirm(reply, `Recommendation ${saved.number} added`);
          return recommendationHref(reviewId, saved.number);
        },
        async (refused) => recommendationPage(reply, await newRecommendationForm(ctx, actor, reviewId), refused),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/recommendations/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const number = normaliseNumber(request.params.number);
      const form = await editRecommendationForm(ctx, requireActor(request), request.params.reviewId, number);
      return recommendationPage(reply, form);
    },
  );

  app.post(
    '/reviews/:reviewId/recommendations/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await recommendationRules(ctx, actor, reviewId, number);
          const command = await parseForm(recommendationForm(rules), request.body);
          const saved = await updateRecommendation(ctx, actor, reviewId, number, command);
          confirm(reply, `Recommendation ${saved.number} saved`);
          return recommendationHref(reviewId, saved.number);
        },
        async (refused) =>
          recommendationPage(reply, await editRecommendationForm(ctx, actor, reviewId, number), refused),
      );
    },
  );

  /* Archiving a recommendation with its actions, and restoring it */
  app.get(
    '/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const q = await recommendationArchiveQuestion(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      const base = `/reviews/${q.review.id}`;
      const path = recommendationHref(q.review.id, q.number);
      return reply.page('reviews/views/archive-confirm.njk', {
        pageTitle: `${q.archived ? 'Restore' : 'Archive'} recommendation ${q.number} – ${q.review.area}`,
        heading: q.archived ? `Restore recommendation ${q.number}` : `Archive recommendation ${q.number}`,
        text: q.text,
        archived: q.archived,
        explanation: q.archived
          ? 'Restoring brings the recommendation back into the plan, with the actions that were archived with it.'
          : 'Archiving takes the recommendation and ' +
            `its ${q.liveActions === 1 ? '1 action' : `${q.liveActions} actions`} out of the plan's ratings and ` +
            'exceptions. Nothing is deleted: they stay on the archive page, and a coordinator can restore them.',
        formAction: q.archived ? `${path}/restore` : `${path}/archive`,
        cancelHref: q.archived ? `${base}/archived` : path,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: q.review.area, href: base },
        ],
      });
    },
  );

  app.post(
    '/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      await archiveRecommendation(ctx, requireActor(request), reviewId, number);
      confirm(reply, `Recommendation ${number} archived`);
      return reply.redirect(`/reviews/${reviewId}/archived`, 303);
    },
  );

  app.post(
    '/reviews/:reviewId/recommendations/:number/restore',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      await restoreRecommendation(ctx, requireActor(request), reviewId, number);
      confirm(reply, `Recommendation ${number} restored`);
      return reply.redirect(recommendationHref(reviewId, number), 303);
    },
  );
}
