import type { Db } from '../../platform/db/database.ts';

/* My work: the evidence of the reviews a person works in, to find what waits for them. */

export function listEvidenceOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('evidence_items as e')
    .innerJoin('actions as a', 'a.id', 'e.action_id')
    .select([
      'e.id',
      'e.review_id',
      'e.action_id',
      'e.title',
      'e.status',
      'e.created_at',
      'e.status_at',
      'e.status_reason',
    ])
    .where('e.review_id', 'in', reviewIds)
    .where('a.archived_at', 'is', null)
    .execute();
}
