import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readDateInput, type DateInputValue } from '../../platform/forms.ts';
import { addDays, parseIsoDate } from '../../domain/dates.ts';
import { canReadReviewAudit, type Actor } from '../../domain/permissions.ts';
import { getReview, getReviewPlan, type ReviewPlan, type ReviewsContext } from '../reviews/reviews.service.ts';
import { startOfLondonDay } from './london-time.ts';
import {
  countReviewEvents,
  findActionInReview,
  listActionEvents,
  listReviewEvents,
  listTrailOrganisations,
  listTrailPeople,
  listTrailValues,
  numbersOf,
  type AuditEventRow,
  type TrailFilters,
} from './audit.repository.ts';

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

/** The filter form as typed, to put back in its fields and to carry into the page links. */
export interface TrailForm {
  person: string;
  organisation: string;
  type: string;
  action: string;
  from: DateInputValue;
  to: DateInputValue;
}

export interface TrailQuery {
  form: TrailForm;
  errors: FormErrors;
  filters: TrailFilters;
  page: number;
}

function readId(query: unknown, name: string, errors: FormErrors, message: string): { raw: string; id?: number } {
  const raw = formText(query, name).trim();
  if (raw === '') return { raw };
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2147483647) {
    errors.add(name, message);
    return { raw };
  }
  return { raw, id: Number(raw) };
}

function readChoice(query: unknown, name: string, errors: FormErrors, message: string): string {
  const raw = formText(query, name).trim();
  if (raw.length > 200) errors.add(name, message);
  return raw;
}

/**
 * A date given either as the form's three boxes (from-day, from-month, from-year) or, for scripts, as
 * from=YYYY-MM-DD.
 */
function readDate(query: unknown, name: string, what: string, errors: FormErrors): DateInputValue {
  const iso = formText(query, name).trim();
  if (iso !== '') {
    if (parseIsoDate(iso)) {
      const [year = '', month = '', day = ''] = iso.split('-');
      return { iso, day: String(Number(day)), month: String(Number(month)), year };
    }
    errors.add(name, `The date ${what} must be a real date, for example 2027-03-31`);
    return { iso: null, day: '', month: '', year: '' };
  }
  return readDateInput(query, name, what, errors, { required: false });
}

/** Reads and checks the filters of a trail request (the query string of the GET form or of the API). */
export function readTrailQuery(query: unknown): TrailQuery {
  const errors = new FormErrors();
  const person = readId(query, 'person', errors, 'Select a person from the list');
  const organisation = readId(query, 'organisation', errors, 'Select an organisation from the list');
  const type = readChoice(query, 'type', errors, 'Select a kind of record from the list');
  const action = readChoice(query, 'action', errors, 'Select what happened from the list');
  const from = readDate(query, 'from', 'to show from', errors);
  const to = readDate(query, 'to', 'to show up to', errors);
  if (from.iso && to.iso && to.iso < from.iso) {
    errors.add('to', 'The date to show up to must be the same as or after the date to show from');
  }
  const pageText = formText(query, 'page').trim();
  const page = /^[1-9]\d{0,6}$/.test(pageText) ? Number(pageText) : 1;
  const filters: TrailFilters = {};
  if (person.id !== undefined) filters.userId = person.id;
  if (organisation.id !== undefined) filters.organisationId = organisation.id;
  if (type !== '') filters.entityType = type;
  if (action !== '') filters.action = action;
  // Days are England's days: an event at 11:30pm BST on 1 July is on 1 July.
  if (from.iso) filters.fromInstant = startOfLondonDay(from.iso);
  if (to.iso) filters.beforeInstant = startOfLondonDay(addDays(to.iso, 1));
  return {
    form: { person: person.raw, organisation: organisation.raw, type, action, from, to },
    errors,
    filters,
    page,
  };
}

export interface TrailChoices {
  people: { id: number; name: string }[];
  organisations: { id: number; name: string }[];
  entityTypes: string[];
  actions: string[];
}

export interface ReviewTrail {
  plan: ReviewPlan;
  choices: TrailChoices;
  /** Null when the filters had errors: nothing is listed until they are put right. */
  results: {
    total: number;
    page: number;
    pages: number;
    events: AuditEventRow[];
    recommendations: Map<number, { number: string; archived: boolean }>;
    findings: Map<number, { number: string; archived: boolean }>;
  } | null;
}

/**
 * The review's audit trail: for its coordinators and system administrators only. Other
 * members get "forbidden"; to everyone else the review does not exist.
 */
export async function getReviewTrail(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  query: TrailQuery,
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
  if (query.errors.any) return { plan, choices, results: null };

  const total = await countReviewEvents(ctx.db, reviewId, query.filters);
  const pages = Math.max(1, Math.ceil(total / TRAIL_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const events = await listReviewEvents(ctx.db, reviewId, query.filters, {
    limit: TRAIL_PAGE_SIZE,
    offset: (page - 1) * TRAIL_PAGE_SIZE,
  });
  const idsOf = (kind: string) => [
    ...new Set(
      events.filter((e) => e.entity_type === kind && /^\d{1,10}$/.test(e.entity_id)).map((e) => Number(e.entity_id)),
    ),
  ];
  const [recommendations, findings] = await Promise.all([
    numbersOf(ctx.db, reviewId, 'recommendations', idsOf('recommendation')),
    numbersOf(ctx.db, reviewId, 'findings', idsOf('finding')),
  ]);
  return { plan, choices, results: { total, page, pages, events, recommendations, findings } };
}
