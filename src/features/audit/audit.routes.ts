import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { actionParams, reviewIdParams } from '../../platform/route-params.ts';
import {
  eventJson,
  presentActionHistory,
  presentReviewTrail,
  reviewTrailJson,
  trailFiltersRefused,
} from './audit.presenter.ts';
import { getActionHistory, getReviewTrail } from './audit.service.ts';
import { readTrailFilter } from './audit.forms.ts';
import type { AppContext } from '../context.ts';
import { actionHistoryJson, reviewTrailJsonSchema, trailFiltersRefusedJson } from './audit.schemas.ts';

export function auditRoutes(app: ClaspApp, ctx: AppContext): void {
  // Not kept in the page cache: an event can be written without the plan changing (a sign-in, a role).
  app.get(
    '/reviews/:reviewId/actions/:actionId/history',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request, reply) => {
      const history = await getActionHistory(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.actionId,
      );
      return reply.page('audit/views/action-history.njk', presentActionHistory(history));
    },
  );

  app.get(
    '/api/reviews/:reviewId/actions/:actionId/history',
    {
      schema: {
        summary: 'List the changes made to an action',
        params: actionParams,
        response: { 200: actionHistoryJson },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const history = await getActionHistory(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.actionId,
      );
      return {
        action: { id: history.action.id, label: history.action.label, archived: history.action.archived },
        events: history.events.map((e) => eventJson(e)),
      };
    },
  );

  // A GET form: the filters are in the address, so a filtered trail can be bookmarked and shared.
  // Filters with problems are shown again with the error summary (400), and nothing is listed.
  app.get(
    '/reviews/:reviewId/audit',
    { schema: { params: reviewIdParams }, config: { access: 'audit' } },
    async (request, reply) => {
      const read = await readTrailFilter(request.query);
      const trail = await getReviewTrail(ctx, requireActor(request), request.params.reviewId, read.filter);
      return reply.page('audit/views/review-audit.njk', presentReviewTrail(trail, read), read.failure ? 400 : 200);
    },
  );

  app.get(
    '/api/reviews/:reviewId/audit',
    {
      schema: {
        summary: 'List the audit trail of a review',
        description: 'Narrow the trail with the same filters as the audit page; a filter that is not valid is a 400.',
        params: reviewIdParams,
        response: { 200: reviewTrailJsonSchema, 400: trailFiltersRefusedJson },
      },
      config: { access: 'audit' },
    },
    async (request, reply) => {
      const read = await readTrailFilter(request.query);
      // Whether the caller may read the trail is answered first (403, 404), then the filters (400).
      const trail = await getReviewTrail(ctx, requireActor(request), request.params.reviewId, read.filter);
      if (read.failure) return reply.code(400).send(trailFiltersRefused(read.failure));
      return reviewTrailJson(trail);
    },
  );
}
