import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { id, noticeQuery, reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { addMember, getMembers, removeMember, type MemberFields } from './members.service.ts';
import { memberNotice, presentMembers } from './members.presenter.ts';

/*
 * /reviews/:reviewId/members: the review's people and roles, and the form to add someone.
 * The service decides who may see and change them (coordinators and administrators); these
 * routes read forms and render.
 */

const membershipParams = z.object({ reviewId: id, membershipId: id });

/** A field of a form or of a JSON body, as text (JSON numbers included). */
function field(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'number' ? String(value) : formText(body, name);
}

function memberFields(body: unknown): MemberFields {
  return {
    email: field(body, 'email').trim(),
    name: field(body, 'name').trim(),
    organisationId: field(body, 'organisationId').trim(),
    role: field(body, 'role'),
  };
}

export async function membersRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  async function membersPage(
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    options: Parameters<typeof presentMembers>[1],
    status = 200,
  ) {
    const view = await getMembers(ctx, actor, reviewId);
    return reply.page('members/views/members.njk', presentMembers(view, options), status);
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
      const outcome = await addMember(ctx, actor, reviewId, memberFields(request.body));
      if (!outcome.ok)
        return membersPage(reply, actor, reviewId, { fields: outcome.fields, errors: outcome.errors }, 400);
      if (outcome.mailError) request.log.error({ err: outcome.mailError }, 'the invitation email could not be sent');
      const query = new URLSearchParams({
        done: outcome.invited ? 'invited' : 'added',
        member: String(outcome.membershipId),
      });
      if (outcome.mailError) query.set('mail', 'failed');
      return reply.redirect(`/reviews/${reviewId}/members?${query.toString()}`, 303);
    },
  );

  app.post(
    '/reviews/:reviewId/members/:membershipId/remove',
    { schema: { params: membershipParams }, config: { access: 'members' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, membershipId } = request.params;
      const outcome = await removeMember(ctx, actor, reviewId, membershipId);
      if (!outcome.ok) return membersPage(reply, actor, reviewId, { problem: outcome.message }, 400);
      return reply.redirect(`/reviews/${reviewId}/members?done=removed`, 303);
    },
  );

  /* The same for scripts */

  app.get(
    '/api/reviews/:reviewId/members',
    { schema: { params: reviewIdParams }, config: { access: 'members' } },
    async (request) => {
      const view = await getMembers(ctx, requireActor(request), request.params.reviewId);
      return {
        members: view.members.map((m) => ({
          id: m.id,
          userId: m.user_id,
          name: m.name,
          email: m.email,
          organisation: { id: m.organisation_id, name: m.organisation },
          role: m.role,
        })),
        organisations: view.organisations,
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/members',
    { schema: { params: reviewIdParams }, config: { access: 'members' } },
    async (request, reply) => {
      const outcome = await addMember(ctx, requireActor(request), request.params.reviewId, memberFields(request.body));
      if (!outcome.ok)
        return reply
          .code(400)
          .send({ errors: Object.entries(outcome.errors.fields).map(([name, message]) => ({ field: name, message })) });
      if (outcome.mailError) request.log.error({ err: outcome.mailError }, 'the invitation email could not be sent');
      return reply.code(201).send({
        id: outcome.membershipId,
        invited: outcome.invited,
        invitationSent: outcome.invited && !outcome.mailError,
      });
    },
  );
}
