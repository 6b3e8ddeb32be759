import type { Db } from '../../platform/db/database.ts';
import { notWithdrawn } from '../../platform/db/withdrawn.ts';

export async function findAction(db: Db, reviewId: number, actionId: number) {
  return db
    .selectFrom('actions as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select([
      'a.id',
      'a.review_id',
      'a.recommendation_id',
      'a.position',
      'a.agency_text',
      'a.action_text',
      'a.lead_text',
      'a.date_words',
      'a.due_date',
      'a.measure',
      'a.assurance',
      'a.sustain_how',
      'a.reassurance_due_on',
      'a.created_on',
      'a.archived_at',
      // Scripts send it back with a change, so a stale edit is refused.
      'a.version',
      'r.number as recommendation_number',
      'r.text as recommendation_text',
      'r.outcome as recommendation_outcome',
    ])
    .where('a.review_id', '=', reviewId)
    .where('a.id', '=', actionId)
    .executeTakeFirst();
}

/** The organisations of an action of this review (none when the review has no such action). */
export async function listActionOrganisationIds(db: Db, reviewId: number, actionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('action_organisations as ao')
    .innerJoin('actions as a', 'a.id', 'ao.action_id')
    .select('ao.organisation_id')
    .where('a.review_id', '=', reviewId)
    .where('ao.action_id', '=', actionId)
    .execute();
  return rows.map((r) => r.organisation_id);
}

export async function listActionOrganisations(db: Db, actionId: number) {
  return db
    .selectFrom('action_organisations as ao')
    .innerJoin('organisations as o', 'o.id', 'ao.organisation_id')
    .select(['o.id', 'o.name', 'o.short_name'])
    .where('ao.action_id', '=', actionId)
    .orderBy('o.name')
    .execute();
}

/**
 * Oldest first: progress is a diary and reads in the order it happened. A withdrawn update is
 * listed with its withdrawal (withdrawn_at and the rest are null for the others): nothing is
 * deleted, but it no longer counts as progress.
 */
export async function listProgress(db: Db, actionId: number) {
  return db
    .selectFrom('progress_updates as p')
    .leftJoin('withdrawals as w', 'w.progress_update_id', 'p.id')
    .select([
      'p.id',
      'p.progress_on',
      'p.text',
      'p.author_name',
      'p.author_user_id',
      'p.proposed_rating',
      'p.is_illustrative',
      'p.created_at',
      'w.created_at as withdrawn_at',
      'w.actor_name as withdrawn_by',
      'w.reason as withdrawn_reason',
    ])
    .where('p.action_id', '=', actionId)
    .orderBy('p.progress_on')
    .orderBy('p.id')
    .execute();
}

export async function listRatingEvents(db: Db, actionId: number) {
  return (
    db
      .selectFrom('rating_events')
      // The meeting that agreed it, when it was agreed at one.
      .leftJoin('meetings as m', 'm.id', 'rating_events.meeting_id')
      .select([
        'rating_events.id',
        'rating_events.kind',
        'rating_events.rating',
        'rating_events.decided_on',
        'rating_events.effective_on',
        'rating_events.user_id',
        'rating_events.actor_name',
        'rating_events.rationale',
        'rating_events.override_reason',
        'rating_events.is_illustrative',
        'rating_events.created_at',
        'rating_events.meeting_id',
        'm.forum as meeting_forum',
        'm.starts_at as meeting_starts_at',
      ])
      .where('rating_events.action_id', '=', actionId)
      // A rating proposed with a progress update that was withdrawn is withdrawn with it.
      .where(notWithdrawn('rating_event_id', 'rating_events.id'))
      .orderBy('rating_events.decided_on')
      .orderBy('rating_events.id')
      .execute()
  );
}

/**
 * An action's evidence, with its withdrawal when the person who added it withdrew it (such an
 * item stays 'submitted' but is never decided on, and counts for nothing).
 */
export async function listEvidence(db: Db, actionId: number) {
  return db
    .selectFrom('evidence_items as e')
    .leftJoin('withdrawals as w', 'w.evidence_item_id', 'e.id')
    .select([
      'e.id',
      'e.kind',
      'e.title',
      'e.effective_on',
      'e.period_start',
      'e.file_name',
      'e.media_type',
      'e.size',
      'e.url',
      'e.note',
      'e.status',
      'e.status_reason',
      'e.status_by_name',
      'e.status_at',
      'e.added_by_name',
      'e.added_by_user_id',
      'e.is_illustrative',
      'e.progress_update_id',
      'e.created_at',
      'e.version',
      'w.created_at as withdrawn_at',
      'w.actor_name as withdrawn_by',
      'w.reason as withdrawn_reason',
    ])
    .where('e.action_id', '=', actionId)
    .orderBy('e.effective_on')
    .orderBy('e.id')
    .execute();
}

/** Challenges of proposed ratings, oldest first. */
export async function listChallenges(db: Db, actionId: number) {
  return db
    .selectFrom('rating_challenges')
    .leftJoin('meetings as m', 'm.id', 'rating_challenges.meeting_id')
    .select([
      'rating_challenges.id',
      'rating_challenges.rating',
      'rating_challenges.decided_on',
      'rating_challenges.user_id',
      'rating_challenges.actor_name',
      'rating_challenges.rationale',
      'rating_challenges.created_at',
      'rating_challenges.meeting_id',
      'm.forum as meeting_forum',
      'm.starts_at as meeting_starts_at',
    ])
    .where('rating_challenges.action_id', '=', actionId)
    .orderBy('rating_challenges.decided_on')
    .orderBy('rating_challenges.id')
    .execute();
}

/** Questions from boards and panels about an action, oldest first, published or not. */
export async function listActionQuestions(db: Db, actionId: number) {
  return db
    .selectFrom('questions')
    .select([
      'id',
      'text',
      'asked_by',
      'forum',
      'meeting_words',
      'asked_on',
      'organisation_id',
      'response_text',
      'response_status',
      'response_by_name',
      'published_on',
      'is_illustrative',
    ])
    .where('action_id', '=', actionId)
    .orderBy('asked_on')
    .orderBy('id')
    .execute();
}

/** How many live actions come before this one in its recommendation: gives "Action 3". */
export async function countEarlierActions(db: Db, recommendationId: number, position: number, actionId: number) {
  const row = await db
    .selectFrom('actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recommendation_id', '=', recommendationId)
    .where('archived_at', 'is', null)
    .where((eb) =>
      eb.or([eb('position', '<', position), eb.and([eb('position', '=', position), eb('id', '<', actionId)])]),
    )
    .executeTakeFirstOrThrow();
  return row.n;
}
