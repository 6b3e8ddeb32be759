import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { overlay, partialBody, patchDescription } from '../../platform/partial-update.ts';
import { actionParams, normaliseNumber, numberedParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { getActionPage } from './actions.service.ts';
import { presentActionJson } from './actions.presenter.ts';
import { actionForm, moveForm } from './actions.forms.ts';
import {
  actionBody,
  actionPageAnswer,
  archivedActionAnswer,
  emptyBody,
  moveBody,
  movedAnswer,
  savedActionAnswer,
} from './actions.schemas.ts';
import {
  actionRules,
  createAction,
  editableAction,
  editActionForm,
  newActionRules,
  updateAction,
  type SavedAction,
} from './action-editing.service.ts';
import { archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';

/*
 * Actions as JSON: one action with its history, and adding, changing, moving, archiving and
 * restoring one through the same form schemas, services and checks as the pages. Dates are
 * 'YYYY-MM-DD'; organisations are an array of ids; edits send the `version` they read.
 * Answers: 201 or 200 with the saved action; 400 with {errors: [{field, message}]} and 409 for
 * a stale version (with what changed) come from the error handler; 403 and 404 as for the
 * pages. Progress, evidence and ratings have their own routes in progress/, evidence/ and rating/.
 */

function presentSavedAction(reviewId: number, { notes, dueDateSource, ...action }: SavedAction) {
  return {
    action: { ...action, reviewId, href: `/reviews/${reviewId}/actions/${action.id}` },
    notes: { dueDate: notes.dueDate, dueDateSource, smart: notes.smart },
  };
}

const actionPatchBody = partialBody(actionBody, 'action');

export function actionsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.get(
    '/api/reviews/:reviewId/actions/:actionId',
    {
      schema: { summary: 'Show an action', params: actionParams, response: { 200: actionPageAnswer } },
      config: { access: 'read' },
    },
    async (request) => {
      const { reviewId, actionId } = request.params;
      return presentActionJson(await getActionPage(ctx, requireActor(request), reviewId, actionId));
    },
  );

  app.post(
    '/api/reviews/:reviewId/recommendations/:number/actions',
    {
      schema: {
        summary: 'Add an action to a recommendation',
        params: numberedParams,
        body: formBody(actionBody),
        response: { 201: savedActionAnswer },
      },
      config: { access: 'add actions' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const command = await parseForm(actionForm(await newActionRules(ctx, actor, reviewId, number)), request.body);
      const saved = await createAction(ctx, actor, reviewId, number, command);
      return reply.code(201).send(presentSavedAction(reviewId, saved));
    },
  );

  app.put(
    '/api/reviews/:reviewId/actions/:actionId',
    {
      schema: {
        summary: 'Change an action',
        description: 'Replaces every field: a field left out is saved empty. To change only some, use PATCH.',
        params: actionParams,
        body: formBody(actionBody),
        response: { 200: savedActionAnswer },
      },
      config: { access: 'edit the trust action' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const command = await parseForm(actionForm(await actionRules(ctx, actor, reviewId, actionId)), request.body);
      return presentSavedAction(reviewId, await updateAction(ctx, actor, reviewId, actionId, command));
    },
  );

  app.patch(
    '/api/reviews/:reviewId/actions/:actionId',
    {
      schema: {
        summary: 'Change some fields of an action',
        description: patchDescription('action'),
        params: actionParams,
        body: formBody(actionPatchBody),
        response: { 200: savedActionAnswer },
      },
      config: { access: 'edit the trust action' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const { values } = await editActionForm(ctx, actor, reviewId, actionId);
      const body = overlay(values, request.body, actionBody, 'action');
      const command = await parseForm(actionForm(await actionRules(ctx, actor, reviewId, actionId)), body);
      return presentSavedAction(reviewId, await updateAction(ctx, actor, reviewId, actionId, command));
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/move',
    {
      schema: {
        summary: 'Move an action up or down among its recommendation’s actions',
        params: actionParams,
        body: formBody(moveBody),
        response: { 200: movedAnswer },
      },
      config: { access: 'edit the trust action' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      // Who may move it is settled before what was asked: a refusal never depends on the body.
      await editableAction(ctx, actor, reviewId, actionId);
      const { direction } = await parseForm(moveForm, request.body);
      const moved = await moveAction(ctx, actor, reviewId, actionId, direction);
      return { recommendationNumber: moved.recommendationNumber, actionIds: moved.order };
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/archive',
    {
      schema: {
        summary: 'Archive an action',
        params: actionParams,
        body: formBody(emptyBody),
        response: { 200: archivedActionAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await archiveAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: true } };
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/restore',
    {
      schema: {
        summary: 'Restore an archived action',
        params: actionParams,
        body: formBody(emptyBody),
        response: { 200: archivedActionAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: false } };
    },
  );
}
