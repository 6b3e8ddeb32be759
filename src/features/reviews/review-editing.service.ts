import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readDateInput, readText, readVersion } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCreateReview, type Actor } from '../../domain/permissions.ts';
import type { RatingScaleValue, ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from './reviews.service.ts';
import {
  auditActor,
  fieldsFromSnapshot,
  invalid,
  readId,
  readIds,
  requireCoordinator,
  showDate,
  updateWithVersion,
  type FieldSpec,
  type Fields,
  type OrganisationOption,
  type SaveOutcome,
} from './plan-edits.service.ts';
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

export const DEFAULT_TITLE_START = 'Review of health services for Children Looked After and Safeguarding in';
export const REVIEW_DATE_FIELDS = ['reviewStart', 'reviewEnd', 'reportPublished', 'reportReceived'] as const;

export type ReviewSnapshot = {
  title: string;
  area: string;
  reviewStart: string | null;
  reviewEnd: string | null;
  reportPublished: string | null;
  reportReceived: string | null;
  leadOrganisationId: number | null;
  organisationIds: number[];
  ratingScale: RatingScaleValue;
};

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
  };
}

function valuesOf(s: ReviewSnapshot): ReviewValues {
  return {
    title: s.title,
    area: s.area,
    review_start: s.reviewStart,
    review_end: s.reviewEnd,
    report_published: s.reportPublished,
    report_received: s.reportReceived,
    lead_organisation_id: s.leadOrganisationId,
    rating_scale: s.ratingScale,
  };
}

/** Checks a review form. The lead organisation is always among those covered. */
function readReview(
  body: unknown,
  organisations: readonly OrganisationOption[],
): { values: ReviewSnapshot; errors: FormErrors } {
  const errors = new FormErrors();
  const typedTitle = readText(body, 'title', errors, { max: 300, label: 'The title' });
  const area = readText(body, 'area', errors, {
    required: 'Enter the area the review covered, for example Rotherham',
    max: 100,
    label: 'The area',
  });
  const start = readDateInput(body, 'reviewStart', 'the review started', errors);
  const end = readDateInput(body, 'reviewEnd', 'the review ended', errors);
  if (start.iso && end.iso && end.iso < start.iso)
    errors.add('reviewEnd', 'The date the review ended must be the same as or after the date it started');
  const published = readDateInput(body, 'reportPublished', 'the report was published', errors);
  const received = readDateInput(body, 'reportReceived', 'the report was received', errors, { required: false });
  const known = new Set(organisations.map((o) => o.id));
  const lead = readId(body, 'leadOrganisationId');
  if (lead === null || !known.has(lead)) errors.add('leadOrganisationId', 'Select the lead organisation');
  const covered = readIds(body, 'organisationIds');
  if (covered.bad || covered.ids.some((id) => !known.has(id)))
    errors.add('organisationIds', 'Select organisations from the list');
  const organisationIds =
    lead !== null && known.has(lead) && !covered.ids.includes(lead)
      ? [...covered.ids, lead].sort((a, b) => a - b)
      : covered.ids;
  if (organisationIds.length === 0) errors.add('organisationIds', 'Select at least one organisation');
  const scale = formText(body, 'ratingScale');
  if (scale !== 'BRAG' && scale !== 'RAG') errors.add('ratingScale', 'Select a rating scale');
  return {
    errors,
    values: {
      title: typedTitle || (area ? `${DEFAULT_TITLE_START} ${area}` : ''),
      area,
      reviewStart: start.iso,
      reviewEnd: end.iso,
      reportPublished: published.iso,
      reportReceived: received.iso,
      leadOrganisationId: lead,
      organisationIds,
      ratingScale: scale === 'RAG' ? 'RAG' : 'BRAG',
    },
  };
}

export interface ReviewForm {
  organisations: OrganisationOption[];
  fields: Fields;
  version: number | null;
  review: ReviewRow | null;
}

export async function newReviewForm(ctx: ReviewsContext, actor: Actor): Promise<ReviewForm> {
  if (!canCreateReview(actor))
    throw new ForbiddenError('Only administrators and review coordinators can create a review.');
  return {
    organisations: await listAllOrganisations(ctx.db),
    fields: { ratingScale: 'BRAG' },
    version: null,
    review: null,
  };
}

export async function createReview(
  ctx: ReviewsContext,
  actor: Actor,
  body: unknown,
): Promise<SaveOutcome<{ reviewId: number } & ReviewSnapshot>> {
  if (!canCreateReview(actor))
    throw new ForbiddenError('Only administrators and review coordinators can create a review.');
  const { values, errors } = readReview(body, await listAllOrganisations(ctx.db));
  if (errors.any || values.leadOrganisationId === null) return invalid(errors);
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
  return { ok: true, saved: { reviewId, ...values } };
}

export async function editReviewForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const [organisations, covered] = await Promise.all([
    listAllOrganisations(ctx.db),
    listReviewOrganisationIds(ctx.db, reviewId),
  ]);
  return {
    organisations,
    review,
    version: review.version,
    fields: fieldsFromSnapshot(snapshotOf(review, covered), REVIEW_DATE_FIELDS),
  };
}

export async function updateReview(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  body: unknown,
): Promise<SaveOutcome<{ version: number } & ReviewSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const organisations = await listAllOrganisations(ctx.db);
  const { values, errors } = readReview(body, organisations);
  const before = await listReviewOrganisationIds(ctx.db, reviewId);
  const removed = before.filter((id) => !values.organisationIds.includes(id));
  for (const id of await organisationsInUse(ctx.db, reviewId, removed)) {
    const name = organisations.find((o) => o.id === id)?.name ?? `Organisation ${id}`;
    errors.add('organisationIds', `${name} cannot be removed: recommendation groups or actions of this plan name it`);
  }
  if (values.ratingScale === 'RAG' && (await hasBlueRatings(ctx.db, reviewId))) {
    errors.add('ratingScale', 'The rating scale cannot be RAG while actions of this plan have Blue ratings');
  }
  const outcome = await updateWithVersion(ctx, {
    actor,
    subject: { entityType: 'review', entityId: reviewId, what: 'review', reviewId },
    openedVersion: readVersion(body),
    errors,
    yours: values,
    fields: reviewFields(organisations),
    async load(db) {
      const [review, covered] = await Promise.all([
        findReviewRow(db, reviewId),
        listReviewOrganisationIds(db, reviewId),
      ]);
      return review && { version: review.version, snapshot: snapshotOf(review, covered) };
    },
    async write(trx, version, old, now) {
      if (!(await updateReviewAtVersion(trx, reviewId, version, valuesOf(values), now.toISOString()))) return false;
      await replaceReviewOrganisations(trx, reviewId, old.organisationIds, values.organisationIds);
      return true;
    },
  });
  return outcome.ok ? { ok: true, saved: { ...values, version: outcome.saved.version } } : outcome;
}
