import { z } from 'zod';
import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { withdrawalBody, withdrawalResponse } from '../evidence/evidence.schemas.ts';
import { progressBody } from './progress.schemas.ts';
import { withdrawalForm } from '../evidence/withdrawal.forms.ts';
import { progressForm, progressUpdateParams } from './progress.forms.ts';
import { postProgress, progressRules } from './progress.service.ts';
import { getProgressForWithdrawal, withdrawProgress } from './progress-withdrawal.service.ts';

/*
 * Progress for scripts and other systems: the same form schema, service, permissions and audit as
 * the page. The body is JSON, with dates as 'YYYY-MM-DD', or multipart/form-data when it carries
 * an evidence file (field "evidenceFile"). A refused update is answered by the error handler:
 * 400 with {errors: [{field, message}]}; a refused withdrawal (someone else's update, or one
 * decided on) with 409 and the same shape.
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
      schema: {
        summary: 'Post a progress update on an action',
        params: actionParams,
        consumes: ['application/json', 'multipart/form-data'],
        body: formBody(progressBody),
        response: { 201: postedProgressAnswer },
      },
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

  app.post(
    '/api/reviews/:reviewId/progress/:progressUpdateId/withdrawal',
    {
      schema: {
        summary: 'Withdraw a progress update',
        params: progressUpdateParams,
        body: formBody(withdrawalBody),
        response: { 200: withdrawalResponse },
      },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, progressUpdateId } = request.params;
      // Who may withdraw is checked before what was sent, as for every form.
      await getProgressForWithdrawal(ctx, actor, reviewId, progressUpdateId);
      const command = await parseForm(withdrawalForm, request.body);
      const { update, withdrawal, evidence } = await withdrawProgress(ctx, actor, reviewId, progressUpdateId, command);
      return reply.code(200).send({
        withdrawn: {
          kind: 'progress_update' as const,
          id: update.id,
          by: withdrawal?.actor_name ?? actor.name,
          at: withdrawal?.created_at ?? '',
          reason: withdrawal?.reason ?? command.reason,
          evidenceIds: evidence.map((e) => e.id),
        },
        action: actionUrl(reviewId, update.action_id),
      });
    },
  );
}
