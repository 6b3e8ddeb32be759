import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { actionParams, reviewIdParams } from '../../platform/route-params.ts';
import { linkNextPage, readPage } from '../../platform/http/api-conventions.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { eventJson, presentActionHistory, presentReviewTrail, reviewTrailJson } from './audit.presenter.ts';
import { getActionHistory, getReviewTrail, type TrailKey } from './audit.service.ts';
import { readTrailFilter } from './audit.forms.ts';
import type { AppContext } from '../context.ts';
import { actionHistoryJson, reviewTrailJsonSchema, trailQuery } from './audit.schemas.ts';

/** A cursor of the trail: the instant and id of the last event of the page before. */
function isTrailKey(key: unknown): key is TrailKey {
  if (!key || typeof key !== 'object') return false;
  const { at, id } = key as { at?: unknown; id?: unknown };
  return typeof at === 'string' && at.length <= 40 && Number.isInteger(id);
}

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
        description:
          'Newest first. Narrow the trail with the same filters as the audit page; a filter that is not valid is ' +
          'a 400. Pages by cursor: follow the Link rel="next" header (or send X-Next-Cursor as cursor) until ' +
          'there is none. ?page= (50 a page) still works for scripts written before cursors.',
        params: reviewIdParams,
        querystring: trailQuery,
        response: { 200: reviewTrailJsonSchema, 400: problemSchema },
      },
      config: { access: 'audit' },
    },
    async (request, reply) => {
      const read = await readTrailFilter(request.query);
      const query = request.query;
      const byPageNumber = query.page !== undefined && query.cursor === undefined && query.limit === undefined;
      const byCursor = byPageNumber ? undefined : readPage(query, isTrailKey);
      // Whether the caller may read the trail is answered first (403, 404), then the filters (400).
      const trail = await getReviewTrail(ctx, requireActor(request), request.params.reviewId, read.filter, byCursor);
      if (read.failure) throw read.failure;
      linkNextPage(request, reply, trail.results?.next ?? null);
      return reviewTrailJson(trail);
    },
  );
}
