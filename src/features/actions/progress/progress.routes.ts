import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { keptFormFor, submitForm } from '../../../platform/http/form-replies.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { uploadLimitText } from '../evidence/evidence.service.ts';
import { progressForm } from './progress.forms.ts';
import { presentProgressForm } from './progress.presenter.ts';
import { getProgressFormAccess, postProgress, progressFormSummary, progressRules } from './progress.service.ts';
import { progressApiRoutes } from './progress-api.routes.ts';

/* The form that posts a dated progress update on an action, with a proposed rating and an evidence file if any. */

export function progressRoutes(app: ClaspApp, ctx: AppContext): void {
  progressApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const progressPath = '/reviews/:reviewId/actions/:actionId/progress/new';
  app.get(
    progressPath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action', restoresKeptForm: true } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const access = await getProgressFormAccess(ctx, requireActor(request), reviewId, actionId);
      return reply.page(
        'actions/progress/views/progress-form.njk',
        presentProgressForm(
          access,
          keptFormFor(request),
          ctx.today(),
          uploadLimit,
          await progressFormSummary(ctx, access),
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
          return actionHref(reviewId, actionId);
        },
        async (refused) => {
          const access = await getProgressFormAccess(ctx, actor, reviewId, actionId);
          return reply.page(
            'actions/progress/views/progress-form.njk',
            presentProgressForm(access, refused, ctx.today(), uploadLimit, await progressFormSummary(ctx, access)),
            refused.failure.status,
          );
        },
      );
    },
  );
}
