import { comparePlans } from '../../domain/compare-plans.ts';
import { isComplete, type RatingScale } from '../../domain/ratings.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { AppContext } from '../context.ts';
import { PlanCache } from './plan-cache.ts';
import { getCurrentSnapshot, personActing, previousFrozenVersion } from '../outputs/versions/versions.service.ts';

/*
 * What changed since the last version issued, in counts, for the top of the overview: the
 * comparison page (outputs/versions) has the whole of it. Kept apart from reviews.service,
 * because taking a snapshot of the plan itself reads the overview.
 */

export type ChangesSinceIssued =
  | { issued: false }
  | {
      issued: true;
      number: string;
      issuedOn: string | null;
      ratingChanges: number;
      completed: number;
      newProgress: number;
      newEvidence: number;
      addedActions: number;
      removedActions: number;
      otherChanges: number;
      unchanged: boolean;
    };

// Comparing takes a snapshot of the plan now, several times the work of analysing it, and each
// copy of the overview kept (per roles, filters and My work count) would otherwise do it again.
// Kept per database, so tests and apps never share answers, by plan revision: any change to
// the plan or its versions bumps it, so a kept answer is never out of date.
const kept = new WeakMap<object, PlanCache<ChangesSinceIssued>>();

/**
 * Counts of what changed since the latest frozen version, or that none has been issued. The
 * caller has checked that the person may read the review.
 */
export async function changesSinceIssued(
  ctx: AppContext,
  actor: Actor,
  review: ReviewRow,
): Promise<ChangesSinceIssued> {
  let cache = kept.get(ctx.db);
  if (!cache) {
    cache = new PlanCache(64);
    kept.set(ctx.db, cache);
  }
  const key = [review.id, review.plan_revision, review.rating_scale, ctx.today()].join(':');
  const known = cache.get(key);
  if (known) return known;
  const answer = await compareWithLastIssued(ctx, actor, review.id, review.rating_scale);
  cache.set(key, answer);
  return answer;
}

async function compareWithLastIssued(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  scale: RatingScale,
): Promise<ChangesSinceIssued> {
  const who = personActing(actor);
  const last = await previousFrozenVersion(ctx, who, reviewId, 'now');
  if (!last?.version) return { issued: false };
  const c = comparePlans(last, await getCurrentSnapshot(ctx, who, reviewId));
  return {
    issued: true,
    number: last.version.number,
    issuedOn: last.version.issuedOn,
    ratingChanges: c.ratingChanges.length,
    // Closed since: an action now rated as complete that was not before.
    completed: c.ratingChanges.filter(
      (r) => r.after !== null && isComplete(scale, r.after) && !(r.before !== null && isComplete(scale, r.before)),
    ).length,
    newProgress: c.newProgress.length,
    newEvidence: c.newEvidence.length,
    addedActions: c.addedActions.length,
    removedActions: c.removedActions.length,
    otherChanges:
      c.changedActions.length +
      c.changedRecommendations.length +
      c.addedRecommendations.length +
      c.removedRecommendations.length +
      c.evidenceDecisions.length,
    unchanged: c.unchanged,
  };
}
