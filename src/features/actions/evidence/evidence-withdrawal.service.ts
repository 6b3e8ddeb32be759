import { dateInEngland, formatDate } from '../../../domain/dates.ts';
import type { Actor } from '../../../domain/permissions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Trx } from '../../../platform/db/database.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../context.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { actingOrganisation, requireEditor } from '../assurance.policy.ts';
import { findEvidence, type EvidenceRow } from './evidence.repository.ts';
import type { WithdrawalCommand } from './withdrawal.forms.ts';
import { findEvidenceWithdrawal, insertWithdrawal, type WithdrawalRow } from './withdrawals.repository.ts';

/*
 * Withdrawing evidence added by mistake (docs/assurance.md, "Withdrawing"). Only the person who
 * added it may, and only until the group has accepted or rejected it. Nothing is deleted: the
 * item stays on the action's page, marked withdrawn, and no longer waits for a decision.
 */

export interface EvidenceForWithdrawal {
  access: ActionAccess;
  evidence: EvidenceRow;
  /** The withdrawal, when it has been withdrawn. */
  withdrawal: WithdrawalRow | null;
  /** Why this person cannot withdraw it, or null when they can. */
  refusal: string | null;
}

/** "Sam Nurse withdrew this on 3 December 2026", or "You withdrew this on …". */
export function whoWithdrew(actor: Actor, withdrawal: WithdrawalRow, what: string): string {
  const who = withdrawal.user_id === actor.userId ? 'You' : withdrawal.actor_name;
  return `${who} withdrew ${what} on ${formatDate(dateInEngland(new Date(withdrawal.created_at)))}.`;
}

/** Why this person cannot withdraw this evidence now, or null when they can. */
function refusalOf(actor: Actor, evidence: EvidenceRow, withdrawal: WithdrawalRow | null): string | null {
  if (withdrawal) return whoWithdrew(actor, withdrawal, 'this evidence');
  if (evidence.added_by_user_id === null || evidence.added_by_user_id !== actor.userId) {
    return `Only ${evidence.added_by_name}, who added this evidence, can withdraw it.`;
  }
  if (evidence.status !== 'submitted') {
    const decided = evidence.status === 'accepted' ? 'accepted' : 'rejected';
    const when = evidence.status_at ? ` on ${formatDate(evidence.status_at)}` : '';
    return (
      `${evidence.status_by_name ?? 'The group'} ${decided} this evidence${when}, so it can no longer be withdrawn. ` +
      'If it is wrong, add new evidence that says so.'
    );
  }
  return null;
}

/** Evidence of this review that this person may add to, with whether they may withdraw it. */
export async function getEvidenceForWithdrawal(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
): Promise<EvidenceForWithdrawal> {
  await getReview(ctx, actor, reviewId);
  const evidence = await findEvidence(ctx.db, reviewId, evidenceId);
  if (!evidence) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  const access = await getActionAccess(ctx, actor, reviewId, evidence.action_id);
  requireEditor(access);
  const withdrawal = (await findEvidenceWithdrawal(ctx.db, evidence.id)) ?? null;
  return { access, evidence, withdrawal, refusal: refusalOf(actor, evidence, withdrawal) };
}

/**
 * Writes the withdrawal of one item of evidence and its audit event inside the caller's
 * transaction. The caller has locked the item and checked it may be withdrawn.
 */
export async function storeEvidenceWithdrawal(
  trx: Trx,
  actor: Actor,
  access: ActionAccess,
  evidence: Pick<EvidenceRow, 'id' | 'title' | 'status'>,
  reason: string,
  now: Date,
): Promise<number | null> {
  const id = await insertWithdrawal(trx, {
    review_id: access.review.id,
    action_id: access.action.id,
    progress_update_id: null,
    evidence_item_id: evidence.id,
    rating_event_id: null,
    reason,
    user_id: actor.userId,
    actor_name: actor.name,
    created_at: now.toISOString(),
  });
  if (id === null) return null;
  await recordAudit(
    trx,
    {
      actor: actor.name,
      userId: actor.userId,
      organisationId: actingOrganisation(actor, access, 'editor'),
      reviewId: access.review.id,
      actionId: access.action.id,
      entityType: 'evidence_item',
      entityId: evidence.id,
      action: 'withdrawn',
      before: { status: evidence.status },
      after: { withdrawal_id: id, title: evidence.title, reason },
      requestId: actor.requestId ?? null,
    },
    now,
  );
  return id;
}

/**
 * Withdraws evidence this person added, if nobody has decided on it. The rule is read again in
 * the transaction, with the item locked, so a decision and a withdrawal sent at once cannot
 * both succeed; a refusal is a 409 saying why.
 */
export async function withdrawEvidence(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
  command: WithdrawalCommand,
): Promise<EvidenceForWithdrawal> {
  const { access } = await getEvidenceForWithdrawal(ctx, actor, reviewId, evidenceId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const evidence = await findEvidence(trx, reviewId, evidenceId, { lock: true });
    if (!evidence) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
    const refusal = refusalOf(actor, evidence, (await findEvidenceWithdrawal(trx, evidence.id)) ?? null);
    if (refusal) throw FormInvalid.of('withdraw', refusal, 409);
    const id = await storeEvidenceWithdrawal(trx, actor, access, evidence, command.reason, now);
    if (id === null) throw FormInvalid.of('withdraw', 'This evidence has been withdrawn already.', 409);
  });
  return getEvidenceForWithdrawal(ctx, actor, reviewId, evidenceId);
}
