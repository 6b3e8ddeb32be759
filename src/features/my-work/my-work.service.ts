import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/permissions.ts';
import { canAssure, canCoordinate, editableOrganisations } from '../../domain/permissions.ts';
import { ratingHistoryOf, currentRating, isComplete } from '../../domain/ratings.ts';
import { planDueDate } from '../../domain/working-days.ts';
import { chaseList, workFor, type WorkItem, type WorkReview } from '../../domain/my-work.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../../platform/db/database.ts';
import { getReviewPlan, type ReviewPlan } from '../reviews/reviews.service.ts';
import {
  listAssignmentsOfReviews,
  listAssuranceDatesOfReviews,
  listEvidenceOfReviews,
  listOpenRequestsOfReviews,
  listReviewRevisions,
  listWaitingQuestionsOfReviews,
} from './my-work.repository.ts';

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

/** An action's rating history, as the plan's analysis reads it. */
function historyOfAction(action: ReviewPlan['state']['actions'][number]) {
  return ratingHistoryOf(action.ratingEvents, action.challenges);
}

/** What the reviews' evidence, meetings, questions and assignments hold, read once for them all. */
interface Queues {
  evidence: Awaited<ReturnType<typeof listEvidenceOfReviews>>;
  requests: Awaited<ReturnType<typeof listOpenRequestsOfReviews>>;
  questions: Awaited<ReturnType<typeof listWaitingQuestionsOfReviews>>;
  assignments: Awaited<ReturnType<typeof listAssignmentsOfReviews>>;
  assuranceDates: Awaited<ReturnType<typeof listAssuranceDatesOfReviews>>;
}

const NO_QUEUES: Queues = { evidence: [], requests: [], questions: [], assignments: [], assuranceDates: [] };

/**
 * What meetings, questions and assignments wait on in these reviews, read once for them all:
 * open requests for more evidence, questions whose response is not yet published, and actions
 * given to organisations with each one's latest answer. Reminders read the same.
 */
export async function loadWaitingOn(db: Db, reviewIds: readonly number[]) {
  const [requests, questions, assignments] = await Promise.all([
    listOpenRequestsOfReviews(db, reviewIds),
    listWaitingQuestionsOfReviews(db, reviewIds),
    listAssignmentsOfReviews(db, reviewIds),
  ]);
  return { requests, questions, assignments };
}

async function loadQueues(ctx: AppContext, reviewIds: readonly number[]): Promise<Queues> {
  const [evidence, waiting, assuranceDates] = await Promise.all([
    listEvidenceOfReviews(ctx.db, reviewIds),
    loadWaitingOn(ctx.db, reviewIds),
    listAssuranceDatesOfReviews(ctx.db, reviewIds),
  ]);
  return { evidence, ...waiting, assuranceDates };
}

