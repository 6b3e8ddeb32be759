import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { actionParams, normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import type { Fields, SaveOutcome } from './editing.service.ts';
import { createReview, REVIEW_DATE_FIELDS, updateReview } from './review-editing.service.ts';
import { createGroup, updateGroup } from './group-editing.service.ts';
import {
  archiveRecommendation,
  createRecommendation,
  restoreRecommendation,
  updateRecommendation,
} from './recommendation-editing.service.ts';
import { createFinding, sectionFields, updateFinding } from './finding-editing.service.ts';
import { ACTION_DATE_FIELDS, createAction, updateAction, type SavedAction } from './action-editing.service.ts';
import { archiveAction, moveAction, restoreAction } from './action-arranging.service.ts';
import { editableAction } from './action-editing.service.ts';

/*
 * The same edits as JSON, through the same services and checks as the pages. Dates are
 * 'YYYY-MM-DD'; lists of organisations or recommendations are arrays of ids; edits send
 * the `version` they read. Answers: 201 or 200 with the saved object, 400 with
 * {errors: [{field, message}]}, 409 for a stale version (with what changed), 403 and 404
 * as for the pages.
 */

type ReviewParams = { Params: { reviewId: number } };
type NumberParams = { Params: { reviewId: number; number: string } };
type ActionParams = { Params: { reviewId: number; actionId: number } };
type GroupParams = { Params: { reviewId: number; groupId: number } };

export const groupParams = {
  type: 'object',
  required: ['reviewId', 'groupId'],
  properties: { reviewId: reviewIdParams.properties.reviewId, groupId: reviewIdParams.properties.reviewId },
} as const;

const jsonBody = { type: 'object' } as const;

function oneValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return '';
}

/** A JSON body in the shape of the form the services read: dates become day, month and year boxes. */
export function fieldsFromJson(json: unknown, dateKeys: readonly string[] = []): Fields {
  const fields: Fields = {};
  if (!json || typeof json !== 'object') return fields;
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (dateKeys.includes(key)) {
      const text = oneValue(value);
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
      // Anything but YYYY-MM-DD reads as a date not written in numbers.
      const [day, month, year] = m ? [m[3] ?? '', m[2] ?? '', m[1] ?? ''] : text ? ['?', '?', '?'] : ['', '', ''];
      fields[`${key}-day`] = day;
      fields[`${key}-month`] = month;
      fields[`${key}-year`] = year;
    } else if (Array.isArray(value)) fields[key] = value.map(oneValue);
    else fields[key] = oneValue(value);
  }
  return fields;
}

function errorList(errors: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ field, message }));
}

function sendOutcome<T>(
  reply: FastifyReply,
  outcome: SaveOutcome<T>,
  status: 200 | 201,
  present: (saved: T) => unknown,
) {
  if (outcome.ok) return reply.code(status).send(present(outcome.saved));
  const fieldErrors = errorList(outcome.errors.fields);
  if (outcome.stale) {
    return reply.code(409).send({
      errors: [{ field: 'version', message: outcome.stale.message }, ...fieldErrors],
      version: outcome.stale.version,
      changes: outcome.stale.changes,
    });
  }
  return reply.code(400).send({ errors: fieldErrors });
}

function presentAction(reviewId: number) {
  return ({ notes, dueDateSource, ...action }: SavedAction) => ({
    action: { ...action, reviewId, href: `/reviews/${reviewId}/actions/${action.id}` },
    notes: { dueDate: notes.dueDate, dueDateSource, smart: notes.smart },
  });
}

