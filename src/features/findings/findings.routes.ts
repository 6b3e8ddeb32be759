import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import { getReview, pageKey, type ReviewsContext } from '../reviews/reviews.service.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { findingForm } from './findings.forms.ts';
import { presentFinding, presentFindingsList } from './findings.presenter.ts';
import { getFinding, getFindingsList } from './findings.service.ts';
import {
  createFinding,
  editFindingForm,
  findingRules,
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

export function findingsRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  findingsApiRoutes(app, ctx);

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
  const findingPage = (reply: FastifyReply, form: FindingForm, refused: RefusedForm | null = null) =>
    sendForm(reply, 'findings/views/finding-form.njk', presentFindingForm(form, refused), refused?.failure);

  app.get(
    '/reviews/:reviewId/findings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) =>
      findingPage(reply, await newFindingForm(ctx, requireActor(request), request.params.reviewId)),
  );

  app.post(
    '/reviews/:reviewId/findings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(findingForm(await findingRules(ctx, actor, reviewId)), request.body);
          const saved = await createFinding(ctx, actor, reviewId, command);
          confirm(reply, `Finding ${saved.number} added`);
          return findingHref(reviewId, saved.number);
        },
        async (refused) => findingPage(reply, await newFindingForm(ctx, actor, reviewId), refused),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/findings/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const number = normaliseNumber(request.params.number);
      return findingPage(reply, await editFindingForm(ctx, requireActor(request), request.params.reviewId, number));
    },
  );

  app.post(
    '/reviews/:reviewId/findings/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await findingRules(ctx, actor, reviewId, number);
          const saved = await updateFinding(
            ctx,
            actor,
            reviewId,
            number,
            await parseForm(findingForm(rules), request.body),
          );
          confirm(reply, `Finding ${saved.number} saved`);
          return findingHref(reviewId, saved.number);
        },
        async (refused) => findingPage(reply, await editFindingForm(ctx, actor, reviewId, number), refused),
      );
    },
  );
}
