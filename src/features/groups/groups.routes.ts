import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { groupForm } from './groups.forms.ts';
import {
  createGroup,
  editGroupForm,
  groupRules,
  newGroupForm,
  updateGroup,
  type GroupForm,
} from './group-editing.service.ts';
import { presentGroupForm } from './groups.presenter.ts';
import { groupParams, groupsApiRoutes } from './groups-api.routes.ts';

/*
 * The pages that add and change a review's recommendation groups ("NHS Rotherham CCG and …
 * should:"). A form posts, then redirects (303) to the review when saved; problems re-render
 * the form with the values entered: 400 for invalid values, 409 for a stale edit.
 */

export function groupsRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  groupsApiRoutes(app, ctx);

  const groupPage = (reply: FastifyReply, form: GroupForm, refused: RefusedForm | null = null) =>
    sendForm(reply, 'groups/views/group-form.njk', presentGroupForm(form, refused), refused?.failure);

  app.get(
    '/reviews/:reviewId/groups/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => groupPage(reply, await newGroupForm(ctx, requireActor(request), request.params.reviewId)),
  );

  app.post(
    '/reviews/:reviewId/groups/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(groupForm(await groupRules(ctx, actor, reviewId)), request.body);
          await createGroup(ctx, actor, reviewId, command);
          confirm(reply, 'Recommendation group added');
          return `/reviews/${reviewId}`;
        },
        async (refused) => groupPage(reply, await newGroupForm(ctx, actor, reviewId), refused),
      );
    },
  );

  app.get(
    '/reviews/:reviewId/groups/:groupId/edit',
    { schema: { params: groupParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId, groupId } = request.params;
      return groupPage(reply, await editGroupForm(ctx, requireActor(request), reviewId, groupId));
    },
  );

  app.post(
    '/reviews/:reviewId/groups/:groupId/edit',
    { schema: { params: groupParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, groupId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(groupForm(await groupRules(ctx, actor, reviewId, groupId)), request.body);
          await updateGroup(ctx, actor, reviewId, groupId, command);
          confirm(reply, 'Recommendation group saved');
          return `/reviews/${reviewId}`;
        },
        async (refused) => groupPage(reply, await editGroupForm(ctx, actor, reviewId, groupId), refused),
      );
    },
  );
}
