import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { handleForm } from '../assurance.forms.ts';
import { uploadLimitText } from '../evidence/evidence.service.ts';
import { readProgress } from './progress.forms.ts';
import { presentProgressForm } from './progress.presenter.ts';
import { getProgressFormAccess, postProgress } from './progress.service.ts';
import { progressApiRoutes } from './progress-api.routes.ts';

/* The form that posts a dated progress update on an action, with a proposed rating and an evidence file if any. */

type ActionRoute = { Params: { reviewId: number; actionId: number } };

export async function progressRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await progressApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;

  const progressPath = '/reviews/:reviewId/actions/:actionId/progress/new';
  app.get<ActionRoute>(
    progressPath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const access = await getProgressFormAccess(ctx, requireActor(request), reviewId, actionId);
      return reply.page(
        'actions/progress/views/progress-form.njk',
        presentProgressForm(access, null, null, ctx.today(), uploadLimit),
      );
    },
  );
  app.post<ActionRoute>(
    progressPath,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readProgress(request.body, ctx.today(), errors);
      return handleForm(
        reply,
        async () => {
          await postProgress(ctx, actor, reviewId, actionId, draft, errors);
          return actionHref(reviewId, actionId);
        },
        async (failed) => {
          const access = await getProgressFormAccess(ctx, actor, reviewId, actionId);
          return reply.page(
            'actions/progress/views/progress-form.njk',
            presentProgressForm(access, draft, failed.errors, ctx.today(), uploadLimit),
            failed.status,
          );
        },
      );
    },
  );
}
