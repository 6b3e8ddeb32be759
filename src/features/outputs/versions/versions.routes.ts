import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../../platform/http/form-replies.ts';
import { confirm } from '../../../platform/http/confirmations.ts';
import type { ReviewRow } from '../../../platform/db/schema.ts';
import { reviewIdParams } from '../../../platform/route-params.ts';
import { canCoordinate } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { presentComparison, presentIssueForm, presentVersion, presentVersions } from './versions.presenter.ts';
import { pointOf, pointQuery, versionParams } from './version-params.ts';
import { versionsApiRoutes } from './versions-api.routes.ts';
import { issueVersionForm } from './versions.forms.ts';
import {
  compareVersions,
  getVersionSnapshot,
  issueVersion,
  listVersions,
  personActing,
  requireIssuer,
} from './versions.service.ts';

/*
 * Versions in the browser: the list with download links, issuing a version (coordinators),
 * one version's page and comparing two points. The documents themselves are served by
 * ../documents.routes.ts.
 */

export function versionsRoutes(app: ClaspApp, ctx: AppContext): void {
  versionsApiRoutes(app, ctx);

  app.get(
    '/reviews/:reviewId/versions',
    { schema: { params: reviewIdParams, querystring: pointQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const versions = await listVersions(ctx, personActing(actor), reviewId);
      const review = await getReview(ctx, actor, reviewId);
      return reply.page(
        'outputs/versions/views/versions.njk',
        presentVersions(review, versions, canCoordinate(actor, reviewId), null),
      );
    },
  );

  const issuePage = async (reply: FastifyReply, review: ReviewRow, refused: RefusedForm | null) =>
    reply.page(
      'outputs/versions/views/issue.njk',
      presentIssueForm(review, refused),
      refused ? refused.failure.status : 200,
    );

  app.get(
    '/reviews/:reviewId/versions/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const review = await requireIssuer(ctx, personActing(requireActor(request)), request.params.reviewId);
      return issuePage(reply, review, null);
    },
  );

  app.post(
    '/reviews/:reviewId/versions',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const who = personActing(requireActor(request));
      const { reviewId } = request.params;
      const review = await requireIssuer(ctx, who, reviewId);
      return submitForm(
        reply,
        request.body,
        async () => {
          const row = await issueVersion(ctx, who, reviewId, await parseForm(issueVersionForm, request.body));
          confirm(reply, `Version ${row.number} issued`);
          return `/reviews/${reviewId}/versions/${encodeURIComponent(row.number)}`;
        },
        (refused) => issuePage(reply, review, refused),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/versions/:number',
    { schema: { params: versionParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = pointOf(request.params.number);
      const who = personActing(actor);
      const snapshot = await getVersionSnapshot(ctx, who, reviewId, number);
      const rows = await listVersions(ctx, who, reviewId);
      const index = rows.findIndex((r) => r.number === number);
      const previous =
        rows
          .slice(0, Math.max(0, index))
          .filter((r) => r.frozen)
          .at(-1)?.number ?? null;
      return reply.page('outputs/versions/views/version.njk', presentVersion(reviewId, snapshot, previous));
    },
  );

  app.get(
    '/reviews/:reviewId/compare',
    { schema: { params: reviewIdParams, querystring: pointQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const comparison = await compareVersions(
        ctx,
        personActing(actor),
        reviewId,
        pointOf(request.query.from),
        pointOf(request.query.to),
      );
      const review = await getReview(ctx, actor, reviewId);
      return reply.page('outputs/versions/views/compare.njk', presentComparison(review, comparison));
    },
  );
}
