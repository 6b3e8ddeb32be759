import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../../platform/http/form-replies.ts';
import { sendForm } from '../../../platform/http/form-pages.ts';
import { confirm, returnToFrom, returnToInForm } from '../../../platform/http/confirmations.ts';
import { actionParams, returnToQuery } from '../../../platform/route-params.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../../domain/permissions.ts';
import { decideDueDateForm, proposeDueDateForm } from './due-dates.forms.ts';
import { presentDueDates } from './due-dates.presenter.ts';
import { decideDueDate, getDueDates, mayDecide, mayPropose, proposeDueDate } from './due-dates.service.ts';
import {
  dueDateDecisionBody,
  dueDateDecisionResponse,
  dueDateProposalBody,
  dueDateProposalResponse,
  dueDatesResponse,
} from './due-dates.schemas.ts';

/*
 * An action's due date: its page (history, "Propose a new date" for the organisation, agree or
 * refuse for the coordinator) and the JSON twins, with the same forms, service and audit. Opened
 * from My work (?returnTo=/my-work), the page leads back there once a date is proposed or decided.
 */

export function dueDateRoutes(app: ClaspApp, ctx: AppContext): void {
  const path = '/reviews/:reviewId/actions/:actionId/due-date';
  const actionHref = (reviewId: number, actionId: number) => `/reviews/${reviewId}/actions/${actionId}`;
  const apiAction = (reviewId: number, actionId: number) => `/api/reviews/${reviewId}/actions/${actionId}`;

  const page = async (
    actor: Actor,
    reviewId: number,
    actionId: number,
    refused: RefusedForm | null,
    which: 'propose' | 'decide' | null,
    reply: Parameters<typeof sendForm>[0],
    returnTo: string | null,
  ) => {
    const view = { ...presentDueDates(await getDueDates(ctx, actor, reviewId, actionId), refused, which), returnTo };
    return sendForm(reply, 'actions/due-dates/views/due-date.njk', view, refused?.failure);
  };

  app.get(
    path,
    { schema: { params: actionParams, querystring: returnToQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const { reviewId, actionId } = request.params;
      const returnTo = returnToFrom(request.query.returnTo);
      return page(requireActor(request), reviewId, actionId, null, null, reply, returnTo);
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/due-date/propose',
    { schema: { params: actionParams }, config: { access: 'edit the trust action' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const returnTo = returnToInForm(request.body);
      return submitForm(
        reply,
        request.body,
        async () => {
          await mayPropose(ctx, actor, reviewId, actionId);
          const command = await parseForm(proposeDueDateForm, request.body);
          await proposeDueDate(ctx, actor, reviewId, actionId, command);
          confirm(reply, `Revised due date proposed: ${formatLongDate(command.dueDate)}`);
          return returnTo ?? `${actionHref(reviewId, actionId)}#due-date`;
        },
        (refused) => page(actor, reviewId, actionId, refused, 'propose', reply, returnTo),
      );
    },
  );

  app.post(
    '/reviews/:reviewId/actions/:actionId/due-date/decide',
    { schema: { params: actionParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      const returnTo = returnToInForm(request.body);
      return submitForm(
        reply,
        request.body,
        async () => {
          await mayDecide(ctx, actor, reviewId, actionId);
          const command = await parseForm(decideDueDateForm, request.body);
          const decided = await decideDueDate(ctx, actor, reviewId, actionId, command);
          confirm(reply, `Revised due date ${decided.decision}`);
          return returnTo ?? `${actionHref(reviewId, actionId)}#due-date`;
        },
        (refused) => page(actor, reviewId, actionId, refused, 'decide', reply, returnTo),
      );
    },
  );

  /* The JSON twins */
  const apiPath = '/api/reviews/:reviewId/actions/:actionId/due-date';
  app.get(
    apiPath,
    {
      schema: {
        summary: 'Show the due date of an action and any proposals to change it',
        params: actionParams,
        response: { 200: dueDatesResponse },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const { reviewId, actionId } = request.params;
      const { position, history } = await getDueDates(ctx, requireActor(request), reviewId, actionId);
      return {
        action: apiAction(reviewId, actionId),
        agreedDueDate: position.agreed,
        originalDueDate: position.original,
        moves: position.moves,
        pending: position.pending && {
          proposalId: position.pending.proposalId,
          proposedDueDate: position.pending.proposedDate,
          reason: position.pending.reason,
          by: position.pending.by,
          at: position.pending.at,
        },
        history,
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/due-date/proposals',
    {
      schema: {
        summary: 'Propose a new due date for an action',
        params: actionParams,
        body: formBody(dueDateProposalBody),
        response: { 201: dueDateProposalResponse },
      },
      config: { access: 'edit the trust action' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      await mayPropose(ctx, actor, reviewId, actionId);
      const proposed = await proposeDueDate(
        ctx,
        actor,
        reviewId,
        actionId,
        await parseForm(proposeDueDateForm, request.body),
      );
      return reply.code(201).send({ ...proposed, action: apiAction(reviewId, actionId) });
    },
  );

  app.post(
    '/api/reviews/:reviewId/actions/:actionId/due-date/decisions',
    {
      schema: {
        summary: 'Accept or refuse a proposed due date for an action',
        params: actionParams,
        body: formBody(dueDateDecisionBody),
        response: { 201: dueDateDecisionResponse },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, actionId } = request.params;
      await mayDecide(ctx, actor, reviewId, actionId);
      const decided = await decideDueDate(
        ctx,
        actor,
        reviewId,
        actionId,
        await parseForm(decideDueDateForm, request.body),
      );
      return reply.code(201).send({ ...decided, action: apiAction(reviewId, actionId) });
    },
  );
}
