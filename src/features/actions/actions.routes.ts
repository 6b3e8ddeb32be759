import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { permissionFlags } from '../../domain/permissions.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { actionParams, normaliseNumber, numberedParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { getReview, pageKey } from '../reviews/reviews.service.ts';
import type { Fields } from '../reviews/plan-edits.service.ts';
import { retry, sendForm, type FormFailure } from '../reviews/plan-edit-forms.service.ts';
import { presentAction } from './actions.presenter.ts';
import { canEditThisAction, getActionPage } from './actions.service.ts';
import {
  actionNotes,
  createAction,
  editActionForm,
  newActionForm,
  updateAction,
  type ActionForm,
  type DueDateSource,
} from './action-editing.service.ts';
import { actionArchiveQuestion, archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';
import { presentActionForm, type SavedNotice } from './action-editing.presenter.ts';
import { actionsApiRoutes } from './actions-api.routes.ts';
import { progressRoutes } from './progress/progress.routes.ts';
import { evidenceRoutes } from './evidence/evidence.routes.ts';
import { ratingRoutes } from './rating/rating.routes.ts';

/*
 * The pages of actions: an action, adding one to a recommendation and changing it, putting it
 * in order, archiving and restoring it. A form posts, then redirects (303) when saved; problems
 * re-render the form with the values entered: 400 for invalid values, 409 for a stale edit.
 * An action's progress, evidence and rating have their own folders here.
 */

type ActionParams = { Params: { reviewId: number; actionId: number } };

const recommendationHref = (reviewId: number, number: string) =>
  `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`;

const DUE_SOURCES: readonly DueDateSource[] = ['typed', 'read', 'ongoing'];

export async function actionsRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  await actionsApiRoutes(app, ctx);
  await progressRoutes(app, ctx);
  await evidenceRoutes(app, ctx);
  await ratingRoutes(app, ctx);

  app.get(
    '/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const review = await getReview(ctx, actor, request.params.reviewId);
      const { actionId } = request.params;
      // Roles in the review are part of every page key; whether this person edits this action
      // depends on the action's organisations too, so it names the kept page.
      const canEdit = await canEditThisAction(ctx, actor, review, actionId);
      const key = pageKey(ctx, actor, review, `action:${actionId}:${canEdit ? 'edit' : 'read'}`);
      return reply.cachedPage(key, 'actions/views/action.njk', async () => ({
        ...presentAction(await getActionPage(ctx, actor, review.id, actionId)),
        can: permissionFlags(actor, review.id),
        canEdit,
      }));
    },
  );

  /* Adding an action to a recommendation, and changing it */
  const actionPage = (
    reply: FastifyReply,
    form: ActionForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
    saved?: SavedNotice,
  ) => sendForm(reply, 'actions/views/action-form.njk', presentActionForm(form, fields, version, saved), failure);

  app.get(
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

  app.post(
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

  app.post(
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

  /* Putting actions in order, archiving and restoring them */
  app.post(
    '/reviews/:reviewId/actions/:actionId/move',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const direction = formText(request.body, 'direction') === 'up' ? 'up' : 'down';
      const moved = await moveAction(ctx, requireActor(request), reviewId, actionId, direction);
      return reply.redirect(`${recommendationHref(reviewId, moved.recommendationNumber)}#action-${actionId}`, 303);
    },
  );

  app.get(
    '/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const q = await actionArchiveQuestion(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.actionId,
      );
      const base = `/reviews/${q.review.id}`;
      const path = `${base}/actions/${q.actionId}`;
      const restoreBlocked = q.archived && q.recommendationArchived;
      return reply.page('reviews/views/archive-confirm.njk', {
        pageTitle: `${q.archived ? 'Restore' : 'Archive'} action – ${q.review.area}`,
        heading: q.archived ? 'Restore this action' : 'Archive this action',
        caption: `Recommendation ${q.recommendationNumber}`,
        text: q.text,
        archived: q.archived,
        restoreBlocked,
        explanation: restoreBlocked
          ? `Recommendation ${q.recommendationNumber} is archived. Restore the recommendation: ` +
            'the actions archived with it come back with it.'
          : q.archived
            ? 'Restoring brings the action back into the plan, its ratings and its exceptions.'
            : "Archiving takes the action out of the plan's ratings and exceptions. Nothing is deleted: " +
              'its progress, evidence and ratings stay, and a coordinator can restore it.',
        formAction: q.archived ? `${path}/restore` : `${path}/archive`,
        cancelHref: path,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: q.review.area, href: base },
          {
            text: `Recommendation ${q.recommendationNumber}`,
            href: recommendationHref(q.review.id, q.recommendationNumber),
          },
        ],
      });
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      await archiveAction(ctx, requireActor(request), reviewId, actionId);
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/restore',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );
}
