import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { overlay, partialBody, patchDescription } from '../../platform/partial-update.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { groupForm } from './groups.forms.ts';
import { groupAnswer, groupBody } from './groups.schemas.ts';
import { createGroup, editGroupForm, groupRules, updateGroup } from './group-editing.service.ts';

/*
 * Recommendation groups as JSON, through the same form schema, services and checks as the
 * pages. The organisations addressed are an array of ids; edits send the `version` they read.
 * Answers: 201 or 200 with the saved group; 400 with {errors: [{field, message}]} and 409 for a
 * stale version (with what changed) come from the error handler; 403 and 404 as for the pages.
 */

export const groupParams = z.object({ reviewId: id, groupId: id });

const groupPatchBody = partialBody(groupBody, 'group');

export function groupsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.post(
    '/api/reviews/:reviewId/groups',
    {
      schema: {
        summary: 'Add a group of recommendations',
        params: reviewIdParams,
        body: formBody(groupBody),
        response: { 201: groupAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const command = await parseForm(groupForm(await groupRules(ctx, actor, reviewId)), request.body);
      return reply.code(201).send({ group: await createGroup(ctx, actor, reviewId, command) });
    },
  );

  app.put(
    '/api/reviews/:reviewId/groups/:groupId',
    {
      schema: {
        summary: 'Change a group of recommendations',
        description: 'Replaces every field: a field left out is saved empty. To change only some, use PATCH.',
        params: groupParams,
        body: formBody(groupBody),
        response: { 200: groupAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, groupId } = request.params;
      const command = await parseForm(groupForm(await groupRules(ctx, actor, reviewId, groupId)), request.body);
      return { group: await updateGroup(ctx, actor, reviewId, groupId, command) };
    },
  );

  app.patch(
    '/api/reviews/:reviewId/groups/:groupId',
    {
      schema: {
        summary: 'Change some fields of a group of recommendations',
        description: patchDescription('group'),
        params: groupParams,
        body: formBody(groupPatchBody),
        response: { 200: groupAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, groupId } = request.params;
      const { values } = await editGroupForm(ctx, actor, reviewId, groupId);
      const body = overlay(values, request.body, groupBody, 'group');
      const command = await parseForm(groupForm(await groupRules(ctx, actor, reviewId, groupId)), body);
      return { group: await updateGroup(ctx, actor, reviewId, groupId, command) };
    },
  );
}
