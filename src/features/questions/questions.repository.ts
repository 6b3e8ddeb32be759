import type { Db, Trx } from '../../platform/db/database.ts';
import type { Forum } from '../../domain/meeting-records.ts';

/* Every query of the questions feature: a review's questions, its meetings to choose from, and the writes. */

export interface QuestionRow {
  id: number;
  review_id: number;
  recommendation_id: number | null;
  action_id: number | null;
  text: string;
  asked_by: string;
  forum: Forum;
  meeting_id: number | null;
  meeting_words: string;
  asked_on: string;
  organisation_id: number | null;
  recorded_by_name: string;
  response_text: string;
  response_status: 'none' | 'draft' | 'published';
  response_by_name: string | null;
  response_at: string | null;
  approved_by_name: string | null;
  published_on: string | null;
  is_illustrative: number;
  created_at: string;
  version: number;
  /** The number of the recommendation it is about, or of the recommendation of the action it is about. */
  recommendation_number: string | null;
  action_recommendation_number: string | null;
  organisation_name: string | null;
  meeting_forum: Forum | null;
  meeting_title: string | null;
  meeting_starts_at: string | null;
}

function selectQuestions(db: Db) {
  return db
    .selectFrom('questions as q')
    .leftJoin('recommendations as r', 'r.id', 'q.recommendation_id')
    .leftJoin('actions as a', 'a.id', 'q.action_id')
    .leftJoin('recommendations as ar', 'ar.id', 'a.recommendation_id')
    .leftJoin('organisations as o', 'o.id', 'q.organisation_id')
    .leftJoin('meetings as m', 'm.id', 'q.meeting_id')
    .select([
      'q.id',
      'q.review_id',
      'q.recommendation_id',
      'q.action_id',
      'q.text',
      'q.asked_by',
      'q.forum',
      'q.meeting_id',
      'q.meeting_words',
      'q.asked_on',
      'q.organisation_id',
      'q.recorded_by_name',
      'q.response_text',
      'q.response_status',
      'q.response_by_name',
      'q.response_at',
      'q.approved_by_name',
      'q.published_on',
      'q.is_illustrative',
      'q.created_at',
      'q.version',
      'r.number as recommendation_number',
      'ar.number as action_recommendation_number',
      'o.name as organisation_name',
      'm.forum as meeting_forum',
      'm.title as meeting_title',
      'm.starts_at as meeting_starts_at',
    ]);
}

/** A review's questions, the latest asked first. */
export async function listQuestionRows(db: Db, reviewId: number): Promise<QuestionRow[]> {
  return selectQuestions(db)
    .where('q.review_id', '=', reviewId)
    .orderBy('q.asked_on', 'desc')
    .orderBy('q.id', 'desc')
    .execute();
}

export async function findQuestionRow(db: Db, reviewId: number, questionId: number): Promise<QuestionRow | undefined> {
  return selectQuestions(db).where('q.review_id', '=', reviewId).where('q.id', '=', questionId).executeTakeFirst();
}

export interface MeetingOption {
  id: number;
  forum: Forum;
  title: string;
  starts_at: string;
}

/** The review's meetings a question may have been asked at, the latest first. */
export async function listMeetingOptions(db: Db, reviewId: number): Promise<MeetingOption[]> {
  return db
    .selectFrom('meetings')
    .select(['id', 'forum', 'title', 'starts_at'])
    .where('review_id', '=', reviewId)
    .orderBy('starts_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export interface NewQuestion {
  reviewId: number;
  recommendationId: number | null;
  actionId: number | null;
  text: string;
  askedBy: string;
  forum: Forum;
  meetingId: number | null;
  meetingWords: string;
  askedOn: string;
  organisationId: number | null;
  recordedByUserId: number;
  recordedByName: string;
}

export async function insertQuestion(trx: Trx, q: NewQuestion, now: string): Promise<number> {
  const row = await trx
    .insertInto('questions')
    .values({
      review_id: q.reviewId,
      recommendation_id: q.recommendationId,
      action_id: q.actionId,
      text: q.text,
      asked_by: q.askedBy,
      forum: q.forum,
      meeting_id: q.meetingId,
      meeting_words: q.meetingWords,
      asked_on: q.askedOn,
      organisation_id: q.organisationId,
      recorded_by_user_id: q.recordedByUserId,
      recorded_by_name: q.recordedByName,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Saves the draft response if the question is still at `version` and unpublished; false when it is not. */
export async function writeDraftResponse(
  trx: Trx,
  questionId: number,
  version: number,
  draft: { text: string; userId: number; name: string },
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('questions')
    .set({
      response_text: draft.text,
      response_status: 'draft',
      response_by_user_id: draft.userId,
      response_by_name: draft.name,
      response_at: now,
      updated_at: now,
      version: version + 1,
    })
    .where('id', '=', questionId)
    .where('version', '=', version)
    .where('response_status', '!=', 'published')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Publishes the draft response if the question is still at `version`; false when it is not. */
export async function writePublication(
  trx: Trx,
  questionId: number,
  version: number,
  approval: { userId: number; name: string; publishedOn: string },
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('questions')
    .set({
      response_status: 'published',
      approved_by_user_id: approval.userId,
      approved_by_name: approval.name,
      published_on: approval.publishedOn,
      updated_at: now,
      version: version + 1,
    })
    .where('id', '=', questionId)
    .where('version', '=', version)
    .where('response_status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function writeQuestionDays(trx: Trx, reviewId: number, days: number | null): Promise<void> {
  await trx.updateTable('reviews').set({ question_days: days }).where('id', '=', reviewId).execute();
}
