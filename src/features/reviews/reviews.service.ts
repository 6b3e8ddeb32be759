import { createHash } from 'node:crypto';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { canRead, viewerKey, type Actor } from '../../domain/permissions.ts';
import { planDueDate } from '../../domain/working-days.ts';
import { DEFAULT_ASSIGNMENT_DAYS, DEFAULT_QUESTION_DAYS } from '../../domain/exceptions.ts';
import {
  findOrganisation,
  findReviewById,
  listCoveredOrganisations,
  listDueDateChanges,
  listPlanVersions,
  listReviewSummaries,
  loadPlanState,
  type OrganisationRow,
  type PlanState,
  type PlanVersionRow,
  type ReviewListRow,
} from './reviews.repository.ts';
import { analysePlan, type AnalysisOptions, type PlanAnalysis } from './plan-analysis.ts';
import type { PlanCache } from './plan-cache.ts';

export interface ReviewsContext {
  db: Db;
  /** Days without progress before an open action counts as stale, unless the review sets its own. */
  staleDays: number;
  /** The clock: services take the time from here, never from the system directly. */
  now: () => Date;
  /** Today's date in England as YYYY-MM-DD, from the same clock unless given separately. */
  today: () => string;
  /** Analysed plans by revision; one per app so tests stay independent. */
  plans?: PlanCache<{ state: PlanState; analysis: PlanAnalysis }>;
}

/** The reviews this person can see: all of them for an administrator, else those they are a member of. */
export async function listReviews(ctx: ReviewsContext, actor: Actor): Promise<ReviewListRow[]> {
  const all = await listReviewSummaries(ctx.db);
  return actor.isAdmin ? all : all.filter((r) => canRead(actor, r.id));
}

/**
 * The review, if this person may read it. To anyone who is not a member a review does not
 * exist: they get the same "not found" as for a number that was never used.
 */
export async function getReview(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewRow> {
  const review = canRead(actor, reviewId) ? await findReviewById(ctx.db, reviewId) : undefined;
  if (!review) throw new NotFoundError(`There is no review ${reviewId}`);
  return review;
}

/** The due date history of one action of a review, oldest first. The caller has checked access. */
export async function actionDueDateHistory(db: Db, reviewId: number, actionId: number) {
  return listDueDateChanges(db, reviewId, actionId);
}

export function analysisOptions(ctx: ReviewsContext, review: ReviewRow): AnalysisOptions {
  return {
    today: review.assessed_as_of ?? ctx.today(),
    staleDays: review.stale_days ?? ctx.staleDays,
    assignmentDays: review.assignment_days ?? DEFAULT_ASSIGNMENT_DAYS,
    questionDays: review.question_days ?? DEFAULT_QUESTION_DAYS,
  };
}

/**
 * A key that changes whenever anything a page of this review shows could change: any column
 * of the review (its plan_revision is bumped by the database on every change to the plan and
 * to any organisation), the day, and the settings the analysis uses.
 */
export function pageKey(ctx: ReviewsContext, actor: Actor, review: ReviewRow, page: string): string {
  const options = analysisOptions(ctx, review);
  const state = createHash('sha256').update(JSON.stringify(review)).digest('base64url');
  // People with the same roles in the review see the same page (their name and token are filled in per response).
  return `${page}|${state}|${options.today}|${options.staleDays}|${viewerKey(actor, review.id)}`;
}

export interface ReviewPlan {
  review: ReviewRow;
  state: PlanState;
  analysis: PlanAnalysis;
  options: AnalysisOptions;
}

/**
 * The review with its whole plan, ratings rolled up and exceptions found as of today. The
 * analysis is reused while the plan's revision, the day and the settings stay the same.
 */
export async function getReviewPlan(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewPlan> {
  return planOfReview(ctx, await getReview(ctx, actor, reviewId));
}

/** The analysed plan of a review already read (and its access checked) by the caller. */
export async function planOfReview(ctx: ReviewsContext, review: ReviewRow): Promise<ReviewPlan> {
  const reviewId = review.id;
  const options = analysisOptions(ctx, review);
  const key = [
    review.id,
    review.plan_revision,
    review.rating_scale,
    options.today,
    options.staleDays,
    options.assignmentDays,
    options.questionDays,
  ].join(':');
  let analysed = ctx.plans?.get(key);
  if (!analysed) {
    const state = await loadPlanState(ctx.db, reviewId);
    analysed = { state, analysis: analysePlan(state, review.rating_scale, options) };
    ctx.plans?.set(key, analysed);
  }
  return { review, ...analysed, options };
}

export interface ReviewOverview extends ReviewPlan {
  dueDate: string | null;
  covered: OrganisationRow[];
  lead: OrganisationRow | undefined;
  versions: PlanVersionRow[];
}

/**
 * When the plan is due: CQC asks for it within 20 working days of receipt; when the receipt date
 * is not recorded, publication is the closest fact we have.
 */
function dueDateOf(review: ReviewRow): string | null {
  const received = review.report_received ?? review.report_published;
  return received ? planDueDate(received) : null;
}

/** A review in the list of reviews, with where it stands: its plan's due position, ratings and gaps. */
export interface ReviewStatus {
  row: ReviewListRow;
  scale: ReviewRow['rating_scale'];
  dueDate: string | null;
  planIssued: string | null;
  today: string;
  /** The plan's actions by rating (unrated and total too). */
  actions: PlanAnalysis['rollUp']['plan']['actions'];
  /** How many things in the plan need attention (its exceptions). */
  exceptions: number;
}

/** Every review this person may read, with where each stands; the analyses come from the plan cache. */
export async function listReviewStatuses(ctx: ReviewsContext, actor: Actor): Promise<ReviewStatus[]> {
  const rows = await listReviews(ctx, actor);
  return Promise.all(
    rows.map(async (row) => {
      const { review, analysis, options } = await getReviewPlan(ctx, actor, row.id);
      return {
        row,
        scale: review.rating_scale,
        dueDate: dueDateOf(review),
        planIssued: review.plan_issued,
        today: options.today,
        actions: analysis.rollUp.plan.actions,
        exceptions: analysis.exceptions.length,
      };
    }),
  );
}

export async function getReviewOverview(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewOverview> {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const { review } = plan;
  const [covered, lead, versions] = await Promise.all([
    listCoveredOrganisations(ctx.db, reviewId),
    review.lead_organisation_id === null
      ? Promise.resolve(undefined)
      : findOrganisation(ctx.db, review.lead_organisation_id),
    listPlanVersions(ctx.db, reviewId),
  ]);
  return { ...plan, dueDate: dueDateOf(review), covered, lead, versions };
}
