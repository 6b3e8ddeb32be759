import type { Actor } from '../../../domain/permissions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db/database.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../context.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { actingOrganisation, requireEditor } from '../assurance.policy.ts';
import { storeEvidenceWithdrawal, whoWithdrew } from '../evidence/evidence-withdrawal.service.ts';
import type { WithdrawalCommand } from '../evidence/withdrawal.forms.ts';
import { lockActionRating } from '../rating/rating.repository.ts';
import {
  findProgressUpdate,
  findProgressWithdrawal,
  findProposalOf,
  hasRatingDecisionSince,
  insertWithdrawal,
  listEvidenceOfUpdate,
  type ProgressUpdateRow,
  type WithdrawalRow,
} from '../evidence/withdrawals.repository.ts';

/*
 * Withdrawing a progress update posted by mistake (docs/assurance.md, "Withdrawing"). Only the
 * person who posted it may, and only until it has been decided on: until the peer challenge
 * group records a decision on the action's rating (agrees a rating or challenges a proposal)
 * after the update was posted, and while nobody has accepted or rejected evidence sent with it.
 * That holds whether or not the update proposed a rating: once the group has assessed the
 * action after it, the update is part of what they decided on. Nothing is deleted: the update
 * stays in the history marked withdrawn, its proposed rating no longer waits for a decision,
 * and evidence sent with it is withdrawn with it.
 */

export interface ProgressForWithdrawal {
  access: ActionAccess;
  update: ProgressUpdateRow;
  /** Evidence sent with the update. */
  evidence: { id: number; title: string }[];
  withdrawal: WithdrawalRow | null;
  /** Why this person cannot withdraw it, or null when they can. */
  refusal: string | null;
}

type UpdateEvidence = Awaited<ReturnType<typeof listEvidenceOfUpdate>>;

/** Why this person cannot withdraw this update now, or null when they can. */
async function refusalOf(
  db: Db,
  actor: Actor,
  update: ProgressUpdateRow,
  withdrawal: WithdrawalRow | null,
  evidence: UpdateEvidence,
): Promise<string | null> {
  if (withdrawal) return whoWithdrew(actor, withdrawal, 'this update');
  if (update.author_user_id === null || update.author_user_id !== actor.userId) {
    return `Only ${update.author_name}, who posted this update, can withdraw it.`;
  }
  if (evidence.some((e) => e.status !== 'submitted')) {
    return (
      'The peer challenge group has decided on the evidence sent with this update, so it can no longer be ' +
      'withdrawn. Post a new update to correct it.'
    );
  }
  if (await hasRatingDecisionSince(db, update.action_id, update.created_at)) {
    return (
      'The peer challenge group has decided on the rating since this update was posted, so it can no longer be ' +
      'withdrawn. Post a new update to correct it.'
    );
  }
  return null;
}

/** A progress update of this review whose action this person may edit, with whether they may withdraw it. */
export async function getProgressForWithdrawal(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  progressUpdateId: number,
): Promise<ProgressForWithdrawal> {
  await getReview(ctx, actor, reviewId);
  const update = await findProgressUpdate(ctx.db, reviewId, progressUpdateId);
  if (!update) throw new NotFoundError(`Review ${reviewId} has no progress update ${progressUpdateId}`);
  const access = await getActionAccess(ctx, actor, reviewId, update.action_id);
  requireEditor(access);
  const [withdrawal, evidence] = await Promise.all([
    findProgressWithdrawal(ctx.db, update.id),
    listEvidenceOfUpdate(ctx.db, update.id),
  ]);
  return {
    access,
    update,
    evidence: evidence.map((e) => ({ id: e.id, title: e.title })),
    withdrawal: withdrawal ?? null,
    refusal: await refusalOf(ctx.db, actor, update, withdrawal ?? null, evidence),
  };
}

/**
 * Withdraws a progress update this person posted, with the rating it proposed and the evidence
 * sent with it, in one transaction with their audit events. The rule is read again in the
 * transaction, with the update's evidence locked so that nobody decides on it meanwhile; a
 * refusal is a 409 saying why.
 */
export async function withdrawProgress(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  progressUpdateId: number,
  command: WithdrawalCommand,
): Promise<ProgressForWithdrawal> {
  const { access, update } = await getProgressForWithdrawal(ctx, actor, reviewId, progressUpdateId);
  const now = ctx.now();
  const already = () => FormInvalid.of('withdraw', 'This update has been withdrawn already.', 409);
  await ctx.db.transaction().execute(async (trx) => {
    // Waits for, and then holds off, the group's rating decisions on the action, so a decision
    // made at the same moment is either seen here (and refuses the withdrawal) or comes after it.
    await lockActionRating(trx, update.action_id);
    const evidence = await listEvidenceOfUpdate(trx, update.id, { lock: true });
    const withdrawal = (await findProgressWithdrawal(trx, update.id)) ?? null;
    const refusal = await refusalOf(trx, actor, update, withdrawal, evidence);
    if (refusal) throw FormInvalid.of('withdraw', refusal, 409);
    const ratingEventId = await findProposalOf(trx, update);
    const id = await insertWithdrawal(trx, {
      review_id: access.review.id,
      action_id: access.action.id,
      progress_update_id: update.id,
      evidence_item_id: null,
      rating_event_id: ratingEventId,
      reason: command.reason,
      user_id: actor.userId,
      actor_name: actor.name,
      created_at: now.toISOString(),
    });
    if (id === null) throw already();
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        organisationId: actingOrganisation(actor, access, 'editor'),
        reviewId: access.review.id,
        actionId: access.action.id,
        entityType: 'progress_update',
        entityId: update.id,
        action: 'withdrawn',
        after: {
          withdrawal_id: id,
          progress_on: update.progress_on,
          proposed_rating: update.proposed_rating,
          rating_event_id: ratingEventId,
          reason: command.reason,
        },
        requestId: actor.requestId ?? null,
      },
      now,
    );
    for (const item of evidence) {
      if (item.withdrawal_id !== null) continue;
      await storeEvidenceWithdrawal(trx, actor, access, item, command.reason, now);
    }
  });
  return getProgressForWithdrawal(ctx, actor, reviewId, progressUpdateId);
}
