import type { MemberRole, RatingScaleValue } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import type { OrganisationOption } from './plan-edits.repository.ts';

/* Queries behind creating a review by hand and changing its details.
   Functions take the database or the transaction first. */

export async function listAllOrganisations(db: Db): Promise<OrganisationOption[]> {
  return db.selectFrom('organisations').select(['id', 'name', 'short_name']).orderBy('name').execute();
}

export async function findReviewRow(db: Db, reviewId: number) {
  return db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirst();
}

export interface ReviewValues {
  title: string;
  area: string;
  review_start: string | null;
  review_end: string | null;
  report_published: string | null;
  report_received: string | null;
  lead_organisation_id: number | null;
  rating_scale: RatingScaleValue;
  assignment_days: number | null;
}

export async function insertReview(trx: Trx, values: ReviewValues, now: string): Promise<number> {
  const row = await trx
    .insertInto('reviews')
    .values({
      ...values,
      source_key: null,
      type: 'CLAS',
      inspectors: '[]',
      cqc_region: null,
      nhs_england_area: null,
      children_cases: null,
      plan_issued: null,
      stale_days: null,
      assessed_as_of: null,
      is_demo: 0,
      illustrative_notice: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateReviewAtVersion(
  trx: Trx,
  reviewId: number,
  version: number,
  values: ReviewValues,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('reviews')
    .set({ ...values, updated_at: now, version: version + 1 })
    .where('id', '=', reviewId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listReviewOrganisationIds(db: Db, reviewId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('review_organisations')
    .select('organisation_id')
    .where('review_id', '=', reviewId)
    .execute();
  return rows.map((r) => r.organisation_id).sort((a, b) => a - b);
}

export async function replaceReviewOrganisations(
  trx: Trx,
  reviewId: number,
  from: readonly number[],
  to: readonly number[],
): Promise<void> {
  const gone = from.filter((id) => !to.includes(id));
  const added = to.filter((id) => !from.includes(id));
  if (gone.length)
    await trx
      .deleteFrom('review_organisations')
      .where('review_id', '=', reviewId)
      .where('organisation_id', 'in', gone)
      .execute();
  if (added.length)
    await trx
      .insertInto('review_organisations')
      .values(added.map((id) => ({ review_id: reviewId, organisation_id: id })))
      .execute();
}

/** Of the given organisations, those the review's recommendation groups or actions name. */
export async function organisationsInUse(
  db: Db,
  reviewId: number,
  organisationIds: readonly number[],
): Promise<number[]> {
  if (organisationIds.length === 0) return [];
  const [groups, actions] = await Promise.all([
    db
      .selectFrom('recommendation_group_organisations as go')
      .innerJoin('recommendation_groups as g', 'g.id', 'go.group_id')
      .select('go.organisation_id')
      .where('g.review_id', '=', reviewId)
      .where('go.organisation_id', 'in', [...organisationIds])
      .execute(),
    db
      .selectFrom('action_organisations as ao')
      .innerJoin('actions as a', 'a.id', 'ao.action_id')
      .select('ao.organisation_id')
      .where('a.review_id', '=', reviewId)
      .where('ao.organisation_id', 'in', [...organisationIds])
      .execute(),
  ]);
  return [...new Set([...groups, ...actions].map((r) => r.organisation_id))];
}

export async function hasBlueRatings(db: Db, reviewId: number): Promise<boolean> {
  const row = await db
    .selectFrom('rating_events')
    .select('id')
    .where('review_id', '=', reviewId)
    .where('rating', '=', 'blue')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMembership(
  trx: Trx,
  m: { userId: number; reviewId: number; organisationId: number; role: MemberRole },
  now: string,
): Promise<number> {
  const row = await trx
    .insertInto('memberships')
    .values({
      user_id: m.userId,
      review_id: m.reviewId,
      organisation_id: m.organisationId,
      role: m.role,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
