import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { getReview, type ReviewsContext } from './reviews.service.ts';
import { listArchivedActions, listArchivedRecommendations } from './archive.repository.ts';

/* The archive of a review: recommendations and actions taken out of the plan, kept to be restored. */

/** Archived recommendations and actions of a review: any member may look, coordinators may restore. */
export async function getArchive(ctx: ReviewsContext, actor: Actor, reviewId: number) {
  const review = await getReview(ctx, actor, reviewId);
  const [recommendations, actions] = await Promise.all([
    listArchivedRecommendations(ctx.db, reviewId),
    listArchivedActions(ctx.db, reviewId),
  ]);
  return { review, recommendations, actions, canRestore: canCoordinate(actor, reviewId) };
}
