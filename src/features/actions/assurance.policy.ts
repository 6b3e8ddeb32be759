import { ForbiddenError } from '../../platform/auth/plugin.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ActionAccess } from './actions.service.ts';

/*
 * Who may do what in the assurance loop (src/domain/permissions.ts holds the roles):
 * editors of an action's organisations and coordinators post progress, add evidence and
 * propose ratings; reviewers and coordinators decide on evidence and agree or challenge
 * ratings. An archived action takes no more of either until it is restored.
 */

function refuseArchived(access: ActionAccess): void {
  if (access.action.archived_at !== null) {
    throw new ForbiddenError('This action is archived. It must be restored before anything more is added to it.');
  }
}

/** Post progress, add evidence, propose a rating. */
export function requireEditor(access: ActionAccess): void {
  if (!access.canEdit) {
    throw new ForbiddenError(
      "Only editors for this action's organisations, and the review's coordinators, " +
        'can add progress and evidence to it.',
    );
  }
  refuseArchived(access);
}

/** Accept or reject evidence, agree or challenge a rating. */
export function requireAssurer(access: ActionAccess): void {
  if (!access.canAssure) {
    throw new ForbiddenError(
      "Only the review's reviewers (the peer challenge group) and coordinators can decide on evidence and ratings.",
    );
  }
  refuseArchived(access);
}

/**
 * The organisation a person acted for, for the audit trail: for an editor, their
 * organisation among the action's; otherwise the one they hold the deciding role for.
 */
export function actingOrganisation(actor: Actor, access: ActionAccess, as: 'editor' | 'assurer'): number | null {
  const mine = actor.memberships.filter((m) => m.reviewId === access.review.id);
  const role = (name: string, organisationIds?: number[]) =>
    mine.find((m) => m.role === name && (!organisationIds || organisationIds.includes(m.organisationId)));
  const membership =
    as === 'editor'
      ? (role('editor', access.organisationIds) ?? role('coordinator'))
      : (role('reviewer') ?? role('coordinator'));
  return membership?.organisationId ?? null;
}
