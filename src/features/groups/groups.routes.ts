import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import type { Fields } from '../reviews/plan-edits.service.ts';
import { retry, sendForm, type FormFailure } from '../reviews/plan-edit-forms.service.ts';
import { createGroup, editGroupForm, newGroupForm, updateGroup, type GroupForm } from './group-editing.service.ts';
import { presentGroupForm } from './groups.presenter.ts';
import { groupParams, groupsApiRoutes } from './groups-api.routes.ts';

/*
 * The pages that add and change a review's recommendation groups ("NHS Rotherham CCG and …
 * should:"). A form posts, then redirects (303) to the review when saved; problems re-render
 * the form with the values entered: 400 for invalid values, 409 for a stale edit.
 */

export async function groupsRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  await groupsApiRoutes(app, ctx);

  const groupPage = (
    reply: FastifyReply,
    form: GroupForm,
    fields: Fields,
    version: number | null,
    failure?: FormFailure,
  ) => sendForm(reply, 'groups/views/group-form.njk', presentGroupForm(form, fields, version), failure);

  app.get(
    '/reviews/:reviewId/groups/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await newGroupForm(ctx, requireActor(request), request.params.reviewId);
      return groupPage(reply, form, form.fields, null);
    },
  );

  app.post(
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

  app.get(
    '/reviews/:reviewId/groups/:groupId/edit',
    { schema: { params: groupParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const form = await editGroupForm(ctx, requireActor(request), request.params.reviewId, request.params.groupId);
      return groupPage(reply, form, form.fields, form.version);
    },
  );

  app.post(
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
}
