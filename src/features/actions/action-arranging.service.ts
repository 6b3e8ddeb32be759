import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { auditActor, requireCoordinator } from '../reviews/plan-edits.service.ts';
import { actingOrganisation, editableAction } from './action-editing.service.ts';
import {
  findActionForEditing,
  listLiveActionOrder,
  setActionArchived,
  setActionPosition,
} from './action-editing.repository.ts';

/* Putting actions in order within their recommendation, archiving them and restoring them. */

/**
 * Moves a live action one place up or down among its recommendation's live actions. The
 * actions are renumbered 1, 2, 3… in their new order; at either end nothing moves.
 */
export async function moveAction(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  direction: 'up' | 'down',
): Promise<{ recommendationNumber: string; order: number[] }> {
  const { action, organisationIds } = await editableAction(ctx, actor, reviewId, actionId);
  const order = await ctx.db.transaction().execute(async (trx) => {
    const rows = await listLiveActionOrder(trx, action.recommendation_id);
    const ids = rows.map((a) => a.id);
    const from = ids.indexOf(actionId);
    const to = direction === 'up' ? from - 1 : from + 1;
    const other = ids[to];
    if (from < 0 || other === undefined) return ids;
    ids[to] = actionId;
    ids[from] = other;
    for (const [index, id] of ids.entries()) {
      if (rows.find((p) => p.id === id)?.position !== index + 1) await setActionPosition(trx, id, index + 1);
    }
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        actionId,
        organisationId: actingOrganisation(actor, reviewId, organisationIds),
        entityType: 'action',
        entityId: actionId,
        action: 'moved',
        before: { place: from + 1 },
        after: { place: to + 1, of: ids.length, recommendation: action.recommendation_number },
      },
      ctx.now(),
    );
    return ids;
  });
  return { recommendationNumber: action.recommendation_number, order };
}

export interface ActionArchiveQuestion {
  review: ReviewRow;
  actionId: number;
  text: string;
  recommendationNumber: string;
  archived: boolean;
  recommendationArchived: boolean;
}

async function coordinatedAction(ctx: ReviewsContext, actor: Actor, reviewId: number, actionId: number) {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const action = await findActionForEditing(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  return { review, action };
}

export async function actionArchiveQuestion(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionArchiveQuestion> {
  const { review, action } = await coordinatedAction(ctx, actor, reviewId, actionId);
  return {
    review,
    actionId,
    text: action.action_text,
    recommendationNumber: action.recommendation_number,
    archived: action.archived_at !== null,
    recommendationArchived: action.recommendation_archived_at !== null,
  };
}

/** Archived actions stay in the database, drop out of roll-ups and exceptions, and can be restored. */
export async function archiveAction(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<{ recommendationNumber: string }> {
  const { action } = await coordinatedAction(ctx, actor, reviewId, actionId);
  if (action.archived_at === null) {
    const time = ctx.now();
    const at = time.toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      await setActionArchived(trx, actionId, at, at);
      await recordAudit(
        trx,
        {
          ...auditActor(actor),
          reviewId,
          actionId,
          entityType: 'action',
          entityId: actionId,
          action: 'archived',
          before: { archivedAt: null },
          after: { archivedAt: at },
        },
        time,
      );
    });
  }
  return { recommendationNumber: action.recommendation_number };
}

export async function restoreAction(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<{ recommendationNumber: string }> {
  const { action } = await coordinatedAction(ctx, actor, reviewId, actionId);
  if (action.recommendation_archived_at !== null) {
    throw new ForbiddenError(
      `Recommendation ${action.recommendation_number} is archived. Restore the recommendation first: ` +
        'the actions archived with it come back with it.',
    );
  }
  const archivedAt = action.archived_at;
  if (archivedAt !== null) {
    const time = ctx.now();
    const now = time.toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      await setActionArchived(trx, actionId, null, now);
      await recordAudit(
        trx,
        {
          ...auditActor(actor),
          reviewId,
          actionId,
          entityType: 'action',
          entityId: actionId,
          action: 'restored',
          before: { archivedAt },
          after: { archivedAt: null },
        },
        time,
      );
    });
  }
  return { recommendationNumber: action.recommendation_number };
}
