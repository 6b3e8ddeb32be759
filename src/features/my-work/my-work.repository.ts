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

/*
 * What meetings, questions and assignments ask of people (issue 14), for the reviews a person
 * works in. Each change to these rows bumps the review's plan revision (migration 014), so the
 * signature below covers them.
 */

/** Open requests for more evidence, with the meeting that made them. */
export function listOpenRequestsOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('meeting_requests as r')
    .innerJoin('meetings as m', 'm.id', 'r.meeting_id')
    .select([
      'r.id',
      'r.review_id',
      'r.action_id',
      'r.text',
      'r.owner_user_id',
      'r.due_on',
      'r.status',
      'r.created_at',
      'm.forum',
      'm.starts_at',
    ])
    .where('r.review_id', 'in', reviewIds)
    .where('r.status', '=', 'open')
    .orderBy('r.id')
    .execute();
}

/** Questions whose response is not yet published. */
export function listWaitingQuestionsOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('questions')
    .select([
      'id',
      'review_id',
      'recommendation_id',
      'action_id',
      'text',
      'asked_by',
      'forum',
      'asked_on',
      'organisation_id',
      'response_status',
      'response_at',
    ])
    .where('review_id', 'in', reviewIds)
    .where('response_status', '!=', 'published')
    .orderBy('id')
    .execute();
}

/** Actions given to organisations, with each organisation's name and latest answer (if any). */
export async function listAssignmentsOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return [];
  const [assigned, responses] = await Promise.all([
    db
      .selectFrom('action_organisations as ao')
      .innerJoin('actions as a', 'a.id', 'ao.action_id')
      .innerJoin('organisations as o', 'o.id', 'ao.organisation_id')
      .select(['a.review_id', 'ao.action_id', 'ao.organisation_id', 'ao.assigned_at', 'o.name'])
      .where('a.review_id', 'in', reviewIds)
      .where('a.archived_at', 'is', null)
      .where('ao.assigned_at', 'is not', null)
      .execute(),
    db
      .selectFrom('assignment_responses')
      .select(['action_id', 'organisation_id', 'response', 'reason', 'actor_name', 'created_at'])
      .where('review_id', 'in', reviewIds)
      .orderBy('id')
      .execute(),
  ]);
  // Oldest first: the last one read for an action and organisation is its latest answer.
  const latest = new Map<string, (typeof responses)[number]>();
  for (const r of responses) latest.set(`${r.action_id}:${r.organisation_id}`, r);
  return assigned.map((a) => {
    const answer = latest.get(`${a.action_id}:${a.organisation_id}`);
    return {
      reviewId: a.review_id,
      actionId: a.action_id,
      organisationId: a.organisation_id,
      organisationName: a.name,
      assignedAt: a.assigned_at ?? '',
      latest: answer
        ? { response: answer.response, reason: answer.reason, at: answer.created_at, by: answer.actor_name }
        : null,
    };
  });
}

/** The live actions with a day by which fresh evidence is due once complete, and their leads. */
export function listAssuranceDatesOfReviews(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('actions')
    .select(['id', 'review_id', 'lead_user_id', 'reassurance_due_on'])
    .where('review_id', 'in', reviewIds)
    .where('archived_at', 'is', null)
    .where('reassurance_due_on', 'is not', null)
    .execute();
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
      'question_days',
      'assignment_days',
    ])
    .where('id', 'in', reviewIds)
    .orderBy('id')
    .execute();
}
