import type { Db } from '../../platform/db/database.ts';
import { notWithdrawn } from '../../platform/db/withdrawn.ts';

/* My work: the evidence of the reviews a person works in, to find what waits for them. */

export function listEvidenceOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return (
    db
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
      // Withdrawn evidence waits for no decision, and a rejection since withdrawn asks nothing more.
      .where(notWithdrawn('evidence_item_id', 'e.id'))
      .execute()
  );
}

/**
 * What a review's My work depends on besides the day: its plan's revision (bumped by the
 * database on every change to the plan, its evidence and its memberships) and the review's own
 * settings. A few rows by primary key: cheap enough for every page's header.
 */
export function listReviewRevisions(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('reviews')
    .select([
      'id',
      'plan_revision',
      'version',
      'assessed_as_of',
      'stale_days',
      'rating_scale',
      'report_received',
      'report_published',
      'plan_issued',
    ])
    .where('id', 'in', reviewIds)
    .orderBy('id')
    .execute();
}
