import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { ForbiddenError, requireActor } from '../../../platform/auth/plugin.ts';
import { formText } from '../../../platform/http/form-bodies.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { reviewIdParams } from '../../../platform/route-params.ts';
import { canCoordinate } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { presentComparison, presentIssueForm, presentVersion, presentVersions } from './versions.presenter.ts';
import { pointOf, pointQuery, versionParams } from './version-params.ts';
import { versionsApiRoutes } from './versions-api.routes.ts';
import {
  compareVersions,
  getVersionSnapshot,
  issueVersion,
  listVersions,
  personActing,
  VersionConflict,
  VersionInputInvalid,
} from './versions.service.ts';

/*
 * Versions in the browser: the list with download links, issuing a version (coordinators),
 * one version's page and comparing two points. The documents themselves are served by
 * ../documents.routes.ts.
 */

export async function versionsRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  await versionsApiRoutes(app, ctx);

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

  const issueForm = async (
    reply: FastifyReply,
    reviewId: number,
    actor: ReturnType<typeof requireActor>,
    errors: FormErrors | null,
    fields = { purpose: '', comment: '', recipients: '' },
    status = 200,
  ) => {
    const review = await getReview(ctx, actor, reviewId);
    return reply.page('outputs/versions/views/issue.njk', presentIssueForm(review, errors, fields), status);
  };

  app.get(
    '/reviews/:reviewId/versions/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      await getReview(ctx, actor, request.params.reviewId);
      if (!canCoordinate(actor, request.params.reviewId))
        throw new ForbiddenError('Only the plan coordinators of this review can issue a version');
      return issueForm(reply, request.params.reviewId, actor, null);
    },
  );

  app.post(
    '/reviews/:reviewId/versions',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const fields = {
        purpose: formText(request.body, 'purpose'),
        comment: formText(request.body, 'comment'),
        recipients: formText(request.body, 'recipients'),
      };
      try {
        const row = await issueVersion(ctx, personActing(actor), reviewId, fields);
        return reply.redirect(`/reviews/${reviewId}/versions/${encodeURIComponent(row.number)}`, 303);
      } catch (error) {
        const errors = new FormErrors();
        if (error instanceof VersionConflict) {
          errors.add('purpose', error.message);
          return issueForm(reply, reviewId, actor, errors, fields, 409);
        }
        if (!(error instanceof VersionInputInvalid)) throw error;
        for (const e of error.errors) errors.add(e.field, e.message);
        return issueForm(reply, reviewId, actor, errors, fields, 400);
      }
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
