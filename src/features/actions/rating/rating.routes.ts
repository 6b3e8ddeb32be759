import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { ratingForm } from './rating.forms.ts';
import { presentRatingForm } from './rating.presenter.ts';
import { decideRating, getRatingForm, ratingRules } from './rating.service.ts';
import { ratingApiRoutes } from './rating-api.routes.ts';

/* The form on which the peer challenge group agrees an action's rating, or challenges the latest proposal. */

export function ratingRoutes(app: ClaspApp, ctx: AppContext): void {
  ratingApiRoutes(app, ctx);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const ratingPath = '/reviews/:reviewId/actions/:actionId/rating';
  app.get(
    ratingPath,
    { schema: { params: actionParams }, config: { access: 'assure', restoresKeptForm: true } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const form = await getRatingForm(ctx, requireActor(request), reviewId, actionId);
      return reply.page('actions/rating/views/rating-form.njk', presentRatingForm(form, keptFormFor(request)));
    },
  );
  app.post(ratingPath, { schema: { params: actionParams }, config: { access: 'assure' } }, async (request, reply) => {
    const actor = requireActor(request);
    const { reviewId, actionId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        const rules = await ratingRules(ctx, actor, reviewId, actionId);
        // The page's challenge form sends its reasons in a field of its own.
        const form = ratingForm(rules, { challengeField: 'challengeRationale' });
        await decideRating(ctx, actor, reviewId, actionId, await parseForm(form, request.body));
        return actionHref(reviewId, actionId);
      },
      async (refused) => {
        const form = await getRatingForm(ctx, actor, reviewId, actionId);
        return reply.page(
          'actions/rating/views/rating-form.njk',
          presentRatingForm(form, refused),
          refused.failure.status,
        );
      },
    );
  });
}
