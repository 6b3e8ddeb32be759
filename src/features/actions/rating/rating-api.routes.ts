import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { respond } from '../assurance.forms.ts';
import { readRatingDecision } from './rating.forms.ts';
import { decideRating } from './rating.service.ts';

/*
 * Agreeing or challenging a rating for scripts and other systems: the same service, permissions and
 * audit as the form.
 */

export async function ratingApiRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/rating',
    { schema: { params: actionParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readRatingDecision(request.body, errors);
      return respond(reply, 201, async () => ({
        ...(await decideRating(ctx, requireActor(request), reviewId, actionId, draft, errors)),
        action: actionUrl(reviewId, actionId),
      }));
    },
  );
}