/** A review's plan, as the rules of My work read it. */
async function workReviewOf(ctx: AppContext, actor: Actor, reviewId: number, queues: Queues) {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const { review, state, analysis, options } = plan;
  const received = review.report_received ?? review.report_published;
  const awaitingDecisionSince = new Map<number, string>();
  for (const [id, status] of analysis.actionStatus) {
    if (status.awaitingDecisionSince) awaitingDecisionSince.set(id, status.awaitingDecisionSince);
  }
  const assuranceDates = new Map(queues.assuranceDates.filter((a) => a.review_id === reviewId).map((a) => [a.id, a]));
  const labelOf = (actionId: number) => analysis.actionStatus.get(actionId)?.label ?? `Action ${actionId}`;
  const recommendationNumber = new Map(state.recommendations.map((r) => [r.id, r.number]));
  const work: WorkReview = {
    reviewId,
    today: options.today,
    scale: review.rating_scale,
    staleDays: options.staleDays,
    actions: state.actions.map((a) => {
      const status = analysis.actionStatus.get(a.id);
      const current = currentRating(historyOfAction(a));
      const dates = assuranceDates.get(a.id);
      return {
        id: a.id,
        label: labelOf(a.id),
        organisationIds: a.organisationIds,
        dueDate: a.due_date,
        complete: status?.rating ? isComplete(review.rating_scale, status.rating) : false,
        dueDateChanges: a.dueDateChanges ?? [],
        lastProgressOn: a.lastProgressOn,
        leadUserId: dates?.lead_user_id ?? null,
        agreed: current.agreed,
        agreedAt: current.agreedAt,
        reassuranceDueOn: dates?.reassurance_due_on ?? null,
        acceptedEvidenceDates: a.acceptedEvidenceDates,
      };
    }),
    requests: queues.requests
      .filter((r) => r.review_id === reviewId)
      .map((r) => ({
        id: r.id,
        actionId: r.action_id,
        text: r.text,
        ownerUserId: r.owner_user_id,
        dueOn: r.due_on,
        madeAt: r.created_at,
        status: r.status,
        meeting: { forum: r.forum, startsAt: r.starts_at },
      })),
    questions: queues.questions
      .filter((q) => q.review_id === reviewId)
      .map((q) => {
        const recommendation = q.recommendation_id === null ? undefined : recommendationNumber.get(q.recommendation_id);
        return {
          id: q.id,
          about:
            q.action_id !== null
              ? labelOf(q.action_id)
              : recommendation !== undefined
                ? `Recommendation ${recommendation}`
                : 'The review',
          text: q.text,
          askedBy: q.asked_by,
          forum: q.forum,
          askedOn: q.asked_on,
          organisationId: q.organisation_id,
          responseStatus: q.response_status,
          responseAt: q.response_at,
        };
      }),
    assignments: queues.assignments.filter((a) => a.reviewId === reviewId),
    exceptions: analysis.exceptions,
    evidence: queues.evidence
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

/** The reviews a person has a role in, in order. */
function reviewIdsOf(actor: Actor): number[] {
  return [...new Set(actor.memberships.map((m) => m.reviewId))].sort((a, b) => a - b);
}

export async function getMyWork(ctx: AppContext, actor: Actor): Promise<MyWork> {
  const reviewIds = reviewIdsOf(actor);
  // Read before the work is built: a change made meanwhile gives a new signature, never a stale count.
  const signatures = await reviewSignatures(ctx, reviewIds);
  const work = await buildMyWork(ctx, actor, reviewIds);
  rememberCounts(ctx, actor, signatures, work);
  return work;
}

async function buildMyWork(ctx: AppContext, actor: Actor, reviewIds: number[]): Promise<MyWork> {
  const queues = await loadQueues(ctx, reviewIds);
  const reviews: MyWorkReview[] = [];
  for (const reviewId of reviewIds) {
    const { review, options, work } = await workReviewOf(ctx, actor, reviewId, queues);
    const items = workFor(work, {
      userId: actor.userId,
      editorOf: editableOrganisations(actor, reviewId),
      assures: canAssure(actor, reviewId),
      coordinates: canCoordinate(actor, reviewId),
    });
    reviews.push({ id: reviewId, title: review.title, area: review.area, asOf: options.today, items });
  }
  return { reviews, count: reviews.reduce((n, r) => n + r.items.length, 0) };
}

/*
 * The count in the header of every signed-in page. Building My work analyses each of the
 * person's reviews (the analysis itself is cached by plan revision). The count is kept per
 * person and review under a signature of everything it depends on: the review's plan revision
 * (bumped by the database on every change to its plan, evidence and memberships) and settings,
 * the day and the stale window; and the person's roles. While none of these change, a page costs
 * one small query by primary key; after a change, only the review that changed is worked out
 * again. Measured in docs/performance.md.
 */

/** People whose counts each instance keeps: a few hundred bytes each. */
const COUNT_CACHE_SIZE = 5000;

interface CachedCounts {
  roles: string;
  /** By review: the signature it was counted under, and the count. */
  reviews: Map<number, { signature: string; count: number }>;
}

/** The counts of the people seen most recently; the oldest is dropped when it is full. */
class CountCache {
  readonly #entries = new Map<number, CachedCounts>();

  get(userId: number): CachedCounts | undefined {
    const value = this.#entries.get(userId);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.#entries.delete(userId);
      this.#entries.set(userId, value);
    }
    return value;
  }

  set(userId: number, value: CachedCounts): void {
    this.#entries.delete(userId);
    this.#entries.set(userId, value);
    if (this.#entries.size > COUNT_CACHE_SIZE) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }
}

// One cache per app (per database handle), so tests and instances never share counts.
const countCaches = new WeakMap<object, CountCache>();

function countCacheOf(ctx: AppContext): CountCache {
  let cache = countCaches.get(ctx.db);
  if (!cache) {
    cache = new CountCache();
    countCaches.set(ctx.db, cache);
  }
  return cache;
}

function rolesOf(actor: Actor): string {
  return actor.memberships
    .map((m) => `${m.reviewId}/${m.role}/${m.organisationId}`)
    .sort()
    .join(',');
}

/** Each review's signature, by id; a review that no longer exists has none. */
async function reviewSignatures(ctx: AppContext, reviewIds: number[]): Promise<Map<number, string>> {
  const rows = await listReviewRevisions(ctx.db, reviewIds);
  const day = ctx.today();
  return new Map(rows.map((r) => [r.id, JSON.stringify([day, ctx.staleDays, r])]));
}

/** This person's cached counts, emptied when their roles changed. */
function cachedCounts(ctx: AppContext, actor: Actor): CachedCounts {
  const roles = rolesOf(actor);
  const cache = countCacheOf(ctx);
  let cached = cache.get(actor.userId);
  if (cached?.roles !== roles) {
    cached = { roles, reviews: new Map() };
    cache.set(actor.userId, cached);
  }
  return cached;
}

function rememberCounts(ctx: AppContext, actor: Actor, signatures: Map<number, string>, work: MyWork): void {
  const cached = cachedCounts(ctx, actor);
  for (const r of work.reviews) {
    const signature = signatures.get(r.id);
    if (signature !== undefined) cached.reviews.set(r.id, { signature, count: r.items.length });
  }
}

/**
 * How many My work items the person has: in all their reviews, or in one. Cheap: see above.
 * A review they have no role in counts 0.
 */
export async function countMyWork(ctx: AppContext, actor: Actor, reviewId?: number): Promise<number> {
  const all = reviewIdsOf(actor);
  const reviewIds = reviewId === undefined ? all : all.filter((id) => id === reviewId);
  if (reviewIds.length === 0) return 0;
  const signatures = await reviewSignatures(ctx, reviewIds);
  const cached = cachedCounts(ctx, actor);
  const changed = [...signatures].filter(([id, signature]) => cached.reviews.get(id)?.signature !== signature);
  if (changed.length > 0) {
    rememberCounts(
      ctx,
      actor,
      signatures,
      await buildMyWork(
        ctx,
        actor,
        changed.map(([id]) => id),
      ),
    );
  }
  let total = 0;
  for (const id of signatures.keys()) total += cached.reviews.get(id)?.count ?? 0;
  return total;
}

/**
 * Everything this person's My work depends on, as one string: their roles and each of their
 * reviews' signature (see above). Two requests with the same key would show the same page, so
 * the page is kept under it and built again only after a change. One small query.
 */
export async function myWorkKey(ctx: AppContext, actor: Actor): Promise<string> {
  const signatures = await reviewSignatures(ctx, reviewIdsOf(actor));
  const key = JSON.stringify([actor.userId, rolesOf(actor), [...signatures]]);
  return `my-work:${createHash('sha256').update(key).digest('base64url')}`;
}

/** A review's chase list, for its coordinators: each organisation's actions overdue or without recent progress. */
export async function getChaseList(ctx: AppContext, actor: Actor, reviewId: number) {
  const { review, options, work } = await workReviewOf(ctx, actor, reviewId, NO_QUEUES);
  if (!canCoordinate(actor, reviewId)) throw new ForbiddenError('Only the plan’s coordinators can see its chase list.');
  return { review, asOf: options.today, lines: chaseList(work) };
}
