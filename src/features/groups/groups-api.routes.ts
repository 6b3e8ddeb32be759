import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/plugin.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { fieldsFromJson, jsonBody, sendOutcome } from '../reviews/plan-edit-forms.service.ts';
import { createGroup, updateGroup } from './group-editing.service.ts';

/*
 * Recommendation groups as JSON, through the same services and checks as the pages. The
 * organisations addressed are an array of ids; edits send the `version` they read. Answers:
 * 201 or 200 with the saved group, 400 with {errors: [{field, message}]}, 409 for a stale
 * version (with what changed), 403 and 404 as for the pages.
 */

export const groupParams = z.object({ reviewId: id, groupId: id });

export async function groupsApiRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  app.post(
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

  app.put(
    '/api/reviews/:reviewId/groups/:groupId',
    { schema: { params: groupParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, groupId } = request.params;
      const outcome = await updateGroup(ctx, requireActor(request), reviewId, groupId, fieldsFromJson(request.body));
      return sendOutcome(reply, outcome, 200, (group) => ({ group }));
    },
  );
}
