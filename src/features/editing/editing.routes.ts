import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { readVersion } from '../../platform/forms.ts';
import { actionParams, normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { fieldsFromBody, type Fields, type SaveOutcome } from './editing.service.ts';
import {
  createReview,
  editReviewForm,
  newReviewForm,
  updateReview,
  type ReviewForm,
} from './review-editing.service.ts';
import { createGroup, editGroupForm, newGroupForm, updateGroup, type GroupForm } from './group-editing.service.ts';
import {
  createRecommendation,
  editRecommendationForm,
  newRecommendationForm,
  updateRecommendation,
  type RecommendationForm,
} from './recommendation-editing.service.ts';
import {
  createFinding,
  editFindingForm,
  newFindingForm,
  updateFinding,
  type FindingForm,
} from './finding-editing.service.ts';
import {
  actionNotes,
  createAction,
  editActionForm,
  newActionForm,
  updateAction,
  type ActionForm,
  type DueDateSource,
} from './action-editing.service.ts';
import {
  formState,
  presentActionForm,
  presentFindingForm,
  presentGroupForm,
  presentRecommendationForm,
  presentReviewForm,
  type FormFailure,
  type SavedNotice,
} from './editing.presenter.ts';
import { editingApiRoutes, groupParams } from './editing-api.routes.ts';
import { arrangingRoutes } from './arranging.routes.ts';

/*
 * The pages that change a plan. Each form posts, then redirects (303) when saved; problems
 * re-render the form with the values entered: 400 for invalid values, 409 for a stale edit.
 * Every permission is checked again by the services.
 */

type ReviewParams = { Params: { reviewId: number } };
type NumberParams = { Params: { reviewId: number; number: string } };
type ActionParams = { Params: { reviewId: number; actionId: number } };
type GroupParams = { Params: { reviewId: number; groupId: number } };

function sendForm(
  reply: FastifyReply,
  template: string,
  view: { heading: string; area?: string },
  failure?: FormFailure,
) {
  const state = formState(view.area ? `${view.heading} – ${view.area}` : view.heading, failure);
  return reply.page(`editing/views/${template}`, { ...view, ...state.context }, state.status);
}

/** The values to show again after a refused save, and the version to carry on. */
function retry(
  body: unknown,
  outcome: Extract<SaveOutcome<unknown>, { ok: false }>,
): { fields: Fields; version: number | null } {
  return { fields: fieldsFromBody(body), version: outcome.stale ? outcome.stale.version : readVersion(body) };
}

const recommendationHref = (reviewId: number, number: string) =>
  `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`;

const DUE_SOURCES: readonly DueDateSource[] = ['typed', 'read', 'ongoing'];

export async function editingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await editingApiRoutes(app, ctx);
  await arrangingRoutes(app, ctx);

  /* Reviews */
  const reviewPage = (
    reply: FastifyReply,
    form: ReviewForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'review-form.njk', presentReviewForm(form, fields, version), failure);

  app.get('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) => {
    const form = await newReviewForm(ctx, requireActor(request));
    return reviewPage(reply, form, form.fields, null);
  });

  app.post('/reviews/new', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    const outcome = await createReview(ctx, actor, request.body);
    if (outcome.ok) return reply.redirect(`/reviews/${outcome.saved.reviewId}`, 303);
    const again = retry(request.body, outcome);
    return reviewPage(reply, await newReviewForm(ctx, actor), again.fields, null, outcome);
  });

  app.get<ReviewParams>(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editReviewForm(ctx, requireActor(request), request.params.reviewId);
      return reviewPage(reply, form, form.fields, form.version);
    },
  );

  app.post<ReviewParams>(
    '/reviews/:reviewId/edit',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const outcome = await updateReview(ctx, actor, reviewId, request.body);
      if (outcome.ok) return reply.redirect(`/reviews/${reviewId}`, 303);
      const again = retry(request.body, outcome);
      return reviewPage(reply, await editReviewForm(ctx, actor, reviewId), again.fields, again.version, outcome);
    },
  );

  /* Recommendation groups */
  const groupPage = (
    reply: FastifyReply,
    form: GroupForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'group-form.njk', presentGroupForm(form, fields, version), failure);

  app.get<ReviewParams>(
    '/reviews/:reviewId/groups/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await newGroupForm(ctx, requireActor(request), request.params.reviewId);
      return groupPage(reply, form, form.fields, null);
    },
  );

  app.post<ReviewParams>(
    '/reviews/:reviewId/groups/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const outcome = await createGroup(ctx, actor, reviewId, request.body);
      if (outcome.ok) return reply.redirect(`/reviews/${reviewId}`, 303);
      return groupPage(
        reply,
        await newGroupForm(ctx, actor, reviewId),
        retry(request.body, outcome).fields,
        null,
        outcome,
      );
    },
  );

  app.get<GroupParams>(
    '/reviews/:reviewId/groups/:groupId/edit',
    { schema: { params: groupParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editGroupForm(ctx, requireActor(request), request.params.reviewId, request.params.groupId);
      return groupPage(reply, form, form.fields, form.version);
    },
  );

  app.post<GroupParams>(
    '/reviews/:reviewId/groups/:groupId/edit',
    { schema: { params: groupParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, groupId } = request.params;
      const outcome = await updateGroup(ctx, actor, reviewId, groupId, request.body);
      if (outcome.ok) return reply.redirect(`/reviews/${reviewId}`, 303);
      const again = retry(request.body, outcome);
      return groupPage(reply, await editGroupForm(ctx, actor, reviewId, groupId), again.fields, again.version, outcome);
    },
  );

  /* Recommendations */
  const recommendationPage = (
    reply: FastifyReply,
    form: RecommendationForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'recommendation-form.njk', presentRecommendationForm(form, fields, version), failure);

  app.get<ReviewParams>(
    '/reviews/:reviewId/recommendations/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await newRecommendationForm(ctx, requireActor(request), request.params.reviewId);
      return recommendationPage(reply, form, form.fields, null);
    },
  );

  app.post<ReviewParams>(
    '/reviews/:reviewId/recommendations/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const outcome = await createRecommendation(ctx, actor, reviewId, request.body);
      if (outcome.ok) return reply.redirect(recommendationHref(reviewId, outcome.saved.number), 303);
      return recommendationPage(
        reply,
        await newRecommendationForm(ctx, actor, reviewId),
        retry(request.body, outcome).fields,
        null,
        outcome,
      );
    },
  );

  app.get<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editRecommendationForm(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return recommendationPage(reply, form, form.fields, form.version);
    },
  );

  app.post<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/edit',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const outcome = await updateRecommendation(ctx, actor, reviewId, number, request.body);
      if (outcome.ok) return reply.redirect(recommendationHref(reviewId, outcome.saved.number), 303);
      const again = retry(request.body, outcome);
      return recommendationPage(
        reply,
        await editRecommendationForm(ctx, actor, reviewId, number),
        again.fields,
        again.version,
        outcome,
      );
    },
  );

  /* Findings */
  const findingPage = (
    reply: FastifyReply,
    form: FindingForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'finding-form.njk', presentFindingForm(form, fields, version), failure);
  const findingHref = (reviewId: number, number: string) =>
    `/reviews/${reviewId}/findings/${encodeURIComponent(number)}`;

  app.get<ReviewParams>(
    '/reviews/:reviewId/findings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await newFindingForm(ctx, requireActor(request), request.params.reviewId);
      return findingPage(reply, form, form.fields, null);
    },
  );

  app.post<ReviewParams>(
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

  app.get<NumberParams>(
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

  app.post<NumberParams>(
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

  /* Actions */
  const actionPage = (
    reply: FastifyReply,
    form: ActionForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
    saved?: SavedNotice,
  ) => sendForm(reply, 'action-form.njk', presentActionForm(form, fields, version, saved), failure);

  app.get<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/actions/new',
    { schema: { params: numberedParams }, config: { access: 'add actions' } },
    async (request, reply) => {
      const form = await newActionForm(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return actionPage(reply, form, form.fields, null);
    },
  );

  app.post<NumberParams>(
    '/reviews/:reviewId/recommendations/:number/actions/new',
    { schema: { params: numberedParams }, config: { access: 'add actions' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const outcome = await createAction(ctx, actor, reviewId, number, request.body);
      if (outcome.ok)
        return reply.redirect(
          `/reviews/${reviewId}/actions/${outcome.saved.id}/edit?saved=added&due=${outcome.saved.dueDateSource}`,
          303,
        );
      return actionPage(
        reply,
        await newActionForm(ctx, actor, reviewId, number),
        retry(request.body, outcome).fields,
        null,
        outcome,
      );
    },
  );

  app.get<ActionParams & { Querystring: { saved?: string; due?: string } }>(
    '/reviews/:reviewId/actions/:actionId/edit',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const form = await editActionForm(ctx, requireActor(request), request.params.reviewId, request.params.actionId);
      const { saved, due } = request.query;
      // After saving, the same form says how the due date was found and checks the action is SMART.
      const source = DUE_SOURCES.find((s) => s === due) ?? 'typed';
      const notice =
        saved === 'added' || saved === 'changed'
          ? { added: saved === 'added', notes: actionNotes(form.saved, source, form.recommendation.outcome) }
          : undefined;
      return actionPage(reply, form, form.fields, form.version, undefined, notice);
    },
  );

  app.post<ActionParams>(
    '/reviews/:reviewId/actions/:actionId/edit',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const outcome = await updateAction(ctx, actor, reviewId, actionId, request.body);
      if (outcome.ok)
        return reply.redirect(
          `/reviews/${reviewId}/actions/${actionId}/edit?saved=changed&due=${outcome.saved.dueDateSource}`,
          303,
        );
      const again = retry(request.body, outcome);
      return actionPage(
        reply,
        await editActionForm(ctx, actor, reviewId, actionId),
        again.fields,
        again.version,
        outcome,
      );
    },
  );
}
