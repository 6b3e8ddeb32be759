import { z } from 'zod';
import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../../platform/http/form-replies.ts';
import { sendForm } from '../../../platform/http/form-pages.ts';
import { confirm } from '../../../platform/http/confirmations.ts';
import { actionParams, optionalText } from '../../../platform/route-params.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { ReviewsContext } from '../../reviews/reviews.service.ts';
import { assignmentForm } from './assignments.forms.ts';
import { presentAssignmentForm, presentAssignmentsJson } from './assignments.presenter.ts';
import { actionAssignments, answerAssignment, mayAnswer } from './assignments.service.ts';
import { assignmentAnswered, assignmentBody } from './assignments.schemas.ts';

/*
 * An organisation accepting or disputing an action assigned to it: the page (opened from the
 * action page's "Dispute it", or to accept with a note), the action page's one-button
 * acceptance, and the JSON twin. Same form schema, service and audit for all.
 */

export function assignmentRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  const path = '/reviews/:reviewId/actions/:actionId/assignment';

  const page = async (
    reply: Parameters<typeof sendForm>[0],
    actor: Actor,
    reviewId: number,
    actionId: number,
    refused: RefusedForm | null,
    chosen: { organisation?: string; response?: string },
  ) => {
    const found = await mayAnswer(ctx, actor, reviewId, actionId);
    return sendForm(
      reply,
      'actions/assignments/views/assignment.njk',
      presentAssignmentForm(found, refused, chosen),
      refused?.failure,
    );
  };

  app.get(
    path,
    {
      schema: { params: actionParams, querystring: z.object({ organisation: optionalText, response: optionalText }) },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const { organisation, response } = request.query;
      return page(reply, requireActor(request), reviewId, actionId, null, { organisation, response });
    },
  );

  app.post(
    path,
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          // Who may answer is settled before what was sent: a refusal never depends on the body.
          await mayAnswer(ctx, actor, reviewId, actionId);
          const saved = await answerAssignment(
            ctx,
            actor,
            reviewId,
            actionId,
            await parseForm(assignmentForm, request.body),
          );
          confirm(
            reply,
            saved.response === 'accepted'
              ? `${saved.organisationName} accepts this action`
              : `${saved.organisationName} disputes this action`,
          );
          return `/reviews/${reviewId}/actions/${actionId}#assignments`;
        },
        (refused) => page(reply, actor, reviewId, actionId, refused, {}),
      );
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/assignment',
    {
      schema: {
        summary: 'Accept or dispute an action assigned to your organisation',
        description: 'A dispute needs a reason.',
        params: actionParams,
        body: formBody(assignmentBody),
        response: { 201: assignmentAnswered },
      },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      await mayAnswer(ctx, actor, reviewId, actionId);
      const saved = await answerAssignment(
        ctx,
        actor,
        reviewId,
        actionId,
        await parseForm(assignmentForm, request.body),
      );
      const { id, organisationId, organisationName, response, reason, by, at } = saved;
      return reply.code(201).send({
        answer: { id, organisationId, organisationName, response, reason, by, at },
        assignments: presentAssignmentsJson(await actionAssignments(ctx.db, actionId)),
      });
    },
  );
}
