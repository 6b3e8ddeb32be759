import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { actionParams, normaliseNumber, numberedParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { fieldsFromJson, jsonBody, sendOutcome } from '../reviews/plan-edit-forms.service.ts';
import { getActionPage } from './actions.service.ts';
import {
  ACTION_DATE_FIELDS,
  createAction,
  editableAction,
  updateAction,
  type SavedAction,
} from './action-editing.service.ts';
import { archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';

/*
 * Actions as JSON: one action with its history, and adding, changing, moving, archiving and
 * restoring one through the same services and checks as the pages. Dates are 'YYYY-MM-DD';
 * organisations are an array of ids; edits send the `version` they read. Answers: 201 or 200
 * with the saved action, 400 with {errors: [{field, message}]}, 409 for a stale version (with
 * what changed), 403 and 404 as for the pages. Progress, evidence and ratings have their own
 * routes in progress/, evidence/ and rating/.
 */

function presentSavedAction(reviewId: number) {
  return ({ notes, dueDateSource, ...action }: SavedAction) => ({
    action: { ...action, reviewId, href: `/reviews/${reviewId}/actions/${action.id}` },
    notes: { dueDate: notes.dueDate, dueDateSource, smart: notes.smart },
  });
}

export async function actionsApiRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  app.get(
    '/api/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams }, config: { access: 'read' } },
    async (request) => {
      const p = await getActionPage(ctx, requireActor(request), request.params.reviewId, request.params.actionId);
      return {
        action: p.action,
        label: p.label,
        organisations: p.organisations,
        dateReading: p.dateReading,
        rating: p.current,
        ratingHistory: p.ratings,
        challenges: p.challenges,
        progress: p.progress,
        evidence: p.evidence.map((e) => ({
          ...e,
          download: e.kind === 'file' ? `/reviews/${p.review.id}/evidence/${e.id}/file` : null,
        })),
        exceptions: p.exceptions,
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/actions',
    { schema: { params: numberedParams, body: jsonBody }, config: { access: 'add actions' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await createAction(
        ctx,
        requireActor(request),
        reviewId,
        normaliseNumber(request.params.number),
        fieldsFromJson(request.body, ACTION_DATE_FIELDS),
      );
      return sendOutcome(reply, outcome, 201, presentSavedAction(reviewId));
    },
  );

  app.put(
    '/api/reviews/:reviewId/actions/:actionId',
    { schema: { params: actionParams, body: jsonBody }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const outcome = await updateAction(
        ctx,
        requireActor(request),
        reviewId,
        actionId,
        fieldsFromJson(request.body, ACTION_DATE_FIELDS),
      );
      return sendOutcome(reply, outcome, 200, presentSavedAction(reviewId));
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/move',
    { schema: { params: actionParams, body: jsonBody }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const direction = (request.body as Record<string, unknown>).direction;
      // Who may move it is settled before what was asked: a refusal never depends on the body.
      await editableAction(ctx, requireActor(request), reviewId, actionId);
      if (direction !== 'up' && direction !== 'down') {
        return reply
          .code(400)
          .send({ errors: [{ field: 'direction', message: 'Say whether to move the action up or down' }] });
      }
      const moved = await moveAction(ctx, requireActor(request), reviewId, actionId, direction);
      return { recommendationNumber: moved.recommendationNumber, actionIds: moved.order };
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await archiveAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: true } };
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/restore',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: false } };
    },
  );
}
