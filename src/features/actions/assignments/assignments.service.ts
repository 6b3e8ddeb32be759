import { ForbiddenError } from '../../../platform/auth/plugin.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { ReviewsContext } from '../../reviews/reviews.service.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import type { AssignmentCommand } from './assignments.forms.ts';
import { insertAnswer } from './assignments.repository.ts';
import { actionAssignments, answerableOrganisations, type Assignment } from './assignment-list.ts';

export { actionAssignments, answerableOrganisations, type Assignment };

/*
 * Organisations accept what is asked of them (issue 14, section 4). An editor of an organisation
 * an action is assigned to accepts it for that organisation, or disputes it with a reason. Each
 * answer is kept (never changed or deleted); the latest counts. Disputes, and assignments left
 * unanswered too long, are exceptions for the coordinator (src/domain/exceptions.ts).
 */

export interface AssignmentAccess {
  access: ActionAccess;
  assignments: Assignment[];
  /** The organisations this person may answer for. */
  answerable: Assignment[];
}

/**
 * Whether this person may come to answer for the action at all: 404 outside the review, 403
 * unless they edit for one of its organisations or coordinate it, and 403 once it is archived.
 * Which organisation they may answer for is checked with what they send.
 */
export async function mayAnswer(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<AssignmentAccess> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  if (!access.canEdit)
    throw new ForbiddenError("Only an editor of one of the action's organisations can accept or dispute it.");
  if (access.action.archived_at !== null)
    throw new ForbiddenError('This action is archived: nobody needs to accept or dispute it.');
  const assignments = await actionAssignments(ctx.db, actionId);
  return { access, assignments, answerable: answerableOrganisations(actor, reviewId, assignments) };
}

/** The organisation an answer is for: the one chosen, or the only one this person edits for. */
function chosenOrganisation(found: AssignmentAccess, command: AssignmentCommand): Assignment {
  const { assignments, answerable } = found;
  if (answerable.length === 0) {
    const names = assignments.map((a) => a.name).join(' or ') || 'none';
    throw FormInvalid.of(
      'organisationId',
      `Only an editor of an organisation given this action can accept or dispute it (${names}). ` +
        'You do not edit for any of them.',
    );
  }
  if (command.organisationId === null) {
    if (answerable.length === 1 && answerable[0]) return answerable[0];
    throw FormInvalid.of('organisationId', 'Choose the organisation you answer for');
  }
  const chosen = assignments.find((a) => a.organisationId === command.organisationId);
  if (!chosen) {
    const names = answerable.map((a) => a.name).join(' or ');
    throw FormInvalid.of('organisationId', `That organisation is not given this action. Choose ${names}`);
  }
  if (!answerable.includes(chosen)) {
    throw FormInvalid.of(
      'organisationId',
      `Only an editor of ${chosen.name} can accept or dispute the action for it. You answer for ` +
        answerable.map((a) => a.name).join(' or '),
    );
  }
  return chosen;
}

export interface SavedAnswer {
  id: number;
  organisationId: number;
  organisationName: string;
  response: 'accepted' | 'disputed';
  reason: string;
  by: string;
  at: string;
}

/** Records an organisation's answer, with its audit event, in one transaction. */
export async function answerAssignment(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  command: AssignmentCommand,
): Promise<SavedAnswer> {
  const found = await mayAnswer(ctx, actor, reviewId, actionId);
  const organisation = chosenOrganisation(found, command);
  const response = command.response === '' ? 'accepted' : command.response;
  // An acceptance needs no reason; one typed with it is kept, as said.
  const reason = command.reason;
  const time = ctx.now();
  const at = time.toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const newId = await insertAnswer(
      trx,
      {
        reviewId,
        actionId,
        organisationId: organisation.organisationId,
        response,
        reason,
        userId: actor.userId,
        actorName: actor.name,
      },
      at,
    );
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        requestId: actor.requestId ?? null,
        reviewId,
        actionId,
        organisationId: organisation.organisationId,
        entityType: 'assignment',
        entityId: newId,
        action: response,
        before: organisation.answer
          ? { response: organisation.answer.response, reason: organisation.answer.reason }
          : undefined,
        after: { organisation: organisation.name, response, reason },
      },
      time,
    );
    return newId;
  });
  return {
    id,
    organisationId: organisation.organisationId,
    organisationName: organisation.name,
    response,
    reason,
    by: actor.name,
    at,
  };
}
