import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { respond } from '../assurance.forms.ts';
import { readProgress } from './progress.forms.ts';
import { postProgress } from './progress.service.ts';

/*
 * Progress for scripts and other systems: the same service, permissions and audit as the
 * form. The body is JSON, with dates as 'YYYY-MM-DD', or multipart/form-data when it carries
 * an evidence file (field "evidenceFile").
 */

type ActionRoute = { Params: { reviewId: number; actionId: number } };

export async function progressApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post<ActionRoute>(
    '/api/reviews/:reviewId/actions/:actionId/progress',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readProgress(request.body, ctx.today(), errors);
      return respond(reply, 201, async () => ({
        ...(await postProgress(ctx, requireActor(request), reviewId, actionId, draft, errors)),
        action: actionUrl(reviewId, actionId),
      }));
    },
  );
}
