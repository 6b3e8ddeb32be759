import { recordAudit } from '../../../platform/audit.ts';
import type { Actor } from '../../../domain/permissions.ts';
import { reviewBeganOn } from '../../../domain/review-dates.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, getActionRatingState, type ActionAccess } from '../actions.service.ts';
import { listProgress } from '../actions.repository.ts';
import { shownRating, type Rating } from '../../../domain/ratings.ts';
import { insertProgressUpdate } from './progress.repository.ts';
import { insertRatingEvent } from '../rating/rating.repository.ts';
import type { ProgressCommand, ProgressRules } from './progress.forms.ts';
import { actingOrganisation, requireEditor } from '../assurance.policy.ts';
import { evidenceFileRule, storeEvidence } from '../evidence/evidence.service.ts';

/** Where the action stands, shown above the progress form: its rating, due date and last update. */
export interface ProgressFormSummary {
  rating: Rating | null;
  ratingWhy: string;
  dueDate: string | null;
  dateWords: string;
  last: { on: string; by: string; text: string } | null;
}

export async function progressFormSummary(ctx: AppContext, access: ActionAccess): Promise<ProgressFormSummary> {
  const [state, progress] = await Promise.all([
    getActionRatingState(ctx, access),
    listProgress(ctx.db, access.action.id),
  ]);
  const { current } = state;
  const ratingWhy = current.awaitingDecision
    ? 'proposed, waiting for the group’s decision'
    : current.agreed
      ? 'agreed'
      : current.proposed
        ? 'proposed'
        : '';
  const last = progress.filter((u) => u.withdrawn_at === null).at(-1);
  return {
    rating: shownRating(current),
    ratingWhy,
    dueDate: access.action.due_date,
    dateWords: access.action.date_words,
    last: last ? { on: last.progress_on, by: last.author_name, text: last.text } : null,
  };
}

/** The action progress is being posted to, if this person may post to it. */
export async function getProgressFormAccess(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionAccess> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  requireEditor(access);
  return access;
}

/** What the progress form of this action is checked against. */
export async function progressRules(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ProgressRules> {
  const access = await getProgressFormAccess(ctx, actor, reviewId, actionId);
  const review = access.review;
  return {
    today: ctx.today(),
    reviewBegan: reviewBeganOn({ reviewStart: review.review_start, published: review.report_published }),
    scale: review.rating_scale,
    checkFile: evidenceFileRule(ctx),
  };
}

export interface PostedProgress {
  progressUpdateId: number;
  ratingEventId: number | null;
  evidenceId: number | null;
}

/**
 * Posts a dated progress update, with an optional proposed rating (also written to the
 * rating history as a proposal) and an optional evidence file, in one transaction. Nothing
 * is written when any part is refused, a rejected file included.
 */
export async function postProgress(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  update: ProgressCommand,
): Promise<PostedProgress> {
  const access = await getProgressFormAccess(ctx, actor, reviewId, actionId);
  const { progressOn, text, proposedRating: proposed, evidence } = update;

  const now = ctx.now();
  const at = now.toISOString();
  // The day the proposal was made orders it: a later challenge or proposal comes after it,
  // even when the update describes an earlier day. That earlier day is its effective date.
  const today = ctx.today();
  const audit = {
    actor: actor.name,
    userId: actor.userId,
    organisationId: actingOrganisation(actor, access, 'editor'),
    reviewId: access.review.id,
    actionId: access.action.id,
    requestId: actor.requestId ?? null,
  };
  return ctx.db.transaction().execute(async (trx) => {
    const progressUpdateId = await insertProgressUpdate(trx, {
      review_id: access.review.id,
      action_id: access.action.id,
      progress_on: progressOn,
      text,
      author_user_id: actor.userId,
      author_name: actor.name,
      proposed_rating: proposed,
      is_illustrative: 0,
      created_at: at,
    });
    await recordAudit(
      trx,
      {
        ...audit,
        entityType: 'progress_update',
        entityId: progressUpdateId,
        action: 'created',
        after: { progress_on: progressOn, text, proposed_rating: proposed },
      },
      now,
    );
    let ratingEventId: number | null = null;
    if (proposed) {
      ratingEventId = await insertRatingEvent(trx, {
        review_id: access.review.id,
        action_id: access.action.id,
        kind: 'proposed',
        rating: proposed,
        decided_on: today,
        effective_on: progressOn === today ? null : progressOn,
        user_id: actor.userId,
        actor_name: actor.name,
        rationale: '',
        override_reason: null,
        is_illustrative: 0,
        created_at: at,
      });
      await recordAudit(
        trx,
        {
          ...audit,
          entityType: 'rating_event',
          entityId: ratingEventId,
          action: 'created',
          after: {
            kind: 'proposed',
            rating: proposed,
            decided_on: today,
            effective_on: progressOn,
            progress_update_id: progressUpdateId,
          },
        },
        now,
      );
    }
    const evidenceId = evidence
      ? await storeEvidence(
          trx,
          actor,
          access,
          {
            kind: 'file',
            title: evidence.title,
            effectiveOn: evidence.effectiveOn ?? progressOn,
            periodStart: null,
            url: null,
            note: null,
            file: evidence.file,
            progressUpdateId,
          },
          now,
        )
      : null;
    return { progressUpdateId, ratingEventId, evidenceId };
  });
}
