import type { Db } from '../../../platform/db/database.ts';
import { notWithdrawn } from '../../../platform/db/withdrawn.ts';

/** What a snapshot needs beyond the analysed plan: every text, progress entry, evidence item and who decided what. */
export async function loadSnapshotDetails(db: Db, reviewId: number) {
  const [recommendations, actions, progress, evidence, ratings, challenges, findingLinks, versions, questions] =
    await Promise.all([
      db
        .selectFrom('recommendations')
        .select(['id', 'anticipated_evidence', 'assurance', 'responsible_officer'])
        .where('review_id', '=', reviewId)
        .where('archived_at', 'is', null)
        .execute(),
      db
        .selectFrom('actions')
        .select(['id', 'action_text', 'assurance', 'sustain_how', 'reassurance_due_on'])
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
          'period_start',
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
        .leftJoin('meetings', 'meetings.id', 'rating_events.meeting_id')
        .select([
          'rating_events.id',
          'rating_events.action_id',
          'rating_events.kind',
          'rating_events.rating',
          'rating_events.decided_on',
          'rating_events.effective_on',
          'rating_events.actor_name',
          'rating_events.created_at',
          'meetings.forum as meeting_forum',
          'meetings.starts_at as meeting_starts_at',
        ])
        .where('rating_events.review_id', '=', reviewId)
        .where(notWithdrawn('rating_event_id', 'rating_events.id'))
        .orderBy('rating_events.decided_on')
        .orderBy('rating_events.id')
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
      listQuestionRows(db, reviewId),
    ]);
  return { recommendations, actions, progress, evidence, ratings, challenges, findingLinks, versions, questions };
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

/**
 * Questions asked of the review, oldest first, with the meeting they were asked at. The
 * response's words are read only when published: a draft never reaches a document.
 */
export async function listQuestionRows(db: Db, reviewId: number) {
  const rows = await db
    .selectFrom('questions')
    .leftJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .leftJoin('organisations', 'organisations.id', 'questions.organisation_id')
    .select([
      'questions.id',
      'questions.recommendation_id',
      'questions.action_id',
      'questions.text',
      'questions.asked_by',
      'questions.forum',
      'questions.meeting_words',
      'questions.asked_on',
      'questions.response_status',
      'questions.response_text',
      'questions.published_on',
      'questions.approved_by_name',
      'meetings.forum as meeting_forum',
      'meetings.starts_at as meeting_starts_at',
      'organisations.name as organisation_name',
    ])
    .where('questions.review_id', '=', reviewId)
    .orderBy('questions.asked_on')
    .orderBy('questions.id')
    .execute();
  return rows.map(({ response_status, response_text, published_on, approved_by_name, ...row }) => ({
    ...row,
    response:
      response_status === 'published' && published_on
        ? { text: response_text, publishedOn: published_on, approvedBy: approved_by_name ?? '' }
        : null,
  }));
}
