import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { addDays } from '../../domain/dates.ts';
import { canReadReviewAudit, type Actor } from '../../domain/permissions.ts';
import { getReview, getReviewPlan, type ReviewPlan, type ReviewsContext } from '../reviews/reviews.service.ts';
import { startOfLondonDay } from './london-time.ts';
import type { TrailFilter } from './audit.forms.ts';
import {
  countReviewEvents,
  countReviewEventsUpTo,
  findActionInReview,
  listActionEvents,
  listReviewEvents,
  listReviewEventsAfter,
  listTrailOrganisations,
  listTrailPeople,
  listTrailValues,
  numbersOf,
  type AuditEventRow,
  type TrailFilters,
  type TrailKey,
} from './audit.repository.ts';

export type { TrailKey } from './audit.repository.ts';

export const TRAIL_PAGE_SIZE = 50;

/** One action's whole trail. Anyone who can read the review can read the history of its actions. */
export async function getActionHistory(ctx: ReviewsContext, actor: Actor, reviewId: number, actionId: number) {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const action = await findActionInReview(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  const events = await listActionEvents(ctx.db, actionId);
  const label =
    plan.analysis.actionStatus.get(actionId)?.label ??
    `Archived action of recommendation ${action.recommendation_number}`;
  return {
    review: plan.review,
    action: {
      id: action.id,
      label,
      archived: action.archived_at !== null,
      recommendationNumber: action.recommendation_number,
    },
    events,
  };
}

export type ActionHistory = Awaited<ReturnType<typeof getActionHistory>>;

/* The review's trail, filtered and paginated. */

/** The events a filter selects. Days are England's days: an event at 11:30pm BST on 1 July is on 1 July. */
function eventFilters(filter: TrailFilter): TrailFilters {
  const filters: TrailFilters = {};
  if (filter.person !== null) filters.userId = filter.person;
  if (filter.organisation !== null) filters.organisationId = filter.organisation;
  if (filter.type !== null) filters.entityType = filter.type;
  if (filter.action !== null) filters.action = filter.action;
  if (filter.from !== null) filters.fromInstant = startOfLondonDay(filter.from);
  if (filter.to !== null) filters.beforeInstant = startOfLondonDay(addDays(filter.to, 1));
  return filters;
}

export interface TrailChoices {
  people: { id: number; name: string }[];
  organisations: { id: number; name: string }[];
  entityTypes: string[];
  actions: string[];
}

export interface TrailResults {
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  events: AuditEventRow[];
  /** Where the next page starts, when paging by cursor and there is one. */
  next: TrailKey | null;
  recommendations: Map<number, { number: string; archived: boolean }>;
  findings: Map<number, { number: string; archived: boolean }>;
}

export interface ReviewTrail {
  plan: ReviewPlan;
  choices: TrailChoices;
  /** Null when the filters had problems: nothing is listed until they are put right. */
  results: TrailResults | null;
}

/**
 * The review's audit trail: for its coordinators and system administrators only. Other
 * members get "forbidden"; to everyone else the review does not exist. A null filter (one the
 * form refused) lists nothing, but the form's choices are still given.
 */
export async function getReviewTrail(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  filter: TrailFilter | null,
  byCursor?: { limit: number; after: TrailKey | null },
): Promise<ReviewTrail> {
  const review = await getReview(ctx, actor, reviewId);
  if (!canReadReviewAudit(actor, review.id)) {
    throw new ForbiddenError("Only the review's coordinators and system administrators can read its audit trail.");
  }
  const [plan, people, organisations, entityTypes, actions] = await Promise.all([
    getReviewPlan(ctx, actor, reviewId),
    listTrailPeople(ctx.db, reviewId),
    listTrailOrganisations(ctx.db, reviewId),
    listTrailValues(ctx.db, reviewId, 'entity_type'),
    listTrailValues(ctx.db, reviewId, 'action'),
  ]);
  const choices = { people, organisations, entityTypes, actions };
  if (!filter) return { plan, choices, results: null };

  const filters = eventFilters(filter);
  const total = await countReviewEvents(ctx.db, reviewId, filters);
  const pageSize = byCursor?.limit ?? TRAIL_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  let page: number;
  let events: AuditEventRow[];
  let next: TrailKey | null = null;
  if (byCursor) {
    const listed = byCursor.after ? await countReviewEventsUpTo(ctx.db, reviewId, filters, byCursor.after) : 0;
    page = Math.min(Math.floor(listed / pageSize) + 1, pages);
    // One more than the page shows, to know whether another page follows.
    const found = await listReviewEventsAfter(ctx.db, reviewId, filters, { ...byCursor, limit: pageSize + 1 });
    events = found.slice(0, pageSize);
    const last = events.at(-1);
    if (found.length > pageSize && last) next = { at: last.at, id: last.id };
  } else {
    page = Math.min(filter.page, pages);
    events = await listReviewEvents(ctx.db, reviewId, filters, { limit: pageSize, offset: (page - 1) * pageSize });
  }
  const idsOf = (kind: string) => [
    ...new Set(
      events.filter((e) => e.entity_type === kind && /^\d{1,10}$/.test(e.entity_id)).map((e) => Number(e.entity_id)),
    ),
  ];
  const [recommendations, findings] = await Promise.all([
    numbersOf(ctx.db, reviewId, 'recommendations', idsOf('recommendation')),
    numbersOf(ctx.db, reviewId, 'findings', idsOf('finding')),
  ]);
  return { plan, choices, results: { total, page, pages, pageSize, events, next, recommendations, findings } };
}
