import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { canCoordinate, editableOrganisations, permissionFlags } from '../../domain/permissions.ts';
import { z } from 'zod';
import { parseForm } from '../../platform/form-schema.ts';
import { keptFormFor, submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { actionParams, normaliseNumber, numberedParams, optionalText } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { getReview, pageKey } from '../reviews/reviews.service.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { actionForm, DUE_DATE_SOURCES, moveButtons } from './actions.forms.ts';
import { presentAction } from './actions.presenter.ts';
import { presentActionAssignments } from './assignments/assignments.presenter.ts';
import { canEditThisAction, getActionPage } from './actions.service.ts';
import {
  actionNotes,
  actionRules,
  createAction,
  editActionForm,
  newActionForm,
  newActionRules,
  updateAction,
  type ActionForm,
  type SavedAction,
} from './action-editing.service.ts';
import { actionArchiveQuestion, archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';
import { presentActionForm, type SavedNotice } from './action-editing.presenter.ts';
import { actionsApiRoutes } from './actions-api.routes.ts';
import { progressRoutes } from './progress/progress.routes.ts';
import { evidenceRoutes } from './evidence/evidence.routes.ts';
import { ratingRoutes } from './rating/rating.routes.ts';
import { dueDateRoutes } from './due-dates/due-dates.routes.ts';
import { assignmentRoutes } from './assignments/assignments.routes.ts';

/*
 * The pages of actions: an action, adding one to a recommendation and changing it, putting it
 * in order, archiving and restoring it. A form posts, then redirects (303) when saved; problems
 * re-render the form with the values entered: 400 for invalid values, 409 for a stale edit.
 * An action's progress, evidence and rating have their own folders here. Saving an action shows
 * its own notice on the form (how the due date was read); other changes confirm on the next page.
 */

const recommendationHref = (reviewId: number, number: string) =>
  `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`;

export function actionsRoutes(app: ClaspApp, ctx: AppContext): void {
  actionsApiRoutes(app, ctx);
  progressRoutes(app, ctx);
  evidenceRoutes(app, ctx);
  ratingRoutes(app, ctx);
  dueDateRoutes(app, ctx);
  assignmentRoutes(app, ctx);

  app.get(
    '/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const review = await getReview(ctx, actor, request.params.reviewId);
      const { actionId } = request.params;
      // Roles in the review are part of every page key; whether this person edits this action
      // depends on the action's organisations too, so it names the kept page.
      // Only for someone who edits for some organisations but does not coordinate does that take a query.
      const canEdit =
        canCoordinate(actor, review.id) ||
        (editableOrganisations(actor, review.id).length > 0 && (await canEditThisAction(ctx, actor, review, actionId)));
      const key = pageKey(ctx, actor, review, `action:${actionId}:${canEdit ? 'edit' : 'read'}`);
      return reply.cachedPage(key, 'actions/views/action.njk', async () => {
        const page = await getActionPage(ctx, actor, review.id, actionId);
        return {
          ...presentAction(page),
          // Which organisations this person answers for is part of the page key (their roles).
          assignments: presentActionAssignments(
            page.assignments,
            editableOrganisations(actor, review.id),
            `/reviews/${review.id}/actions/${actionId}`,
          ),
          can: permissionFlags(actor, review.id),
          canEdit,
        };
      });
    },
  );

  /* Adding an action to a recommendation, and changing it */
  const actionPage = (reply: FastifyReply, form: ActionForm, refused: RefusedForm | null, saved?: SavedNotice) =>
    sendForm(reply, 'actions/views/action-form.njk', presentActionForm(form, refused, saved), refused?.failure);
  // After saving, the form says how the due date was found and checks the action is SMART.
  const savedHref = (reviewId: number, saved: SavedAction, done: 'added' | 'changed') =>
    `/reviews/${reviewId}/actions/${saved.id}/edit?saved=${done}&due=${saved.dueDateSource}`;

  app.get(
    '/reviews/:reviewId/recommendations/:number/actions/new',
    { schema: { params: numberedParams }, config: { access: 'add actions', restoresKeptForm: true } },
    async (request, reply) => {
      const number = normaliseNumber(request.params.number);
      const form = await newActionForm(ctx, requireActor(request), request.params.reviewId, number);
      return actionPage(reply, form, keptFormFor(request));
    },
  );

  app.post(
    '/reviews/:reviewId/recommendations/:number/actions/new',
    { schema: { params: numberedParams }, config: { access: 'add actions' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      return submitForm(
        reply,
        request.body,
        async () => {
          const rules = await newActionRules(ctx, actor, reviewId, number);
          const command = await parseForm(actionForm(rules), request.body);
          return savedHref(reviewId, await createAction(ctx, actor, reviewId, number, command), 'added');
        },
        async (refused) => actionPage(reply, await newActionForm(ctx, actor, reviewId, number), refused),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/actions/:actionId/edit',
    {
      schema: { params: actionParams, querystring: z.object({ saved: optionalText, due: optionalText }) },
      config: { access: 'edit the trust action', restoresKeptForm: true },
    },
    async (request, reply) => {
      const form = await editActionForm(ctx, requireActor(request), request.params.reviewId, request.params.actionId);
      const { saved, due } = request.query;
      const source = DUE_DATE_SOURCES.find((s) => s === due) ?? 'typed';
      const notice =
        saved === 'added' || saved === 'changed'
          ? { added: saved === 'added', notes: actionNotes(form.saved, source, form.recommendation.outcome) }
          : undefined;
      return actionPage(reply, form, keptFormFor(request), notice);
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/edit',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(actionForm(await actionRules(ctx, actor, reviewId, actionId)), request.body);
          return savedHref(reviewId, await updateAction(ctx, actor, reviewId, actionId, command), 'changed');
        },
        async (refused) => actionPage(reply, await editActionForm(ctx, actor, reviewId, actionId), refused),
      );
    },
  );

  /* Putting actions in order, archiving and restoring them */
  app.post(
    '/reviews/:reviewId/actions/:actionId/move',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const { direction } = await parseForm(moveButtons, request.body);
      const moved = await moveAction(ctx, requireActor(request), reviewId, actionId, direction);
      confirm(reply, `Action moved ${direction}`);
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
      confirm(reply, 'Action archived');
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/restore',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      confirm(reply, 'Action restored');
      return reply.redirect(`/reviews/${reviewId}/actions/${actionId}`, 303);
    },
  );
}