export async function editingApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post(
    '/api/reviews',
    { schema: { body: jsonBody }, config: { access: 'create reviews' } },
    async (request, reply) => {
      const outcome = await createReview(ctx, requireActor(request), fieldsFromJson(request.body, REVIEW_DATE_FIELDS));
      return sendOutcome(reply, outcome, 201, ({ reviewId, ...review }) => ({
        review: { id: reviewId, version: 1, ...review },
      }));
    },
  );

  app.put<ReviewParams>(
    '/api/reviews/:reviewId',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateReview(
        ctx,
        requireActor(request),
        reviewId,
        fieldsFromJson(request.body, REVIEW_DATE_FIELDS),
      );
      return sendOutcome(reply, outcome, 200, (review) => ({ review: { id: reviewId, ...review } }));
    },
  );

  app.post<ReviewParams>(
    '/api/reviews/:reviewId/groups',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const outcome = await createGroup(
        ctx,
        requireActor(request),
        request.params.reviewId,
        fieldsFromJson(request.body),
      );
      return sendOutcome(reply, outcome, 201, (group) => ({ group: { ...group, version: 1 } }));
    },
  );

  app.put<GroupParams>(
    '/api/reviews/:reviewId/groups/:groupId',
    { schema: { params: groupParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, groupId } = request.params;
      const outcome = await updateGroup(ctx, requireActor(request), reviewId, groupId, fieldsFromJson(request.body));
      return sendOutcome(reply, outcome, 200, (group) => ({ group }));
    },
  );

  app.post<ReviewParams>(
    '/api/reviews/:reviewId/recommendations',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const outcome = await createRecommendation(
        ctx,
        requireActor(request),
        request.params.reviewId,
        fieldsFromJson(request.body),
      );
      return sendOutcome(reply, outcome, 201, (recommendation) => ({ recommendation }));
    },
  );

  app.put<NumberParams>(
    '/api/reviews/:reviewId/recommendations/:number',
    { schema: { params: numberedParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateRecommendation(
        ctx,
        requireActor(request),
        reviewId,
        normaliseNumber(request.params.number),
        fieldsFromJson(request.body),
      );
      return sendOutcome(reply, outcome, 200, (recommendation) => ({ recommendation }));
    },
  );

  app.post<NumberParams>(
    '/api/reviews/:reviewId/recommendations/:number/archive',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { archived } = await archiveRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: true }, actionsArchived: archived };
    },
  );

  app.post<NumberParams>(
    '/api/reviews/:reviewId/recommendations/:number/restore',
    { schema: { params: numberedParams }, config: { access: 'coordinate' } },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      const { restored } = await restoreRecommendation(ctx, requireActor(request), request.params.reviewId, number);
      return { recommendation: { number, archived: false }, actionsRestored: restored };
    },
  );

  const findingFields = (json: unknown): Fields => {
    const fields = fieldsFromJson(json);
    return { ...fields, ...sectionFields(typeof fields.section === 'string' ? fields.section : '') };
  };

  app.post<ReviewParams>(
    '/api/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const outcome = await createFinding(
        ctx,
        requireActor(request),
        request.params.reviewId,
        findingFields(request.body),
      );
      return sendOutcome(reply, outcome, 201, (finding) => ({ finding }));
    },
  );

  app.put<NumberParams>(
    '/api/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateFinding(
        ctx,
        requireActor(request),
        reviewId,
        normaliseNumber(request.params.number),
        findingFields(request.body),
      );
      return sendOutcome(reply, outcome, 200, (finding) => ({ finding }));
    },
  );

  app.post<NumberParams>(
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
      return sendOutcome(reply, outcome, 201, presentAction(reviewId));
    },
  );

  app.put<ActionParams>(
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
      return sendOutcome(reply, outcome, 200, presentAction(reviewId));
    },
  );

  app.post<ActionParams>(
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

  app.post<ActionParams>(
    '/api/reviews/:reviewId/actions/:actionId/archive',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await archiveAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: true } };
    },
  );

  app.post<ActionParams>(
    '/api/reviews/:reviewId/actions/:actionId/restore',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request) => {
      const { reviewId, actionId } = request.params;
      await restoreAction(ctx, requireActor(request), reviewId, actionId);
      return { action: { id: actionId, archived: false } };
    },
  );
}
