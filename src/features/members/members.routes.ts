import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { id, noticeQuery, reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { addMember, getMembers, memberRules, removeMember } from './members.service.ts';
import { memberForm } from './members.forms.ts';
import { memberNotice, presentMembers } from './members.presenter.ts';
import { addedMemberJson, memberBody, memberListJson, memberListOf } from './members.schemas.ts';

/*
 * /reviews/:reviewId/members: the review's people and roles, and the form to add someone.
 * The service decides who may see and change them (coordinators and administrators); these
 * routes parse forms and render.
 */

const membershipParams = z.object({ reviewId: id, membershipId: id });

export function membersRoutes(app: ClaspApp, ctx: AppContext): void {
  async function refusedPage(reply: FastifyReply, actor: Actor, reviewId: number, refused: RefusedForm) {
    const view = await getMembers(ctx, actor, reviewId);
    return reply.page('members/views/members.njk', presentMembers(view, { refused }), refused.failure.status);
  }

  app.get(
    '/reviews/:reviewId/members',
    { schema: { params: reviewIdParams, querystring: noticeQuery }, config: { access: 'members' } },
    async (request, reply) => {
      const view = await getMembers(ctx, requireActor(request), request.params.reviewId);
      const notice = memberNotice(view, request.query);
      return reply.page('members/views/members.njk', presentMembers(view, { notice }));
    },
  );

  app.post(
    '/reviews/:reviewId/members',
    { schema: { params: reviewIdParams }, config: { access: 'members' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const form = memberForm(await memberRules(ctx, actor, reviewId));
      return submitForm(
        reply,
        request.body,
        async () => {
          const added = await addMember(ctx, actor, reviewId, await parseForm(form, request.body));
          if (added.mailError) request.log.error({ err: added.mailError }, 'the invitation email could not be sent');
          const query = new URLSearchParams({
            done: added.invited ? 'invited' : 'added',
            member: String(added.membershipId),
          });
          if (added.mailError) query.set('mail', 'failed');
          return `/reviews/${reviewId}/members?${query.toString()}`;
        },
        (refused) => refusedPage(reply, actor, reviewId, refused),
      );
    },
  );

  app.post(
    '/reviews/:reviewId/members/:membershipId/remove',
    { schema: { params: membershipParams }, config: { access: 'members' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, membershipId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          await removeMember(ctx, actor, reviewId, membershipId);
          return `/reviews/${reviewId}/members?done=removed`;
        },
        (refused) => refusedPage(reply, actor, reviewId, refused),
      );
    },
  );

  /* The same for scripts: a refused addition is answered by the error handler, 400 {errors}. */

  app.get(
    '/api/reviews/:reviewId/members',
    {
      schema: { summary: 'List the members of a review', params: reviewIdParams, response: { 200: memberListJson } },
      config: { access: 'members' },
    },
    async (request) => memberListOf(await getMembers(ctx, requireActor(request), request.params.reviewId)),
  );

  app.post(
    '/api/reviews/:reviewId/members',
    {
      schema: {
        summary: 'Add a member to a review',
        params: reviewIdParams,
        body: formBody(memberBody),
        response: { 201: addedMemberJson },
      },
      config: { access: 'members' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const command = await parseForm(memberForm(await memberRules(ctx, actor, reviewId)), request.body);
      const added = await addMember(ctx, actor, reviewId, command);
      if (added.mailError) request.log.error({ err: added.mailError }, 'the invitation email could not be sent');
      return reply.code(201).send({
        id: added.membershipId,
        invited: added.invited,
        invitationSent: added.invited && !added.mailError,
      });
    },
  );

  app.delete(
    '/api/reviews/:reviewId/members/:membershipId',
    {
      schema: {
        summary: 'Take a role in a review away from someone',
        description:
          'Removes one membership (a person, organisation and role) from the list GET gives. ' +
          'The review’s last plan coordinator cannot be removed: add another first.',
        params: membershipParams,
        response: { 204: z.null().describe('Removed') },
      },
      config: { access: 'members' },
    },
    async (request, reply) => {
      const { reviewId, membershipId } = request.params;
      await removeMember(ctx, requireActor(request), reviewId, membershipId);
      return reply.code(204).send(null);
    },
  );
}
