import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { ratingForm } from './rating.forms.ts';
import { ratingBody, ratingDecisionResponse } from './rating.schemas.ts';
import { decideRating, ratingRules } from './rating.service.ts';

/*
 * Agreeing or challenging a rating for scripts and other systems: the same form schema, service,
 * permissions and audit as the page. The reasons are sent as 'rationale' for both decisions. A
 * refused decision is answered by the error handler: 400 with {errors: [{field, message}]}.
 */

export function ratingApiRoutes(app: ClaspApp, ctx: AppContext): void {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/rating',
    {
      schema: {
        summary: 'Rate the progress of an action',
        params: actionParams,
        body: formBody(ratingBody),
        response: { 201: ratingDecisionResponse },
      },
      config: { access: 'assure' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const decision = await parseForm(ratingForm(await ratingRules(ctx, actor, reviewId, actionId)), request.body);
      const decided = await decideRating(ctx, actor, reviewId, actionId, decision);
      return reply.code(201).send({ ...decided, action: actionUrl(reviewId, actionId) });
    },
  );
}
