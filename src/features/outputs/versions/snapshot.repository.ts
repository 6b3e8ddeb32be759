import type { Db } from '../../../platform/db/database.ts';
import { notWithdrawn } from '../../../platform/db/withdrawn.ts';

/** What a snapshot needs beyond the analysed plan: every text, progress entry, evidence item and who decided what. */
export async function loadSnapshotDetails(db: Db, reviewId: number) {
  const [recommendations, actions, progress, evidence, ratings, challenges, findingLinks, versions] = await Promise.all(
    [
      db
        .selectFrom('recommendations')
        .select(['id', 'anticipated_evidence', 'assurance', 'responsible_officer'])
        .where('review_id', '=', reviewId)
        .where('archived_at', 'is', null)
        .execute(),
      db
        .selectFrom('actions')
        .select(['id', 'action_text', 'assurance'])
        .where('review_id', '=', reviewId)
        .where('archived_at', 'is', null)
        .execute(),
      db
        .selectFrom('progress_updates')
        .select(['id', 'action_id', 'progress_on', 'text', 'author_name'])
        .where('review_id', '=', reviewId)
        // What its author withdrew is not part of the plan as issued (it stays in Clasp's history).
        .where(notWithdrawn('progress_update_id', 'progress_updates.id'))
        .orderBy('progress_on')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('evidence_items')
        .select([
          'id',
          'action_id',
          'kind',
          'title',
          'effective_on',
          'file_name',
          'media_type',
          'size',
          'blob_sha256',
          'url',
          'note',
          'status',
          'status_reason',
          'status_by_name',
          'status_at',
          'added_by_name',
          'created_at',
        ])
        .where('review_id', '=', reviewId)
        .where(notWithdrawn('evidence_item_id', 'evidence_items.id'))
        .orderBy('effective_on')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('rating_events')
        .select(['id', 'action_id', 'kind', 'rating', 'decided_on', 'effective_on', 'actor_name', 'created_at'])
        .where('review_id', '=', reviewId)
        .where(notWithdrawn('rating_event_id', 'rating_events.id'))
        .orderBy('decided_on')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('rating_challenges')
        .select(['id', 'action_id', 'rating', 'decided_on', 'actor_name', 'created_at'])
        .where('review_id', '=', reviewId)
        .orderBy('decided_on')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('finding_recommendations as fr')
        .innerJoin('findings as f', 'f.id', 'fr.finding_id')
        .select(['fr.recommendation_id', 'f.number', 'f.position'])
        .where('f.review_id', '=', reviewId)
        .orderBy('f.position')
        .execute(),
      listVersionRows(db, reviewId),
    ],
  );
  return { recommendations, actions, progress, evidence, ratings, challenges, findingLinks, versions };
}

export type SnapshotDetails = Awaited<ReturnType<typeof loadSnapshotDetails>>;

export async function listVersionRows(db: Db, reviewId: number) {
  return db
    .selectFrom('plan_versions')
    .select([
      'id',
      'number',
      'issued_on',
      'author',
      'purpose',
      'action_text',
      'comment',
      'recipients',
      'created_at',
      'created_by_user_id',
    ])
    .select((eb) => eb('snapshot', 'is not', null).as('frozen'))
    .where('review_id', '=', reviewId)
    .orderBy('id')
    .execute();
}

export type VersionRow = Awaited<ReturnType<typeof listVersionRows>>[number];

export async function findVersionSnapshot(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('plan_versions')
    .select(['id', 'number', 'snapshot'])
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
}
