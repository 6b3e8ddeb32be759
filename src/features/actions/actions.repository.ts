import type { Db } from '../../platform/db/database.ts';

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

/** Oldest first: progress is a diary and reads in the order it happened. */
export async function listProgress(db: Db, actionId: number) {
  return db
    .selectFrom('progress_updates')
    .select([
      'id',
      'progress_on',
      'text',
      'author_name',
      'author_user_id',
      'proposed_rating',
      'is_illustrative',
      'created_at',
    ])
    .where('action_id', '=', actionId)
    .orderBy('progress_on')
    .orderBy('id')
    .execute();
}

export async function listRatingEvents(db: Db, actionId: number) {
  return db
    .selectFrom('rating_events')
    .select([
      'id',
      'kind',
      'rating',
      'decided_on',
      'effective_on',
      'user_id',
      'actor_name',
      'rationale',
      'override_reason',
      'is_illustrative',
      'created_at',
    ])
    .where('action_id', '=', actionId)
    .orderBy('decided_on')
    .orderBy('id')
    .execute();
}

export async function listEvidence(db: Db, actionId: number) {
  return db
    .selectFrom('evidence_items')
    .select([
      'id',
      'kind',
      'title',
      'effective_on',
      'period_start',
      'file_name',
      'media_type',
      'size',
      'url',
      'note',
      'status',
      'status_reason',
      'status_by_name',
      'status_at',
      'added_by_name',
      'is_illustrative',
      'progress_update_id',
      'created_at',
      'version',
    ])
    .where('action_id', '=', actionId)
    .orderBy('effective_on')
    .orderBy('id')
    .execute();
}

/** Challenges of proposed ratings, oldest first. */
export async function listChallenges(db: Db, actionId: number) {
  return db
    .selectFrom('rating_challenges')
    .select(['id', 'rating', 'decided_on', 'user_id', 'actor_name', 'rationale', 'created_at'])
    .where('action_id', '=', actionId)
    .orderBy('decided_on')
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
