import type { Db } from '../../platform/db/database.ts';

/* Queries behind the archive page of a review: its archived recommendations and actions. */

export async function listArchivedRecommendations(db: Db, reviewId: number) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'text', 'archived_at'])
    .where('review_id', '=', reviewId)
    .where('archived_at', 'is not', null)
    .orderBy('position')
    .execute();
}

export async function listArchivedActions(db: Db, reviewId: number) {
  return db
    .selectFrom('actions as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select([
      'a.id',
      'a.action_text',
      'a.agency_text',
      'a.archived_at',
      'r.number as recommendation_number',
      'r.archived_at as recommendation_archived_at',
    ])
    .where('a.review_id', '=', reviewId)
    .where('a.archived_at', 'is not', null)
    .orderBy('r.position')
    .orderBy('a.position')
    .execute();
}
