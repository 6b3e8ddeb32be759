import { ForbiddenError } from '../../platform/auth/plugin.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCreateReview, type Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import { DEFAULT_ASSIGNMENT_DAYS } from '../../domain/exceptions.ts';
import type { ReviewsContext } from './reviews.service.ts';
import {
  auditActor,
  requireCoordinator,
  saveVersioned,
  showDate,
  versionRule,
  type FieldSpec,
  type OrganisationOption,
  type Versioned,
} from './plan-edits.service.ts';
import {
  BLUE_RATINGS_MESSAGE,
  inUseMessage,
  type ReviewCommand,
  type ReviewRules,
  type ReviewSnapshot,
} from './reviews.forms.ts';
import {
  findReviewRow,
  hasBlueRatings,
  insertMembership,
  insertReview,
  listAllOrganisations,
  listReviewOrganisationIds,
  organisationsInUse,
  replaceReviewOrganisations,
  updateReviewAtVersion,
  type ReviewValues,
} from './review-editing.repository.ts';

/* Creating a review by hand, and changing its details. */

function reviewFields(organisations: readonly OrganisationOption[]): FieldSpec[] {
  const name = (id: unknown) => organisations.find((o) => o.id === id)?.name ?? `Organisation ${String(id)}`;
  return [
    { key: 'title', label: 'Title' },
    { key: 'area', label: 'Area' },
    { key: 'reviewStart', label: 'Review started', show: showDate },
    { key: 'reviewEnd', label: 'Review ended', show: showDate },
    { key: 'reportPublished', label: 'Report published', show: showDate },
    { key: 'reportReceived', label: 'Report received', show: showDate },
    { key: 'leadOrganisationId', label: 'Lead organisation', show: (v) => (v === null ? 'Not given' : name(v)) },
    {
      key: 'organisationIds',
      label: 'Organisations covered',
      show: (v) => (Array.isArray(v) && v.length ? v.map(name).join('; ') : 'None'),
    },
    { key: 'ratingScale', label: 'Rating scale' },
    {
      key: 'assignmentDays',
      label: 'Days an assignment may go unanswered',
      show: (v) => (typeof v === 'number' ? String(v) : `Not set (${DEFAULT_ASSIGNMENT_DAYS})`),
    },
  ];
}

function snapshotOf(review: ReviewRow, organisationIds: number[]): ReviewSnapshot {
  return {
    title: review.title,
    area: review.area,
    reviewStart: review.review_start,
    reviewEnd: review.review_end,
    reportPublished: review.report_published,
    reportReceived: review.report_received,
    leadOrganisationId: review.lead_organisation_id,
    organisationIds,
    ratingScale: review.rating_scale,
    assignmentDays: review.assignment_days,
  };
}

/** A review's details as the form gives them: everything but the version it was opened at. */
type ReviewValuesIn = Omit<ReviewCommand, 'version'>;

function valuesOf(s: ReviewValuesIn): ReviewValues {
  return {
    title: s.title,
    area: s.area,
    review_start: s.reviewStart,
    review_end: s.reviewEnd,
    report_published: s.reportPublished,
    report_received: s.reportReceived,
    lead_organisation_id: s.leadOrganisationId,
    rating_scale: s.ratingScale,
    assignment_days: s.assignmentDays,
  };
}

function requireCreator(actor: Actor): void {
  if (!canCreateReview(actor))
    throw new ForbiddenError('Only administrators and review coordinators can create a review.');
}

/** The names of the organisations covered now, and not in `kept`, that the plan's groups or actions name. */
async function organisationsStillNamed(
  db: Db,
  reviewId: number,
  kept: readonly number[],
  organisations: readonly OrganisationOption[],
): Promise<string[]> {
  const removed = (await listReviewOrganisationIds(db, reviewId)).filter((id) => !kept.includes(id));
  return (await organisationsInUse(db, reviewId, removed)).map(
    (id) => organisations.find((o) => o.id === id)?.name ?? `Organisation ${id}`,
  );
}

/** A review's details under the stale-edit rule. */
function versioned(reviewId: number, organisations: readonly OrganisationOption[]) {
  return {
    subject: { entityType: 'review', entityId: reviewId, what: 'review', reviewId },
    fields: reviewFields(organisations),
    async load(db: Db) {
      const [review, covered] = await Promise.all([
        findReviewRow(db, reviewId),
        listReviewOrganisationIds(db, reviewId),
      ]);
      return review && { version: review.version, snapshot: snapshotOf(review, covered) };
    },
  } satisfies Versioned<ReviewSnapshot>;
}

