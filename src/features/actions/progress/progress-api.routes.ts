import { z } from 'zod';
import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { progressForm } from './progress.forms.ts';
import { postProgress, progressRules } from './progress.service.ts';

/*
 * Progress for scripts and other systems: the same form schema, service, permissions and audit as
 * the page. The body is JSON, with dates as 'YYYY-MM-DD', or multipart/form-data when it carries
 * an evidence file (field "evidenceFile"). A refused update is answered by the error handler:
 * 400 with {errors: [{field, message}]}.
 */

/** The answer to a posted update: what was written, and where the action is. */
const postedProgressAnswer = z.object({
  progressUpdateId: z.number().int(),
  ratingEventId: z.number().int().nullable().describe('The proposed rating, when the update proposed one'),
  evidenceId: z.number().int().nullable().describe('The evidence file, when the update carried one'),
  action: z.string().describe('The action, in the API'),
});

export function progressApiRoutes(app: ClaspApp, ctx: AppContext): void {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/progress',
    {
      schema: { params: actionParams, response: { 201: postedProgressAnswer } },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const update = await parseForm(progressForm(await progressRules(ctx, actor, reviewId, actionId)), request.body);
      const posted = await postProgress(ctx, actor, reviewId, actionId, update);
      return reply.code(201).send({ ...posted, action: actionUrl(reviewId, actionId) });
    },
  );
}
