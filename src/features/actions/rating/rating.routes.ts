import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { confirm, returnToFrom, returnToInForm } from '../../../platform/http/confirmations.ts';
import { actionParams, returnToQuery } from '../../../platform/route-params.ts';
import { ratingName } from '../../../domain/ratings.ts';
import type { AppContext } from '../../context.ts';
import { ratingForm } from './rating.forms.ts';
import { presentRatingForm } from './rating.presenter.ts';
import { decideRating, getRatingForm, ratingRules } from './rating.service.ts';
import { ratingApiRoutes } from './rating-api.routes.ts';

/*
 * The form on which the peer challenge group agrees an action's rating, or challenges the latest
 * proposal. Opened from My work (?returnTo=/my-work), it leads back there once decided.
 */

export function ratingRoutes(app: ClaspApp, ctx: AppContext): void {
  ratingApiRoutes(app, ctx);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const ratingPath = '/reviews/:reviewId/actions/:actionId/rating';
  app.get(
    ratingPath,
    {
      schema: { params: actionParams, querystring: returnToQuery },
      config: { access: 'assure', restoresKeptForm: true },
    },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const form = await getRatingForm(ctx, requireActor(request), reviewId, actionId);
      const kept = keptFormFor(request);
      const returnTo = returnToFrom(request.query.returnTo) ?? (kept && returnToInForm(kept.fields));
      return reply.page('actions/rating/views/rating-form.njk', { ...presentRatingForm(form, kept), returnTo });
    },
  );
  app.post(ratingPath, { schema: { params: actionParams }, config: { access: 'assure' } }, async (request, reply) => {
    const actor = requireActor(request);
    const { reviewId, actionId } = request.params;
    const returnTo = returnToInForm(request.body);
    return submitForm(
      reply,
      request.body,
      async () => {
        const rules = await ratingRules(ctx, actor, reviewId, actionId);
        // The page's challenge form sends its reasons in a field of its own.
        const form = ratingForm(rules, { challengeField: 'challengeRationale' });
        const decided = await decideRating(ctx, actor, reviewId, actionId, await parseForm(form, request.body));
        confirm(
          reply,
          decided.kind === 'agreed'
            ? `Rating agreed: ${ratingName(decided.rating)}`
            : `Proposed rating challenged: ${ratingName(decided.rating)}`,
        );
        return returnTo ?? actionHref(reviewId, actionId);
      },
      async (refused) => {
        const form = await getRatingForm(ctx, actor, reviewId, actionId);
        return reply.page(
          'actions/rating/views/rating-form.njk',
          { ...presentRatingForm(form, refused), returnTo },
          refused.failure.status,
        );
      },
    );
  });
}