/**
 * What a review form is checked against: every organisation, and when changing a review (which
 * this person must coordinate) what its plan rules out and its version. Creating one needs the
 * right to create reviews.
 */
export async function reviewRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number | null = null,
): Promise<ReviewRules> {
  if (reviewId === null) requireCreator(actor);
  else await requireCoordinator(ctx, actor, reviewId);
  const organisations = await listAllOrganisations(ctx.db);
  const organisationIds = organisations.map((o) => o.id);
  if (reviewId === null) return { organisationIds };
  return {
    organisationIds,
    edit: {
      inUse: (kept) => organisationsStillNamed(ctx.db, reviewId, kept, organisations),
      hasBlueRatings: () => hasBlueRatings(ctx.db, reviewId),
      version: versionRule(ctx.db, versioned(reviewId, organisations)),
    },
  };
}

export interface ReviewForm {
  organisations: OrganisationOption[];
  /** The review's details saved now, or a new review's defaults. */
  values: Partial<ReviewSnapshot>;
  version: number | null;
  review: ReviewRow | null;
}

export async function newReviewForm(ctx: ReviewsContext, actor: Actor): Promise<ReviewForm> {
  requireCreator(actor);
  return {
    organisations: await listAllOrganisations(ctx.db),
    values: { ratingScale: 'BRAG' },
    version: null,
    review: null,
  };
}

export type SavedReview = { id: number; version: number } & ReviewValuesIn;

export async function createReview(ctx: ReviewsContext, actor: Actor, command: ReviewCommand): Promise<SavedReview> {
  requireCreator(actor);
  const { version: _opened, ...values } = command;
  const lead = values.leadOrganisationId;
  const time = ctx.now();
  const now = time.toISOString();
  const reviewId = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertReview(trx, valuesOf(values), now);
    await replaceReviewOrganisations(trx, id, [], values.organisationIds);
    // Whoever creates a review coordinates it for the lead organisation, so it has a first coordinator.
    const membershipId = await insertMembership(
      trx,
      { userId: actor.userId, reviewId: id, organisationId: lead, role: 'coordinator' },
      now,
    );
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId: id,
        entityType: 'review',
        entityId: id,
        action: 'created',
        after: { ...values, version: 1 },
      },
      time,
    );
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId: id,
        organisationId: lead,
        entityType: 'membership',
        entityId: membershipId,
        action: 'created',
        after: { userId: actor.userId, organisationId: lead, role: 'coordinator' },
      },
      time,
    );
    return id;
  });
  return { id: reviewId, version: 1, ...values };
}

export async function editReviewForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const [organisations, covered] = await Promise.all([
    listAllOrganisations(ctx.db),
    listReviewOrganisationIds(ctx.db, reviewId),
  ]);
  return { organisations, review, version: review.version, values: snapshotOf(review, covered) };
}

/** Refuses what the plan came to rule out after the form was checked: a removed organisation named, Blue ratings. */
async function recheckPlan(
  trx: Trx,
  reviewId: number,
  values: ReviewValuesIn,
  organisations: readonly OrganisationOption[],
): Promise<void> {
  const [inUse] = await organisationsStillNamed(trx, reviewId, values.organisationIds, organisations);
  if (inUse) throw FormInvalid.of('organisationIds', inUseMessage(inUse));
  if (values.ratingScale === 'RAG' && (await hasBlueRatings(trx, reviewId))) {
    throw FormInvalid.of('ratingScale', BLUE_RATINGS_MESSAGE);
  }
}

export async function updateReview(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  command: ReviewCommand,
): Promise<SavedReview> {
  await requireCoordinator(ctx, actor, reviewId);
  const organisations = await listAllOrganisations(ctx.db);
  const { version: opened, ...values } = command;
  const saved = await saveVersioned(ctx, {
    ...versioned(reviewId, organisations),
    actor,
    openedVersion: opened,
    yours: values,
    recheck: (trx) => recheckPlan(trx, reviewId, values, organisations),
    async write(trx, version, old, now) {
      if (!(await updateReviewAtVersion(trx, reviewId, version, valuesOf(values), now.toISOString()))) return false;
      await replaceReviewOrganisations(trx, reviewId, old.organisationIds, values.organisationIds);
      return true;
    },
  });
  return { id: reviewId, ...values, version: saved.version };
}
