import type { FindingKind, OrganisationKind, RatingValue, ReviewRow } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DueDateChange } from '../../domain/due-dates.ts';
import { notWithdrawn } from '../../platform/db/withdrawn.ts';

export interface ReviewListRow {
  id: number;
  title: string;
  area: string;
  report_published: string | null;
  is_demo: number;
  findings: number;
  recommendations: number;
  actions: number;
  review_start: string | null;
  review_end: string | null;
  /** When anything in the review last changed, from its audit trail (an ISO timestamp), or null. */
  last_activity: string | null;
}

export async function listReviewSummaries(db: Db): Promise<ReviewListRow[]> {
  return db
    .selectFrom('reviews as r')
    .select((eb) => [
      'r.id',
      'r.title',
      'r.area',
      'r.report_published',
      'r.is_demo',
      'r.review_start',
      'r.review_end',
      eb
        .selectFrom('audit_events')
        .whereRef('audit_events.review_id', '=', 'r.id')
        .select((e) => e.fn.max('audit_events.at').as('at'))
        .as('last_activity'),
      eb
        .selectFrom('findings')
        .whereRef('findings.review_id', '=', 'r.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('findings'),
      eb
        .selectFrom('recommendations')
        .whereRef('recommendations.review_id', '=', 'r.id')
        .where('recommendations.archived_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('recommendations'),
      eb
        .selectFrom('actions')
        .whereRef('actions.review_id', '=', 'r.id')
        .where('actions.archived_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('actions'),
    ])
    .orderBy('r.report_published', 'desc')
    .orderBy('r.id')
    .execute() as Promise<ReviewListRow[]>;
}

export async function findReviewById(db: Db, reviewId: number): Promise<ReviewRow | undefined> {
  return db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirst();
}

export interface OrganisationRow {
  id: number;
  name: string;
  short_name: string;
  kind: OrganisationKind;
}

export async function listCoveredOrganisations(db: Db, reviewId: number): Promise<OrganisationRow[]> {
  return db
    .selectFrom('review_organisations as ro')
    .innerJoin('organisations as o', 'o.id', 'ro.organisation_id')
    .select(['o.id', 'o.name', 'o.short_name', 'o.kind'])
    .where('ro.review_id', '=', reviewId)
    .orderBy('o.name')
    .execute();
}

export async function findOrganisation(db: Db, organisationId: number): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name', 'kind'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
}

export interface PlanVersionRow {
  id: number;
  number: string;
  issued_on: string | null;
  author: string;
  purpose: string;
  action_text: string;
  comment: string;
}

export async function listPlanVersions(db: Db, reviewId: number): Promise<PlanVersionRow[]> {
  return db
    .selectFrom('plan_versions')
    .select(['id', 'number', 'issued_on', 'author', 'purpose', 'action_text', 'comment'])
    .where('review_id', '=', reviewId)
    .orderBy('id')
    .execute();
}

/* The whole plan of one review in a handful of queries: what roll-ups and exceptions need. */

export interface PlanGroupRow {
  id: number;
  number: number;
  heading: string;
  organisationIds: number[];
}

export interface PlanRecommendationRow {
  id: number;
  group_id: number;
  number: string;
  text: string;
  outcome: string;
  position: number;
}

export interface PlanFindingRow {
  id: number;
  number: string;
  section: string;
  kind: FindingKind;
  recommendationIds: number[];
}

export interface PlanActionRow {
  id: number;
  recommendation_id: number;
  position: number;
  agency_text: string;
  lead_text: string;
  date_words: string;
  due_date: string | null;
  measure: string;
  created_on: string;
  organisationIds: number[];
  lastProgressOn: string | null;
  /** Oldest first, as stored. */
  ratingEvents: {
    kind: 'proposed' | 'agreed';
    rating: RatingValue;
    decided_on: string;
    effective_on: string | null;
    created_at: string;
    override_reason: string | null;
  }[];
  /** Challenges of proposed ratings, oldest first. */
  challenges: { rating: RatingValue; decided_on: string; created_at: string; rationale: string }[];
  acceptedEvidenceDates: string[];
  /** The history of its agreed due date, oldest first. */
  dueDateChanges?: DueDateChange[];
  sustain_how: string;
  reassurance_due_on: string | null;
  /** Each organisation given the action, when, and its latest answer. */
  assignments: ActionAssignment[];
}

export interface AssignmentAnswer {
  response: 'accepted' | 'disputed';
  reason: string;
  by: string;
  at: string;
}

export interface ActionAssignment {
  organisationId: number;
  assignedAt: string | null;
  /** The latest answer counts; null when the organisation has not answered. */
  answer: AssignmentAnswer | null;
}

/** A question from a board or a panel whose response is not yet published. */
export interface PlanQuestionRow {
  id: number;
  review_id: number;
  recommendation_id: number | null;
  action_id: number | null;
  organisation_id: number | null;
  text: string;
  asked_by: string;
  asked_on: string;
  response_status: 'none' | 'draft' | 'published';
}

export interface PlanState {
  organisations: OrganisationRow[];
  groups: PlanGroupRow[];
  recommendations: PlanRecommendationRow[];
  findings: PlanFindingRow[];
  actions: PlanActionRow[];
  /** Questions without a published response, oldest first. */
  questions: PlanQuestionRow[];
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

export async function loadPlanState(db: Db, reviewId: number): Promise<PlanState> {
  const [
    groups,
    groupOrgs,
    recommendations,
    findings,
    links,
    actions,
    actionOrgs,
    progress,
    ratings,
    evidence,
    challenges,
    dueDateChanges,
    answers,
    questions,
  ] = await Promise.all([
    db
      .selectFrom('recommendation_groups')
      .select(['id', 'number', 'heading'])
      .where('review_id', '=', reviewId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('recommendation_group_organisations as go')
      .innerJoin('recommendation_groups as g', 'g.id', 'go.group_id')
      .select(['go.group_id', 'go.organisation_id'])
      .where('g.review_id', '=', reviewId)
      .execute(),
    db
      .selectFrom('recommendations')
      .select(['id', 'group_id', 'number', 'text', 'outcome', 'position'])
      .where('review_id', '=', reviewId)
      .where('archived_at', 'is', null)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('findings')
      .select(['id', 'number', 'section', 'kind'])
      .where('review_id', '=', reviewId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('finding_recommendations as fr')
      .innerJoin('findings as f', 'f.id', 'fr.finding_id')
      .innerJoin('recommendations as r', 'r.id', 'fr.recommendation_id')
      .select(['fr.finding_id', 'fr.recommendation_id'])
      .where('f.review_id', '=', reviewId)
      // A concern whose only recommendation is archived has no live recommendation.
      .where('r.archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('actions')
      .select([
        'id',
        'recommendation_id',
        'position',
        'agency_text',
        'lead_text',
        'date_words',
        'due_date',
        'measure',
        'created_on',
        'sustain_how',
        'reassurance_due_on',
      ])
      .where('review_id', '=', reviewId)
      .where('archived_at', 'is', null)
      .orderBy('recommendation_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('action_organisations as ao')
      .innerJoin('actions as a', 'a.id', 'ao.action_id')
      .select(['ao.action_id', 'ao.organisation_id', 'ao.assigned_at'])
      .where('a.review_id', '=', reviewId)
      .where('a.archived_at', 'is', null)
      // In a fixed order, so an action's organisations read the same after a restore or a move.
      .orderBy('ao.action_id')
      .orderBy('ao.organisation_id')
      .execute(),
    db
      .selectFrom('progress_updates')
      .select((eb) => ['action_id', eb.fn.max('progress_on').as('last')])
      .where('review_id', '=', reviewId)
      // A withdrawn update is not progress; a withdrawn proposal (below) is not a proposal.
      .where(notWithdrawn('progress_update_id', 'progress_updates.id'))
      .groupBy('action_id')
      .execute(),
    db
      .selectFrom('rating_events')
      .select(['action_id', 'kind', 'rating', 'decided_on', 'effective_on', 'created_at', 'override_reason'])
      .where('review_id', '=', reviewId)
      .where(notWithdrawn('rating_event_id', 'rating_events.id'))
      .orderBy('decided_on')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('evidence_items')
      .select(['action_id', 'effective_on'])
      .where('review_id', '=', reviewId)
      .where('status', '=', 'accepted')
      .execute(),
    db
      .selectFrom('rating_challenges')
      .select(['action_id', 'rating', 'decided_on', 'created_at', 'rationale'])
      .where('review_id', '=', reviewId)
      .orderBy('decided_on')
      .orderBy('id')
      .execute(),
    listDueDateChanges(db, reviewId),
    listAssignmentAnswers(db, reviewId),
    db
      .selectFrom('questions')
      .select([
        'id',
        'review_id',
        'recommendation_id',
        'action_id',
        'organisation_id',
        'text',
        'asked_by',
        'asked_on',
        'response_status',
      ])
      .where('review_id', '=', reviewId)
      .where('response_status', '!=', 'published')
      .orderBy('asked_on')
      .orderBy('id')
      .execute(),
  ]);

  const orgIds = new Set<number>();
  const orgsByGroup = groupBy(groupOrgs, (r) => r.group_id);
  const linksByFinding = groupBy(links, (r) => r.finding_id);
  const orgsByAction = groupBy(actionOrgs, (r) => r.action_id);
  const lastProgress = new Map(progress.map((r) => [r.action_id, r.last as string | null]));
  const ratingsByAction = groupBy(ratings, (r) => r.action_id);
  const evidenceByAction = groupBy(evidence, (r) => r.action_id);
  const challengesByAction = groupBy(challenges, (r) => r.action_id);
  const dueDatesByAction = groupBy(dueDateChanges, (r) => r.actionId);
  const latestAnswer = latestAnswers(answers);
  for (const r of groupOrgs) orgIds.add(r.organisation_id);
  for (const r of actionOrgs) orgIds.add(r.organisation_id);

  const organisations =
    orgIds.size === 0
      ? []
      : await db
          .selectFrom('organisations')
          .select(['id', 'name', 'short_name', 'kind'])
          .where('id', 'in', [...orgIds])
          .orderBy('name')
          .execute();

  return {
    organisations,
    groups: groups.map((g) => ({ ...g, organisationIds: (orgsByGroup.get(g.id) ?? []).map((r) => r.organisation_id) })),
    recommendations,
    findings: findings.map((f) => ({
      ...f,
      recommendationIds: (linksByFinding.get(f.id) ?? []).map((r) => r.recommendation_id),
    })),
    actions: actions.map((a) => ({
      ...a,
      organisationIds: (orgsByAction.get(a.id) ?? []).map((r) => r.organisation_id),
      lastProgressOn: lastProgress.get(a.id) ?? null,
      ratingEvents: (ratingsByAction.get(a.id) ?? []).map(({ action_id: _, ...event }) => event),
      challenges: (challengesByAction.get(a.id) ?? []).map(({ action_id: _, ...challenge }) => challenge),
      acceptedEvidenceDates: (evidenceByAction.get(a.id) ?? []).map((r) => r.effective_on),
      dueDateChanges: (dueDatesByAction.get(a.id) ?? []).map(({ actionId: _, ...change }) => change),
      assignments: (orgsByAction.get(a.id) ?? []).map((r) => ({
        organisationId: r.organisation_id,
        assignedAt: r.assigned_at,
        answer: latestAnswer.get(`${a.id}:${r.organisation_id}`) ?? null,
      })),
    })),
    questions,
  };
}

/** Every answer to an assignment in a review (or one action), oldest first. */
export async function listAssignmentAnswers(db: Db, reviewId: number, actionId?: number) {
  let query = db
    .selectFrom('assignment_responses')
    .select(['id', 'action_id', 'organisation_id', 'response', 'reason', 'actor_name', 'created_at', 'is_illustrative'])
    .where('review_id', '=', reviewId);
  if (actionId !== undefined) query = query.where('action_id', '=', actionId);
  return query.orderBy('id').execute();
}

/** The latest answer of each organisation to each action, keyed 'actionId:organisationId'. */
export function latestAnswers(rows: Awaited<ReturnType<typeof listAssignmentAnswers>>): Map<string, AssignmentAnswer> {
  const latest = new Map<string, AssignmentAnswer>();
  for (const r of rows) {
    latest.set(`${r.action_id}:${r.organisation_id}`, {
      response: r.response,
      reason: r.reason,
      by: r.actor_name,
      at: r.created_at,
    });
  }
  return latest;
}

/** The due date history of a review's actions (or of one action), oldest first. */
export async function listDueDateChanges(
  db: Db,
  reviewId: number,
  actionId?: number,
): Promise<(DueDateChange & { actionId: number })[]> {
  let query = db
    .selectFrom('due_date_changes')
    .select(['id', 'action_id', 'kind', 'proposal_id', 'from_date', 'to_date', 'reason', 'actor_name', 'created_at'])
    .where('review_id', '=', reviewId);
  if (actionId !== undefined) query = query.where('action_id', '=', actionId);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    actionId: r.action_id,
    kind: r.kind,
    proposalId: r.proposal_id,
    fromDate: r.from_date,
    toDate: r.to_date,
    reason: r.reason,
    by: r.actor_name,
    at: r.created_at,
  }));
}
