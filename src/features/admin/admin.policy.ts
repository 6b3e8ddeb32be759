import { ForbiddenError } from '../../platform/auth/plugin.ts';
import type { Actor } from '../../domain/permissions.ts';

/*
 * Administration (accounts and organisations) is for system administrators only. It is not a
 * review's page, so other people are told they may not use it (403) rather than "not found".
 */

export function requireAdministrator(actor: Actor): void {
  if (!actor.isAdmin) throw new ForbiddenError('Only system administrators can manage accounts and organisations.');
}

/** Who did it, for the audit trail. */
export function auditedBy(actor: Actor) {
  return { actor: actor.name, userId: actor.userId, requestId: actor.requestId ?? null };
}
