import type { Db } from '../../platform/db/database.ts';
import { revertedImports } from './import-revert.repository.ts';

/* What the plan import reads of the review it lays a plan over, and the changes it makes to what is there. */

/** The review's plan as the plan import matches against it: numbers, texts and which progress is there. */
export async function loadPlanForImport(db: Db, reviewId: number) {
  const [review, groups, recs, findings, links, actions, progress, organisations, mappings] = await Promise.all([
    db
      .selectFrom('reviews')
      .select(['area', 'rating_scale', 'review_start', 'report_published'])
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('recommendation_groups')
      .select(['id', 'number', 'archived_at'])
      .where('review_id', '=', reviewId)
      .execute(),
    db
      .selectFrom('recommendations')
      .select([
        'id',
        'number',
        'archived_at',
        'text',
        'outcome',
        'anticipated_evidence',
        'responsible_officer',
        'group_id',
      ])
      .where('review_id', '=', reviewId)
      .execute(),
    db.selectFrom('findings').select(['id', 'number']).where('review_id', '=', reviewId).execute(),
    db
      .selectFrom('finding_recommendations')
      .innerJoin('findings', 'findings.id', 'finding_recommendations.finding_id')
      .select(['finding_recommendations.finding_id', 'finding_recommendations.recommendation_id'])
      .where('findings.review_id', '=', reviewId)
      .execute(),
    // What a reverted import wrote is no longer in the plan: importing the file again brings it back.
    db
      .selectFrom('actions')
      .select(['id', 'recommendation_id', 'action_text', 'position'])
      .where('review_id', '=', reviewId)
      .where((eb) => eb.or([eb('import_id', 'is', null), eb('import_id', 'not in', revertedImports(db, reviewId))]))
      .execute(),
    db
      .selectFrom('progress_updates')
      .select(['action_id', 'progress_on', 'text'])
      .where('review_id', '=', reviewId)
      .where((eb) => eb.or([eb('import_id', 'is', null), eb('import_id', 'not in', revertedImports(db, reviewId))]))
      .execute(),
    listOrganisationsTakingPart(db, reviewId),
    listAgencyMappings(db, reviewId),
  ]);
  return {
    area: review.area,
    ratingScale: review.rating_scale,
    reviewStart: review.review_start,
    published: review.report_published,
    groups,
    recs,
    findings,
    links,
    actions,
    progress,
    organisations,
    mappings,
  };
}

/** What the review's coordinators said agency cells stand for: a row per organisation, or one with none. */
export function listAgencyMappings(db: Db, reviewId: number) {
  return db
    .selectFrom('agency_mappings')
    .select(['agency_key', 'agency_text', 'organisation_id'])
    .where('review_id', '=', reviewId)
    .orderBy('id')
    .execute();
}

/** Organisations taking part in the review: lead, covered, addressed by a group, or named on an action. */
async function listOrganisationsTakingPart(db: Db, reviewId: number) {
  const ids = new Set<number>();
  const review = await db
    .selectFrom('reviews')
    .select('lead_organisation_id')
    .where('id', '=', reviewId)
    .executeTakeFirst();
  if (review?.lead_organisation_id) ids.add(review.lead_organisation_id);
  const [covered, addressed, named] = await Promise.all([
    db.selectFrom('review_organisations').select('organisation_id').where('review_id', '=', reviewId).execute(),
    db
      .selectFrom('recommendation_group_organisations')
      .innerJoin('recommendation_groups', 'recommendation_groups.id', 'recommendation_group_organisations.group_id')
      .select('recommendation_group_organisations.organisation_id')
      .where('recommendation_groups.review_id', '=', reviewId)
      .execute(),
    db
      .selectFrom('action_organisations')
      .innerJoin('actions', 'actions.id', 'action_organisations.action_id')
      .select('action_organisations.organisation_id')
      .where('actions.review_id', '=', reviewId)
      .execute(),
  ]);
  for (const row of [...covered, ...addressed, ...named]) ids.add(row.organisation_id);
  if (ids.size === 0) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name', 'kind'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}

/**
 * Takes the review's row for the rest of the transaction (by touching its updated_at): a second
 * import into the same review waits for this one.
 */
export async function takeReviewRow(db: Db, reviewId: number, now: string): Promise<void> {
  await db.updateTable('reviews').set({ updated_at: now }).where('id', '=', reviewId).execute();
}

export type RecommendationFills = Partial<Record<'outcome' | 'anticipated_evidence' | 'responsible_officer', string>>;

/** Fills a recommendation's empty texts from the imported plan; its version goes up. */
export async function fillRecommendation(db: Db, recommendationId: number, fills: RecommendationFills): Promise<void> {
  await db
    .updateTable('recommendations')
    .set((eb) => ({ ...fills, version: eb('version', '+', 1) }))
    .where('id', '=', recommendationId)
    .execute();
}
