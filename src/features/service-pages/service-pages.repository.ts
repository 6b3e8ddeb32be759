import type { Db } from '../../platform/db/database.ts';

/**
 * The plan coordinators of every review a person takes part in, by review: whom to ask about a
 * plan. Disabled accounts are left out, since they cannot answer.
 */
export function findCoordinatorsOfReviewsOf(db: Db, userId: number) {
  return db
    .selectFrom('memberships as mine')
    .innerJoin('reviews', 'reviews.id', 'mine.review_id')
    .innerJoin('memberships as theirs', 'theirs.review_id', 'mine.review_id')
    .innerJoin('users', 'users.id', 'theirs.user_id')
    .where('mine.user_id', '=', userId)
    .where('theirs.role', '=', 'coordinator')
    .where('users.disabled_at', 'is', null)
    .select(['reviews.id as reviewId', 'reviews.area', 'users.id as userId', 'users.name', 'users.email'])
    .distinct()
    .orderBy('reviews.area')
    .orderBy('reviews.id')
    .orderBy('users.name')
    .execute();
}
