import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import type { Fields } from '../reviews/plan-edits.service.ts';
import { retry, sendForm, type FormFailure } from '../reviews/plan-edit-forms.service.ts';
import { presentFinding, presentFindingsList } from './findings.presenter.ts';
import { getFinding, getFindingsList } from './findings.service.ts';
import {
  createFinding,
  editFindingForm,
  newFindingForm,
  updateFinding,
  type FindingForm,
} from './finding-editing.service.ts';
import { presentFindingForm } from './finding-editing.presenter.ts';
import { findingsApiRoutes } from './findings-api.routes.ts';

/*
 * The pages of findings: the list, a finding, adding and changing one. A form posts, then
 * redirects (303) when saved; problems re-render the form with the values entered: 400 for
 * invalid values, 409 for a stale edit.
 */

const findingHref = (reviewId: number, number: string) => `/reviews/${reviewId}/findings/${encodeURIComponent(number)}`;

export async function findingsRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  await findingsApiRoutes(app, ctx);

  app.get(
    '/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, 'findings'),
        'findings/views/list.njk',
        async () => ({
          ...presentFindingsList(await getFindingsList(ctx, requireActor(request), review.id)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request, reply) => {
      const review = await getReview(ctx, requireActor(request), request.params.reviewId);
      const number = normaliseNumber(request.params.number);
      return reply.cachedPage(
        pageKey(ctx, requireActor(request), review, `finding:${number}`),
        'findings/views/finding.njk',
        async () => ({
          ...presentFinding(await getFinding(ctx, requireActor(request), review.id, number)),
          can: permissionFlags(requireActor(request), review.id),
        }),
      );
    },
  );

  /* Adding and changing a finding */
  const findingPage = (
    reply: FastifyReply,
    form: FindingForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'findings/views/finding-form.njk', presentFindingForm(form, fields, version), failure);

  app.get(
    '/reviews/:reviewId/findings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await newFindingForm(ctx, requireActor(request), request.params.reviewId);
      return findingPage(reply, form, form.fields, null);
    },
  );

  app.post(
    '/reviews/:reviewId/findings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const outcome = await createFinding(ctx, actor, reviewId, request.body);
      if (outcome.ok) return reply.redirect(findingHref(reviewId, outcome.saved.number), 303);
      return findingPage(
        reply,
        await newFindingForm(ctx, actor, reviewId),
        retry(request.body, outcome).fields,
        null,
        outcome,
      );
    },
  );

  app.get(
    '/reviews/:reviewId/findings/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editFindingForm(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return findingPage(reply, form, form.fields, form.version);
    },
  );

  app.post(
    '/reviews/:reviewId/findings/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const outcome = await updateFinding(ctx, actor, reviewId, number, request.body);
      if (outcome.ok) return reply.redirect(findingHref(reviewId, outcome.saved.number), 303);
      const again = retry(request.body, outcome);
      return findingPage(
        reply,
        await editFindingForm(ctx, actor, reviewId, number),
        again.fields,
        again.version,
        outcome,
      );
    },
  );
}
