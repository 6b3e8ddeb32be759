import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { confirm, returnToFrom } from '../../../platform/http/confirmations.ts';
import { returnToIn, returnToQuery } from './return-to.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { uploadLimitText } from '../evidence/evidence.service.ts';
import { withdrawalForm } from '../evidence/withdrawal.forms.ts';
import { progressForm, progressUpdateParams } from './progress.forms.ts';
import { presentProgressForm } from './progress.presenter.ts';
import { getProgressFormAccess, postProgress, progressFormSummary, progressRules } from './progress.service.ts';
import { getProgressForWithdrawal, withdrawProgress } from './progress-withdrawal.service.ts';
import { presentProgressWithdrawal } from './withdrawal.presenter.ts';
import { progressApiRoutes } from './progress-api.routes.ts';

/*
 * The form that posts a dated progress update on an action, with a proposed rating and an
 * evidence file if any, and the page that withdraws an update posted by mistake. Both go back
 * to the page named by `returnTo` (My work, or a page of the review) when opened from there.
 */

export function progressRoutes(app: ClaspApp, ctx: AppContext): void {
  progressApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const progressPath = '/reviews/:reviewId/actions/:actionId/progress/new';
  app.get(
    progressPath,
    {
      schema: { params: actionParams, querystring: returnToQuery },
      config: { access: 'edit the trust action', restoresKeptForm: true },
    },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const access = await getProgressFormAccess(ctx, requireActor(request), reviewId, actionId);
      const kept = keptFormFor(request);
      return reply.page(
        'actions/progress/views/progress-form.njk',
        presentProgressForm(
          access,
          kept,
          ctx.today(),
          uploadLimit,
          await progressFormSummary(ctx, access),
          kept ? returnToIn(kept.fields) : returnToFrom(request.query.returnTo),
        ),
      );
    },
  );
  app.post(
    progressPath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await progressRules(ctx, actor, reviewId, actionId);
          await postProgress(ctx, actor, reviewId, actionId, await parseForm(progressForm(rules), request.body));
          confirm(reply, 'Progress posted');
          return returnToIn(request.body) ?? actionHref(reviewId, actionId);
        },
        async (refused) => {
          const access = await getProgressFormAccess(ctx, actor, reviewId, actionId);
          return reply.page(
            'actions/progress/views/progress-form.njk',
            presentProgressForm(
              access,
              refused,
              ctx.today(),
              uploadLimit,
              await progressFormSummary(ctx, access),
              returnToIn(request.body),
            ),
            refused.failure.status,
          );
        },
      );
    },
  );

  // Withdrawing an update posted by mistake: a page that asks first, then a form post.
  const withdrawPath = '/reviews/:reviewId/progress/:progressUpdateId/withdraw';
  app.get(
    withdrawPath,
    {
      schema: { params: progressUpdateParams, querystring: returnToQuery },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const { reviewId, progressUpdateId } = request.params;
      const found = await getProgressForWithdrawal(ctx, requireActor(request), reviewId, progressUpdateId);
      return reply.page(
        'actions/progress/views/withdraw-form.njk',
        presentProgressWithdrawal(found, null, returnToFrom(request.query.returnTo)),
      );
    },
  );
  app.post(
    withdrawPath,
    { schema: { params: progressUpdateParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, progressUpdateId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          // Who may withdraw is checked before what was sent, as for every form.
          await getProgressForWithdrawal(ctx, actor, reviewId, progressUpdateId);
          const command = await parseForm(withdrawalForm, request.body);
          const { access } = await withdrawProgress(ctx, actor, reviewId, progressUpdateId, command);
          confirm(reply, 'Progress update withdrawn');
          return returnToIn(request.body) ?? actionHref(reviewId, access.action.id);
        },
        async (refused) => {
          const found = await getProgressForWithdrawal(ctx, actor, reviewId, progressUpdateId);
          return reply.page(
            'actions/progress/views/withdraw-form.njk',
            presentProgressWithdrawal(found, refused, returnToIn(request.body)),
            refused.failure.status,
          );
        },
      );
    },
  );
}
