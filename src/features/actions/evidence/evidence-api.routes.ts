import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { actionParams } from '../../../platform/route-params.ts';
import type { AppContext } from '../../context.ts';
import { respond } from '../assurance.forms.ts';
import { evidenceParams, readDecision, readEvidence } from './evidence.forms.ts';
import { decideEvidence } from './decision.service.ts';
import { addEvidence } from './evidence.service.ts';

/**
 * Evidence for scripts and other systems: the same services, permissions and audit as the
 * forms. Bodies are JSON, with dates as 'YYYY-MM-DD'; evidence files are sent as
 * multipart/form-data (field "file").
 */
export async function evidenceApiRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  const actionUrl = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/evidence',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const errors = new FormErrors();
      const draft = readEvidence(request.body, ctx.today(), errors);
      return respond(reply, 201, async () => {
        const evidenceId = await addEvidence(ctx, requireActor(request), reviewId, actionId, draft, errors);
        return { evidenceId, status: 'submitted', action: actionUrl(reviewId, actionId) };
      });
    },
  );

  app.post(
    '/api/reviews/:reviewId/evidence/:evidenceId/decision',
    { schema: { params: evidenceParams }, config: { access: 'assure' } },
    async (request, reply) => {
      const { reviewId, evidenceId } = request.params;
      const errors = new FormErrors();
      const draft = readDecision(request.body, errors);
      return respond(reply, 200, async () => {
        const { evidence } = await decideEvidence(ctx, requireActor(request), reviewId, evidenceId, draft, errors);
        const { id, status, status_reason, status_by_name, status_at, version } = evidence;
        return {
          evidence: { id, status, status_reason, status_by_name, status_at, version },
          action: actionUrl(reviewId, evidence.action_id),
        };
      });
    },
  );
}
