import type { Actor } from '../../domain/permissions.ts';
import { canAssure, canCoordinate, editableOrganisations } from '../../domain/permissions.ts';
import { isComplete } from '../../domain/ratings.ts';
import { planDueDate } from '../../domain/working-days.ts';
import { chaseList, workFor, type WorkItem, type WorkReview } from '../../domain/my-work.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import type { AppContext } from '../context.ts';
import { getReviewPlan } from '../reviews/reviews.service.ts';
import { listEvidenceOfReviews } from './my-work.repository.ts';

/*
 * My work: for each review the person is a member of, what their roles ask of them now
 * (src/domain/my-work.ts), from the same analysed plan the review's pages show.
 */

export interface MyWorkReview {
  id: number;
  title: string;
  area: string;
  /** As of this day: today, or the day the review is assessed at. */
  asOf: string;
  items: WorkItem[];
}

export interface MyWork {
  reviews: MyWorkReview[];
  /** Items in all, for the header and the page's heading. */
  count: number;
}

/** A review's plan, as the rules of My work read it. */
async function workReviewOf(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidence: Awaited<ReturnType<typeof listEvidenceOfReviews>>,
) {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const { review, state, analysis, options } = plan;
  const received = review.report_received ?? review.report_published;
  const awaitingDecisionSince = new Map<number, string>();
  for (const [id, status] of analysis.actionStatus) {
    if (status.awaitingDecisionSince) awaitingDecisionSince.set(id, status.awaitingDecisionSince);
  }
  const work: WorkReview = {
    reviewId,
    today: options.today,
    actions: state.actions.map((a) => {
      const status = analysis.actionStatus.get(a.id);
      return {
        id: a.id,
        label: status?.label ?? `Action ${a.id}`,
        organisationIds: a.organisationIds,
        dueDate: a.due_date,
        complete: status?.rating ? isComplete(review.rating_scale, status.rating) : false,
      };
    }),
    exceptions: analysis.exceptions,
    evidence: evidence
      .filter((e) => e.review_id === reviewId)
      .map((e) => ({
        id: e.id,
        actionId: e.action_id,
        title: e.title,
        status: e.status,
        addedAt: e.created_at,
        decidedAt: e.status_at,
        reason: e.status_reason,
      })),
    awaitingDecisionSince,
    organisations: state.organisations.map((o) => ({ id: o.id, name: o.name })),
    planDue: received ? planDueDate(received) : null,
    planSent: review.plan_issued !== null,
  };
  return { review, options, work };
}

export async function getMyWork(ctx: AppContext, actor: Actor): Promise<MyWork> {
  const reviewIds = [...new Set(actor.memberships.map((m) => m.reviewId))].sort((a, b) => a - b);
  const evidence = await listEvidenceOfReviews(ctx.db, reviewIds);
  const reviews: MyWorkReview[] = [];
  for (const reviewId of reviewIds) {
    const { review, options, work } = await workReviewOf(ctx, actor, reviewId, evidence);
    const items = workFor(work, {
      editorOf: editableOrganisations(actor, reviewId),
      assures: canAssure(actor, reviewId),
      coordinates: canCoordinate(actor, reviewId),
    });
    reviews.push({ id: reviewId, title: review.title, area: review.area, asOf: options.today, items });
  }
  return { reviews, count: reviews.reduce((n, r) => n + r.items.length, 0) };
}

/** A review's chase list, for its coordinators: each organisation's actions overdue or without recent progress. */
export async function getChaseList(ctx: AppContext, actor: Actor, reviewId: number) {
  const { review, options, work } = await workReviewOf(ctx, actor, reviewId, []);
  if (!canCoordinate(actor, reviewId)) throw new ForbiddenError('Only the plan’s coordinators can see its chase list.');
  return { review, asOf: options.today, lines: chaseList(work) };
}
