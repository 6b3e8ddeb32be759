import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { handleForm } from '../assurance.forms.ts';
import { readRatingDecision } from './rating.forms.ts';
import { presentRatingForm } from './rating.presenter.ts';
import { decideRating, getRatingForm } from './rating.service.ts';
import { ratingApiRoutes } from './rating-api.routes.ts';

/* The form on which the peer challenge group agrees an action's rating, or challenges the latest proposal. */

export async function ratingRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  await ratingApiRoutes(app, ctx);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const ratingPath = '/reviews/:reviewId/actions/:actionId/rating';
  app.get(ratingPath, { schema: { params: actionParams }, config: { access: 'assure' } }, async (request, reply) => {
    const { reviewId, actionId } = request.params;
    const form = await getRatingForm(ctx, requireActor(request), reviewId, actionId);
    return reply.page('actions/rating/views/rating-form.njk', presentRatingForm(form, null, null));
  });
  app.post(ratingPath, { schema: { params: actionParams }, config: { access: 'assure' } }, async (request, reply) => {
    const actor = requireActor(request);
    const { reviewId, actionId } = request.params;
    const errors = new FormErrors();
    const draft = readRatingDecision(request.body, errors, { challengeField: 'challengeRationale' });
    return handleForm(
      reply,
      async () => {
        await decideRating(ctx, actor, reviewId, actionId, draft, errors);
        return actionHref(reviewId, actionId);
      },
      async (failed) => {
        const form = await getRatingForm(ctx, actor, reviewId, actionId);
        return reply.page(
          'actions/rating/views/rating-form.njk',
          presentRatingForm(form, draft, failed.errors),
          failed.status,
        );
      },
    );
  });
}
