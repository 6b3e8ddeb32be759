import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { insertInBatches } from '../../platform/db/batch-insert.ts';
import type {
  ActionOrganisationTable,
  ActionTable,
  EvidenceItemTable,
  FindingRecommendationTable,
  FindingTable,
  OrganisationTable,
  PlanVersionTable,
  ProgressUpdateTable,
  RatingChallengeTable,
  RatingEventTable,
  RecommendationGroupOrganisationTable,
  RecommendationGroupTable,
  RecommendationTable,
  ReviewOrganisationTable,
  ReviewTable,
} from '../../platform/db/schema.ts';

/*
 * The one writer of a review's plan: the review, the organisations it names, its findings,
 * groups, recommendations and actions, and what hangs off them (progress, ratings, evidence,
 * versions). The report import, the plan import, the demo loader and the test factories all
 * write through it; other features reach it through plan-writer.service.ts.
 *
 * A piece that others hang off goes in on its own and gives back its id. Rows whose ids
 * nobody needs go in batches, in the order given (see insertInBatches). Everything runs in
 * the caller's transaction, next to its audit events: on PostgreSQL the plan tables' triggers
 * then bump the review's plan_revision once for the whole transaction, however many rows.
 *
 * Rows are given as the tables hold them; what every new row starts with (version 1, not
 * archived) is filled in here. A plan import gives each row the import_id of the import that
 * wrote it (so the import can be reverted); every other writer leaves it out (null).
 */

export type NewOrganisation = Omit<Insertable<OrganisationTable>, 'id' | 'version'>;
export type NewReview = Omit<Insertable<ReviewTable>, 'id' | 'version' | 'plan_revision'>;
export type NewFinding = Omit<Insertable<FindingTable>, 'id' | 'version' | 'archived_at'>;
export type NewGroup = Omit<Insertable<RecommendationGroupTable>, 'id' | 'version' | 'archived_at'>;
export type NewRecommendation = Omit<Insertable<RecommendationTable>, 'id' | 'version' | 'archived_at'>;
export type NewAction = Omit<Insertable<ActionTable>, 'id' | 'version' | 'archived_at'>;
export type ReviewOrganisationRow = Insertable<ReviewOrganisationTable>;
export type GroupOrganisationRow = Insertable<RecommendationGroupOrganisationTable>;
export type FindingLinkRow = Insertable<FindingRecommendationTable>;
export type ActionOrganisationRow = Insertable<ActionOrganisationTable>;
export type NewProgress = Omit<Insertable<ProgressUpdateTable>, 'id'>;
export type NewRatingEvent = Omit<Insertable<RatingEventTable>, 'id'>;
export type NewRatingChallenge = Omit<Insertable<RatingChallengeTable>, 'id'>;
export type NewEvidence = Omit<Insertable<EvidenceItemTable>, 'id' | 'version'>;
export type NewPlanVersion = Omit<Insertable<PlanVersionTable>, 'id'>;

/* Pieces others hang off: one at a time, each giving back its id. */

export async function insertOrganisation(db: Db, organisation: NewOrganisation): Promise<number> {
  const { id } = await db.insertInto('organisations').values(organisation).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertReview(db: Db, review: NewReview): Promise<number> {
  const { id } = await db
    .insertInto('reviews')
    .values({ ...review, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertFinding(db: Db, finding: NewFinding): Promise<number> {
  const { id } = await db.insertInto('findings').values(finding).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertGroup(db: Db, group: NewGroup): Promise<number> {
  const { id } = await db.insertInto('recommendation_groups').values(group).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertRecommendation(db: Db, recommendation: NewRecommendation): Promise<number> {
  const { id } = await db
    .insertInto('recommendations')
    .values({ ...recommendation, archived_at: null, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertAction(db: Db, action: NewAction): Promise<number> {
  const { id } = await db
    .insertInto('actions')
    .values({ ...action, archived_at: null, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/* Rows that hang off them: in batches. */

/** The organisations the review covers. */
export function insertReviewOrganisations(db: Db, rows: readonly ReviewOrganisationRow[]): Promise<void> {
  return insertInBatches(db, 'review_organisations', rows);
}

/** The organisations a group of recommendations is addressed to. */
export function insertGroupOrganisations(db: Db, rows: readonly GroupOrganisationRow[]): Promise<void> {
  return insertInBatches(db, 'recommendation_group_organisations', rows);
}

/** Which recommendations each finding leads to. */
export function insertFindingLinks(db: Db, rows: readonly FindingLinkRow[]): Promise<void> {
  return insertInBatches(db, 'finding_recommendations', rows);
}

/**
 * The organisations each action is for, each with when it was given the action (assigned_at):
 * an import gives the time of the import; rows without one are not chased for an answer.
 */
export function insertActionOrganisations(db: Db, rows: readonly ActionOrganisationRow[]): Promise<void> {
  return insertInBatches(db, 'action_organisations', rows);
}

export function insertProgress(db: Db, rows: readonly NewProgress[]): Promise<void> {
  return insertInBatches(db, 'progress_updates', rows);
}

export function insertRatingEvents(db: Db, rows: readonly NewRatingEvent[]): Promise<void> {
  return insertInBatches(db, 'rating_events', rows);
}

/** Challenges of proposed ratings: a plan import brings back a rating its file shows as disputed. */
export function insertRatingChallenges(db: Db, rows: readonly NewRatingChallenge[]): Promise<void> {
  return insertInBatches(db, 'rating_challenges', rows);
}

/** Evidence items; a file's content is stored (as a blob) before its item. */
export function insertEvidence(db: Db, rows: readonly NewEvidence[]): Promise<void> {
  return insertInBatches(db, 'evidence_items', rows);
}

/** Rows of the plan's version control table: issued in Clasp (with a snapshot) or recorded from a document. */
export function insertPlanVersions(db: Db, rows: readonly NewPlanVersion[]): Promise<void> {
  return insertInBatches(db, 'plan_versions', rows);
}
